// The package mesher: checks and joints (assembly.cpp), circles (ring_plan.cpp), the footprint
// (footprint.cpp, ogrid.cpp), z-planes (z_planes.cpp), hexahedra (hex_builder.cpp) and
// constraints (constraints.cpp), in that order.
#include "mesh/package_mesh.h"

#include <algorithm>
#include <cmath>

#include "mesh/assembly.h"
#include "mesh/column_index.h"
#include "mesh/constraints.h"
#include "mesh/footprint.h"
#include "mesh/hex_builder.h"
#include "mesh/ring_plan.h"
#include "mesh/z_planes.h"

namespace wlp::mesh {

namespace {

using namespace detail;

/// What the refinement parameter r sets (docs/mesh.md, "Sizes"). Most elements of a package
/// lie in slabs that span the whole footprint (laminate, die, the device's films), so the
/// in-plane count rises slowly with r and the joint (what the life models read) fastest.
struct Resolution {
  int segments_per_pitch = 4;  // m = 2(1 + ⌈r/2⌉): 4, 4, 6, 6, 8 ...; 4m nodes on every circle
  double ring_factor = 1;      // ring thickness over its element length around: 4/(3 + r)
  int joint_bulk_layers = 2;   // r + 1 between the two interface layers
  double thick_fraction = 1;   // laminate and die: elements no taller than 1/(1 + r) of them
  double growth = 3;           // neighbouring heights in thick layers: max(1.6, 3.5 − r/2)
};

Resolution resolution_for(int r) {
  Resolution res;
  res.segments_per_pitch = 2 * (1 + (r + 1) / 2);
  res.ring_factor = 4.0 / (3 + r);
  res.joint_bulk_layers = r + 1;
  res.thick_fraction = 1.0 / (1 + r);
  res.growth = std::max(1.6, 3.5 - 0.5 * r);
  return res;
}

int segments_per_pitch(const MeshOptions& options) { return resolution_for(options.refinement).segments_per_pitch; }

RingPlan rings_for(const Assembly& a, const ColumnIndex& columns, const design::Design& design,
                   const MeshOptions& options) {
  const ArrayCell& site = a.cells[static_cast<std::size_t>(a.representative)];
  double widest = 0;
  for (const ArrayCell& cell : a.cells)
    if (cell.is_joint()) widest = std::max(widest, cell.shape.max_radius_m());
  RingPlanInput in;
  in.columns = &columns;
  in.site_die_nm = site.die_nm;
  in.wetted_z_nm = a.wetted_process_nm;
  in.wetted_radius_m = site.device_ring_m;
  in.board_pad_radius_m = a.board_pad_radius_m;
  in.mask_opening_radius_m = a.mask_opening_radius_m;
  in.joint_max_radius_m = widest;
  in.half_pitch_m = design.bumps->pitch_m / 2;
  in.segments_per_side = segments_per_pitch(options);
  in.ring_factor = resolution_for(options.refinement).ring_factor;
  in.merge_tolerance_m = options.radius_merge_tolerance_m;
  return plan_rings(in);
}

AxisSpec axis_spec(double lo, double hi, double die_half, int n_cells, const design::Design& design,
                   const MeshOptions& options) {
  AxisSpec axis;
  axis.lo_m = lo, axis.hi_m = hi;
  axis.breaks_m = {-die_half, die_half};
  axis.pitch_m = design.bumps->pitch_m;
  axis.n_cells = n_cells;
  axis.lattice_lo_m = -0.5 * n_cells * axis.pitch_m;
  axis.segments_per_cell = segments_per_pitch(options);
  axis.growth = 1.4;
  axis.max_segment_m = 4 * axis.pitch_m / axis.segments_per_cell;
  return axis;
}

FootprintSpec footprint_spec(const Assembly& a, const RingPlan& rings, const design::Design& design,
                             const MeshOptions& options) {
  FootprintSpec spec;
  const design::BumpArray& bumps = *design.bumps;
  spec.x = axis_spec(a.x_lo_m, a.x_hi_m, a.die_half_x_m, bumps.n_columns, design, options);
  spec.y = axis_spec(a.y_lo_m, a.y_hi_m, a.die_half_y_m, bumps.n_rows, design, options);
  for (std::size_t i = 0; i < a.cells.size(); ++i) {
    const ArrayCell& cell = a.cells[i];
    OgridCell ogrid;
    ogrid.site = static_cast<int>(i);
    ogrid.centre = cell.centre;
    ogrid.half_pitch_m = bumps.pitch_m / 2;
    ogrid.half_side_segments = segments_per_pitch(options) / 2;
    ogrid.inner_half_m = rings.inner_half_fraction * cell.device_ring_m;
    ogrid.circle_radii_m = rings.circle_radii(cell.device_ring_m);
    ogrid.n_blend_loops = rings.n_blend_loops;
    spec.cells.push_back(ogrid);
  }
  spec.symmetry = options.symmetry;
  spec.cut_to_symmetry = options.extent == MeshExtent::Package && options.symmetry != Symmetry::Full;
  spec.array_edge_m = 0.5 * bumps.n_columns * bumps.pitch_m;
  spec.die_edge_m = a.die_half_x_m;
  return spec;
}

StackPlan stack_for(const Assembly& a, const design::Design& design, const process::WaferModel& built,
                    const MeshOptions& options) {
  const design::Board& board = *design.board;
  StackInput in;
  in.board_thickness_m = board.thickness_m;
  in.copper_thickness_m = board.copper_thickness_m;
  in.mask_thickness_m = board.solder_mask_thickness_m;
  in.standoff_m = a.standoff_m;
  in.interface_m = options.interface_layer_thickness_m;
  const ArrayCell& site = a.cells[static_cast<std::size_t>(a.representative)];
  const layout::Nm half_pitch = layout::to_nm(design.bumps->pitch_m / 2);
  DevicePlaneInput planes;
  planes.die_back_nm = -layout::to_nm(design.die.thickness_m);
  planes.z_cap_nm = a.wetted_process_nm;
  planes.site_box = layout::Box{{site.die_nm.x - half_pitch, site.die_nm.y - half_pitch},
                                {site.die_nm.x + half_pitch, site.die_nm.y + half_pitch}};
  planes.merge_nm = std::max<layout::Nm>(1, layout::to_nm(options.plane_merge_tolerance_m));
  planes.remote_merge_nm = std::max(planes.merge_nm, layout::to_nm(options.remote_plane_merge_tolerance_m));
  in.device_planes_nm = device_planes(built, planes);
  const Resolution res = resolution_for(options.refinement);
  in.in_plane_size_m = design.bumps->pitch_m / res.segments_per_pitch;
  in.laminate_max_m = board.thickness_m * res.thick_fraction;
  in.die_max_m = design.die.thickness_m * res.thick_fraction;
  in.joint_bulk_layers = res.joint_bulk_layers;
  in.growth = res.growth;
  return plan_stack(in);
}

std::string role_of(LayerKind kind) {
  switch (kind) {
    case LayerKind::Laminate:
      return "laminate";
    case LayerKind::BoardSurface:
      return "board surface";
    case LayerKind::JointBoardInterface:
      return "joint board interface";
    case LayerKind::JointBulk:
      return "joint bulk";
    case LayerKind::JointDeviceInterface:
      return "joint device interface";
    case LayerKind::Device:
      return "device";
  }
  return "device";
}

PackageFrame frame_of(const StackPlan& stack, const design::Design& design) {
  PackageFrame frame;
  frame.board_bottom_z_m = stack.planes.front().z_m;
  frame.pad_top_z_m = stack.pad_top_z_m;
  frame.wetted_z_m = stack.wetted_z_m;
  frame.die_surface_z_m = stack.device_z_m(0);
  frame.die_back_z_m = stack.device_z_m(-static_cast<double>(layout::to_nm(design.die.thickness_m)));
  frame.wetted_process_z_m = stack.wetted_process_nm * 1e-9;
  return frame;
}

}  // namespace

PackageMesh mesh_package(const design::Design& design, const process::WaferModel& built, const MeshOptions& options) {
  const Assembly assembly = assemble(design, built, options);
  const ColumnIndex columns(built);
  const RingPlan rings = rings_for(assembly, columns, design, options);
  const XyMesh footprint = build_footprint(footprint_spec(assembly, rings, design, options));
  const StackPlan stack = stack_for(assembly, design, built, options);
  PackageMesh result;
  result.mesh = build_hexes(HexInput{&design, &built, &options, &assembly, &footprint, &rings, &stack, &columns});
  add_constraints(result.mesh, stack.planes.front().z_m);
  result.frame = frame_of(stack, design);
  for (const Layer& layer : stack.layers)
    result.slabs.push_back(
        MeshSlab{stack.planes[layer.bottom].z_m, stack.planes[layer.bottom + 1].z_m, role_of(layer.kind)});
  result.device_feature_radii_m = rings.device_radii_m;
  result.circle_radii_m =
      rings.circle_radii(assembly.cells[static_cast<std::size_t>(assembly.representative)].device_ring_m);
  return result;
}

layout::Box build_window_for(const design::Design& design, const layout::DieLayout& layout, Symmetry symmetry) {
  const layout::Nm half_street = layout.street / 2;
  layout::Box window{{layout.die.lo.x - half_street, layout.die.lo.y - half_street},
                     {layout.die.hi.x + half_street, layout.die.hi.y + half_street}};
  if (symmetry == Symmetry::Full) return window;
  // The model's x ≥ 0, y ≥ 0 is the die's x ≥ 0, y ≤ 0 (the die is turned over about x).
  bool sites_on_x0 = false, sites_on_y0 = false;
  if (design.bumps)
    for (const design::BumpSite& s : design.bumps->sites)
      sites_on_x0 = sites_on_x0 || layout::to_nm(s.x_m) == 0, sites_on_y0 = sites_on_y0 || layout::to_nm(s.y_m) == 0;
  const layout::Nm half_pitch = design.bumps ? layout::to_nm(design.bumps->pitch_m / 2) : 0;
  window.lo.x = sites_on_x0 ? -half_pitch : 0;
  window.hi.y = sites_on_y0 ? half_pitch : 0;
  return window;
}

}  // namespace wlp::mesh
