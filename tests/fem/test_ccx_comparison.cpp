// CalculiX (`ccx`, Debian calculix-ccx) as the independent oracle of the FE engine, through the
// deck builder and reader of the library (fem/ccx_deck.h, fem/ccx_results.h): the same mesh, the
// same laws converted to CalculiX cards, the same temperature history (issue 6, part 4:
// "displacements and stresses agree within 2 %").
//
// - elastic: one unit cell of examples/b0.toml (Si die, SiO2/Si3N4, Al pad, Ti/Ni/Cu UBM, SAC305
//   ball, Cu pad, solder mask, FR-4), uniform 25 → 125 °C, Hex8 against C3D8;
// - incompatible modes: the constant-stress patch test on a distorted block, which Hex8Incompatible
//   passes and CalculiX's C3D8I does not (why the two differ on the package's O-grid);
// - creep: a die / SAC305 (Norton) / board stack through a 15 min ramp and a 15 min dwell,
//   against *VISCO with the same increments;
// - plasticity: a perfectly plastic copper film on silicon cycled through yield in both
//   directions (*PLASTIC, HARDENING=KINEMATIC without hardening), and the uniaxial closed form
//   that shows why hardening is not compared (ccx 2.20's linear kinematic hardening departs from it);
// - the deck conversion itself against closed forms, and the errors for what CalculiX lacks.
//
// Stresses are compared as element averages (Gauss weight × det J over the element's points),
// which is what ElementResults holds and does not depend on the point order, and in the elastic
// case also point by point. A difference is
// measured against the largest value of the compared set (the mesh for displacements, one
// material for stresses) and recorded as a test property. ccx prints 7 significant digits, so
// identical formulations agree to about 1e-6.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "ccx_test_models.h"
#include "fem/ccx_deck.h"
#include "fem/ccx_results.h"
#include "fem/hex_element.h"
#include "fem/laws/bilinear_kinematic.h"
#include "fem/laws/law_factory.h"
#include "fem/laws/orthotropic_elastic.h"
#include "fem/thermo_mechanical_solver.h"
#include "fem_test_support.h"
#include "mesh/block_mesh.h"

namespace wlp::fem {
namespace {

constexpr double kRoomK = 298.15, kHotK = 398.15;

// ---------------------------------------------------------------------------------------------
// Comparison helpers

/// max_e |a_e − b_e| over the elements of one material, and max_e |b_e| there.
test::Difference material_difference(const std::vector<double>& ours, const std::vector<double>& theirs, const mesh::Mesh& mesh,
                                     int material) {
  test::Difference difference;
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    if (mesh.material_of_element[e] != material) continue;
    difference.max_abs = std::max(difference.max_abs, std::abs(ours[e] - theirs[e]));
    difference.scale = std::max(difference.scale, std::abs(theirs[e]));
  }
  return difference;
}

std::vector<double> component(const std::vector<Voigt6>& stresses, std::size_t k) {
  std::vector<double> out;
  for (const Voigt6& s : stresses) out.push_back(s[k]);
  return out;
}

/// Worst relative difference of the six element-average components in one material (each
/// component measured against its own largest magnitude there).
double components_difference(const std::vector<Voigt6>& ours, const std::vector<Voigt6>& theirs, const mesh::Mesh& mesh, int material) {
  double worst = 0;
  for (std::size_t k = 0; k < 6; ++k)
    worst = std::max(worst, material_difference(component(ours, k), component(theirs, k), mesh, material).relative());
  return worst;
}

struct MaterialAgreement {
  double von_mises = 0, components = 0;
};

struct Agreement {
  double displacement = 0;  // max |Δu| / max |u|
  std::vector<MaterialAgreement> materials;  // per material asked for
};

Agreement agreement(const mesh::Mesh& mesh, const std::vector<std::array<double, 3>>& our_u, const ElementResults& ours,
                    const CcxResults& ccx, const std::vector<int>& materials) {
  const CcxElementStresses theirs = ccx_element_averages(mesh, ccx);
  Agreement out;
  out.displacement = test::compare(our_u, ccx.displacements_m).relative();
  for (int m : materials)
    out.materials.push_back({material_difference(ours.von_mises_Pa, theirs.von_mises_Pa, mesh, m).relative(),
                             components_difference(ours.stress_Pa, theirs.stress_Pa, mesh, m)});
  return out;
}

void record(const std::string& name, double value) { ::testing::Test::RecordProperty(name, test::scientific(value)); }

/// The time-history of a uniform temperature change: from the stress-free 25 °C to `end_K` in 1 s.
TemperatureHistory heating_to(double end_K) { return test::ramp(kRoomK, end_K, 1); }

// ---------------------------------------------------------------------------------------------
// Elastic: the b0 unit cell, Hex8 = C3D8

/// The engine's stress at every integration point, σ = D(T)·(B·u − ε_th(T)) from its own
/// displacements with its own Hex8 gradients (hex_element.h), in the engine's point order — which
/// ccx_results.h states is ccx's (lexicographic, ξ fastest): if it were not, the point-by-point
/// comparison below would fail wherever the stress varies inside an element.
std::vector<Voigt6> engine_point_stresses(const mesh::Mesh& mesh, const std::vector<std::shared_ptr<const MaterialLaw>>& laws,
                                          const std::vector<std::array<double, 3>>& u, double temperature_K) {
  std::vector<Voigt6> out;
  detail::ElementGeometry geometry;
  std::vector<std::array<double, 3>> corners(8);
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const std::int64_t* nodes = mesh.element_nodes(e);
    for (std::size_t a = 0; a < 8; ++a) corners[a] = mesh.nodes_m[static_cast<std::size_t>(nodes[a])];
    detail::compute_element_geometry(ElementFormulation::Hex8, corners, static_cast<long>(e), geometry);
    const MaterialLaw& law = *laws[static_cast<std::size_t>(mesh.material_of_element[e])];
    const Voigt6 thermal = law.thermal_strain(temperature_K, kRoomK);
    for (int p = 0; p < 8; ++p) {
      Voigt6 strain{};
      const double* g = geometry.gradients_at(p);  // [node][x_j]
      for (std::size_t a = 0; a < 8; ++a) {
        const auto& ua = u[static_cast<std::size_t>(nodes[a])];
        const double* ga = g + 3 * a;
        strain[0] += ga[0] * ua[0], strain[1] += ga[1] * ua[1], strain[2] += ga[2] * ua[2];
        strain[3] += ga[1] * ua[0] + ga[0] * ua[1];  // γ_xy
        strain[4] += ga[2] * ua[0] + ga[0] * ua[2];  // γ_xz
        strain[5] += ga[2] * ua[1] + ga[1] * ua[2];  // γ_yz
      }
      for (std::size_t k = 0; k < 6; ++k) strain[k] -= thermal[k];
      out.push_back(multiply(law.elastic_stiffness(temperature_K), strain));
    }
  }
  return out;
}

/// max over points and components of |a − b|, over max |b|.
double point_difference(const std::vector<Voigt6>& ours, const std::vector<Voigt6>& theirs) {
  double worst = 0, largest = 0;
  for (std::size_t i = 0; i < ours.size() && i < theirs.size(); ++i)
    for (std::size_t k = 0; k < 6; ++k) {
      worst = std::max(worst, std::abs(ours[i][k] - theirs[i][k]));
      largest = std::max(largest, std::abs(theirs[i][k]));
    }
  return ours.size() == theirs.size() ? worst / largest : std::nan("");
}


TEST(CalculixComparison, elastic_hex8_matches_c3d8_on_the_b0_cell) {
  test::ensure_petsc();
  const mesh::Mesh& mesh = test::b0_cell_mesh().mesh;
  const auto laws = test::elastic_laws_at_25C(mesh);
  SolverOptions options = test::options_with(ElementFormulation::Hex8);
  options.stress_free_temperature_K = kRoomK;
  ThermoMechanicalSolver solver(mesh, laws, options);
  const ElasticSolution ours = solver.solve_elastic(kHotK);

  CcxDeckOptions deck;
  deck.element = ElementFormulation::Hex8;
  deck.stress_free_temperature_K = kRoomK;
  deck.history = heating_to(kHotK);
  const CcxResults ccx = run_ccx(mesh, ccx_deck(mesh, laws, deck));
  ASSERT_NEAR(ccx.time_s, 1.0, 1e-9);

  const int solder = test::material_index(mesh, "SAC305"), die = test::material_index(mesh, "Si");
  const Agreement a = agreement(mesh, ours.displacements_m, ours.elements, ccx, {solder, die});
  record("displacement", a.displacement);
  record("solder_von_mises", a.materials[0].von_mises);
  record("solder_components", a.materials[0].components);
  record("die_von_mises", a.materials[1].von_mises);
  record("die_components", a.materials[1].components);
  const double points = point_difference(engine_point_stresses(mesh, laws, ours.displacements_m, kHotK), ccx.point_stress_Pa);
  record("point_stresses", points);
  // Issue 6 acceptance (2 %) and, the formulations being identical, ccx's print precision.
  for (double difference : {a.displacement, a.materials[0].von_mises, a.materials[0].components, a.materials[1].von_mises,
                            a.materials[1].components, points}) {
    EXPECT_LT(difference, 0.02);
    EXPECT_LT(difference, 1e-5);
  }
}

// ---------------------------------------------------------------------------------------------
// Incompatible modes: why Hex8Incompatible and C3D8I differ on distorted elements

/// A 1 mm cube of 4 × 4 × 4 elements whose interior nodes are moved by up to 30 % of the spacing,
/// every boundary node held: heated, its exact state is u = 0 and the uniform stress
/// σ_ii = −E·α·ΔT/(1 − 2ν) (a constant-stress patch test).
mesh::Mesh held_distorted_cube() {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = spec.length_y_m = 1e-3;
  spec.n_x = spec.n_y = 4;
  spec.layers = {{1e-3, 0, 4, 1.0}};
  spec.materials = {"one"};
  spec.distortion = 0.3;
  mesh::Mesh mesh = mesh::make_block_mesh(spec);
  mesh.fixed_dofs.clear();
  for (std::int64_t node : mesh::boundary_nodes(mesh))
    for (int c = 0; c < 3; ++c) mesh.fixed_dofs.push_back({node, c});
  return mesh;
}

/// Largest |σ_xx − exact| / |exact| over ccx's integration points.
double worst_point_error(const CcxResults& ccx, double exact_Pa) {
  double worst = 0;
  for (const Voigt6& s : ccx.point_stress_Pa) worst = std::max(worst, std::abs(s[0] - exact_Pa) / std::abs(exact_Pa));
  return worst;
}

// CalculiX's C3D8I (shape8hu.f) takes the incompatible modes' gradients with the centre Jacobian
// but without Taylor's factor det J0 / det J (Taylor, Beresford & Wilson, IJNME 10 (1976) 1211),
// so ∫ ∂M/∂x dV ≠ 0 on a distorted element and a constant stress loads the modes. The engine keeps
// the factor (docs/fe-engine.md §2) and passes. On rectangular elements the two are identical
// (CalculixOracle.hex8_incompatible_equals_c3d8i_on_a_film_strip); on the O-grid of a package
// they differ by a few per cent (docs/fe-engine.md, "Verification against CalculiX").
TEST(CalculixComparison, c3d8i_fails_the_distorted_patch_test_that_hex8_incompatible_passes) {
  test::ensure_petsc();
  const mesh::Mesh mesh = held_distorted_cube();
  const double youngs_Pa = 100e9, poisson = 0.3, cte_per_K = 1e-5, delta_K = kHotK - kRoomK;
  const std::vector<std::shared_ptr<const MaterialLaw>> laws{test::elastic(youngs_Pa, poisson, cte_per_K)};
  const double exact_Pa = -youngs_Pa * cte_per_K * delta_K / (1 - 2 * poisson);  // −2.5 GPa·1e-3 = −2500 MPa

  ThermoMechanicalSolver solver(mesh, laws, test::options_with(ElementFormulation::Hex8Incompatible));
  const ElasticSolution ours = solver.solve_elastic(kHotK);
  double ours_worst = 0;
  for (const Voigt6& s : ours.elements.stress_Pa) ours_worst = std::max(ours_worst, std::abs(s[0] - exact_Pa) / std::abs(exact_Pa));

  CcxDeckOptions deck;
  deck.history = heating_to(kHotK);
  deck.element = ElementFormulation::Hex8;
  const double c3d8_worst = worst_point_error(run_ccx(mesh, ccx_deck(mesh, laws, deck)), exact_Pa);
  deck.element = ElementFormulation::Hex8Incompatible;
  const double c3d8i_worst = worst_point_error(run_ccx(mesh, ccx_deck(mesh, laws, deck)), exact_Pa);
  record("hex8_incompatible_error", ours_worst);
  record("c3d8_error", c3d8_worst);
  record("c3d8i_error", c3d8i_worst);
  EXPECT_LT(ours_worst, 1e-9);
  EXPECT_LT(c3d8_worst, 1e-6);   // the oracle itself, compatible element: exact to print precision
  EXPECT_GT(c3d8i_worst, 1e-2);  // CalculiX 2.20's C3D8I (measured 0.21); if this fails, ccx gained the factor
}

// ---------------------------------------------------------------------------------------------
// Creep: Norton solder through a ramp and a dwell, *VISCO

/// A quarter of a die / joint / board stack (symmetry planes x = 0, y = 0): 1 mm FR-4 in two
/// elements, a 150 µm SAC305 layer in two, 0.4 mm silicon in two, 2 × 2 mm in 4 × 4 elements
/// graded towards the free edges, where the shear of the CTE mismatch concentrates.
mesh::Mesh joint_stack() {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = spec.length_y_m = 2e-3;
  spec.n_x = spec.n_y = 4;
  spec.grading_x = spec.grading_y = 0.4;
  spec.layers = {{1.0e-3, 0, 2, 0.5}, {0.15e-3, 1, 2, 1.0}, {0.4e-3, 2, 2, 2.0}};
  spec.materials = {"FR4_370HR", "SAC305", "Si"};
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  return mesh::make_block_mesh(spec);
}

/// The library's SAC305 Norton law: the low-stress asymptote of its Garofalo law (Schubert et al.,
/// ECTC 2003: A = C1·C2^C3·e^(−C4/T), n = C3 = 6.41), tabulated every 2.5 K over 25…125 °C.
std::shared_ptr<const MaterialLaw> sac305_norton() {
  LawOptions options;
  options.solder_law = SolderLaw::norton;
  for (double t = kRoomK; t <= kHotK + 1e-9; t += 2.5) options.norton_temperatures_K.push_back(t);
  return make_material_law(*test::b0_design().material("SAC305"), options);
}

/// JESD22-A104 style half cycle: 25 → 125 °C in 15 min, then 15 min at 125 °C.
TemperatureHistory ramp_and_dwell() { return {{0, 900, 1800}, {kRoomK, kHotK, kHotK}, {}}; }

/// Uniform increments of `step_s` (no other limit), Hex8.
SolverOptions uniform_steps(double step_s) {
  SolverOptions options = test::options_with(ElementFormulation::Hex8);
  options.increments.initial_time_step_s = options.increments.max_time_step_s = step_s;
  options.increments.max_temperature_change_K = 1e3;
  options.increments.max_inelastic_strain_increment = 0;
  return options;
}

struct RunState {
  std::vector<std::array<double, 3>> displacements_m;
  ElementResults elements;
  int n_increments = 0;
};

RunState run_ours(const mesh::Mesh& mesh, const std::vector<std::shared_ptr<const MaterialLaw>>& laws, const SolverOptions& options,
                  const TemperatureHistory& history) {
  ThermoMechanicalSolver solver(mesh, laws, options);
  solver.run(history, history.time_s.back());
  return {solver.nodal_displacements_m(), solver.element_results(), solver.statistics().n_increments};
}

/// ccx with every increment `step_s` long: initial = maximum increment, no creep-error limit.
CcxResults run_ccx_uniform(const mesh::Mesh& mesh, const std::vector<std::shared_ptr<const MaterialLaw>>& laws,
                           const TemperatureHistory& history, double step_s) {
  CcxDeckOptions deck;
  deck.history = history;
  deck.increments.initial_s = deck.increments.max_s = step_s;
  deck.increments.creep_tolerance = 1;
  return run_ccx(mesh, ccx_deck(mesh, laws, deck));
}

TEST(CalculixComparison, norton_creep_ramp_and_dwell_matches_ccx_visco) {
  test::ensure_petsc();
  const mesh::Mesh mesh = joint_stack();
  const auto laws = test::with_law(test::elastic_laws_at_25C(mesh), mesh, "SAC305", sac305_norton());
  const int solder = 1, die = 2;
  const TemperatureHistory history = ramp_and_dwell();
  constexpr double step_s = 15, fine_step_s = 5;

  const RunState ours = run_ours(mesh, laws, uniform_steps(step_s), history);
  const CcxResults ccx = run_ccx_uniform(mesh, laws, history, step_s);
  ASSERT_NEAR(ccx.time_s, 1800, 1e-6);
  EXPECT_EQ(ccx.increments.n_increments, ours.n_increments);  // the same 120 increments
  EXPECT_EQ(ours.n_increments, 120);
  record("ccx_iterations", ccx.increments.n_iterations);

  const Agreement a = agreement(mesh, ours.displacements_m, ours.elements, ccx, {solder, die});
  record("displacement", a.displacement);
  record("solder_von_mises", a.materials[0].von_mises);
  record("solder_components", a.materials[0].components);
  record("die_von_mises", a.materials[1].von_mises);
  for (double difference : {a.displacement, a.materials[0].von_mises, a.materials[0].components, a.materials[1].von_mises}) {
    EXPECT_LT(difference, 0.02);  // issue 6
    EXPECT_LT(difference, 1e-4);  // both backward Euler on the same increments (measured ≤ 1.3e-6)
  }

  // The dwell relaxes the solder (measured: 5.7e-3 equivalent creep strain): the comparison
  // exercises the creep law, not only elasticity.
  EXPECT_GT(*std::max_element(ours.elements.equivalent_creep_strain.begin(), ours.elements.equivalent_creep_strain.end()), 1e-3);

  // Time discretisation error of the 15 s increments, by Richardson's estimate for a first-order
  // scheme: e(Δt) ≈ (u(Δt) − u(Δt/3))·3/2.
  const RunState fine = run_ours(mesh, laws, uniform_steps(fine_step_s), history);
  const double u_error = 1.5 * test::compare(ours.displacements_m, fine.displacements_m).relative();
  const double solder_error = 1.5 * material_difference(ours.elements.von_mises_Pa, fine.elements.von_mises_Pa, mesh, solder).relative();
  record("time_error_displacement", u_error);
  record("time_error_solder_von_mises", solder_error);
  EXPECT_LT(u_error, 0.005);
  EXPECT_LT(solder_error, 0.005);
}

// ---------------------------------------------------------------------------------------------
// Plasticity: *PLASTIC, HARDENING=KINEMATIC

/// A quarter of a 20 µm copper film (2 elements) on 0.4 mm silicon (2 elements), 1 × 1 mm in
/// 3 × 3 elements, free to bend.
mesh::Mesh copper_on_silicon() {
  mesh::BlockMeshSpec spec;
  spec.length_x_m = spec.length_y_m = 1e-3;
  spec.n_x = spec.n_y = 3;
  spec.layers = {{0.4e-3, 0, 2, 1.0}, {0.02e-3, 1, 2, 1.0}};
  spec.materials = {"Si", "Cu_ED"};
  spec.symmetric_at_x0 = spec.symmetric_at_y0 = true;
  return mesh::make_block_mesh(spec);
}

/// Copper (E 130 GPa, ν 0.34, α 17.7 ppm/K as Cu_ED in data/materials.toml), elastic–perfectly
/// plastic (E_t = 0) with an annealed-film yield stress that falls with temperature, 110 / 100 /
/// 80 MPa at −40 / 25 / 125 °C. Without hardening ccx's kinematic law is exact (see the next
/// test for what it does with hardening).
std::shared_ptr<const MaterialLaw> soft_copper() {
  BilinearKinematicData data;
  data.elastic = IsotropicElasticData{TemperatureTable::constant(130e9), 0.34, TemperatureTable::constant(17.7e-6)};
  data.yield_strength_Pa = TemperatureTable{{{233.15, 110e6}, {kRoomK, 100e6}, {kHotK, 80e6}}};
  data.tangent_modulus_Pa = TemperatureTable::constant(0.0);
  return std::make_shared<BilinearKinematicPlasticity>(data);
}

// The film's mismatch stress E/(1 − ν)·Δα·ΔT ≈ 300 MPa at 125 °C passes the yield stress in
// compression; cooling to −40 °C reverses it past yield into tension; back at 25 °C a residual
// stress remains. Yield in both directions and the temperature rows of σy are compared.
TEST(CalculixComparison, perfectly_plastic_copper_film_cycled_through_yield_matches_ccx) {
  test::ensure_petsc();
  const mesh::Mesh mesh = copper_on_silicon();
  const auto laws = test::with_law(test::elastic_laws_at_25C(mesh), mesh, "Cu_ED", soft_copper());
  // 1 s per kelvin: 25 → 125 → −40 → 25 °C.
  const TemperatureHistory history{{0, 100, 265, 330}, {kRoomK, kHotK, 233.15, kRoomK}, {}};
  constexpr double step_s = 5;
  const RunState ours = run_ours(mesh, laws, uniform_steps(step_s), history);

  CcxDeckOptions deck;
  deck.history = history;
  deck.increments.initial_s = deck.increments.max_s = step_s;
  const CcxResults ccx = run_ccx(mesh, ccx_deck(mesh, laws, deck));
  ASSERT_NEAR(ccx.time_s, 330, 1e-6);
  EXPECT_EQ(ccx.increments.n_increments, ours.n_increments);

  const int film = 1;
  const Agreement a = agreement(mesh, ours.displacements_m, ours.elements, ccx, {film});
  record("displacement", a.displacement);
  record("film_von_mises", a.materials[0].von_mises);
  record("film_components", a.materials[0].components);
  EXPECT_GT(*std::max_element(ours.elements.equivalent_plastic_strain.begin(), ours.elements.equivalent_plastic_strain.end()), 1e-3);
  for (double difference : {a.displacement, a.materials[0].von_mises, a.materials[0].components}) {
    EXPECT_LT(difference, 0.02);
    EXPECT_LT(difference, 1e-4);
  }
}

/// A 1 mm cube held between two walls (u_x = 0 on x = 0 and x = 1 mm), free in y and z: heated,
/// it carries a uniaxial stress σ_xx.
mesh::Mesh walled_cube() {
  mesh::Mesh mesh;
  const double side_m = 1e-3;
  mesh.nodes_m = {{0, 0, 0}, {side_m, 0, 0}, {side_m, side_m, 0}, {0, side_m, 0},
                  {0, 0, side_m}, {side_m, 0, side_m}, {side_m, side_m, side_m}, {0, side_m, side_m}};
  mesh.connectivity = {0, 1, 2, 3, 4, 5, 6, 7};
  mesh.materials = {"bar"};
  mesh.material_of_element = {0};
  mesh.joint_of_element = {-1};
  mesh.joint_zone_of_element = {mesh::JointZone::None};
  for (std::int64_t node = 0; node < 8; ++node) mesh.fixed_dofs.push_back({node, 0});
  mesh.fixed_dofs.insert(mesh.fixed_dofs.end(), {{0, 1}, {0, 2}, {1, 1}, {1, 2}, {3, 2}});
  return mesh;
}

// Uniaxial linear kinematic hardening, heated by ΔT between walls: ε_p = αΔT − |σ|/E and
// |σ| = σy + H·ε_p give |σ| = (σy + H·α·ΔT)/(1 + H/E) = 63.636 MPa for E 100 GPa, α 10 ppm/K,
// ΔT 100 K, σy 60 MPa, H 10 GPa (Prager, J. Appl. Mech. 23 (1956) 493). The engine follows it;
// CalculiX 2.20 does not: after the first plastic increment its stress falls (56.79 MPa at
// 100 K, with isotropic hardening on the same curve it gives the exact 63.636), so the deck's
// kinematic rows cannot be checked against ccx once E_t > 0 (docs/fe-engine.md).
TEST(CalculixComparison, ccx_linear_kinematic_hardening_departs_from_the_closed_form_the_engine_follows) {
  test::ensure_petsc();
  const mesh::Mesh mesh = walled_cube();
  const double youngs_Pa = 100e9, cte_per_K = 1e-5, yield_Pa = 60e6, prager_Pa = 10e9, delta_K = 100;
  BilinearKinematicData data;
  data.elastic = IsotropicElasticData{TemperatureTable::constant(youngs_Pa), 0.3, TemperatureTable::constant(cte_per_K)};
  data.yield_strength_Pa = TemperatureTable::constant(yield_Pa);
  data.tangent_modulus_Pa = TemperatureTable::constant(youngs_Pa * prager_Pa / (youngs_Pa + prager_Pa));  // E_t = E·H/(E + H)
  const std::vector<std::shared_ptr<const MaterialLaw>> laws{std::make_shared<BilinearKinematicPlasticity>(data)};
  const double exact_Pa = -(yield_Pa + prager_Pa * cte_per_K * delta_K) / (1 + prager_Pa / youngs_Pa);

  const TemperatureHistory history = test::ramp(kRoomK, kRoomK + delta_K, delta_K);  // 1 K/s
  const RunState ours = run_ours(mesh, laws, uniform_steps(5), history);
  CcxDeckOptions deck;
  deck.history = history;
  deck.increments.initial_s = deck.increments.max_s = 5;
  const CcxResults ccx = run_ccx(mesh, ccx_deck(mesh, laws, deck));
  const double ccx_Pa = ccx_element_averages(mesh, ccx).stress_Pa[0][0];
  record("engine_MPa", ours.elements.stress_Pa[0][0] * 1e-6);
  record("ccx_MPa", ccx_Pa * 1e-6);
  EXPECT_NEAR(ours.elements.stress_Pa[0][0], exact_Pa, 1e-9 * std::abs(exact_Pa));
  EXPECT_GT(std::abs(ccx_Pa - exact_Pa), 0.05 * std::abs(exact_Pa));  // measured 10.8 % low; if this fails, ccx was fixed
}

// ---------------------------------------------------------------------------------------------
// The conversion against closed forms (no ccx)

CcxMaterialRows rows_over(double min_K, double max_K) {
  CcxMaterialRows rows;
  rows.stress_free_temperature_K = kRoomK;
  rows.min_temperature_K = min_K;
  rows.max_temperature_K = max_K;
  return rows;
}

double row_at(const std::vector<mesh::InpExpansionRow>& rows, double temperature_K) {
  for (const auto& row : rows)
    if (std::abs(row.temperature_K - temperature_K) < 1e-9) return row.cte_per_K;
  return std::nan("");
}

// Si: α = 2.2 / 2.6 / 3.0 ppm/K at −40 / 25 / 125 °C (data/materials.toml), linear between. The
// secant from 25 °C is the mean of α over the interval: 2.8 ppm/K to 125 °C, 2.7 to 75 °C (α 2.8
// there), 2.4 to −40 °C, and α(25 °C) = 2.6 at 25 °C itself.
TEST(CcxDeck, expansion_rows_are_the_secant_cte_of_the_instantaneous_table) {
  const design::Material& silicon = *test::b0_design().material("Si");
  const IsotropicElastic law(IsotropicElasticData{TemperatureTable::constant(130e9), 0.28, table_of(*silicon.property("cte"))});
  const mesh::InpMaterial material = ccx_material("Si", law, rows_over(233.15, kHotK));
  EXPECT_NEAR(row_at(material.expansion, kHotK), 2.8e-6, 1e-18);
  EXPECT_NEAR(row_at(material.expansion, 348.15), 2.7e-6, 1e-18);
  EXPECT_NEAR(row_at(material.expansion, 233.15), 2.4e-6, 1e-18);
  EXPECT_NEAR(row_at(material.expansion, kRoomK), 2.6e-6, 1e-18);
  // Rows every ≤ 5 K across the 165 K range.
  EXPECT_GE(material.expansion.size(), 34u);
  ASSERT_EQ(material.elastic.size(), 1u);
  EXPECT_EQ(material.elastic[0].youngs_modulus_Pa, 130e9);
}

// A(T) = C1·C2^C3·exp(−C4/T) of SAC305 (Schubert et al., ECTC 2003; C2 in 1/Pa), n = 6.41, at
// every table temperature, on *ELASTIC and *CREEP rows that share their temperatures.
TEST(CcxDeck, norton_rows_are_the_garofalo_asymptote_at_the_elastic_temperatures) {
  const mesh::InpMaterial material = ccx_material("SAC305", *sac305_norton(), rows_over(kRoomK, kHotK));
  ASSERT_EQ(material.norton_creep.size(), 41u);  // 25 … 125 °C every 2.5 K
  ASSERT_EQ(material.elastic.size(), material.norton_creep.size());
  for (std::size_t i = 0; i < material.norton_creep.size(); ++i) {
    const mesh::InpNortonRow& row = material.norton_creep[i];
    const double expected = 277984 * std::pow(0.02447e-6, 6.41) * std::exp(-6500 / row.temperature_K);
    EXPECT_NEAR(row.a, expected, 1e-12 * expected) << row.temperature_K;
    EXPECT_EQ(row.n, 6.41);
    EXPECT_EQ(row.m, 0);
    EXPECT_EQ(material.elastic[i].temperature_K, row.temperature_K);
    EXPECT_EQ(material.elastic[i].youngs_modulus_Pa, 49.5e9);
  }
}

// Cu_ED: σy 225 MPa, E 130 GPa, E_t 1.25 GPa → Prager modulus H = E·E_t/(E − E_t) = 1.2621 GPa;
// the curve σ = σy + H·ε_p written as (225 MPa, 0) and (225 MPa + H, 1).
TEST(CcxDeck, kinematic_rows_follow_the_prager_modulus) {
  const auto copper = make_material_law(*test::b0_design().material("Cu_ED"));
  const mesh::InpMaterial material = ccx_material("Cu_ED", *copper, rows_over(kRoomK, kHotK));
  ASSERT_EQ(material.kinematic_plastic.size(), 2u);
  const double prager_Pa = 130e9 * 1.25e9 / (130e9 - 1.25e9);
  EXPECT_NEAR(material.kinematic_plastic[0].stress_Pa, 225e6, 1e-6);
  EXPECT_EQ(material.kinematic_plastic[0].plastic_strain, 0);
  EXPECT_NEAR(material.kinematic_plastic[1].stress_Pa, 225e6 + prager_Pa, 1e-3);
  EXPECT_EQ(material.kinematic_plastic[1].plastic_strain, 1);
}

void expect_refused(const MaterialLaw& law, const std::string& id, const std::string& hint) {
  try {
    (void)ccx_material(id, law, rows_over(kRoomK, kHotK));
    ADD_FAILURE() << law.name() << " was converted";
  } catch (const CcxDeckError& error) {
    EXPECT_EQ(error.material_id(), id);
    EXPECT_NE(std::string(error.what()).find("'" + id + "'"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(hint), std::string::npos) << error.what();
  }
}

TEST(CcxDeck, anand_and_garofalo_solders_are_refused_with_the_norton_suggestion) {
  const design::Material& sac = *test::b0_design().material("SAC305");
  expect_refused(*make_material_law(sac), "SAC305", "SolderLaw::norton");
  LawOptions garofalo;
  garofalo.solder_law = SolderLaw::garofalo;
  expect_refused(*make_material_law(sac, garofalo), "SAC305", "SolderLaw::norton");
}

TEST(CcxDeck, orthotropic_board_becomes_engineering_constants_with_the_laws_own_thermal_strain) {
  const auto board = make_material_law(*test::b0_design().material("FR4_370HR"));
  const auto* law = dynamic_cast<const OrthotropicElastic*>(board.get());
  ASSERT_NE(law, nullptr);
  CcxMaterialRows rows{kRoomK, 233.15, 398.15, {}, 5};
  const mesh::InpMaterial material = ccx_material("FR4_370HR", *law, rows);
  ASSERT_EQ(material.orthotropic_elastic.size(), 1u);
  const OrthotropicConstants& c = law->data().constants;
  EXPECT_EQ(material.orthotropic_elastic[0].e1_Pa, c.youngs_x_Pa);
  EXPECT_EQ(material.orthotropic_elastic[0].e3_Pa, c.youngs_z_Pa);
  EXPECT_EQ(material.orthotropic_elastic[0].g13_Pa, c.shear_xz_Pa);
  EXPECT_EQ(material.orthotropic_elastic[0].nu13, c.poisson_xz);
  // Oracle: the law's thermal strain. Every secant row times (T − T_zero) reproduces it per axis.
  ASSERT_GE(material.orthotropic_expansion.size(), 30u);  // 165 K at 5 K spacing
  for (const mesh::InpOrthotropicExpansionRow& row : material.orthotropic_expansion) {
    if (std::abs(row.temperature_K - kRoomK) < 1e-6) continue;
    const Voigt6 strain = law->thermal_strain(row.temperature_K, kRoomK);
    const double span_K = row.temperature_K - kRoomK;
    EXPECT_NEAR(row.cte1_per_K * span_K, strain[0], 1e-12 * std::abs(strain[0]) + 1e-18) << row.temperature_K;
    EXPECT_NEAR(row.cte3_per_K * span_K, strain[2], 1e-12 * std::abs(strain[2]) + 1e-18) << row.temperature_K;
  }
}

TEST(CcxDeck, element_types_and_steps_follow_the_formulation_and_the_laws) {
  EXPECT_EQ(ccx_element_type(ElementFormulation::Hex8), "C3D8");
  EXPECT_EQ(ccx_element_type(ElementFormulation::Hex8Incompatible), "C3D8I");
  EXPECT_EQ(ccx_element_type(ElementFormulation::Hex20), "C3D20");
  const mesh::Mesh mesh = joint_stack();
  CcxDeckOptions options;
  options.history = ramp_and_dwell();
  options.history.breakpoints_s = {1200};
  options.element = ElementFormulation::Hex8Incompatible;
  const auto elastic = test::elastic_laws_at_25C(mesh);
  const mesh::InpDeck static_deck = ccx_deck(mesh, elastic, options);
  EXPECT_EQ(static_deck.hex8_type, "C3D8I");
  ASSERT_EQ(static_deck.steps.size(), 1u);  // elastic: the end temperature decides
  EXPECT_EQ(static_deck.steps[0].procedure, mesh::InpProcedure::Static);
  EXPECT_EQ(static_deck.steps[0].period_s, 1800);
  const mesh::InpDeck creep_deck = ccx_deck(mesh, test::with_law(elastic, mesh, "SAC305", sac305_norton()), options);
  ASSERT_EQ(creep_deck.steps.size(), 3u);  // 0–900, 900–1200 (breakpoint), 1200–1800
  for (const mesh::InpStep& step : creep_deck.steps) EXPECT_EQ(step.procedure, mesh::InpProcedure::Visco);
  EXPECT_EQ(creep_deck.steps[1].period_s, 300);
  options.element = ElementFormulation::Hex20;
  EXPECT_THROW((void)ccx_deck(mesh, elastic, options), std::invalid_argument);  // a Hex8 mesh
  // ccx's total time starts at 0: a history that starts later is shifted onto it.
  options.element = ElementFormulation::Hex8;
  options.history = {{100, 1000}, {kRoomK, kHotK}, {}};
  const mesh::InpDeck shifted = ccx_deck(mesh, elastic, options);
  ASSERT_EQ(shifted.temperature_amplitude.size(), 2u);
  EXPECT_EQ(shifted.temperature_amplitude[0], (std::pair<double, double>{0, kRoomK}));
  EXPECT_EQ(shifted.temperature_amplitude[1], (std::pair<double, double>{900, kHotK}));
  EXPECT_EQ(shifted.steps[0].period_s, 900);
}

// ---------------------------------------------------------------------------------------------
// Reading and running

// ccx writes a number whose exponent has three digits the Fortran way, without the E.
TEST(CcxResultsReader, reads_the_last_blocks_in_si_units_including_three_digit_exponents) {
  mesh::Mesh one;
  one.nodes_m = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};
  one.connectivity = {0, 1, 2, 3, 4, 5, 6, 7};
  one.materials = {"m"};
  one.material_of_element = {0};
  std::string dat = "\n displacements (vx,vy,vz) for set NALL and time  0.5000000E+00\n\n";
  for (int n = 1; n <= 8; ++n) dat += "         " + std::to_string(n) + "  9.000000E+00  9.000000E+00  9.000000E+00\n";
  dat += "\n displacements (vx,vy,vz) for set NALL and time  0.1000000E+01\n\n";
  for (int n = 1; n <= 8; ++n) dat += "         " + std::to_string(n) + "  1.500000E-03  0.1000000-120 -2.000000E+00\n";
  dat += "\n stresses (elem, integ.pnt.,sxx,syy,szz,sxy,sxz,syz) for set EALL and time  0.1000000E+01\n\n";
  for (int p = 1; p <= 8; ++p)
    dat += "         1   " + std::to_string(p) + "  " + std::to_string(p) + ".000000E+00  0.000000E+00  0.000000E+00  0.000000E+00  0.000000E+00 -3.250000E-01\n";
  const CcxResults results = read_ccx_dat(dat, one);
  EXPECT_EQ(results.time_s, 1.0);
  EXPECT_DOUBLE_EQ(results.displacements_m[7][0], 1.5e-6);   // mm → m
  EXPECT_NEAR(results.displacements_m[7][1], 1e-124, 1e-138);  // 0.1e-120 mm
  EXPECT_DOUBLE_EQ(results.displacements_m[7][2], -2e-3);
  ASSERT_EQ(results.n_points_per_element, 8);
  EXPECT_DOUBLE_EQ(results.point_stress_Pa[4][0], 5e6);  // MPa → Pa, point 5
  EXPECT_DOUBLE_EQ(results.point_stress_Pa[4][5], -0.325e6);
  // The unit cube's points weigh alike: the average of σ_xx = 1 … 8 MPa is 4.5 MPa.
  EXPECT_NEAR(ccx_element_averages(one, results).stress_Pa[0][0], 4.5e6, 1e-6);
  EXPECT_THROW((void)read_ccx_dat(dat.substr(0, dat.find(" stresses")), one), CcxError);
}

TEST(CcxRunner, a_missing_ccx_fails_with_run_setup) {
  const mesh::Mesh mesh = joint_stack();
  CcxDeckOptions deck;
  deck.history = heating_to(kHotK);
  CcxRunOptions options;
  options.executable = "ccx-not-installed-wlpkit";
  try {
    (void)run_ccx(mesh, ccx_deck(mesh, test::elastic_laws_at_25C(mesh), deck), options);
    ADD_FAILURE() << "no error";
  } catch (const CcxError& error) {
    EXPECT_NE(std::string(error.what()).find("run scripts/setup.sh"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace wlp::fem
