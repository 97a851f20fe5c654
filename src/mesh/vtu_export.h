// A mesh as a VTK unstructured grid (.vtu, XML, ASCII), for ParaView: points in metres, one
// VTK_HEXAHEDRON (12) or VTK_QUADRATIC_HEXAHEDRON (25) per element (the mesh's node order is
// VTK's), cell data "material" (index into Mesh::materials, listed in a comment at the top),
// "joint" (−1 outside the joints) and "joint_zone" (JointZone as an integer), plus any fields
// the caller adds: displacements at the nodes, von Mises stress or dissipated energy per element.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "mesh/mesh.h"

namespace wlp::mesh {

/// Values at the nodes (n_nodes × n_components, node-major) or at the elements.
struct VtuField {
  std::string name;
  int n_components = 1;
  std::vector<double> values;
};

struct VtuFields {
  std::vector<VtuField> point_data;  // per node
  std::vector<VtuField> cell_data;   // per element
};

/// The file's text. Throws std::invalid_argument when a field's size does not match the mesh.
std::string vtu_text(const Mesh& mesh, const VtuFields& fields = {});

/// Writes the file atomically (temporary + rename). Throws std::invalid_argument for a field
/// of the wrong size, std::runtime_error when the file cannot be written.
void write_vtu(const Mesh& mesh, const std::filesystem::path& path, const VtuFields& fields = {});

}  // namespace wlp::mesh
