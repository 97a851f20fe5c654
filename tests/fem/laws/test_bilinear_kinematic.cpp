// Bilinear kinematic plasticity against the closed forms of the uniaxial bilinear curve with
// linear (Prager) kinematic hardening: slope E to σy, slope E_t after; reversal yields at
// σ_max − 2σy (Bauschinger); a symmetric strain loop encloses 4σy·ε_p,a with
// ε_p,a = (E·ε_a − σy)/(E + H), H = E·E_t/(E − E_t) (e.g. Lemaitre & Chaboche, Mechanics of
// Solid Materials, 1990, §5.4). The radial return is exact for these proportional paths, so the
// tolerances only cover round-off and the driver's stress tolerance.
#include <cmath>
#include <gtest/gtest.h>

#include "fem/laws/bilinear_kinematic.h"
#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

constexpr double kYoungs_Pa = 130e9, kYield_Pa = 225e6, kTangent_Pa = 1.25e9;  // Cu_ED of data/materials.toml

BilinearKinematicPlasticity copper(TemperatureTable yield = TemperatureTable::constant(kYield_Pa)) {
  return BilinearKinematicPlasticity(BilinearKinematicData{
      .elastic = {.youngs_modulus_Pa = TemperatureTable::constant(kYoungs_Pa), .poisson_ratio = 0.34,
                  .cte_per_K = TemperatureTable::constant(17.7e-6)},
      .yield_strength_Pa = std::move(yield),
      .tangent_modulus_Pa = TemperatureTable::constant(kTangent_Pa),
      .note = {}});
}

TEST(BilinearKinematic, monotonic_uniaxial_curve_is_e_to_yield_then_e_t) {
  const BilinearKinematicPlasticity law = copper();
  const PointCurve curve = uniaxial_constant_strain_rate(
      law, UniaxialStrainRate{.strain_rate_per_s = 1e-3, .final_strain = 0.01, .temperature_K = 298.15, .n_increments = 100});
  const double yield_strain = kYield_Pa / kYoungs_Pa;
  int n_plastic = 0;
  for (const PointSample& sample : curve) {
    const double strain = sample.strain[0];
    const double expected_Pa = strain <= yield_strain ? kYoungs_Pa * strain : kYield_Pa + kTangent_Pa * (strain - yield_strain);
    EXPECT_NEAR(sample.stress[0], expected_Pa, 1e-9 * kYield_Pa) << "at strain " << strain;
    if (strain > yield_strain) ++n_plastic;
  }
  EXPECT_EQ(n_plastic, 83);  // increments 18..100 end beyond ε_y = 1.731e-3
}

TEST(BilinearKinematic, reversal_yields_at_sigma_max_minus_twice_the_yield_stress) {
  const BilinearKinematicPlasticity law = copper();
  const double peak_strain = 0.01;
  const PointCurve curve = uniaxial_history(
      law, UniaxialHistory{.axial = {{0, 0}, {10, peak_strain}, {30, -peak_strain}}, .control = Control::strain,
                           .n_increments_per_segment = 200, .temperature_K = 298.15});
  const double peak_Pa = kYield_Pa + kTangent_Pa * (peak_strain - kYield_Pa / kYoungs_Pa);
  const double reverse_yield_Pa = peak_Pa - 2 * kYield_Pa;              // Bauschinger: σ_max − 2σy
  const double reverse_strain = peak_strain - 2 * kYield_Pa / kYoungs_Pa;  // ε where the reverse yield is reached
  const std::size_t peak = 200;
  ASSERT_NEAR(curve[peak].strain[0], peak_strain, 1e-15);
  EXPECT_NEAR(curve[peak].stress[0], peak_Pa, 1e-9 * kYield_Pa);
  for (std::size_t k = peak; k < curve.size(); ++k) {
    const double strain = curve[k].strain[0];
    const double expected_Pa = strain >= reverse_strain ? peak_Pa - kYoungs_Pa * (peak_strain - strain)
                                                        : reverse_yield_Pa - kTangent_Pa * (reverse_strain - strain);
    EXPECT_NEAR(curve[k].stress[0], expected_Pa, 1e-9 * kYield_Pa) << "at strain " << strain;
    if (strain >= reverse_strain) {  // elastic unloading: no plastic strain added
      EXPECT_DOUBLE_EQ(curve[k].history[history::equivalent_plastic_strain],
                       curve[peak].history[history::equivalent_plastic_strain]);
    }
  }
}

TEST(BilinearKinematic, symmetric_loop_area_equals_dissipated_work_and_closed_form) {
  const BilinearKinematicPlasticity law = copper();
  const double amplitude = 0.008;
  const double reverse = 2 * kYield_Pa / kYoungs_Pa;  // strain span of the elastic reversal
  // First loading to +ε_a, then one full cycle with the elastic/plastic kinks as history points.
  const PointCurve curve = uniaxial_history(
      law, UniaxialHistory{.axial = {{0, 0}, {1, amplitude}, {2, amplitude - reverse}, {3, -amplitude},
                                     {4, -amplitude + reverse}, {5, amplitude}},
                           .control = Control::strain, .n_increments_per_segment = 50, .temperature_K = 298.15});
  const std::size_t cycle_start = 50, cycle_end = curve.size() - 1;
  const double loop_area = stress_work_J_per_m3(curve, cycle_start, cycle_end);  // ∮σ:dε (trapezoid)
  const double dissipated = curve[cycle_end].history[history::inelastic_work_J_per_m3] -
                            curve[cycle_start].history[history::inelastic_work_J_per_m3];
  const double prager_Pa = law.prager_modulus_Pa(298.15);
  const double plastic_amplitude = (kYoungs_Pa * amplitude - kYield_Pa) / (kYoungs_Pa + prager_Pa);
  EXPECT_NEAR(dissipated, loop_area, 1e-9 * loop_area);                      // conservation
  EXPECT_NEAR(loop_area, 4 * kYield_Pa * plastic_amplitude, 1e-9 * loop_area);  // closed form
  EXPECT_NEAR(curve[cycle_end].stress[0], curve[cycle_start].stress[0], 1e-9 * kYield_Pa);  // the loop closes
}

TEST(BilinearKinematic, yield_stress_follows_its_temperature_table) {
  const BilinearKinematicPlasticity law = copper(TemperatureTable{{{298.15, 225e6}, {398.15, 180e6}}});
  const double temperature_K = 373.15;
  const double yield_Pa = 225e6 + (180e6 - 225e6) * 0.75;  // linear in T
  const PointCurve curve = uniaxial_constant_strain_rate(
      law, UniaxialStrainRate{.strain_rate_per_s = 1e-3, .final_strain = 0.005, .temperature_K = temperature_K, .n_increments = 10});
  EXPECT_NEAR(curve.back().stress[0], yield_Pa + kTangent_Pa * (0.005 - yield_Pa / kYoungs_Pa), 1e-9 * yield_Pa);
}

TEST(BilinearKinematic, tangent_modulus_not_below_e_is_rejected_naming_the_key) {
  try {
    BilinearKinematicPlasticity(BilinearKinematicData{
        .elastic = {.youngs_modulus_Pa = TemperatureTable::constant(70e9), .poisson_ratio = 0.34,
                    .cte_per_K = TemperatureTable::constant(23e-6)},
        .yield_strength_Pa = TemperatureTable::constant(175e6),
        .tangent_modulus_Pa = TemperatureTable::constant(80e9),
        .note = {}});
    FAIL() << "E_t > E was accepted";
  } catch (const MaterialDataError& error) {
    EXPECT_EQ(error.key(), "tangent_modulus");
    EXPECT_NE(std::string(error.what()).find("80000000000"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace wlp::fem
