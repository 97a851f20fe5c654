#include "fem/linear_solver.h"

#include <algorithm>
#include <chrono>
#include <string_view>

namespace wlp::fem::detail {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void mark_symmetric(Mat matrix) {
  check(MatSetOption(matrix, MAT_SYMMETRIC, PETSC_TRUE), "MatSetOption(MAT_SYMMETRIC)");
  check(MatSetOption(matrix, MAT_SYMMETRY_ETERNAL, PETSC_TRUE), "MatSetOption(MAT_SYMMETRY_ETERNAL)");
  check(MatSetOption(matrix, MAT_SPD, PETSC_TRUE), "MatSetOption(MAT_SPD)");
  check(MatSetOption(matrix, MAT_SPD_ETERNAL, PETSC_TRUE), "MatSetOption(MAT_SPD_ETERNAL)");
}

// CHOLMOD for a sequential Cholesky factorization, else MUMPS (see DirectSolverPackage).
MatSolverType direct_package(const LinearSolverOptions& options, MPI_Comm comm) {
  int n_ranks = 1;
  MPI_Comm_size(comm, &n_ranks);
  const bool can_use_cholmod = n_ranks == 1 && options.factorization == Factorization::Cholesky;
  switch (options.package) {
    case DirectSolverPackage::Mumps: return MATSOLVERMUMPS;
    case DirectSolverPackage::Cholmod: return can_use_cholmod ? MATSOLVERCHOLMOD : MATSOLVERMUMPS;
    case DirectSolverPackage::Automatic: break;
  }
  // Automatic is CHOLMOD where it can run: its METIS ordering gives a sparser factor than the
  // PORD ordering of Debian's MUMPS, so a frozen-factor Krylov iteration costs 33 against 42 ms
  // on B0 (60 k DOF) and 43 against 106 ms on the 6 × 6 quarter model (199 k DOF) (bench/RESULTS.md,
  // "FE"). MUMPS for LU and under MPI.
  return can_use_cholmod ? MATSOLVERCHOLMOD : MATSOLVERMUMPS;
}

// The product of the Krylov operator shell: the threaded product of the current tangent.
PetscErrorCode shell_multiply(Mat shell, Vec x, Vec y) {
  void* raw = nullptr;
  if (MatShellGetContext(shell, &raw) != 0) return PETSC_ERR_LIB;
  const auto* context = static_cast<const ProductShellContext*>(raw);
  try {
    context->product->multiply(context->tangent, x, y);
  } catch (const std::exception&) {
    return PETSC_ERR_LIB;
  }
  return 0;
}

// The preconditioner of the single-precision factor: solution = M⁻¹ rhs.
PetscErrorCode apply_single_factor(PC pc, Vec rhs, Vec solution) {
  void* raw = nullptr;
  if (PCShellGetContext(pc, &raw) != 0) return PETSC_ERR_LIB;
  const auto* factor = static_cast<const SinglePrecisionCholesky*>(raw);
  const PetscScalar* in = nullptr;
  PetscScalar* out = nullptr;
  if (VecGetArrayRead(rhs, &in) != 0) return PETSC_ERR_LIB;
  if (VecGetArrayWrite(solution, &out) != 0) return PETSC_ERR_LIB;
  PetscErrorCode code = 0;
  try {
    factor->apply(in, out);
  } catch (const std::exception&) {
    code = PETSC_ERR_LIB;
  }
  if (VecRestoreArrayWrite(solution, &out) != 0) code = PETSC_ERR_LIB;
  if (VecRestoreArrayRead(rhs, &in) != 0) code = PETSC_ERR_LIB;
  return code;
}

}  // namespace

// The operator of the Krylov method: the tangent, or on one rank with several threads a shell
// whose product is ThreadedProduct's (the preconditioner is built from the reference, not from it).
Mat LinearSolver::krylov_operator(Mat tangent) {
  if (!shell_) return tangent;
  shell_context_.tangent = tangent;
  return shell_.get();
}

void LinearSolver::create(Mat tangent) {
  MPI_Comm comm = MPI_COMM_NULL;
  check(PetscObjectGetComm(reinterpret_cast<PetscObject>(tangent), &comm), "PetscObjectGetComm");
  check(KSPCreate(comm, ksp_.out()), "KSPCreate");
  KSP ksp = ksp_.get();
  PC pc = nullptr;
  check(KSPGetPC(ksp, &pc), "KSPGetPC");
  const bool is_cholesky = options_.factorization == Factorization::Cholesky;
  switch (options_.kind) {
    case LinearSolverKind::FrozenFactorization:
    case LinearSolverKind::Direct:
      check(KSPSetType(ksp, options_.kind == LinearSolverKind::Direct ? KSPPREONLY
                            : options_.krylov == KrylovMethod::CG      ? KSPCG
                                                                       : KSPGMRES),
            "KSPSetType");
      if (options_.kind == LinearSolverKind::FrozenFactorization && options_.single_precision_factor &&
          std::string_view(direct_package(options_, comm)) == MATSOLVERCHOLMOD) {
        single_factor_ = std::make_unique<SinglePrecisionCholesky>(n_product_threads_);
        check(PCSetType(pc, PCSHELL), "PCSetType");
        check(PCShellSetContext(pc, single_factor_.get()), "PCShellSetContext");
        check(PCShellSetApply(pc, apply_single_factor), "PCShellSetApply");
        check(PCShellSetName(pc, "single-precision CHOLMOD factor of the reference tangent"), "PCShellSetName");
        break;
      }
      check(PCSetType(pc, is_cholesky ? PCCHOLESKY : PCLU), "PCSetType");
      check(PCFactorSetMatSolverType(pc, direct_package(options_, comm)), "PCFactorSetMatSolverType");
      break;
    case LinearSolverKind::AmgGamg:
    case LinearSolverKind::AmgHypre:
      check(KSPSetType(ksp, options_.krylov == KrylovMethod::CG ? KSPCG : KSPGMRES), "KSPSetType");
      check(PCSetType(pc, options_.kind == LinearSolverKind::AmgGamg ? PCGAMG : PCHYPRE), "PCSetType");
      if (options_.kind == LinearSolverKind::AmgHypre) check(PCHYPRESetType(pc, "boomeramg"), "PCHYPRESetType");
      break;
  }
  MatType type = nullptr;
  check(MatGetType(tangent, &type), "MatGetType");
  const bool is_sequential_aij = std::string_view(type) == MATSEQAIJ;
  if (options_.kind == LinearSolverKind::FrozenFactorization && is_sequential_aij && n_product_threads_ > 1) {
    product_ = std::make_unique<ThreadedProduct>(tangent, n_product_threads_);
    shell_context_.product = product_.get();
    PetscInt n_rows = 0, n_columns = 0;
    check(MatGetSize(tangent, &n_rows, &n_columns), "MatGetSize");
    check(MatCreateShell(comm, n_rows, n_columns, n_rows, n_columns, &shell_context_, shell_.out()), "MatCreateShell");
    check(MatShellSetOperation(shell_.get(), MATOP_MULT, reinterpret_cast<void (*)(void)>(shell_multiply)), "MatShellSetOperation");
  }
  check(KSPSetTolerances(ksp, options_.relative_tolerance, 0.0, 1e30, options_.max_iterations), "KSPSetTolerances");
  check(KSPSetNormType(ksp, KSP_NORM_UNPRECONDITIONED), "KSPSetNormType");
  if (options_.kind == LinearSolverKind::Direct) check(KSPSetNormType(ksp, KSP_NORM_NONE), "KSPSetNormType");
  check(KSPSetOptionsPrefix(ksp, "wlpkit_"), "KSPSetOptionsPrefix");
  check(KSPSetFromOptions(ksp), "KSPSetFromOptions");
}

void LinearSolver::set_up_timed() {
  const auto start = std::chrono::steady_clock::now();
  check(KSPSetUp(ksp_.get()), "KSPSetUp (factorization / preconditioner set-up)");
  counters_.factorization_time_s += seconds_since(start);
  ++counters_.n_factorizations;
}

// The reference is the current tangent, factored by CHOLMOD and kept in single precision.
void LinearSolver::refactor_single(Mat tangent) {
  const auto start = std::chrono::steady_clock::now();
  factor_failed_ = !single_factor_->factorize(tangent);
  counters_.factorization_time_s += seconds_since(start);
  ++counters_.n_factorizations;
  Mat op = krylov_operator(tangent);
  check(KSPSetOperators(ksp_.get(), op, op), "KSPSetOperators");
  is_stale_ = false;
  excess_iterations_ = 0;
}

void LinearSolver::refactor(Mat tangent) {
  if (single_factor_) {
    refactor_single(tangent);
    return;
  }
  if (!reference_) {
    check(MatDuplicate(tangent, MAT_COPY_VALUES, reference_.out()), "MatDuplicate (reference tangent)");
  } else {
    check(MatCopy(tangent, reference_.get(), SAME_NONZERO_PATTERN), "MatCopy (reference tangent)");
  }
  if (options_.factorization == Factorization::Cholesky) mark_symmetric(reference_.get());
  check(KSPSetOperators(ksp_.get(), krylov_operator(tangent), reference_.get()), "KSPSetOperators");
  check(KSPSetReusePreconditioner(ksp_.get(), PETSC_FALSE), "KSPSetReusePreconditioner");
  set_up_timed();
  check(KSPSetReusePreconditioner(ksp_.get(), PETSC_TRUE), "KSPSetReusePreconditioner");
  is_stale_ = false;
  excess_iterations_ = 0;
}

LinearSolveOutcome LinearSolver::krylov(Vec rhs, Vec solution) {
  if (single_factor_ && factor_failed_) {  // as PETSc's factor reports a zero pivot: the attempt fails
    ++counters_.n_solves;
    return LinearSolveOutcome{.converged = false, .n_iterations = 0, .reason = KSP_DIVERGED_PC_FAILED};
  }
  const auto start = std::chrono::steady_clock::now();
  check(VecSet(solution, 0.0), "VecSet");
  check(KSPSetTolerances(ksp_.get(), relative_tolerance_, 0.0, 1e30, options_.max_iterations), "KSPSetTolerances");
  check(KSPSolve(ksp_.get(), rhs, solution), "KSPSolve");
  LinearSolveOutcome outcome;
  PetscInt iterations = 0;
  check(KSPGetIterationNumber(ksp_.get(), &iterations), "KSPGetIterationNumber");
  check(KSPGetConvergedReason(ksp_.get(), &outcome.reason), "KSPGetConvergedReason");
  outcome.n_iterations = static_cast<int>(iterations);
  outcome.converged = outcome.reason > 0;
  counters_.solve_time_s += seconds_since(start);
  counters_.n_krylov_iterations += iterations;
  ++counters_.n_solves;
  return outcome;
}

void LinearSolver::note_drift(int n_iterations) {
  excess_iterations_ += std::max(0, n_iterations - 1);
  const int excess_limit = options_.refactor_excess_iterations;
  if (n_iterations > options_.refactor_iterations || (excess_limit > 0 && excess_iterations_ > excess_limit)) is_stale_ = true;
}

LinearSolveOutcome LinearSolver::solve(Mat tangent, Vec rhs, Vec solution, double relative_tolerance) {
  if (!ksp_) create(tangent);
  relative_tolerance_ = relative_tolerance;
  if (options_.kind != LinearSolverKind::FrozenFactorization) {
    if (options_.kind == LinearSolverKind::Direct && options_.factorization == Factorization::Cholesky) mark_symmetric(tangent);
    check(KSPSetOperators(ksp_.get(), tangent, tangent), "KSPSetOperators");
    set_up_timed();
    return krylov(rhs, solution);
  }
  bool refactored_now = false;
  if (is_stale_) {
    refactor(tangent);
    refactored_now = true;
  } else if (single_factor_) {
    Mat op = krylov_operator(tangent);
    check(KSPSetOperators(ksp_.get(), op, op), "KSPSetOperators");
  } else {
    check(KSPSetOperators(ksp_.get(), krylov_operator(tangent), reference_.get()), "KSPSetOperators");
  }
  LinearSolveOutcome outcome = krylov(rhs, solution);
  if (!outcome.converged && !refactored_now) {
    refactor(tangent);  // the reference drifted too far (or lost definiteness): start from the current tangent
    const int first_iterations = outcome.n_iterations;
    outcome = krylov(rhs, solution);
    note_drift(outcome.n_iterations);
    outcome.n_iterations += first_iterations;
    return outcome;
  }
  note_drift(outcome.n_iterations);
  return outcome;
}

}  // namespace wlp::fem::detail
