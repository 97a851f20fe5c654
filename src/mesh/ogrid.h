// The O-grid cell around a bump site (internal to the mesher): a pitch × pitch square whose
// centre is a block of eight right triangles (O, side midpoint, corner), then rings of nodes on
// circles (the radii where the device, the joint or the board change material), then loops
// that blend the last circle into the cell's square boundary.
//
// Every loop has 4m nodes on the same rays θ_j = −135° + j·90°/m, so the cell is symmetric
// under the eight symmetries of the square and the axes and diagonals through the site are
// mesh lines: a symmetry plane through a site cuts along element faces (m = 2n, n ≥ 2).
#pragma once

#include <vector>

#include "mesh/xy_mesh.h"

namespace wlp::mesh::detail {

struct OgridCell {
  int site = 0;                        // index of the site (tags the nodes that follow its radial map)
  Xy centre;                           // metres, model frame
  double half_pitch_m = 0;             // half the side of the cell square
  int half_side_segments = 2;          // n: m = 2n segments per side of the cell square, 4m per circle
  double inner_half_m = 0;             // half side of the central square block
  std::vector<double> circle_radii_m;  // ascending; the last is the largest mapped radius
  int n_blend_loops = 1;               // loops from the last circle to the cell square, the square included
};

/// Adds the cell's nodes and quads. Nodes up to the last circle are tagged with the site and
/// their polar coordinates (exact on the circles); the blend loops and the square are fixed.
void add_ogrid_cell(XyMesh& mesh, const OgridCell& cell);

}  // namespace wlp::mesh::detail
