// Anand viscoplasticity against its steady state under a constant strain rate: the closed form
// σ* = (ŝ/ξ)·Z^n·asinh(Z^m), s* = ŝ·Z^n, Z = (ε̇/A)·exp(Q/RT) (Brown, Kim & Anand, IJP 5 (1989)
// 95–130) and the published table of physics-data.md §2.1 for the four sets of the library.
#include <cmath>
#include <gtest/gtest.h>
#include <limits>

#include "fem/laws/anand_viscoplastic.h"
#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

struct SteadyCase {
  const char* material;
  double celsius, rate_per_s, table_MPa;
};

// physics-data.md §2.1 "Unit-test oracle (C)": all four sets, the six (T, rate) columns, in MPa
// quoted to 0.1 MPa.
const SteadyCase kTable[] = {
    {"Sn63Pb37", -40, 1e-3, 204.2}, {"Sn63Pb37", -40, 1e-5, 114.7}, {"Sn63Pb37", 25, 1e-3, 63.1},
    {"Sn63Pb37", 25, 1e-5, 27.9},   {"Sn63Pb37", 125, 1e-3, 12.6},  {"Sn63Pb37", 125, 1e-5, 2.8},
    {"Sn60Pb40", -40, 1e-3, 95.4},  {"Sn60Pb40", -40, 1e-5, 70.2},  {"Sn60Pb40", 25, 1e-3, 45.3},
    {"Sn60Pb40", 25, 1e-5, 28.4},   {"Sn60Pb40", 125, 1e-3, 14.9},  {"Sn60Pb40", 125, 1e-5, 5.1},
    {"SAC305", -40, 1e-3, 67.0},    {"SAC305", -40, 1e-5, 53.4},    {"SAC305", 25, 1e-3, 42.1},
    {"SAC305", 25, 1e-5, 30.4},     {"SAC305", 125, 1e-3, 22.8},    {"SAC305", 125, 1e-5, 13.0},
    {"SAC305_T", -40, 1e-3, 54.7},  {"SAC305_T", -40, 1e-5, 39.0},  {"SAC305_T", 25, 1e-3, 32.1},
    {"SAC305_T", 25, 1e-5, 21.2},   {"SAC305_T", 125, 1e-3, 18.0},  {"SAC305_T", 125, 1e-5, 11.3},
};

// Strain driven at a constant rate to 2.0 saturates every set: the slowest (Sn60Pb40, h0/s* ≈ 30,
// a = 1.34) is within 4e-4 of σ* there, while at ε = 0.05 it is still 30 % below.
constexpr double kFinalStrain = 2.0;
constexpr int kIncrements = 400;

double von_mises_of(const Voigt6& stress) {
  const double mean = (stress[0] + stress[1] + stress[2]) / 3;
  double sum = 0;
  for (int i = 0; i < 3; ++i) sum += (stress[i] - mean) * (stress[i] - mean);
  for (int i = 3; i < 6; ++i) sum += 2 * stress[i] * stress[i];
  return std::sqrt(1.5 * sum);
}

const AnandViscoplastic& anand_of(const std::unique_ptr<MaterialLaw>& law) {
  const auto* anand = dynamic_cast<const AnandViscoplastic*>(law.get());
  if (!anand) throw std::logic_error("not an Anand law: " + law->name());
  return *anand;
}

TEST(AnandViscoplastic, saturates_at_the_closed_form_and_the_published_table) {
  for (const SteadyCase& c : kTable) {
    const std::unique_ptr<MaterialLaw> law = fem::test::law_for(c.material);
    const AnandViscoplastic& anand = anand_of(law);
    const double temperature_K = fem::test::kelvin(c.celsius);
    const PointCurve curve = uniaxial_constant_strain_rate(
        anand, UniaxialStrainRate{.strain_rate_per_s = c.rate_per_s, .final_strain = kFinalStrain,
                                  .temperature_K = temperature_K, .n_increments = kIncrements});
    const double stress_MPa = curve.back().stress[0] * 1e-6;
    const double closed_form_MPa = anand.steady_state_stress_Pa(c.rate_per_s, temperature_K) * 1e-6;
    // Acceptance 0.5 %; against the table, at least half its last quoted digit (0.05 MPa).
    EXPECT_NEAR(stress_MPa, closed_form_MPa, 0.005 * closed_form_MPa) << c.material << " " << c.celsius << " C " << c.rate_per_s;
    EXPECT_NEAR(stress_MPa, c.table_MPa, std::max(0.005 * c.table_MPa, 0.05)) << c.material << " " << c.celsius << " C";
    // the deformation resistance saturates at s* = ŝ·Z^n
    const AnandParameters& p = anand.data().anand;
    const double z = c.rate_per_s / p.a_per_s * std::exp(p.q_over_r_K / temperature_K);
    const double saturation_Pa = p.s_hat_Pa * std::pow(z, p.n);
    EXPECT_NEAR(curve.back().history[anand_history::deformation_resistance_Pa], saturation_Pa, 0.005 * saturation_Pa)
        << c.material;
  }
}

TEST(AnandViscoplastic, newton_and_bracketed_local_solvers_agree) {
  const std::unique_ptr<MaterialLaw> library_law = fem::test::law_for("SAC305");
  AnandViscoplasticData data = anand_of(library_law).data();
  const AnandViscoplastic with_newton(data);
  data.local_solver = AnandLocalSolver::bracketed_only;
  const AnandViscoplastic bracketed_only(data);
  // A shear cycle with a fast load, a slow unload and a hold: hardening, softening and relaxation.
  const SimpleShearHistory history{.shear_strain = {{0, 0}, {1, 0.02}, {1000, -0.01}, {5000, -0.01}},
                                   .n_increments_per_segment = 40, .temperature_K = fem::test::kelvin(75)};
  const PointCurve first = simple_shear(with_newton, history);
  const PointCurve second = simple_shear(bracketed_only, history);
  ASSERT_EQ(first.size(), second.size());
  for (std::size_t k = 0; k < first.size(); ++k) {
    EXPECT_NEAR(first[k].stress[3], second[k].stress[3], 1e-9 * 40e6) << "sample " << k;
    EXPECT_NEAR(first[k].history[anand_history::deformation_resistance_Pa],
                second[k].history[anand_history::deformation_resistance_Pa], 1e-9 * 40e6);
  }
}

TEST(AnandViscoplastic, fresh_point_starts_at_s0) {
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("Sn63Pb37");
  std::vector<double> history(static_cast<std::size_t>(law->n_history()));
  law->initialise(history);
  EXPECT_DOUBLE_EQ(history[anand_history::deformation_resistance_Pa], 12.41e6);  // s0, physics-data.md §2.1
  EXPECT_EQ(history[history::equivalent_inelastic_strain], 0);
}

TEST(AnandViscoplastic, extreme_increments_give_finite_states_or_law_errors_never_nan) {
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("SAC305");
  std::vector<double> history_old(static_cast<std::size_t>(law->n_history()));
  law->initialise(history_old);
  int n_finite = 0;
  for (const double strain : {1e-9, 1e-3, 0.5, 5.0})
    for (const double time_step_s : {1e-12, 1.0, 1e9})
      for (const double celsius : {-65.0, 25.0, 200.0}) {
        const PointIncrement increment{.strain_old = {}, .strain_new = {strain, -0.3 * strain, 0, 0.5 * strain, 0, 0},
                                       .temperature_old_K = fem::test::kelvin(celsius),
                                       .temperature_new_K = fem::test::kelvin(celsius),
                                       .stress_free_temperature_K = fem::test::kelvin(celsius),
                                       .time_step_s = time_step_s};
        std::vector<double> history_new(history_old.size());
        Voigt6 stress{};
        Matrix6 tangent{};
        try {
          law->update(increment, Voigt6{}, history_old, stress, history_new, tangent);
        } catch (const LawError&) {
          continue;
        }
        for (const double value : stress) EXPECT_TRUE(std::isfinite(value)) << strain << " " << time_step_s;
        for (const double value : tangent) EXPECT_TRUE(std::isfinite(value)) << strain << " " << time_step_s;
        for (const double value : history_new) EXPECT_TRUE(std::isfinite(value)) << strain << " " << time_step_s;
        // the return never leaves the deviatoric stress above the elastic trial stress
        const Voigt6 trial = multiply(law->elastic_stiffness(increment.temperature_new_K), increment.strain_new);
        EXPECT_LE(von_mises_of(stress), von_mises_of(trial) * (1 + 1e-12));
        ++n_finite;
      }
  EXPECT_EQ(n_finite, 36);  // every one of these increments is solvable
}

}  // namespace
}  // namespace wlp::fem
