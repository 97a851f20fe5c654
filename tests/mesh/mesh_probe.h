// Reading a mesh back for tests: which elements stand over a point, the boundary faces of a
// joint, volumes by material. Plain geometry on the mesh's arrays, independent of the mesher.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "mesh/mesh.h"

namespace wlp::test {

/// A run of elements of one material along a vertical line.
struct Span {
  double z_bottom_m = 0, z_top_m = 0;
  std::string material;
  int n_elements = 0;
};

/// The elements whose bottom face contains (x, y) (vertical-sided elements: device and board),
/// with z_bottom ≥ `z_from_m`, bottom up, consecutive ones of one material merged.
std::vector<Span> mesh_column(const mesh::Mesh& mesh, double x_m, double y_m, double z_from_m);

/// Node ids on the lateral surface of a joint: boundary faces of its elements between its
/// two pad planes that do not lie in either plane (mid-edge nodes included for Hex20).
std::vector<std::int64_t> joint_surface_nodes(const mesh::Mesh& mesh, int joint);

/// Volume of the elements of a joint whose centroid lies between its pad planes.
double joint_volume_between_pads_m3(const mesh::Mesh& mesh, int joint);

/// Volume per material of the elements whose centroid lies above `z_from_m`.
std::vector<double> volume_by_material_above(const mesh::Mesh& mesh, double z_from_m);

}  // namespace wlp::test
