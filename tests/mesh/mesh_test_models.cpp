#include "mesh/mesh_test_models.h"

#include <fmt/format.h>

#include <map>
#include <memory>

#include "process/build.h"
#include "support/test_support.h"

namespace wlp::test {

namespace {

std::unique_ptr<BuiltModel> build(design::Design design, bool unit_cell, mesh::Symmetry symmetry,
                                  layout::Nm resolution) {
  layout::DieLayout layout = layout::build_die_layout(design);
  const process::CutLine cut = process::default_cut(design, layout);
  const layout::Box window = unit_cell ? process::build_window(design, layout, cut, process::WindowKind::Cell)
                                       : mesh::build_window_for(design, layout, symmetry);
  process::WaferModel model = process::make_model(design, layout, window);
  process::BuildOptions options;
  options.resolution = resolution;
  options.window = unit_cell ? process::WindowKind::Cell : process::WindowKind::Die;
  process::run_recipe(model, design, layout, options, nullptr);
  return std::make_unique<BuiltModel>(BuiltModel{std::move(design), std::move(layout), std::move(model)});
}

}  // namespace

const BuiltModel& built_cell(const std::string& example) {
  static std::map<std::string, std::unique_ptr<BuiltModel>> built;
  auto& slot = built[example];
  if (!slot) slot = build(load(source_dir() / "examples" / (example + ".toml")), true, mesh::Symmetry::Full, 1000);
  return *slot;
}

const BuiltModel& built_small_b0(int n, mesh::Symmetry symmetry) {
  static std::map<std::pair<int, mesh::Symmetry>, std::unique_ptr<BuiltModel>> built;
  static ScratchDir scratch;
  auto& slot = built[{n, symmetry}];
  if (!slot) {
    const std::string text = fmt::format(
        "include = \"{}\"\n[design]\nname = \"b0-{}x{}\"\n[die]\nsize_x = \"{} um\"\nsize_y = \"{} um\"\n"
        "[bumps]\ncolumns = {}\nrows = {}\n",
        (source_dir() / "examples" / "b0.toml").string(), n, n, 400 * (n + 1), 400 * (n + 1), n, n);
    slot = build(load(scratch.write(fmt::format("b0-{}x{}.toml", n, n), text)), false, symmetry, 2000);
  }
  return *slot;
}

mesh::MeshOptions cell_options(int refinement, mesh::ElementType type) {
  mesh::MeshOptions options;
  options.extent = mesh::MeshExtent::BuiltWindow;
  options.symmetry = mesh::Symmetry::Full;
  options.refinement = refinement;
  options.element_type = type;
  return options;
}

}  // namespace wlp::test
