// The displacement constraints of a package mesh (internal to the mesher): symmetry planes and
// the supports that remove the remaining rigid-body motion without restraining free thermal
// expansion.
#pragma once

#include "mesh/mesh.h"

namespace wlp::mesh::detail {

/// Quarter: u_x = 0 on x = 0, u_y = 0 on y = 0, u_z = 0 at the board-bottom node on the
/// z axis. Eighth: u_y = 0 on y = 0, the nodes on x = y listed in diagonal_nodes (u_x = u_y),
/// u_z = 0 at the same node. Full: 3-2-1 on the board bottom — the node nearest the footprint's
/// centre fixed in x, y, z, the farthest one on its x line in y and z, the farthest on its y
/// line in z. `bottom_z_m` is the board bottom.
void add_constraints(Mesh& mesh, double bottom_z_m);

}  // namespace wlp::mesh::detail
