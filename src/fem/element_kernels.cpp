#include "fem/element_kernels.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

namespace wlp::fem::detail {
namespace {

// Fixed upper bounds (Hex20: 60 dofs; 9 mode dofs) keep every matrix on the stack.
using BMatrix = Eigen::Matrix<double, 6, Eigen::Dynamic, 0, 6, 60>;
using GMatrix = Eigen::Matrix<double, 6, 9>;
using ElementMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor, 60, 60>;
using CouplingMatrix = Eigen::Matrix<double, Eigen::Dynamic, 9, 0, 60, 9>;   // K_ua
using ModeMatrix = Eigen::Matrix<double, 9, 9>;
using ElementVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 60, 1>;
using Stiffness = Eigen::Matrix<double, 6, 6, Eigen::RowMajor>;
using Vector6 = Eigen::Matrix<double, 6, 1>;
using Vector9 = Eigen::Matrix<double, 9, 1>;

// Strain-displacement rows of one gradient (g_x, g_y, g_z) in Voigt order with engineering shears.
template <typename Matrix>
void put_gradient(Matrix& b, int column, const double* g) {
  b(0, column + 0) = g[0];
  b(1, column + 1) = g[1];
  b(2, column + 2) = g[2];
  b(3, column + 0) = g[1];
  b(3, column + 1) = g[0];
  b(4, column + 0) = g[2];
  b(4, column + 2) = g[0];
  b(5, column + 1) = g[2];
  b(5, column + 2) = g[1];
}

void b_matrix(const ElementGeometry& geometry, int point, BMatrix& b) {
  const int n_nodes = geometry.shape.n_nodes;
  b.setZero(6, 3 * n_nodes);
  const double* gradients = geometry.gradients_at(point);
  for (int a = 0; a < n_nodes; ++a) put_gradient(b, 3 * a, gradients + 3 * a);
}

void g_matrix(const ElementGeometry& geometry, int point, GMatrix& g) {
  g.setZero();
  const double* gradients = geometry.mode_gradients_at(point);
  for (int mode = 0; mode < 3; ++mode) put_gradient(g, 3 * mode, gradients + 3 * mode);
}

Stiffness as_matrix(const Matrix6& d) { return Eigen::Map<const Stiffness>(d.data()); }

// The mode blocks K_ua = ∫Bᵀ D G, K_aa = ∫Gᵀ D G of an elastic element.
void elastic_mode_blocks(const ElementGeometry& geometry, const Stiffness& d, CouplingMatrix& k_ua, ModeMatrix& k_aa) {
  BMatrix b;
  GMatrix g;
  k_ua.setZero(geometry.shape.n_dofs(), 9);
  k_aa.setZero();
  for (int p = 0; p < geometry.shape.n_points; ++p) {
    b_matrix(geometry, p, b);
    g_matrix(geometry, p, g);
    const double w = geometry.point_volumes_m3[p];
    const GMatrix dg = d * g;
    k_ua.noalias() += w * b.transpose() * dg;
    k_aa.noalias() += w * g.transpose() * dg;
  }
}

}  // namespace

void linear_element_matrices(const ElementGeometry& geometry, const Matrix6& stiffness, LinearElementMatrices& out) {
  const int n = geometry.shape.n_dofs();
  const bool has_modes = geometry.shape.n_modes > 0;
  const Stiffness d = as_matrix(stiffness);
  ElementMatrix k_uu = ElementMatrix::Zero(n, n);
  Eigen::Matrix<double, 6, Eigen::Dynamic, Eigen::RowMajor, 6, 60> f_u = decltype(f_u)::Zero(6, n);  // row k: ∫(Bᵀ D e_k)ᵀ
  CouplingMatrix k_ua = CouplingMatrix::Zero(n, 9);
  ModeMatrix k_aa = ModeMatrix::Zero();
  Eigen::Matrix<double, 6, 9> f_a = Eigen::Matrix<double, 6, 9>::Zero();
  BMatrix b;
  GMatrix g;
  for (int p = 0; p < geometry.shape.n_points; ++p) {
    const double w = geometry.point_volumes_m3[p];
    b_matrix(geometry, p, b);
    const BMatrix db = d * b;
    k_uu.noalias() += w * b.transpose() * db;   // K_uu = Σ Bᵀ D B w
    f_u.noalias() += w * db;                    // (Bᵀ D e_k)ᵀ = e_kᵀ D B (D symmetric)
    if (!has_modes) continue;
    g_matrix(geometry, p, g);
    const GMatrix dg = d * g;
    k_ua.noalias() += w * db.transpose() * g;   // K_ua = Σ Bᵀ D G w
    k_aa.noalias() += w * g.transpose() * dg;   // K_aa = Σ Gᵀ D G w
    f_a.noalias() += w * dg;
  }
  if (has_modes) {
    // Static condensation of the modes (Wilson, Taylor, Doherty & Ghaboussi 1973).
    const Eigen::LDLT<ModeMatrix> k_aa_factor(k_aa);
    const Eigen::Matrix<double, 9, Eigen::Dynamic, 0, 9, 60> h = k_aa_factor.solve(k_ua.transpose());  // K_aa⁻¹ K_au
    k_uu.noalias() -= k_ua * h;                                                                          // K* = K_uu − K_ua K_aa⁻¹ K_au
    f_u.noalias() -= f_a * h;                                                                            // f*_k = f_u,k − K_ua K_aa⁻¹ f_a,k
  }
  out.stiffness.assign(k_uu.data(), k_uu.data() + n * n);
  out.unit_thermal_loads.assign(f_u.data(), f_u.data() + 6 * n);
}

void elastic_point_stresses(const ElementGeometry& geometry, const Matrix6& stiffness, const Voigt6& thermal_strain,
                            std::span<const double> element_displacements, std::vector<Voigt6>& stresses) {
  const int n = geometry.shape.n_dofs();
  const Stiffness d = as_matrix(stiffness);
  const ElementVector u = Eigen::Map<const ElementVector>(element_displacements.data(), n);
  const Vector6 thermal = Eigen::Map<const Vector6>(thermal_strain.data());
  Vector9 alpha = Vector9::Zero();
  if (geometry.shape.n_modes > 0) {
    CouplingMatrix k_ua;
    ModeMatrix k_aa;
    elastic_mode_blocks(geometry, d, k_ua, k_aa);
    Vector9 f_a = Vector9::Zero();
    GMatrix g;
    for (int p = 0; p < geometry.shape.n_points; ++p) {
      g_matrix(geometry, p, g);
      f_a.noalias() += geometry.point_volumes_m3[p] * g.transpose() * (d * thermal);
    }
    alpha = k_aa.ldlt().solve(f_a - k_ua.transpose() * u);  // element equilibrium r_a = 0
  }
  stresses.resize(static_cast<std::size_t>(geometry.shape.n_points));
  BMatrix b;
  GMatrix g;
  for (int p = 0; p < geometry.shape.n_points; ++p) {
    b_matrix(geometry, p, b);
    Vector6 strain = b * u - thermal;
    if (geometry.shape.n_modes > 0) {
      g_matrix(geometry, p, g);
      strain.noalias() += g * alpha;
    }
    const Vector6 sigma = d * strain;
    for (int i = 0; i < 6; ++i) stresses[p][i] = sigma(i);
  }
}

// The nonlinear element kernel works on the gradients directly instead of on dense B matrices:
// every strain-displacement block B_a (6 × 3) holds the three gradient components of node or
// mode a in a fixed pattern, so K_ab = ∫ B_aᵀ C B_b dV needs 27 products per point where the
// dense 6 × 3 product needs 54, and the loops over b run over contiguous arrays (vectorised).
// Nodes and incompatible modes are treated alike ("columns"): the modes' gradients have the
// same pattern.
namespace {

constexpr int max_columns = 24;  // Hex20: 20 nodes; Hex8Incompatible: 8 nodes + 3 modes (padded to 12)

// The loops over columns b run to a multiple of 4 (the padding columns have zero gradients), so
// that they are whole AVX2 vectors without a scalar remainder.
int padded_columns(int n) { return (n + 3) / 4 * 4; }

// The gradients of all columns at one point, component by component.
struct PointColumns {
  int n = 0, n_padded = 0;
  alignas(64) double gx[max_columns], gy[max_columns], gz[max_columns];
};

void load_columns(const ElementGeometry& geometry, int point, PointColumns& columns) {
  const int n_nodes = geometry.shape.n_nodes, n_modes = geometry.shape.n_modes;
  columns.n = n_nodes + n_modes;
  columns.n_padded = padded_columns(columns.n);
  for (int b = columns.n; b < columns.n_padded; ++b) columns.gx[b] = columns.gy[b] = columns.gz[b] = 0.0;
  const double* nodes = geometry.gradients_at(point);
  for (int a = 0; a < n_nodes; ++a) {
    columns.gx[a] = nodes[3 * a];
    columns.gy[a] = nodes[3 * a + 1];
    columns.gz[a] = nodes[3 * a + 2];
  }
  const double* modes = n_modes > 0 ? geometry.mode_gradients_at(point) : nullptr;
  for (int m = 0; m < n_modes; ++m) {
    columns.gx[n_nodes + m] = modes[3 * m];
    columns.gy[n_nodes + m] = modes[3 * m + 1];
    columns.gz[n_nodes + m] = modes[3 * m + 2];
  }
}

// ε = Σ_a B_a v_a (Voigt, engineering shears) over the columns' values v (3 per column).
void column_strain(const PointColumns& c, const double* v, double* strain) {
  for (int i = 0; i < 6; ++i) strain[i] = 0;
  for (int a = 0; a < c.n; ++a) {
    const double x = v[3 * a], y = v[3 * a + 1], z = v[3 * a + 2];
    strain[0] += c.gx[a] * x;
    strain[1] += c.gy[a] * y;
    strain[2] += c.gz[a] * z;
    strain[3] += c.gy[a] * x + c.gx[a] * y;
    strain[4] += c.gz[a] * x + c.gx[a] * z;
    strain[5] += c.gz[a] * y + c.gy[a] * z;
  }
}

// The column-wise sums of one element: r[3a + i] and the 3 × 3 blocks K_ab stored by component,
// k[3i + j][a][b], so that the update of one component over b is a contiguous axpy.
struct ColumnSums {
  int n = 0;
  double r[3 * max_columns];
  alignas(64) double k[9][max_columns][max_columns];

  void reset(int n_columns, bool with_tangent) {
    n = n_columns;
    std::fill(r, r + 3 * n, 0.0);
    if (!with_tangent) return;
    const int n_padded = padded_columns(n);
    for (auto& component : k)
      for (int a = 0; a < n; ++a) std::fill(component[a], component[a] + n_padded, 0.0);
  }
};

// Adds w·B_aᵀσ of one point (the residual). Never inlined into add_point's CPU-specific copies,
// which would contract its sums into fused multiply-adds: the residual of an evaluation with the
// tangent is then bitwise that of a residual-only one.
__attribute__((noinline)) void add_point_force(const PointColumns& c, const double* stress, double w, ColumnSums& sums) {
  double ws[6];
  for (int i = 0; i < 6; ++i) ws[i] = w * stress[i];
  for (int a = 0; a < c.n; ++a) {
    const double gx = c.gx[a], gy = c.gy[a], gz = c.gz[a];
    sums.r[3 * a + 0] += gx * ws[0] + gy * ws[3] + gz * ws[4];
    sums.r[3 * a + 1] += gy * ws[1] + gx * ws[3] + gz * ws[5];
    sums.r[3 * a + 2] += gz * ws[2] + gx * ws[4] + gy * ws[5];
  }
}

// Adds w·B_aᵀσ and w·B_aᵀ C B_b of one point. With A_a = w·B_aᵀ C (3 × 6), row i of A_a B_b is
// A_a(i,0) gx_b + A_a(i,3) gy_b + A_a(i,4) gz_b in x, A_a(i,1) gy_b + A_a(i,3) gx_b + A_a(i,5) gz_b
// in y and A_a(i,2) gz_b + A_a(i,4) gx_b + A_a(i,5) gy_b in z.
//
// The element's hottest loop (a few thousand multiply-adds a point): GCC makes an AVX-512, an
// AVX2 and a baseline copy, and the loader picks the CPU's.
__attribute__((target_clones("avx512f", "arch=haswell", "default")))
void add_point(const PointColumns& c, const double* stress, const double* tangent, double w, ColumnSums& sums) {
  const int n = c.n, n_padded = c.n_padded;
  add_point_force(c, stress, w, sums);
  // The tangent is symmetric for every law here (associative flow); its symmetric part keeps
  // the assembled matrix exactly symmetric for the Cholesky factorization.
  double cw[6][6];
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) cw[i][j] = 0.5 * w * (tangent[6 * i + j] + tangent[6 * j + i]);
  for (int a = 0; a < n; ++a) {
    const double gx = c.gx[a], gy = c.gy[a], gz = c.gz[a];
    // A_a = B_aᵀ (w C): row x = gx·C0 + gy·C3 + gz·C4, row y = gy·C1 + gx·C3 + gz·C5,
    // row z = gz·C2 + gx·C4 + gy·C5 (C symmetric, rows Ck).
    double a_row[3][6];
    for (int k = 0; k < 6; ++k) {
      a_row[0][k] = gx * cw[0][k] + gy * cw[3][k] + gz * cw[4][k];
      a_row[1][k] = gy * cw[1][k] + gx * cw[3][k] + gz * cw[5][k];
      a_row[2][k] = gz * cw[2][k] + gx * cw[4][k] + gy * cw[5][k];
    }
    for (int i = 0; i < 3; ++i) {
      const double* ai = a_row[i];
      double* __restrict kx = sums.k[3 * i + 0][a];
      double* __restrict ky = sums.k[3 * i + 1][a];
      double* __restrict kz = sums.k[3 * i + 2][a];
      for (int b = 0; b < n_padded; ++b) {
        kx[b] += ai[0] * c.gx[b] + ai[3] * c.gy[b] + ai[4] * c.gz[b];
        ky[b] += ai[1] * c.gy[b] + ai[3] * c.gx[b] + ai[5] * c.gz[b];
        kz[b] += ai[2] * c.gz[b] + ai[4] * c.gx[b] + ai[5] * c.gy[b];
      }
    }
  }
}

// Copies the dof-ordered block of columns [row_first, row_last) × [col_first, col_last) of the
// sums into a row-major matrix (dof 3a + i of column a).
void copy_block(const ColumnSums& sums, int row_first, int row_last, int col_first, int col_last, double* out) {
  const int n_cols = 3 * (col_last - col_first);
  for (int a = row_first; a < row_last; ++a)
    for (int i = 0; i < 3; ++i) {
      double* row = out + (3 * (a - row_first) + i) * n_cols;
      for (int b = col_first; b < col_last; ++b)
        for (int j = 0; j < 3; ++j) row[3 * (b - col_first) + j] = sums.k[3 * i + j][a][b];
    }
}

// Static condensation of the three incompatible modes of a Hex8 (24 dofs, 9 mode dofs) at the
// trial state (Simo & Rifai, IJNME 29 (1990) 1595, §5): α is an element unknown, eliminated from
// the linearised element equations. K* = K_uu − K_ua K_aa⁻¹ K_au, r* = r_u − K_ua K_aa⁻¹ r_a.
void condense_modes(const ColumnSums& sums, int n_nodes, NonlinearElementOutput& out) {
  using Coupling = Eigen::Matrix<double, 24, 9, Eigen::RowMajor>;
  using Condensed = Eigen::Matrix<double, 24, 24, Eigen::RowMajor>;
  using ModeUpdate = Eigen::Matrix<double, 9, 24>;  // column-major: the layout of out.mode_tangent
  Coupling k_ua;
  Eigen::Matrix<double, 9, 9, Eigen::RowMajor> k_aa;
  copy_block(sums, 0, n_nodes, n_nodes, n_nodes + 3, k_ua.data());
  copy_block(sums, n_nodes, n_nodes + 3, n_nodes, n_nodes + 3, k_aa.data());
  const Eigen::Map<const Vector9> r_a(sums.r + 24);
  // K_aa⁻¹ is kept anyway (for residual-only evaluations), so H and h are products with it:
  // fixed-size products, where 24 right-hand sides through the factor took Eigen's general
  // blocked triangular solver.
  const Eigen::LDLT<Eigen::Matrix<double, 9, 9>> k_aa_factor(k_aa);
  const Eigen::Matrix<double, 9, 9> inverse = k_aa_factor.solve(Eigen::Matrix<double, 9, 9>::Identity());
  const ModeUpdate h_matrix = inverse.lazyProduct(k_ua.transpose());  // H = K_aa⁻¹ K_au
  const Vector9 h_vector = inverse.lazyProduct(r_a);                  // h = K_aa⁻¹ r_a
  Eigen::Map<Condensed> k_condensed(out.tangent.data());
  k_condensed.noalias() -= k_ua.lazyProduct(h_matrix);                // K* = K_uu − K_ua H
  Eigen::Map<Eigen::Matrix<double, 24, 1>> r_condensed(out.condensed_residual.data());
  r_condensed.noalias() -= k_ua.lazyProduct(h_vector);                // r* = r_u − K_ua h
  out.mode_tangent.assign(h_matrix.data(), h_matrix.data() + 9 * 24);
  out.mode_inverse.assign(inverse.data(), inverse.data() + 81);
  out.mode_residual.assign(h_vector.data(), h_vector.data() + 9);
  out.mode_residual_norm2 = r_a.squaredNorm();
}

// The condensation of the residuals alone with a kept H and K_aa⁻¹ (a residual-only evaluation):
// h = K_aa⁻¹ r_a, r* = r_u − Hᵀ r_a.
void condense_mode_residuals(const ColumnSums& sums, int n_nodes, const NonlinearElementInput& input, NonlinearElementOutput& out) {
  const int n = 3 * n_nodes;
  const Eigen::Map<const Vector9> r_a(sums.r + n);
  const Eigen::Map<const Eigen::Matrix<double, 9, 9>> inverse(input.kept_mode_inverse.data());
  const Eigen::Map<const Eigen::Matrix<double, 9, Eigen::Dynamic>> h_matrix(input.kept_mode_tangent.data(), 9, n);
  const Vector9 h_vector = inverse * r_a;
  Eigen::Map<Eigen::VectorXd>(out.condensed_residual.data(), n).noalias() -= h_matrix.transpose() * r_a;
  out.mode_residual.assign(h_vector.data(), h_vector.data() + 9);
  out.mode_residual_norm2 = r_a.squaredNorm();
}
}  // namespace

void evaluate_nonlinear_element(const NonlinearElementInput& input, NonlinearElementOutput& out) {
  const ElementGeometry& geometry = *input.geometry;
  const int n = geometry.shape.n_dofs();
  const int n_nodes = geometry.shape.n_nodes;
  const int n_modes = geometry.shape.n_modes;
  const int n_history = input.point_stride - point_history;
  // The columns' values: displacements, then the modes α.
  double values[3 * max_columns];
  std::copy(input.displacements.begin(), input.displacements.begin() + n, values);
  if (n_modes > 0) std::copy(input.modes.begin(), input.modes.begin() + 3 * n_modes, values + n);

  thread_local ColumnSums sums;  // 19 kB: kept off the stack of the element threads
  sums.reset(n_nodes + n_modes, input.with_tangent);
  PointColumns columns;
  PointIncrement increment = input.increment;
  Voigt6 stress_old{}, stress_new{};
  Matrix6 tangent{};
  for (int p = 0; p < geometry.shape.n_points; ++p) {
    const double* committed = input.committed_points + p * input.point_stride;
    double* trial = input.trial_points + p * input.point_stride;
    load_columns(geometry, p, columns);
    double strain[6];
    column_strain(columns, values, strain);                        // ε = B u + G α
    for (int i = 0; i < 6; ++i) {
      increment.strain_old[i] = committed[point_strain + i];
      increment.strain_new[i] = strain[i];
      stress_old[i] = committed[point_stress + i];
    }
    input.law->update(increment, stress_old, std::span<const double>(committed + point_history, n_history), stress_new,
                      std::span<double>(trial + point_history, n_history), tangent);
    for (int i = 0; i < 6; ++i) {
      trial[point_strain + i] = strain[i];
      trial[point_stress + i] = stress_new[i];
    }
    if (input.with_tangent) {
      add_point(columns, stress_new.data(), tangent.data(), geometry.point_volumes_m3[p], sums);  // ∫Bᵀσ, ∫Bᵀ C B
    } else {
      add_point_force(columns, stress_new.data(), geometry.point_volumes_m3[p], sums);  // ∫Bᵀσ
    }
  }
  out.residual.assign(sums.r, sums.r + n);
  out.condensed_residual.assign(sums.r, sums.r + n);
  if (!input.with_tangent) {
    out.tangent.clear();
    out.mode_tangent.clear();
    out.mode_inverse.clear();
    if (n_modes > 0) {
      condense_mode_residuals(sums, n_nodes, input, out);
    } else {
      out.mode_residual.clear();
      out.mode_residual_norm2 = 0;
    }
    return;
  }
  out.tangent.resize(static_cast<std::size_t>(n * n));
  copy_block(sums, 0, n_nodes, 0, n_nodes, out.tangent.data());  // K_uu, row-major
  if (n_modes > 0) {
    condense_modes(sums, n_nodes, out);  // Hex8Incompatible: 8 nodes, 3 modes
  } else {
    out.mode_tangent.clear();
    out.mode_inverse.clear();
    out.mode_residual.clear();
    out.mode_residual_norm2 = 0;
  }
}

void apply_mode_update(std::span<const double> mode_tangent, std::span<const double> mode_residual,
                       std::span<const double> displacement_correction, std::span<double> modes) {
  const auto n = static_cast<Eigen::Index>(displacement_correction.size());
  const Eigen::Map<const Eigen::Matrix<double, 9, Eigen::Dynamic>> h_matrix(mode_tangent.data(), 9, n);
  const Eigen::Map<const Vector9> h_vector(mode_residual.data());
  const Eigen::Map<const Eigen::VectorXd> du(displacement_correction.data(), n);
  Eigen::Map<Vector9> alpha(modes.data());
  alpha -= h_vector + h_matrix * du;
}

double element_von_mises(const Voigt6& s) {
  const double normal = (s[0] - s[1]) * (s[0] - s[1]) + (s[1] - s[2]) * (s[1] - s[2]) + (s[2] - s[0]) * (s[2] - s[0]);
  return std::sqrt(0.5 * normal + 3 * (s[3] * s[3] + s[4] * s[4] + s[5] * s[5]));
}

}  // namespace wlp::fem::detail
