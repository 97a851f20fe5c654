// The Abaqus/CalculiX deck run by CalculiX (`ccx`, Debian calculix-ccx) against closed forms:
// free thermal expansion of a package mesh made of one material (u = αΔT·(x − x₀) at every
// node, no reaction, the volume of the mesh), with the symmetry planes as *BOUNDARY, the
// diagonal as *EQUATION and Hex20 elements; and on a single element held between two walls,
// the creep card (Norton, stress relaxing as exp(−E·A·t)) and the kinematic plasticity card
// (stress capped at the yield stress).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "mesh/inp_export.h"
#include "mesh/mesh_test_models.h"
#include "mesh/package_mesh.h"
#include "mesh/quality.h"
#include "support/test_support.h"

namespace wlp::mesh {
namespace {

constexpr double kAlpha = 1e-5, kE = 100e9, kNu = 0.3, kT0 = 298.15, kDeltaT = 100;

/// The last block of a kind in a ccx .dat file: the data lines after the header that starts
/// with `title`.
std::vector<std::vector<double>> last_block(const std::string& dat, const std::string& title) {
  std::istringstream in(dat);
  std::string line;
  std::vector<std::vector<double>> block;
  bool reading = false;
  while (std::getline(in, line)) {
    if (line.find(title) != std::string::npos) {
      block.clear(), reading = true;
      continue;
    }
    if (!reading) continue;
    std::istringstream fields(line);
    std::vector<double> row;
    double v = 0;
    while (fields >> v) row.push_back(v);
    if (row.empty()) {
      if (!block.empty()) reading = false;
      continue;
    }
    block.push_back(row);
  }
  return block;
}

struct CcxRun {
  int exit_code = -1;
  std::string log, dat;
};

CcxRun run_ccx(const Mesh& mesh, const InpDeck& deck) {
  test::ScratchDir dir;
  write_inp(mesh, deck, dir.path() / "job.inp");
  const test::CliResult result =
      test::run_command(fmt::format("cd {} && OMP_NUM_THREADS=2 ccx -i job", test::quoted(dir.path().string())));
  return CcxRun{result.exit_code, result.out + result.err, test::read_text(dir.path() / "job.dat")};
}

InpDeck one_material_deck(const Mesh& mesh) {
  InpDeck deck;
  for (const std::string& m : mesh.materials) {
    InpMaterial material;
    material.name = m;
    material.elastic = {{kE, kNu, 293.15}};
    material.expansion = {{kAlpha, 293.15}};
    deck.materials.push_back(material);
  }
  deck.stress_free_temperature_K = deck.initial_temperature_K = kT0;
  deck.temperature_amplitude = {{0, kT0}, {1, kT0 + kDeltaT}};
  deck.steps = {InpStep{}};
  deck.outputs.print_stresses = false;
  deck.outputs.write_result_file = false;
  return deck;
}

/// Free expansion from the supports at (x0, y0, z0): every node moves by α_k·ΔT·(x_k − x0_k), in mm.
void expect_free_expansion(const Mesh& mesh, std::array<double, 3> origin_m, const InpDeck& deck,
                           std::array<double, 3> alpha = {kAlpha, kAlpha, kAlpha}) {
  const CcxRun run = run_ccx(mesh, deck);
  ASSERT_EQ(run.exit_code, 0) << run.log;
  const auto u = last_block(run.dat, "displacements (vx,vy,vz) for set NALL");
  ASSERT_EQ(u.size(), mesh.n_nodes());
  double largest = 0, worst = 0;
  for (const auto& row : u) {
    const auto& p = mesh.nodes_m[static_cast<std::size_t>(row[0]) - 1];
    for (int k = 0; k < 3; ++k) {
      const auto axis = static_cast<std::size_t>(k);
      const double exact_mm = alpha[axis] * kDeltaT * (p[axis] - origin_m[axis]) * 1e3;
      largest = std::max(largest, std::abs(exact_mm));
      worst = std::max(worst, std::abs(row[static_cast<std::size_t>(k) + 1] - exact_mm));
    }
  }
  // ccx prints 7 significant digits.
  EXPECT_LT(worst, 2e-6 * largest);
  const auto volume = last_block(run.dat, "total volume for set EALL");
  ASSERT_EQ(volume.size(), 1u);
  const double mesh_mm3 = measure_quality(mesh).volume_m3 * 1e9;
  EXPECT_NEAR(volume[0][0], mesh_mm3, 2e-6 * mesh_mm3);
  const auto force = last_block(run.dat, "total force (fx,fy,fz) for set NFIX");
  ASSERT_EQ(force.size(), 1u);
  // E·α·ΔT over 1 mm² is 100 N: a free expansion leaves no reaction.
  for (double f : force[0]) EXPECT_LT(std::abs(f), 1e-6 * kE * 1e-6 * kAlpha * kDeltaT);
}

TEST(InpDeck, QuarterPackageExpandsFreelyInCalculix) {
  const test::BuiltModel& built = test::built_small_b0(3, Symmetry::Quarter);
  MeshOptions options;
  options.symmetry = Symmetry::Quarter;
  const PackageMesh pm = mesh_package(built.design, built.model, options);
  expect_free_expansion(pm.mesh, {0, 0, pm.frame.board_bottom_z_m}, one_material_deck(pm.mesh));
}

TEST(InpDeck, OrthotropicMaterialExpandsAlongEachAxisByItsOwnCte) {
  // FR-4-like engineering constants and three CTEs (Isola 370HR below Tg: 13 / 14 / 45 ppm/K):
  // free expansion is still stress-free, u_k = α_k ΔT (x_k − x0_k), whatever the stiffness.
  const test::BuiltModel& built = test::built_small_b0(3, Symmetry::Quarter);
  MeshOptions options;
  options.symmetry = Symmetry::Quarter;
  const PackageMesh pm = mesh_package(built.design, built.model, options);
  InpDeck deck = one_material_deck(pm.mesh);
  const std::array<double, 3> alpha{13e-6, 14e-6, 45e-6};
  for (InpMaterial& m : deck.materials) {
    m.orthotropic_elastic = {{25.8e9, 25.8e9, 9e9, 0.177, 0.35, 0.35, 9e9, 3.5e9, 3.5e9, 293.15}};
    m.orthotropic_expansion = {{alpha[0], alpha[1], alpha[2], 293.15}};
  }
  expect_free_expansion(pm.mesh, {0, 0, pm.frame.board_bottom_z_m}, deck, alpha);
}

TEST(InpDeck, EighthPackageWithDiagonalEquationsExpandsFreely) {
  const test::BuiltModel& built = test::built_small_b0(3, Symmetry::Quarter);
  MeshOptions options;
  options.symmetry = Symmetry::Eighth;
  const PackageMesh pm = mesh_package(built.design, built.model, options);
  ASSERT_FALSE(pm.mesh.diagonal_nodes.empty());
  expect_free_expansion(pm.mesh, {0, 0, pm.frame.board_bottom_z_m}, one_material_deck(pm.mesh));
}

TEST(InpDeck, Hex20UnitCellExpandsFreelyFromItsSupport) {
  const test::BuiltModel& built = test::built_cell("b0");
  const PackageMesh pm = mesh_package(built.design, built.model, test::cell_options(1, ElementType::Hex20));
  std::array<double, 3> support{};
  for (const FixedDof& f : pm.mesh.fixed_dofs)
    if (f.component == 0) support = pm.mesh.nodes_m[static_cast<std::size_t>(f.node)];
  expect_free_expansion(pm.mesh, support, one_material_deck(pm.mesh));
}

/// One 1 mm cube between two walls (u_x = 0 on x = 0 and x = 1 mm), free to expand in y and z.
Mesh walled_cube() {
  Mesh mesh;
  const double s = 1e-3;
  mesh.nodes_m = {{0, 0, 0}, {s, 0, 0}, {s, s, 0}, {0, s, 0}, {0, 0, s}, {s, 0, s}, {s, s, s}, {0, s, s}};
  mesh.connectivity = {0, 1, 2, 3, 4, 5, 6, 7};
  mesh.materials = {"bar"};
  mesh.material_of_element = {0};
  mesh.joint_of_element = {-1};
  mesh.joint_zone_of_element = {JointZone::None};
  for (std::int64_t n = 0; n < 8; ++n) mesh.fixed_dofs.push_back(FixedDof{n, 0});
  mesh.fixed_dofs.insert(mesh.fixed_dofs.end(),
                         {FixedDof{0, 1}, FixedDof{0, 2}, FixedDof{1, 1}, FixedDof{1, 2}, FixedDof{3, 2}});
  return mesh;
}

double mean_sxx_MPa(const std::string& dat) {
  const auto s = last_block(dat, "stresses (elem, integ.pnt.,sxx,syy,szz,sxy,sxz,syz)");
  double sum = 0;
  for (const auto& row : s) sum += row[2];
  return s.empty() ? std::nan("") : sum / static_cast<double>(s.size());
}

InpDeck walled_cube_deck(InpMaterial material, InpStep step, double hold_s) {
  InpDeck deck;
  material.name = "bar";
  material.elastic = {{kE, kNu, 293.15}};
  material.expansion = {{kAlpha, 293.15}};
  deck.materials = {material};
  deck.stress_free_temperature_K = deck.initial_temperature_K = kT0;
  // Heated within a millisecond, then held.
  deck.temperature_amplitude = {{0, kT0}, {1e-3, kT0 + kDeltaT}, {hold_s, kT0 + kDeltaT}};
  deck.steps = {step};
  deck.outputs.print_displacements = false;
  deck.outputs.write_result_file = false;
  return deck;
}

TEST(InpDeck, NortonCreepRelaxesTheWalledStressExponentially) {
  // Uniaxial stress between walls: σ̇ = −E·ε̇_creep = −E·A·σ (Norton, n = 1), so
  // σ(t) = −E·α·ΔT·exp(−E·A·t). A = 1e-13 /(Pa·s) gives the time constant 1/(E·A) = 100 s.
  const double a = 1e-13, hold = 100;
  InpMaterial creep;
  creep.norton_creep = {{a, 1, 0, 293.15}};
  InpStep step;
  step.procedure = InpProcedure::Visco;
  step.initial_increment_s = 1e-4, step.period_s = hold, step.min_increment_s = 1e-8, step.max_increment_s = 0.5;
  step.creep_tolerance = 1e-4;
  const CcxRun run = run_ccx(walled_cube(), walled_cube_deck(creep, step, hold));
  ASSERT_EQ(run.exit_code, 0) << run.log;
  const double expected = -kE * kAlpha * kDeltaT * std::exp(-kE * a * hold) * 1e-6;  // MPa
  // Implicit steps of at most 0.5 s against the 100 s time constant: error ≈ Δt/2τ = 0.25 %.
  EXPECT_NEAR(mean_sxx_MPa(run.dat), expected, 0.01 * std::abs(expected));
}

TEST(InpDeck, KinematicPlasticityCapsTheWalledStressAtYield) {
  // Elastic thermal stress −E·α·ΔT = −100 MPa against a 60 MPa yield stress, no hardening.
  InpMaterial plastic;
  plastic.kinematic_plastic = {{60e6, 0, 293.15}};
  InpStep step;
  step.initial_increment_s = 0.1, step.period_s = 1, step.min_increment_s = 1e-5, step.max_increment_s = 0.1;
  const CcxRun run = run_ccx(walled_cube(), walled_cube_deck(plastic, step, 1));
  ASSERT_EQ(run.exit_code, 0) << run.log;
  EXPECT_NEAR(mean_sxx_MPa(run.dat), -60, 0.06);
}

}  // namespace
}  // namespace wlp::mesh
