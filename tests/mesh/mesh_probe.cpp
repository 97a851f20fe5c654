#include "mesh/mesh_probe.h"

#include <algorithm>
#include <map>

#include "mesh/quality.h"

namespace wlp::test {

namespace {

bool inside_quad(const std::array<std::array<double, 3>, 4>& q, double x, double y) {
  // Convex, counter-clockwise: the point is left of (or on) every edge.
  for (int i = 0; i < 4; ++i) {
    const auto& a = q[static_cast<std::size_t>(i)];
    const auto& b = q[static_cast<std::size_t>((i + 1) % 4)];
    if ((b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]) < 0) return false;
  }
  return true;
}

const std::array<std::array<int, 8>, 6> kFaces{{
    // four corners, then the four mid-edge nodes of a C3D20 (Abaqus numbering, 0-based)
    {0, 1, 2, 3, 8, 9, 10, 11},
    {4, 5, 6, 7, 12, 13, 14, 15},
    {0, 1, 5, 4, 8, 17, 12, 16},
    {1, 2, 6, 5, 9, 18, 13, 17},
    {2, 3, 7, 6, 10, 19, 14, 18},
    {3, 0, 4, 7, 11, 16, 15, 19},
}};

bool between_pads(const mesh::Mesh& mesh, std::size_t e, const mesh::Joint& joint) {
  const double z = mesh::element_centroid_m(mesh, e)[2];
  return z > joint.lower_z_m && z < joint.upper_z_m;
}

}  // namespace

std::vector<Span> mesh_column(const mesh::Mesh& mesh, double x_m, double y_m, double z_from_m) {
  std::vector<std::pair<double, std::size_t>> hits;  // (z_bottom, element)
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const std::int64_t* n = mesh.element_nodes(e);
    std::array<std::array<double, 3>, 4> bottom{};
    for (int i = 0; i < 4; ++i) bottom[static_cast<std::size_t>(i)] = mesh.nodes_m[static_cast<std::size_t>(n[i])];
    if (bottom[0][2] < z_from_m - 1e-12 || !inside_quad(bottom, x_m, y_m)) continue;
    hits.push_back({bottom[0][2], e});
  }
  std::sort(hits.begin(), hits.end());
  std::vector<Span> spans;
  for (const auto& [z, e] : hits) {
    const double top = mesh.nodes_m[static_cast<std::size_t>(mesh.element_nodes(e)[4])][2];
    const std::string& material = mesh.materials[static_cast<std::size_t>(mesh.material_of_element[e])];
    if (!spans.empty() && spans.back().material == material && std::abs(spans.back().z_top_m - z) < 1e-12) {
      spans.back().z_top_m = top;
      ++spans.back().n_elements;
    } else {
      spans.push_back(Span{z, top, material, 1});
    }
  }
  return spans;
}

std::vector<std::int64_t> joint_surface_nodes(const mesh::Mesh& mesh, int joint_index) {
  const mesh::Joint& joint = mesh.joints[static_cast<std::size_t>(joint_index)];
  const bool quadratic = mesh.element_type == mesh::ElementType::Hex20;
  std::map<std::array<std::int64_t, 4>, std::pair<int, std::vector<std::int64_t>>>
      faces;  // sorted corners → (count, nodes)
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    if (mesh.joint_of_element[e] != joint_index || !between_pads(mesh, e, joint)) continue;
    const std::int64_t* n = mesh.element_nodes(e);
    for (const auto& face : kFaces) {
      std::array<std::int64_t, 4> key{n[face[0]], n[face[1]], n[face[2]], n[face[3]]};
      std::sort(key.begin(), key.end());
      auto& entry = faces[key];
      ++entry.first;
      if (entry.second.empty())
        for (int i = 0; i < (quadratic ? 8 : 4); ++i) entry.second.push_back(n[face[static_cast<std::size_t>(i)]]);
    }
  }
  std::vector<std::int64_t> surface;
  for (const auto& [key, entry] : faces) {
    if (entry.first != 1) continue;  // shared by two elements of the joint: inside
    bool in_lower = true, in_upper = true;
    for (std::int64_t node : entry.second) {
      const double z = mesh.nodes_m[static_cast<std::size_t>(node)][2];
      in_lower = in_lower && std::abs(z - joint.lower_z_m) < 1e-12;
      in_upper = in_upper && std::abs(z - joint.upper_z_m) < 1e-12;
    }
    if (in_lower || in_upper) continue;
    surface.insert(surface.end(), entry.second.begin(), entry.second.end());
  }
  std::sort(surface.begin(), surface.end());
  surface.erase(std::unique(surface.begin(), surface.end()), surface.end());
  return surface;
}

double joint_volume_between_pads_m3(const mesh::Mesh& mesh, int joint) {
  double volume = 0;
  for (std::size_t e = 0; e < mesh.n_elements(); ++e)
    if (mesh.joint_of_element[e] == joint && between_pads(mesh, e, mesh.joints[static_cast<std::size_t>(joint)]))
      volume += mesh::element_volume_m3(mesh, e);
  return volume;
}

std::vector<double> volume_by_material_above(const mesh::Mesh& mesh, double z_from_m) {
  std::vector<double> volumes(mesh.materials.size(), 0.0);
  for (std::size_t e = 0; e < mesh.n_elements(); ++e)
    if (mesh::element_centroid_m(mesh, e)[2] > z_from_m)
      volumes[static_cast<std::size_t>(mesh.material_of_element[e])] += mesh::element_volume_m3(mesh, e);
  return volumes;
}

}  // namespace wlp::test
