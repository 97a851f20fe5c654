// `wlpkit layout DESIGN -o OUT`: masks, routed RDL, GDSII, layer map, DRC deck, plots, wafer map.
#pragma once

#include <string>

namespace CLI {
class App;
}

namespace wlp::cli {

struct LayoutCommandOptions {
  std::string design;
  std::string output;
  std::string library;
  bool with_wafer = false;
  double wafer_diameter_mm = 300;
  double edge_exclusion_mm = 3;
  bool wafer_flat = false;
  bool run_drc = false;
  bool force = false;
  double max_chord_error_nm = 10;
};

/// Registers the subcommand and its options on the app.
CLI::App* add_layout_command(CLI::App& app, LayoutCommandOptions& options);

/// Runs it: exit 0 when everything is written, routed and (with --drc) clean; 1 when nets are
/// unrouted, the design breaks a rule or DRC finds markers; 2 when the input cannot be used.
int run_layout(const LayoutCommandOptions& options);

}  // namespace wlp::cli
