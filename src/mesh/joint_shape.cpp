#include "mesh/joint_shape.h"

#include <algorithm>
#include <cmath>

#include "process/solder_shape.h"

namespace wlp::mesh {

double JointShape::radius_at(double height_m) const {
  const double from_centre = height_m - centre_above_lower_m;
  // (R − d)(R + d) rather than R² − d²: accurate near the poles.
  const double squared = (sphere_radius_m - from_centre) * (sphere_radius_m + from_centre);
  return std::sqrt(std::max(0.0, squared));
}

double JointShape::max_radius_m() const {
  const bool equator_between_pads = centre_above_lower_m > 0 && centre_above_lower_m < standoff_m;
  return equator_between_pads ? sphere_radius_m : std::max(upper_pad_radius_m, lower_pad_radius_m);
}

JointShape reflowed_joint_shape(const JointShapeInput& input) {
  // process::joint_zone names the pads bottom (board, b) and top (device, a).
  const process::JointZone zone =
      process::joint_zone(input.volume_m3, input.lower_pad_radius_m, input.upper_pad_radius_m);
  JointShape shape;
  shape.upper_pad_radius_m = input.upper_pad_radius_m;
  shape.lower_pad_radius_m = input.lower_pad_radius_m;
  shape.volume_m3 = input.volume_m3;
  shape.standoff_m = zone.standoff_m;
  shape.sphere_radius_m = zone.sphere_radius_m;
  shape.centre_above_lower_m = zone.centre_above_bottom_m;
  return shape;
}

}  // namespace wlp::mesh
