// Runs with inelastic laws: Newton's quadratic convergence, a creep bar against the material-point
// driver, cutbacks, and checkpoint/resume.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <unistd.h>

#include "fem/laws/point_driver.h"
#include "fem_test_support.h"
#include "mesh/block_mesh.h"

namespace wlp::fem {
namespace {

constexpr double room_K = 298.15;

test::NortonData fast_creep() { return {50e9, 0.35, 22e-6, 1e-4, 50e6, 4}; }

// A bar x ∈ [0, 4 mm] held at both ends (u_x = 0 at x = 0 by symmetry, prescribed 0 at x = 4 mm),
// free to contract laterally: a homogeneous uniaxial stress state under a temperature change.
struct Bar {
  mesh::Mesh mesh;
  std::vector<PrescribedDisplacement> end_held;
};

Bar held_bar() {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = 4e-3;
  spec.length_y_m = 1e-3;
  spec.n_x = 4;
  spec.n_y = 1;
  spec.layers = {{1e-3, 0, 1, 1.0}};
  spec.materials = {"creep"};
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  Bar bar{mesh::make_block_mesh(spec), {}};
  for (std::size_t node = 0; node < bar.mesh.n_nodes(); ++node)
    if (bar.mesh.nodes_m[node][0] == 4e-3) bar.end_held.push_back({static_cast<std::int64_t>(node), 0, 0.0});
  return bar;
}

SolverOptions single_increment_options() {
  SolverOptions options;
  options.increments.initial_time_step_s = 20;
  options.increments.max_temperature_change_K = 100;
  options.increments.max_inelastic_strain_increment = 0;
  return options;
}

// Newton with the consistent tangent of the Anand law (SAC305): the error is squared at every iteration, so the estimated
// order p = log(r_k+1/r_k)/log(r_k/r_k−1) approaches 2 (Dennis & Schnabel, Numerical Methods for
// Unconstrained Optimization, Thm. 5.2.1) until round-off.
TEST(Newton, convergence_is_quadratic_with_an_inelastic_law) {
  test::ensure_petsc();
  const Bar bar = held_bar();
  SolverOptions options = single_increment_options();
  options.newton.tangent_refresh_ratio = 0;  // the tangent at every iteration: Newton proper
  // Exact linear solves (1e-10): the inexact solves of the forcing terms stop the last step's
  // solve at what the tolerance needs, which hides the order of the tangent being tested.
  options.linear.adaptive_tolerance = false;
  ThermoMechanicalSolver solver(bar.mesh, {test::anand_sac305()}, options, bar.end_held);
  std::vector<double> residuals;
  solver.run(test::ramp(room_K, room_K - 50, 20), 20, [&](const IncrementReport& report) {
    residuals = report.residual_norms;
    return true;
  });
  ASSERT_GE(residuals.size(), 4u) << "too mildly nonlinear to show the order";
  double order = 0;
  for (std::size_t k = 2; k < residuals.size(); ++k)
    if (residuals[k] > 1e-12) order = std::log(residuals[k] / residuals[k - 1]) / std::log(residuals[k - 1] / residuals[k - 2]);
  EXPECT_GT(order, 1.8);
  EXPECT_LT(residuals.back(), 1e-8);
  ::testing::Test::RecordProperty("newton_order", test::scientific(order));
  ::testing::Test::RecordProperty("n_residuals", static_cast<int>(residuals.size()));
}

// Chord iterations (NewtonOptions::tangent_refresh_ratio): a bilayer of Anand SAC305 on an
// elastic substrate (bending: the elements' incompatible modes work) cooled by 60 K in one
// increment. Kept tangents converge linearly, so the run takes more iterations and fewer
// tangents; its answer is the one of Newton to the tolerance, since both stop on the exact residual.
struct BilayerRun {
  std::vector<std::array<double, 3>> displacements_m;
  ElementResults elements;
  SolverStatistics statistics;
  std::vector<double> residuals;
};

BilayerRun cooled_bilayer(double tangent_refresh_ratio, int max_iterations = 40, bool skip_predicted_last_tangent = false) {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = 4e-3;
  spec.length_y_m = 1e-3;
  spec.n_x = 8;
  spec.n_y = 2;
  spec.layers = {{0.5e-3, 0, 2, 1.0}, {0.5e-3, 1, 2, 1.0}};
  spec.materials = {"substrate", "solder"};
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  const mesh::Mesh mesh = mesh::make_block_mesh(spec);
  std::vector<PrescribedDisplacement> held;  // the substrate's bottom corner line held in z
  for (std::size_t node = 0; node < mesh.n_nodes(); ++node)
    if (mesh.nodes_m[node][0] == 0 && mesh.nodes_m[node][2] == 0) held.push_back({static_cast<std::int64_t>(node), 2, 0.0});
  SolverOptions options = single_increment_options();
  options.newton.tangent_refresh_ratio = tangent_refresh_ratio;
  options.newton.skip_predicted_last_tangent = skip_predicted_last_tangent;
  options.newton.residual_tolerance = 1e-10;
  options.newton.max_iterations = max_iterations;  // 40: room for linear convergence in one increment, as Newton has
  ThermoMechanicalSolver solver(mesh, {test::elastic(130e9, 0.28, 2.6e-6), test::anand_sac305()}, options, held);
  BilayerRun run;
  solver.run(test::ramp(room_K, room_K - 60, 20), 20, [&](const IncrementReport& report) {
    run.residuals = report.residual_norms;
    return true;
  });
  run.displacements_m = solver.nodal_displacements_m();
  run.elements = solver.element_results();
  run.statistics = solver.statistics();
  return run;
}

TEST(Newton, chord_iterations_reach_the_newton_answer_with_fewer_tangents) {
  test::ensure_petsc();
  const BilayerRun newton = cooled_bilayer(0);
  const BilayerRun chord = cooled_bilayer(1);  // keep the tangent while the residual falls at all
  ASSERT_EQ(chord.statistics.n_increments, 1);  // the same time discretisation: one 60 K increment each
  ASSERT_EQ(newton.statistics.n_increments, 1);
  EXPECT_EQ(newton.statistics.n_residual_evaluations, 0);
  EXPECT_GT(chord.statistics.n_residual_evaluations, 0);
  EXPECT_LT(chord.statistics.n_tangent_evaluations, newton.statistics.n_tangent_evaluations);
  EXPECT_GT(chord.residuals.size(), newton.residuals.size()) << "kept tangents converge linearly";
  EXPECT_LT(chord.residuals.back(), 1e-10);
  const test::Difference difference = test::compare(chord.displacements_m, newton.displacements_m);
  EXPECT_LT(difference.relative(), 1e-6) << "chord against Newton displacements";
  double largest_stress = 0, stress_difference = 0;
  for (std::size_t e = 0; e < newton.elements.von_mises_Pa.size(); ++e) {
    largest_stress = std::max(largest_stress, newton.elements.von_mises_Pa[e]);
    stress_difference = std::max(stress_difference, std::abs(chord.elements.von_mises_Pa[e] - newton.elements.von_mises_Pa[e]));
  }
  EXPECT_GT(largest_stress, 1e6);
  EXPECT_LT(stress_difference, 1e-6 * largest_stress) << "chord against Newton von Mises stresses";
  ::testing::Test::RecordProperty("newton_residuals", static_cast<int>(newton.residuals.size()));
  ::testing::Test::RecordProperty("chord_residuals", static_cast<int>(chord.residuals.size()));
}

// NewtonOptions::skip_predicted_last_tangent: the evaluation predicted to be the last computes the
// residual alone. The residual does not depend on the tangent, so where the guess is right the
// run is Newton's: the same residual history and answer, one tangent fewer.
TEST(Newton, the_predicted_last_evaluation_skips_its_tangent_and_changes_nothing) {
  test::ensure_petsc();
  const BilayerRun newton = cooled_bilayer(0);
  const BilayerRun predicted = cooled_bilayer(0, 40, true);
  ASSERT_GE(newton.residuals.size(), 4u);
  EXPECT_EQ(predicted.statistics.n_residual_evaluations, 1);
  EXPECT_EQ(predicted.statistics.n_tangent_evaluations, newton.statistics.n_tangent_evaluations - 1);
  EXPECT_EQ(predicted.residuals, newton.residuals);
  EXPECT_EQ(test::compare(predicted.displacements_m, newton.displacements_m).max_abs, 0.0);
}

// An attempt whose chord iterations do not converge within the iteration limit is repeated with
// Newton before any cutback: with 6 iterations allowed the chord run (10 needed above) falls
// back once and ends where Newton (5) does, in one increment.
TEST(Newton, a_failed_chord_attempt_is_repeated_with_newton_before_any_cutback) {
  test::ensure_petsc();
  const BilayerRun newton = cooled_bilayer(0, 6);
  const BilayerRun chord = cooled_bilayer(1, 6);
  ASSERT_EQ(newton.statistics.n_increments, 1);
  EXPECT_EQ(newton.statistics.n_cutbacks, 0);
  EXPECT_EQ(chord.statistics.n_newton_fallbacks, 1);
  EXPECT_EQ(chord.statistics.n_cutbacks, 0);
  EXPECT_EQ(chord.statistics.n_increments, 1);
  EXPECT_EQ(chord.residuals, newton.residuals) << "the repeated attempt is Newton's";
  EXPECT_LT(test::compare(chord.displacements_m, newton.displacements_m).relative(), 1e-12);
}

// The laws' material-point driver (laws/point_driver.h) under uniaxial stress: ε_xx = 0 (held),
// σ_yy = σ_zz = 0 (free), shears zero, through the same (t, T) increments as the FE run.
PointLoading held_uniaxial(const std::vector<std::array<double, 2>>& times_and_temperatures) {
  PointLoading loading;
  loading.stress_free_temperature_K = loading.initial_temperature_K = room_K;
  for (const auto& [time, temperature] : times_and_temperatures) {
    PointTarget target;
    target.time_s = time;
    target.temperature_K = temperature;
    target.control[1] = target.control[2] = Control::stress;
    loading.increments.push_back(target);
  }
  return loading;
}

TEST(CreepBar, held_bar_under_cooling_and_dwell_equals_the_material_point_driver) {
  test::ensure_petsc();
  const Bar bar = held_bar();
  const auto law = test::norton(fast_creep());
  ThermoMechanicalSolver solver(bar.mesh, {law}, SolverOptions{}, bar.end_held);
  const TemperatureHistory history{{0, 500, 1000}, {room_K, room_K - 50, room_K - 50}, {}};
  std::vector<std::array<double, 2>> steps;  // (time, temperature) after every increment
  solver.run(history, 1000, [&](const IncrementReport& report) {
    steps.push_back({report.time_s, report.temperature_K});
    return true;
  });
  const PointSample point = drive_point(*law, held_uniaxial(steps)).back();
  ASSERT_GT(point.history[history::equivalent_creep_strain], 1e-4) << "the bar should creep";
  const ElementResults results = solver.element_results();
  for (std::size_t e = 0; e < bar.mesh.n_elements(); ++e) {
    EXPECT_NEAR(results.stress_Pa[e][0], point.stress[0], 1e-6 * std::abs(point.stress[0])) << "element " << e;
    EXPECT_NEAR(results.equivalent_creep_strain[e], point.history[history::equivalent_creep_strain],
                1e-6 * point.history[history::equivalent_creep_strain]);
    EXPECT_NEAR(results.inelastic_work_J_per_m3[e], point.history[history::inelastic_work_J_per_m3],
                1e-6 * point.history[history::inelastic_work_J_per_m3]);
  }
  ::testing::Test::RecordProperty("sigma_xx_point_Pa", test::scientific(point.stress[0]));
  ::testing::Test::RecordProperty("sigma_xx_fe_Pa", test::scientific(results.stress_Pa[0][0]));
  ::testing::Test::RecordProperty("n_increments", static_cast<int>(steps.size()));
}

// A free block (3-2-1 support) whose law rejects temperature steps above 4 K: a 20 K first step
// fails, is halved to 10, 5 and 2.5 K, and the run still ends at the free expansion u = αΔT x.
mesh::Mesh free_block() {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = spec.length_y_m = 1e-3;
  spec.n_x = spec.n_y = 2;
  spec.layers = {{0.5e-3, 0, 1, 1.0}};
  spec.materials = {"m"};
  return mesh::make_block_mesh(spec);
}

std::vector<std::array<double, 3>> free_expansion(const mesh::Mesh& mesh, double strain) {
  std::vector<std::array<double, 3>> u;
  for (const auto& x : mesh.nodes_m)
    u.push_back({strain * (x[0] - mesh.nodes_m[0][0]), strain * (x[1] - mesh.nodes_m[0][1]), strain * x[2]});
  return u;
}

TEST(Cutback, a_failing_increment_is_retried_at_half_the_step_and_the_run_reaches_the_end) {
  test::ensure_petsc();
  const mesh::Mesh mesh = free_block();
  SolverOptions options;
  options.increments.initial_time_step_s = 100;
  options.increments.max_temperature_change_K = 20;
  ThermoMechanicalSolver solver(mesh, {std::make_shared<test::FailsOnLargeSteps>(100e9, 0.3, 10e-6, 4.0)}, options);
  std::vector<IncrementReport> reports;
  const RunSummary summary = solver.run(test::ramp(room_K, room_K + 20, 100), 100, [&](const IncrementReport& report) {
    reports.push_back(report);
    return true;
  });
  EXPECT_TRUE(summary.reached_end);
  EXPECT_EQ(summary.time_s, 100.0);
  ASSERT_FALSE(reports.empty());
  EXPECT_EQ(reports.front().n_cutbacks, 3);
  EXPECT_DOUBLE_EQ(reports.front().time_step_s, 12.5);  // 100 s → 50 → 25 → 12.5 s (20 K → 2.5 K)
  EXPECT_GE(solver.statistics().n_cutbacks, 3);
  const test::Difference difference = test::compare(solver.nodal_displacements_m(), free_expansion(mesh, 10e-6 * 20));
  EXPECT_LT(difference.relative(), 1e-9);
}

TEST(Cutback, too_many_cutbacks_throw_convergence_error_and_keep_every_finished_increment) {
  test::ensure_petsc();
  const mesh::Mesh mesh = free_block();
  SolverOptions options;
  options.increments.initial_time_step_s = 10;
  options.increments.max_temperature_change_K = 100;
  options.increments.max_cutbacks = 2;
  ThermoMechanicalSolver solver(mesh, {std::make_shared<test::FailsOnLargeSteps>(100e9, 0.3, 10e-6, 4.0)}, options);
  // 2 K in the first 10 s (one increment), then a 100 K jump in 1 s that no allowed step can take.
  const TemperatureHistory history{{0, 10, 11}, {room_K, room_K + 2, room_K + 102}, {}};
  try {
    solver.run(history, 11);
    FAIL() << "expected ConvergenceError";
  } catch (const ConvergenceError& error) {
    EXPECT_EQ(error.where().increment, 2);
    EXPECT_EQ(error.where().start_time_s, 10.0);
    EXPECT_EQ(error.where().worst_element, 0);  // the law fails in every element; the lowest index is named
    EXPECT_NE(std::string(error.what()).find("increment 2"), std::string::npos) << error.what();
  }
  EXPECT_EQ(solver.time_s(), 10.0);
  EXPECT_DOUBLE_EQ(solver.temperature_K(), room_K + 2);
  const test::Difference difference = test::compare(solver.nodal_displacements_m(), free_expansion(mesh, 10e-6 * 2));
  EXPECT_LT(difference.relative(), 1e-9);
}

// A bilayer (elastic bottom, Anand SAC305 top) through a ramp and a dwell.
struct Bilayer {
  mesh::Mesh mesh;
  std::vector<std::shared_ptr<const MaterialLaw>> laws;
  TemperatureHistory history{{0, 300, 600}, {room_K, room_K + 60, room_K + 60}, {}};
};

Bilayer creeping_bilayer() {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = spec.length_y_m = 2e-3;
  spec.n_x = spec.n_y = 4;
  spec.layers = {{0.3e-3, 0, 1, 1.0}, {0.2e-3, 1, 1, 1.0}};
  spec.materials = {"elastic", "creep"};
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  return {mesh::make_block_mesh(spec), {test::elastic(130e9, 0.28, 2.6e-6), test::anand_sac305()}};
}

TEST(Checkpoint, resuming_from_a_checkpoint_continues_bit_identically) {
  test::ensure_petsc();
  const Bilayer case_ = creeping_bilayer();
  const std::filesystem::path path = std::filesystem::temp_directory_path() / ("wlpkit-test-checkpoint-" + std::to_string(getpid()) + ".bin");
  ThermoMechanicalSolver first(case_.mesh, case_.laws);
  int saved_at = 0;
  first.run(case_.history, 600, [&](const IncrementReport& report) {
    if (report.increment == 4) {
      first.save_checkpoint(path);
      saved_at = report.increment;
    }
    return true;
  });
  ASSERT_EQ(saved_at, 4);
  ThermoMechanicalSolver resumed(case_.mesh, case_.laws);
  resumed.load_checkpoint(path);
  std::filesystem::remove(path);
  EXPECT_GT(resumed.time_s(), 0.0);
  resumed.run(case_.history, 600);
  EXPECT_EQ(resumed.time_s(), first.time_s());
  const auto u_first = first.nodal_displacements_m(), u_resumed = resumed.nodal_displacements_m();
  ASSERT_EQ(u_first.size(), u_resumed.size());
  for (std::size_t node = 0; node < u_first.size(); ++node)
    for (int c = 0; c < 3; ++c) ASSERT_EQ(u_first[node][c], u_resumed[node][c]) << "node " << node;
  const ElementResults a = first.element_results(), b = resumed.element_results();
  for (std::size_t e = 0; e < case_.mesh.n_elements(); ++e) {
    ASSERT_EQ(a.von_mises_Pa[e], b.von_mises_Pa[e]) << "element " << e;
    ASSERT_EQ(a.inelastic_work_J_per_m3[e], b.inelastic_work_J_per_m3[e]) << "element " << e;
  }
  EXPECT_GT(a.equivalent_creep_strain.back(), 1e-5) << "the top layer should flow";
}

// A substrate whose E(T) is flat from 200 to 400 K and falls above: over a run from 25 to 125 °C
// with a declared range its elements are linear (assembled once), and the run is the same as with
// every element re-evaluated; a history that leaves the declared range is refused.
TEST(TemperatureRange, elements_flat_over_the_range_are_linear_and_give_the_same_run) {
  test::ensure_petsc();
  const Bilayer case_ = creeping_bilayer();
  IsotropicElasticData flat_then_soft{TemperatureTable{{{200, 130e9}, {400, 130e9}, {500, 100e9}}}, 0.28,
                                      TemperatureTable::constant(2.6e-6)};
  const std::vector<std::shared_ptr<const MaterialLaw>> laws{std::make_shared<IsotropicElastic>(flat_then_soft), case_.laws[1]};
  const TemperatureHistory history = test::ramp(room_K, room_K + 100, 600);
  // Both runs converge to 1e-11 of the force scale, so their answers agree to about that.
  SolverOptions every = test::options_with(ElementFormulation::Hex8Incompatible);
  every.newton.residual_tolerance = 1e-11;
  SolverOptions declared = every;
  declared.temperature_range = TemperatureRange{.low_K = room_K, .high_K = room_K + 100};
  ThermoMechanicalSolver every_element(case_.mesh, laws, every);
  ThermoMechanicalSolver flat_linear(case_.mesh, laws, declared);
  const long n_substrate = std::count(case_.mesh.material_of_element.begin(), case_.mesh.material_of_element.end(), 0);
  ASSERT_GT(n_substrate, 0);
  EXPECT_EQ(every_element.statistics().n_nonlinear_elements, static_cast<std::int64_t>(case_.mesh.n_elements()));
  EXPECT_EQ(flat_linear.statistics().n_nonlinear_elements, static_cast<std::int64_t>(case_.mesh.n_elements()) - n_substrate);
  every_element.run(history, 600);
  flat_linear.run(history, 600);
  const test::Difference difference = test::compare(flat_linear.nodal_displacements_m(), every_element.nodal_displacements_m());
  EXPECT_LT(difference.relative(), 1e-9);
  EXPECT_GT(every_element.element_results().equivalent_creep_strain.back(), 1e-5) << "the top layer should flow";

  ThermoMechanicalSolver refused(case_.mesh, laws, declared);
  EXPECT_THROW(refused.run(test::ramp(room_K, room_K + 150, 600), 600), std::invalid_argument);
  SolverOptions inverted = declared;
  inverted.temperature_range = TemperatureRange{.low_K = 400, .high_K = 300};
  EXPECT_THROW(ThermoMechanicalSolver(case_.mesh, laws, inverted), std::invalid_argument);
}

TEST(Checkpoint, a_checkpoint_of_another_mesh_is_refused) {
  test::ensure_petsc();
  const Bilayer case_ = creeping_bilayer();
  const std::filesystem::path path = std::filesystem::temp_directory_path() / ("wlpkit-test-checkpoint-other-" + std::to_string(getpid()) + ".bin");
  ThermoMechanicalSolver first(case_.mesh, case_.laws);
  first.save_checkpoint(path);
  ThermoMechanicalSolver other(free_block(), {test::elastic(100e9, 0.3, 1e-6)});
  EXPECT_THROW(other.load_checkpoint(path), CheckpointError);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace wlp::fem
