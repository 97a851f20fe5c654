// The layout subcommand: builds the die layout, writes every output atomically into the
// output folder and prints a short summary with the routing result.
#include "layout_command.h"

#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_util.h"
#include "layout/die_layout.h"
#include "layout/drc_deck.h"
#include "layout/layout_gds.h"
#include "layout/layout_plot.h"
#include "layout/wafer_map.h"
#include "rules/rules.h"

namespace wlp::cli {

namespace fs = std::filesystem;
using layout::DieLayout;

CLI::App* add_layout_command(CLI::App& app, LayoutCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "layout", "Masks of every patterned step, the routed RDL, GDSII (1 nm units), layer map, KLayout DRC deck, "
                "SVG/PNG plots; --wafer adds the wafer map");
  command->add_option("design", options.design, "Design file (TOML)")->required()->check(CLI::ExistingFile);
  command->add_option("-o,--output", options.output, "Output folder (created if missing)")->required();
  command->add_flag("--wafer", options.with_wafer, "Also step the die on a wafer: wafer map, gross dies, wafer cell");
  command->add_option("--wafer-diameter", options.wafer_diameter_mm, "Wafer diameter in mm: 150, 200 or 300 (default 300)")
      ->check(CLI::IsMember({150.0, 200.0, 300.0}));
  command->add_option("--edge-exclusion", options.edge_exclusion_mm, "Edge exclusion in mm (default 3)")->check(CLI::Range(0.0, 20.0));
  command->add_flag("--flat", options.wafer_flat, "Wafer with a flat instead of a notch");
  command->add_flag("--drc", options.run_drc, "Run the DRC deck in KLayout (must be installed) and report the markers");
  command->add_flag("--force", options.force, "Write the layout even when the design breaks seed rules");
  command->add_option("--max-chord-error", options.max_chord_error_nm, "Largest circle-to-chord error in nm (default 10)")
      ->check(CLI::Range(1.0, 10000.0));
  command->add_option("--materials", options.library, "Material library file (default: the bundled one)");
  return command;
}

namespace {

std::string routing_text(const DieLayout& layout) {
  if (!layout.routing) return fmt::format("{}: no RDL to route\n", layout.name);
  const layout::RouteResult& r = *layout.routing;
  const std::size_t total = r.nets.size() + r.unrouted.size();
  std::string text = fmt::format("RDL routing of {}: {}/{} nets routed ({:.1f} %), total length {:.3f} mm, grid pitch {:.3f} um, "
                                 "{} negotiation round{}\n",
                                 layout.name, r.nets.size(), total, 100.0 * r.routed_fraction(), r.total_length_m * 1e3,
                                 layout::to_um(r.grid_pitch), r.iterations, r.iterations == 1 ? "" : "s");
  text += fmt::format("{:<10} {:<8} {:>12}\n", "pad", "land", "length_um");
  for (const auto& net : r.nets) text += fmt::format("{:<10} {:<8} {:>12.3f}\n", net.pad, net.land, net.length_m * 1e6);
  for (const auto& net : r.unrouted)
    text += fmt::format("UNROUTED {} -> {}: {}\n", net.pad, net.land.empty() ? "(no land)" : net.land, net.reason);
  return text;
}

nlohmann::json routing_json(const DieLayout& layout) {
  nlohmann::json json = nlohmann::json::object();
  if (!layout.routing) return json;
  const layout::RouteResult& r = *layout.routing;
  json["routed_fraction"] = r.routed_fraction();
  json["total_length_m"] = r.total_length_m;
  json["grid_pitch_m"] = layout::to_m(r.grid_pitch);
  json["iterations"] = r.iterations;
  for (const auto& net : r.nets) {
    nlohmann::json points = nlohmann::json::array();
    for (const auto& p : net.centre_line) points.push_back({layout::to_m(p.x), layout::to_m(p.y)});
    json["nets"].push_back({{"pad", net.pad}, {"land", net.land}, {"length_m", net.length_m}, {"centre_line_m", points}});
  }
  for (const auto& net : r.unrouted) json["unrouted"].push_back({{"pad", net.pad}, {"land", net.land}, {"reason", net.reason}});
  return json;
}

void write_or_throw(const fs::path& path, const std::string& contents) {
  if (std::string problem = write_atomically(path, contents); !problem.empty()) throw std::runtime_error(problem);
}

layout::WaferMap make_wafer_map(const LayoutCommandOptions& options, const DieLayout& die) {
  layout::WaferSpec spec;
  spec.diameter = static_cast<layout::Nm>(std::llround(options.wafer_diameter_mm * 1e6));
  spec.edge_exclusion = static_cast<layout::Nm>(std::llround(options.edge_exclusion_mm * 1e6));
  spec.orientation = options.wafer_flat ? layout::WaferOrientation::Flat : layout::WaferOrientation::Notch;
  spec.die_x = die.die.width();
  spec.die_y = die.die.height();
  spec.street = die.street;
  return layout::wafer_map(spec);
}

std::string wafer_text(const layout::WaferMap& map) {
  return fmt::format("wafer {:.0f} mm ({}), edge exclusion {:.1f} mm, die {:.3f} x {:.3f} mm, street {:.1f} um: {} gross dies\n",
                     layout::to_um(map.spec.diameter) / 1000, map.spec.orientation == layout::WaferOrientation::Flat ? "flat" : "notch",
                     layout::to_um(map.spec.edge_exclusion) / 1000, layout::to_um(map.spec.die_x) / 1000,
                     layout::to_um(map.spec.die_y) / 1000, layout::to_um(map.spec.street), map.gross_dies());
}

// Runs the deck in KLayout; returns the number of markers (-1 when KLayout could not run).
int run_klayout_drc(const fs::path& deck, const fs::path& gds, const fs::path& report) {
  // Absolute paths: KLayout resolves relative ones against the script's folder, and it exits 0
  // even when it cannot write the report, so the report must exist and be new.
  std::error_code ignored;
  fs::remove(report, ignored);
  const std::string command = fmt::format("klayout -b -r '{}' -rd in_gds='{}' -rd report='{}' >/dev/null 2>&1",
                                          fs::absolute(deck).string(), fs::absolute(gds).string(), fs::absolute(report).string());
  if (std::system(command.c_str()) != 0 || !fs::exists(report)) return -1;
  int markers = 0;
  for (const auto& [category, count] : layout::read_lyrdb_counts(report)) {
    if (count > 0) std::cout << fmt::format("  DRC {:<28} {} marker{}\n", category, count, count == 1 ? "" : "s");
    markers += count;
  }
  return markers;
}

}  // namespace

int run_layout(const LayoutCommandOptions& options) {
  try {
    const design::Design design = load(options.design, options.library);
    const rules::CheckReport report = rules::check_design(design);
    if (report.n_errors() > 0 && !options.force) {
      std::cout << rules::format_text(report, false, false);
      std::cerr << fmt::format("wlpkit layout: {} breaks {} rule{}; fix it or pass --force\n", options.design, report.n_errors(),
                               report.n_errors() == 1 ? "" : "s");
      return kExitViolations;
    }
    layout::LayoutOptions layout_options;
    layout_options.max_chord_error = static_cast<layout::Nm>(std::llround(options.max_chord_error_nm));
    const DieLayout die = layout::build_die_layout(design, layout_options);
    std::optional<layout::WaferMap> wafer;
    if (options.with_wafer) wafer = make_wafer_map(options, die);

    const fs::path out = options.output;
    fs::create_directories(out / "masks");
    const std::string stem = design.name;
    const fs::path gds_path = out / (stem + ".gds");
    layout::gds::write_file(layout::layout_library(die, wafer ? &*wafer : nullptr), gds_path);
    write_or_throw(out / (stem + ".layers.txt"), layout::layer_map_text(die));
    const layout::DrcDeck deck = layout::drc_deck(design, die, layout::gds_cell_name(die.name, "DIE"));
    write_or_throw(out / (stem + ".drc"), deck.text);
    write_or_throw(out / (stem + "-routing.txt"), routing_text(die));
    write_or_throw(out / (stem + "-routing.json"), routing_json(die).dump(2) + "\n");
    layout::plot_die(die, out / (stem + "-die.svg"), out / (stem + "-die.png"));
    for (std::size_t i = 0; i < die.layers.size(); ++i) {
      if (die.layers[i].mask.empty()) continue;
      const std::string name = fmt::format("{:02d}-{}", die.layers[i].steps.front(), die.layers[i].mask);
      layout::plot_layer(die, static_cast<int>(i), out / "masks" / (name + ".svg"), out / "masks" / (name + ".png"));
    }
    if (wafer) {
      layout::plot_wafer_map(*wafer, design.name + " on a wafer", out / (stem + "-wafer.svg"), out / (stem + "-wafer.png"));
      write_or_throw(out / (stem + "-wafer.txt"), wafer_text(*wafer));
    }

    std::cout << fmt::format("{}: {} layers, {} masks -> {}\n", options.design, die.layers.size(), die.masks.size(), gds_path.string());
    const bool complete = !die.routing || die.routing->is_complete();
    if (die.routing)
      std::cout << fmt::format("  RDL: {}/{} nets routed, {:.3f} mm\n", die.routing->nets.size(),
                               die.routing->nets.size() + die.routing->unrouted.size(), die.routing->total_length_m * 1e3);
    if (die.routing)
      for (const auto& net : die.routing->unrouted) std::cout << fmt::format("  UNROUTED {} -> {}: {}\n", net.pad, net.land, net.reason);
    if (wafer) std::cout << "  " << wafer_text(*wafer);
    int markers = 0;
    if (options.run_drc) {
      markers = run_klayout_drc(out / (stem + ".drc"), gds_path, out / (stem + ".lyrdb"));
      if (markers < 0) {
        std::cerr << "wlpkit layout: --drc: KLayout could not run (is `klayout` installed?)\n";
        return kExitUnusable;
      }
      std::cout << fmt::format("  DRC: {} marker{} ({} rules)\n", markers, markers == 1 ? "" : "s", deck.rules.size());
    }
    return complete && markers == 0 ? kExitClean : kExitViolations;
  } catch (const design::InputError& error) {
    print_input_error(error);
    return kExitUnusable;
  } catch (const std::filesystem::filesystem_error& error) {
    std::cerr << fmt::format("wlpkit layout: cannot write the output: {}\n", error.what());
    return kExitUnusable;
  } catch (const std::runtime_error& error) {  // a file that could not be written
    std::cerr << fmt::format("wlpkit layout: {}\n", error.what());
    return kExitUnusable;
  }
}

}  // namespace wlp::cli
