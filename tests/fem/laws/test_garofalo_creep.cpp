// Garofalo creep (+ bilinear plasticity) against the steady creep stress of the Schubert SAC law,
// σ = asinh[(ε̇·e^(C4/T)/C1)^(1/C3)]/C2, and the published values of physics-data.md §2.2; and
// the partition of the inelastic strain into a plastic part (σ − σy)/H and a creep part f(σ)·t
// under a stress step held constant.
#include <cmath>
#include <gtest/gtest.h>

#include "fem/laws/garofalo_creep_plasticity.h"
#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

const GarofaloCreepPlasticity& garofalo_of(const std::unique_ptr<MaterialLaw>& law) {
  const auto* garofalo = dynamic_cast<const GarofaloCreepPlasticity*>(law.get());
  if (!garofalo) throw std::logic_error("not a Garofalo law: " + law->name());
  return *garofalo;
}

struct SteadyCase {
  double celsius, rate_per_s, published_MPa;
};

TEST(GarofaloCreep, steady_creep_stress_matches_the_closed_form_and_schubert_values) {
  // physics-data.md §2.2 oracle (quoted to 0.1 MPa)
  const SteadyCase cases[] = {{-40, 1e-5, 55.5}, {-40, 1e-7, 32.6}, {25, 1e-5, 26.8},
                              {25, 1e-7, 13.8},  {125, 1e-5, 12.1}, {125, 1e-7, 6.0}};
  const std::unique_ptr<MaterialLaw> law =
      fem::test::law_for("SAC305", LawOptions{.solder_law = SolderLaw::garofalo, .solder_plasticity = false});
  const GarofaloCreepPlasticity& garofalo = garofalo_of(law);
  ASSERT_FALSE(garofalo.data().plasticity.has_value());
  for (const SteadyCase& c : cases) {
    const double temperature_K = fem::test::kelvin(c.celsius);
    // the transient spans a strain of order σ/(E·C3) ≈ 2e-4: 0.02 is a hundred times that
    const PointCurve curve = uniaxial_constant_strain_rate(
        garofalo, UniaxialStrainRate{.strain_rate_per_s = c.rate_per_s, .final_strain = 0.02,
                                     .temperature_K = temperature_K, .n_increments = 200});
    const double stress_MPa = curve.back().stress[0] * 1e-6;
    const double closed_form_MPa = garofalo.steady_state_stress_Pa(c.rate_per_s, temperature_K) * 1e-6;
    EXPECT_NEAR(stress_MPa, closed_form_MPa, 0.005 * closed_form_MPa) << c.celsius << " C " << c.rate_per_s;
    EXPECT_NEAR(stress_MPa, c.published_MPa, std::max(0.005 * c.published_MPa, 0.05)) << c.celsius << " C";
    EXPECT_EQ(curve.back().history[history::equivalent_plastic_strain], 0);
  }
}

TEST(GarofaloCreep, stress_step_above_yield_splits_into_plastic_and_creep_strain) {
  const std::unique_ptr<MaterialLaw> library_law =
      fem::test::law_for("SAC305", LawOptions{.solder_law = SolderLaw::garofalo, .solder_plasticity = false});
  GarofaloCreepPlasticityData data = garofalo_of(library_law).data();
  const double yield_Pa = 35e6, tangent_modulus_Pa = 1e9;
  data.plasticity = BilinearIsotropicPlasticity{.yield_strength_Pa = TemperatureTable::constant(yield_Pa),
                                                .tangent_modulus_Pa = TemperatureTable::constant(tangent_modulus_Pa)};
  const GarofaloCreepPlasticity law(data);
  const double temperature_K = fem::test::kelvin(25), stress_Pa = 40e6, hold_s = 100;
  // instantaneous step to 40 MPa (Δt = 0: plasticity only), then 40 MPa held for 100 s (creep only)
  const PointCurve curve = uniaxial_history(
      law, UniaxialHistory{.axial = {{0, stress_Pa}, {hold_s, stress_Pa}}, .control = Control::stress,
                           .n_increments_per_segment = 20, .temperature_K = temperature_K});
  const double youngs_Pa = data.elastic.youngs_modulus_Pa.at(temperature_K);
  const double hardening_Pa = youngs_Pa * tangent_modulus_Pa / (youngs_Pa - tangent_modulus_Pa);
  const double plastic = (stress_Pa - yield_Pa) / hardening_Pa;             // σ = σy + H·ε̄p
  const double creep = law.creep_rate_per_s(stress_Pa, temperature_K) * hold_s;  // backward Euler at constant σ: exact
  const std::vector<double>& history_end = curve.back().history;
  EXPECT_NEAR(curve[1].history[history::equivalent_plastic_strain], plastic, 1e-9 * plastic);
  EXPECT_EQ(curve[1].history[history::equivalent_creep_strain], 0);
  EXPECT_NEAR(history_end[history::equivalent_plastic_strain], plastic, 1e-9 * plastic);
  EXPECT_NEAR(history_end[history::equivalent_creep_strain], creep, 1e-9 * creep);
  EXPECT_NEAR(history_end[history::inelastic_strain + 0], plastic + creep, 1e-9 * (plastic + creep));
  EXPECT_NEAR(history_end[history::equivalent_inelastic_strain], plastic + creep, 1e-9 * (plastic + creep));
  EXPECT_NEAR(curve.back().strain[0], stress_Pa / youngs_Pa + plastic + creep, 1e-9 * (plastic + creep));
}

}  // namespace
}  // namespace wlp::fem
