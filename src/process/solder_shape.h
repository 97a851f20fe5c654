// Solder shapes after reflow: the truncated sphere at constant volume, pinned on circular pads.
//
// Gravity and the die's weight are negligible for wafer-level balls (Bond number ~2e-3), so a
// molten joint with pinned contact lines is a sphere cut by the pad planes (Goldmann 1969;
// Heinrich et al. 1996). Closed forms (../shared/reference/process-layout-survey.md §5.2):
//   bump on one pad, radius a, height h:   V = (π h / 6)(3 a² + h²)
//   joint between pads a1 (bottom), a2 (top), standoff H:   V = (π H / 6)(3 a1² + 3 a2² + H²)
// both solved for the height by Cardano's formula (one real root of a depressed cubic).
// Everything here is SI (m, m³).
#pragma once

#include <string>

namespace wlp::process {

/// A bump reflowed on one wettable pad (wafer-level reflow, before board assembly).
struct BumpCap {
  double pad_radius_m = 0;
  double volume_m3 = 0;
  double height_m = 0;         // apex above the pad plane
  double sphere_radius_m = 0;  // R = (a² + h²) / (2 h)
  double max_diameter_m = 0;   // 2R when the cap passes its equator (h > R), else 2a
  double contact_angle_deg = 0;  // through the solder at the pad edge
};

/// Cap of volume `volume_m3` on a pad of radius `pad_radius_m` (both > 0).
BumpCap bump_cap(double volume_m3, double pad_radius_m);

/// A joint between two parallel pads (board pad below, UBM or land above).
struct JointZone {
  double bottom_pad_radius_m = 0, top_pad_radius_m = 0;
  double volume_m3 = 0;
  double standoff_m = 0;             // H
  double centre_above_bottom_m = 0;  // c = (a2² − a1² + H²) / (2H)
  double sphere_radius_m = 0;        // R = √(a1² + c²)
  double max_diameter_m = 0;         // 2R for a barrel (0 < c < H), else 2·max(a1, a2)
  double bottom_angle_deg = 0;       // θ1 = 90° + asin(c/R)
};

/// Joint of volume `volume_m3` between pads of radii `bottom_pad_radius_m` and `top_pad_radius_m`.
JointZone joint_zone(double volume_m3, double bottom_pad_radius_m, double top_pad_radius_m);

/// Volume of a sphere of diameter d.
double sphere_volume_m3(double diameter_m);
/// Volume of a spherical cap of base radius a and height h: (π h / 6)(3 a² + h²).
double cap_volume_m3(double base_radius_m, double height_m);
/// Volume of a spherical zone between parallel circles of radii a1, a2 at distance H.
double zone_volume_m3(double radius1_m, double radius2_m, double height_m);
/// Half-width of a sphere of radius R, centred at height zc, at height z (0 outside).
double sphere_half_width_m(double sphere_radius_m, double centre_z_m, double z_m);

/// A Surface Evolver (.fe) model of a molten joint: a body of the given volume between a
/// bottom pad at z = 0 and a top pad whose height is optimized to zero force (or a bump on one
/// pad with a free top when `top_pad_radius_m` is 0). Lengths are written in µm. Used by the
/// tests as an independent oracle (`evolver -p1`); `print_command` prints the height.
std::string evolver_model(double volume_m3, double bottom_pad_radius_m, double top_pad_radius_m);
/// The command script that relaxes the model and prints "height = <µm>".
std::string evolver_script();

}  // namespace wlp::process
