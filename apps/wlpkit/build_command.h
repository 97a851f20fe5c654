// `wlpkit build DESIGN -o OUT`: the recipe executed on a 3D model of a window of the wafer:
// a cross-section after every step, the final structure as VTU and STL, metrology.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace wlp::cli {

struct BuildCommandOptions {
  std::string design;
  std::string output;
  std::string library;
  std::string cut;     // "x0,y0;x1,y1;..." in µm, empty: the design's default cut
  std::string window = "cut";
  double resolution_um = 1.0;
  bool force = false;
  bool no_3d = false;  // skip the VTU and STL files (a whole die writes gigabytes)
};

CLI::App* add_build_command(CLI::App& app, BuildCommandOptions& options);

/// Exit 0 when the whole recipe ran and every output is written; 1 when the design breaks a
/// rule (without --force); 2 when the input or a step is impossible (the message names it).
int run_build(const BuildCommandOptions& options);

}  // namespace wlp::cli
