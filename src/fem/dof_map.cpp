#include "fem/dof_map.h"

#include <algorithm>
#include <array>
#include <numeric>
#include <stdexcept>
#include <string>

#include "fem/thermo_mechanical_solver.h"

namespace wlp::fem::detail {
namespace {

std::vector<std::array<double, 3>> element_centroids(const mesh::Mesh& mesh) {
  const int n_nodes = mesh::nodes_per_element(mesh.element_type);
  std::vector<std::array<double, 3>> centroids(mesh.n_elements());
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const std::int64_t* nodes = mesh.element_nodes(e);
    std::array<double, 3> sum{};
    for (int a = 0; a < 8 && a < n_nodes; ++a)
      for (int j = 0; j < 3; ++j) sum[j] += mesh.nodes_m[nodes[a]][j] / 8.0;
    centroids[e] = sum;
  }
  return centroids;
}

void bisect(std::vector<std::int64_t>::iterator begin, std::vector<std::int64_t>::iterator end, int first_part, int n_parts,
            const std::vector<std::array<double, 3>>& centroids, std::vector<int>& part) {
  if (n_parts == 1 || end - begin <= 1) {
    for (auto it = begin; it != end; ++it) part[*it] = first_part;
    return;
  }
  std::array<double, 3> low{centroids[*begin]}, high{centroids[*begin]};
  for (auto it = begin; it != end; ++it)
    for (int j = 0; j < 3; ++j) {
      low[j] = std::min(low[j], centroids[*it][j]);
      high[j] = std::max(high[j], centroids[*it][j]);
    }
  int axis = 0;
  for (int j = 1; j < 3; ++j)
    if (high[j] - low[j] > high[axis] - low[axis]) axis = j;
  const int n_left_parts = n_parts / 2;
  const auto middle = begin + (end - begin) * n_left_parts / n_parts;
  std::nth_element(begin, middle, end, [&](std::int64_t a, std::int64_t b) {
    return centroids[a][axis] != centroids[b][axis] ? centroids[a][axis] < centroids[b][axis] : a < b;
  });
  bisect(begin, middle, first_part, n_left_parts, centroids, part);
  bisect(middle, end, first_part + n_left_parts, n_parts - n_left_parts, centroids, part);
}

struct Constraints {
  std::vector<bool> is_constrained;  // per dof
  std::vector<double> value_m;       // per dof
  std::vector<bool> is_diagonal;     // per node
};

Constraints collect_constraints(const mesh::Mesh& mesh, const std::vector<PrescribedDisplacement>& prescribed) {
  const std::size_t n_dofs = mesh.n_dofs();
  Constraints c{std::vector<bool>(n_dofs, false), std::vector<double>(n_dofs, 0.0), std::vector<bool>(mesh.n_nodes(), false)};
  const auto check = [&](std::int64_t node, int component, const char* what) {
    if (node < 0 || node >= static_cast<std::int64_t>(mesh.n_nodes()) || component < 0 || component > 2)
      throw std::invalid_argument(std::string(what) + ": node " + std::to_string(node) + " component " +
                                  std::to_string(component) + " outside the mesh of " + std::to_string(mesh.n_nodes()) + " nodes");
  };
  for (const mesh::FixedDof& fixed : mesh.fixed_dofs) {
    check(fixed.node, fixed.component, "fixed dof");
    c.is_constrained[3 * fixed.node + fixed.component] = true;
  }
  for (const PrescribedDisplacement& p : prescribed) {
    check(p.node, p.component, "prescribed displacement");
    c.is_constrained[3 * p.node + p.component] = true;
    c.value_m[3 * p.node + p.component] = p.value_m;
  }
  for (std::int64_t node : mesh.diagonal_nodes) {
    check(node, 0, "diagonal node");
    c.is_diagonal[node] = true;
    const std::size_t x = 3 * node, y = x + 1;
    if (!c.is_constrained[x] && !c.is_constrained[y]) continue;
    if (c.is_constrained[x] && c.is_constrained[y] && c.value_m[x] != c.value_m[y])
      throw std::invalid_argument("diagonal node " + std::to_string(node) + ": u_x = " + std::to_string(c.value_m[x]) +
                                  " m and u_y = " + std::to_string(c.value_m[y]) + " m are held at different values");
    const double value = c.is_constrained[x] ? c.value_m[x] : c.value_m[y];
    c.is_constrained[x] = c.is_constrained[y] = true;  // u_x = u_y: holding one holds both
    c.value_m[x] = c.value_m[y] = value;
  }
  return c;
}

// Node → elements (compressed rows).
struct Adjacency {
  std::vector<std::int64_t> offsets, elements;
};

Adjacency node_elements(const mesh::Mesh& mesh) {
  const int n_nodes = mesh::nodes_per_element(mesh.element_type);
  Adjacency adjacency{std::vector<std::int64_t>(mesh.n_nodes() + 1, 0), {}};
  for (std::int64_t node : mesh.connectivity) ++adjacency.offsets[node + 1];
  std::partial_sum(adjacency.offsets.begin(), adjacency.offsets.end(), adjacency.offsets.begin());
  adjacency.elements.resize(mesh.connectivity.size());
  std::vector<std::int64_t> fill(adjacency.offsets.begin(), adjacency.offsets.end() - 1);
  for (std::size_t e = 0; e < mesh.n_elements(); ++e)
    for (int a = 0; a < n_nodes; ++a) adjacency.elements[fill[mesh.element_nodes(e)[a]]++] = static_cast<std::int64_t>(e);
  return adjacency;
}

void number_equations(const mesh::Mesh& mesh, const Constraints& constraints, const std::vector<int>& owner, DofMap& map) {
  map.equation_of_dof.assign(mesh.n_dofs(), -1);
  std::int64_t next = 0;
  for (int r = 0; r < map.n_ranks; ++r) {
    if (r == map.rank) map.first_equation = next;
    for (std::size_t node = 0; node < mesh.n_nodes(); ++node) {
      if (owner[node] != r) continue;
      for (int c = 0; c < 3; ++c) {
        const std::size_t dof = 3 * node + c;
        if (constraints.is_constrained[dof]) continue;
        if (c == 1 && constraints.is_diagonal[node]) {
          map.equation_of_dof[dof] = map.equation_of_dof[dof - 1];  // u_y shares u_x's equation
          continue;
        }
        map.equation_of_dof[dof] = next++;
        map.representative_dof.push_back(static_cast<std::int64_t>(dof));
      }
    }
    if (r == map.rank) map.end_equation = next;
  }
  map.n_equations = next;
}

void collect_local_dofs(const mesh::Mesh& mesh, DofMap& map) {
  const int n_nodes = mesh::nodes_per_element(mesh.element_type);
  for (std::size_t e = 0; e < mesh.n_elements(); ++e)
    if (map.part_of_element[e] == map.rank) map.local_elements.push_back(static_cast<std::int64_t>(e));
  for (std::int64_t e : map.local_elements)
    for (int a = 0; a < n_nodes; ++a)
      for (int c = 0; c < 3; ++c) map.element_equations.push_back(map.equation_of_dof[3 * mesh.element_nodes(e)[a] + c]);
  map.ghost_equations = map.element_equations;
  std::erase(map.ghost_equations, std::int64_t{-1});
  std::sort(map.ghost_equations.begin(), map.ghost_equations.end());
  map.ghost_equations.erase(std::unique(map.ghost_equations.begin(), map.ghost_equations.end()), map.ghost_equations.end());
  map.element_local_dofs.reserve(map.element_equations.size());
  for (std::int64_t equation : map.element_equations) {
    if (equation < 0) {
      map.element_local_dofs.push_back(-1);
      continue;
    }
    const auto it = std::lower_bound(map.ghost_equations.begin(), map.ghost_equations.end(), equation);
    map.element_local_dofs.push_back(static_cast<int>(it - map.ghost_equations.begin()));
  }
}

// Nonzeros per owned row: the equations of every node that shares an element with the row's node.
void count_nonzeros(const mesh::Mesh& mesh, const Adjacency& adjacency, const std::vector<int>& owner, DofMap& map) {
  const int n_nodes = mesh::nodes_per_element(mesh.element_type);
  map.diagonal_nnz.assign(static_cast<std::size_t>(map.n_owned()), 0);
  map.offdiagonal_nnz.assign(static_cast<std::size_t>(map.n_owned()), 0);
  std::vector<std::int64_t> last_seen(mesh.n_dofs() == 0 ? 0 : static_cast<std::size_t>(map.n_equations), -1);
  for (std::size_t node = 0; node < mesh.n_nodes(); ++node) {
    if (owner[node] != map.rank) continue;
    int n_diagonal = 0, n_off = 0;
    for (std::int64_t k = adjacency.offsets[node]; k < adjacency.offsets[node + 1]; ++k) {
      const std::int64_t* nodes = mesh.element_nodes(adjacency.elements[k]);
      for (int a = 0; a < n_nodes; ++a)
        for (int c = 0; c < 3; ++c) {
          const std::int64_t column = map.equation_of_dof[3 * nodes[a] + c];
          if (column < 0 || last_seen[column] == static_cast<std::int64_t>(node)) continue;
          last_seen[column] = static_cast<std::int64_t>(node);
          (column >= map.first_equation && column < map.end_equation ? n_diagonal : n_off)++;
        }
    }
    for (int c = 0; c < 3; ++c) {
      const std::int64_t row = map.equation_of_dof[3 * node + c];
      if (row < 0) continue;
      map.diagonal_nnz[row - map.first_equation] = n_diagonal;
      map.offdiagonal_nnz[row - map.first_equation] = n_off;
    }
  }
}

}  // namespace

std::vector<int> partition_elements(const mesh::Mesh& mesh, int n_parts) {
  std::vector<int> part(mesh.n_elements(), 0);
  if (n_parts <= 1) return part;
  std::vector<std::int64_t> order(mesh.n_elements());
  std::iota(order.begin(), order.end(), std::int64_t{0});
  bisect(order.begin(), order.end(), 0, n_parts, element_centroids(mesh), part);
  return part;
}

DofMap build_dof_map(const mesh::Mesh& mesh, const std::vector<PrescribedDisplacement>& prescribed, int rank, int n_ranks) {
  DofMap map;
  map.rank = rank;
  map.n_ranks = n_ranks;
  map.n_element_dofs = 3 * mesh::nodes_per_element(mesh.element_type);
  Constraints constraints = collect_constraints(mesh, prescribed);
  map.part_of_element = partition_elements(mesh, n_ranks);
  const Adjacency adjacency = node_elements(mesh);
  std::vector<int> owner(mesh.n_nodes(), -1);
  for (std::size_t node = 0; node < mesh.n_nodes(); ++node) {
    for (std::int64_t k = adjacency.offsets[node]; k < adjacency.offsets[node + 1]; ++k) {
      const int p = map.part_of_element[adjacency.elements[k]];
      owner[node] = owner[node] < 0 ? p : std::min(owner[node], p);
    }
    if (owner[node] < 0)  // a node of no element carries no stiffness: hold it
      for (int c = 0; c < 3; ++c) constraints.is_constrained[3 * node + c] = true;
  }
  number_equations(mesh, constraints, owner, map);
  map.constrained_value_m = std::move(constraints.value_m);
  collect_local_dofs(mesh, map);
  count_nonzeros(mesh, adjacency, owner, map);
  return map;
}

}  // namespace wlp::fem::detail
