// The build subcommand: lays the design out (for its masks), runs the recipe on the wafer
// model with a cross-section after every step, and writes the 3D structure and metrology.
#include "build_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli_util.h"
#include "layout/die_layout.h"
#include "process/build.h"
#include "process/export3d.h"
#include "process/metrology.h"
#include "process/section_plot.h"
#include "rules/rules.h"

namespace wlp::cli {

namespace fs = std::filesystem;

CLI::App* add_build_command(CLI::App& app, BuildCommandOptions& options) {
  CLI::App* command = app.add_subcommand(
      "build", "Run the process recipe on a 3D model of the wafer: a cross-section after every step (SVG/PNG), the "
               "final structure (VTU, STL per material), metrology.json");
  command->add_option("design", options.design, "Design file (TOML)")->required()->check(CLI::ExistingFile);
  command->add_option("-o,--output", options.output, "Output folder (created if missing)")->required();
  command->add_option("--cut", options.cut,
                      "Cut line in um, die coordinates: \"x0,y0;x1,y1[;...]\" (default: through the first pad, its "
                      "RDL and its bump)");
  command->add_option("--window", options.window, "What to model: cut (a strip around the cut), cell (one bump's unit "
                                                  "cell) or die (the whole die)")
      ->check(CLI::IsMember({"cut", "cell", "die"}));
  command->add_option("--resolution", options.resolution_um, "Lateral resolution in um: circles to a quarter of it, "
                                                             "solder rings (default 1)")
      ->check(CLI::Range(0.001, 100.0));
  command->add_flag("--force", options.force, "Build even when the design breaks seed rules");
  command->add_flag("--no-3d", options.no_3d, "Skip the VTU and STL files (whole-die windows write gigabytes)");
  command->add_option("--materials", options.library, "Material library file (default: the bundled one)");
  return command;
}

namespace {

process::CutLine parse_cut(const std::string& text) {
  process::CutLine cut;
  std::stringstream all(text);
  std::string pair;
  while (std::getline(all, pair, ';')) {
    const auto comma = pair.find(',');
    try {
      if (comma == std::string::npos) throw std::invalid_argument("no comma");
      std::size_t used_x = 0, used_y = 0;
      const double x = std::stod(pair.substr(0, comma), &used_x), y = std::stod(pair.substr(comma + 1), &used_y);
      cut.points.push_back(process::Point{layout::to_nm(x * 1e-6), layout::to_nm(y * 1e-6)});
    } catch (const std::exception&) {
      throw std::invalid_argument(fmt::format("--cut: '{}' is not a point \"x,y\" in um (expected \"x0,y0;x1,y1[;...]\")", pair));
    }
  }
  if (cut.points.size() < 2) throw std::invalid_argument(fmt::format("--cut \"{}\": needs at least two points", text));
  cut.description = fmt::format("the cut line {}", text);
  return cut;
}

std::string slug(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '-';
  return out;
}

std::vector<process::Prism> prisms_of(const process::WaferModel& model) {
  std::vector<process::Prism> prisms;
  for (const process::Cell& cell : model.cells())
    for (const process::Interval& p : model.stack(cell.stack))
      prisms.push_back(process::Prism{&cell.region, p.z_bottom, p.z_top, p.material, p.film});
  return prisms;
}

std::string log_text(const process::BuildResult& result) {
  std::string text;
  for (const process::StepReport& r : result.reports) {
    text += fmt::format("{:02d} {} ({})\n", r.index, r.name, r.op);
    for (const std::string& line : r.did) text += "   " + line + "\n";
    for (const std::string& line : r.warnings) text += "   WARNING: " + line + "\n";
  }
  return text;
}

void write_or_throw(const fs::path& path, const std::string& contents) {
  if (std::string problem = write_atomically(path, contents); !problem.empty()) throw std::runtime_error(problem);
}

}  // namespace

int run_build(const BuildCommandOptions& options) {
  using Clock = std::chrono::steady_clock;
  const auto started = Clock::now();
  try {
    const design::Design design = load(options.design, options.library);
    const rules::CheckReport check = rules::check_design(design);
    if (check.n_errors() > 0 && !options.force) {
      std::cout << rules::format_text(check, false, false);
      std::cerr << fmt::format("wlpkit build: {} breaks {} rule{}; fix it or pass --force\n", options.design,
                               check.n_errors(), check.n_errors() == 1 ? "" : "s");
      return kExitViolations;
    }
    const layout::DieLayout die = layout::build_die_layout(design);
    process::BuildOptions build_options;
    build_options.resolution = layout::to_nm(options.resolution_um * 1e-6);
    build_options.window = options.window == "die" ? process::WindowKind::Die
                           : options.window == "cell" ? process::WindowKind::Cell
                                                      : process::WindowKind::Cut;
    if (!options.cut.empty()) build_options.cut = parse_cut(options.cut);
    process::CutLine cut = build_options.cut ? *build_options.cut : process::default_cut(design, die);
    const layout::Box window = process::build_window(design, die, cut, build_options.window);
    if (!build_options.cut && build_options.window == process::WindowKind::Cell) {
      // The unit cell is the first site's, away from the default cut: cut across its centre.
      const layout::Nm y = (window.lo.y + window.hi.y) / 2;
      cut = process::CutLine{{{window.lo.x, y}, {window.hi.x, y}}, "across the unit cell, through its site"};
    }
    build_options.cut = cut;
    process::WaferModel model = process::make_model(design, die, window);

    const fs::path out = options.output;
    fs::create_directories(out / "steps");
    const std::size_t n_steps = design.recipe.steps.size();
    std::cout << fmt::format("{}: {} steps on a {:.1f} x {:.1f} um window; cut {}\n", options.design, n_steps,
                             layout::to_um(model.window().width()), layout::to_um(model.window().height()),
                             cut.description);
    // Where the time goes (steps on the model, figures, 3D files), for users and bench/.
    double steps_s = 0, figures_s = 0;
    nlohmann::json step_seconds = nlohmann::json::array();
    auto last = Clock::now();
    auto seconds_since = [&](Clock::time_point& mark) {
      const auto now = Clock::now();
      const double s = std::chrono::duration<double>(now - mark).count();
      mark = now;
      return s;
    };
    auto after_step = [&](const process::StepReport& report, const process::WaferModel& state) {
      const double step_s = seconds_since(last);
      steps_s += step_s;
      step_seconds.push_back({{"step", report.index}, {"name", report.name}, {"seconds", step_s}});
      process::SectionFigure figure = process::cut_section(state, design, cut);
      figure.title = fmt::format("{} - step {} of {}: {} ({})", design.name, report.index, n_steps, report.name, report.op);
      figure.caption = report.note.empty() ? (report.did.empty() ? "" : report.did.front()) : report.note;
      const std::string stem = fmt::format("{:02d}-{}", report.index, slug(report.name));
      process::plot_section(figure, out / "steps" / (stem + ".svg"), out / "steps" / (stem + ".png"));
      std::cout << fmt::format("  [{:>2}/{}] {:<28} {:6.2f} s, {} cells, {} vertices: {}\n", report.index, n_steps,
                               report.name, step_s, state.cells().size(), state.vertex_count(),
                               report.did.empty() ? "" : report.did.front());
      std::cout.flush();
      for (const std::string& w : report.warnings) std::cout << "          warning: " << w << "\n";
      figures_s += seconds_since(last);
    };
    const process::BuildResult result = process::run_recipe(model, design, die, build_options, after_step);
    steps_s += seconds_since(last);  // the end-of-recipe checks

    std::vector<std::string> materials;
    for (std::size_t i = 0; i < model.material_count(); ++i) materials.push_back(model.material_id(static_cast<process::MaterialIndex>(i)));
    const auto prisms = prisms_of(model);
    process::Export3dStats stats;
    std::vector<fs::path> stl_files;
    if (!options.no_3d) {
      stats = process::write_vtu(out / (design.name + ".vtu"), prisms, materials);
      fs::create_directories(out / "stl");
      stl_files = process::write_stl_per_material(out / "stl", prisms, materials);
    }
    const double export_s = seconds_since(last);
    nlohmann::json metrology = process::measure(model, design);
    metrology["cut"] = {{"description", cut.description}, {"length_um", layout::to_um(cut.length())}};
    const double total_s = std::chrono::duration<double>(Clock::now() - started).count();
    metrology["build_seconds"] = total_s;
    metrology["timing_s"] = {{"steps", steps_s}, {"figures", figures_s}, {"export_3d", export_s}, {"total", total_s},
                             {"per_step", step_seconds}};
    write_or_throw(out / "metrology.json", metrology.dump(2) + "\n");
    write_or_throw(out / "build-log.txt", log_text(result));
    if (options.no_3d)
      std::cout << fmt::format("  -> {}/steps/ ({} cross-sections), metrology.json (no 3D files: --no-3d)\n", out.string(),
                               result.reports.size());
    else
      std::cout << fmt::format("  -> {}/steps/ ({} cross-sections), {}.vtu ({} cells), {} STL files, metrology.json\n",
                               out.string(), result.reports.size(), design.name, stats.cells, stl_files.size());
    std::cout << fmt::format("  time: steps {:.2f} s, figures {:.2f} s, VTU+STL {:.2f} s, total {:.2f} s\n", steps_s,
                             figures_s, export_s, total_s);
    return kExitClean;
  } catch (const design::InputError& error) {
    print_input_error(error);
    std::cerr << "wlpkit build: stopped; the steps before the failing one are in the output folder\n";
    return kExitUnusable;
  } catch (const std::invalid_argument& error) {
    std::cerr << "wlpkit build: " << error.what() << "\n";
    return kExitUnusable;
  } catch (const std::filesystem::filesystem_error& error) {
    std::cerr << fmt::format("wlpkit build: cannot write the output: {}\n", error.what());
    return kExitUnusable;
  } catch (const std::runtime_error& error) {
    std::cerr << fmt::format("wlpkit build: {}\n", error.what());
    return kExitUnusable;
  }
}

}  // namespace wlp::cli
