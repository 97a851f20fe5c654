// The preconditioner of the frozen-factorization solves on one rank: a Cholesky factorization
// computed by CHOLMOD (SuiteSparse; supernodal, its METIS/AMD ordering, double precision) whose
// factor L is then kept in single precision and applied on several threads.
//
// Why not CHOLMOD's own solve: a Krylov iteration of a cycle run is one application of the factor
// (two triangular solves) and one product with the tangent, and the triangular solves read the
// whole factor, so they are bound by memory bandwidth. CHOLMOD reads 8 bytes an entry on one core.
// Here the entries are stored as floats (half the bytes) and the subtrees of the elimination tree
// are split between threads, so that the second core's bandwidth serves too (bench/RESULTS.md, "FE").
//
// The rounding of L to floats is done once per factorization, so the preconditioner is exactly
// the symmetric positive definite matrix M = L̃ L̃ᵀ of the rounded factor L̃; the solves with it
// accumulate in double precision. CG needs nothing more of a preconditioner. M differs from the
// factored matrix by about 1e-7 relative, much less than the frozen reference differs from the
// current tangent anyway; the answer of a solve is set by the Krylov tolerance on the true residual.
#pragma once

#include <petscmat.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace wlp::fem::detail {

class SinglePrecisionCholesky {
 public:
  explicit SinglePrecisionCholesky(int n_threads);
  ~SinglePrecisionCholesky();
  SinglePrecisionCholesky(const SinglePrecisionCholesky&) = delete;
  SinglePrecisionCholesky& operator=(const SinglePrecisionCholesky&) = delete;

  /// Factorizes a symmetric positive definite MATSEQAIJ matrix (its upper triangle is read). The
  /// ordering and symbolic analysis of the first call are kept for later matrices of the same
  /// pattern. False when the matrix is not positive definite (the factor is then unusable).
  /// Throws PetscError when CHOLMOD fails otherwise (out of memory).
  bool factorize(Mat matrix);

  /// solution = M⁻¹ rhs (n values each, n the matrix's order); the arrays may not overlap. Uses
  /// the object's work space: not to be called from two threads at once.
  void apply(const double* rhs, double* solution) const;

  [[nodiscard]] int order() const { return n_; }
  /// Entries of the supernodal factor (the dense blocks' values).
  [[nodiscard]] std::int64_t factor_entries() const { return static_cast<std::int64_t>(values_.size()); }

  struct Supernode {
    int first_column = 0, n_columns = 0, n_rows = 0;  // rows: the columns' own, then those below
    std::int64_t rows_at = 0, values_at = 0;          // in rows_ and values_ (column-major n_rows × n_columns)
  };

 private:
  struct Cholmod;  // CHOLMOD's common block and symbolic factor
  void take_structure();
  void split_between_threads();
  void forward_supernode(const Supernode& node, double* y, double* outside, int outside_from, int outside_to,
                         std::vector<double>& scratch) const;
  void backward_supernode(const Supernode& node, double* x, std::vector<double>& scratch) const;
  void forward_range(int first, int last, double* y, double* outside, int own_from, int own_to, std::vector<double>& scratch) const;

  int n_threads_ = 1;
  int n_ = 0;
  std::unique_ptr<Cholmod> cholmod_;
  std::vector<Supernode> supernodes_;  // in CHOLMOD's order (a postorder of the supernodal tree)
  std::vector<int> rows_;              // the row indices of every supernode
  std::vector<float> values_;          // the rounded factor
  std::vector<int> permutation_;       // L Lᵀ = P A Pᵀ: row k of P A is row permutation_[k] of A
  // The split: thread t solves the subtrees of supernode ranges thread_ranges_[t] (each range
  // [first, last) a whole subtree in postorder), the rest (top_) is solved by one thread after
  // (forward) or before (backward) them.
  std::vector<std::vector<std::pair<int, int>>> thread_ranges_;
  std::vector<int> top_;  // ascending
  struct ThreadWork {
    std::vector<double> outside;  // forward: the updates of the thread's subtrees to top rows
    std::vector<double> scratch;  // a supernode's update or gathered values
  };
  mutable std::vector<ThreadWork> work_;
  mutable std::vector<double> permuted_;  // P·rhs, then the solution in the factor's order
};

}  // namespace wlp::fem::detail
