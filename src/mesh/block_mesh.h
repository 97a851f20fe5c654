// A layered box of hexahedra for solver tests: stacked layers (bottom to top), each with its
// material and element count through its thickness, nx × ny elements in plane, optional grading,
// optional random distortion of the interior nodes (patch tests), Hex8 or Hex20.
//
// Frame: metres, z up, the bottom face at z = 0. A full block spans x ∈ [−Lx/2, Lx/2],
// y ∈ [−Ly/2, Ly/2] and is held by a statically determinate 3-2-1 support (no reaction to a
// free thermal expansion). A block symmetric at x = 0 spans x ∈ [0, Lx] and gets u_x = 0 on
// that plane (likewise y); a quarter plate (both) is held in z at the node (0, 0, 0) only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mesh/mesh.h"

namespace wlp::mesh {

/// One layer of the stack.
struct BlockLayer {
  double thickness_m = 0;
  int material = 0;         // index into BlockMeshSpec::materials
  int n_elements = 1;       // elements through the thickness
  double grading = 1;       // size of the top element / size of the bottom element
};

struct BlockMeshSpec {
  double length_x_m = 0, length_y_m = 0;  // the modelled extent (a symmetric block: from the plane outwards)
  int n_x = 1, n_y = 1;
  double grading_x = 1, grading_y = 1;    // size of the last (largest x, y) element / size of the first
  std::vector<BlockLayer> layers;         // bottom to top
  std::vector<std::string> materials;     // names stored in Mesh::materials
  ElementType element_type = ElementType::Hex8;
  bool symmetric_at_x0 = false;           // model x ≥ 0 with u_x = 0 at x = 0
  bool symmetric_at_y0 = false;           // model y ≥ 0 with u_y = 0 at y = 0
  double distortion = 0;                  // interior corner nodes move up to this fraction of the local spacing
  std::uint64_t distortion_seed = 1;
};

/// The mesh of the block. Throws std::invalid_argument on a non-positive size or count, or a
/// distortion ≥ 0.5 (elements could fold).
Mesh make_block_mesh(const BlockMeshSpec& spec);

/// Indices of the nodes on the outer surface of a block mesh (its bounding box), e.g. to prescribe
/// a displacement field there in a patch test.
std::vector<std::int64_t> boundary_nodes(const Mesh& mesh);

}  // namespace wlp::mesh
