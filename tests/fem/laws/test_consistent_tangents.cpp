// Every law's tangent against central finite differences of its stress update (step 1e-8 on
// each strain component), in elastic and inelastic states, with non-proportional increments so
// that the whole 6×6 matrix is exercised. Acceptance: max |D_fd − D| / max |D| ≤ 1e-5.
#include <gtest/gtest.h>

#include "fem/laws/garofalo_creep_plasticity.h"
#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

constexpr double kTolerance = 1e-5;
// A non-proportional increment: every component, shears included.
constexpr Voigt6 kMixedIncrement{2e-4, -1e-4, 0.5e-4, 3e-4, -1e-4, 2e-4};

Voigt6 scaled(const Voigt6& strain, double factor) {
  Voigt6 out = strain;
  for (double& value : out) value *= factor;
  return out;
}

// The state after a uniaxial strain ramp at a given rate and temperature.
fem::test::PointStart prestrained(const MaterialLaw& law, double strain, double rate_per_s, double temperature_K) {
  const PointCurve curve = uniaxial_constant_strain_rate(
      law, UniaxialStrainRate{.strain_rate_per_s = rate_per_s, .final_strain = strain, .temperature_K = temperature_K,
                              .n_increments = 50});
  return fem::test::start_of(curve.back());
}

double change(const std::vector<double>& after, const fem::test::PointStart& start, int entry) {
  return after[static_cast<std::size_t>(entry)] - start.history[static_cast<std::size_t>(entry)];
}

TEST(ConsistentTangent, elastic_laws_match_finite_differences) {
  for (const char* id : {"Si", "HD4100", "FR4", "FR4_370HR"}) {
    const std::unique_ptr<MaterialLaw> law = fem::test::law_for(id);
    fem::test::PointStart start;
    start.history.assign(static_cast<std::size_t>(law->n_history()), 0.0);
    start.temperature_K = 350;
    EXPECT_LT(fem::test::tangent_relative_error(*law, start, kMixedIncrement, 1, 298.15), kTolerance) << id;
  }
}

TEST(ConsistentTangent, bilinear_kinematic_matches_in_elastic_and_plastic_states) {
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("Cu_ED");
  const fem::test::PointStart loaded = prestrained(*law, 0.005, 1e-3, 298.15);
  // continued non-proportional loading: plastic
  const std::vector<double> plastic = fem::test::history_after(*law, loaded, kMixedIncrement, 1, 298.15);
  ASSERT_GT(change(plastic, loaded, history::equivalent_plastic_strain), 1e-5);
  EXPECT_LT(fem::test::tangent_relative_error(*law, loaded, kMixedIncrement, 1, 298.15), kTolerance);
  // a small unloading increment: elastic
  const Voigt6 unloading = scaled(kMixedIncrement, -0.5);
  ASSERT_EQ(change(fem::test::history_after(*law, loaded, unloading, 1, 298.15), loaded, history::equivalent_plastic_strain), 0);
  EXPECT_LT(fem::test::tangent_relative_error(*law, loaded, unloading, 1, 298.15), kTolerance);
}

TEST(ConsistentTangent, anand_matches_while_flowing_and_in_zero_time_steps) {
  for (const char* id : {"SAC305", "Sn63Pb37", "Sn60Pb40", "SAC305_T"}) {
    const std::unique_ptr<MaterialLaw> law = fem::test::law_for(id);
    for (const double celsius : {-40.0, 125.0}) {
      const double temperature_K = fem::test::kelvin(celsius);
      const fem::test::PointStart flowing = prestrained(*law, 0.01, 1e-4, temperature_K);
      ASSERT_GT(change(fem::test::history_after(*law, flowing, kMixedIncrement, 2, temperature_K), flowing,
                       history::equivalent_creep_strain),
                1e-7)
          << id;
      EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 2, temperature_K), kTolerance)
          << id << " at " << celsius << " C";
      // Δt = 0: no flow, the elastic stiffness
      EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 0, temperature_K), kTolerance) << id;
      // a long step: strong relaxation within the increment
      EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 1e4, temperature_K), kTolerance) << id;
      // a flow increment far below the round-off of the trial stress
      EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 1e-20, temperature_K), kTolerance) << id;
    }
  }
}

TEST(ConsistentTangent, garofalo_matches_in_creep_and_creep_plus_plastic_states) {
  const std::unique_ptr<MaterialLaw> law =
      fem::test::law_for("SAC305", LawOptions{.solder_law = SolderLaw::garofalo, .solder_tangent_ratio = 0.02});
  ASSERT_TRUE(dynamic_cast<const GarofaloCreepPlasticity&>(*law).data().plasticity.has_value());
  const double temperature_K = fem::test::kelvin(25);
  // slow loading to 0.002 stays below the 35 MPa yield: creep only
  const fem::test::PointStart slow = prestrained(*law, 0.002, 1e-6, temperature_K);
  const Voigt6 small = scaled(kMixedIncrement, 0.05);
  const std::vector<double> creep_only = fem::test::history_after(*law, slow, small, 10, temperature_K);
  ASSERT_GT(change(creep_only, slow, history::equivalent_creep_strain), 0);
  ASSERT_EQ(change(creep_only, slow, history::equivalent_plastic_strain), 0);
  EXPECT_LT(fem::test::tangent_relative_error(*law, slow, small, 10, temperature_K), kTolerance);
  // fast loading to 0.01 yields: creep and plasticity in the same increment
  const fem::test::PointStart fast = prestrained(*law, 0.01, 1e-1, temperature_K);
  const std::vector<double> both = fem::test::history_after(*law, fast, kMixedIncrement, 1e-2, temperature_K);
  ASSERT_GT(change(both, fast, history::equivalent_creep_strain), 0);
  ASSERT_GT(change(both, fast, history::equivalent_plastic_strain), 0);
  EXPECT_LT(fem::test::tangent_relative_error(*law, fast, kMixedIncrement, 1e-2, temperature_K), kTolerance);
  // Δt = 0 on the yield surface: plasticity alone
  EXPECT_LT(fem::test::tangent_relative_error(*law, fast, kMixedIncrement, 0, temperature_K), kTolerance);
}

TEST(ConsistentTangent, norton_matches_while_creeping_and_in_zero_time_steps) {
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("SAC305", LawOptions{.solder_law = SolderLaw::norton});
  const double temperature_K = fem::test::kelvin(100.5);  // between two points of the A(T) table
  const fem::test::PointStart flowing = prestrained(*law, 0.005, 1e-4, temperature_K);
  ASSERT_GT(change(fem::test::history_after(*law, flowing, kMixedIncrement, 1, temperature_K), flowing,
                   history::equivalent_creep_strain),
            1e-7);
  EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 1, temperature_K), kTolerance);
  EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 0, temperature_K), kTolerance);
  EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 1e4, temperature_K), kTolerance);
  // a creep increment below the round-off of the trial stress (3G·Δp ≈ 1e-13 Pa against 10 MPa)
  EXPECT_LT(fem::test::tangent_relative_error(*law, flowing, kMixedIncrement, 1e-20, temperature_K), kTolerance);
}

}  // namespace
}  // namespace wlp::fem
