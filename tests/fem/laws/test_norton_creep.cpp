// Norton creep against closed forms: creep strain A·σ^n·t at constant stress (backward Euler is
// exact there), Norton stress relaxation σ(t) = [σ0^(1−n) + (n−1)·E·A·t]^(1/(1−n)) (integral of
// dσ/dt = −E·A·σ^n), the steady stress (ε̇/A)^(1/n), the linear A(T) interpolation CalculiX uses,
// and the low-stress limit of the Garofalo law it is derived from.
#include <cmath>
#include <gtest/gtest.h>

#include "fem/laws/norton_creep.h"
#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

constexpr double kYoungs_Pa = 49.5e9;  // SAC305, data/materials.toml

IsotropicElasticData sac_elastic() {
  return IsotropicElasticData{.youngs_modulus_Pa = TemperatureTable::constant(kYoungs_Pa), .poisson_ratio = 0.355,
                              .cte_per_K = TemperatureTable::constant(22e-6)};
}

GarofaloParameters schubert() {  // physics-data.md §2.2, SI
  return GarofaloParameters{.c1_per_s = 277984, .c2_per_Pa = 0.02447e-6, .c3 = 6.41, .c4_K = 6500};
}

TEST(NortonCreep, constant_stress_creep_strain_is_a_sigma_n_t) {
  const double temperature_K = 398.15;
  const NortonCreep law(norton_low_stress_asymptote(schubert(), {temperature_K}, sac_elastic()));
  const double a = law.data().coefficient_per_Pa_n_per_s.at(temperature_K);
  const double stress_Pa = 10e6, duration_s = 1000;
  const PointCurve curve = uniaxial_history(
      law, UniaxialHistory{.axial = {{0, stress_Pa}, {duration_s, stress_Pa}}, .control = Control::stress,
                           .n_increments_per_segment = 20, .temperature_K = temperature_K});
  const double expected = a * std::pow(stress_Pa, law.data().exponent) * duration_s;  // ε_cr = A·σ^n·t
  EXPECT_NEAR(curve.back().history[history::inelastic_strain + 0], expected, 1e-9 * expected);
  EXPECT_NEAR(curve.back().history[history::equivalent_creep_strain], expected, 1e-9 * expected);
  EXPECT_NEAR(curve.back().strain[0], stress_Pa / kYoungs_Pa + expected, 1e-9 * expected);
}

TEST(NortonCreep, relaxation_at_fixed_strain_follows_the_closed_form) {
  const double temperature_K = 398.15;
  const NortonCreep law(norton_low_stress_asymptote(schubert(), {temperature_K}, sac_elastic()));
  const double a = law.data().coefficient_per_Pa_n_per_s.at(temperature_K);
  const double n = law.data().exponent;
  const double initial_Pa = 20e6, strain = initial_Pa / kYoungs_Pa;
  // relaxation time σ0/(E·A·σ0^n) ≈ 1.7 s: steps of 5 ms, 45 ms and 0.45 s over the decades
  const PointCurve curve = uniaxial_history(
      law, UniaxialHistory{.axial = {{0, strain}, {1, strain}, {10, strain}, {100, strain}}, .control = Control::strain,
                           .n_increments_per_segment = 200, .temperature_K = temperature_K});
  EXPECT_NEAR(curve[1].stress[0], initial_Pa, 1e-9 * initial_Pa);  // instantaneous elastic load
  int n_checked = 0;
  for (const PointSample& sample : curve) {
    if (sample.time_s == 0) continue;
    const double exact_Pa = std::pow(std::pow(initial_Pa, 1 - n) + (n - 1) * kYoungs_Pa * a * sample.time_s, 1 / (1 - n));
    EXPECT_NEAR(sample.stress[0], exact_Pa, 0.005 * exact_Pa) << "t = " << sample.time_s;
    ++n_checked;
  }
  EXPECT_EQ(n_checked, 600);
  EXPECT_LT(curve.back().stress[0], 0.35 * initial_Pa);  // it did relax (to 6.9 MPa)
}

TEST(NortonCreep, steady_stress_under_constant_strain_rate_is_rate_over_a_to_one_over_n) {
  const double temperature_K = 298.15, rate_per_s = 1e-5;
  const NortonCreep law(norton_low_stress_asymptote(schubert(), {temperature_K}, sac_elastic()));
  const double a = law.data().coefficient_per_Pa_n_per_s.at(temperature_K);
  const PointCurve curve = uniaxial_constant_strain_rate(
      law, UniaxialStrainRate{.strain_rate_per_s = rate_per_s, .final_strain = 0.02, .temperature_K = temperature_K,
                              .n_increments = 200});
  const double expected_Pa = std::pow(rate_per_s / a, 1 / law.data().exponent);  // σ = (ε̇/A)^(1/n)
  EXPECT_NEAR(curve.back().stress[0], expected_Pa, 1e-6 * expected_Pa);
}

TEST(NortonCreep, coefficient_is_interpolated_linearly_in_temperature_as_calculix_does) {
  const double a_low = 1e-40, a_high = 3e-40, n = 5;  // Pa^-5/s: steady stresses near 10 MPa
  const NortonCreep law(NortonCreepData{.elastic = sac_elastic(),
                                        .coefficient_per_Pa_n_per_s = TemperatureTable{{{300, a_low}, {400, a_high}}},
                                        .exponent = n,
                                        .note = {}});
  const double rate_per_s = 1e-5;
  auto steady_stress_at = [&](double temperature_K) {
    return uniaxial_constant_strain_rate(law, UniaxialStrainRate{.strain_rate_per_s = rate_per_s, .final_strain = 0.02,
                                                                 .temperature_K = temperature_K, .n_increments = 200})
        .back()
        .stress[0];
  };
  auto expected_at = [&](double a) { return std::pow(rate_per_s / a, 1 / n); };  // σ = (ε̇/A)^(1/n)
  const double a_at_325 = a_low + 0.25 * (a_high - a_low);  // linear in T, not in ln A
  EXPECT_NEAR(steady_stress_at(325), expected_at(a_at_325), 1e-6 * expected_at(a_at_325));
  EXPECT_NEAR(steady_stress_at(250), expected_at(a_low), 1e-6 * expected_at(a_low));     // held below the table
  EXPECT_NEAR(steady_stress_at(450), expected_at(a_high), 1e-6 * expected_at(a_high));  // and above it
}

TEST(NortonCreep, low_stress_asymptote_of_garofalo_agrees_with_garofalo_where_sinh_x_is_x) {
  const GarofaloParameters g = schubert();
  const double temperature_K = 298.15, rate_per_s = 1e-12;
  const NortonCreep law(norton_low_stress_asymptote(g, {273.15, 298.15, 323.15}, sac_elastic()));
  const PointCurve curve = uniaxial_constant_strain_rate(
      law, UniaxialStrainRate{.strain_rate_per_s = rate_per_s, .final_strain = 2e-4, .temperature_K = temperature_K,
                              .n_increments = 100});
  // Garofalo: sinh(C2σ) = x with x = (ε̇·e^(C4/T)/C1)^(1/C3); Norton: C2σ = x. Ratio x/asinh(x) ≈ 1 + x²/6.
  const double x = std::pow(rate_per_s * std::exp(g.c4_K / temperature_K) / g.c1_per_s, 1 / g.c3);
  const double garofalo_Pa = std::asinh(x) / g.c2_per_Pa;
  EXPECT_NEAR(curve.back().stress[0] / garofalo_Pa, 1 + x * x / 6, 1e-6);
  EXPECT_LT(x * x / 6, 1e-3);  // the comparison sits where sinh x ≈ x holds to 0.1 %
}

}  // namespace
}  // namespace wlp::fem
