#include "mesh/quality.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wlp::mesh {

namespace {

using Vec = std::array<double, 3>;

Vec minus(const Vec& a, const Vec& b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
double norm(const Vec& a) { return std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]); }
double det3(const Vec& a, const Vec& b, const Vec& c) {  // columns a, b, c
  return a[0] * (b[1] * c[2] - b[2] * c[1]) - b[0] * (a[1] * c[2] - a[2] * c[1]) + c[0] * (a[1] * b[2] - a[2] * b[1]);
}

// The three neighbours of each corner, ordered so that an undistorted hexahedron gives +1.
constexpr int kCornerEdges[8][3] = {{1, 3, 4}, {2, 0, 5}, {3, 1, 6}, {0, 2, 7},
                                    {7, 5, 0}, {4, 6, 1}, {5, 7, 2}, {6, 4, 3}};
constexpr int kEdges[12][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6},
                               {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}};

// Natural coordinates of the nodes in Abaqus/CalculiX order (C3D8: the first 8; C3D20: all).
constexpr double kNatural[20][3] = {{-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1}, {-1, -1, 1},
                                    {1, -1, 1},   {1, 1, 1},   {-1, 1, 1}, {0, -1, -1}, {1, 0, -1},
                                    {0, 1, -1},   {-1, 0, -1}, {0, -1, 1}, {1, 0, 1},   {0, 1, 1},
                                    {-1, 0, 1},   {-1, -1, 0}, {1, -1, 0}, {1, 1, 0},   {-1, 1, 0}};

const Vec& node_of(const Mesh& mesh, std::size_t element, int local) {
  return mesh.nodes_m[static_cast<std::size_t>(mesh.element_nodes(element)[local])];
}

/// dN/d(ξ, η, ζ) of node i. Trilinear for Hex8; serendipity for Hex20 (Zienkiewicz & Taylor,
/// The Finite Element Method vol. 1, 5th ed., §8.7.2).
Vec shape_derivatives(int i, bool quadratic, double xi, double eta, double zeta) {
  const double a = kNatural[i][0], b = kNatural[i][1], c = kNatural[i][2];
  const double fx = 1 + a * xi, fy = 1 + b * eta, fz = 1 + c * zeta;
  if (!quadratic) return {a * fy * fz / 8, b * fx * fz / 8, c * fx * fy / 8};
  if (i < 8) {  // N = fx fy fz (aξ + bη + cζ − 2) / 8
    const double s = a * xi + b * eta + c * zeta - 2;
    return {(a * fy * fz * s + fx * fy * fz * a) / 8, (b * fx * fz * s + fx * fy * fz * b) / 8,
            (c * fx * fy * s + fx * fy * fz * c) / 8};
  }
  if (a == 0) return {-2 * xi * fy * fz / 4, (1 - xi * xi) * b * fz / 4, (1 - xi * xi) * fy * c / 4};
  if (b == 0) return {a * (1 - eta * eta) * fz / 4, -2 * eta * fx * fz / 4, fx * (1 - eta * eta) * c / 4};
  return {a * fy * (1 - zeta * zeta) / 4, fx * b * (1 - zeta * zeta) / 4, -2 * zeta * fx * fy / 4};
}

double jacobian_determinant(const Mesh& mesh, std::size_t element, double xi, double eta, double zeta) {
  const bool quadratic = mesh.element_type == ElementType::Hex20;
  const int n = nodes_per_element(mesh.element_type);
  Vec d_xi{}, d_eta{}, d_zeta{};  // ∂x/∂ξ, ∂x/∂η, ∂x/∂ζ
  for (int i = 0; i < n; ++i) {
    const Vec dn = shape_derivatives(i, quadratic, xi, eta, zeta);
    const Vec& x = node_of(mesh, element, i);
    for (int k = 0; k < 3; ++k) d_xi[k] += dn[0] * x[k], d_eta[k] += dn[1] * x[k], d_zeta[k] += dn[2] * x[k];
  }
  return det3(d_xi, d_eta, d_zeta);
}

struct GaussRule {
  std::vector<double> points, weights;
};

GaussRule gauss(int n) {
  if (n == 2) return {{-1 / std::sqrt(3.0), 1 / std::sqrt(3.0)}, {1, 1}};
  // Four points: ±√(3/7 ∓ 2/7·√(6/5)), weights (18 ± √30)/36 (Abramowitz & Stegun, Table 25.4).
  const double inner = std::sqrt(3.0 / 7 - 2.0 / 7 * std::sqrt(6.0 / 5)),
               outer = std::sqrt(3.0 / 7 + 2.0 / 7 * std::sqrt(6.0 / 5));
  const double w_inner = (18 + std::sqrt(30.0)) / 36, w_outer = (18 - std::sqrt(30.0)) / 36;
  return {{-outer, -inner, inner, outer}, {w_outer, w_inner, w_inner, w_outer}};
}

double aspect_ratio(const Mesh& mesh, std::size_t element) {
  double shortest = std::numeric_limits<double>::infinity(), longest = 0;
  for (const auto& edge : kEdges) {
    const double l = norm(minus(node_of(mesh, element, edge[1]), node_of(mesh, element, edge[0])));
    shortest = std::min(shortest, l), longest = std::max(longest, l);
  }
  return shortest > 0 ? longest / shortest : std::numeric_limits<double>::infinity();
}

ElementPlace place_of(const Mesh& mesh, std::size_t element) {
  return ElementPlace{element, element_centroid_m(mesh, element),
                      mesh.materials[static_cast<std::size_t>(mesh.material_of_element[element])],
                      mesh.joint_of_element.empty() ? -1 : mesh.joint_of_element[element]};
}

}  // namespace

double element_scaled_jacobian(const Mesh& mesh, std::size_t element) {
  double worst = 1;
  for (int corner = 0; corner < 8; ++corner) {
    const Vec& x = node_of(mesh, element, corner);
    const Vec e1 = minus(node_of(mesh, element, kCornerEdges[corner][0]), x);
    const Vec e2 = minus(node_of(mesh, element, kCornerEdges[corner][1]), x);
    const Vec e3 = minus(node_of(mesh, element, kCornerEdges[corner][2]), x);
    const double lengths = norm(e1) * norm(e2) * norm(e3);
    worst = std::min(worst, lengths > 0 ? det3(e1, e2, e3) / lengths : -1.0);
  }
  return worst;
}

std::array<double, 3> element_centroid_m(const Mesh& mesh, std::size_t element) {
  Vec c{};
  for (int i = 0; i < 8; ++i)
    for (int k = 0; k < 3; ++k) c[k] += node_of(mesh, element, i)[k] / 8;
  return c;
}

double element_volume_m3(const Mesh& mesh, std::size_t element) {
  const GaussRule rule = gauss(mesh.element_type == ElementType::Hex20 ? 4 : 2);
  double volume = 0;
  for (std::size_t i = 0; i < rule.points.size(); ++i)
    for (std::size_t j = 0; j < rule.points.size(); ++j)
      for (std::size_t k = 0; k < rule.points.size(); ++k)
        volume += rule.weights[i] * rule.weights[j] * rule.weights[k] *
                  jacobian_determinant(mesh, element, rule.points[i], rule.points[j], rule.points[k]);
  return volume;
}

MeshQuality measure_quality(const Mesh& mesh) {
  MeshQuality q;
  q.n_nodes = mesh.n_nodes(), q.n_elements = mesh.n_elements(), q.n_dofs = mesh.n_dofs();
  for (const std::string& m : mesh.materials) q.materials.push_back(MaterialTally{m, 0, 0});
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const double jacobian = element_scaled_jacobian(mesh, e), aspect = aspect_ratio(mesh, e),
                 volume = element_volume_m3(mesh, e);
    if (jacobian <= 0) ++q.n_inverted;
    if (e == 0 || jacobian < q.min_scaled_jacobian)
      q.min_scaled_jacobian = jacobian, q.worst_jacobian = place_of(mesh, e);
    if (e == 0 || aspect > q.max_aspect_ratio) q.max_aspect_ratio = aspect, q.worst_aspect = place_of(mesh, e);
    MaterialTally& tally = q.materials[static_cast<std::size_t>(mesh.material_of_element[e])];
    ++tally.n_elements;
    tally.volume_m3 += volume;
    tally.min_scaled_jacobian = std::min(tally.min_scaled_jacobian, jacobian);
    tally.max_aspect_ratio = std::max(tally.max_aspect_ratio, aspect);
    q.volume_m3 += volume;
  }
  return q;
}

}  // namespace wlp::mesh
