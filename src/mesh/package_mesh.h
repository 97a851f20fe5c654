// The assembled package as a hexahedral mesh: the device as built (a wafer model from
// src/process), flipped onto the board, each joint reflowed between the device's wetted UBM or
// land and its board pad, the board with its pads and solder mask. docs/mesh.md describes the
// method, the options and the frame.
//
// Frame (Mesh): metres, z = 0 on top of the board laminate, the board below, the device above
// it bump side down. The device is turned over about the x axis: a point (x, y) of the die
// frame (design coordinates, seen from the bump side) is at (x, −y) in the model, and a height
// z of the build frame (die surface 0, bumps up) is at wetted_z_m + (z_wetted − z).
//
// Level: basic. Related: measure_quality (quality.h), write_vtu (vtu_export.h), write_inp
// (inp_export.h), reflowed_joint_shape (joint_shape.h).
#pragma once

#include <string>
#include <vector>

#include "design/design.h"
#include "layout/die_layout.h"
#include "mesh/mesh.h"
#include "process/wafer_model.h"

namespace wlp::mesh {

/// What the mesh covers: the package (whole, or its symmetric part, with the board beyond the
/// die), or exactly the window the model was built on (a unit cell for tests; no symmetry).
enum class MeshExtent { Package, BuiltWindow };

struct MeshOptions {
  Symmetry symmetry = Symmetry::Quarter;
  /// 1 coarse (tests), 2, 3 ... finer: 4·refinement element edges per pitch along the cell
  /// side, 16·refinement around every circle, and heights scaled alike.
  int refinement = 1;
  ElementType element_type = ElementType::Hex8;
  /// The layer of elements at each end of every joint, for energy averaging (Darveaux 2000).
  double interface_layer_thickness_m = 25.4e-6;
  MeshExtent extent = MeshExtent::Package;
  /// How far the board reaches beyond the die edge.
  double board_margin_m = 1e-3;
  /// Device planes closer than this are one plane (thinner films merge into a neighbour).
  double plane_merge_tolerance_m = 0.05e-6;
  /// Planes found only away from the bump sites (films over the edge pads, a resin surface
  /// that follows the traces) are dropped within this distance of a kept plane: they would
  /// otherwise add a slab of elements across the whole die for a sub-micron step at its edge.
  double remote_plane_merge_tolerance_m = 0.5e-6;
  /// Circular features closer than this share one circle of the O-grid.
  double radius_merge_tolerance_m = 2e-6;
  std::string board_pad_material = "Cu_foil";
  std::string solder_mask_material = "solder_mask";
};

/// Heights of the assembled stack (model frame, metres).
struct PackageFrame {
  double board_bottom_z_m = 0;
  double pad_top_z_m = 0;      // board pad top: the joints' lower plane
  double wetted_z_m = 0;       // the device's wetted UBM / land plane: the joints' upper plane
  double die_surface_z_m = 0;  // the die's active surface (build frame z = 0)
  double die_back_z_m = 0;
  double wetted_process_z_m = 0;  // the wetted plane in the build frame (die surface 0, bumps up)
};

/// A slab of elements between two z-planes and what fills it.
struct MeshSlab {
  double z_bottom_m = 0, z_top_m = 0;
  std::string role;  // "laminate", "board surface", "joint board interface", "joint bulk",
                     // "joint device interface", "device"
};

struct PackageMesh {
  Mesh mesh;
  PackageFrame frame;
  std::vector<MeshSlab> slabs;                 // bottom up
  std::vector<double> device_feature_radii_m;  // the circular features found around a site
  std::vector<double> circle_radii_m;          // the O-grid circles of a site in the device planes
};

/// Meshes the package. `built` is the design's model after run_recipe, on a window that
/// covers build_window_for(design, layout, options.symmetry) for MeshExtent::Package (or
/// any window for MeshExtent::BuiltWindow). Throws MeshError: a symmetric model of an
/// asymmetric package, a window that misses part of the model, an interconnect the mesher
/// does not model (unreflowed balls, SMD pads), a joint too short for its interface layers or
/// too wide for its cell.
PackageMesh mesh_package(const design::Design& design, const process::WaferModel& built, const MeshOptions& options);

/// The build window (die frame, nm) a model needs for a symmetry: the whole die for Full, the
/// quadrant that becomes x ≥ 0, y ≥ 0 of the model for Quarter and Eighth, widened by half a
/// pitch across a symmetry plane that runs through bump sites so their cells are built whole.
layout::Box build_window_for(const design::Design& design, const layout::DieLayout& layout, Symmetry symmetry);

}  // namespace wlp::mesh
