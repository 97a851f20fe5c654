// Shape-function gradients of the hexahedral elements at their integration points (internal to
// the FE engine). Isoparametric hexahedra in Abaqus node order (mesh/mesh.h); parent coordinates
// (ξ, η, ζ) ∈ [−1, 1]³; Gauss–Legendre rules: 2×2×2 for Hex8, 3×3×3 for Hex20.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "fem/solver_options.h"

namespace wlp::fem::detail {

/// Counts of one element formulation.
struct ElementShape {
  int n_nodes = 8;
  int n_points = 8;
  int n_modes = 0;  // incompatible displacement modes (3 for Hex8Incompatible), each with 3 components
  [[nodiscard]] int n_dofs() const { return 3 * n_nodes; }
  [[nodiscard]] int n_mode_dofs() const { return 3 * n_modes; }
};
ElementShape element_shape(ElementFormulation formulation);

/// Gradients of one element at its integration points (buffers reused between elements).
struct ElementGeometry {
  ElementShape shape;
  std::vector<double> node_gradients;   // [point][node][x_j]: ∂N_a/∂x_j
  std::vector<double> mode_gradients;   // [point][mode][x_j]: ∂M_i/∂x_j with Taylor's correction
  std::vector<double> point_volumes_m3; // Gauss weight · det J

  [[nodiscard]] const double* gradients_at(int point) const { return node_gradients.data() + point * shape.n_nodes * 3; }
  [[nodiscard]] const double* mode_gradients_at(int point) const { return mode_gradients.data() + point * shape.n_modes * 3; }
};

/// Fills `geometry` for the element with the given node coordinates (n_nodes of them, mesh order).
/// Throws std::invalid_argument naming `element` when det J ≤ 0 at a point (a folded element).
void compute_element_geometry(ElementFormulation formulation, std::span<const std::array<double, 3>> node_coordinates_m,
                              long element, ElementGeometry& geometry);

}  // namespace wlp::fem::detail
