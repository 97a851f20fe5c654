// CalculiX (`ccx`) on the same mesh as the engine: a soft polyimide film (one element thick) on a
// silicon strip held flat, cooled by 325 K. Hex8, Hex8Incompatible and Hex20 are compared with
// C3D8, C3D8I and C3D20 node by node, and the film stresses element by element — including the
// alternating film stress near the free edge that C3D8I and Hex8Incompatible share
// (docs/fe-engine.md §2, "Known limitation").
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <unistd.h>

#include "fem_test_support.h"
#include "mesh/block_mesh.h"

namespace wlp::fem {
namespace {

constexpr double room_K = 298.15, cooling_K = -325;

struct Layer {
  double youngs_modulus_Pa, poisson_ratio, cte_per_K;
};
const Layer silicon{130e9, 0.28, 2.6e-6}, polyimide{3.5e9, 0.34, 35e-6};

// x ∈ [0, 8 mm] (u_x = 0 at x = 0), y ∈ [0, 0.5 mm] (u_y = 0 at y = 0), silicon 725 µm in 4
// elements under a 36.25 µm film in one; the bottom face held in z.
mesh::Mesh film_strip(mesh::ElementType type) {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = 8e-3;
  spec.length_y_m = 0.5e-3;
  spec.n_x = 16;
  spec.n_y = 1;
  spec.layers = {{725e-6, 0, 4, 1.0}, {36.25e-6, 1, 1, 1.0}};
  spec.materials = {"Si", "PI"};
  spec.element_type = type;
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  mesh::Mesh mesh = mesh::make_block_mesh(spec);
  for (std::size_t node = 0; node < mesh.n_nodes(); ++node)
    if (mesh.nodes_m[node][2] == 0) mesh.fixed_dofs.push_back({static_cast<std::int64_t>(node), 2});
  return mesh;
}

// The Abaqus-format deck in mm, N, MPa, s, K (node and element numbers = mesh index + 1).
std::string calculix_deck(const mesh::Mesh& mesh, const std::string& element_type) {
  std::ostringstream deck;
  deck.precision(17);
  deck << "*NODE, NSET=NALL\n";
  for (std::size_t node = 0; node < mesh.n_nodes(); ++node)
    deck << node + 1 << ", " << 1e3 * mesh.nodes_m[node][0] << ", " << 1e3 * mesh.nodes_m[node][1] << ", " << 1e3 * mesh.nodes_m[node][2] << "\n";
  const int n_nodes = mesh::nodes_per_element(mesh.element_type);
  for (int material = 0; material < 2; ++material) {
    deck << "*ELEMENT, TYPE=" << element_type << ", ELSET=" << mesh.materials[static_cast<std::size_t>(material)] << "\n";
    for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
      if (mesh.material_of_element[e] != material) continue;
      deck << e + 1;
      for (int a = 0; a < n_nodes; ++a) deck << (a == 15 ? ",\n" : ", ") << mesh.element_nodes(e)[a] + 1;  // 16 entries per line at most
      deck << "\n";
    }
  }
  deck.precision(12);  // ccx reads at most 20 characters per number
  for (const auto& [name, layer] : {std::pair{"Si", silicon}, std::pair{"PI", polyimide}})
    deck << "*MATERIAL, NAME=M" << name << "\n*ELASTIC\n" << layer.youngs_modulus_Pa * 1e-6 << ", " << layer.poisson_ratio
         << "\n*EXPANSION, ZERO=" << room_K << "\n" << layer.cte_per_K << "\n*SOLID SECTION, ELSET=" << name << ", MATERIAL=M" << name << "\n";
  deck << "*INITIAL CONDITIONS, TYPE=TEMPERATURE\nNALL, " << room_K << "\n*BOUNDARY\n";
  for (const mesh::FixedDof& fixed : mesh.fixed_dofs) deck << fixed.node + 1 << ", " << fixed.component + 1 << ", " << fixed.component + 1 << "\n";
  deck << "*STEP\n*STATIC\n*TEMPERATURE\nNALL, " << room_K + cooling_K << "\n*NODE PRINT, NSET=NALL\nU\n*EL PRINT, ELSET=PI\nS\n*END STEP\n";
  return deck.str();
}

struct CalculixResult {
  std::map<long, std::array<double, 3>> displacement_m;
  std::map<long, std::vector<Voigt6>> point_stresses_Pa;  // per element (1-based), per integration point
};

CalculixResult run_calculix(const std::string& deck) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("wlpkit-ccx-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "strip.inp") << deck;
  const test::CommandResult run = test::run_command("cd " + test::shell_quoted(dir.string()) + " && ccx -i strip");
  std::ifstream dat(dir / "strip.dat");
  CalculixResult result;
  std::string line;
  int section = 0;  // 1 displacements, 2 stresses
  while (std::getline(dat, line)) {
    if (line.find("displacements") != std::string::npos) section = 1;
    if (line.find("stresses") != std::string::npos) section = 2;
    std::istringstream fields(line);
    long id = 0;
    if (!(fields >> id)) continue;
    if (section == 1) {
      std::array<double, 3> u{};
      fields >> u[0] >> u[1] >> u[2];
      for (double& value : u) value *= 1e-3;  // mm → m
      result.displacement_m[id] = u;
    } else if (section == 2) {
      int point = 0;
      Voigt6 s{};
      fields >> point >> s[0] >> s[1] >> s[2] >> s[3] >> s[4] >> s[5];
      for (double& value : s) value *= 1e6;  // MPa → Pa
      result.point_stresses_Pa[id].push_back(s);
    }
  }
  std::filesystem::remove_all(dir);
  EXPECT_EQ(run.exit_code, 0) << run.output;
  return result;
}

void expect_same_as_calculix(ElementFormulation formulation, mesh::ElementType type, const std::string& element_type,
                             bool compare_stresses) {
  test::ensure_petsc();
  const mesh::Mesh mesh = film_strip(type);
  ThermoMechanicalSolver solver(mesh,
                                {test::elastic(silicon.youngs_modulus_Pa, silicon.poisson_ratio, silicon.cte_per_K),
                                 test::elastic(polyimide.youngs_modulus_Pa, polyimide.poisson_ratio, polyimide.cte_per_K)},
                                test::options_with(formulation));
  const ElasticSolution solution = solver.solve_elastic(room_K + cooling_K);
  const CalculixResult calculix = run_calculix(calculix_deck(mesh, element_type));
  ASSERT_EQ(calculix.displacement_m.size(), mesh.n_nodes());
  std::vector<std::array<double, 3>> reference;
  for (const auto& [node, u] : calculix.displacement_m) reference.push_back(u);
  const double displacement_difference = test::compare(solution.displacements_m, reference).relative();
  EXPECT_LT(displacement_difference, 1e-5);  // ccx prints 7 significant digits
  ::testing::Test::RecordProperty("relative_displacement_difference", test::scientific(displacement_difference));
  if (!compare_stresses) return;
  // Film stresses: the mean over the element's (equally weighted) 2×2×2 points against the engine's volume average.
  const double film_stress = polyimide.youngs_modulus_Pa / (1 - polyimide.poisson_ratio) *
                             (silicon.cte_per_K - polyimide.cte_per_K) * cooling_K;
  double worst = 0, largest_deviation = 0;
  for (const auto& [element, points] : calculix.point_stresses_Pa) {
    ASSERT_EQ(points.size(), 8u);
    for (int i = 0; i < 6; ++i) {
      double mean = 0;
      for (const Voigt6& s : points) mean += s[i] / 8;
      worst = std::max(worst, std::abs(solution.elements.stress_Pa[static_cast<std::size_t>(element - 1)][i] - mean) / film_stress);
    }
    largest_deviation = std::max(largest_deviation, std::abs(solution.elements.stress_Pa[static_cast<std::size_t>(element - 1)][0] / film_stress - 1));
  }
  EXPECT_EQ(calculix.point_stresses_Pa.size(), 16u);
  EXPECT_LT(worst, 1e-5);
  ::testing::Test::RecordProperty("film_stress_difference_over_sigma_f", test::scientific(worst));
  ::testing::Test::RecordProperty("largest_film_stress_deviation_from_stoney", test::scientific(largest_deviation));
}

TEST(CalculixOracle, hex8_equals_c3d8_on_a_film_strip) {
  expect_same_as_calculix(ElementFormulation::Hex8, mesh::ElementType::Hex8, "C3D8", true);
}

TEST(CalculixOracle, hex8_incompatible_equals_c3d8i_on_a_film_strip) {
  expect_same_as_calculix(ElementFormulation::Hex8Incompatible, mesh::ElementType::Hex8, "C3D8I", true);
}

TEST(CalculixOracle, hex20_equals_c3d20_on_a_film_strip) {
  expect_same_as_calculix(ElementFormulation::Hex20, mesh::ElementType::Hex20, "C3D20", false);
}

}  // namespace
}  // namespace wlp::fem
