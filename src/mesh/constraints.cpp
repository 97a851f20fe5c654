#include "mesh/constraints.h"

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace wlp::mesh::detail {

namespace {

void add_symmetry_planes(Mesh& mesh) {
  for (std::size_t n = 0; n < mesh.n_nodes(); ++n) {
    const auto& p = mesh.nodes_m[n];
    const auto id = static_cast<std::int64_t>(n);
    if (mesh.symmetry == Symmetry::Quarter && p[0] == 0) mesh.fixed_dofs.push_back(FixedDof{id, 0});
    if (p[1] == 0) mesh.fixed_dofs.push_back(FixedDof{id, 1});
    if (mesh.symmetry == Symmetry::Eighth && p[0] == p[1]) mesh.diagonal_nodes.push_back(id);
  }
}

std::int64_t bottom_node_where(const Mesh& mesh, double bottom_z_m,
                               const std::function<double(const std::array<double, 3>&)>& cost) {
  std::int64_t best = -1;
  double best_cost = std::numeric_limits<double>::infinity();
  for (std::size_t n = 0; n < mesh.n_nodes(); ++n) {
    const auto& p = mesh.nodes_m[n];
    if (p[2] != bottom_z_m) continue;
    const double c = cost(p);
    if (c < best_cost) best_cost = c, best = static_cast<std::int64_t>(n);
  }
  if (best < 0) throw std::logic_error("constraints: no node on the board bottom");
  return best;
}

void add_three_two_one(Mesh& mesh, double bottom_z_m) {
  double x_lo = std::numeric_limits<double>::infinity(), x_hi = -x_lo, y_lo = x_lo, y_hi = -x_lo;
  for (const auto& p : mesh.nodes_m)
    if (p[2] == bottom_z_m)
      x_lo = std::min(x_lo, p[0]), x_hi = std::max(x_hi, p[0]), y_lo = std::min(y_lo, p[1]),
      y_hi = std::max(y_hi, p[1]);
  const double xc = 0.5 * (x_lo + x_hi), yc = 0.5 * (y_lo + y_hi);
  const std::int64_t a =
      bottom_node_where(mesh, bottom_z_m, [&](const auto& p) { return std::hypot(p[0] - xc, p[1] - yc); });
  const auto pa = mesh.nodes_m[static_cast<std::size_t>(a)];
  constexpr double kOnLine_m = 1e-12;
  const std::int64_t b = bottom_node_where(mesh, bottom_z_m, [&](const auto& p) {
    return std::abs(p[1] - pa[1]) < kOnLine_m ? -p[0] : std::numeric_limits<double>::infinity();
  });
  const std::int64_t c = bottom_node_where(mesh, bottom_z_m, [&](const auto& p) {
    return std::abs(p[0] - pa[0]) < kOnLine_m ? -p[1] : std::numeric_limits<double>::infinity();
  });
  mesh.fixed_dofs.insert(mesh.fixed_dofs.end(), {FixedDof{a, 0}, FixedDof{a, 1}, FixedDof{a, 2}, FixedDof{b, 1},
                                                 FixedDof{b, 2}, FixedDof{c, 2}});
}

}  // namespace

void add_constraints(Mesh& mesh, double bottom_z_m) {
  if (mesh.symmetry == Symmetry::Full) {
    add_three_two_one(mesh, bottom_z_m);
    return;
  }
  add_symmetry_planes(mesh);
  const std::int64_t axis = bottom_node_where(mesh, bottom_z_m, [](const auto& p) { return std::hypot(p[0], p[1]); });
  const auto& p = mesh.nodes_m[static_cast<std::size_t>(axis)];
  if (p[0] != 0 || p[1] != 0) throw std::logic_error("constraints: no board-bottom node on the z axis");
  mesh.fixed_dofs.push_back(FixedDof{axis, 2});
}

}  // namespace wlp::mesh::detail
