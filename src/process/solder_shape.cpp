// Truncated-sphere solder shapes (closed forms) and the Surface Evolver model used to check them.
#include "process/solder_shape.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <numbers>
#include <stdexcept>

namespace wlp::process {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kUmPerM = 1e6;

double degrees(double radians) { return radians * 180.0 / kPi; }

// NaN and infinities fail too: a shape built from them would only propagate garbage.
void require_positive(const char* where, const char* name, double value) {
  if (!(std::isfinite(value) && value > 0))
    throw std::invalid_argument(fmt::format("{}: {} must be positive and finite, got {}", where, name, value));
}

// The volume formulas also accept zero (a cap on a point is a whole sphere, a zone with one
// zero radius is a cap), so only negative or non-finite values are errors there.
void require_non_negative(const char* where, const char* name, double value) {
  if (!(std::isfinite(value) && value >= 0))
    throw std::invalid_argument(fmt::format("{}: {} must be non-negative and finite, got {}", where, name, value));
}

// The real root of the depressed cubic h³ + 3w·h − 2q = 0 for w > 0, q > 0 (in the survey's
// notation p = 3w). The left side increases monotonically, so this root is the only real one.
//
// Cardano: h = ∛(q + √(q² + w³)) + ∛(q − √(q² + w³)). The two cube roots u and v satisfy
// u·v = −w, so h = u − w/u; and since u³ − (w/u)³ = 2q, also h = 2q / (u² + w + w²/u²),
// a sum of positive terms: no cancellation when h is small against the pad (the second
// cube root of the textbook form nearly cancels the first there). Scaling lengths by √w first
// keeps q² and w³ far from overflow or underflow for SI inputs (w³ ~ 1e-24 m⁶ for a 100 µm pad).
double cardano_root(double w, double q) {
  const double length = std::sqrt(w);
  const double big_q = q / (length * length * length);  // cubic becomes x³ + 3x − 2Q = 0
  const double u = std::cbrt(big_q + std::hypot(big_q, 1.0));
  const double u2 = u * u;
  return length * (2 * big_q / (u2 + 1 + 1 / u2));
}

// 6V/π = 2q: the constant term of both height equations.
double cardano_q(double volume_m3) { return 3 * volume_m3 / kPi; }

}  // namespace

double sphere_volume_m3(double diameter_m) {
  require_positive("sphere_volume_m3", "diameter_m", diameter_m);
  return kPi * diameter_m * diameter_m * diameter_m / 6;
}

double cap_volume_m3(double base_radius_m, double height_m) {
  require_non_negative("cap_volume_m3", "base_radius_m", base_radius_m);
  require_non_negative("cap_volume_m3", "height_m", height_m);
  return kPi * height_m / 6 * (3 * base_radius_m * base_radius_m + height_m * height_m);
}

double zone_volume_m3(double radius1_m, double radius2_m, double height_m) {
  require_non_negative("zone_volume_m3", "radius1_m", radius1_m);
  require_non_negative("zone_volume_m3", "radius2_m", radius2_m);
  require_non_negative("zone_volume_m3", "height_m", height_m);
  return kPi * height_m / 6 *
         (3 * radius1_m * radius1_m + 3 * radius2_m * radius2_m + height_m * height_m);
}

double sphere_half_width_m(double sphere_radius_m, double centre_z_m, double z_m) {
  require_positive("sphere_half_width_m", "sphere_radius_m", sphere_radius_m);
  const double dz = z_m - centre_z_m;
  if (!(std::abs(dz) < sphere_radius_m)) return 0;
  // (R − dz)(R + dz) rather than R² − dz²: accurate near the poles.
  return std::sqrt((sphere_radius_m - dz) * (sphere_radius_m + dz));
}

BumpCap bump_cap(double volume_m3, double pad_radius_m) {
  require_positive("bump_cap", "volume_m3", volume_m3);
  require_positive("bump_cap", "pad_radius_m", pad_radius_m);
  BumpCap cap;
  cap.pad_radius_m = pad_radius_m;
  cap.volume_m3 = volume_m3;
  const double a = pad_radius_m;
  const double h = cardano_root(a * a, cardano_q(volume_m3));  // p = 3a²
  cap.height_m = h;
  cap.sphere_radius_m = (a * a + h * h) / (2 * h);
  // Past the equator (h > R) the widest circle is the equator, else the pad rim.
  cap.max_diameter_m = h > cap.sphere_radius_m ? 2 * cap.sphere_radius_m : 2 * a;
  // Tangent–chord angle: the angle between pad and surface at the rim is twice the angle
  // the apex subtends there, tan(θ/2) = h/a; 90° for a hemisphere.
  cap.contact_angle_deg = degrees(2 * std::atan2(h, a));
  return cap;
}

JointZone joint_zone(double volume_m3, double bottom_pad_radius_m, double top_pad_radius_m) {
  require_positive("joint_zone", "volume_m3", volume_m3);
  require_positive("joint_zone", "bottom_pad_radius_m", bottom_pad_radius_m);
  require_positive("joint_zone", "top_pad_radius_m", top_pad_radius_m);
  JointZone zone;
  zone.bottom_pad_radius_m = bottom_pad_radius_m;
  zone.top_pad_radius_m = top_pad_radius_m;
  zone.volume_m3 = volume_m3;
  const double a1 = bottom_pad_radius_m, a2 = top_pad_radius_m;
  const double h = cardano_root(a1 * a1 + a2 * a2, cardano_q(volume_m3));  // p = 3(a1² + a2²)
  zone.standoff_m = h;
  // Both rims on one sphere: a1² + c² = a2² + (H − c)² gives the centre height c.
  const double c = (a2 * a2 - a1 * a1 + h * h) / (2 * h);
  zone.centre_above_bottom_m = c;
  zone.sphere_radius_m = std::hypot(a1, c);
  const bool barrel = c > 0 && c < h;  // the equator lies between the pads
  zone.max_diameter_m = barrel ? 2 * zone.sphere_radius_m : 2 * std::max(a1, a2);
  // Measured through the solder: obtuse when the centre is above the bottom pad (bulging joint).
  zone.bottom_angle_deg = 90.0 + degrees(std::asin(c / zone.sphere_radius_m));
  return zone;
}

// ---------------------------------------------------------------------------------------------
// Surface Evolver model. A prism with `kRimSegments` sides between the bottom rim (z = 0) and a
// top ring relaxes to the joint; refinement doubles the rim segments each time.
//
// Neither pad is a facet of the body. Evolver computes a body's volume as ∫∫ z dx dy over its
// facets, which vanishes on the bottom pad (z = 0); the top pad's share, height × pad area, is a
// content integral on the top rim. Dropping the pad facets saves their interior vertices (they
// carry no energy, tension 0, yet cost time) and the zero modes they would add.
namespace {

constexpr int kRimSegments = 8;

std::string evolver_header(double volume_um3, double a1_um, double a2_um, double h0_um) {
  std::string fe = fmt::format(
      "// wlpkit solder joint (generated by wlp::process::evolver_model). Lengths in um.\n"
      "// volume {:.6f} um^3, bottom pad radius {:.6f} um, top pad radius {}\n"
      "// Surface tension 1 on the free surface; gravity off (Bond number ~2e-3).\n\n"
      "// Coordinates are ~100 um: the default 1e-12 tolerance is below their rounding.\n"
      "constraint_tolerance 1e-9\n\n"
      "parameter rad1 = {:.9f}\n",
      volume_um3, a1_um, a2_um > 0 ? fmt::format("{:.6f} um", a2_um) : std::string("0 (free top)"), a1_um);
  if (a2_um > 0) {
    fe += fmt::format("parameter rad2 = {:.9f}\n", a2_um);
    fe += fmt::format(
        "// The standoff is a degree of freedom: at the energy minimum the pads feel no force.\n"
        "optimizing_parameter height = {:.9f}\n",
        h0_um);
  }
  fe +=
      "\nconstraint 1  // bottom pad plane\nformula: z = 0\n\n"
      "constraint 2  // bottom pad rim: the contact line is pinned at the pad edge\n"
      "formula: x^2 + y^2 = rad1^2\n\n";
  if (a2_um > 0)
    fe +=
        "constraint 3  // top pad plane\nformula: z = height\n\n"
        "constraint 4  // top pad rim; the content stands in for the top pad facet: the side\n"
        "              // facets run the rim clockwise seen from above, so this is +height x area\n"
        "formula: x^2 + y^2 = rad2^2\ncontent:\nc1: 0\nc2: -height*x\nc3: 0\n\n";
  return fe;
}

// Vertices 1..N on the bottom rim, N+1..2N on the top ring (pinned to the top pad if any).
std::string evolver_vertices(double a1_um, double top_ring_um, double h0_um, bool free_top) {
  std::string fe = "vertices\n";
  for (int ring = 0; ring < 2; ++ring) {
    const double r = ring == 0 ? a1_um : top_ring_um;
    const double z = ring == 0 ? 0.0 : h0_um;
    const char* constraints = ring == 0 ? "  constraints 1 2" : (free_top ? "" : "  constraints 3 4");
    for (int i = 0; i < kRimSegments; ++i) {
      const double t = 2 * kPi * i / kRimSegments;
      fe += fmt::format("{} {:.9f} {:.9f} {:.9f}{}\n", ring * kRimSegments + i + 1, r * std::cos(t),
                        r * std::sin(t), z, constraints);
    }
  }
  return fe;
}

// Edges 1..N bottom rim and N+1..2N top ring, both counter-clockwise seen from above; 2N+1..3N
// the verticals from bottom vertex i to top vertex i.
std::string evolver_edges(bool free_top) {
  const int n = kRimSegments;
  std::string fe = "\nedges\n";
  for (int ring = 0; ring < 2; ++ring) {
    const char* constraints = ring == 0 ? "  constraints 1 2" : (free_top ? "" : "  constraints 3 4");
    for (int i = 0; i < n; ++i)
      fe += fmt::format("{} {} {}{}\n", ring * n + i + 1, ring * n + i + 1, ring * n + (i + 1) % n + 1,
                        constraints);
  }
  for (int i = 0; i < n; ++i) fe += fmt::format("{} {} {}\n", 2 * n + i + 1, i + 1, n + i + 1);
  return fe;
}

// Side facets oriented with outward normals (bottom edge, up, top edge back, down); with a free
// top, one lid facet over the top ring (Evolver triangulates it around a centre vertex).
std::string evolver_faces_and_body(double volume_um3, bool free_top) {
  const int n = kRimSegments;
  std::string fe = "\nfaces\n";
  for (int i = 0; i < n; ++i)
    fe += fmt::format("{} {} {} {} {}\n", i + 1, i + 1, 2 * n + (i + 1) % n + 1, -(n + i + 1), -(2 * n + i + 1));
  std::string body_faces;
  for (int i = 0; i < n; ++i) body_faces += fmt::format(" {}", i + 1);
  if (free_top) {
    fe += fmt::format("{}", n + 1);
    for (int i = 0; i < n; ++i) fe += fmt::format(" {}", n + i + 1);
    fe += "\n";
    body_faces += fmt::format(" {}", n + 1);
  }
  fe += fmt::format("\nbodies\n1{} volume {:.9f}\n", body_faces, volume_um3);
  return fe;
}

}  // namespace

std::string evolver_model(double volume_m3, double bottom_pad_radius_m, double top_pad_radius_m) {
  require_positive("evolver_model", "volume_m3", volume_m3);
  require_positive("evolver_model", "bottom_pad_radius_m", bottom_pad_radius_m);
  require_non_negative("evolver_model", "top_pad_radius_m", top_pad_radius_m);
  const bool free_top = top_pad_radius_m == 0;
  const double v_um3 = volume_m3 * kUmPerM * kUmPerM * kUmPerM;
  const double a1 = bottom_pad_radius_m * kUmPerM, a2 = top_pad_radius_m * kUmPerM;
  const double top_ring = free_top ? a1 : a2;
  // Start from the frustum (a cylinder for a bump) of the right volume: a guess that owes
  // nothing to the sphere formulas Evolver is meant to check.
  const double h0 = 3 * v_um3 / (kPi * (a1 * a1 + a1 * top_ring + top_ring * top_ring));
  return evolver_header(v_um3, a1, a2, h0) + evolver_vertices(a1, top_ring, h0, free_top) +
         evolver_edges(free_top) + evolver_faces_and_body(v_um3, free_top);
}

std::string evolver_script() {
  // Gradient descent, refining three times (64 rim segments per pad, ~1100 vertices), with
  // equiangulation (u) and vertex averaging (V) to keep the triangles well shaped. Most of the
  // remaining error is the mesh's (the standoff comes out ≈ 0.3 % high); one more refinement
  // halves it but quadruples the run time. No Hessian steps: Evolver finds the Hessian
  // indefinite on this model and they leave the height where it was. The height printed is the
  // highest vertex: the top pad for a joint, the apex for a bump.
  return "g 20; r; g 40; r; g 300; u; V; g 300; r; u; V; g 300; u; V; g 300\n"
         "printf \"height = %.9f\\n\", max(vertex, z)\n"
         "q\n";
}

}  // namespace wlp::process
