// Plate oracles (physics-data.md §5.1): Timoshenko's bimaterial curvature (A1, cases T1–T3,
// plate values with biaxial moduli E/(1 − ν)) and Stoney's thin-film stress and curvature (A2),
// on quarter plates with symmetry at x = 0 and y = 0, L/h ≥ 20, curvature from the mid-plane
// deflection more than 2h from the free edges.
#include <gtest/gtest.h>

#include <cmath>

#include "fem_test_support.h"
#include "mesh/block_mesh.h"

namespace wlp::fem {
namespace {

struct Layer {
  double youngs_modulus_Pa, poisson_ratio, cte_per_K, thickness_m;
};

// Timoshenko, J. Opt. Soc. Am. 11 (1925) 233: κ = 6(α2 − α1)ΔT(1 + m)² / (h[3(1 + m)² + (1 + mn)(m² + 1/(mn))]),
// m = h1/h2, n = E1'/E2', h = h1 + h2; plate: E' = E/(1 − ν). Layer 1 at the bottom.
double timoshenko_curvature(const Layer& bottom, const Layer& top, double delta_T) {
  const double m = bottom.thickness_m / top.thickness_m;
  const double n = (bottom.youngs_modulus_Pa / (1 - bottom.poisson_ratio)) / (top.youngs_modulus_Pa / (1 - top.poisson_ratio));
  const double h = bottom.thickness_m + top.thickness_m;
  return 6 * (top.cte_per_K - bottom.cte_per_K) * delta_T * (1 + m) * (1 + m) /
         (h * (3 * (1 + m) * (1 + m) + (1 + m * n) * (m * m + 1 / (m * n))));
}

struct PlateCurvature {
  double kappa_x = 0, kappa_y = 0;  // 1/m; positive: the edges rise (the top face is concave)
};

// Least-squares fit w = c0 + c1 x² + c2 y² of the mid-plane deflection over the nodes with
// max(x, y) ≤ limit (normal equations, solved by Cramer's rule); κ = 2 c. The mesh has a node plane at z = h/2.
PlateCurvature fit_curvature(const mesh::Mesh& mesh, const std::vector<std::array<double, 3>>& u, double mid_z, double limit) {
  std::array<std::array<double, 3>, 3> normal{};
  std::array<double, 3> right{};
  for (std::size_t node = 0; node < mesh.n_nodes(); ++node) {
    const auto& x = mesh.nodes_m[node];
    if (std::abs(x[2] - mid_z) > 1e-9 * mid_z || std::max(x[0], x[1]) > limit) continue;
    const std::array<double, 3> row{1.0, x[0] * x[0] / (limit * limit), x[1] * x[1] / (limit * limit)};  // scaled columns
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) normal[i][j] += row[i] * row[j];
      right[i] += row[i] * u[node][2];
    }
  }
  const auto determinant = [](const std::array<std::array<double, 3>, 3>& m) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  };
  const double d = determinant(normal);
  std::array<double, 3> c{};
  for (int k = 0; k < 3; ++k) {
    auto replaced = normal;
    for (int i = 0; i < 3; ++i) replaced[i][k] = right[i];
    c[k] = determinant(replaced) / d;
  }
  return {2 * c[1] / (limit * limit), 2 * c[2] / (limit * limit)};
}

struct PlateCase {
  Layer bottom, top;
  double delta_T, half_length_m;
  std::vector<mesh::BlockLayer> layers;  // bottom to top, with a node plane at mid-height
  int n_in_plane;
};

struct PlateSolution {
  mesh::Mesh mesh;
  ElasticSolution solution;
  PlateCurvature curvature;
  double evaluation_limit_m = 0;
};

PlateSolution solve_plate(const PlateCase& plate) {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = spec.length_y_m = plate.half_length_m;
  spec.n_x = spec.n_y = plate.n_in_plane;
  spec.layers = plate.layers;
  spec.materials = {"bottom", "top"};
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  PlateSolution result{mesh::make_block_mesh(spec), {}, {}, 0};
  const double stress_free_K = 298.15;
  ThermoMechanicalSolver solver(result.mesh,
                                {test::elastic(plate.bottom.youngs_modulus_Pa, plate.bottom.poisson_ratio, plate.bottom.cte_per_K),
                                 test::elastic(plate.top.youngs_modulus_Pa, plate.top.poisson_ratio, plate.top.cte_per_K)});
  result.solution = solver.solve_elastic(stress_free_K + plate.delta_T);
  const double h = plate.bottom.thickness_m + plate.top.thickness_m;
  result.evaluation_limit_m = plate.half_length_m - 2 * h;
  result.curvature = fit_curvature(result.mesh, result.solution.displacements_m, h / 2, result.evaluation_limit_m);
  return result;
}

void expect_timoshenko(const PlateCase& plate, double published_kappa_per_m) {
  test::ensure_petsc();
  const double h = plate.bottom.thickness_m + plate.top.thickness_m;
  ASSERT_GE(2 * plate.half_length_m / h, 20.0) << "L/h";
  const double expected = std::abs(timoshenko_curvature(plate.bottom, plate.top, plate.delta_T));
  // The formula as transcribed reproduces the tabulated plate value (physics-data.md §5.1, 4 digits).
  EXPECT_NEAR(expected, published_kappa_per_m, 5e-4 * published_kappa_per_m);
  const PlateSolution result = solve_plate(plate);
  // Cooling with the high-CTE layer on top: the top face becomes concave, the edges rise (κ > 0).
  EXPECT_NEAR(result.curvature.kappa_x, expected, 0.01 * expected);
  EXPECT_NEAR(result.curvature.kappa_y, expected, 0.01 * expected);
  ::testing::Test::RecordProperty("kappa_expected_per_m", test::scientific(expected));
  ::testing::Test::RecordProperty("kappa_fe_x_per_m", test::scientific(result.curvature.kappa_x));
  ::testing::Test::RecordProperty("kappa_fe_y_per_m", test::scientific(result.curvature.kappa_y));
}

const Layer silicon_500um{130e9, 0.28, 2.6e-6, 0.5e-3};

TEST(Timoshenko, T1_silicon_on_copper_plate_curvature_within_one_percent) {
  const Layer copper{121e9, 0.34, 17e-6, 0.5e-3};
  expect_timoshenko({silicon_500um, copper, -100, 10e-3, {{0.5e-3, 0, 2, 1.0}, {0.5e-3, 1, 2, 1.0}}, 20}, 2.160);
}

TEST(Timoshenko, T2_silicon_on_fr4_plate_curvature_within_one_percent) {
  const Layer silicon{130e9, 0.28, 2.6e-6, 0.4e-3};
  const Layer fr4{22e9, 0.15, 16e-6, 1.0e-3};
  // FR-4 split at the mid-plane z = 0.7 mm.
  expect_timoshenko({silicon, fr4, -165, 15e-3, {{0.4e-3, 0, 2, 1.0}, {0.3e-3, 1, 1, 1.0}, {0.7e-3, 1, 3, 1.0}}, 20}, 2.368);
}

TEST(Timoshenko, T3_silicon_with_thin_copper_plate_curvature_within_one_percent) {
  const Layer silicon{130e9, 0.28, 2.6e-6, 0.2e-3};
  const Layer copper{121e9, 0.34, 17e-6, 0.05e-3};
  // Silicon split at the mid-plane z = 0.125 mm.
  expect_timoshenko({silicon, copper, -100, 3e-3, {{0.125e-3, 0, 2, 1.0}, {0.075e-3, 0, 1, 1.0}, {0.05e-3, 1, 1, 1.0}}, 24}, 5.564);
}

// Stoney, Proc. R. Soc. A 82 (1909) 172: σ_f = E_f/(1 − ν_f)(α_s − α_f)ΔT and κ = 6 σ_f h_f (1 − ν_s)/(E_s h_s²).
// HD-4100 on silicon cooled from a 350 °C cure (physics-data.md §5.1 A2), film h_f/h_s = 1/200.
TEST(Stoney, thin_polyimide_film_on_silicon_film_stress_and_curvature_within_one_percent) {
  test::ensure_petsc();
  const Layer silicon{130e9, 0.28, 2.6e-6, 725e-6};
  const Layer film{3.5e9, 0.34, 35e-6, 3.625e-6};
  const double delta_T = 25 - 350;
  const double film_stress = film.youngs_modulus_Pa / (1 - film.poisson_ratio) * (silicon.cte_per_K - film.cte_per_K) * delta_T;
  EXPECT_NEAR(film_stress, 55.8e6, 0.05e6);  // the tabulated elastic bound
  const double kappa = 6 * film_stress * film.thickness_m * (1 - silicon.poisson_ratio) /
                       (silicon.youngs_modulus_Pa * silicon.thickness_m * silicon.thickness_m);
  const double mid = (silicon.thickness_m + film.thickness_m) / 2;
  const PlateCase plate{silicon, film, delta_T, 8e-3,
                        {{mid, 0, 2, 1.0}, {silicon.thickness_m - mid, 0, 2, 1.0}, {film.thickness_m, 1, 1, 1.0}}, 16};
  const PlateSolution result = solve_plate(plate);
  EXPECT_NEAR(result.curvature.kappa_x, kappa, 0.01 * kappa);
  EXPECT_NEAR(result.curvature.kappa_y, kappa, 0.01 * kappa);
  // Film stress (σ_xx and σ_yy) in every film element away from the edges.
  int n_checked = 0;
  double worst = 0;
  for (std::size_t e = 0; e < result.mesh.n_elements(); ++e) {
    if (result.mesh.material_of_element[e] != 1) continue;
    const auto& corner = result.mesh.nodes_m[static_cast<std::size_t>(result.mesh.element_nodes(e)[6])];  // the far top corner
    if (std::max(corner[0], corner[1]) > result.evaluation_limit_m) continue;
    for (int i = 0; i < 2; ++i) worst = std::max(worst, std::abs(result.solution.elements.stress_Pa[e][i] / film_stress - 1));
    ++n_checked;
  }
  EXPECT_GT(n_checked, 50);
  EXPECT_LT(worst, 0.01);
  ::testing::Test::RecordProperty("kappa_stoney_per_m", test::scientific(kappa));
  ::testing::Test::RecordProperty("kappa_fe_x_per_m", test::scientific(result.curvature.kappa_x));
  ::testing::Test::RecordProperty("film_stress_worst_relative_error", test::scientific(worst));
}

}  // namespace
}  // namespace wlp::fem
