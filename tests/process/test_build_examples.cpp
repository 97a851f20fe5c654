// The recipe runner on bundled examples, checked against conservation laws, closed forms and
// the numbers the design files ask for.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <numbers>

#include "layout/die_layout.h"
#include "process/build.h"
#include "process/metrology.h"
#include "process/solder_shape.h"
#include "support/test_support.h"

namespace {

using namespace wlp;

struct Built {
  design::Design design;
  layout::DieLayout layout;
  process::WaferModel model;
  process::BuildResult result;
  std::vector<std::vector<double>> volumes_after;  // film volumes after each step
};

Built build_example_now(const std::string& name) {
  design::Design design = test::load(test::source_dir() / "examples" / (name + ".toml"));
  layout::DieLayout die = layout::build_die_layout(design);
  const process::CutLine cut = process::default_cut(design, die);
  process::WaferModel model = process::make_model(design, die, process::build_window(design, die, cut, process::WindowKind::Cut));
  std::vector<std::vector<double>> volumes;
  process::BuildResult result = process::run_recipe(
      model, design, die, process::BuildOptions{},
      [&](const process::StepReport&, const process::WaferModel& m) { volumes.push_back(m.film_volumes_m3()); });
  return Built{std::move(design), std::move(die), std::move(model), std::move(result), std::move(volumes)};
}

// Each example is built once per test run and shared by the tests that read it.
const Built& build_example(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Built>> built;
  auto& slot = built[name];
  if (!slot) slot = std::make_unique<Built>(build_example_now(name));
  return *slot;
}

const process::StepReport& report_of(const Built& b, const std::string& step) {
  for (const auto& r : b.result.reports)
    if (r.name == step) return r;
  throw std::runtime_error("no step " + step);
}

TEST(BuildExamples, PlatedVolumeEqualsOpeningAreaTimesThickness) {
  const Built& b = build_example("s4-embodiment1");
  const auto& plate = report_of(b, "electroplate-rdl");
  // The film's volume summed over the model's columns against the opening area x 5 um that the
  // step computed from the resist pattern: two different sums over the same geometry.
  double plated_m3 = 0;
  for (std::size_t f = 0; f < b.model.film_count(); ++f)
    if (b.model.film(static_cast<process::FilmIndex>(f)).name == "electroplate-rdl")
      plated_m3 = b.volumes_after[static_cast<std::size_t>(plate.index - 1)][f];
  ASSERT_GT(plated_m3, 0);
  EXPECT_NEAR(plated_m3, plate.numbers.at("plated_volume_m3"), 1e-9 * plated_m3);
}

TEST(BuildExamples, ReflowKeepsTheBallVolumeAndMatchesTheCapClosedForm) {
  const Built& b = build_example("s4-embodiment1");
  ASSERT_FALSE(b.model.bodies.empty());
  const process::SolderBody& bump = b.model.bodies.front();
  const double ball_m3 = process::sphere_volume_m3(250e-6);
  EXPECT_NEAR(bump.volume_m3, ball_m3, 1e-3 * ball_m3);  // issue: within 0.1 %
  EXPECT_NEAR(process::cap_volume_m3(bump.pad_radius_m, bump.height_m), ball_m3, 1e-9 * ball_m3);
  // The ball pins on the polished 100 um stud top (with its Ni finish): a 50 um radius.
  EXPECT_NEAR(bump.pad_radius_m, 50e-6, 0.5e-6);
  // The column representation (rings) holds the same volume to the discretisation error.
  double solder_m3 = 0;
  const auto volumes = b.model.film_volumes_m3();
  for (const auto& [film, r] : bump.shells) solder_m3 += volumes[film];
  EXPECT_NEAR(solder_m3, ball_m3, 0.01 * ball_m3);
}

TEST(BuildExamples, PolishedStudMeetsTheBufferThicknessOfTheDesign) {
  const Built& b = build_example("s4-embodiment1");
  const nlohmann::json m = process::measure(b.model, b.design);
  bool found_buffer = false;
  for (const auto& film : m["films"]) {
    if (film["name"] == "spin-coat-buffer") {
      // Design: buffer_thickness 50 um after polishing (tier1), measured in the field.
      EXPECT_NEAR(film["thickness_field_um"].get<double>(), 50.0, 1e-3);
      found_buffer = true;
    }
    if (film["name"] == "tier1") {
      ASSERT_TRUE(film.contains("features"));
      // Stud 100 um across (section_diameter). Circles are inscribed polygons with a chord
      // error of a quarter of the 1 um resolution, so a width across two chords is short by at
      // most 2 x 0.25 um.
      const double width_um = film["features"][0]["width_um"].get<double>();
      EXPECT_LE(width_um, 100.0);
      EXPECT_GE(width_um, 100.0 - 0.5);
    }
  }
  EXPECT_TRUE(found_buffer);
}

TEST(BuildExamples, SacrificialPillarLeavesAViaFilledWithCopper) {
  const Built& b = build_example("s0");
  const auto volumes = b.model.film_volumes_m3();
  for (std::size_t f = 0; f < b.model.film_count(); ++f) {
    const auto& film = b.model.film(static_cast<process::FilmIndex>(f));
    if (film.name == "pillar") {
      EXPECT_EQ(volumes[f], 0.0) << "the pillar must be burnt out";
    }
  }
  // Copper sits in the via: at the via centre the column holds Cu below the glass top.
  const process::Point via{0, 0};
  const auto& column = b.model.stack_at(via);
  bool copper = false;
  for (const auto& piece : column) copper |= b.model.material_id(piece.material) == "Cu_ED";
  EXPECT_TRUE(copper);
}

}  // namespace
