#include "fem/threaded_product.h"

#include <algorithm>
#include <thread>

namespace wlp::fem::detail {
namespace {

// The CSR arrays of a SeqAIJ matrix (PETSc's own, no copy) for the life of one object.
class RowStructure {
 public:
  explicit RowStructure(Mat matrix) : matrix_(matrix) {
    check(MatGetRowIJ(matrix_, 0, PETSC_FALSE, PETSC_FALSE, &n_rows, &row_starts, &columns, &done), "MatGetRowIJ");
    if (!done) throw PetscError("MatGetRowIJ: the matrix gives no row structure (not AIJ)");
  }
  ~RowStructure() { MatRestoreRowIJ(matrix_, 0, PETSC_FALSE, PETSC_FALSE, &n_rows, &row_starts, &columns, &done); }
  RowStructure(const RowStructure&) = delete;
  RowStructure& operator=(const RowStructure&) = delete;

  PetscInt n_rows = 0;
  const PetscInt* row_starts = nullptr;
  const PetscInt* columns = nullptr;
  PetscBool done = PETSC_FALSE;

 private:
  Mat matrix_;
};

void multiply_rows(PetscInt first, PetscInt last, const PetscInt* row_starts, const PetscInt* columns, const PetscScalar* values,
                   const PetscScalar* x, PetscScalar* y) {
  for (PetscInt row = first; row < last; ++row) {
    PetscScalar sum = 0;
    for (PetscInt k = row_starts[row]; k < row_starts[row + 1]; ++k) sum += values[k] * x[columns[k]];
    y[row] = sum;
  }
}

}  // namespace

ThreadedProduct::ThreadedProduct(Mat pattern, int n_threads) {
  const RowStructure rows(pattern);
  const auto n = static_cast<std::size_t>(std::max(1, n_threads));
  const PetscInt n_nonzeros = rows.row_starts[rows.n_rows];
  row_blocks_.assign(1, 0);
  for (std::size_t t = 1; t < n; ++t) {  // the first row at which t/n of the nonzeros are behind
    const PetscInt target = static_cast<PetscInt>(static_cast<double>(n_nonzeros) * static_cast<double>(t) / static_cast<double>(n));
    const PetscInt* at = std::lower_bound(rows.row_starts, rows.row_starts + rows.n_rows, target);
    row_blocks_.push_back(std::max(row_blocks_.back(), static_cast<PetscInt>(at - rows.row_starts)));
  }
  row_blocks_.push_back(rows.n_rows);
}

void ThreadedProduct::multiply(Mat matrix, Vec x, Vec y) const {
  const RowStructure rows(matrix);
  if (rows.n_rows != row_blocks_.back()) throw PetscError("ThreadedProduct: the matrix is not of the pattern it was made for");
  const PetscScalar* values = nullptr;
  const PetscScalar* x_values = nullptr;
  PetscScalar* y_values = nullptr;
  check(MatSeqAIJGetArrayRead(matrix, &values), "MatSeqAIJGetArrayRead");
  check(VecGetArrayRead(x, &x_values), "VecGetArrayRead");
  check(VecGetArrayWrite(y, &y_values), "VecGetArrayWrite");
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t + 1 < row_blocks_.size(); ++t)
    threads.emplace_back(multiply_rows, row_blocks_[t], row_blocks_[t + 1], rows.row_starts, rows.columns, values, x_values, y_values);
  multiply_rows(row_blocks_[0], row_blocks_[1], rows.row_starts, rows.columns, values, x_values, y_values);
  for (std::thread& thread : threads) thread.join();
  check(VecRestoreArrayWrite(y, &y_values), "VecRestoreArrayWrite");
  check(VecRestoreArrayRead(x, &x_values), "VecRestoreArrayRead");
  check(MatSeqAIJRestoreArrayRead(matrix, &values), "MatSeqAIJRestoreArrayRead");
}

}  // namespace wlp::fem::detail
