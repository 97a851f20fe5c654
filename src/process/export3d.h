// 3D output of a built structure: VTU (VTK unstructured grid, opens in ParaView) and one STL
// per material. The input is a list of prisms (an xy region extruded between two heights),
// which is what the wafer model's columns are; the writers know nothing of the model.
//
// Regions (polygons with holes, int64 nm) are cut into trapezoids by horizontal slabs through
// every vertex (a sweep: no triangulation library needed, holes handled by even-odd pairing);
// each trapezoid extruded is a hexahedron (VTK_HEXAHEDRON) or, when it degenerates to a
// triangle, a wedge (VTK_WEDGE). The cells of one column share their corner nodes.
//
// The STL of a material is the boundary of the material: the faces between it and anything
// else (another material or void). Faces between two pieces of the same material (stacked
// films, neighbouring cells) are not written, and every edge of a face ends at the vertices of
// the faces beside it (no T-junctions), so each file is a closed surface.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "layout/geometry.h"

namespace wlp::process {

/// A region extruded from z_bottom to z_top (nm), with a material and a film number.
struct Prism {
  const layout::Region* region = nullptr;
  layout::Nm z_bottom = 0, z_top = 0;
  int material = 0;  // index into the material names given to the writers
  int film = 0;
};

/// A trapezoid with horizontal top and bottom edges (x at y_lo: [x0_lo, x1_lo], at y_hi:
/// [x0_hi, x1_hi]); x0 <= x1 on both. One of the two edges may have zero length (a triangle).
struct Trapezoid {
  layout::Nm y_lo = 0, y_hi = 0;
  double x0_lo = 0, x1_lo = 0, x0_hi = 0, x1_hi = 0;  // nm (edge crossings are not on the grid)
};

/// Decomposition of a region into trapezoids whose union is the region (areas add up exactly
/// up to rounding). Polygons may have holes; overlapping polygons are counted by even-odd.
std::vector<Trapezoid> trapezoids(const layout::Region& region);

/// Area of a trapezoid in µm².
double trapezoid_area_um2(const Trapezoid& t);

struct Export3dStats {
  std::size_t points = 0, cells = 0, triangles = 0;
  double volume_m3 = 0;  // total volume written
};

/// Writes a VTU file (VTK XML UnstructuredGrid, arrays as raw binary appended data) with cell
/// data "material" (int), "film" (int) and a field-data array of material names. Coordinates
/// in µm. Prisms sharing a region (the same pointer) form one column whose cells share nodes.
/// Streamed (memory does not grow with the file) and atomic.
Export3dStats write_vtu(const std::filesystem::path& path, const std::vector<Prism>& prisms,
                        const std::vector<std::string>& material_names);

/// Writes one binary STL per material into `folder` as "<material>.stl" (coordinates in µm);
/// returns the files written. Atomic writes, streamed one material at a time.
///
/// Each file bounds the material: its facets are the faces between the material and anything
/// else, none between two of its films or two of its cells. Every directed edge of a facet is
/// met by the same edge reversed as often in other facets (closed, consistently oriented, no
/// T-junctions: an edge is split wherever a face beside it has a vertex), and the normals point
/// out, so the divergence theorem gives the material's volume. An edge has more than two facets
/// only where two pieces of the material meet along a line and nowhere else, or around an
/// overlap (below). Facets whose float corners coincide are dropped (their other edges cancel);
/// float rounding may turn over a sliver narrower than about 0.1 nm (its normal follows its
/// corners, as every facet's does).
///
/// Prisms with the same region pointer form one column; its intervals of one material are
/// merged. Where prisms of one material with different regions overlap (Clipper's rounding
/// leaves sub-nm slivers between the model's cells), each is bounded on its own: the surface
/// stays closed and holds the sum of their volumes, as the model's film volumes count them.
/// A region's edges must not cross between its vertices' heights (std::invalid_argument) and
/// coordinates must stay below 2^30 nm. Regions of different materials may overlap freely.
std::vector<std::filesystem::path> write_stl_per_material(const std::filesystem::path& folder,
                                                          const std::vector<Prism>& prisms,
                                                          const std::vector<std::string>& material_names);

}  // namespace wlp::process
