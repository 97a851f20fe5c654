// The material-point driver against the closed forms of linear isotropic elasticity (Hooke's
// law): uniaxial stress, simple shear and a fully constrained temperature change.
#include <cmath>
#include <gtest/gtest.h>

#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

constexpr double kYoungs_Pa = 130e9, kPoisson = 0.34, kCte_per_K = 17.7e-6;

IsotropicElastic copper_like() {
  return IsotropicElastic(IsotropicElasticData{.youngs_modulus_Pa = TemperatureTable::constant(kYoungs_Pa),
                                               .poisson_ratio = kPoisson,
                                               .cte_per_K = TemperatureTable::constant(kCte_per_K)});
}

TEST(PointDriver, uniaxial_elastic_stress_and_lateral_contraction_follow_hookes_law) {
  const IsotropicElastic law = copper_like();
  const PointCurve curve = uniaxial_constant_strain_rate(
      law, UniaxialStrainRate{.strain_rate_per_s = 1e-3, .final_strain = 2e-3, .temperature_K = 300, .n_increments = 4});
  ASSERT_EQ(curve.size(), 5u);
  for (const PointSample& sample : curve) {
    const double axial = sample.strain[0];
    EXPECT_NEAR(sample.stress[0], kYoungs_Pa * axial, 1e-9 * kYoungs_Pa * 2e-3);  // σ = E·ε
    EXPECT_NEAR(sample.strain[1], -kPoisson * axial, 1e-12);                     // ε_y = −ν·ε_x
    EXPECT_NEAR(sample.strain[2], -kPoisson * axial, 1e-12);
    EXPECT_NEAR(sample.stress[1], 0, 1e-3);
  }
  EXPECT_NEAR(curve.back().time_s, 2.0, 1e-12);  // t = ε/ε̇
}

TEST(PointDriver, stress_controlled_uniaxial_load_gives_strain_sigma_over_e) {
  const IsotropicElastic law = copper_like();
  const PointCurve curve = uniaxial_history(
      law, UniaxialHistory{.axial = {{0, 0}, {1, 100e6}}, .control = Control::stress, .n_increments_per_segment = 2,
                           .temperature_K = 300, .axis = 2});
  EXPECT_NEAR(curve.back().strain[2], 100e6 / kYoungs_Pa, 1e-15);  // ε_z = σ/E
  EXPECT_NEAR(curve.back().strain[0], -kPoisson * 100e6 / kYoungs_Pa, 1e-15);
}

TEST(PointDriver, simple_shear_gives_tau_equal_g_gamma) {
  const IsotropicElastic law = copper_like();
  const PointCurve curve =
      simple_shear(law, SimpleShearHistory{.shear_strain = {{0, 0}, {1, 1e-3}, {2, -1e-3}}, .n_increments_per_segment = 3});
  const double shear_modulus_Pa = kYoungs_Pa / (2 * (1 + kPoisson));
  for (const PointSample& sample : curve) {
    EXPECT_NEAR(sample.stress[3], shear_modulus_Pa * sample.strain[3], 1e-3);  // τ = G·γ
    EXPECT_NEAR(sample.stress[0], 0, 1e-3);
  }
  EXPECT_NEAR(curve.back().strain[3], -1e-3, 1e-15);
  EXPECT_EQ(curve.size(), 7u);
}

TEST(PointDriver, constrained_heating_gives_the_hydrostatic_thermal_stress) {
  const IsotropicElastic law = copper_like();
  const PointCurve curve = thermal_history_at_fixed_strain(
      law, ThermalHistory{.strain = {}, .temperature_K = {{0, 298.15}, {100, 398.15}}, .n_increments_per_segment = 5,
                          .stress_free_temperature_K = 298.15});
  // σ = −E/(1 − 2ν)·α·ΔT on every normal component (all strains held at zero)
  const double expected_Pa = -kYoungs_Pa / (1 - 2 * kPoisson) * kCte_per_K * 100;
  for (int i = 0; i < 3; ++i) EXPECT_NEAR(curve.back().stress[i], expected_Pa, 1e-9 * std::abs(expected_Pa));
  EXPECT_NEAR(curve[0].stress[0], 0, 1e-6);
  EXPECT_DOUBLE_EQ(curve.back().temperature_K, 398.15);
}

}  // namespace
}  // namespace wlp::fem
