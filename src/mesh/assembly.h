// What goes into the package model before any element exists (internal to the mesher): the
// checks that the package can be meshed as asked, the array cells (each an O-grid cell), the
// joints reflowed on the board with their symmetry weights, and the footprint.
#pragma once

#include <string>
#include <vector>

#include "design/design.h"
#include "mesh/joint_shape.h"
#include "mesh/mesh.h"
#include "mesh/package_mesh.h"
#include "mesh/xy_mesh.h"
#include "process/wafer_model.h"

namespace wlp::mesh::detail {

/// One cell of the bump array: an O-grid in the xy mesh.
struct ArrayCell {
  std::string site;          // land name
  Xy centre;                 // model frame
  layout::Point die_nm;      // the same point in the die frame
  bool has_pad = false;      // populated: a ball on the device, a pad on the board
  int joint = -1;            // index into Assembly::joints when the joint is modelled
  double device_ring_m = 0;  // radius of the joint ring on the device planes (wetted radius a)
  JointShape shape;          // the reflowed joint (joint ≥ 0)
  std::string solder;        // the joint's material id (joint ≥ 0)
  [[nodiscard]] bool is_joint() const { return joint >= 0; }
};

struct Assembly {
  std::vector<ArrayCell> cells;  // every array cell the footprint holds
  std::vector<Joint> joints;
  int representative = -1;  // a cell with a joint built whole: rings are measured there
  double standoff_m = 0;
  layout::Nm wetted_process_nm = 0;  // the wetted plane of the bumps (build frame)
  double board_pad_radius_m = 0, mask_opening_radius_m = 0;
  double board_margin_m = 0;
  // Footprint, model frame: the board's extent and the die's.
  double x_lo_m = 0, x_hi_m = 0, y_lo_m = 0, y_hi_m = 0;
  double die_half_x_m = 0, die_half_y_m = 0;
};

/// Checks the design and the built model against the options and collects the array cells and
/// joints. Throws MeshError with the numbers when something does not fit.
Assembly assemble(const design::Design& design, const process::WaferModel& built, const MeshOptions& options);

}  // namespace wlp::mesh::detail
