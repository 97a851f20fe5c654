#include "fem/single_precision_cholesky.h"

#include <suitesparse/cholmod.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <string>
#include <thread>

#include "fem/petsc_wrappers.h"  // check, PetscError

namespace wlp::fem::detail {

struct SinglePrecisionCholesky::Cholmod {
  cholmod_common common{};
  cholmod_factor* factor = nullptr;  // symbolic between factorizations (its values are freed)
  bool started = false;

  ~Cholmod() {
    if (factor != nullptr) cholmod_free_factor(&factor, &common);
    if (started) cholmod_finish(&common);
  }
};

namespace {

// The upper triangle of a symmetric SeqAIJ matrix as CHOLMOD's compressed columns, on PETSc's own
// arrays: row j of the CSR is column j of the (symmetric) matrix; stype = +1 reads i ≤ j only.
class CholmodView {
 public:
  explicit CholmodView(Mat matrix) : matrix_(matrix) {
    PetscBool done = PETSC_FALSE;
    check(MatGetRowIJ(matrix_, 0, PETSC_FALSE, PETSC_FALSE, &n_, &row_starts_, &columns_, &done), "MatGetRowIJ");
    if (!done) throw PetscError("SinglePrecisionCholesky: the matrix gives no row structure (not MATSEQAIJ)");
    check(MatSeqAIJGetArrayRead(matrix_, &values_), "MatSeqAIJGetArrayRead");
    sparse.nrow = sparse.ncol = static_cast<std::size_t>(n_);
    sparse.nzmax = static_cast<std::size_t>(row_starts_[n_]);
    sparse.p = const_cast<PetscInt*>(row_starts_);  // CHOLMOD reads, never writes, an input matrix
    sparse.i = const_cast<PetscInt*>(columns_);
    sparse.x = const_cast<PetscScalar*>(values_);
    sparse.stype = 1;
    sparse.itype = CHOLMOD_INT;
    sparse.xtype = CHOLMOD_REAL;
    sparse.dtype = CHOLMOD_DOUBLE;
    sparse.sorted = 1;
    sparse.packed = 1;
  }
  ~CholmodView() {
    MatSeqAIJRestoreArrayRead(matrix_, &values_);
    PetscBool done = PETSC_FALSE;
    MatRestoreRowIJ(matrix_, 0, PETSC_FALSE, PETSC_FALSE, &n_, &row_starts_, &columns_, &done);
  }
  CholmodView(const CholmodView&) = delete;
  CholmodView& operator=(const CholmodView&) = delete;

  cholmod_sparse sparse{};

 private:
  Mat matrix_;
  PetscInt n_ = 0;
  const PetscInt* row_starts_ = nullptr;
  const PetscInt* columns_ = nullptr;
  const PetscScalar* values_ = nullptr;
};

void check_cholmod(const cholmod_common& common, const char* what) {
  if (common.status < 0) throw PetscError(std::string(what) + " failed in CHOLMOD (status " + std::to_string(common.status) + ")");
}

}  // namespace

SinglePrecisionCholesky::SinglePrecisionCholesky(int n_threads)
    : n_threads_(std::max(1, n_threads)), cholmod_(std::make_unique<Cholmod>()) {
  cholmod_start(&cholmod_->common);
  cholmod_->started = true;
  cholmod_->common.supernodal = CHOLMOD_SUPERNODAL;  // the dense blocks the threaded solves read
  cholmod_->common.print = 0;
  cholmod_->common.error_handler = nullptr;
}

SinglePrecisionCholesky::~SinglePrecisionCholesky() = default;

bool SinglePrecisionCholesky::factorize(Mat matrix) {
  CholmodView view(matrix);
  cholmod_common& common = cholmod_->common;
  if (cholmod_->factor == nullptr) {
    cholmod_->factor = cholmod_analyze(&view.sparse, &common);  // ordering: CHOLMOD's default (AMD, METIS if it fills less)
    check_cholmod(common, "cholmod_analyze");
    if (cholmod_->factor == nullptr) throw PetscError("cholmod_analyze returned no factor");
  } else if (static_cast<int>(view.sparse.nrow) != n_) {
    throw PetscError("SinglePrecisionCholesky: the matrix is not of the order of the first one");
  }
  cholmod_factor* factor = cholmod_->factor;
  cholmod_factorize(&view.sparse, factor, &common);
  check_cholmod(common, "cholmod_factorize");
  if (common.status == CHOLMOD_NOT_POSDEF || factor->minor < factor->n) {
    values_.clear();
    return false;
  }
  if (!factor->is_super || !factor->is_ll) throw PetscError("cholmod_factorize did not give a supernodal LLᵀ factor");
  if (supernodes_.empty()) take_structure();
  const auto* x = static_cast<const double*>(factor->x);
  values_.assign(x, x + factor->xsize);  // rounded to single precision, once
  // Back to symbolic: the double values are not needed until the next factorization.
  cholmod_change_factor(CHOLMOD_PATTERN, 1, 1, 1, 1, factor, &common);
  check_cholmod(common, "cholmod_change_factor");
  return true;
}

// Copies the supernodal structure (the same for every factorization of the pattern) and splits
// the tree between the threads.
void SinglePrecisionCholesky::take_structure() {
  const cholmod_factor* factor = cholmod_->factor;
  n_ = static_cast<int>(factor->n);
  const auto* perm = static_cast<const int*>(factor->Perm);
  permutation_.assign(perm, perm + n_);
  const auto* super = static_cast<const int*>(factor->super);
  const auto* pi = static_cast<const int*>(factor->pi);
  const auto* px = static_cast<const int*>(factor->px);  // a CHOLMOD_INT factor: every index an int
  const auto* s = static_cast<const int*>(factor->s);
  const int n_super = static_cast<int>(factor->nsuper);
  supernodes_.resize(static_cast<std::size_t>(n_super));
  for (int k = 0; k < n_super; ++k) {
    Supernode& node = supernodes_[static_cast<std::size_t>(k)];
    node.first_column = super[k];
    node.n_columns = super[k + 1] - super[k];
    node.n_rows = pi[k + 1] - pi[k];
    node.rows_at = pi[k];
    node.values_at = px[k];
  }
  rows_.assign(s, s + factor->ssize);
  split_between_threads();
}

namespace {

// Greedy longest-first assignment of subtree works to bins; returns the largest bin's work.
double largest_bin(const std::vector<double>& works, int n_bins, std::vector<int>* bin_of) {
  std::vector<int> order(works.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return works[a] > works[b]; });
  std::vector<double> load(static_cast<std::size_t>(n_bins), 0.0);
  if (bin_of != nullptr) bin_of->assign(works.size(), 0);
  for (int item : order) {
    const auto lightest = static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    load[lightest] += works[static_cast<std::size_t>(item)];
    if (bin_of != nullptr) (*bin_of)[static_cast<std::size_t>(item)] = static_cast<int>(lightest);
  }
  return *std::max_element(load.begin(), load.end());
}

}  // namespace

// Subtree-to-thread split (the classic one of parallel sparse triangular solves): start from the
// roots of the supernodal tree; while it shortens the estimated time (largest thread's work plus
// the work left to one thread at the top), move the heaviest subtree's root to the top and its
// children into the pool. The work of a supernode is its number of factor entries.
void SinglePrecisionCholesky::split_between_threads() {
  const int n_super = static_cast<int>(supernodes_.size());
  std::vector<int> supernode_of_column(static_cast<std::size_t>(n_));
  std::vector<int> parent(static_cast<std::size_t>(n_super), -1);
  for (int k = 0; k < n_super; ++k) {
    const Supernode& node = supernodes_[static_cast<std::size_t>(k)];
    for (int c = 0; c < node.n_columns; ++c) supernode_of_column[static_cast<std::size_t>(node.first_column + c)] = k;
  }
  std::vector<std::vector<int>> children(static_cast<std::size_t>(n_super));
  std::vector<double> subtree_work(static_cast<std::size_t>(n_super), 0.0);
  std::vector<int> first_in_subtree(static_cast<std::size_t>(n_super));
  std::iota(first_in_subtree.begin(), first_in_subtree.end(), 0);
  for (int k = 0; k < n_super; ++k) {  // postorder: children before parents
    const Supernode& node = supernodes_[static_cast<std::size_t>(k)];
    subtree_work[static_cast<std::size_t>(k)] += static_cast<double>(node.n_rows) * node.n_columns;
    if (node.n_rows > node.n_columns) {
      const int up = supernode_of_column[static_cast<std::size_t>(rows_[static_cast<std::size_t>(node.rows_at + node.n_columns)])];
      parent[static_cast<std::size_t>(k)] = up;
      children[static_cast<std::size_t>(up)].push_back(k);
      subtree_work[static_cast<std::size_t>(up)] += subtree_work[static_cast<std::size_t>(k)];
      first_in_subtree[static_cast<std::size_t>(up)] =
          std::min(first_in_subtree[static_cast<std::size_t>(up)], first_in_subtree[static_cast<std::size_t>(k)]);
    }
  }
  std::vector<int> pool;
  for (int k = 0; k < n_super; ++k)
    if (parent[static_cast<std::size_t>(k)] < 0) pool.push_back(k);
  std::vector<int> top;
  double top_work = 0;
  auto works_of = [&](const std::vector<int>& roots) {
    std::vector<double> works;
    for (int r : roots) works.push_back(subtree_work[static_cast<std::size_t>(r)]);
    return works;
  };
  std::vector<int> best_pool = pool, best_top = top;
  double best_time = largest_bin(works_of(pool), n_threads_, nullptr);
  // Once the top alone takes as long as the best split, going deeper cannot help; once the
  // heaviest subtree is a small share of a thread's work, the pool is fine enough to balance.
  double total_work = 0;
  for (int root : pool) total_work += subtree_work[static_cast<std::size_t>(root)];
  while (n_threads_ > 1 && !pool.empty() && top_work < best_time) {
    const auto heaviest = std::max_element(pool.begin(), pool.end(), [&](int a, int b) {
      return subtree_work[static_cast<std::size_t>(a)] < subtree_work[static_cast<std::size_t>(b)];
    });
    if (subtree_work[static_cast<std::size_t>(*heaviest)] < total_work / (64.0 * n_threads_)) break;
    const int root = *heaviest;
    pool.erase(heaviest);
    top.push_back(root);
    const Supernode& node = supernodes_[static_cast<std::size_t>(root)];
    top_work += static_cast<double>(node.n_rows) * node.n_columns;
    for (int child : children[static_cast<std::size_t>(root)]) pool.push_back(child);
    const double time = top_work + (pool.empty() ? 0.0 : largest_bin(works_of(pool), n_threads_, nullptr));
    if (time < best_time) {
      best_time = time;
      best_pool = pool;
      best_top = top;
    }
  }
  std::vector<int> bin_of;
  largest_bin(works_of(best_pool), n_threads_, &bin_of);
  thread_ranges_.assign(static_cast<std::size_t>(n_threads_), {});
  for (std::size_t i = 0; i < best_pool.size(); ++i) {
    const int root = best_pool[i];
    thread_ranges_[static_cast<std::size_t>(bin_of[i])].emplace_back(first_in_subtree[static_cast<std::size_t>(root)], root + 1);
  }
  for (auto& ranges : thread_ranges_) std::sort(ranges.begin(), ranges.end());
  top_ = best_top;
  std::sort(top_.begin(), top_.end());
}

namespace {

// The dense kernels of the triangular solves, on a supernode's column-major float block. They
// stream the factor, and each entry costs a conversion and a multiply-add, so the vector width
// matters: GCC makes an AVX-512, an AVX2 and a baseline copy and the loader picks the CPU's.
// Columns go in fours so that the double vectors they update (or dot with) are read once per
// four columns, not once per column.
#define WLPKIT_CPU_CLONES __attribute__((target_clones("avx512f", "arch=haswell", "default")))

// Columns j to j + 3 of a column-major block.
std::array<const float*, 4> four_columns(const float* block, std::ptrdiff_t lda, int j) {
  const float* first = block + j * lda;
  return {first, first + lda, first + 2 * lda, first + 3 * lda};
}

// u[i] += Σ_j L[i, j] v[j] over n_cols columns of n entries each (column stride lda).
WLPKIT_CPU_CLONES void add_columns(const float* block, std::ptrdiff_t lda, int n_cols, int n, const double* v, double* u) {
  int j = 0;
  for (; j + 4 <= n_cols; j += 4) {
    const auto [c0, c1, c2, c3] = four_columns(block, lda, j);
    const double v0 = v[j], v1 = v[j + 1], v2 = v[j + 2], v3 = v[j + 3];
    for (int i = 0; i < n; ++i) u[i] += c0[i] * v0 + c1[i] * v1 + c2[i] * v2 + c3[i] * v3;
  }
  for (; j < n_cols; ++j) {
    const float* c = block + j * lda;
    const double vj = v[j];
    for (int i = 0; i < n; ++i) u[i] += c[i] * vj;
  }
}

// d[j] = Σ_i L[i, j] w[i] over n_cols columns of n entries each (column stride lda).
WLPKIT_CPU_CLONES void dot_columns(const float* block, std::ptrdiff_t lda, int n_cols, int n, const double* w, double* d) {
  int j = 0;
  for (; j + 4 <= n_cols; j += 4) {
    const auto [c0, c1, c2, c3] = four_columns(block, lda, j);
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
#pragma omp simd reduction(+ : s0, s1, s2, s3)
    for (int i = 0; i < n; ++i) {
      s0 += c0[i] * w[i];
      s1 += c1[i] * w[i];
      s2 += c2[i] * w[i];
      s3 += c3[i] * w[i];
    }
    d[j] = s0;
    d[j + 1] = s1;
    d[j + 2] = s2;
    d[j + 3] = s3;
  }
  for (; j < n_cols; ++j) {
    const float* c = block + j * lda;
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int i = 0; i < n; ++i) sum += c[i] * w[i];
    d[j] = sum;
  }
}

// y ← L_cc⁻¹ y for the dense lower triangle of the supernode's own columns (column-oriented).
WLPKIT_CPU_CLONES void lower_solve(const float* block, std::ptrdiff_t lda, int n_cols, double* y) {
  for (int j = 0; j < n_cols; ++j) {
    const float* column = block + j * lda;
    const double value = y[j] / column[j];
    y[j] = value;
    for (int i = j + 1; i < n_cols; ++i) y[i] -= column[i] * value;
  }
}

// x ← L_cc⁻ᵀ x (row-oriented on the transpose: a dot product per column).
WLPKIT_CPU_CLONES void lower_transpose_solve(const float* block, std::ptrdiff_t lda, int n_cols, double* x) {
  for (int j = n_cols - 1; j >= 0; --j) {
    const float* column = block + j * lda;
    double sum = 0;
#pragma omp simd reduction(+ : sum)
    for (int i = j + 1; i < n_cols; ++i) sum += column[i] * x[i];
    x[j] = (x[j] - sum) / column[j];
  }
}

}  // namespace

// Forward substitution of one supernode: y_c ← L_cc⁻¹ y_c for its columns c, then y_r −= L_rc y_c
// for the rows r below. Rows in [own_from, own_to) are this thread's; the others (the top's) go to
// `outside`, added to y after the threads are done.
void SinglePrecisionCholesky::forward_supernode(const Supernode& node, double* y, double* outside, int own_from, int own_to,
                                                std::vector<double>& scratch) const {
  const float* block = values_.data() + node.values_at;
  const int* rows = rows_.data() + node.rows_at;
  const int n_cols = node.n_columns, n_below = node.n_rows - node.n_columns;
  const std::ptrdiff_t lda = node.n_rows;
  double* yc = y + node.first_column;
  lower_solve(block, lda, n_cols, yc);
  if (n_below == 0) return;
  scratch.assign(static_cast<std::size_t>(n_below), 0.0);
  double* update = scratch.data();
  add_columns(block + n_cols, lda, n_cols, n_below, yc, update);
  for (int i = 0; i < n_below; ++i) {
    const int row = rows[n_cols + i];
    if (row >= own_from && row < own_to) {
      y[row] -= update[i];
    } else {
      outside[row] -= update[i];
    }
  }
}

// Backward substitution of one supernode: x_c −= L_rcᵀ x_r for the rows r below, then
// x_c ← L_cc⁻ᵀ x_c.
void SinglePrecisionCholesky::backward_supernode(const Supernode& node, double* x, std::vector<double>& scratch) const {
  const float* block = values_.data() + node.values_at;
  const int* rows = rows_.data() + node.rows_at;
  const int n_cols = node.n_columns, n_below = node.n_rows - node.n_columns;
  const std::ptrdiff_t lda = node.n_rows;
  double* xc = x + node.first_column;
  if (n_below > 0) {
    scratch.resize(static_cast<std::size_t>(n_below + n_cols));
    double* gathered = scratch.data();
    double* sums = gathered + n_below;
    for (int i = 0; i < n_below; ++i) gathered[i] = x[rows[n_cols + i]];
    dot_columns(block + n_cols, lda, n_cols, n_below, gathered, sums);
    for (int j = 0; j < n_cols; ++j) xc[j] -= sums[j];
  }
  lower_transpose_solve(block, lda, n_cols, xc);
}

void SinglePrecisionCholesky::forward_range(int first, int last, double* y, double* outside, int own_from, int own_to,
                                            std::vector<double>& scratch) const {
  for (int k = first; k < last; ++k)
    forward_supernode(supernodes_[static_cast<std::size_t>(k)], y, outside, own_from, own_to, scratch);
}

void SinglePrecisionCholesky::apply(const double* rhs, double* solution) const {
  if (values_.empty()) throw PetscError("SinglePrecisionCholesky::apply: no factor (not factorized, or not positive definite)");
  const auto n = static_cast<std::size_t>(n_);
  const auto n_threads = thread_ranges_.size();
  // Kept between calls: buffers allocated afresh in every call (in the threads' own malloc arenas)
  // came back as fresh pages, and zeroing them cost the kernel more than the solve's top.
  work_.resize(n_threads);
  permuted_.resize(n);
  double* y = permuted_.data();
  for (std::size_t k = 0; k < n; ++k) y[k] = rhs[permutation_[k]];
  // Forward: the threads' subtrees at once, then the top.
  auto forward_thread = [&](std::size_t t) {
    ThreadWork& work = work_[t];
    work.outside.assign(n, 0.0);
    for (const auto& [first, last] : thread_ranges_[t]) {
      const int own_from = supernodes_[static_cast<std::size_t>(first)].first_column;
      const Supernode& root = supernodes_[static_cast<std::size_t>(last - 1)];
      forward_range(first, last, y, work.outside.data(), own_from, root.first_column + root.n_columns, work.scratch);
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < n_threads; ++t) threads.emplace_back(forward_thread, t);
  if (n_threads > 0) forward_thread(0);
  for (std::thread& thread : threads) thread.join();
  threads.clear();
  std::vector<double>& scratch = work_.front().scratch;
  for (int k : top_) {
    const Supernode& node = supernodes_[static_cast<std::size_t>(k)];
    for (const ThreadWork& work : work_)  // what the subtrees sent to this supernode's rows
      for (int c = node.first_column; c < node.first_column + node.n_columns; ++c) y[c] += work.outside[static_cast<std::size_t>(c)];
    // A top supernode's rows below are top rows too (its ancestors): written directly.
    forward_supernode(node, y, y, 0, n_, scratch);
  }
  // Backward: the top, then the threads' subtrees at once.
  for (auto k = top_.rbegin(); k != top_.rend(); ++k) backward_supernode(supernodes_[static_cast<std::size_t>(*k)], y, scratch);
  auto backward_thread = [&](std::size_t t) {
    for (auto range = thread_ranges_[t].rbegin(); range != thread_ranges_[t].rend(); ++range)
      for (int k = range->second - 1; k >= range->first; --k) backward_supernode(supernodes_[static_cast<std::size_t>(k)], y, work_[t].scratch);
  };
  for (std::size_t t = 1; t < n_threads; ++t) threads.emplace_back(backward_thread, t);
  if (n_threads > 0) backward_thread(0);
  for (std::thread& thread : threads) thread.join();
  for (std::size_t k = 0; k < n; ++k) solution[permutation_[k]] = y[k];
}

}  // namespace wlp::fem::detail
