// y = A·x for a sequential AIJ (CSR) matrix on several threads. PETSc's own product runs on one
// core; the FE engine multiplies by the whole stiffness at every residual evaluation (K_lin·u)
// and at every Krylov iteration (the tangent), and those products are bound by memory bandwidth,
// which a second core nearly doubles (bench/RESULTS.md, "FE"). Rows are split into contiguous
// blocks of about equal nonzero counts and each y_i is summed by one thread in column order, so
// the result does not depend on the thread count (PETSc's own kernels may round differently:
// they agree to 1e-13 in tests/fem/test_threaded_product.cpp).
#pragma once

#include <petscmat.h>

#include <vector>

#include "fem/petsc_wrappers.h"  // check, PetscError

namespace wlp::fem::detail {

class ThreadedProduct {
 public:
  /// For matrices of `pattern`'s nonzero pattern (read here once), on `n_threads` threads.
  ThreadedProduct(Mat pattern, int n_threads);

  /// y = A·x; A must be a MATSEQAIJ of the pattern given at construction (values read now).
  void multiply(Mat matrix, Vec x, Vec y) const;

 private:
  std::vector<PetscInt> row_blocks_;  // thread t: rows [row_blocks_[t], row_blocks_[t + 1])
};

}  // namespace wlp::fem::detail
