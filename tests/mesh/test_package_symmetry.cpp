// Full, quarter and eighth models of small B0 packages (B0's pads, films, balls and board on
// a 2 × 2 or 3 × 3 array): the parts against the whole by symmetry, the joints' weights and
// distances against plain geometry, the constraints against the planes they stand for, and
// the packages the mesher must refuse.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "mesh/mesh_error.h"
#include "mesh/mesh_probe.h"
#include "mesh/mesh_test_models.h"
#include "mesh/package_mesh.h"
#include "mesh/quality.h"
#include "support/test_support.h"

namespace wlp::mesh {
namespace {

constexpr double kUm = 1e-6;

const PackageMesh& small_mesh(int n, Symmetry symmetry, ElementType type = ElementType::Hex8) {
  static std::map<std::tuple<int, Symmetry, ElementType>, std::unique_ptr<PackageMesh>> meshes;
  auto& slot = meshes[{n, symmetry, type}];
  if (!slot) {
    // The eighth model is cut from the quarter's build (build_window_for gives both the same).
    const test::BuiltModel& built =
        test::built_small_b0(n, symmetry == Symmetry::Full ? Symmetry::Full : Symmetry::Quarter);
    MeshOptions options;
    options.symmetry = symmetry;
    options.element_type = type;
    slot = std::make_unique<PackageMesh>(mesh_package(built.design, built.model, options));
  }
  return *slot;
}

std::map<std::string, double> volumes(const Mesh& mesh) {
  std::map<std::string, double> by;
  for (const MaterialTally& t : measure_quality(mesh).materials) by[t.material] = t.volume_m3;
  return by;
}

void expect_part_of_whole(const Mesh& part, const Mesh& whole, double fraction) {
  const auto p = volumes(part), w = volumes(whole);
  ASSERT_EQ(p.size(), w.size());
  for (const auto& [material, volume] : w) {
    ASSERT_TRUE(p.count(material)) << material;
    // Both meshes sample one symmetric build the same way; the built model is symmetric to
    // its polygons' rounding (1 nm on ~100 um features).
    EXPECT_NEAR(p.at(material) / (fraction * volume), 1, 1e-6) << material;
  }
}

TEST(PackageSymmetry, QuarterModelHoldsAQuarterOfEveryMaterial) {
  // 2 × 2 array: the symmetry planes run between the bumps. Quarter and full are built and
  // meshed independently (the quarter on its own quadrant window).
  const Mesh& quarter = small_mesh(2, Symmetry::Quarter).mesh;
  const Mesh& full = small_mesh(2, Symmetry::Full).mesh;
  const double full_volume = measure_quality(full).volume_m3;
  EXPECT_NEAR(measure_quality(quarter).volume_m3, full_volume / 4, 1e-6 * full_volume);
  const auto q = volumes(quarter), f = volumes(full);
  for (const auto& [material, volume] : f) EXPECT_NEAR(q.at(material) / (volume / 4), 1, 1e-6) << material;
}

TEST(PackageSymmetry, EighthModelHoldsHalfOfTheQuarter) {
  // 3 × 3 array: the planes x = 0, y = 0 and x = y cut through bumps.
  expect_part_of_whole(small_mesh(3, Symmetry::Eighth).mesh, small_mesh(3, Symmetry::Quarter).mesh, 0.5);
}

TEST(PackageSymmetry, JointsCarryTheirShareOfThePackage) {
  // 3 × 3 at 0.4 mm pitch: the centre bump, the four at DNP 0.4 mm, the four at 0.566 mm.
  for (Symmetry symmetry : {Symmetry::Quarter, Symmetry::Eighth}) {
    const Mesh& mesh = small_mesh(3, symmetry).mesh;
    const double group_order = symmetry == Symmetry::Quarter ? 4 : 8;
    double total_weight = 0, modelled_joints = 0;
    const Joint* whole = nullptr;
    for (const Joint& j : mesh.joints) {
      total_weight += j.symmetry_weight;
      modelled_joints += j.modelled_fraction * group_order;
      EXPECT_NEAR(j.distance_to_neutral_point_m, std::hypot(j.x_m, j.y_m), 1e-15);
      const double dnp_in_pitches = j.distance_to_neutral_point_m / (400 * kUm);
      EXPECT_TRUE(std::abs(dnp_in_pitches) < 1e-9 || std::abs(dnp_in_pitches - 1) < 1e-9 ||
                  std::abs(dnp_in_pitches - std::sqrt(2.0)) < 1e-9)
          << j.site;
      if (j.modelled_fraction == 1) whole = &j;
    }
    // Both ways of counting give the package's nine joints: the orbits (weights), and the
    // modelled parts unfolded by the symmetry group.
    EXPECT_DOUBLE_EQ(total_weight, 9) << to_string(symmetry);
    EXPECT_DOUBLE_EQ(modelled_joints, 9) << to_string(symmetry);
    const double centre_fraction = symmetry == Symmetry::Quarter ? 0.25 : 0.125;
    for (std::size_t i = 0; i < mesh.joints.size(); ++i) {
      const Joint& j = mesh.joints[i];
      if (j.distance_to_neutral_point_m == 0) {
        EXPECT_DOUBLE_EQ(j.modelled_fraction, centre_fraction);
      }
      // The part of a cut joint in the model is its share of a whole joint of the same mesh.
      if (whole) {
        const double whole_volume =
            test::joint_volume_between_pads_m3(mesh, static_cast<int>(whole - mesh.joints.data()));
        EXPECT_NEAR(test::joint_volume_between_pads_m3(mesh, static_cast<int>(i)), j.modelled_fraction * whole_volume,
                    1e-9 * whole_volume)
            << j.site;
      }
    }
    if (symmetry == Symmetry::Quarter) {
      ASSERT_NE(whole, nullptr);
    }
  }
}

TEST(PackageSymmetry, SymmetryPlanesAndSupportsAreWhereTheyBelong) {
  const PackageMesh& quarter = small_mesh(3, Symmetry::Quarter);
  std::set<std::int64_t> fixed[3];
  for (const FixedDof& f : quarter.mesh.fixed_dofs) fixed[f.component].insert(f.node);
  std::size_t on_x0 = 0, on_y0 = 0;
  for (std::size_t n = 0; n < quarter.mesh.n_nodes(); ++n) {
    const auto& p = quarter.mesh.nodes_m[n];
    EXPECT_GE(p[0], 0);
    EXPECT_GE(p[1], 0);
    on_x0 += p[0] == 0, on_y0 += p[1] == 0;
    EXPECT_EQ(fixed[0].count(static_cast<std::int64_t>(n)), p[0] == 0 ? 1u : 0u);
    EXPECT_EQ(fixed[1].count(static_cast<std::int64_t>(n)), p[1] == 0 ? 1u : 0u);
  }
  EXPECT_GT(on_x0, 100u);
  EXPECT_EQ(fixed[0].size(), on_x0);
  EXPECT_EQ(fixed[1].size(), on_y0);
  ASSERT_EQ(fixed[2].size(), 1u);
  const auto& support = quarter.mesh.nodes_m[static_cast<std::size_t>(*fixed[2].begin())];
  EXPECT_EQ(support, (std::array<double, 3>{0, 0, quarter.frame.board_bottom_z_m}));

  const Mesh& eighth = small_mesh(3, Symmetry::Eighth).mesh;
  std::set<std::int64_t> diagonal(eighth.diagonal_nodes.begin(), eighth.diagonal_nodes.end());
  std::size_t on_diagonal = 0;
  for (std::size_t n = 0; n < eighth.n_nodes(); ++n) {
    const auto& p = eighth.nodes_m[n];
    EXPECT_LE(p[1], p[0]) << n;
    on_diagonal += p[0] == p[1];
    EXPECT_EQ(diagonal.count(static_cast<std::int64_t>(n)), p[0] == p[1] ? 1u : 0u);
  }
  EXPECT_GT(on_diagonal, 100u);
}

TEST(PackageSymmetry, FullModelIsHeldByThreeTwoOneSupports) {
  const PackageMesh& full = small_mesh(2, Symmetry::Full);
  std::map<std::int64_t, std::set<int>> by_node;
  for (const FixedDof& f : full.mesh.fixed_dofs) by_node[f.node].insert(f.component);
  ASSERT_EQ(by_node.size(), 3u);
  std::array<double, 3> a{}, b{}, c{};
  for (const auto& [node, components] : by_node) {
    const auto& p = full.mesh.nodes_m[static_cast<std::size_t>(node)];
    EXPECT_EQ(p[2], full.frame.board_bottom_z_m);
    if (components.size() == 3) a = p;
    if (components == std::set<int>{1, 2}) b = p;
    if (components == std::set<int>{2}) c = p;
  }
  // B on A's x line (so u_y = 0 there allows expansion along x), C on A's y line.
  EXPECT_EQ(a, (std::array<double, 3>{0, 0, full.frame.board_bottom_z_m}));
  EXPECT_EQ(b[1], a[1]);
  EXPECT_GT(b[0], a[0]);
  EXPECT_EQ(c[0], a[0]);
  EXPECT_GT(c[1], a[1]);
  EXPECT_EQ(full.mesh.joints.size(), 4u);
  for (const Joint& j : full.mesh.joints) EXPECT_EQ(j.symmetry_weight, 1);
}

TEST(PackageSymmetry, EighthModelQualityStaysAboveThreshold) {
  // The diagonal corners are split triangles; the O-grid centres are eight triangles.
  for (Symmetry symmetry : {Symmetry::Quarter, Symmetry::Eighth}) {
    const MeshQuality q = measure_quality(small_mesh(3, symmetry).mesh);
    EXPECT_EQ(q.n_inverted, 0u);
    EXPECT_GT(q.min_scaled_jacobian, 0.3) << to_string(symmetry);
  }
}

TEST(PackageSymmetry, AnAsymmetricArrayIsRefusedForSymmetricModels) {
  test::ScratchDir scratch;
  const auto file =
      scratch.write("b0-asymmetric.toml",
                    "include = \"" + (test::source_dir() / "examples" / "b0.toml").string() +
                        "\"\n[design]\nname = \"b0-asymmetric\"\n[die]\nsize_x = \"1600 um\"\nsize_y = \"1600 um\"\n"
                        "[bumps]\ncolumns = 3\nrows = 3\ndepopulate = [\"A1\"]\n");
  const design::Design asymmetric = test::load(file);
  const test::BuiltModel& built = test::built_small_b0(3, Symmetry::Quarter);
  MeshOptions options;
  options.symmetry = Symmetry::Quarter;
  EXPECT_THROW(mesh_package(asymmetric, built.model, options), MeshError);
}

TEST(PackageSymmetry, AWindowThatMissesPartOfTheModelIsRefused) {
  const test::BuiltModel& quadrant = test::built_small_b0(3, Symmetry::Quarter);
  MeshOptions full;
  full.symmetry = Symmetry::Full;
  EXPECT_THROW(mesh_package(quadrant.design, quadrant.model, full), MeshError);
  MeshOptions window_with_symmetry = test::cell_options(1);
  window_with_symmetry.symmetry = Symmetry::Quarter;
  EXPECT_THROW(mesh_package(quadrant.design, quadrant.model, window_with_symmetry), MeshError);
}

}  // namespace
}  // namespace wlp::mesh
