// The reflowed joint (a spherical zone between the device's wetted circle and the board pad)
// against independent oracles: the zone's closed-form volume, the sphere through both pad
// rims, a numerical integral of the surface of revolution, and the symmetric case whose
// equator lies at mid height.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "mesh/joint_shape.h"

namespace wlp::mesh {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kUm = 1e-6;

// V of a 250 um ball less nothing: the b0 bump.
const double kBallVolume_m3 = kPi * std::pow(250 * kUm, 3) / 6;

TEST(JointShape, VolumeIsTheClosedFormSphericalZone) {
  for (const auto& [a_um, b_um] : {std::pair{119.484, 125.0}, std::pair{50.0, 125.0}, std::pair{125.0, 50.0}}) {
    const JointShape shape = reflowed_joint_shape({a_um * kUm, b_um * kUm, kBallVolume_m3});
    const double a = a_um * kUm, b = b_um * kUm, h = shape.standoff_m;
    // V = (π H / 6)(3a² + 3b² + H²): the zone between two parallel circles (CRC Standard
    // Mathematical Tables, spherical segment of two bases).
    EXPECT_NEAR(kPi * h / 6 * (3 * a * a + 3 * b * b + h * h), kBallVolume_m3, 1e-12 * kBallVolume_m3);
  }
}

TEST(JointShape, BothPadRimsLieOnTheSphere) {
  const JointShape shape = reflowed_joint_shape({100 * kUm, 125 * kUm, kBallVolume_m3});
  const double r = shape.sphere_radius_m, c = shape.centre_above_lower_m, h = shape.standoff_m;
  EXPECT_NEAR(std::hypot(125 * kUm, c), r, 1e-12 * r);      // board pad rim (z = 0)
  EXPECT_NEAR(std::hypot(100 * kUm, h - c), r, 1e-12 * r);  // wetted rim (z = H)
  EXPECT_NEAR(shape.radius_at(0), 125 * kUm, 1e-12 * r);
  EXPECT_NEAR(shape.radius_at(h), 100 * kUm, 1e-12 * r);
}

TEST(JointShape, VolumeIntegratesFromTheSurfaceOfRevolution) {
  // ∫ π r(z)² dz by Simpson's rule on 2000 intervals: owes nothing to the zone formula.
  const JointShape shape = reflowed_joint_shape({50 * kUm, 125 * kUm, kBallVolume_m3});
  const int n = 2000;
  const double dz = shape.standoff_m / n;
  double sum = 0;
  for (int i = 0; i <= n; ++i) {
    const double r = shape.radius_at(i * dz), weight = (i == 0 || i == n) ? 1 : (i % 2 ? 4 : 2);
    sum += weight * kPi * r * r;
  }
  EXPECT_NEAR(sum * dz / 3, kBallVolume_m3, 1e-9 * kBallVolume_m3);
}

TEST(JointShape, EqualPadsPutTheEquatorAtMidHeight) {
  const double a = 120 * kUm;
  const JointShape shape = reflowed_joint_shape({a, a, kBallVolume_m3});
  EXPECT_NEAR(shape.centre_above_lower_m, shape.standoff_m / 2, 1e-12 * shape.standoff_m);
  EXPECT_NEAR(shape.max_radius_m(), std::hypot(a, shape.standoff_m / 2), 1e-12 * a);
  EXPECT_NEAR(shape.radius_at(shape.standoff_m / 2), shape.sphere_radius_m, 1e-12 * a);
}

TEST(JointShape, RejectsNonPositiveInput) {
  EXPECT_THROW(reflowed_joint_shape({0, 125 * kUm, kBallVolume_m3}), std::invalid_argument);
  EXPECT_THROW(reflowed_joint_shape({100 * kUm, 125 * kUm, -1}), std::invalid_argument);
}

}  // namespace
}  // namespace wlp::mesh
