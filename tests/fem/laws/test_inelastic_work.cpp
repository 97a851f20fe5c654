// The common history entries of every inelastic law, against conservation laws:
// - over a closed strain cycle the accumulated inelastic work ∫σ:dε_in equals ∮σ:dε of the
//   driver's curve (trapezoid) minus the change of the elastic energy ½σ:S·σ (zero when the
//   loop closes in stress); the identity is exact for the trapezoid rule, so 1e-6 is a bound on
//   round-off only;
// - the stored inelastic strain reproduces the stress, σ = D·(ε − ε_in);
// - the accumulated equivalent strain is Σ sqrt(2/3·Δε_in:Δε_in), split into creep and plastic parts.
#include <cmath>
#include <gtest/gtest.h>

#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

struct LawCase {
  const char* material;
  LawOptions options;
  double temperature_K;
};

std::vector<LawCase> inelastic_cases() {
  return {
      {"Cu_ED", {}, 298.15},
      {"Al", {}, 398.15},
      {"SAC305", {}, fem::test::kelvin(75)},
      {"Sn63Pb37", {}, fem::test::kelvin(-20)},
      {"SAC305", LawOptions{.solder_law = SolderLaw::garofalo}, fem::test::kelvin(25)},
      {"SAC305", LawOptions{.solder_law = SolderLaw::norton}, fem::test::kelvin(125)},
  };
}

double youngs_of(const LawCase& c) { return fem::test::material(c.material).property("youngs_modulus")->at(c.temperature_K); }
double poisson_of(const LawCase& c) { return fem::test::material(c.material).property("poisson_ratio")->nominal(); }

// γ: 0 → +1.5 % → −1.5 % → 0 over 600 s (a 2.5e-4/s ramp rate, as a fast thermal cycle gives).
const SimpleShearHistory kShearCycle{.shear_strain = {{0, 0}, {60, 0.015}, {180, -0.015}, {240, 0}},
                                     .n_increments_per_segment = 100, .temperature_K = 0};

TEST(InelasticWork, accumulated_work_over_a_closed_shear_cycle_equals_the_loop_integral) {
  for (const LawCase& c : inelastic_cases()) {
    const std::unique_ptr<MaterialLaw> law = fem::test::law_for(c.material, c.options);
    SimpleShearHistory cycle = kShearCycle;
    cycle.temperature_K = c.temperature_K;
    const PointCurve curve = simple_shear(*law, cycle);
    const PointSample& start = curve.front();
    const PointSample& end = curve.back();
    ASSERT_EQ(end.strain[3], 0);
    const double loop = stress_work_J_per_m3(curve, 0, curve.size() - 1);  // ∮σ:dε
    const double elastic_change =
        fem::test::isotropic_elastic_energy_J_per_m3(end.stress, youngs_of(c), poisson_of(c)) -
        fem::test::isotropic_elastic_energy_J_per_m3(start.stress, youngs_of(c), poisson_of(c));
    const double work = end.history[history::inelastic_work_J_per_m3] - start.history[history::inelastic_work_J_per_m3];
    EXPECT_GT(work, 1e4) << law->description();  // the cycle dissipates (J/m³)
    EXPECT_NEAR(work, loop - elastic_change, 1e-6 * work) << law->description();
  }
}

TEST(InelasticWork, uniaxial_cycle_through_the_lateral_newton_conserves_work_too) {
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("SAC305");
  const PointCurve curve = uniaxial_history(
      *law, UniaxialHistory{.axial = {{0, 0}, {20, 0.01}, {60, -0.01}, {80, 0}}, .control = Control::strain,
                            .n_increments_per_segment = 100, .temperature_K = fem::test::kelvin(100)});
  const double youngs_Pa = 49.5e9, poisson = 0.355;
  const double loop = stress_work_J_per_m3(curve, 0, curve.size() - 1);
  const double elastic_change = fem::test::isotropic_elastic_energy_J_per_m3(curve.back().stress, youngs_Pa, poisson);
  const double work = curve.back().history[history::inelastic_work_J_per_m3];
  EXPECT_NEAR(work, loop - elastic_change, 1e-6 * work);
}

TEST(InelasticWork, stored_inelastic_strain_reproduces_the_stress_and_equivalent_strain_adds_up) {
  for (const LawCase& c : inelastic_cases()) {
    const std::unique_ptr<MaterialLaw> law = fem::test::law_for(c.material, c.options);
    SimpleShearHistory cycle = kShearCycle;
    cycle.temperature_K = c.temperature_K;
    const PointCurve curve = simple_shear(*law, cycle);
    double equivalent_sum = 0;  // Σ sqrt(2/3·Δε_in:Δε_in), engineering shears halved back to tensor ones
    for (std::size_t k = 1; k < curve.size(); ++k) {
      double squared = 0;
      for (int i = 0; i < 6; ++i) {
        const double change = curve[k].history[history::inelastic_strain + i] - curve[k - 1].history[history::inelastic_strain + i];
        squared += i < 3 ? change * change : 0.5 * change * change;
      }
      equivalent_sum += std::sqrt(2.0 / 3.0 * squared);
    }
    const std::vector<double>& end = curve.back().history;
    EXPECT_NEAR(end[history::equivalent_inelastic_strain], equivalent_sum, 1e-9 * equivalent_sum) << law->description();
    EXPECT_NEAR(end[history::equivalent_creep_strain] + end[history::equivalent_plastic_strain],
                end[history::equivalent_inelastic_strain], 1e-12 * equivalent_sum);
    // σ = D·(ε − ε_in) at every sample (isothermal, stress-free at the test temperature)
    const Matrix6 stiffness = law->elastic_stiffness(c.temperature_K);
    for (const PointSample& sample : curve) {
      Voigt6 elastic{};
      for (int i = 0; i < 6; ++i) elastic[i] = sample.strain[i] - sample.history[history::inelastic_strain + i];
      const Voigt6 stress = multiply(stiffness, elastic);
      for (int i = 0; i < 6; ++i) EXPECT_NEAR(sample.stress[i], stress[i], 1e-6) << law->description();
    }
  }
}

TEST(InelasticWork, creep_and_plastic_parts_go_to_their_own_entries) {
  const std::unique_ptr<MaterialLaw> copper = fem::test::law_for("Cu_ED");
  const std::unique_ptr<MaterialLaw> anand = fem::test::law_for("SAC305");
  const UniaxialStrainRate ramp{.strain_rate_per_s = 1e-3, .final_strain = 0.01, .temperature_K = 298.15, .n_increments = 20};
  const std::vector<double> copper_end = uniaxial_constant_strain_rate(*copper, ramp).back().history;
  const std::vector<double> anand_end = uniaxial_constant_strain_rate(*anand, ramp).back().history;
  EXPECT_EQ(copper_end[history::equivalent_creep_strain], 0);
  EXPECT_GT(copper_end[history::equivalent_plastic_strain], 0.008);  // ε − σ/E ≈ 0.0083
  EXPECT_EQ(anand_end[history::equivalent_plastic_strain], 0);
  EXPECT_GT(anand_end[history::equivalent_creep_strain], 0.009);      // ε − σ/E ≈ 0.0092
  // uniaxial: the axial inelastic strain is the equivalent one
  EXPECT_NEAR(anand_end[history::inelastic_strain], anand_end[history::equivalent_inelastic_strain], 1e-12);
}

}  // namespace
}  // namespace wlp::fem
