// The single-precision CHOLMOD factor (fem/single_precision_cholesky.h) on a symmetric positive
// definite matrix whose spectrum is known: A = (graph Laplacian of a 14 × 12 × 10 node grid, 6-
// neighbour) ⊗ I₃ + a random symmetric positive semidefinite 3 × 3 block per node (eigenvalues in
// [0, 1]) + s I. Its eigenvalues lie in [s, 12 + 1 + s] (Gershgorin on the Laplacian, Weyl on the
// sum), so cond(A) ≤ (13 + s)/s. The oracle is the exact solution x* of A x = A x*.
#include <gtest/gtest.h>

#include <petscmat.h>

#include <cmath>
#include <random>
#include <vector>

#include "fem/single_precision_cholesky.h"
#include "fem/petsc_wrappers.h"
#include "fem_test_support.h"

namespace wlp::fem {
namespace {

constexpr int nx = 14, ny = 12, nz = 10;
constexpr double shift = 0.01;
constexpr double condition_bound = (13.0 + shift) / shift;

detail::OwnedMat grid_matrix(double scale, double diagonal_shift, std::mt19937& random) {
  const PetscInt n = 3 * nx * ny * nz;
  detail::OwnedMat matrix;
  detail::check(MatCreateSeqAIJ(PETSC_COMM_SELF, n, n, 21, nullptr, matrix.out()), "MatCreateSeqAIJ");
  const auto node = [](int i, int j, int k) { return (k * ny + j) * nx + i; };
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  auto add = [&](PetscInt row, PetscInt column, double entry) {
    const PetscScalar scaled = scale * entry;
    detail::check(MatSetValues(matrix.get(), 1, &row, 1, &column, &scaled, ADD_VALUES), "MatSetValues");
  };
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i) {
        const int here = node(i, j, k);
        const int neighbours[3][3] = {{i + 1, j, k}, {i, j + 1, k}, {i, j, k + 1}};
        for (const auto& other : neighbours) {
          if (other[0] >= nx || other[1] >= ny || other[2] >= nz) continue;
          const int there = node(other[0], other[1], other[2]);
          for (int a = 0; a < 3; ++a) {  // the edge's Laplacian [1 −1; −1 1] in every component
            add(3 * here + a, 3 * here + a, 1.0);
            add(3 * there + a, 3 * there + a, 1.0);
            add(3 * here + a, 3 * there + a, -1.0);
            add(3 * there + a, 3 * here + a, -1.0);
          }
        }
        // A positive semidefinite block v vᵀ / |v|² (eigenvalues 0, 0, 1) and the shift.
        double v[3] = {value(random), value(random), value(random)};
        const double norm2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        for (int a = 0; a < 3; ++a)
          for (int b = 0; b < 3; ++b) add(3 * here + a, 3 * here + b, v[a] * v[b] / norm2 + (a == b ? diagonal_shift : 0.0));
      }
  detail::check(MatAssemblyBegin(matrix.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyBegin");
  detail::check(MatAssemblyEnd(matrix.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyEnd");
  return matrix;
}

std::vector<double> multiply(Mat matrix, const std::vector<double>& x) {
  const auto n = static_cast<PetscInt>(x.size());
  detail::OwnedVec in, out;
  detail::check(VecCreateSeqWithArray(PETSC_COMM_SELF, 1, n, x.data(), in.out()), "VecCreateSeqWithArray");
  std::vector<double> y(x.size());
  detail::check(VecCreateSeqWithArray(PETSC_COMM_SELF, 1, n, y.data(), out.out()), "VecCreateSeqWithArray");
  detail::check(MatMult(matrix, in.get(), out.get()), "MatMult");
  return y;
}

double relative_distance(const std::vector<double>& a, const std::vector<double>& b) {
  double difference = 0, norm = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference += (a[i] - b[i]) * (a[i] - b[i]);
    norm += b[i] * b[i];
  }
  return std::sqrt(difference / norm);
}

struct Problem {
  detail::OwnedMat matrix;
  std::vector<double> exact, rhs;
};

Problem make_problem(double scale) {
  std::mt19937 random(11);
  Problem problem{grid_matrix(scale, shift, random), {}, {}};
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  problem.exact.resize(3 * nx * ny * nz);
  for (double& x : problem.exact) x = value(random);
  problem.rhs = multiply(problem.matrix.get(), problem.exact);
  return problem;
}

// One application is the solve with the rounded factor: its error is that of a relative matrix
// perturbation of 2·2⁻²⁴ (each factor entry rounded once), times the condition number.
TEST(SinglePrecisionCholesky, one_application_solves_to_the_rounding_of_the_factor_times_the_condition_number) {
  test::ensure_petsc();
  const Problem problem = make_problem(1.0);
  detail::SinglePrecisionCholesky factor(2);
  ASSERT_TRUE(factor.factorize(problem.matrix.get()));
  EXPECT_EQ(factor.order(), 3 * nx * ny * nz);
  EXPECT_GT(factor.factor_entries(), 3 * nx * ny * nz);
  std::vector<double> solution(problem.rhs.size());
  factor.apply(problem.rhs.data(), solution.data());
  const double error = relative_distance(solution, problem.exact);
  ::testing::Test::RecordProperty("relative_error", test::scientific(error));
  EXPECT_LT(error, condition_bound * 2.0 * std::ldexp(1.0, -24));
}

// Iterative refinement with the factor converges to the double-precision solution: the rounded
// factor is a good approximate inverse (contraction ≈ cond · 1e-7 per step).
TEST(SinglePrecisionCholesky, iterative_refinement_with_it_reaches_double_precision) {
  test::ensure_petsc();
  const Problem problem = make_problem(1.0);
  detail::SinglePrecisionCholesky factor(2);
  ASSERT_TRUE(factor.factorize(problem.matrix.get()));
  std::vector<double> x(problem.rhs.size(), 0.0), correction(x.size()), residual(x.size());
  for (int step = 0; step < 4; ++step) {
    const std::vector<double> ax = multiply(problem.matrix.get(), x);
    for (std::size_t i = 0; i < x.size(); ++i) residual[i] = problem.rhs[i] - ax[i];
    factor.apply(residual.data(), correction.data());
    for (std::size_t i = 0; i < x.size(); ++i) x[i] += correction[i];
  }
  EXPECT_LT(relative_distance(x, problem.exact), 1e-12);
}

// The subtrees of the elimination tree are split between the threads; the sums are the same
// numbers in another order.
TEST(SinglePrecisionCholesky, gives_the_same_solution_on_any_number_of_threads) {
  test::ensure_petsc();
  const Problem problem = make_problem(1.0);
  std::vector<double> one_thread(problem.rhs.size());
  detail::SinglePrecisionCholesky serial(1);
  ASSERT_TRUE(serial.factorize(problem.matrix.get()));
  serial.apply(problem.rhs.data(), one_thread.data());
  for (int n_threads : {2, 3, 4}) {
    detail::SinglePrecisionCholesky threaded(n_threads);
    ASSERT_TRUE(threaded.factorize(problem.matrix.get()));
    std::vector<double> solution(problem.rhs.size(), 1e30);
    threaded.apply(problem.rhs.data(), solution.data());
    EXPECT_LT(relative_distance(solution, one_thread), 1e-13) << n_threads << " threads";
  }
}

// A second factorization of a matrix of the same pattern reuses the analysis: 2A gives x*/2.
TEST(SinglePrecisionCholesky, refactorizes_a_matrix_of_the_same_pattern) {
  test::ensure_petsc();
  const Problem problem = make_problem(1.0);
  const Problem doubled = make_problem(2.0);
  detail::SinglePrecisionCholesky factor(2);
  ASSERT_TRUE(factor.factorize(problem.matrix.get()));
  ASSERT_TRUE(factor.factorize(doubled.matrix.get()));
  std::vector<double> solution(problem.rhs.size()), half(problem.exact.size());
  factor.apply(problem.rhs.data(), solution.data());
  for (std::size_t i = 0; i < half.size(); ++i) half[i] = 0.5 * problem.exact[i];
  EXPECT_LT(relative_distance(solution, half), condition_bound * 2.0 * std::ldexp(1.0, -24));
}

// A matrix with a negative eigenvalue is refused (shift −0.5: on the vectors constant per component
// the blocks average to a 3 × 3 matrix of trace 1, so one Rayleigh quotient is at most 1/3 − 0.5), and
// the factor is not applied afterwards.
TEST(SinglePrecisionCholesky, refuses_an_indefinite_matrix) {
  test::ensure_petsc();
  std::mt19937 random(11);
  const detail::OwnedMat indefinite = grid_matrix(1.0, -0.5, random);
  detail::SinglePrecisionCholesky factor(2);
  EXPECT_FALSE(factor.factorize(indefinite.get()));
  std::vector<double> rhs(3 * nx * ny * nz, 1.0), solution(rhs.size());
  EXPECT_THROW(factor.apply(rhs.data(), solution.data()), PetscError);
}

}  // namespace
}  // namespace wlp::fem
