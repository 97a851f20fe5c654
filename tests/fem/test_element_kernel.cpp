// The nonlinear element kernel (fem/element_kernels.h) against two independent references:
// - an elastic law through the kernel gives the condensed stiffness of the linear-element path,
//   which builds dense B matrices and condenses with Eigen (a separate implementation), and the
//   force ∫Bᵀσ of a dense B written here;
// - with the Anand law in creep, the condensed tangent is the derivative of the condensed force
//   (modes re-equilibrated at every displacement), checked by central differences.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include "fem/element_kernels.h"
#include "fem/hex_element.h"
#include "fem_test_support.h"

namespace wlp::fem {
namespace {

using Coordinates = std::vector<std::array<double, 3>>;

// A 100 µm hexahedron with its corners moved by up to 15 % (not a parallelepiped).
Coordinates distorted_hex8() {
  const double h = 100e-6;
  Coordinates corners{{0, 0, 0}, {h, 0, 0}, {h, h, 0}, {0, h, 0}, {0, 0, h}, {h, 0, h}, {h, h, h}, {0, h, h}};
  const std::array<std::array<double, 3>, 8> moves{{{0.10, -0.05, 0.02},
                                                    {-0.08, 0.04, 0.00},
                                                    {0.05, 0.12, -0.06},
                                                    {-0.03, -0.07, 0.04},
                                                    {0.06, 0.02, 0.15},
                                                    {0.00, -0.10, -0.05},
                                                    {-0.12, 0.05, 0.08},
                                                    {0.04, 0.00, -0.09}}};
  for (std::size_t a = 0; a < 8; ++a)
    for (std::size_t j = 0; j < 3; ++j) corners[a][j] += h * moves[a][j];
  return corners;
}

// A Hex20 under an affine map of the parent element (Abaqus node order), so midpoints stay mid-edge.
Coordinates affine_hex20() {
  const std::array<std::array<double, 3>, 20> parent{{{-1, -1, -1}, {1, -1, -1}, {1, 1, -1}, {-1, 1, -1}, {-1, -1, 1},
                                                      {1, -1, 1},   {1, 1, 1},   {-1, 1, 1}, {0, -1, -1}, {1, 0, -1},
                                                      {0, 1, -1},   {-1, 0, -1}, {0, -1, 1}, {1, 0, 1},   {0, 1, 1},
                                                      {-1, 0, 1},   {-1, -1, 0}, {1, -1, 0}, {1, 1, 0},   {-1, 1, 0}}};
  const double map[3][3] = {{60e-6, 8e-6, -5e-6}, {-4e-6, 45e-6, 6e-6}, {3e-6, -7e-6, 20e-6}};
  Coordinates nodes;
  for (const auto& xi : parent) {
    std::array<double, 3> x{};
    for (int i = 0; i < 3; ++i) x[i] = map[i][0] * xi[0] + map[i][1] * xi[1] + map[i][2] * xi[2];
    nodes.push_back(x);
  }
  return nodes;
}

std::vector<double> displacements(int n, double scale_m) {
  std::vector<double> u(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) u[static_cast<std::size_t>(i)] = scale_m * std::sin(1.7 * i + 0.3) * (1 + 0.1 * (i % 5));
  return u;
}

// The points of one element at a fresh state of `law` (zero strain and stress).
std::vector<double> fresh_points(const MaterialLaw& law, int n_points, int stride) {
  std::vector<double> points(static_cast<std::size_t>(n_points * stride), 0.0);
  for (int p = 0; p < n_points; ++p)
    law.initialise(std::span<double>(points.data() + p * stride + detail::point_history, static_cast<std::size_t>(stride - detail::point_history)));
  return points;
}

double largest_abs(const std::vector<double>& values) {
  double largest = 0;
  for (double v : values) largest = std::max(largest, std::abs(v));
  return largest;
}

// ∫ Bᵀ D B u dV with dense B matrices written out here (Voigt xx yy zz xy xz yz, engineering shears).
std::vector<double> dense_b_force(const detail::ElementGeometry& geometry, const Matrix6& d, const std::vector<double>& u) {
  const int n_nodes = geometry.shape.n_nodes, n = 3 * n_nodes;
  std::vector<double> force(static_cast<std::size_t>(n), 0.0);
  for (int p = 0; p < geometry.shape.n_points; ++p) {
    std::vector<std::array<double, 6>> b(static_cast<std::size_t>(n));  // column k of B
    for (int a = 0; a < n_nodes; ++a) {
      const double* g = geometry.gradients_at(p) + 3 * a;
      b[3 * a + 0] = {g[0], 0, 0, g[1], g[2], 0};
      b[3 * a + 1] = {0, g[1], 0, g[0], 0, g[2]};
      b[3 * a + 2] = {0, 0, g[2], 0, g[0], g[1]};
    }
    std::array<double, 6> strain{}, stress{};
    for (int k = 0; k < n; ++k)
      for (int i = 0; i < 6; ++i) strain[i] += b[k][i] * u[k];
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j) stress[i] += d[6 * i + j] * strain[j];
    for (int k = 0; k < n; ++k)
      for (int i = 0; i < 6; ++i) force[k] += geometry.point_volumes_m3[p] * b[k][i] * stress[i];
  }
  return force;
}

struct KernelCase {
  detail::ElementGeometry geometry;
  std::shared_ptr<const MaterialLaw> law;
  std::vector<double> committed, trial;
  int stride = 0;
};

KernelCase make_case(ElementFormulation formulation, const Coordinates& nodes, std::shared_ptr<const MaterialLaw> law) {
  KernelCase c;
  detail::compute_element_geometry(formulation, nodes, 0, c.geometry);
  c.law = std::move(law);
  c.stride = detail::point_history + c.law->n_history();
  c.committed = fresh_points(*c.law, c.geometry.shape.n_points, c.stride);
  c.trial = c.committed;
  return c;
}

detail::NonlinearElementOutput evaluate(KernelCase& c, const PointIncrement& increment, const std::vector<double>& u,
                                        const std::vector<double>& modes) {
  detail::NonlinearElementInput input;
  input.geometry = &c.geometry;
  input.law = c.law.get();
  input.increment = increment;
  input.displacements = u;
  input.modes = modes;
  input.committed_points = c.committed.data();
  input.trial_points = c.trial.data();
  input.point_stride = c.stride;
  detail::NonlinearElementOutput out;
  detail::evaluate_nonlinear_element(input, out);
  return out;
}

PointIncrement isothermal(double temperature_K, double time_step_s) {
  PointIncrement increment;
  increment.temperature_old_K = increment.temperature_new_K = increment.stress_free_temperature_K = temperature_K;
  increment.time_step_s = time_step_s;
  return increment;
}

void expect_elastic_kernel_matches_the_dense_path(ElementFormulation formulation, const Coordinates& nodes) {
  KernelCase c = make_case(formulation, nodes, test::elastic(50e9, 0.35, 22e-6));
  const int n = c.geometry.shape.n_dofs();
  const std::vector<double> u = displacements(n, 0.2e-6);
  const std::vector<double> modes(static_cast<std::size_t>(c.geometry.shape.n_mode_dofs()), 0.0);
  const detail::NonlinearElementOutput out = evaluate(c, isothermal(298.15, 1.0), u, modes);

  detail::LinearElementMatrices linear;
  detail::linear_element_matrices(c.geometry, c.law->elastic_stiffness(298.15), linear);
  std::vector<double> difference(linear.stiffness.size());
  for (std::size_t i = 0; i < difference.size(); ++i) difference[i] = out.tangent[i] - linear.stiffness[i];
  EXPECT_LT(largest_abs(difference) / largest_abs(linear.stiffness), 1e-12);

  // With α = 0 the force is ∫Bᵀ D B u dV.
  const std::vector<double> force = dense_b_force(c.geometry, c.law->elastic_stiffness(298.15), u);
  for (std::size_t i = 0; i < force.size(); ++i) difference[i] = out.residual[i] - force[i];
  difference.resize(force.size());
  EXPECT_LT(largest_abs(difference) / largest_abs(force), 1e-12);
}

TEST(ElementKernel, elastic_hex8_incompatible_matches_the_dense_b_path) {
  expect_elastic_kernel_matches_the_dense_path(ElementFormulation::Hex8Incompatible, distorted_hex8());
}

TEST(ElementKernel, elastic_hex8_matches_the_dense_b_path) {
  expect_elastic_kernel_matches_the_dense_path(ElementFormulation::Hex8, distorted_hex8());
}

TEST(ElementKernel, elastic_hex20_matches_the_dense_b_path) {
  expect_elastic_kernel_matches_the_dense_path(ElementFormulation::Hex20, affine_hex20());
}

// R(u) = r_u(u, α(u)) with r_a(u, α(u)) = 0: the modes relaxed by the kernel's own Newton update.
std::vector<double> condensed_force(KernelCase& c, const PointIncrement& increment, const std::vector<double>& u,
                                    std::vector<double>& modes, detail::NonlinearElementOutput& last) {
  const std::vector<double> no_correction(u.size(), 0.0);
  for (int iteration = 0; iteration < 30; ++iteration) {
    last = evaluate(c, increment, u, modes);
    if (std::sqrt(last.mode_residual_norm2) < 1e-13 * largest_abs(last.residual)) break;
    detail::apply_mode_update(last.mode_tangent, last.mode_residual, no_correction, modes);
  }
  return last.residual;
}

TEST(ElementKernel, condensed_anand_tangent_is_the_derivative_of_the_condensed_force) {
  KernelCase c = make_case(ElementFormulation::Hex8Incompatible, distorted_hex8(), test::anand_sac305());
  const int n = c.geometry.shape.n_dofs();
  const PointIncrement increment = isothermal(398.15, 60.0);  // 125 °C, one minute: creep dominates
  const std::vector<double> u0 = displacements(n, 0.3e-6);    // strains of a few 1e-3
  std::vector<double> modes(9, 0.0);
  detail::NonlinearElementOutput at_u0;
  const std::vector<double> force0 = condensed_force(c, increment, u0, modes, at_u0);
  ASSERT_LT(std::sqrt(at_u0.mode_residual_norm2), 1e-13 * largest_abs(force0));
  const std::vector<double> tangent = at_u0.tangent;
  const double inelastic = c.trial[detail::point_history + history::equivalent_inelastic_strain];
  ASSERT_GT(inelastic, 1e-5) << "the test point must creep";

  const double step = 1e-6 * largest_abs(u0);
  double worst = 0, scale = largest_abs(tangent);
  for (int j = 0; j < n; ++j) {
    std::vector<double> plus = u0, minus = u0, modes_plus = modes, modes_minus = modes;
    plus[static_cast<std::size_t>(j)] += step;
    minus[static_cast<std::size_t>(j)] -= step;
    detail::NonlinearElementOutput scratch;
    const std::vector<double> f_plus = condensed_force(c, increment, plus, modes_plus, scratch);
    const std::vector<double> f_minus = condensed_force(c, increment, minus, modes_minus, scratch);
    for (int i = 0; i < n; ++i) {
      const double derivative = (f_plus[static_cast<std::size_t>(i)] - f_minus[static_cast<std::size_t>(i)]) / (2 * step);
      worst = std::max(worst, std::abs(derivative - tangent[static_cast<std::size_t>(i * n + j)]));
    }
  }
  RecordProperty("tangent_relative_difference", test::scientific(worst / scale));
  EXPECT_LT(worst / scale, 1e-5);
}

}  // namespace
}  // namespace wlp::fem
