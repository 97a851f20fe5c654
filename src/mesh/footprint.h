// The 2D mesh of the modelled footprint (internal to the mesher): a tensor grid of lines in x
// and y, uniform over the bump array (m segments per pitch, so it meets the O-grid cells node
// for node) and graded away from it, with the array cells replaced by O-grid cells; then cut
// to the symmetric part of the model.
#pragma once

#include <vector>

#include "mesh/mesh.h"
#include "mesh/ogrid.h"

namespace wlp::mesh::detail {

/// Grid lines along one axis.
struct AxisSpec {
  double lo_m = 0, hi_m = 0;     // extent of the footprint
  std::vector<double> breaks_m;  // lines that must exist (die edges)
  double lattice_lo_m = 0;       // first cell edge of the bump array
  int n_cells = 0;               // array cells along the axis
  double pitch_m = 0;
  int segments_per_cell = 4;  // m
  double growth = 1.4;        // size ratio of neighbouring segments away from the array
  double max_segment_m = 0;
};

/// Sorted grid lines; every break and lattice line inside the extent is one of them.
std::vector<double> axis_lines(const AxisSpec& spec);

struct FootprintSpec {
  AxisSpec x, y;
  std::vector<OgridCell> cells;  // every array cell inside the extent
  Symmetry symmetry = Symmetry::Full;
  bool cut_to_symmetry = false;  // keep x ≥ 0, y ≥ 0 (and y ≤ x); the mesh is built whole first
  double array_edge_m = 0;       // eighth: the square array's half width ...
  double die_edge_m = 0;         // ... the die's half width (both on the diagonal corner)
};

/// Builds the footprint mesh. Nodes on the cut planes are placed exactly on them.
XyMesh build_footprint(const FootprintSpec& spec);

}  // namespace wlp::mesh::detail
