#include "fem/element_kernels.h"

#include <Eigen/Dense>
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

void evaluate_nonlinear_element(const NonlinearElementInput& input, NonlinearElementOutput& out) {
  const ElementGeometry& geometry = *input.geometry;
  const int n = geometry.shape.n_dofs();
  const bool has_modes = geometry.shape.n_modes > 0;
  const int n_history = input.point_stride - point_history;
  const ElementVector u = Eigen::Map<const ElementVector>(input.displacements.data(), n);
  Vector9 alpha = Vector9::Zero();
  if (has_modes) alpha = Eigen::Map<const Vector9>(input.modes.data());

  ElementMatrix k_uu = ElementMatrix::Zero(n, n);
  ElementVector r_u = ElementVector::Zero(n);
  CouplingMatrix k_ua = CouplingMatrix::Zero(n, 9);
  Eigen::Matrix<double, 9, Eigen::Dynamic, 0, 9, 60> k_au = decltype(k_au)::Zero(9, n);
  ModeMatrix k_aa = ModeMatrix::Zero();
  Vector9 r_a = Vector9::Zero();
  BMatrix b;
  GMatrix g;
  PointIncrement increment = input.increment;
  Voigt6 stress_old{}, stress_new{};
  Matrix6 tangent{};
  for (int p = 0; p < geometry.shape.n_points; ++p) {
    const double* committed = input.committed_points + p * input.point_stride;
    double* trial = input.trial_points + p * input.point_stride;
    b_matrix(geometry, p, b);
    Vector6 strain = b * u;                                        // ε = B u + G α
    if (has_modes) {
      g_matrix(geometry, p, g);
      strain.noalias() += g * alpha;
    }
    for (int i = 0; i < 6; ++i) {
      increment.strain_old[i] = committed[point_strain + i];
      increment.strain_new[i] = strain(i);
      stress_old[i] = committed[point_stress + i];
    }
    input.law->update(increment, stress_old, std::span<const double>(committed + point_history, n_history), stress_new,
                      std::span<double>(trial + point_history, n_history), tangent);
    for (int i = 0; i < 6; ++i) {
      trial[point_strain + i] = strain(i);
      trial[point_stress + i] = stress_new[i];
    }
    const double w = geometry.point_volumes_m3[p];
    const Vector6 sigma = Eigen::Map<const Vector6>(stress_new.data());
    const Stiffness c = as_matrix(tangent);
    // Coefficient-based (lazy) products: with an inner dimension of 6 Eigen's blocked GEMM spends
    // more on packing than on arithmetic (≈ 30 % slower for a 24-dof element, measured).
    const BMatrix cb = c.lazyProduct(b);
    const BMatrix wb = w * b;
    r_u.noalias() += wb.transpose() * sigma;                       // r_u = ∫ Bᵀ σ dV
    k_uu.noalias() += wb.transpose().lazyProduct(cb);              // K_uu = ∫ Bᵀ C B dV
    if (!has_modes) continue;
    const GMatrix cg = c * g;
    const GMatrix wg = w * g;
    r_a.noalias() += wg.transpose() * sigma;                       // r_a = ∫ Gᵀ σ dV
    k_ua.noalias() += wb.transpose().lazyProduct(cg);              // K_ua = ∫ Bᵀ C G dV
    k_au.noalias() += wg.transpose().lazyProduct(cb);              // K_au = ∫ Gᵀ C B dV
    k_aa.noalias() += wg.transpose() * cg;                         // K_aa = ∫ Gᵀ C G dV
  }
  out.residual.assign(r_u.data(), r_u.data() + n);
  ElementVector r_condensed = r_u;
  if (has_modes) {
    // Condensation at the trial state (Simo & Rifai, IJNME 29 (1990) 1595, §5): α is an element
    // unknown, eliminated from the linearised element equations.
    const Eigen::PartialPivLU<ModeMatrix> k_aa_factor(k_aa);
    const Eigen::Matrix<double, 9, Eigen::Dynamic, 0, 9, 60> h_matrix = k_aa_factor.solve(k_au);  // H = K_aa⁻¹ K_au
    const Vector9 h_vector = k_aa_factor.solve(r_a);                                             // h = K_aa⁻¹ r_a
    k_uu.noalias() -= k_ua.lazyProduct(h_matrix);                                                // K* = K_uu − K_ua H
    r_condensed.noalias() -= k_ua * h_vector;                                                    // r* = r_u − K_ua h
    out.mode_tangent.assign(h_matrix.data(), h_matrix.data() + 9 * n);
    out.mode_residual.assign(h_vector.data(), h_vector.data() + 9);
    out.mode_residual_norm2 = r_a.squaredNorm();
  } else {
    out.mode_tangent.clear();
    out.mode_residual.clear();
    out.mode_residual_norm2 = 0;
  }
  out.condensed_residual.assign(r_condensed.data(), r_condensed.data() + n);
  out.tangent.assign(k_uu.data(), k_uu.data() + n * n);
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
