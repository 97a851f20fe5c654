// Mesh quality and bookkeeping: the scaled Jacobian at the eight corners of every hexahedron
// (Knupp, "Achieving finite element mesh quality via optimization of the Jacobian matrix norm
// and associated quantities", Int. J. Numer. Meth. Eng. 48 (2000) 1165; the corner ordering of
// the Verdict library, Stimpson et al., Sandia 2007), the edge aspect ratio, and the count and
// volume of the elements of every material.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "mesh/mesh.h"

namespace wlp::mesh {

/// Where an element is: its index, centroid (model frame, m), material and joint.
struct ElementPlace {
  std::size_t element = 0;
  std::array<double, 3> centroid_m{};
  std::string material;
  int joint = -1;
};

struct MaterialTally {
  std::string material;
  std::size_t n_elements = 0;
  double volume_m3 = 0;
  double min_scaled_jacobian = 1;  // over this material's elements
  double max_aspect_ratio = 1;     // thin films are flat by nature: their aspect is their width over thickness
};

struct MeshQuality {
  std::size_t n_nodes = 0, n_elements = 0, n_dofs = 0;
  /// Smallest over all elements and corners of det[e1 e2 e3] / (|e1||e2||e3|), e the three
  /// edges leaving the corner: 1 for a right-angled corner, ≤ 0 for an inverted one.
  double min_scaled_jacobian = 1;
  ElementPlace worst_jacobian;
  std::size_t n_inverted = 0;  // elements with a corner at or below zero
  /// Largest over all elements of the longest over the shortest of its 12 edges (corner to corner).
  double max_aspect_ratio = 1;
  ElementPlace worst_aspect;
  std::vector<MaterialTally> materials;  // in Mesh::materials order
  double volume_m3 = 0;
};

/// Measures every element. Level: basic.
MeshQuality measure_quality(const Mesh& mesh);

/// Volume of one element by Gauss quadrature of det J (exact for Hex8 with 2×2×2 points, for
/// Hex20 with 4×4×4).
double element_volume_m3(const Mesh& mesh, std::size_t element);
/// Scaled Jacobian of one element (minimum over its corners).
double element_scaled_jacobian(const Mesh& mesh, std::size_t element);
/// Centroid of the corner nodes.
std::array<double, 3> element_centroid_m(const Mesh& mesh, std::size_t element);

}  // namespace wlp::mesh
