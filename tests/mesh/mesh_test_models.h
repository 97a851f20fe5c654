// Built models the mesh tests share: each is built once per test run (the recipe takes from a
// fraction of a second for a unit cell to a few seconds for a small die) and kept.
#pragma once

#include <string>

#include "design/design.h"
#include "layout/die_layout.h"
#include "mesh/mesh.h"
#include "mesh/package_mesh.h"
#include "process/wafer_model.h"

namespace wlp::test {

struct BuiltModel {
  design::Design design;
  layout::DieLayout layout;
  process::WaferModel model;
};

/// A bundled example (examples/<name>.toml) built on the unit cell of its first bump site.
const BuiltModel& built_cell(const std::string& example);

/// B0 (examples/b0.toml: its pads, films, UBM, ball and board) with an n × n array on a die of
/// (n + 1) pitches, built on build_window_for(symmetry) at 2 um resolution.
const BuiltModel& built_small_b0(int n, mesh::Symmetry symmetry);

/// Options for a mesh of a unit-cell build (no symmetry, the built window only).
mesh::MeshOptions cell_options(int refinement, mesh::ElementType type = mesh::ElementType::Hex8);

}  // namespace wlp::test
