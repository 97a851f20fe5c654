// `wlpkit cycle DESIGN -o OUT`: the device as built on its board under thermal cycling: the FE
// mesh, the solver run cycle by cycle with a progress bar, results.json per joint and cycle,
// the fields of every cycle's end as VTU, a checkpoint after every cycle and --resume.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace wlp::cli {

struct CycleCommandOptions {
  std::string design;
  std::string output;
  std::string library;
  int n_cycles = 0;       // 0: the design's
  int refinement = 0;     // 0: the design's [analysis.fe] refinement
  std::string symmetry;   // empty: the design's
  std::string element;    // empty: the design's
  std::string solder_law; // empty: the design's
  double resolution_um = 2.0;
  bool resume = false;
  bool force = false;
  bool no_fields = false;
  bool write_inp = false;  // model.inp for CalculiX
  bool mesh_only = false;
};

CLI::App* add_cycle_command(CLI::App& app, CycleCommandOptions& options);

/// Exit 0 when every cycle ran; 1 when the design breaks a rule (without --force); 2 when the
/// input is unusable; 3 when the solver stopped (every finished cycle is written, the message
/// names the increment, time, temperature and worst element).
int run_cycle(const CycleCommandOptions& options, int argc, char** argv);

}  // namespace wlp::cli
