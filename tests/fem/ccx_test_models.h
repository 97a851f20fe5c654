// The package model the CalculiX comparison tests share (tests/fem/test_ccx_comparison.cpp): one
// unit cell of examples/b0.toml (die, films, UBM, SAC305 ball, Cu pad, solder mask, FR-4 board),
// built once per test process and meshed coarsely, with the laws each comparison gives it.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "design/design.h"
#include "fem/laws/material_law.h"
#include "mesh/package_mesh.h"

namespace wlp::fem::test {

/// The B0 unit cell (MeshExtent::BuiltWindow, refinement 1, Hex8), built and meshed once.
const mesh::PackageMesh& b0_cell_mesh();
/// The design the cell was built from (its material library).
const design::Design& b0_design();
/// The built cell (process model) the mesh was made from.
const process::WaferModel& b0_built_model();

/// Every material isotropic elastic with E and ν at 25 °C and its own CTE table (the board with
/// its in-plane constants: the deck cannot carry orthotropic cards yet).
std::vector<std::shared_ptr<const MaterialLaw>> elastic_laws_at_25C(const mesh::Mesh& mesh);

/// The same, with `solder` (a mesh material id) replaced by `law`.
std::vector<std::shared_ptr<const MaterialLaw>> with_law(std::vector<std::shared_ptr<const MaterialLaw>> laws, const mesh::Mesh& mesh,
                                                        const std::string& solder, std::shared_ptr<const MaterialLaw> law);

/// Index of a material id in mesh.materials (throws when absent).
int material_index(const mesh::Mesh& mesh, const std::string& id);

}  // namespace wlp::fem::test
