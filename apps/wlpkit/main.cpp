// wlpkit command line: parses arguments, calls one stage per subcommand, prints, sets the exit
// code. Exit codes: 0 clean, 1 rule violations, 2 the input could not be used.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "design/design.h"
#include "fem/blas_start.h"
#include "design/design_json.h"
#include "rules/rules.h"

#include "cli_util.h"
#include "build_command.h"
#include "cycle_command.h"
#include "layout_command.h"

namespace {

using wlp::cli::kExitClean;
using wlp::cli::kExitUnusable;
using wlp::cli::kExitViolations;
using wlp::cli::load;
using wlp::cli::print_input_error;
using wlp::cli::write_atomically;

struct CheckOptions {
  std::vector<std::string> designs;
  std::string format = "text";
  bool is_verbose = false;
  bool warnings_fail = false;
  std::string library;
};

int run_check(const CheckOptions& options) {
  int exit_code = kExitClean;
  std::vector<wlp::rules::CheckReport> reports;
  int n_clean = 0;
  for (const std::string& path : options.designs) {
    try {
      const wlp::design::Design design = load(path, options.library);
      wlp::rules::CheckReport report = wlp::rules::check_design(design);
      const bool failed = report.n_errors() > 0 || (options.warnings_fail && report.n_warnings() > 0);
      if (failed) exit_code = std::max(exit_code, kExitViolations);
      else ++n_clean;
      if (options.format == "text") std::cout << wlp::rules::format_text(report, options.is_verbose, options.warnings_fail);
      reports.push_back(std::move(report));
    } catch (const wlp::design::InputError& error) {
      print_input_error(error);
      std::cerr << fmt::format("{}: could not be used ({} problem{})\n", path, error.diagnostics().size(),
                               error.diagnostics().size() == 1 ? "" : "s");
      exit_code = kExitUnusable;
    }
  }
  if (options.format == "json") std::cout << wlp::rules::format_json(reports);
  if (options.format == "text" && options.designs.size() > 1)
    std::cout << fmt::format("summary: {} of {} designs pass\n", n_clean, options.designs.size());
  return exit_code;
}

std::string describe_value(const wlp::design::PropertyValue& value) {
  using wlp::design::format_quantity;
  std::string text;
  if (value.constant_si) {
    text = format_quantity(*value.constant_si, value.dimension);
  } else {
    for (const auto& [temperature, v] : value.points)
      text += fmt::format("{}{} @ {}", text.empty() ? "" : ", ", format_quantity(v, value.dimension),
                          format_quantity(temperature, wlp::design::dims::temperature));
  }
  if (value.range_si)
    text += fmt::format(" (range {} .. {})", format_quantity(value.range_si->first, value.dimension),
                        format_quantity(value.range_si->second, value.dimension));
  return text;
}

int run_materials(const std::string& id, const std::string& library_path) {
  try {
    const auto library = wlp::design::load_material_library(
        library_path.empty() ? wlp::design::data_directory() / "materials.toml" : std::filesystem::path(library_path));
    if (id.empty()) {
      for (const auto& [name, material] : library.all())
        std::cout << fmt::format("{:<16} {:<14} {}\n", name, material.material_class, material.description);
      std::cout << fmt::format("{} materials; `wlpkit materials ID` shows one with its sources\n", library.all().size());
      return kExitClean;
    }
    const wlp::design::Material* material = library.find(id);
    if (!material) {
      const std::string suggestion = wlp::design::nearest_match(id, library.ids());
      std::cerr << fmt::format("unknown material \"{}\"{}\n", id,
                               suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion));
      return kExitUnusable;
    }
    std::cout << fmt::format("{} — {} ({}{})\n", material->id, material->description, material->material_class,
                             material->is_organic ? ", organic" : "");
    for (const auto& [key, value] : material->properties)
      std::cout << fmt::format("  {:<30} {:<40} [{}] {}\n", key, describe_value(value), value.grade, value.source);
    if (material->anand) {
      const auto& a = *material->anand;
      std::cout << fmt::format("  anand: s0 {:g} MPa, Q/R {:g} K, A {:g} 1/s, xi {:g}, m {:g}, h0 {:g} MPa, s^ {:g} MPa, n {:g}, "
                               "a {:g} [{}] {}\n",
                               a.s0_Pa * 1e-6, a.q_over_r_K, a.a_per_s, a.xi, a.m, a.h0_Pa * 1e-6, a.s_hat_Pa * 1e-6, a.n,
                               a.a_exp, a.grade, a.source);
    }
    if (material->garofalo) {
      const auto& g = *material->garofalo;
      std::cout << fmt::format("  garofalo: c1 {:g} 1/s, c2 {:g} 1/MPa, c3 {:g}, c4 {:g} K [{}] {}\n", g.c1_per_s,
                               g.c2_per_Pa * 1e6, g.c3, g.c4_K, g.grade, g.source);
    }
    if (material->double_power) {
      const auto& p = *material->double_power;
      std::cout << fmt::format("  double power: a1 {:g}, n1 {:g}, Q1/R {:g} K, a2 {:g}, n2 {:g}, Q2/R {:g} K (stress in {}) "
                               "[{}] {}\n",
                               p.a1_per_s, p.n1, p.q1_over_r_K, p.a2_per_s, p.n2, p.q2_over_r_K, p.stress_unit, p.grade,
                               p.source);
    }
    return kExitClean;
  } catch (const wlp::design::InputError& error) {
    print_input_error(error);
    return kExitUnusable;
  }
}

int run_rules() {
  for (const auto& rule : wlp::rules::rule_catalog())
    std::cout << fmt::format("{:<28} {:<8} {:<7} {:<32} {}\n", rule.id, rule.seed, wlp::rules::to_string(rule.severity),
                             rule.claim, rule.summary);
  return kExitClean;
}

int run_resolve(const std::string& path, const std::string& output, const std::string& library) {
  try {
    const std::string text = wlp::design::design_to_json(load(path, library)).dump(2) + "\n";
    if (output.empty() || output == "-") {
      std::cout << text;
      return kExitClean;
    }
    if (const std::string problem = write_atomically(output, text); !problem.empty()) {
      std::cerr << "wlpkit resolve: " << problem << "\n";
      return kExitUnusable;
    }
    return kExitClean;
  } catch (const wlp::design::InputError& error) {
    print_input_error(error);
    return kExitUnusable;
  }
}

}  // namespace

int main(int argc, char** argv) {
  wlp::fem::configure_blas_at_start(argv);  // may start the program again: before anything else
  CLI::App app{"wlpkit — wafer-level chip-scale packages with stress-relieving interconnects: check designs "
               "against the seed rules, lay them out (masks, RDL, GDSII, wafer map), list materials and rules."};
  app.set_version_flag("--version", std::string("wlpkit ") + WLPKIT_VERSION);
  app.require_subcommand(1);

  CheckOptions check_options;
  CLI::App* check = app.add_subcommand("check", "Check designs against every seed rule (exit 0 clean, 1 violations, 2 "
                                                "unusable input)");
  check->add_option("designs", check_options.designs, "Design files (TOML)")->required()->check(CLI::ExistingFile);
  check->add_option("--format", check_options.format, "Output: text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  check->add_flag("-v,--verbose", check_options.is_verbose, "List every rule checked, passed or failed");
  check->add_flag("--warnings-as-errors", check_options.warnings_fail, "Exit 1 on warnings too");
  check->add_option("--materials", check_options.library, "Material library file (default: the bundled one)");

  std::string material_id, material_library;
  CLI::App* materials = app.add_subcommand("materials", "List the material library, or one material with the source of "
                                                        "every value");
  materials->add_option("id", material_id, "Material id (e.g. SAC305)");
  materials->add_option("--materials", material_library, "Material library file (default: the bundled one)");

  CLI::App* rules = app.add_subcommand("rules", "List every rule: id, seed, severity, claim, what it requires");

  std::string resolve_path, resolve_output, resolve_library;
  CLI::App* resolve = app.add_subcommand("resolve", "Print the design with includes merged and every value in SI (JSON)");
  resolve->add_option("design", resolve_path, "Design file (TOML)")->required()->check(CLI::ExistingFile);
  resolve->add_option("-o,--output", resolve_output, "Write to this file (atomically) instead of standard output");
  resolve->add_option("--materials", resolve_library, "Material library file (default: the bundled one)");

  wlp::cli::LayoutCommandOptions layout_options;
  CLI::App* layout = wlp::cli::add_layout_command(app, layout_options);
  wlp::cli::BuildCommandOptions build_options;
  CLI::App* build = wlp::cli::add_build_command(app, build_options);
  wlp::cli::CycleCommandOptions cycle_options;
  CLI::App* cycle = wlp::cli::add_cycle_command(app, cycle_options);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error);
    return code == 0 ? kExitClean : kExitUnusable;
  }
  try {
    if (*check) return run_check(check_options);
    if (*materials) return run_materials(material_id, material_library);
    if (*rules) return run_rules();
    if (*resolve) return run_resolve(resolve_path, resolve_output, resolve_library);
    if (*layout) return wlp::cli::run_layout(layout_options);
    if (*build) return wlp::cli::run_build(build_options);
    if (*cycle) return wlp::cli::run_cycle(cycle_options, argc, argv);
  } catch (const std::exception& error) {
    std::cerr << "wlpkit: internal error: " << error.what() << "\n";
    return kExitUnusable;
  }
  return kExitClean;
}
