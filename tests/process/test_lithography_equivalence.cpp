// Lithography equivalence: patterning a film with resist_coat + expose + develop + etch + strip
// gives the same wafer as lithography + etch + strip, in both resist tones, and both give what
// the mask draws.
//
// One small design is written four times (two routes x two tones). Its recipe patterns two
// films with the two kinds of mask the layout knows:
//   - the pad metal (Al, 1 um) through mask "pads": the resist must stay on the drawn pads and
//     the etch removes the metal around them (layout::Action::KeepDrawn);
//   - the passivation oxide (0.5 um) through mask "passivation-openings": the resist must open
//     on the drawn squares and the etch removes the oxide inside them (Action::OpenDrawn).
// The layout picks each mask's field from the tone (a negative resist keeps what is lit, so its
// reticle is the complement of the positive one), so the four builds must etch the same area.
//
// The oracle is geometric and independent of the step library: the pads and openings are
// squares at the bump sites (pads.arrangement = under_bumps, shape = square), so the area they
// cover inside the model's window is a sum of rectangle overlaps computed here from the design's
// numbers alone; the layout's mask shapes are checked against it too. The window of the default
// cut clips the third site's pad and opening, so the clipping by the window is exercised.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "layout/die_layout.h"
#include "process/build.h"
#include "support/test_support.h"

namespace {

using namespace wlp;

enum class Route { CoatExposeDevelop, Lithography };
enum class Tone { Positive, Negative };

std::string to_string(Route route) { return route == Route::Lithography ? "lithography" : "coat-expose-develop"; }
std::string to_string(Tone tone) { return tone == Tone::Positive ? "positive" : "negative"; }

constexpr const char* kPadsMask = "pads";
constexpr const char* kOpeningsMask = "passivation-openings";
constexpr const char* kPadFilm = "sputter-pad-metal";    // a deposit with `material` is named after its step
constexpr const char* kOxideFilm = "passivation-oxide";  // a deposit of a stack layer is named after it

using Fields = std::vector<std::pair<std::string, std::string>>;

// One `[[recipe.step]]` table: its name, op and string fields, in order.
std::string recipe_step(const std::string& name, const std::string& op, const Fields& fields) {
  std::string text = fmt::format("\n[[recipe.step]]\nname = \"{}\"\nop = \"{}\"\n", name, op);
  for (const auto& [key, value] : fields) text += fmt::format("{} = \"{}\"\n", key, value);
  return text;
}

// One patterning of a film through `mask`: the resist (one lithography step, or resist_coat +
// expose + develop, by route), the etch with `etch` (its mask is added here) and the strip.
// Step names are the same in every route for the steps that are not lithography, so the films
// they make carry the same names.
std::string patterned_etch(Route route, Tone tone, const std::string& what, const std::string& mask,
                           const std::string& resist_thickness, Fields etch) {
  const Fields resist{{"resist", "photoresist"}, {"thickness", resist_thickness}, {"tone", to_string(tone)}};
  std::string text;
  if (route == Route::Lithography) {
    Fields fields{{"mask", mask}};
    fields.insert(fields.end(), resist.begin(), resist.end());
    text += recipe_step("lithography-" + what, "lithography", fields);
  } else {
    text += recipe_step("coat-" + what, "resist_coat", resist);
    text += recipe_step("expose-" + what, "expose", {{"mask", mask}});
    text += recipe_step("develop-" + what, "develop", {});
  }
  etch.emplace_back("mask", mask);
  text += recipe_step("etch-" + what, "etch", etch);
  text += recipe_step("strip-" + what, "strip", {{"resist", "photoresist"}});
  return text;
}

std::string design_text(Route route, Tone tone) {
  std::string text = R"toml(
[design]
name = "litho-equivalence"
structure = "B0"
description = "Two films patterned through a resist: pad metal (resist kept on the drawn shapes) and oxide openings (resist opened on them)"

[die]
size_x = "1.6 mm"
size_y = "1.6 mm"
thickness = "400 um"
material = "Si"

[pads]
material = "Al"
thickness = "1 um"
shape = "square"
size = "240 um"
arrangement = "under_bumps"

[[stack]]
name = "passivation-oxide"
role = "passivation"
material = "SiO2_PECVD"
thickness = "0.5 um"
applied = "pecvd"
opening = "pads"
opening_size = "200 um"

[bumps]
columns = 3
rows = 3
pitch = "0.4 mm"
ball_diameter = "250 um"
alloy = "SAC305"

[interconnect]
type = "ubm_ball"
ubm_diameter = "240 um"

[[interconnect.ubm_layer]]
name = "wettable"
material = "Cu_ED"
thickness = "0.8 um"
)toml";
  text += recipe_step(kPadFilm, "deposit", {{"method", "sputter"}, {"material", "Al"}, {"thickness", "1 um"}});
  text += patterned_etch(route, tone, "pads", kPadsMask, "2 um", {{"target", "Al"}, {"method", "plasma"}});
  text += recipe_step(std::string("deposit-") + kOxideFilm, "deposit",
                      {{"method", "pecvd"}, {"layer", kOxideFilm}, {"temperature", "400 C"}});
  text += patterned_etch(route, tone, "openings", kOpeningsMask, "3 um",
                         {{"target", kOxideFilm}, {"method", "rie"}, {"stop_on", "Al"}});
  return text;
}

struct Built {
  design::Design design;
  layout::DieLayout layout;
  process::WaferModel model;
  std::string error;  // why the recipe stopped, if it did (the layout is still checked)
  // The resist left on the wafer right after each develop (or lithography) step, by mask.
  std::map<std::string, layout::Region> resist_after_develop;
};

bool is_resist_film(const process::WaferModel& model, process::FilmIndex film) {
  return model.film(film).kind == process::FilmKind::Resist;
}

Built build_now(Route route, Tone tone) {
  const test::ScratchDir scratch;
  const auto file = scratch.write("litho-equivalence.toml", design_text(route, tone));
  design::Design design = test::load(file);
  layout::DieLayout die = layout::build_die_layout(design);
  const process::CutLine cut = process::default_cut(design, die);
  process::WaferModel model =
      process::make_model(design, die, process::build_window(design, die, cut, process::WindowKind::Cut));
  std::map<std::string, layout::Region> resist_after;
  std::string error;
  try {
    process::run_recipe(model, design, die, process::BuildOptions{},
                        [&](const process::StepReport& report, const process::WaferModel& m) {
                          if (report.op != "develop" && report.op != "lithography") return;
                          const std::string mask =
                              report.name.find("pads") != std::string::npos ? kPadsMask : kOpeningsMask;
                          resist_after[mask] = layout::merged(m.region_where([&](const process::Stack& s) {
                            return std::any_of(s.begin(), s.end(),
                                               [&](const process::Interval& p) { return is_resist_film(m, p.film); });
                          }));
                        });
  } catch (const design::InputError& e) {
    error = e.what();
  }
  return Built{std::move(design), std::move(die), std::move(model), std::move(error), std::move(resist_after)};
}

// Each of the four builds runs once per test run and is shared by the tests that read it.
const Built& built(Route route, Tone tone) {
  static std::map<std::pair<Route, Tone>, std::unique_ptr<Built>> cache;
  auto& slot = cache[{route, tone}];
  if (!slot) slot = std::make_unique<Built>(build_now(route, tone));
  return *slot;
}

// --- the independent oracle: squares at the sites, clipped by the window -----------------------

double overlap_nm(double lo1, double hi1, double lo2, double hi2) {
  return std::max(0.0, std::min(hi1, hi2) - std::max(lo1, lo2));
}

/// Area (um²) of the squares of side `side_m` centred on every pad, inside the window.
double squares_in_window_um2(const design::Design& design, double side_m, const layout::Box& window) {
  double area_nm2 = 0;
  const double half = side_m * 1e9 / 2;
  for (const design::Pad& pad : design.pads.pads) {
    const double x = pad.x_m * 1e9, y = pad.y_m * 1e9;
    area_nm2 += overlap_nm(x - half, x + half, static_cast<double>(window.lo.x), static_cast<double>(window.hi.x)) *
                overlap_nm(y - half, y + half, static_cast<double>(window.lo.y), static_cast<double>(window.hi.y));
  }
  return area_nm2 * 1e-6;
}

double window_um2(const layout::Box& w) { return layout::to_um(w.width()) * layout::to_um(w.height()); }

/// The mask's drawn shapes as the layout has them, clipped to the window.
layout::Region drawn_in_window(const Built& b, const std::string& mask) {
  for (std::size_t i = 0; i < b.layout.layers.size(); ++i)
    if (b.layout.layers[i].mask == mask)
      return layout::region_and(b.layout.flat(static_cast<int>(i)),
                                layout::Region{layout::box_polygon(b.model.window())});
  ADD_FAILURE() << "the layout has no mask " << mask;
  return {};
}

const layout::MaskUse& mask_use(const Built& b, const std::string& mask) {
  for (const layout::MaskUse& use : b.layout.masks)
    if (use.name == mask) return use;
  throw std::runtime_error("no mask " + mask);
}

std::optional<process::FilmIndex> film_named(const process::WaferModel& model, const std::string& name) {
  for (std::size_t i = 0; i < model.film_count(); ++i)
    if (model.film(static_cast<process::FilmIndex>(i)).name == name) return static_cast<process::FilmIndex>(i);
  return std::nullopt;
}

bool holds(const process::Stack& s, process::FilmIndex film) {
  return std::any_of(s.begin(), s.end(), [&](const process::Interval& p) { return p.film == film; });
}

/// Where the model holds the film (merged).
layout::Region where_film(const process::WaferModel& model, process::FilmIndex film) {
  return layout::merged(model.region_where([&](const process::Stack& s) { return holds(s, film); }));
}

/// Area (um²) of the symmetric difference of two regions.
double xor_um2(const layout::Region& a, const layout::Region& b) { return layout::area_um2(layout::region_xor(a, b)); }

const Route kRoutes[] = {Route::CoatExposeDevelop, Route::Lithography};
const Tone kTones[] = {Tone::Positive, Tone::Negative};

std::string label(Route route, Tone tone) { return to_string(route) + ", " + to_string(tone) + " tone"; }

/// Runs `check` on each of the four builds (an ASSERT in it ends that build's check only).
void for_each_build(const std::function<void(const Built&, Tone)>& check) {
  for (Route route : kRoutes)
    for (Tone tone : kTones) {
      SCOPED_TRACE(label(route, tone));
      const Built& b = built(route, tone);
      EXPECT_EQ(b.error, "") << "the recipe must build";
      if (b.error.empty()) check(b, tone);
    }
}

// --- tests ---------------------------------------------------------------------------------------

// The oracle itself: the layout draws the squares the design asks for, the window clips one of
// them, and neither drawn area is half the window (so a tone flip, which etches the complement,
// cannot give the same area by accident).
TEST(LithographyEquivalence, TheMasksDrawTheDesignSquaresAndTheWindowClipsThem) {
  const Built& b = built(Route::Lithography, Tone::Positive);
  ASSERT_EQ(b.error, "");
  const layout::Box& w = b.model.window();
  const design::StackLayer* oxide = b.design.layer_named(kOxideFilm);
  ASSERT_NE(oxide, nullptr);
  const double pads_um2 = squares_in_window_um2(b.design, b.design.pads.size_m, w);
  const double openings_um2 = squares_in_window_um2(b.design, oxide->opening_size_m, w);
  // Two whole pads (240 um) and a clipped third one at least: the cut runs over two sites.
  EXPECT_GT(pads_um2, 2 * 240.0 * 240.0);
  EXPECT_LT(pads_um2, 3 * 240.0 * 240.0);
  EXPECT_GT(openings_um2, 2 * 200.0 * 200.0);
  EXPECT_LT(openings_um2, 3 * 200.0 * 200.0);
  EXPECT_LT(pads_um2, 0.45 * window_um2(w));
  // Clipper works on integer nanometres: the areas agree to rounding, far below 1e-9.
  EXPECT_NEAR(layout::area_um2(drawn_in_window(b, kPadsMask)), pads_um2, 1e-9 * pads_um2);
  EXPECT_NEAR(layout::area_um2(drawn_in_window(b, kOpeningsMask)), openings_um2, 1e-9 * openings_um2);
}

// The reticle's field follows the tone: what is transparent for a positive resist is opaque for
// a negative one, whichever route exposes it.
TEST(LithographyEquivalence, TheNegativeToneUsesTheComplementaryField) {
  for (Route route : kRoutes) {
    SCOPED_TRACE(to_string(route));
    // Pads: the resist must stay on the drawn pads. Positive resist stays where it is dark:
    // drawn shapes opaque on a clear field; negative resist stays where it is lit: a dark field.
    EXPECT_EQ(mask_use(built(route, Tone::Positive), kPadsMask).field, "clear");
    EXPECT_EQ(mask_use(built(route, Tone::Negative), kPadsMask).field, "dark");
    // Openings: the resist must open on the drawn squares: the other way round.
    EXPECT_EQ(mask_use(built(route, Tone::Positive), kOpeningsMask).field, "dark");
    EXPECT_EQ(mask_use(built(route, Tone::Negative), kOpeningsMask).field, "clear");
  }
}

// Right after development the resist covers the drawn pads only (pads mask) and everything but
// the drawn openings (openings mask), in every route and tone.
TEST(LithographyEquivalence, DevelopedResistCoversWhatTheEtchMustKeep) {
  for_each_build([&](const Built& b, [[maybe_unused]] Tone tone) {
    const layout::Box& w = b.model.window();
    ASSERT_EQ(b.resist_after_develop.size(), 2U);
    const double window_area = window_um2(w);
    const double pads_um2 = squares_in_window_um2(b.design, b.design.pads.size_m, w);
    const double openings_um2 = squares_in_window_um2(b.design, b.design.layer_named(kOxideFilm)->opening_size_m, w);
    const layout::Region& on_pads = b.resist_after_develop.at(kPadsMask);
    const layout::Region& around_openings = b.resist_after_develop.at(kOpeningsMask);
    EXPECT_NEAR(layout::area_um2(on_pads), pads_um2, 1e-9 * window_area);
    EXPECT_NEAR(layout::area_um2(around_openings), window_area - openings_um2, 1e-9 * window_area);
    EXPECT_LE(xor_um2(on_pads, drawn_in_window(b, kPadsMask)), 1e-9 * window_area);
    EXPECT_LE(xor_um2(around_openings,
                      layout::region_not(layout::Region{layout::box_polygon(w)}, drawn_in_window(b, kOpeningsMask))),
              1e-9 * window_area);
    // The resist film carries the tone of its coat.
    int resists = 0;
    for (std::size_t i = 0; i < b.model.film_count(); ++i) {
      const process::Film& f = b.model.film(static_cast<process::FilmIndex>(i));
      if (f.kind != process::FilmKind::Resist) continue;
      ++resists;
      EXPECT_EQ(f.negative_tone, tone == Tone::Negative) << f.name;
    }
    EXPECT_EQ(resists, 2);
  });
}

// After etch and strip: the pad metal is exactly the drawn pads, the oxide is open exactly on
// the drawn openings (areas against the design's squares, outlines against the layout's), and
// no resist is left anywhere.
TEST(LithographyEquivalence, EtchedAreaIsTheMaskAreaInBothTonesAndRoutes) {
  for_each_build([&](const Built& b, [[maybe_unused]] Tone tone) {
    const layout::Box& w = b.model.window();
    const double window_area = window_um2(w);
    const double pads_um2 = squares_in_window_um2(b.design, b.design.pads.size_m, w);
    const double openings_um2 = squares_in_window_um2(b.design, b.design.layer_named(kOxideFilm)->opening_size_m, w);
    const auto metal = film_named(b.model, kPadFilm);
    const auto oxide = film_named(b.model, kOxideFilm);
    ASSERT_TRUE(metal && oxide);
    const layout::Region metal_region = where_film(b.model, *metal);
    const layout::Region oxide_region = where_film(b.model, *oxide);
    // Relative 1e-9: integer-nanometre outlines, the same squares.
    EXPECT_NEAR(layout::area_um2(metal_region), pads_um2, 1e-9 * pads_um2);
    EXPECT_NEAR(window_area - layout::area_um2(oxide_region), openings_um2, 1e-9 * openings_um2);
    EXPECT_LE(xor_um2(metal_region, drawn_in_window(b, kPadsMask)), 1e-9 * pads_um2);
    EXPECT_LE(xor_um2(layout::region_not(layout::Region{layout::box_polygon(w)}, oxide_region),
                      drawn_in_window(b, kOpeningsMask)),
              1e-9 * openings_um2);
    // Strip: no resist interval in any column.
    const layout::Region resist = b.model.region_where([&](const process::Stack& s) {
      return std::any_of(s.begin(), s.end(),
                         [&](const process::Interval& p) { return is_resist_film(b.model, p.film); });
    });
    EXPECT_TRUE(resist.empty()) << "resist left on " << layout::disjoint_area_um2(resist) << " um2";
    const auto volumes = b.model.film_volumes_m3();
    for (std::size_t i = 0; i < volumes.size(); ++i)
      if (is_resist_film(b.model, static_cast<process::FilmIndex>(i))) {
        EXPECT_EQ(volumes[i], 0.0);
      }
  });
}

// The columns at chosen points: inside an opening (bare pad metal), on the pad under the oxide
// ring, and between pads (oxide on silicon), bottom up with their exact z.
TEST(LithographyEquivalence, ColumnsInsideAndOutsideTheOpenings) {
  for_each_build([&](const Built& b, [[maybe_unused]] Tone tone) {
    const auto metal = film_named(b.model, kPadFilm);
    const auto oxide = film_named(b.model, kOxideFilm);
    ASSERT_TRUE(metal && oxide);
    const design::Pad& pad = b.design.pads.pads.front();  // A1, in the window
    const layout::Point centre{layout::to_nm(pad.x_m), layout::to_nm(pad.y_m)};
    const layout::Nm pad_half = layout::to_nm(b.design.pads.size_m) / 2;
    const layout::Nm opening_half = layout::to_nm(b.design.layer_named(kOxideFilm)->opening_size_m) / 2;
    const layout::Nm metal_nm = layout::to_nm(b.design.pads.thickness_m);
    const layout::Nm oxide_nm = layout::to_nm(b.design.layer_named(kOxideFilm)->thickness_m);
    ASSERT_TRUE(b.model.window().contains(centre));
    auto describe = [&](const process::Stack& s) {
      std::string out;
      for (const auto& p : s) out += fmt::format("[{} {}..{}] ", b.model.film(p.film).name, p.z_bottom, p.z_top);
      return out;
    };
    // Inside the opening: substrate, then the pad metal with its top bare at z = 1 um.
    const process::Stack& open = b.model.stack_at(centre);
    ASSERT_EQ(open.size(), 2U) << describe(open);
    EXPECT_EQ(open[1].film, *metal) << describe(open);
    EXPECT_EQ(open[1].z_bottom, 0);
    EXPECT_EQ(open[1].z_top, metal_nm);
    // On the pad outside the opening (midway across the ring): metal under the oxide.
    const layout::Point ring{centre.x + (pad_half + opening_half) / 2, centre.y};
    const process::Stack& covered = b.model.stack_at(ring);
    ASSERT_EQ(covered.size(), 3U) << describe(covered);
    EXPECT_EQ(covered[1].film, *metal);
    EXPECT_EQ(covered[2].film, *oxide);
    EXPECT_EQ(covered[2].z_bottom, metal_nm);
    EXPECT_EQ(covered[2].z_top, metal_nm + oxide_nm);
    // Between two pads (half a pitch from the centre): no metal, oxide on the silicon.
    const layout::Point between{centre.x + layout::to_nm(b.design.bumps->pitch_m) / 2, centre.y};
    const process::Stack& field = b.model.stack_at(between);
    ASSERT_EQ(field.size(), 2U) << describe(field);
    EXPECT_EQ(field[1].film, *oxide);
    EXPECT_EQ(field[1].z_bottom, 0);
    EXPECT_EQ(field[1].z_top, oxide_nm);
  });
}

// A canonical form of a model: for each distinct column (films by name, materials by id, exact
// z and state), the merged region where the wafer has it.
std::map<std::string, layout::Region> columns_by_content(const process::WaferModel& model) {
  std::map<std::string, layout::Region> out;
  for (const process::Cell& cell : model.cells()) {
    std::string key;
    for (const process::Interval& p : model.stack(cell.stack))
      key += fmt::format("{}:{}:{}:{}:{};", p.z_bottom, p.z_top, model.material_id(p.material), model.film(p.film).name,
                         static_cast<int>(p.flags));
    layout::append(out[key], cell.region);
  }
  for (auto& [key, region] : out) region = layout::merged(region);
  return out;
}

// The two routes give the same wafer, cell by cell, and so do the two tones.
TEST(LithographyEquivalence, RoutesAndTonesGiveIdenticalWafers) {
  const Built& reference = built(Route::Lithography, Tone::Positive);
  ASSERT_EQ(reference.error, "");
  const auto reference_columns = columns_by_content(reference.model);
  const auto reference_volumes = reference.model.film_volumes_m3();
  for_each_build([&](const Built& b, [[maybe_unused]] Tone tone) {
    // Film by film (same films in the same order; the resists' names follow their steps).
    ASSERT_EQ(b.model.film_count(), reference.model.film_count());
    const auto volumes = b.model.film_volumes_m3();
    for (std::size_t i = 0; i < volumes.size(); ++i) {
      const auto f = static_cast<process::FilmIndex>(i);
      EXPECT_EQ(b.model.film(f).kind, reference.model.film(f).kind);
      if (!is_resist_film(b.model, f)) {
        EXPECT_EQ(b.model.film(f).name, reference.model.film(f).name);
      }
      EXPECT_NEAR(volumes[i], reference_volumes[i], 1e-12 * std::max(reference_volumes[i], 1e-18))
          << b.model.film(f).name;
    }
    // Column by column: the same columns over the same regions.
    const auto columns = columns_by_content(b.model);
    ASSERT_EQ(columns.size(), reference_columns.size());
    for (const auto& [key, region] : reference_columns) {
      const auto it = columns.find(key);
      ASSERT_NE(it, columns.end()) << "column " << key << " missing";
      EXPECT_LE(xor_um2(it->second, region), 1e-9 * window_um2(b.model.window())) << key;
    }
  });
}

}  // namespace
