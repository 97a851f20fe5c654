#include "fem/hex_element.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace wlp::fem::detail {
namespace {

// Parent coordinates of the nodes in Abaqus order: 8 corners, then the 12 edge midpoints.
constexpr std::array<std::array<double, 3>, 20> parent_nodes{{
    {-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1}, {-1, -1, 1}, {1, -1, 1}, {1, 1, 1}, {-1, 1, 1},
    {0, -1, -1}, {1, 0, -1}, {0, 1, -1}, {-1, 0, -1}, {0, -1, 1}, {1, 0, 1}, {0, 1, 1}, {-1, 0, 1},
    {-1, -1, 0}, {1, -1, 0}, {1, 1, 0}, {-1, 1, 0}}};

struct GaussRule {
  std::vector<double> abscissae, weights;
};

// Gauss–Legendre: 2 points ±1/√3 (weights 1); 3 points 0, ±√(3/5) (weights 8/9, 5/9).
GaussRule gauss_rule(int n_points_per_axis) {
  if (n_points_per_axis == 2) {
    const double a = 1.0 / std::sqrt(3.0);
    return {{-a, a}, {1.0, 1.0}};
  }
  const double a = std::sqrt(0.6);
  return {{-a, 0.0, a}, {5.0 / 9.0, 8.0 / 9.0, 5.0 / 9.0}};
}

// ∂N_a/∂(ξ,η,ζ) of the trilinear hexahedron: N_a = ⅛(1+ξξ_a)(1+ηη_a)(1+ζζ_a).
void hex8_parent_gradients(const std::array<double, 3>& p, double* out) {
  for (int a = 0; a < 8; ++a) {
    const auto& n = parent_nodes[a];
    const double fx = 1 + p[0] * n[0], fy = 1 + p[1] * n[1], fz = 1 + p[2] * n[2];
    out[3 * a + 0] = 0.125 * n[0] * fy * fz;
    out[3 * a + 1] = 0.125 * fx * n[1] * fz;
    out[3 * a + 2] = 0.125 * fx * fy * n[2];
  }
}

// ∂N_a/∂(ξ,η,ζ) of the 20-node serendipity hexahedron (Zienkiewicz & Taylor, The Finite Element
// Method vol. 1, 6th ed., §8.7.2): corners N = ⅛(1+ξξ_a)(1+ηη_a)(1+ζζ_a)(ξξ_a+ηη_a+ζζ_a−2);
// edge midpoints with ξ_a = 0: N = ¼(1−ξ²)(1+ηη_a)(1+ζζ_a), and likewise for η, ζ.
void hex20_parent_gradients(const std::array<double, 3>& p, double* out) {
  for (int a = 0; a < 20; ++a) {
    const auto& n = parent_nodes[a];
    if (a < 8) {
      const double fx = 1 + p[0] * n[0], fy = 1 + p[1] * n[1], fz = 1 + p[2] * n[2];
      const double s = p[0] * n[0] + p[1] * n[1] + p[2] * n[2];
      out[3 * a + 0] = 0.125 * n[0] * fy * fz * (s + p[0] * n[0] - 1);
      out[3 * a + 1] = 0.125 * n[1] * fx * fz * (s + p[1] * n[1] - 1);
      out[3 * a + 2] = 0.125 * n[2] * fx * fy * (s + p[2] * n[2] - 1);
      continue;
    }
    int zero_axis = 0;
    while (n[zero_axis] != 0) ++zero_axis;
    std::array<double, 3> f{};  // (1 − ξ²) on the zero axis, (1 + ξξ_a) on the others
    std::array<double, 3> df{};
    for (int j = 0; j < 3; ++j) {
      f[j] = j == zero_axis ? 1 - p[j] * p[j] : 1 + p[j] * n[j];
      df[j] = j == zero_axis ? -2 * p[j] : n[j];
    }
    out[3 * a + 0] = 0.25 * df[0] * f[1] * f[2];
    out[3 * a + 1] = 0.25 * f[0] * df[1] * f[2];
    out[3 * a + 2] = 0.25 * f[0] * f[1] * df[2];
  }
}

// Jacobian J_ij = ∂x_j/∂ξ_i, its determinant and inverse.
struct Jacobian {
  std::array<double, 9> inverse{};
  double determinant = 0;
};

Jacobian jacobian(const double* parent_gradients, std::span<const std::array<double, 3>> x, int n_nodes) {
  std::array<double, 9> j{};
  for (int a = 0; a < n_nodes; ++a)
    for (int i = 0; i < 3; ++i)
      for (int k = 0; k < 3; ++k) j[3 * i + k] += parent_gradients[3 * a + i] * x[a][k];
  Jacobian out;
  out.determinant = j[0] * (j[4] * j[8] - j[5] * j[7]) - j[1] * (j[3] * j[8] - j[5] * j[6]) + j[2] * (j[3] * j[7] - j[4] * j[6]);
  const double inv = 1.0 / out.determinant;
  out.inverse = {(j[4] * j[8] - j[5] * j[7]) * inv, (j[2] * j[7] - j[1] * j[8]) * inv, (j[1] * j[5] - j[2] * j[4]) * inv,
                 (j[5] * j[6] - j[3] * j[8]) * inv, (j[0] * j[8] - j[2] * j[6]) * inv, (j[2] * j[3] - j[0] * j[5]) * inv,
                 (j[3] * j[7] - j[4] * j[6]) * inv, (j[1] * j[6] - j[0] * j[7]) * inv, (j[0] * j[4] - j[1] * j[3]) * inv};
  return out;
}

// ∂/∂x = J⁻¹ ∂/∂ξ for one gradient vector.
void to_physical(const std::array<double, 9>& inverse, const double* parent, double scale, double* out) {
  for (int i = 0; i < 3; ++i)
    out[i] = scale * (inverse[3 * i + 0] * parent[0] + inverse[3 * i + 1] * parent[1] + inverse[3 * i + 2] * parent[2]);
}

}  // namespace

ElementShape element_shape(ElementFormulation formulation) {
  switch (formulation) {
    case ElementFormulation::Hex8: return {8, 8, 0};
    case ElementFormulation::Hex8Incompatible: return {8, 8, 3};
    case ElementFormulation::Hex20: return {20, 27, 0};
  }
  return {};
}

void compute_element_geometry(ElementFormulation formulation, std::span<const std::array<double, 3>> x, long element,
                              ElementGeometry& geometry) {
  const ElementShape shape = element_shape(formulation);
  geometry.shape = shape;
  geometry.node_gradients.resize(static_cast<std::size_t>(shape.n_points * shape.n_nodes * 3));
  geometry.mode_gradients.resize(static_cast<std::size_t>(shape.n_points * shape.n_modes * 3));
  geometry.point_volumes_m3.resize(static_cast<std::size_t>(shape.n_points));
  const bool quadratic = formulation == ElementFormulation::Hex20;
  const GaussRule rule = gauss_rule(quadratic ? 3 : 2);
  const auto parent_gradients = quadratic ? hex20_parent_gradients : hex8_parent_gradients;
  std::array<double, 60> dn{};

  // Taylor, Beresford & Wilson, IJNME 10 (1976) 1211: the incompatible modes M_i = 1 − ξ_i² take
  // their gradients with the centre Jacobian J0, scaled by det J0 / det J, so that ∫ ∂M/∂x dV = 0
  // and the element passes the patch test on distorted meshes.
  Jacobian centre;
  if (shape.n_modes > 0) {
    parent_gradients({0.0, 0.0, 0.0}, dn.data());
    centre = jacobian(dn.data(), x, shape.n_nodes);
  }
  const int n_axis = static_cast<int>(rule.abscissae.size());
  int point = 0;
  for (int k = 0; k < n_axis; ++k)
    for (int j = 0; j < n_axis; ++j)
      for (int i = 0; i < n_axis; ++i, ++point) {
        const std::array<double, 3> p{rule.abscissae[i], rule.abscissae[j], rule.abscissae[k]};
        parent_gradients(p, dn.data());
        const Jacobian jac = jacobian(dn.data(), x, shape.n_nodes);
        if (!(jac.determinant > 0))
          throw std::invalid_argument("element " + std::to_string(element) + ": det J = " + std::to_string(jac.determinant) +
                                      " at integration point " + std::to_string(point) + " (folded or inverted element)");
        geometry.point_volumes_m3[point] = rule.weights[i] * rule.weights[j] * rule.weights[k] * jac.determinant;
        double* gradients = geometry.node_gradients.data() + point * shape.n_nodes * 3;
        for (int a = 0; a < shape.n_nodes; ++a) to_physical(jac.inverse, dn.data() + 3 * a, 1.0, gradients + 3 * a);
        if (shape.n_modes == 0) continue;
        double* modes = geometry.mode_gradients.data() + point * 9;
        const double scale = centre.determinant / jac.determinant;
        for (int mode = 0; mode < 3; ++mode) {
          std::array<double, 3> parent{};
          parent[mode] = -2 * p[mode];  // ∂(1 − ξ_m²)/∂ξ_m
          to_physical(centre.inverse, parent.data(), scale, modes + 3 * mode);
        }
      }
}

}  // namespace wlp::fem::detail
