// The package mesher on unit cells of the bundled examples (one bump site: device as built,
// joint, board): the joint's surface against its sphere, its volume against the spherical
// zone, the interface layers, every film of the build against the mesh's element columns,
// the board against its drawn sizes, the device's volume per material against the built
// model, and element quality.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <numbers>
#include <set>
#include <tuple>

#include "mesh/mesh_error.h"
#include "mesh/mesh_probe.h"
#include "mesh/mesh_test_models.h"
#include "mesh/package_mesh.h"
#include "mesh/quality.h"

namespace wlp::mesh {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kUm = 1e-6;

const PackageMesh& cell_mesh(const std::string& example, int refinement, ElementType type = ElementType::Hex8) {
  static std::map<std::tuple<std::string, int, ElementType>, std::unique_ptr<PackageMesh>> meshes;
  auto& slot = meshes[{example, refinement, type}];
  if (!slot) {
    const test::BuiltModel& built = test::built_cell(example);
    slot = std::make_unique<PackageMesh>(mesh_package(built.design, built.model, test::cell_options(refinement, type)));
  }
  return *slot;
}

/// Nodes on each circle of the O-grid: 4m, m = 2(1 + ⌈r/2⌉) (docs/mesh.md).
int nodes_per_circle(int refinement) { return 8 * (1 + (refinement + 1) / 2); }
/// Area of a regular N-gon inscribed in a circle over the circle's: (N / 2π)·sin(2π / N).
double polygon_fraction(int n) { return n / (2 * kPi) * std::sin(2 * kPi / n); }

TEST(PackageCell, JointSurfaceNodesLieOnTheSphere) {
  for (const char* example : {"b0", "s3-fig1", "s4-embodiment1"})
    for (ElementType type : {ElementType::Hex8, ElementType::Hex20}) {
      const Mesh& mesh = cell_mesh(example, 1, type).mesh;
      ASSERT_EQ(mesh.joints.size(), 1u) << example;
      const Joint& joint = mesh.joints.front();
      const std::vector<std::int64_t> surface = test::joint_surface_nodes(mesh, 0);
      // At least one node per circle node on every joint plane (2 interface + 2 bulk layers).
      ASSERT_GE(surface.size(), static_cast<std::size_t>(nodes_per_circle(1) * 5)) << example;
      double worst_m = 0;
      for (std::int64_t n : surface) {
        const auto& p = mesh.nodes_m[static_cast<std::size_t>(n)];
        const double d = std::sqrt(std::pow(p[0] - joint.x_m, 2) + std::pow(p[1] - joint.y_m, 2) +
                                   std::pow(p[2] - joint.sphere_centre_z_m, 2));
        worst_m = std::max(worst_m, std::abs(d - joint.sphere_radius_m));
      }
      EXPECT_LT(worst_m, 1e-9) << example << (type == ElementType::Hex20 ? " Hex20" : " Hex8");
    }
}

TEST(PackageCell, JointVolumeIsThePolygonFrustumsAndConvergesToTheZone) {
  // Hex8: every plane's section of the joint is the N-gon inscribed in the circle r(z), and
  // between planes the radius varies linearly (planar side faces), so the mesh volume is
  // exactly fraction(N) × Σ frustums π Δz (r₀² + r₀r₁ + r₁²)/3. Against the true zone the
  // deficit is the polygon's, 1 − fraction(N), plus the profile's chords: in a slab the arc
  // and its chord (length L) enclose the circular segment R²(φ − sin φ)/2 ≤ L³/(12R)·1.01,
  // swept around at most 2π·r_max.
  double previous_error = 1;
  const double stated[] = {0.041, 0, 0.0175, 0, 0.0106};  // bound at r = 1, 3, 5 (b0: R = 141 um, H = 142 um)
  for (int refinement : {1, 3, 5}) {
    const PackageMesh& pm = cell_mesh("b0", refinement);
    const Joint& joint = pm.mesh.joints.front();
    const double volume = test::joint_volume_between_pads_m3(pm.mesh, 0);
    const double big_r = joint.sphere_radius_m;
    double frustums = 0, chord_bound = 0;
    auto radius_at = [&](double z) { return std::sqrt(big_r * big_r - std::pow(z - joint.sphere_centre_z_m, 2)); };
    for (const MeshSlab& slab : pm.slabs) {
      if (slab.role.rfind("joint", 0) != 0) continue;
      const double r0 = radius_at(slab.z_bottom_m), r1 = radius_at(slab.z_top_m), dz = slab.z_top_m - slab.z_bottom_m;
      const bool equator_inside = joint.sphere_centre_z_m > slab.z_bottom_m && joint.sphere_centre_z_m < slab.z_top_m;
      const double r_max = equator_inside ? big_r : std::max(r0, r1), chord = std::hypot(dz, r1 - r0);
      frustums += kPi * dz * (r0 * r0 + r0 * r1 + r1 * r1) / 3;
      chord_bound += 2 * kPi * r_max * 1.01 * std::pow(chord, 3) / (12 * big_r);
    }
    const double fraction = polygon_fraction(nodes_per_circle(refinement));
    EXPECT_NEAR(volume, fraction * frustums, 1e-9 * volume) << "refinement " << refinement;
    const double error = 1 - volume / joint.volume_m3;
    const double bound = 1 - fraction + chord_bound / joint.volume_m3;
    EXPECT_GT(error, 0) << "refinement " << refinement;  // inscribed: always smaller
    EXPECT_LT(error, bound) << "refinement " << refinement;
    EXPECT_LT(bound, stated[refinement - 1]) << "refinement " << refinement;
    EXPECT_LT(error, previous_error) << "refinement " << refinement;
    previous_error = error;
  }
}

TEST(PackageCell, Hex20JointVolumeIsCloserThanHex8) {
  // Mid-edge nodes on the sphere: each facet becomes a quadratic patch, the chord error
  // drops from O(h²) to O(h⁴).
  const Joint& joint = cell_mesh("b0", 1).mesh.joints.front();
  const double error8 = std::abs(1 - test::joint_volume_between_pads_m3(cell_mesh("b0", 1).mesh, 0) / joint.volume_m3);
  const double error20 = std::abs(
      1 - test::joint_volume_between_pads_m3(cell_mesh("b0", 1, ElementType::Hex20).mesh, 0) / joint.volume_m3);
  EXPECT_LT(error20, 0.1 * error8);
  EXPECT_LT(error20, 2e-3);
}

TEST(PackageCell, InterfaceLayersHaveTheRequestedThickness) {
  for (const char* example : {"b0", "s3-fig1"}) {
    const Mesh& mesh = cell_mesh(example, 1).mesh;
    const Joint& joint = mesh.joints.front();
    const double d = mesh.interface_layer_thickness_m;
    EXPECT_DOUBLE_EQ(d, 25.4 * kUm);
    int n_device = 0, n_board = 0;
    for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
      const JointZone zone = mesh.joint_zone_of_element[e];
      if (zone != JointZone::DeviceInterface && zone != JointZone::BoardInterface) continue;
      double lo = 1, hi = -1;
      for (int i = 0; i < 8; ++i) {
        const double z = mesh.nodes_m[static_cast<std::size_t>(mesh.element_nodes(e)[i])][2];
        lo = std::min(lo, z), hi = std::max(hi, z);
      }
      const double face = zone == JointZone::DeviceInterface ? joint.upper_z_m : joint.lower_z_m;
      EXPECT_NEAR(hi - lo, d, 1e-12);
      EXPECT_NEAR(zone == JointZone::DeviceInterface ? hi : lo, face, 1e-12);
      (zone == JointZone::DeviceInterface ? n_device : n_board)++;
    }
    // One layer of the joint's cross-section at each end: the same elements per layer.
    EXPECT_GT(n_device, 0) << example;
    EXPECT_EQ(n_device, n_board) << example;
  }
}

/// The built model's column at a model-frame point, as model-frame spans (device part only).
std::vector<test::Span> model_column(const test::BuiltModel& built, const PackageMesh& pm, double x, double y) {
  const process::Stack& stack = built.model.stack_at(layout::Point{layout::to_nm(x), layout::to_nm(-y)});
  const auto z_cap_nm = static_cast<double>(layout::to_nm(pm.frame.wetted_process_z_m));
  std::vector<test::Span> spans;
  for (auto it = stack.rbegin(); it != stack.rend(); ++it) {  // the device is upside down
    if (static_cast<double>(it->z_bottom) >= z_cap_nm) continue;
    const double top_nm = std::min(static_cast<double>(it->z_top), z_cap_nm);
    const double z_bottom = pm.frame.wetted_z_m + (z_cap_nm - top_nm) * 1e-9;
    const double z_top = pm.frame.wetted_z_m + (z_cap_nm - static_cast<double>(it->z_bottom)) * 1e-9;
    const std::string material = built.model.material_id(it->material);
    if (!spans.empty() && spans.back().material == material && std::abs(spans.back().z_top_m - z_bottom) < 1e-12)
      spans.back().z_top_m = z_top;
    else
      spans.push_back(test::Span{z_bottom, z_top, material, 0});
  }
  return spans;
}

std::string column_text(const std::vector<test::Span>& spans) {
  std::string text;
  for (const test::Span& s : spans)
    text += fmt::format("\n  {:10.4f} .. {:10.4f} um {} ({} elements)", s.z_bottom_m / kUm, s.z_top_m / kUm, s.material,
                        s.n_elements);
  return text;
}

void expect_film_columns_match(const std::string& example, const std::vector<double>& radii_um) {
  const test::BuiltModel& built = test::built_cell(example);
  const PackageMesh& pm = cell_mesh(example, 1);
  const Joint& joint = pm.mesh.joints.front();
  int thin_films = 0;
  std::set<std::string> probed;  // materials met with their own elements at the probes
  for (double r_um : radii_um) {
    const double angle = 20 * kPi / 180;
    const double x = joint.x_m + r_um * kUm * std::cos(angle), y = joint.y_m + r_um * kUm * std::sin(angle);
    const std::vector<test::Span> model = model_column(built, pm, x, y);
    const std::vector<test::Span> mesh = test::mesh_column(pm.mesh, x, y, pm.frame.wetted_z_m);
    ASSERT_EQ(mesh.size(), model.size()) << example << " at r = " << r_um << " um; mesh:" << column_text(mesh)
                                         << "\nmodel:" << column_text(model);
    for (std::size_t i = 0; i < model.size(); ++i) {
      EXPECT_EQ(mesh[i].material, model[i].material) << example << " r = " << r_um << " um, film " << i;
      EXPECT_NEAR(mesh[i].z_bottom_m, model[i].z_bottom_m, 1e-12) << example << " r = " << r_um << " um, film " << i;
      EXPECT_NEAR(mesh[i].z_top_m, model[i].z_top_m, 1e-12) << example << " r = " << r_um << " um, film " << i;
      EXPECT_GE(mesh[i].n_elements, 1);
      if (model[i].z_top_m - model[i].z_bottom_m < 10 * kUm) ++thin_films;
      probed.insert(mesh[i].material);
    }
  }
  EXPECT_GT(thin_films, 0) << example;
  // Every film of the build (below the wetted plane, the substrate and solder aside) is among them.
  const layout::Nm cap = layout::to_nm(pm.frame.wetted_process_z_m);
  for (const process::Cell& cell : built.model.cells())
    for (const process::Interval& interval : built.model.stack(cell.stack)) {
      const process::FilmKind kind = built.model.film(interval.film).kind;
      if (interval.z_bottom >= cap || kind == process::FilmKind::Substrate || kind == process::FilmKind::Ball ||
          kind == process::FilmKind::Solder)
        continue;
      EXPECT_TRUE(probed.count(built.model.material_id(interval.material)))
          << example << ": " << built.model.film(interval.film).name << " (" << built.model.material_id(interval.material)
          << ") was not probed";
    }
}

TEST(PackageCell, EveryFilmOfB0HasItsOwnElementsAtTheBumpSite) {
  // Inside the passivation opening (UBM on the Al pad, solder in the UBM's hollow), on the
  // UBM over the passivation, outside the UBM, and in the field.
  expect_film_columns_match("b0", {30, 110, 150, 190});
}

TEST(PackageCell, EveryFilmOfS3Fig1HasItsOwnElementsAtTheBumpSite) {
  // Cu post, polyimide under the UBM, the RDL land beyond the UBM, the field.
  expect_film_columns_match("s3-fig1", {15, 60, 110, 160});
}

TEST(PackageCell, BoardPadMaskAndLaminateHaveTheirDrawnSizes) {
  // The pad rim and the mask opening are 4m-gons inscribed in their circles, exactly.
  for (int refinement : {1, 3}) {
    const test::BuiltModel& built = test::built_cell("b0");
    const PackageMesh& pm = cell_mesh("b0", refinement);
    const MeshQuality q = measure_quality(pm.mesh);
    const design::Board& board = *built.design.board;
    const double pitch = built.design.bumps->pitch_m, n = nodes_per_circle(refinement);
    auto volume_of = [&](const std::string& material) {
      for (const MaterialTally& t : q.materials)
        if (t.material == material) return t.volume_m3;
      return 0.0;
    };
    const double pad = n / 2 * std::pow(board.pad_diameter_m / 2, 2) * std::sin(2 * kPi / n) * board.copper_thickness_m;
    const double opening = n / 2 * std::pow(board.solder_mask_opening_m / 2, 2) * std::sin(2 * kPi / n);
    EXPECT_NEAR(volume_of("Cu_foil"), pad, 1e-9 * pad);
    EXPECT_NEAR(volume_of("solder_mask"), (pitch * pitch - opening) * board.solder_mask_thickness_m, 1e-9 * pad);
    EXPECT_NEAR(volume_of(board.material), pitch * pitch * board.thickness_m, 1e-9 * pitch * pitch * board.thickness_m);
  }
}

TEST(PackageCell, DeviceVolumePerMaterialMatchesTheBuiltModel) {
  // The built model's columns (area of each cell × its intervals below the wetted plane)
  // against the mesh's device elements. The mesh draws each round feature as a 4m-gon on a
  // circle of the plan (round features closer than 2 um share the mean circle), so a
  // material bounded by circles of radius ≥ 100 um differs by at most the 32-gon's deficit
  // (0.64 %) plus 2 × 1 um / 100 um (2 %) of its area at refinement 5; materials without
  // round edges (the die) match to the model's own partition (its cells miss 2e-7 of the
  // window's area: slivers of its booleans).
  for (const char* example : {"b0", "s3-fig1"}) {
    const test::BuiltModel& built = test::built_cell(example);
    const PackageMesh& pm = cell_mesh(example, 5);
    const auto mesh_volumes = test::volume_by_material_above(pm.mesh, pm.frame.wetted_z_m);
    std::map<std::string, double> model_volumes;
    const auto z_cap_nm = static_cast<double>(layout::to_nm(pm.frame.wetted_process_z_m));
    for (const process::Cell& cell : built.model.cells()) {
      const double area_m2 = layout::disjoint_area_um2(cell.region) * 1e-12;
      for (const process::Interval& interval : built.model.stack(cell.stack)) {
        const double top = std::min(static_cast<double>(interval.z_top), z_cap_nm);
        if (top > static_cast<double>(interval.z_bottom))
          model_volumes[built.model.material_id(interval.material)] +=
              area_m2 * (top - static_cast<double>(interval.z_bottom)) * 1e-9;
      }
    }
    for (const auto& [material, expected] : model_volumes) {
      double got = 0;
      for (std::size_t m = 0; m < pm.mesh.materials.size(); ++m)
        if (pm.mesh.materials[m] == material) got = mesh_volumes[m];
      const double tolerance = material == "Si" ? 1e-6 : 0.0264;
      EXPECT_NEAR(got / expected, 1, tolerance) << example << " " << material;
    }
  }
}

TEST(PackageCell, ElementQualityIsAboveThreshold) {
  // Scaled Jacobian: 1 for a box, 0 for a degenerate corner; 0.3 keeps every element
  // comfortably valid (measured: 0.47 for the tapered S4 joint, 0.68 for B0).
  for (const char* example : {"b0", "s3-fig1", "s4-embodiment1"})
    for (int refinement : {1, 3}) {
      const MeshQuality q = measure_quality(cell_mesh(example, refinement).mesh);
      EXPECT_EQ(q.n_inverted, 0u) << example;
      EXPECT_GT(q.min_scaled_jacobian, 0.3) << example << " refinement " << refinement;
      // Thin films are flat boxes: 0.1 um thick under elements tens of um wide.
      EXPECT_GT(q.max_aspect_ratio, 100) << example;
    }
}

TEST(PackageCell, ABallThatWasNotReflowedIsRefused) {
  const test::BuiltModel& built = test::built_cell("s1-adhesive");
  EXPECT_THROW(mesh_package(built.design, built.model, test::cell_options(1)), MeshError);
}

}  // namespace
}  // namespace wlp::mesh
