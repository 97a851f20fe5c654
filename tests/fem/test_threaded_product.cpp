// The threaded sparse product (fem/threaded_product.h) against PETSc's own MatMult on the same
// matrix: a 3-dof-per-node stiffness pattern of a 12 × 10 × 9 node grid (27-node stencils, rows
// of 81 entries inside, fewer at the faces) with random values, on 1, 2 and 3 threads.
#include <gtest/gtest.h>

#include <petscmat.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "fem/threaded_product.h"
#include "fem_test_support.h"

namespace wlp::fem {
namespace {

detail::OwnedMat grid_stiffness_pattern(int nx, int ny, int nz, std::mt19937& random) {
  const PetscInt n = 3 * nx * ny * nz;
  detail::OwnedMat matrix;
  detail::check(MatCreateSeqAIJ(PETSC_COMM_SELF, n, n, 81, nullptr, matrix.out()), "MatCreateSeqAIJ");
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  const auto node = [&](int i, int j, int k) { return (k * ny + j) * nx + i; };
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j)
      for (int i = 0; i < nx; ++i)
        for (int dk = -1; dk <= 1; ++dk)
          for (int dj = -1; dj <= 1; ++dj)
            for (int di = -1; di <= 1; ++di) {
              if (i + di < 0 || i + di >= nx || j + dj < 0 || j + dj >= ny || k + dk < 0 || k + dk >= nz) continue;
              for (int a = 0; a < 3; ++a)
                for (int b = 0; b < 3; ++b) {
                  const PetscInt row = 3 * node(i, j, k) + a, column = 3 * node(i + di, j + dj, k + dk) + b;
                  const PetscScalar entry = value(random);
                  detail::check(MatSetValues(matrix.get(), 1, &row, 1, &column, &entry, INSERT_VALUES), "MatSetValues");
                }
            }
  detail::check(MatAssemblyBegin(matrix.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyBegin");
  detail::check(MatAssemblyEnd(matrix.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyEnd");
  return matrix;
}

TEST(ThreadedProduct, equals_petsc_matmult_on_any_number_of_threads) {
  test::ensure_petsc();
  std::mt19937 random(7);
  const detail::OwnedMat matrix = grid_stiffness_pattern(12, 10, 9, random);
  PetscInt n = 0;
  detail::check(MatGetSize(matrix.get(), &n, nullptr), "MatGetSize");
  detail::OwnedVec x, expected, y;
  detail::check(VecCreateSeq(PETSC_COMM_SELF, n, x.out()), "VecCreateSeq");
  detail::check(VecDuplicate(x.get(), expected.out()), "VecDuplicate");
  detail::check(VecDuplicate(x.get(), y.out()), "VecDuplicate");
  std::uniform_real_distribution<double> value(-1.0, 1.0);
  for (PetscInt i = 0; i < n; ++i) detail::check(VecSetValue(x.get(), i, value(random), INSERT_VALUES), "VecSetValue");
  detail::check(MatMult(matrix.get(), x.get(), expected.get()), "MatMult");
  PetscReal scale = 0;
  detail::check(VecNorm(expected.get(), NORM_INFINITY, &scale), "VecNorm");
  ASSERT_GT(scale, 1.0);
  for (int n_threads : {1, 2, 3}) {
    const detail::ThreadedProduct product(matrix.get(), n_threads);
    detail::check(VecSet(y.get(), 1e30), "VecSet");  // every entry must be written
    product.multiply(matrix.get(), x.get(), y.get());
    detail::check(VecAXPY(y.get(), -1.0, expected.get()), "VecAXPY");
    PetscReal difference = 0;
    detail::check(VecNorm(y.get(), NORM_INFINITY, &difference), "VecNorm");
    EXPECT_LT(difference, 1e-13 * scale) << n_threads << " threads";
  }
}

}  // namespace
}  // namespace wlp::fem
