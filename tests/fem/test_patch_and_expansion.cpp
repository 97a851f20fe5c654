// Element verification on distorted meshes: the patch test (a linear displacement field on the
// boundary gives exactly that field and its constant stress inside), free thermal expansion
// (u = ε_th·x exactly, no stress), and the diagonal constraint u_x = u_y against a closed form.
#include <gtest/gtest.h>

#include <cmath>

#include "fem_test_support.h"
#include "mesh/block_mesh.h"

namespace wlp::fem {
namespace {

using mesh::BlockMeshSpec;
using mesh::ElementType;

struct Case {
  ElementFormulation formulation;
  ElementType element_type;
};

const Case all_cases[] = {{ElementFormulation::Hex8, ElementType::Hex8},
                          {ElementFormulation::Hex8Incompatible, ElementType::Hex8},
                          {ElementFormulation::Hex20, ElementType::Hex20}};

// Two layers (materials 0 and `top_material`), 3 × 3 × 4 elements, interior nodes moved up to 30 % of the spacing.
mesh::Mesh distorted_block(ElementType type, int top_material) {
  BlockMeshSpec spec;
  spec.length_x_m = 2e-3;
  spec.length_y_m = 1.5e-3;
  spec.n_x = 3;
  spec.n_y = 3;
  spec.layers = {{0.6e-3, 0, 2, 1.0}, {0.4e-3, top_material, 2, 1.0}};
  spec.materials = {"soft", "stiff"};
  spec.element_type = type;
  spec.distortion = 0.3;
  spec.distortion_seed = 7;
  return mesh::make_block_mesh(spec);
}

// u = A·x + c: a general (unsymmetric) gradient and a translation.
constexpr double gradient[3][3] = {{1.0e-3, 2.0e-4, -3.0e-4}, {5.0e-4, -2.0e-3, 1.0e-4}, {-1.0e-4, 3.0e-4, 1.5e-3}};
constexpr double translation[3] = {1e-6, -2e-6, 3e-6};

std::array<double, 3> linear_field(const std::array<double, 3>& x) {
  std::array<double, 3> u{};
  for (int i = 0; i < 3; ++i) {
    u[i] = translation[i];
    for (int j = 0; j < 3; ++j) u[i] += gradient[i][j] * x[j];
  }
  return u;
}

Voigt6 linear_field_strain() {  // engineering shears
  return {gradient[0][0], gradient[1][1], gradient[2][2], gradient[0][1] + gradient[1][0], gradient[0][2] + gradient[2][0],
          gradient[1][2] + gradient[2][1]};
}

double von_mises_of(const Voigt6& s) {
  return std::sqrt(0.5 * ((s[0] - s[1]) * (s[0] - s[1]) + (s[1] - s[2]) * (s[1] - s[2]) + (s[2] - s[0]) * (s[2] - s[0])) +
                   3 * (s[3] * s[3] + s[4] * s[4] + s[5] * s[5]));
}

std::vector<PrescribedDisplacement> field_on_boundary(const mesh::Mesh& mesh) {
  std::vector<PrescribedDisplacement> prescribed;
  for (std::int64_t node : mesh::boundary_nodes(mesh)) {
    const auto u = linear_field(mesh.nodes_m[static_cast<std::size_t>(node)]);
    for (int c = 0; c < 3; ++c) prescribed.push_back({node, c, u[c]});
  }
  return prescribed;
}

// Every node carries the linear field, every element its material's constant stress D·ε.
void expect_patch_reproduced(const mesh::Mesh& mesh, const std::vector<std::shared_ptr<const MaterialLaw>>& laws,
                             const std::vector<std::array<double, 3>>& u, const ElementResults& results) {
  std::vector<std::array<double, 3>> exact;
  for (const auto& x : mesh.nodes_m) exact.push_back(linear_field(x));
  const test::Difference difference = test::compare(u, exact);
  EXPECT_LT(difference.relative(), 1e-10) << "max |u − u_exact| = " << difference.max_abs << " m";
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const Voigt6 stress = multiply(laws[static_cast<std::size_t>(mesh.material_of_element[e])]->elastic_stiffness(298.15),
                                   linear_field_strain());
    double scale = 0;
    for (double s : stress) scale = std::max(scale, std::abs(s));
    for (int i = 0; i < 6; ++i) EXPECT_NEAR(results.stress_Pa[e][i], stress[i], 1e-10 * scale) << "element " << e << " component " << i;
    EXPECT_NEAR(results.von_mises_Pa[e], von_mises_of(stress), 1e-10 * scale) << "element " << e;
  }
}

TEST(PatchTest, linear_field_on_a_distorted_mesh_is_exact_for_every_element_in_the_elastic_solve) {
  test::ensure_petsc();
  for (const Case& c : all_cases) {
    SCOPED_TRACE(static_cast<int>(c.formulation));
    const mesh::Mesh mesh = distorted_block(c.element_type, 0);  // one material: a constant strain is in equilibrium
    const std::vector<std::shared_ptr<const MaterialLaw>> laws{test::elastic(150e9, 0.25, 0)};
    ThermoMechanicalSolver solver(mesh, laws, test::options_with(c.formulation), field_on_boundary(mesh));
    const ElasticSolution solution = solver.solve_elastic(298.15);
    expect_patch_reproduced(mesh, laws, solution.displacements_m, solution.elements);
  }
}

TEST(PatchTest, linear_field_is_exact_through_the_newton_path_with_law_updates_at_every_point) {
  test::ensure_petsc();
  for (const Case& c : all_cases) {
    SCOPED_TRACE(static_cast<int>(c.formulation));
    const mesh::Mesh mesh = distorted_block(c.element_type, 0);
    const std::vector<std::shared_ptr<const MaterialLaw>> laws{test::elastic_nonlinear_path(150e9, 0.25, 0)};
    ThermoMechanicalSolver solver(mesh, laws, test::options_with(c.formulation), field_on_boundary(mesh));
    const RunSummary summary = solver.run(test::ramp(298.15, 298.15, 1.0), 1.0);
    ASSERT_TRUE(summary.reached_end);
    expect_patch_reproduced(mesh, laws, solver.nodal_displacements_m(), solver.element_results());
  }
}

// Free expansion from the 3-2-1 support: u = ε_th (x − x_support), σ = 0 (both materials share the CTE).
void expect_free_expansion(const mesh::Mesh& mesh, const std::vector<std::array<double, 3>>& u, const ElementResults& results,
                           double thermal_strain) {
  const std::array<double, 3> origin = mesh.nodes_m.front();  // the fully held node of the 3-2-1 support
  std::vector<std::array<double, 3>> exact;
  for (const auto& x : mesh.nodes_m) exact.push_back({thermal_strain * (x[0] - origin[0]), thermal_strain * (x[1] - origin[1]),
                                                      thermal_strain * (x[2] - origin[2])});
  const test::Difference difference = test::compare(u, exact);
  EXPECT_LT(difference.relative(), 1e-10) << "max |u − ε_th x| = " << difference.max_abs << " m";
  const double stress_scale = 150e9 * thermal_strain;  // the stress if the expansion were blocked
  for (std::size_t e = 0; e < mesh.n_elements(); ++e)
    for (int i = 0; i < 6; ++i) EXPECT_NEAR(results.stress_Pa[e][i], 0.0, 1e-10 * stress_scale) << "element " << e;
}

TEST(FreeThermalExpansion, displacement_is_the_thermal_strain_times_x_and_stress_is_zero_for_every_element) {
  test::ensure_petsc();
  const double cte = 17e-6, delta_T = 100;
  for (const Case& c : all_cases) {
    SCOPED_TRACE(static_cast<int>(c.formulation));
    const mesh::Mesh mesh = distorted_block(c.element_type, 1);
    ASSERT_EQ(mesh.fixed_dofs.front().node, 0);
    // Elastic solve with constant-stiffness laws, and a run through the nonlinear path.
    ThermoMechanicalSolver elastic(mesh, {test::elastic(20e9, 0.3, cte), test::elastic(150e9, 0.25, cte)}, test::options_with(c.formulation));
    const ElasticSolution solution = elastic.solve_elastic(298.15 + delta_T);
    expect_free_expansion(mesh, solution.displacements_m, solution.elements, cte * delta_T);

    ThermoMechanicalSolver incremental(mesh, {test::elastic(20e9, 0.3, cte), test::elastic_nonlinear_path(150e9, 0.25, cte)},
                                       test::options_with(c.formulation));
    ASSERT_TRUE(incremental.run(test::ramp(298.15, 298.15 + delta_T, 100.0), 100.0).reached_end);
    expect_free_expansion(mesh, incremental.nodal_displacements_m(), incremental.element_results(), cte * delta_T);
  }
}

// Every node held to u_x = u_y, the bottom face to u_z = 0, the corner node to u_x = u_y = 0. The
// constrained minimiser of the energy is linear: u_x = u_y = a (x − x0 + y − y0), u_z = c z with
// natural conditions σ_zz = 0 and σ_xx + σ_xy = 0, i.e. c = 2a and a = (3λ + 2μ) ε / (4(λ + μ)).
TEST(DiagonalConstraint, every_node_held_to_ux_equal_uy_gives_the_closed_form_linear_field) {
  test::ensure_petsc();
  const double youngs = 100e9, nu = 0.3, cte = 10e-6, delta_T = 50;
  const double lambda = youngs * nu / ((1 + nu) * (1 - 2 * nu)), mu = youngs / (2 * (1 + nu));
  const double strain = cte * delta_T;
  const double a = (3 * lambda + 2 * mu) * strain / (4 * (lambda + mu)), c_z = 2 * a;
  for (const Case& c : all_cases) {
    SCOPED_TRACE(static_cast<int>(c.formulation));
    BlockMeshSpec spec;
    spec.length_x_m = spec.length_y_m = 1e-3;
    spec.n_x = spec.n_y = 2;
    spec.layers = {{1e-3, 0, 2, 1.0}};
    spec.materials = {"m"};
    spec.element_type = c.element_type;
    spec.distortion = 0.2;
    mesh::Mesh mesh = mesh::make_block_mesh(spec);
    mesh.fixed_dofs = {{0, 0}};
    for (std::size_t node = 0; node < mesh.n_nodes(); ++node) {
      mesh.diagonal_nodes.push_back(static_cast<std::int64_t>(node));
      if (mesh.nodes_m[node][2] == 0) mesh.fixed_dofs.push_back({static_cast<std::int64_t>(node), 2});
    }
    ThermoMechanicalSolver solver(mesh, {test::elastic(youngs, nu, cte)}, test::options_with(c.formulation));
    const ElasticSolution solution = solver.solve_elastic(298.15 + delta_T);
    const std::array<double, 3> origin = mesh.nodes_m.front();
    std::vector<std::array<double, 3>> exact;
    for (const auto& x : mesh.nodes_m) {
      const double in_plane = a * (x[0] - origin[0] + x[1] - origin[1]);
      exact.push_back({in_plane, in_plane, c_z * x[2]});
    }
    const test::Difference difference = test::compare(solution.displacements_m, exact);
    EXPECT_LT(difference.relative(), 1e-10) << "max |u − u_exact| = " << difference.max_abs << " m";
  }
}

}  // namespace
}  // namespace wlp::fem
