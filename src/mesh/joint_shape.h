// The shape of a solder joint after board assembly: the device bump, molten again, spans the
// wetted UBM / land circle of the device (radius a) and the board pad (radius b). Gravity is
// negligible at this scale (Bond number ~2e-3), so the free surface is a sphere through both
// pad rims and the joint a spherical zone of the bump's volume (Goldmann, IBM J. Res. Dev. 13
// (1969) 251; Heinrich et al., J. Electron. Packag. 118 (1996) 114):
//
//   V = (π H / 6)(3 a² + 3 b² + H²)                       zone volume, solved for the standoff H
//   c = (a² − b² + H²) / (2 H),  R = √(b² + c²)             sphere centre above the board pad, radius
//   r(h) = √(R² − (h − c)²)                                 surface radius at height h above the pad
//
// The cubic is solved by process::joint_zone (Cardano, no cancellation). SI throughout.
#pragma once

namespace wlp::mesh {

struct JointShapeInput {
  double upper_pad_radius_m = 0;  // a: the wetted UBM / land circle of the device
  double lower_pad_radius_m = 0;  // b: the board pad
  double volume_m3 = 0;           // solder between the two pad planes
};

struct JointShape {
  double upper_pad_radius_m = 0, lower_pad_radius_m = 0, volume_m3 = 0;
  double standoff_m = 0;            // H, board pad plane to wetted plane
  double sphere_radius_m = 0;       // R
  double centre_above_lower_m = 0;  // c (below 0 or above H when the joint narrows towards a pad)

  /// Radius of the free surface at `height_m` above the board pad plane (0 ≤ h ≤ H).
  [[nodiscard]] double radius_at(double height_m) const;
  /// The widest circle between the pads: the equator when it lies between them.
  [[nodiscard]] double max_radius_m() const;
};

/// The reflowed joint of a given volume between two pads. Throws std::invalid_argument for
/// non-positive or non-finite input.
JointShape reflowed_joint_shape(const JointShapeInput& input);

}  // namespace wlp::mesh
