#include "mesh/ring_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "mesh/mesh_error.h"

namespace wlp::mesh::detail {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kRays = 16;
// A circle is met by (nearly) every ray; a feature met by fewer is not round (a land with its
// RDL trace is still a circle: the trace hides the rim from one or two rays).
constexpr int kRaysForCircle = 12;
// A circle drawn as a polygon is met at radii between R·cos(π/N) and R: every ray within this.
constexpr double kSameCircle_m = 1e-6;
// The last circle leaves this much of the half pitch for the blend into the cell square.
constexpr double kLastCircleCap = 0.92;

/// Radii (m) where the device's columns change along rays from the site centre.
std::vector<std::vector<double>> radii_along_rays(const RingPlanInput& in) {
  std::vector<std::vector<double>> rays;
  const double length_nm = 0.95 * in.half_pitch_m * 1e9;
  for (int r = 0; r < kRays; ++r) {
    const double angle = (r + 0.37) * 2 * kPi / kRays;  // off the polygon vertices and the axes
    std::vector<double> radii;
    for (double t :
         in.columns->column_changes(in.site_die_nm, std::cos(angle), std::sin(angle), length_nm, in.wetted_z_nm))
      radii.push_back(t * 1e-9);
    rays.push_back(std::move(radii));
  }
  return rays;
}

/// The radii that at least kRaysForCircle rays meet (within kSameCircle_m).
std::vector<double> circular_radii(const std::vector<std::vector<double>>& rays) {
  std::vector<double> circles;
  for (const std::vector<double>& ray : rays)
    for (double r : ray) {
      const auto n_rays = std::count_if(rays.begin(), rays.end(), [r](const std::vector<double>& other) {
        return std::any_of(other.begin(), other.end(), [r](double q) { return std::abs(q - r) < kSameCircle_m; });
      });
      if (n_rays >= kRaysForCircle) circles.push_back(r);
    }
  return circles;
}

/// Sorted values chained into clusters (neighbours closer than `tolerance`), one mean each.
std::vector<double> clustered(std::vector<double> values, double tolerance) {
  std::sort(values.begin(), values.end());
  std::vector<double> means;
  std::size_t begin = 0;
  for (std::size_t i = 1; i <= values.size(); ++i) {
    if (i < values.size() && values[i] - values[i - 1] < tolerance) continue;
    if (i > begin) {
      double sum = 0;
      for (std::size_t j = begin; j < i; ++j) sum += values[j];
      means.push_back(sum / static_cast<double>(i - begin));
    }
    begin = i;
  }
  return means;
}

/// The length of an element around a circle of radius ρ (4m of them), times the ring factor:
/// the thickest ring the plan allows there.
double ring_size(double rho, const RingPlanInput& in) {
  return in.ring_factor * 2 * kPi * rho / (4.0 * in.segments_per_side);
}

/// Inserts circles between `radii` (ascending, starting at `from`) so that no ring is much
/// thicker than its elements are long around the circle.
std::vector<double> subdivided(double from, const std::vector<double>& radii, const RingPlanInput& in) {
  std::vector<double> out;
  double previous = from;
  for (double r : radii) {
    const double around = ring_size(0.5 * (previous + r), in);
    const int n = std::max(1, static_cast<int>(std::ceil((r - previous) / around - 0.25)));
    for (int i = 1; i < n; ++i) out.push_back(previous + (r - previous) * i / n);
    out.push_back(r);
    previous = r;
  }
  return out;
}

double last_circle(const RingPlanInput& in, const std::vector<double>& outer_features) {
  const double cap = kLastCircleCap * in.half_pitch_m;
  const double joint = in.joint_max_radius_m;
  if (joint >= cap)
    throw MeshError(
        fmt::format("the reflowed joint is {:.1f} um wide at its widest, more than {:.0f} % of the {:.1f} um "
                    "pitch: it would touch its neighbour's cell (check the ball volume and the pads)",
                    2e6 * joint, 200 * kLastCircleCap, 2e6 * in.half_pitch_m));
  double last = std::min(cap, joint + std::max(0.1 * (in.half_pitch_m - joint), 2 * in.merge_tolerance_m));
  for (double r : outer_features) last = std::max(last, r);
  return last;
}

}  // namespace

std::vector<double> RingPlan::circle_radii(double joint_ring_m) const {
  std::vector<double> radii;
  for (double s : inner_fractions) radii.push_back(s * joint_ring_m);
  radii.push_back(joint_ring_m);
  for (double t : outer_fractions) radii.push_back(joint_ring_m + t * (last_circle_m - joint_ring_m));
  return radii;
}

double RingPlan::mapped_radius(double rho_m, double device_ring_m, double plane_ring_m) const {
  if (rho_m <= device_ring_m) return rho_m * plane_ring_m / device_ring_m;
  if (rho_m >= last_circle_m) return rho_m;
  return plane_ring_m + (rho_m - device_ring_m) / (last_circle_m - device_ring_m) * (last_circle_m - plane_ring_m);
}

RingPlan plan_rings(const RingPlanInput& in) {
  const double a = in.wetted_radius_m, b = in.board_pad_radius_m, tol = in.merge_tolerance_m;
  const double cap = kLastCircleCap * in.half_pitch_m;
  RingPlan plan;
  plan.device_radii_m = clustered(circular_radii(radii_along_rays(in)), tol);
  std::vector<double> inner, outer;  // device features in the device planes' radii
  for (double r : plan.device_radii_m) {
    if (r < a - tol)
      inner.push_back(r);
    else if (r > a + tol && r < cap)
      outer.push_back(r);
  }
  std::vector<double> board_outer;  // board features (board planes' radii)
  if (in.mask_opening_radius_m > b + tol && in.mask_opening_radius_m < cap)
    board_outer.push_back(in.mask_opening_radius_m);
  std::vector<double> outer_all = outer;
  outer_all.insert(outer_all.end(), board_outer.begin(), board_outer.end());
  plan.last_circle_m = last_circle(in, outer_all);
  const double rho_l = plan.last_circle_m;

  // Outer rings as fractions t of the way from the joint ring to ρ_L, device and board merged.
  std::vector<double> ts;
  for (double r : outer) ts.push_back((r - a) / (rho_l - a));
  for (double r : board_outer) ts.push_back((r - b) / (rho_l - b));
  ts = clustered(ts, tol / (rho_l - a));
  ts.erase(std::remove_if(ts.begin(), ts.end(), [&](double t) { return t > 1 - tol / (rho_l - a); }), ts.end());
  ts.push_back(1.0);

  // Subdivide in the device planes' radii, then back to fractions.
  std::vector<double> inner_radii = clustered(inner, tol);
  const double first = inner_radii.empty() ? a : inner_radii.front();
  const double inner_half = 0.5 * first;
  std::vector<double> features = inner_radii;
  features.push_back(a);
  for (double t : ts) features.push_back(a + t * (rho_l - a));
  const std::vector<double> circles = subdivided(inner_half * std::sqrt(2.0), features, in);
  for (double r : circles) {
    if (r < a * (1 - 1e-12))
      plan.inner_fractions.push_back(r / a);
    else if (r > a * (1 + 1e-12))
      plan.outer_fractions.push_back((r - a) / (rho_l - a));
  }
  plan.outer_fractions.back() = 1.0;
  plan.inner_half_fraction = inner_half / a;
  plan.n_blend_loops = std::max(1, static_cast<int>(std::lround((in.half_pitch_m - rho_l) / ring_size(rho_l, in))));
  return plan;
}

}  // namespace wlp::mesh::detail
