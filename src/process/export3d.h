// 3D output of a built structure: VTU (VTK unstructured grid, opens in ParaView) and one STL
// per material. The input is a list of prisms (an xy region extruded between two heights),
// which is what the wafer model's columns are; the writers know nothing of the model.
//
// Regions (polygons with holes, int64 nm) are cut into trapezoids by horizontal slabs through
// every vertex (a sweep: no triangulation library needed, holes handled by even-odd pairing);
// each trapezoid extruded is a hexahedron (VTK_HEXAHEDRON) or, when it degenerates to a
// triangle, a wedge (VTK_WEDGE). STL facets are the closed surface of each prism.
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
/// in µm. Streamed (memory does not grow with the file) and atomic.
Export3dStats write_vtu(const std::filesystem::path& path, const std::vector<Prism>& prisms,
                        const std::vector<std::string>& material_names);

/// Writes one binary STL per material into `folder` as "<material>.stl" (coordinates in µm);
/// returns the files written. Atomic writes.
std::vector<std::filesystem::path> write_stl_per_material(const std::filesystem::path& folder,
                                                          const std::vector<Prism>& prisms,
                                                          const std::vector<std::string>& material_names);

}  // namespace wlp::process
