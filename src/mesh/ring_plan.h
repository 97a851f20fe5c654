// Where the circles of the O-grid cells go (internal to the mesher). The circles sit where the
// built device changes material around a bump site (found by casting rays through the built
// model: only radii met at the same distance in every direction are circles; an RDL trace is
// not), where the board changes (pad edge, solder-mask opening), at the joint, and in between
// so that no ring is much thicker than its elements are wide.
//
// One ring is the joint's surface: it lies on the wetted circle (radius a) in the device
// planes, on the board pad rim (b) in the board planes and on the sphere r(z) in between. The
// other rings are kept as fractions: inside the joint ring a ring at fraction s lies at s·r_J;
// outside, at r_J + t·(ρ_L − r_J), where ρ_L is the last circle (t = 1) and r_J the joint
// ring's radius on that plane. So every plane's circles follow from r_J alone.
#pragma once

#include <vector>

#include "mesh/column_index.h"

namespace wlp::mesh::detail {

struct RingPlanInput {
  const ColumnIndex* columns = nullptr;
  layout::Point site_die_nm;         // a site whose cell the build covers completely (die frame)
  layout::Nm wetted_z_nm = 0;        // material at or above it (the ball) is not the device's
  double wetted_radius_m = 0;        // a
  double board_pad_radius_m = 0;     // b
  double mask_opening_radius_m = 0;  // 0 when no opening circle matters
  double joint_max_radius_m = 0;     // widest circle of the reflowed joint
  double half_pitch_m = 0;
  int segments_per_side = 4;        // m: 4m nodes per circle
  double ring_factor = 1;           // ring thickness over the element length around it
  double merge_tolerance_m = 2e-6;  // features closer than this share one circle
};

struct RingPlan {
  std::vector<double> inner_fractions;  // ascending in (0, 1): rings inside the joint ring
  std::vector<double> outer_fractions;  // ascending in (0, 1]: rings outside; the last is 1 (ρ_L)
  double last_circle_m = 0;             // ρ_L, the same on every plane
  double inner_half_fraction = 0;       // half side of the central square block over a
  int n_blend_loops = 1;                // from ρ_L to the cell square
  std::vector<double> device_radii_m;   // circular device features found (after merging)

  /// Circle radii, ascending, of a cell whose joint ring has radius `joint_ring_m` on a plane.
  [[nodiscard]] std::vector<double> circle_radii(double joint_ring_m) const;
  /// Where a point at radius `rho_m` of the device planes (joint ring at `device_ring_m`) lies
  /// on a plane whose joint ring has radius `plane_ring_m`: linear between the rings.
  [[nodiscard]] double mapped_radius(double rho_m, double device_ring_m, double plane_ring_m) const;
};

/// Throws MeshError when the joint reaches the last circle the cell can hold.
RingPlan plan_rings(const RingPlanInput& input);

}  // namespace wlp::mesh::detail
