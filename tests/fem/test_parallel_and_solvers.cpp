// The same answers whatever the process count and the linear solver: 1 vs 2 MPI ranks (the test
// re-runs itself under `mpirun -n 2`), and the frozen factorization vs full Newton vs AMG.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <unistd.h>

#include "fem_test_support.h"
#include "mesh/block_mesh.h"

namespace wlp::fem {
namespace {

constexpr double room_K = 298.15;
constexpr const char* child_output_variable = "WLPKIT_FEM_MPI_CHILD_OUTPUT";

// An elastic substrate with an Anand (SAC305) film, cooled and held: work for both ranks.
struct Outcome {
  std::vector<std::array<double, 3>> displacements_m;
  std::vector<double> von_mises_Pa, creep_strain;
  int n_ranks = 1;
  SolverStatistics statistics;
};

Outcome run_creeping_plate(const SolverOptions& options) {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = spec.length_y_m = 3e-3;
  spec.n_x = spec.n_y = 6;
  spec.layers = {{0.4e-3, 0, 2, 1.0}, {0.1e-3, 1, 1, 1.0}};
  spec.materials = {"substrate", "creep"};
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  const mesh::Mesh mesh = mesh::make_block_mesh(spec);
  ThermoMechanicalSolver solver(mesh, {test::elastic(130e9, 0.28, 2.6e-6), test::anand_sac305()}, options);
  solver.run({{0, 600, 900}, {room_K, room_K - 65, room_K - 65}, {}}, 900);
  const ElementResults results = solver.element_results();
  return {solver.nodal_displacements_m(), results.von_mises_Pa, results.equivalent_creep_strain, solver.n_ranks(), solver.statistics()};
}

void write_outcome(const Outcome& outcome, const std::filesystem::path& path) {
  std::ofstream out(path);
  out.precision(17);
  out << outcome.n_ranks << ' ' << outcome.displacements_m.size() << ' ' << outcome.von_mises_Pa.size() << '\n';
  for (const auto& u : outcome.displacements_m) out << u[0] << ' ' << u[1] << ' ' << u[2] << '\n';
  for (std::size_t e = 0; e < outcome.von_mises_Pa.size(); ++e) out << outcome.von_mises_Pa[e] << ' ' << outcome.creep_strain[e] << '\n';
}

Outcome read_outcome(const std::filesystem::path& path) {
  std::ifstream in(path);
  Outcome outcome;
  std::size_t n_nodes = 0, n_elements = 0;
  in >> outcome.n_ranks >> n_nodes >> n_elements;
  outcome.displacements_m.resize(n_nodes);
  for (auto& u : outcome.displacements_m) in >> u[0] >> u[1] >> u[2];
  outcome.von_mises_Pa.resize(n_elements);
  outcome.creep_strain.resize(n_elements);
  for (std::size_t e = 0; e < n_elements; ++e) in >> outcome.von_mises_Pa[e] >> outcome.creep_strain[e];
  return outcome;
}

double relative_difference(const std::vector<double>& a, const std::vector<double>& b) {
  double difference = 0, scale = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    difference = std::max(difference, std::abs(a[i] - b[i]));
    scale = std::max(scale, std::abs(b[i]));
  }
  return a.size() == b.size() && scale > 0 ? difference / scale : std::numeric_limits<double>::infinity();
}

// The ranks are checked by the sanitizers like this process. Their stacks are unwound fully, so that
// allocations of Open MPI's event-loop thread, which it never frees, match the suppression file.
std::string sanitizer_environment() {
  std::string environment;
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"}) {
    const char* value = std::getenv(name);
    if (value == nullptr) continue;
    std::string options = value;
    if (std::string_view(name) == "ASAN_OPTIONS") options += ":fast_unwind_on_malloc=0";
    environment += std::string(" ") + name + "=" + test::shell_quoted(options);
  }
  return environment;
}

TEST(Mpi, two_ranks_agree_with_one_rank_to_1e8) {
  test::ensure_petsc();
  if (const char* child_output = std::getenv(child_output_variable)) {  // the re-run under mpirun
    const Outcome outcome = run_creeping_plate(SolverOptions{});
    if (!outcome.displacements_m.empty()) write_outcome(outcome, child_output);
    return;
  }
  const Outcome serial = run_creeping_plate(SolverOptions{});
  ASSERT_EQ(serial.n_ranks, 1);
  const std::filesystem::path output = std::filesystem::temp_directory_path() / ("wlpkit-fem-mpi-child-" + std::to_string(getpid()) + ".txt");
  std::filesystem::remove(output);
  const std::string self = std::filesystem::read_symlink("/proc/self/exe").string();
  // A clean environment: this process is an MPI singleton whose variables would confuse mpirun.
  const char* path = std::getenv("PATH");
  const test::CommandResult child = test::run_command(
      "env -i PATH=" + test::shell_quoted(path != nullptr ? path : "/usr/bin:/bin") + sanitizer_environment() +
      " OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1 " +
      child_output_variable + "=" + test::shell_quoted(output.string()) + " mpirun -n 2 " + test::shell_quoted(self) +
      " --gtest_filter=Mpi.two_ranks_agree_with_one_rank_to_1e8");
  ASSERT_EQ(child.exit_code, 0) << child.output;
  const Outcome parallel = read_outcome(output);
  std::filesystem::remove(output);
  ASSERT_EQ(parallel.n_ranks, 2);
  const double displacement_difference = test::compare(parallel.displacements_m, serial.displacements_m).relative();
  EXPECT_LT(displacement_difference, 1e-8);
  ::testing::Test::RecordProperty("relative_displacement_difference", test::scientific(displacement_difference));
  EXPECT_LT(relative_difference(parallel.von_mises_Pa, serial.von_mises_Pa), 1e-8);
  EXPECT_LT(relative_difference(parallel.creep_strain, serial.creep_strain), 1e-8);
  EXPECT_GT(*std::max_element(serial.creep_strain.begin(), serial.creep_strain.end()), 1e-4);
}

// The frozen factorization only preconditions the Krylov solves: the converged answers are those of
// full Newton with a fresh factorization at every iteration (and of CG + AMG), to the Newton tolerance.
TEST(LinearSolvers, frozen_factorization_direct_newton_and_amg_give_the_same_run) {
  test::ensure_petsc();
  const Outcome frozen = run_creeping_plate(SolverOptions{});
  ::testing::Test::RecordProperty("factorizations_frozen", frozen.statistics.n_factorizations);
  ::testing::Test::RecordProperty("linear_solves_frozen", frozen.statistics.n_linear_solves);
  ::testing::Test::RecordProperty("krylov_iterations_frozen", static_cast<int>(frozen.statistics.n_krylov_iterations));
  for (LinearSolverKind kind : {LinearSolverKind::Direct, LinearSolverKind::AmgGamg, LinearSolverKind::AmgHypre}) {
    SCOPED_TRACE(static_cast<int>(kind));
    SolverOptions options;
    options.linear.kind = kind;
    const Outcome other = run_creeping_plate(options);
    const double displacement_difference = test::compare(other.displacements_m, frozen.displacements_m).relative();
    EXPECT_LT(displacement_difference, 1e-7);
    ::testing::Test::RecordProperty("relative_difference_kind_" + std::to_string(static_cast<int>(kind)), test::scientific(displacement_difference));
    ::testing::Test::RecordProperty("factorizations_kind_" + std::to_string(static_cast<int>(kind)), other.statistics.n_factorizations);
    EXPECT_LT(relative_difference(other.von_mises_Pa, frozen.von_mises_Pa), 1e-7);
    if (kind == LinearSolverKind::Direct) {  // full Newton factorizes at every iteration, the frozen scheme rarely
      EXPECT_LT(frozen.statistics.n_factorizations, other.statistics.n_factorizations);
    }
  }
}

// The single-precision factor (the default preconditioner on one rank) and CHOLMOD's own
// double-precision solve precondition the same Krylov solves: the same run to the Newton
// tolerance, with the same factorizations.
TEST(LinearSolvers, the_single_precision_factor_gives_the_run_of_the_double_precision_one) {
  test::ensure_petsc();
  const Outcome single = run_creeping_plate(SolverOptions{});
  SolverOptions options;
  options.linear.single_precision_factor = false;
  const Outcome full = run_creeping_plate(options);
  const double displacement_difference = test::compare(single.displacements_m, full.displacements_m).relative();
  EXPECT_LT(displacement_difference, 1e-7);
  ::testing::Test::RecordProperty("relative_difference", test::scientific(displacement_difference));
  EXPECT_LT(relative_difference(single.von_mises_Pa, full.von_mises_Pa), 1e-7);
  EXPECT_LT(relative_difference(single.creep_strain, full.creep_strain), 1e-7);
  EXPECT_EQ(single.statistics.n_factorizations, full.statistics.n_factorizations);
  ::testing::Test::RecordProperty("krylov_iterations_single", static_cast<int>(single.statistics.n_krylov_iterations));
  ::testing::Test::RecordProperty("krylov_iterations_double", static_cast<int>(full.statistics.n_krylov_iterations));
}

// Refactoring once the drift has cost a few Krylov iterations changes how often the factor is
// renewed and how many Krylov iterations are needed, not the converged answer.
TEST(LinearSolvers, refactoring_on_accumulated_drift_gives_the_same_run_with_fewer_krylov_iterations) {
  test::ensure_petsc();
  const Outcome frozen = run_creeping_plate(SolverOptions{});
  SolverOptions eager;
  eager.linear.refactor_excess_iterations = 2;
  const Outcome renewed = run_creeping_plate(eager);
  EXPECT_LT(test::compare(renewed.displacements_m, frozen.displacements_m).relative(), 1e-7);
  EXPECT_LT(relative_difference(renewed.von_mises_Pa, frozen.von_mises_Pa), 1e-7);
  EXPECT_GT(renewed.statistics.n_factorizations, frozen.statistics.n_factorizations);
  EXPECT_LT(renewed.statistics.n_krylov_iterations, frozen.statistics.n_krylov_iterations);
}

}  // namespace
}  // namespace wlp::fem
