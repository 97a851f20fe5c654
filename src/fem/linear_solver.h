// The linear solves of the Newton iterations (internal to the FE engine).
//
// FrozenFactorization: a direct factorization (MUMPS, Cholesky or LU) of a reference tangent is
// the preconditioner of CG/GMRES on the current tangent. The Krylov method converges to the
// current tangent's solution whatever the preconditioner, so Newton keeps its (quadratic)
// convergence; the preconditioner only changes the iteration count. The reference is refreshed
// (one more numeric factorization, same symbolic analysis) when a solve needs more than
// `refactor_iterations`, when the Krylov method fails, or when the caller marks it stale.
#pragma once

#include <petscksp.h>

#include <memory>

#include "fem/petsc_wrappers.h"
#include "fem/single_precision_cholesky.h"
#include "fem/solver_options.h"
#include "fem/threaded_product.h"

namespace wlp::fem::detail {

struct LinearSolveOutcome {
  bool converged = false;
  int n_iterations = 0;
  KSPConvergedReason reason = KSP_CONVERGED_ITERATING;
};

struct LinearSolverCounters {
  int n_factorizations = 0;   // numeric factorizations (or AMG set-ups)
  int n_solves = 0;
  long n_krylov_iterations = 0;
  double factorization_time_s = 0, solve_time_s = 0;
};

/// What the Krylov operator shell of LinearSolver multiplies with.
struct ProductShellContext {
  const ThreadedProduct* product = nullptr;
  Mat tangent = nullptr;
};

class LinearSolver {
 public:
  /// `n_product_threads` > 1: the Krylov method's products with a sequential tangent run on that
  /// many threads (ThreadedProduct).
  LinearSolver(const LinearSolverOptions& options, int n_product_threads) : options_(options), n_product_threads_(n_product_threads) {}

  /// Solves tangent · solution = rhs from a zero guess to ‖rhs − tangent·solution‖ ≤
  /// relative_tolerance·‖rhs‖ (Krylov kinds). Not converged after the retries above: returns
  /// converged = false (the caller cuts the increment back).
  LinearSolveOutcome solve(Mat tangent, Vec rhs, Vec solution, double relative_tolerance);
  /// The next solve refactors (after a checkpoint, a new analysis, a cutback).
  void mark_stale() { is_stale_ = true; }
  [[nodiscard]] const LinearSolverCounters& counters() const { return counters_; }

 private:
  void create(Mat tangent);
  [[nodiscard]] Mat krylov_operator(Mat tangent);
  void refactor(Mat tangent);
  void refactor_single(Mat tangent);
  void set_up_timed();
  LinearSolveOutcome krylov(Vec rhs, Vec solution);
  void note_drift(int n_iterations);  // marks the factor stale when the drift has cost enough
  double relative_tolerance_ = 1e-10;

  LinearSolverOptions options_;
  int n_product_threads_ = 1;
  OwnedKsp ksp_;
  // FrozenFactorization on one rank: the Krylov operator is a shell whose product is the
  // threaded one of the current tangent.
  std::unique_ptr<ThreadedProduct> product_;
  ProductShellContext shell_context_;
  OwnedMat shell_;
  OwnedMat reference_;  // FrozenFactorization through PETSc: the factored reference tangent
  // FrozenFactorization with CHOLMOD on one rank: the preconditioner is a PCSHELL applying this
  // factor of the reference tangent (which keeps no copy of the reference).
  std::unique_ptr<SinglePrecisionCholesky> single_factor_;
  bool factor_failed_ = false;  // the last factorization found the reference not positive definite
  bool is_stale_ = true;
  long excess_iterations_ = 0;  // Σ (iterations − 1) of the solves since the last factorization
  LinearSolverCounters counters_;
};

}  // namespace wlp::fem::detail
