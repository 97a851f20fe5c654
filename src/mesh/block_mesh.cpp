#include "mesh/block_mesh.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <stdexcept>
#include <string>

namespace wlp::mesh {
namespace {

// n + 1 node coordinates from `start` over `length`, element sizes in geometric progression with
// last/first = grading.
std::vector<double> graded_coordinates(double start, double length, int n, double grading) {
  const double ratio = n > 1 ? std::pow(grading, 1.0 / (n - 1)) : 1.0;
  std::vector<double> sizes(static_cast<std::size_t>(n));
  double size = 1;
  for (double& s : sizes) {
    s = size;
    size *= ratio;
  }
  double total = 0;
  for (double s : sizes) total += s;
  std::vector<double> coordinates{start};
  double position = 0;
  for (double s : sizes) {
    position += s;
    coordinates.push_back(start + length * position / total);
  }
  coordinates.back() = start + length;
  return coordinates;
}

// Lattice coordinates: the element corners, and for quadratic elements also the edge midpoints.
std::vector<double> lattice_coordinates(const std::vector<double>& corners, int order) {
  if (order == 1) return corners;
  std::vector<double> lattice;
  for (std::size_t i = 0; i + 1 < corners.size(); ++i) {
    lattice.push_back(corners[i]);
    lattice.push_back(0.5 * (corners[i] + corners[i + 1]));
  }
  lattice.push_back(corners.back());
  return lattice;
}

void check_spec(const BlockMeshSpec& spec) {
  if (!(spec.length_x_m > 0) || !(spec.length_y_m > 0) || spec.n_x < 1 || spec.n_y < 1)
    throw std::invalid_argument("block mesh: lengths must be positive and n_x, n_y at least 1 (got " +
                                std::to_string(spec.length_x_m) + " m × " + std::to_string(spec.length_y_m) +
                                " m, " + std::to_string(spec.n_x) + " × " + std::to_string(spec.n_y) + ")");
  if (spec.layers.empty()) throw std::invalid_argument("block mesh: at least one layer is needed");
  for (const BlockLayer& layer : spec.layers) {
    if (!(layer.thickness_m > 0) || layer.n_elements < 1 || !(layer.grading > 0))
      throw std::invalid_argument("block mesh: a layer needs a positive thickness, grading and element count (got " +
                                  std::to_string(layer.thickness_m) + " m, " + std::to_string(layer.n_elements) + ")");
    if (layer.material < 0 || layer.material >= static_cast<int>(spec.materials.size()))
      throw std::invalid_argument("block mesh: layer material index " + std::to_string(layer.material) +
                                  " outside the " + std::to_string(spec.materials.size()) + " materials");
  }
  if (spec.distortion < 0 || spec.distortion >= 0.5)
    throw std::invalid_argument("block mesh: distortion must lie in [0, 0.5), got " + std::to_string(spec.distortion));
}

struct Lattice {
  std::array<std::vector<double>, 3> corners;  // element corner coordinates per axis
  std::array<std::vector<double>, 3> points;   // lattice coordinates per axis
  int order = 1;
  [[nodiscard]] std::array<std::int64_t, 3> size() const {
    return {static_cast<std::int64_t>(points[0].size()), static_cast<std::int64_t>(points[1].size()),
            static_cast<std::int64_t>(points[2].size())};
  }
  [[nodiscard]] std::int64_t flat(std::int64_t i, std::int64_t j, std::int64_t k) const {
    const auto n = size();
    return (k * n[1] + j) * n[0] + i;
  }
  // A Hex20 uses the lattice points with at most one odd index (corners and edge midpoints).
  [[nodiscard]] bool is_used(std::int64_t i, std::int64_t j, std::int64_t k) const {
    return order == 1 || (i % 2) + (j % 2) + (k % 2) <= 1;
  }
};

Lattice make_lattice(const BlockMeshSpec& spec) {
  Lattice lattice;
  lattice.order = spec.element_type == ElementType::Hex20 ? 2 : 1;
  const double x0 = spec.symmetric_at_x0 ? 0.0 : -0.5 * spec.length_x_m;
  const double y0 = spec.symmetric_at_y0 ? 0.0 : -0.5 * spec.length_y_m;
  lattice.corners[0] = graded_coordinates(x0, spec.length_x_m, spec.n_x, spec.grading_x);
  lattice.corners[1] = graded_coordinates(y0, spec.length_y_m, spec.n_y, spec.grading_y);
  std::vector<double>& z = lattice.corners[2];
  z.push_back(0.0);
  for (const BlockLayer& layer : spec.layers) {
    const std::vector<double> layer_z = graded_coordinates(z.back(), layer.thickness_m, layer.n_elements, layer.grading);
    z.insert(z.end(), layer_z.begin() + 1, layer_z.end());
  }
  for (int axis = 0; axis < 3; ++axis) lattice.points[axis] = lattice_coordinates(lattice.corners[axis], lattice.order);
  return lattice;
}

// Node positions with the optional random shift of interior corner nodes; edge midpoints follow
// their corners so that Hex20 edges stay straight.
std::vector<std::array<double, 3>> lattice_positions(const BlockMeshSpec& spec, const Lattice& lattice) {
  const auto n = lattice.size();
  std::vector<std::array<double, 3>> positions(static_cast<std::size_t>(n[0] * n[1] * n[2]));
  for (std::int64_t k = 0; k < n[2]; ++k)
    for (std::int64_t j = 0; j < n[1]; ++j)
      for (std::int64_t i = 0; i < n[0]; ++i)
        positions[lattice.flat(i, j, k)] = {lattice.points[0][i], lattice.points[1][j], lattice.points[2][k]};
  if (spec.distortion == 0) return positions;
  std::mt19937_64 random(spec.distortion_seed);
  std::uniform_real_distribution<double> unit(-1.0, 1.0);
  const int p = lattice.order;
  const std::array<std::int64_t, 3> index_max{n[0] - 1, n[1] - 1, n[2] - 1};
  for (std::int64_t k = p; k < index_max[2]; k += p)
    for (std::int64_t j = p; j < index_max[1]; j += p)
      for (std::int64_t i = p; i < index_max[0]; i += p) {
        const std::array<std::int64_t, 3> index{i / p, j / p, k / p};
        for (int axis = 0; axis < 3; ++axis) {
          const std::vector<double>& c = lattice.corners[axis];
          const double spacing = std::min(c[index[axis]] - c[index[axis] - 1], c[index[axis] + 1] - c[index[axis]]);
          positions[lattice.flat(i, j, k)][axis] += spec.distortion * spacing * unit(random);
        }
      }
  if (p == 2) {
    for (std::int64_t k = 0; k < n[2]; ++k)
      for (std::int64_t j = 0; j < n[1]; ++j)
        for (std::int64_t i = 0; i < n[0]; ++i) {
          const std::array<std::int64_t, 3> index{i, j, k};
          for (int axis = 0; axis < 3; ++axis) {
            if (index[axis] % 2 == 0) continue;
            std::array<std::int64_t, 3> before = index, after = index;
            before[axis] -= 1;
            after[axis] += 1;
            const auto& a = positions[lattice.flat(before[0], before[1], before[2])];
            const auto& b = positions[lattice.flat(after[0], after[1], after[2])];
            for (int c = 0; c < 3; ++c) positions[lattice.flat(i, j, k)][c] = 0.5 * (a[c] + b[c]);
          }
        }
  }
  return positions;
}

// Corner offsets (element units) in Abaqus order, then the mid-edge nodes as corner pairs.
constexpr std::array<std::array<int, 3>, 8> corner_offsets{
    {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}}};
constexpr std::array<std::array<int, 2>, 12> edge_corners{
    {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {4, 5}, {5, 6}, {6, 7}, {7, 4}, {0, 4}, {1, 5}, {2, 6}, {3, 7}}};

int layer_of_element_row(const BlockMeshSpec& spec, int element_row) {
  int first = 0;
  for (std::size_t layer = 0; layer < spec.layers.size(); ++layer) {
    first += spec.layers[layer].n_elements;
    if (element_row < first) return static_cast<int>(layer);
  }
  return static_cast<int>(spec.layers.size()) - 1;
}

void add_supports(const BlockMeshSpec& spec, const Lattice& lattice, const std::vector<std::int64_t>& node_of_point,
                  Mesh& mesh) {
  const auto n = lattice.size();
  for (std::int64_t k = 0; k < n[2]; ++k)
    for (std::int64_t j = 0; j < n[1]; ++j)
      for (std::int64_t i = 0; i < n[0]; ++i) {
        const std::int64_t node = node_of_point[lattice.flat(i, j, k)];
        if (node < 0) continue;
        if (spec.symmetric_at_x0 && i == 0) mesh.fixed_dofs.push_back({node, 0});
        if (spec.symmetric_at_y0 && j == 0) mesh.fixed_dofs.push_back({node, 1});
      }
  const std::int64_t origin = node_of_point[lattice.flat(0, 0, 0)];
  const std::int64_t far_x = node_of_point[lattice.flat(n[0] - 1, 0, 0)];
  const std::int64_t far_y = node_of_point[lattice.flat(0, n[1] - 1, 0)];
  // The rigid-body modes the symmetry planes leave free: 3-2-1 support on the bottom face.
  if (!spec.symmetric_at_x0 && !spec.symmetric_at_y0) {
    mesh.fixed_dofs.insert(mesh.fixed_dofs.end(), {{origin, 0}, {origin, 1}, {origin, 2}, {far_x, 1}, {far_x, 2}, {far_y, 2}});
  } else if (spec.symmetric_at_x0 && !spec.symmetric_at_y0) {
    mesh.fixed_dofs.insert(mesh.fixed_dofs.end(), {{origin, 1}, {origin, 2}, {far_y, 2}});
  } else if (!spec.symmetric_at_x0 && spec.symmetric_at_y0) {
    mesh.fixed_dofs.insert(mesh.fixed_dofs.end(), {{origin, 0}, {origin, 2}, {far_x, 2}});
  } else {
    mesh.fixed_dofs.push_back({origin, 2});
  }
}

}  // namespace

Mesh make_block_mesh(const BlockMeshSpec& spec) {
  check_spec(spec);
  const Lattice lattice = make_lattice(spec);
  const std::vector<std::array<double, 3>> positions = lattice_positions(spec, lattice);
  Mesh mesh;
  mesh.element_type = spec.element_type;
  mesh.symmetry = spec.symmetric_at_x0 && spec.symmetric_at_y0 ? Symmetry::Quarter : Symmetry::Full;
  mesh.materials = spec.materials;

  const auto n = lattice.size();
  std::vector<std::int64_t> node_of_point(positions.size(), -1);
  for (std::int64_t k = 0; k < n[2]; ++k)
    for (std::int64_t j = 0; j < n[1]; ++j)
      for (std::int64_t i = 0; i < n[0]; ++i) {
        if (!lattice.is_used(i, j, k)) continue;
        node_of_point[lattice.flat(i, j, k)] = static_cast<std::int64_t>(mesh.nodes_m.size());
        mesh.nodes_m.push_back(positions[lattice.flat(i, j, k)]);
      }

  const int p = lattice.order;
  const int n_z = static_cast<int>(lattice.corners[2].size()) - 1;
  for (int ez = 0; ez < n_z; ++ez)
    for (int ey = 0; ey < spec.n_y; ++ey)
      for (int ex = 0; ex < spec.n_x; ++ex) {
        std::array<std::array<std::int64_t, 3>, 8> corners{};
        for (std::size_t c = 0; c < 8; ++c) {
          corners[c] = {p * (ex + corner_offsets[c][0]), p * (ey + corner_offsets[c][1]), p * (ez + corner_offsets[c][2])};
          mesh.connectivity.push_back(node_of_point[lattice.flat(corners[c][0], corners[c][1], corners[c][2])]);
        }
        if (p == 2)
          for (const auto& edge : edge_corners) {
            const auto& a = corners[edge[0]];
            const auto& b = corners[edge[1]];
            mesh.connectivity.push_back(node_of_point[lattice.flat((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, (a[2] + b[2]) / 2)]);
          }
        mesh.material_of_element.push_back(spec.layers[layer_of_element_row(spec, ez)].material);
        mesh.joint_of_element.push_back(-1);
        mesh.joint_zone_of_element.push_back(JointZone::None);
      }
  add_supports(spec, lattice, node_of_point, mesh);
  return mesh;
}

std::vector<std::int64_t> boundary_nodes(const Mesh& mesh) {
  std::array<double, 3> low{}, high{};
  for (int axis = 0; axis < 3; ++axis) {
    low[axis] = high[axis] = mesh.nodes_m.empty() ? 0.0 : mesh.nodes_m.front()[axis];
    for (const auto& node : mesh.nodes_m) {
      low[axis] = std::min(low[axis], node[axis]);
      high[axis] = std::max(high[axis], node[axis]);
    }
  }
  std::vector<std::int64_t> boundary;
  for (std::size_t node = 0; node < mesh.nodes_m.size(); ++node) {
    bool on_face = false;
    for (int axis = 0; axis < 3; ++axis) {
      const double tolerance = 1e-12 * (high[axis] - low[axis]);
      on_face = on_face || mesh.nodes_m[node][axis] <= low[axis] + tolerance || mesh.nodes_m[node][axis] >= high[axis] - tolerance;
    }
    if (on_face) boundary.push_back(static_cast<std::int64_t>(node));
  }
  return boundary;
}

}  // namespace wlp::mesh
