// The cycle subcommand: loads the design, applies the command-line overrides of [analysis.fe],
// runs the thermal cycling with one progress line, and prints where the results are.
#include "cycle_command.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "cli_util.h"
#include "fem/cycle_analysis.h"
#include "fem/petsc_session.h"
#include "mesh/mesh_error.h"
#include "rules/rules.h"

namespace wlp::cli {

namespace fs = std::filesystem;

CLI::App* add_cycle_command(CLI::App& app, CycleCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "cycle", "Thermal cycling on the board: 3D FE with viscoplastic solder, results per joint and cycle "
               "(results.json), fields per cycle (VTU), a checkpoint after every cycle");
  command->add_option("design", options.design, "Design file (TOML)")->required()->check(CLI::ExistingFile);
  command->add_option("-o,--output", options.output, "Output folder (created if missing)")->required();
  command->add_option("--cycles", options.n_cycles, "Number of cycles (default: the design's, usually 3)")
      ->check(CLI::Range(1, 1000));
  command->add_option("--refinement", options.refinement, "Mesh refinement level, 1 = coarse (default: the design's)")
      ->check(CLI::Range(1, 20));
  command->add_option("--symmetry", options.symmetry, "auto, full, quarter or eighth (default: the design's)")
      ->check(CLI::IsMember({"auto", "full", "quarter", "eighth"}));
  command->add_option("--element", options.element, "hex8i, hex8 or hex20 (default: the design's)")
      ->check(CLI::IsMember({"hex8i", "hex8", "hex20"}));
  command->add_option("--solder-law", options.solder_law, "anand, garofalo, norton or elastic (default: the design's)")
      ->check(CLI::IsMember({"anand", "garofalo", "norton", "elastic"}));
  command->add_option("--resolution", options.resolution_um, "Lateral resolution of the build before meshing, um (default 2)")
      ->check(CLI::Range(0.1, 50.0));
  command->add_flag("--resume", options.resume, "Continue a stopped run from OUT/checkpoint");
  command->add_flag("--force", options.force, "Run even when the design breaks seed rules");
  command->add_flag("--no-fields", options.no_fields, "Skip the VTU field file of every cycle");
  command->add_flag("--inp", options.write_inp, "Also write model.inp: the same mesh, laws and temperature history as a "
                                                "CalculiX/Abaqus deck (needs --solder-law norton or elastic)");
  command->add_flag("--mesh-only", options.mesh_only, "Stop after the mesh (mesh.vtu, model.inp with --inp): no solve");
  command->add_option("--materials", options.library, "Material library file (default: the bundled one)");
  return command;
}

namespace {

template <std::size_t N, typename E>
E named(const std::array<std::pair<std::string_view, E>, N>& names, const std::string& text) {
  for (const auto& [name, value] : names)
    if (name == text) return value;
  return names.front().second;
}

void apply_overrides(design::Design& design, const CycleCommandOptions& options) {
  design::FeOptions& fe = design.analyses.fe;
  if (options.refinement > 0) fe.refinement = options.refinement;
  if (!options.symmetry.empty()) fe.symmetry = named(design::kModelSymmetryNames, options.symmetry);
  if (!options.element.empty()) fe.element = named(design::kElementKindNames, options.element);
  if (!options.solder_law.empty()) fe.solder_law = named(design::kSolderLawNames, options.solder_law);
}

std::string clock_text(double seconds) {
  const auto s = static_cast<long>(seconds + 0.5);
  return s >= 3600 ? fmt::format("{}:{:02d}:{:02d}", s / 3600, (s / 60) % 60, s % 60) : fmt::format("{}:{:02d}", s / 60, s % 60);
}

/// One line, redrawn in place on a terminal; on a log (not a terminal) a line every 10 % or so.
class ProgressBar {
 public:
  explicit ProgressBar(bool is_rank_0) : is_shown_(is_rank_0), is_terminal_(isatty(fileno(stdout)) != 0) {}
  void operator()(const fem::CycleProgress& p) {
    if (!is_shown_) return;
    if (p.stage != "cycle") {
      finish_line();
      std::cout << fmt::format("  {} ... ({} elapsed)\n", p.stage == "build" ? "building the device (virtual fab)" : "meshing the package",
                               clock_text(p.elapsed_s));
      std::cout.flush();
      return;
    }
    const int width = 24;
    const int filled = static_cast<int>(p.fraction_done * width + 0.5);
    const std::string bar = std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '.');
    const std::string line = fmt::format("  [{}] {:3.0f} %  cycle {}/{}  increment {:4d}  {:7.1f} C  {} left", bar,
                                         100 * p.fraction_done, p.cycle, p.n_cycles, p.increment.increment,
                                         p.increment.temperature_K - 273.15, clock_text(p.remaining_s));
    if (is_terminal_) {
      std::cout << "\r" << line << std::flush;
      open_line_ = true;
    } else if (static_cast<int>(p.fraction_done * 10) > last_tenth_) {
      last_tenth_ = static_cast<int>(p.fraction_done * 10);
      std::cout << line << "\n" << std::flush;
    }
  }
  void finish_line() {
    if (open_line_) std::cout << "\n";
    open_line_ = false;
  }

 private:
  bool is_shown_, is_terminal_;
  bool open_line_ = false;
  int last_tenth_ = -1;
};

void print_summary(const fem::CycleRunResult& result, const fs::path& out) {
  std::cout << fmt::format("  mesh: {} nodes, {} elements, {} dofs; min scaled Jacobian {:.3f}, max aspect ratio {:.1f}\n",
                           result.quality.n_nodes, result.quality.n_elements, result.quality.n_dofs,
                           result.quality.min_scaled_jacobian, result.quality.max_aspect_ratio);
  for (const fem::CycleRecord& c : result.cycles) {
    double worst = 0;
    std::string site;
    for (const fem::JointCycleResult& j : c.joints) {
      const double w = std::max(j.delta_w_device_J_per_m3, j.delta_w_board_J_per_m3);
      if (w > worst) worst = w, site = j.site;
    }
    std::cout << fmt::format("  cycle {}: {} increments, {:.1f} s; largest dW {:.4f} MPa at {}; die warpage {:.2f} um hot, "
                             "{:.2f} um cold\n",
                             c.cycle, c.n_increments, c.wall_time_s, worst * 1e-6, site, c.die_hot.peak_to_valley_m * 1e6,
                             c.die_cold.peak_to_valley_m * 1e6);
  }
  const fem::SolverStatistics& s = result.statistics;
  std::cout << fmt::format("  solver: {} increments, {} Newton iterations, {} factorizations, {} linear solves, {} cutbacks\n",
                           s.n_increments, s.n_newton_iterations, s.n_factorizations, s.n_linear_solves, s.n_cutbacks);
  std::cout << fmt::format("  -> {}/results.json, {}/cycle-N.vtu, {}/checkpoint/\n", out.string(), out.string(), out.string());
}

}  // namespace

int run_cycle(const CycleCommandOptions& options, int argc, char** argv) {
  fem::PetscSession session;
  const bool is_rank_0 = session.rank() == 0;
  try {
    design::Design design = load(options.design, options.library);
    apply_overrides(design, options);
    const rules::CheckReport check = rules::check_design(design);
    if (check.n_errors() > 0 && !options.force) {
      if (is_rank_0) {
        std::cout << rules::format_text(check, false, false);
        std::cerr << fmt::format("wlpkit cycle: {} breaks {} rule{}; fix it or pass --force\n", options.design,
                                 check.n_errors(), check.n_errors() == 1 ? "" : "s");
      }
      return kExitViolations;
    }
    fem::CycleRunOptions run_options;
    run_options.output_dir = options.output;
    run_options.n_cycles = options.n_cycles;
    run_options.resume = options.resume;
    run_options.build_resolution_m = options.resolution_um * 1e-6;
    run_options.write_fields = !options.no_fields;
    run_options.write_inp = options.write_inp;
    run_options.mesh_only = options.mesh_only;
    for (int i = 0; i < argc; ++i) run_options.command_line += (i ? " " : "") + std::string(argv[i]);
    if (is_rank_0)
      std::cout << fmt::format("{}: thermal cycling, {} rank{}\n", options.design, session.n_ranks(),
                               session.n_ranks() == 1 ? "" : "s");
    ProgressBar bar(is_rank_0);
    const fem::CycleRunResult result = fem::run_thermal_cycling(design, run_options, [&](const fem::CycleProgress& p) { bar(p); });
    bar.finish_line();
    if (options.mesh_only) {
      if (is_rank_0)
        std::cout << fmt::format("  mesh: {} nodes, {} elements, {} dofs; min scaled Jacobian {:.3f}, max aspect ratio {:.1f}\n"
                                 "  -> {}/mesh.vtu{}\n",
                                 result.quality.n_nodes, result.quality.n_elements, result.quality.n_dofs,
                                 result.quality.min_scaled_jacobian, result.quality.max_aspect_ratio, options.output,
                                 options.write_inp ? fmt::format(", {}/model.inp", options.output) : "");
      return kExitClean;
    }
    if (is_rank_0) print_summary(result, options.output);
    if (!result.completed) {
      if (is_rank_0)
        std::cerr << fmt::format("wlpkit cycle: the solver stopped: {}\n  the {} finished cycle{} are in {}/results.json\n",
                                 result.stop_message, result.cycles.size(), result.cycles.size() == 1 ? "" : "s",
                                 options.output);
      return 3;
    }
    return kExitClean;
  } catch (const design::InputError& error) {
    if (is_rank_0) print_input_error(error);
    return kExitUnusable;
  } catch (const std::exception& error) {
    if (is_rank_0) std::cerr << "wlpkit cycle: " << error.what() << "\n";
    return kExitUnusable;
  }
}

}  // namespace wlp::cli
