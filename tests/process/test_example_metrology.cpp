// Per example: the built structure measured (process::measure and the model's columns) against
// the numbers its design file asks for.
//
// Every example of examples/*.toml is built once per test run with the default cut window, as
// `wlpkit build` does, and checked against numbers read from its design::Design (never the
// example's values written here):
//   - stack layers: a deposited layer has the design thickness in the field; a spin-coated or
//     laminated one the closed form of the documented coat model (as applied = design / (1 −
//     cure shrinkage) for a spin-coat, blended with the window's mean level by the step's
//     planarization, then cured);
//   - openings: the opening of every stack layer, at every pad or site in the window, has the
//     design size (the S0 via: the pillar's size);
//   - bumps: one per site in the window; solder volume of the design's ball, reflowed height by
//     the cap closed form (process::bump_cap), wetted on the whole pad the design gives it;
//     metallized plastic balls with the design's core and coatings; the apex (standoff) from the
//     design's stack;
//   - per structure, what its seed is about (docs/seed-catalog): S0 via and line, S1 cylinder and
//     ball, S2 polyimide vias and top pads, S3 post / UBM / resin, S4 buffer / stud / bump, B0
//     UBM and ball.
//
// Tolerances (each check says which applies):
//   - kZ: z is exact to 1 nm in the model; a thickness made of k rounded pieces (a coat, its
//     cure, a polish) is within k nm;
//   - kMaskExact: cell outlines are the layout's mask polygons; circles are inscribed polygons
//     with a chord error of 10 nm (layout::LayoutOptions), so a drawn edge is within 10 nm of
//     where the design puts it; 25 nm leaves room for the 1 nm probes;
//   - kLateral: the build's lateral resolution (BuildOptions::resolution, 1 um): circles made by
//     the steps (studs, columns) have a chord error of a quarter of it, and the model promises
//     feature sizes (posts, studs, wet-etched UBMs) within it;
//   - volumes: the issue asks for the ball volume to 0.1 %.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layout/die_layout.h"
#include "process/build.h"
#include "process/metrology.h"
#include "process/solder_shape.h"
#include "support/test_support.h"

namespace {

using namespace wlp;
using layout::Nm;
using layout::Point;
using process::FilmIndex;
using process::Interval;
using process::Stack;

// Every example: each build must meet every number its design asks for (EveryExampleFileIsListed
// keeps the list complete).
const std::vector<std::string> kExamples = {
    "b0",
    "s0",
    "s1-adhesive",
    "s1-solder-paste",
    "s2",
    "s3-fig1",
    "s3-fig2",
    "s3-fig3",
    "s3-process-a",
    "s3-process-b",
    "s4-embodiment1",
    "s4-embodiment2",
    "s4-embodiment3",
};

constexpr Nm kZ = 1;                                     // nm per rounded piece (see the header)
constexpr Nm kMaskExact = 25;                            // nm
const Nm kLateral = process::BuildOptions{}.resolution;  // nm

// --- building --------------------------------------------------------------------------------

struct Built {
  design::Design design;
  layout::DieLayout layout;
  process::WaferModel model;
  std::vector<process::StepReport> reports;
  std::vector<double> mean_top_before_nm;  // by step (0-based): the window's mean top before it
  nlohmann::json metrology;
  std::string error;  // why the build stopped, if it did
};

std::unique_ptr<Built> build_now(const std::string& name) {
  design::Design design = test::load(test::source_dir() / "examples" / (name + ".toml"));
  layout::DieLayout die = layout::build_die_layout(design);
  const process::CutLine cut = process::default_cut(design, die);
  process::WaferModel model =
      process::make_model(design, die, process::build_window(design, die, cut, process::WindowKind::Cut));
  auto b = std::make_unique<Built>(Built{std::move(design), std::move(die), std::move(model), {}, {}, {}, {}});
  b->mean_top_before_nm.push_back(b->model.mean_top_nm());
  try {
    process::BuildResult result = process::run_recipe(b->model, b->design, b->layout, process::BuildOptions{},
                                                      [&](const process::StepReport&, const process::WaferModel& m) {
                                                        b->mean_top_before_nm.push_back(m.mean_top_nm());
                                                      });
    b->reports = std::move(result.reports);
    b->metrology = process::measure(b->model, b->design);
  } catch (const std::exception& e) {
    b->error = e.what();
  }
  return b;
}

// Each example is built once per test run (and there is one test per example, so a ctest run,
// one process per test, builds each once too).
const Built& example(const std::string& name) {
  static std::map<std::string, std::unique_ptr<Built>> cache;
  auto& slot = cache[name];
  if (!slot) slot = build_now(name);
  return *slot;
}

// --- reading the design and the recipe --------------------------------------------------------

std::vector<const design::Step*> steps_with_op(const design::Design& d, const std::string& op) {
  std::vector<const design::Step*> out;
  for (const design::Step& s : d.recipe.steps)
    if (s.op == op) out.push_back(&s);
  return out;
}

const layout::MaskUse* mask_of(const Built& b, const design::Step& step) {
  const auto name = step.text("mask");
  if (!name) return nullptr;
  for (const layout::MaskUse& use : b.layout.masks)
    if (use.name == *name) return &use;
  return nullptr;
}

/// The first step with `op` whose mask draws `feature`.
const design::Step* step_drawing(const Built& b, const std::string& op, layout::Feature feature) {
  for (const design::Step* s : steps_with_op(b.design, op))
    if (const auto* use = mask_of(b, *s); use && use->feature == feature) return s;
  return nullptr;
}

double shrinkage(const design::Design& d, const std::string& material) {
  const design::Material* m = d.material(material);
  return m ? m->nominal("cure_shrinkage").value_or(0.0) : 0.0;
}

// --- reading the model -----------------------------------------------------------------------

/// Films made by one recipe step (a step may make several: a resist, a ball's shells).
std::vector<FilmIndex> films_of_step(const process::WaferModel& m, int step_index) {
  std::vector<FilmIndex> out;
  for (std::size_t i = 0; i < m.film_count(); ++i)
    if (m.film(static_cast<FilmIndex>(i)).step == step_index) out.push_back(static_cast<FilmIndex>(i));
  return out;
}

std::optional<FilmIndex> film_of_step(const process::WaferModel& m, const design::Step* step) {
  if (!step) return std::nullopt;
  const auto films = films_of_step(m, step->index);
  if (films.empty()) return std::nullopt;
  return films.front();
}

Nm thickness_in(const Stack& s, FilmIndex film) {
  Nm t = 0;
  for (const Interval& p : s)
    if (p.film == film) t += p.thickness();
  return t;
}

bool holds(const Stack& s, FilmIndex film) { return thickness_in(s, film) > 0; }

const Interval* lowest_of(const Stack& s, FilmIndex film) {
  for (const Interval& p : s)
    if (p.film == film) return &p;
  return nullptr;
}

const Interval* highest_of(const Stack& s, FilmIndex film) {
  const Interval* found = nullptr;
  for (const Interval& p : s)
    if (p.film == film) found = &p;
  return found;
}

Point at(const Point& c, Nm dx, Nm dy) { return Point{c.x + dx, c.y + dy}; }

bool in_window(const Built& b, Point p) { return b.model.window().contains(p); }

std::string describe(const process::WaferModel& m, const Stack& s) {
  std::string out;
  for (const Interval& p : s)
    if (p.z_top > 0)
      out += fmt::format("[{} {} {}..{} nm] ", m.film(p.film).name, m.material_id(p.material), p.z_bottom, p.z_top);
  return out;
}

/// The metrology entry of a film, by name (the first one).
const nlohmann::json* measured_film(const Built& b, const std::string& name) {
  for (const auto& f : b.metrology["films"])
    if (f["name"] == name) return &f;
  return nullptr;
}

/// The width metrology measured for a film at a site or pad.
std::optional<double> feature_width_um(const Built& b, const std::string& film, const std::string& place) {
  const nlohmann::json* f = measured_film(b, film);
  if (!f || !f->contains("features")) return std::nullopt;
  for (const auto& feature : (*f)["features"])
    if (feature["at"] == place) return feature["width_um"].get<double>();
  return std::nullopt;
}

struct Place {
  Point centre;
  std::string name;
};

std::vector<Place> sites_in_window(const Built& b) {
  std::vector<Place> out;
  for (const design::BumpSite& s : b.layout.sites) {
    const Point c{layout::to_nm(s.x_m), layout::to_nm(s.y_m)};
    if (in_window(b, c)) out.push_back({c, s.name});
  }
  return out;
}

std::vector<Place> pads_in_window(const Built& b) {
  std::vector<Place> out;
  for (const design::Pad& p : b.design.pads.pads) {
    const Point c{layout::to_nm(p.x_m), layout::to_nm(p.y_m)};
    if (in_window(b, c)) out.push_back({c, p.name});
  }
  return out;
}

const Point kDirections[] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};

/// Checks that a film is absent inside a disc or square of `size` around `centre` and present
/// just outside it, along ±x and ±y wherever the probes lie in the window: the edge is within
/// `tolerance` of size / 2. Returns the number of directions checked.
int check_opening(const Built& b, FilmIndex film, Point centre, Nm size, Nm tolerance, const std::string& what) {
  int checked = 0;
  const Stack& middle = b.model.stack_at(centre);
  EXPECT_FALSE(holds(middle, film)) << what << ": " << b.model.film(film).name << " covers the centre "
                                    << describe(b.model, middle);
  for (const Point& d : kDirections) {
    const Nm inside = size / 2 - tolerance, outside = size / 2 + tolerance;
    const Point out_p = at(centre, d.x * outside, d.y * outside);
    if (!in_window(b, out_p)) continue;
    ++checked;
    if (inside > 0) {
      const Point in_p = at(centre, d.x * inside, d.y * inside);
      EXPECT_FALSE(holds(b.model.stack_at(in_p), film))
          << what << ": " << b.model.film(film).name << " present " << layout::to_um(inside)
          << " um from the centre, inside the " << layout::to_um(size)
          << " um opening: " << describe(b.model, b.model.stack_at(in_p));
    }
    EXPECT_TRUE(holds(b.model.stack_at(out_p), film))
        << what << ": " << b.model.film(film).name << " absent " << layout::to_um(outside)
        << " um from the centre, outside the " << layout::to_um(size)
        << " um opening: " << describe(b.model, b.model.stack_at(out_p));
  }
  return checked;
}

/// The reverse: a feature of `size` (the film present inside, absent outside).
int check_feature(const Built& b, FilmIndex film, Point centre, Nm size, Nm tolerance, const std::string& what) {
  int checked = 0;
  for (const Point& d : kDirections) {
    const Nm inside = size / 2 - tolerance, outside = size / 2 + tolerance;
    const Point out_p = at(centre, d.x * outside, d.y * outside);
    if (!in_window(b, out_p)) continue;
    ++checked;
    const Point in_p = at(centre, d.x * inside, d.y * inside);
    EXPECT_TRUE(holds(b.model.stack_at(in_p), film))
        << what << ": " << b.model.film(film).name << " absent " << layout::to_um(inside)
        << " um from the centre of the " << layout::to_um(size)
        << " um feature: " << describe(b.model, b.model.stack_at(in_p));
    EXPECT_FALSE(holds(b.model.stack_at(out_p), film))
        << what << ": " << b.model.film(film).name << " present " << layout::to_um(outside)
        << " um from the centre of the " << layout::to_um(size)
        << " um feature: " << describe(b.model, b.model.stack_at(out_p));
  }
  return checked;
}

/// The cell holding the film over the largest area (metrology's "field").
const process::Cell* field_cell(const process::WaferModel& m, FilmIndex film) {
  const process::Cell* best = nullptr;
  double best_um2 = -1;
  for (const process::Cell& cell : m.cells()) {
    if (!holds(m.stack(cell.stack), film)) continue;
    const double a = layout::area_um2(cell.region);
    if (a > best_um2) best_um2 = a, best = &cell;
  }
  return best;
}

/// Whether a later step thins the layer everywhere (an etch-back or a polish of that layer):
/// its field thickness is then not the coat's.
bool thinned_after(const design::Design& d, const std::string& layer, int step_index) {
  for (const design::Step& s : d.recipe.steps) {
    if (s.index <= step_index) continue;
    if (s.op == "etch" && s.text("target") == layer && !s.has("mask")) return true;
    if (s.op == "polish" && s.text("layer") == layer) return true;
  }
  return false;
}

/// The closed form of a coated stack layer's field thickness (nm): what the coat step put
/// there, (as applied) + P (mean top before the coat − the column's top), shrunk by the cure
/// for a liquid (spin-coated) film; a dry laminated film neither shrinks nor is applied
/// thicker. `bottom_nm` is the column's top before the coat (the film's bottom).
double coated_field_thickness_nm(const Built& b, const design::Step& coat, double bottom_nm) {
  const design::StackLayer* layer = b.design.layer_named(*coat.text("layer"));
  const bool liquid = coat.op == "spin_coat";
  const double shrink = liquid ? shrinkage(b.design, layer->material) : 0.0;
  const double applied_nm = std::round(static_cast<double>(layout::to_nm(layer->thickness_m)) / (1.0 - shrink));
  const double planarization = coat.number("planarization").value_or(liquid ? 0.5 : 0.9);
  const double mean_before = b.mean_top_before_nm[static_cast<std::size_t>(coat.index - 1)];
  return (applied_nm + planarization * (mean_before - bottom_nm)) * (1.0 - shrink);
}

/// The field thickness (nm) of a coated stack layer by the closed form, where the model holds
/// it over the largest area.
std::optional<double> expected_coated_field_nm(const Built& b, const std::string& layer) {
  for (const design::Step& s : b.design.recipe.steps) {
    if ((s.op != "spin_coat" && s.op != "laminate") || s.text("layer") != layer) continue;
    const auto films = b.model.films_named(layer);
    if (films.empty()) return std::nullopt;
    const process::Cell* cell = field_cell(b.model, films.back());
    if (!cell) return std::nullopt;
    return coated_field_thickness_nm(
        b, s, static_cast<double>(lowest_of(b.model.stack(cell->stack), films.back())->z_bottom));
  }
  return std::nullopt;
}

/// The field thickness (nm) of a stack layer as the design and recipe make it, if the layer
/// is on the wafer.
std::optional<double> expected_field_nm(const Built& b, const design::StackLayer& layer) {
  for (const design::Step* s : steps_with_op(b.design, "deposit"))
    if (s->text("layer") == layer.name) return static_cast<double>(layout::to_nm(layer.thickness_m));
  return expected_coated_field_nm(b, layer.name);
}

class ExampleMetrology : public ::testing::TestWithParam<std::string> {};

// --- the list of examples ----------------------------------------------------------------------

TEST(ExampleMetrologyList, EveryExampleFileIsListed) {
  std::set<std::string> on_disk;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_dir() / "examples"))
    if (entry.path().extension() == ".toml") on_disk.insert(entry.path().stem().string());
  std::set<std::string> listed(kExamples.begin(), kExamples.end());
  EXPECT_EQ(on_disk, listed) << "a new example goes into kExamples";
}

// --- stack layers ------------------------------------------------------------------------------

// Deposited layers have the design thickness in the field (kZ: deposition adds an exact number
// of nanometres). Coated layers: the step applies design / (1 − shrinkage) on a flat field (a
// rounded nm), and the field thickness metrology reports is the coat model's closed form
// (rounded surface, rounded cure: 2 kZ, plus 1 for the mean's own rounding). Layers that a
// later etch-back or polish thins (the S3 resin) are checked by the S3 test.
void check_stack_layers(const Built& b) {
  int checked = 0;
  for (const design::StackLayer& layer : b.design.stack) {
    SCOPED_TRACE(layer.name);
    const auto films = b.model.films_named(layer.name);
    if (films.empty() || b.model.film_volumes_m3()[films.back()] <= 0) {
      // Only a sacrificial layer may leave the wafer.
      EXPECT_EQ(layer.role, design::LayerRole::Sacrificial) << "layer missing from the finished wafer";
      continue;
    }
    // The applied thickness reported by the coat step, against the design through the
    // material's cure shrinkage (data/materials.toml).
    int coat_index = 0;
    for (const design::Step& s : b.design.recipe.steps) {
      if ((s.op != "spin_coat" && s.op != "laminate") || s.text("layer") != layer.name) continue;
      coat_index = s.index;
      const double applied_m = b.reports[static_cast<std::size_t>(s.index - 1)].numbers.at("applied_thickness_m");
      const double shrink = s.op == "spin_coat" ? shrinkage(b.design, layer.material) : 0.0;
      EXPECT_NEAR(applied_m * (1.0 - shrink), layer.thickness_m, 1e-9)
          << s.label() << " applies " << applied_m * 1e6 << " um";
    }
    if (coat_index > 0 && thinned_after(b.design, layer.name, coat_index)) continue;
    const auto expected_nm = expected_field_nm(b, layer);
    ASSERT_TRUE(expected_nm) << "no deposit or coat step makes the layer";
    const nlohmann::json* measured = measured_film(b, layer.name);
    ASSERT_NE(measured, nullptr);
    const double field_nm = (*measured)["thickness_field_um"].get<double>() * 1e3;
    EXPECT_NEAR(field_nm, *expected_nm, coat_index > 0 ? 3.0 * kZ : 0.5 * kZ)
        << "design " << layer.thickness_m * 1e6 << " um, " << (coat_index > 0 ? "coated" : "deposited");
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

// --- openings ----------------------------------------------------------------------------------

// Every stack layer with openings has them at the design size at every pad or site in the
// window (kMaskExact: the openings are dry-etched or developed through the mask, both exact);
// metrology's CD agrees. S0's via is the opening the pillar leaves in the inter-metal layer.
void check_openings(const Built& b) {
  int checked = 0;
  for (const design::StackLayer& layer : b.design.stack) {
    if (layer.opening == "none") continue;
    SCOPED_TRACE(layer.name);
    const auto films = b.model.films_named(layer.name);
    ASSERT_FALSE(films.empty());
    const Nm size = layout::to_nm(layer.opening_size_m);
    const std::vector<Place> places = layer.opening == "pads" ? pads_in_window(b) : sites_in_window(b);
    int directions = 0;
    for (const Place& p : places) directions += check_opening(b, films.back(), p.centre, size, kMaskExact, p.name);
    EXPECT_GT(directions, 0) << "no opening of the layer in the window";
    if (const nlohmann::json* m = measured_film(b, layer.name); m && m->contains("openings")) {
      EXPECT_NEAR((*m)["openings"]["cd_um"].get<double>(), layer.opening_size_m * 1e6, layout::to_um(kMaskExact));
    }
    checked += directions > 0 ? 1 : 0;
  }
  if (const auto* s0 = std::get_if<design::SacrificialVia>(&b.design.interconnect)) {
    for (const design::StackLayer* glass : b.design.layers_with(design::LayerRole::InterMetal)) {
      SCOPED_TRACE("via in " + glass->name);
      const auto films = b.model.films_named(glass->name);
      ASSERT_FALSE(films.empty());
      for (const Place& p : pads_in_window(b))
        checked +=
            check_opening(b, films.back(), p.centre, layout::to_nm(s0->via_size_m), kMaskExact, p.name) > 0 ? 1 : 0;
      const nlohmann::json* m = measured_film(b, glass->name);
      ASSERT_TRUE(m && m->contains("openings"));
      EXPECT_NEAR((*m)["openings"]["cd_um"].get<double>(), s0->via_size_m * 1e6, layout::to_um(kMaskExact));
    }
  }
  EXPECT_GT(checked, 0);
}

// --- bumps -----------------------------------------------------------------------------------

/// The radius (m) of the wettable pad the design gives a bump: B0 the UBM, S3 the UBM, S4 the
/// stud or column top; less what an isotropic etch of its top film undercuts (by the step's
/// `undercut`, else its etched depth: the film's thickness).
std::optional<double> design_pad_radius_m(const Built& b) {
  auto undercut_of = [&](const std::string& material, double thickness_m) {
    for (const design::Step* s : steps_with_op(b.design, "etch")) {
      if (s->text("target") != material || !s->has("mask")) continue;
      const bool isotropic = s->flag("isotropic").value_or(s->text("method") == "wet");
      if (!isotropic) return 0.0;
      return s->number("undercut").value_or(s->number("depth").value_or(thickness_m));
    }
    return 0.0;
  };
  if (const auto* b0 = std::get_if<design::UbmBall>(&b.design.interconnect)) {
    const design::MetalFilm& top = b0->ubm_layers.back();
    return b0->ubm_diameter_m / 2 - undercut_of(top.material, top.thickness_m);
  }
  if (const auto* s3 = std::get_if<design::PostUbmResin>(&b.design.interconnect))
    return s3->ubm_diameter_m / 2 - undercut_of(s3->ubm_material, s3->ubm_thickness_m);
  if (const auto* s4 = std::get_if<design::EmbeddedSection>(&b.design.interconnect))
    return s4->tiers.back().section_diameter_m / 2;
  return std::nullopt;
}

bool makes_bumps(const design::Design& d) {
  if (!steps_with_op(d, "place_balls").empty()) return true;
  for (const design::Step* s : steps_with_op(d, "print"))
    if (const design::Material* m = d.material(s->text("material").value_or("")); m && m->material_class == "solder")
      return true;
  return false;
}

// One bump per populated site in the window; a solder bump holds the design's ball volume
// (0.1 %, the issue), stands at the height of the cap closed form on its wetted pad (1e-9: the
// same Cardano root) and wets the whole pad the design gives it (half kLateral on a radius: the
// pad's outline is a polygon); a metallized plastic ball has the design's diameter, core and
// coatings (1 nm); the apex above the die surface is the highest bump's.
void check_bumps(const Built& b) {
  const auto& bodies = b.model.bodies;
  if (!b.design.bumps || !makes_bumps(b.design)) {
    EXPECT_TRUE(bodies.empty()) << "no step of the recipe makes bumps";
    EXPECT_FALSE(b.metrology.contains("bump_apex_above_die_surface_um"));
    return;
  }
  const auto sites = sites_in_window(b);
  ASSERT_FALSE(sites.empty());
  EXPECT_EQ(bodies.size(), sites.size());
  const double ball_d = b.design.bumps->ball_diameter_m;
  const bool plastic = std::holds_alternative<design::AdhesiveCylinder>(b.design.interconnect);
  double apex_um = 0;
  for (const process::SolderBody& body : bodies) {
    SCOPED_TRACE(body.site);
    if (plastic) {
      const auto& s1 = std::get<design::AdhesiveCylinder>(b.design.interconnect);
      EXPECT_EQ(body.shape, process::SolderBody::Shape::Sphere);
      EXPECT_NEAR(body.height_m, s1.ball_diameter_m, 1e-9);
      EXPECT_NEAR(body.radius_m, s1.ball_diameter_m / 2, 1e-9);
      ASSERT_EQ(body.shells.size(), s1.ball_coating.size() + 1);
      double r = s1.ball_diameter_m / 2;
      for (std::size_t i = s1.ball_coating.size(); i-- > 0;) r -= s1.ball_coating[i].thickness_m;
      EXPECT_EQ(b.model.film(body.shells[0].first).material, s1.ball_core);
      EXPECT_NEAR(body.shells[0].second, r, 1e-9);
      for (std::size_t i = 0; i < s1.ball_coating.size(); ++i) {
        r += s1.ball_coating[i].thickness_m;
        EXPECT_EQ(b.model.film(body.shells[i + 1].first).material, s1.ball_coating[i].material);
        EXPECT_NEAR(body.shells[i + 1].second, r, 1e-9);
      }
    } else {
      ASSERT_EQ(body.shape, process::SolderBody::Shape::Cap) << "solder bumps are reflowed";
      const double ball_m3 = process::sphere_volume_m3(ball_d);
      EXPECT_NEAR(body.volume_m3, ball_m3, 1e-3 * ball_m3)
          << "bump volume " << body.volume_m3 * 1e18 << " um3 = a "
          << std::cbrt(6 * body.volume_m3 / std::numbers::pi) * 1e6 << " um ball, design " << ball_d * 1e6 << " um";
      // The solder first fills the pad's hollows (a UBM dipping into its passivation opening),
      // then stands on the pad plane as a cap.
      EXPECT_GE(body.dip_volume_m3, 0.0);
      EXPECT_LE(body.z_floor, body.z_base);
      const process::BumpCap cap = process::bump_cap(body.volume_m3 - body.dip_volume_m3, body.pad_radius_m);
      EXPECT_NEAR(body.height_m, cap.height_m, 1e-9 * cap.height_m);
      EXPECT_NEAR(body.radius_m, cap.sphere_radius_m, 1e-9 * cap.sphere_radius_m);
      // What metrology reports against the cap of the design's ball volume on that pad: the
      // volume within 0.1 % moves height and width by less than 0.1 %.
      const process::BumpCap design_cap = process::bump_cap(ball_m3 - body.dip_volume_m3, body.pad_radius_m);
      for (const auto& entry : b.metrology["bumps"]) {
        if (entry["site"] != body.site) continue;
        EXPECT_NEAR(entry["height_um"].get<double>(), design_cap.height_m * 1e6, 1e-3 * design_cap.height_m * 1e6);
        EXPECT_NEAR(entry["diameter_um"].get<double>(), design_cap.max_diameter_m * 1e6,
                    1e-3 * design_cap.max_diameter_m * 1e6);
        EXPECT_NEAR(entry["volume_um3"].get<double>(), ball_m3 * 1e18, 1e-3 * ball_m3 * 1e18);
      }
      const auto pad_m = design_pad_radius_m(b);
      ASSERT_TRUE(pad_m);
      EXPECT_NEAR(body.pad_radius_m, *pad_m, layout::to_m(kLateral) / 2)
          << "the bump wets a pad of radius " << body.pad_radius_m * 1e6 << " um, the design's is " << *pad_m * 1e6
          << " um";
    }
    // The apex: the bump's base (checked against the design's stack per structure) plus its
    // height (a sphere's height is its diameter).
    EXPECT_NEAR(body.centre_z_m() + body.radius_m, layout::to_m(body.z_base) + body.height_m, 1e-12);
    apex_um = std::max(apex_um, (layout::to_m(body.z_base) + body.height_m) * 1e6);
  }
  ASSERT_TRUE(b.metrology.contains("bump_apex_above_die_surface_um"));
  EXPECT_NEAR(b.metrology["bump_apex_above_die_surface_um"].get<double>(), apex_um, 1e-9 * apex_um);
  ASSERT_EQ(b.metrology["bumps"].size(), bodies.size());
}

// --- per structure -----------------------------------------------------------------------------

/// The bump at a site, or null.
const process::SolderBody* body_at(const Built& b, const std::string& site) {
  for (const process::SolderBody& body : b.model.bodies)
    if (body.site == site) return &body;
  return nullptr;
}

/// Sum of the design thicknesses of the passivation layers (deposited, exact).
Nm passivation_nm(const design::Design& d) {
  Nm t = 0;
  for (const design::StackLayer* l : d.layers_with(design::LayerRole::Passivation)) t += layout::to_nm(l->thickness_m);
  return t;
}

// B0: pad metal of the design size; UBM films of the design thickness, of the UBM diameter less
// what their wet etch undercuts (kLateral); the ball on the UBM at pad + UBM height (kZ).
void check_b0(const Built& b) {
  const auto& b0 = std::get<design::UbmBall>(b.design.interconnect);
  const auto sites = sites_in_window(b);
  ASSERT_FALSE(sites.empty());
  // The pad metal is the film of the deposit that the pads mask patterns.
  const design::Step* pad_etch = step_drawing(b, "etch", layout::Feature::Pads);
  ASSERT_NE(pad_etch, nullptr);
  std::optional<FilmIndex> pad_film;
  for (const design::Step* s : steps_with_op(b.design, "deposit"))
    if (s->index < pad_etch->index && s->text("material") == b.design.pads.material)
      pad_film = film_of_step(b.model, s);
  ASSERT_TRUE(pad_film);
  for (const Place& site : sites) {
    SCOPED_TRACE(site.name);
    EXPECT_GT(check_feature(b, *pad_film, site.centre, layout::to_nm(b.design.pads.size_m), kMaskExact, "pad"), 0);
    EXPECT_EQ(thickness_in(b.model.stack_at(site.centre), *pad_film), layout::to_nm(b.design.pads.thickness_m));
    Nm ubm_nm = 0;
    for (const design::MetalFilm& film : b0.ubm_layers) {
      SCOPED_TRACE(film.name);
      const design::Step* deposit = nullptr;
      for (const design::Step* s : steps_with_op(b.design, "deposit"))
        if (s->text("material") == film.material && s->number("thickness") == film.thickness_m) deposit = s;
      ASSERT_NE(deposit, nullptr) << "no deposit of the UBM film";
      const auto index = film_of_step(b.model, deposit);
      ASSERT_TRUE(index);
      EXPECT_EQ(thickness_in(b.model.stack_at(site.centre), *index), layout::to_nm(film.thickness_m));
      ubm_nm += layout::to_nm(film.thickness_m);
      double undercut_m = 0;
      for (const design::Step* s : steps_with_op(b.design, "etch"))
        if (s->text("target") == film.material && s->has("mask") &&
            s->flag("isotropic").value_or(s->text("method") == "wet"))
          undercut_m = s->number("undercut").value_or(s->number("depth").value_or(film.thickness_m));
      const auto width = feature_width_um(b, deposit->name, site.name);
      ASSERT_TRUE(width) << "metrology measured no UBM film at the site";
      EXPECT_NEAR(*width, (b0.ubm_diameter_m - 2 * undercut_m) * 1e6, layout::to_um(kLateral))
          << "UBM diameter " << b0.ubm_diameter_m * 1e6 << " um, undercut " << undercut_m * 1e6 << " um";
    }
    const process::SolderBody* body = body_at(b, site.name);
    ASSERT_NE(body, nullptr);
    // The solder fills the UBM's dip in the opening (its floor) and pins at the UBM rim, which
    // lies on the passivation: the cap's plane is the highest UBM top at the site.
    EXPECT_EQ(body->z_floor, layout::to_nm(b.design.pads.thickness_m) + ubm_nm)
        << "the ball fills the UBM down to the opening";
    EXPECT_GE(body->z_base, body->z_floor);
  }
}

// S0: the via reaches the lower metal and is filled (barrier of the design thickness, then the
// conductor, up to the dielectric's surface: a damascene surface is flat); the strip-shaped line
// is recess_depth deep below the dielectric's top and line_width wide (kMaskExact), and the
// conductor is nowhere else.
void check_s0(const Built& b) {
  const auto& s0 = std::get<design::SacrificialVia>(b.design.interconnect);
  const auto glass_layers = b.design.layers_with(design::LayerRole::InterMetal);
  ASSERT_EQ(glass_layers.size(), 1U);
  const auto glass_films = b.model.films_named(glass_layers.front()->name);
  ASSERT_FALSE(glass_films.empty());
  const FilmIndex glass = glass_films.back();
  const process::MaterialIndex barrier = [&] {
    for (std::size_t i = 0; i < b.model.material_count(); ++i)
      if (b.model.material_id(static_cast<process::MaterialIndex>(i)) == s0.barrier_material)
        return static_cast<process::MaterialIndex>(i);
    return process::MaterialIndex{0};
  }();
  ASSERT_EQ(b.model.material_id(barrier), s0.barrier_material) << "no barrier on the wafer";
  auto conductive = [&](const Interval& p) {
    const design::Material* m = b.design.material(b.model.material_id(p.material));
    return m && m->material_class == "metal";
  };
  const auto pads = pads_in_window(b);
  ASSERT_FALSE(pads.empty());
  // The dielectric's top in the field: where the model holds the glass over the largest area.
  const process::Cell* field = field_cell(b.model, glass);
  ASSERT_NE(field, nullptr);
  const Nm glass_top = highest_of(b.model.stack(field->stack), glass)->z_top;
  for (const Place& pad : pads) {
    SCOPED_TRACE(pad.name);
    // The via: barrier right on the lower metal, then conductor to the glass top.
    const Stack& via = b.model.stack_at(pad.centre);
    auto barrier_at = std::find_if(via.begin(), via.end(), [&](const Interval& p) { return p.material == barrier; });
    ASSERT_TRUE(barrier_at != via.end()) << describe(b.model, via);
    ASSERT_TRUE(barrier_at != via.begin());
    EXPECT_TRUE(conductive(*(barrier_at - 1))) << "the via must land on the lower metal: " << describe(b.model, via);
    EXPECT_EQ(barrier_at->thickness(), layout::to_nm(s0.barrier_thickness_m));
    for (auto p = barrier_at; p != via.end(); ++p) {
      EXPECT_TRUE(conductive(*p)) << describe(b.model, via);
      if (p + 1 != via.end()) {
        EXPECT_EQ((p + 1)->z_bottom, p->z_top) << "void in the via: " << describe(b.model, via);
      }
    }
    EXPECT_EQ(via.back().z_top, glass_top)
        << "the filled via ends at the dielectric's surface (" << glass_top << " nm)";
    // The line, half-way along it (or as far as the window reaches), and the recess under it.
    const Nm line_y = pad.centre.y + layout::to_nm(s0.via_offset_m);
    const Nm half_w = layout::to_nm(s0.line_width_m) / 2;
    const Nm along = std::min(layout::to_nm(s0.line_length_m) / 2, b.model.window().hi.x - pad.centre.x - kLateral);
    const Point on_line{pad.centre.x + along, line_y};
    ASSERT_GT(along, layout::to_nm(s0.via_size_m)) << "the window must reach past the via along the line";
    const Stack& line = b.model.stack_at(on_line);
    const Interval* floor = highest_of(line, glass);
    ASSERT_NE(floor, nullptr) << describe(b.model, line);
    EXPECT_EQ(glass_top - floor->z_top, layout::to_nm(s0.recess_depth_m))
        << "recess depth below the dielectric's top: " << describe(b.model, line);
    EXPECT_EQ(line.back().z_top, glass_top) << "the line's surface is the dielectric's: " << describe(b.model, line);
    // The line's width: conductor inside, none outside (nor anywhere in the field).
    auto has_conductor_above_glass = [&](Point p) {
      const Stack& s = b.model.stack_at(p);
      const Interval* g = highest_of(s, glass);
      return std::any_of(s.begin(), s.end(),
                         [&](const Interval& q) { return conductive(q) && g && q.z_bottom >= g->z_top; });
    };
    for (const Nm dy : {half_w - kMaskExact, -(half_w - kMaskExact)})
      EXPECT_TRUE(has_conductor_above_glass(Point{on_line.x, line_y + dy}))
          << "inside the line at dy = " << dy << " nm";
    for (const Nm dy : {half_w + kMaskExact, -(half_w + kMaskExact)}) {
      const Point p{on_line.x, line_y + dy};
      if (in_window(b, p)) {
        EXPECT_FALSE(has_conductor_above_glass(p))
            << "conductor outside the line at dy = " << dy << " nm: " << describe(b.model, b.model.stack_at(p));
      }
    }
  }
}

/// S1 conservation: all the fill the print step put in is in the finished wafer, though the
/// balls sank through it: the adhesive less its cure shrinkage, or the solder paste's metal in
/// the joints (metal_volume_fraction; both from data/materials.toml). 0.1 %, as the ball volume.
void check_s1_fill_volume(const Built& b, const std::string& fill_material, bool solder_paste) {
  const auto prints = steps_with_op(b.design, "print");
  ASSERT_EQ(prints.size(), 1U);
  const double printed_m3 = b.reports[static_cast<std::size_t>(prints.front()->index - 1)].numbers.at("paste_volume_m3");
  const design::Material* m = b.design.material(fill_material);
  ASSERT_NE(m, nullptr);
  const bool cured = !steps_with_op(b.design, "cure").empty();
  const double expected_m3 = printed_m3 * (solder_paste ? m->nominal("metal_volume_fraction").value_or(0.5)
                                                        : 1.0 - (cured ? shrinkage(b.design, fill_material) : 0.0));
  double fill_m3 = 0;
  const auto volumes = b.model.film_volumes_m3();
  for (std::size_t i = 0; i < volumes.size(); ++i) {
    const process::Film& f = b.model.film(static_cast<FilmIndex>(i));
    if (f.material == fill_material && f.kind != process::FilmKind::Ball) fill_m3 += volumes[i];
  }
  EXPECT_NEAR(fill_m3, expected_m3, 1e-3 * expected_m3)
      << "printed " << printed_m3 * 1e18 << " um3 of " << fill_material << ", finished wafer holds " << fill_m3 * 1e18
      << " um3";
}

// S1: the fill (conductive adhesive or solder paste) is in each cover opening and nowhere else
// (in the field between sites there is none), and under each ball it joins the land to the ball
// (no void from the land up to the ball); the ball sits at the free end of its opening: at the
// rim of the cover, or on the land when the cover is too thin to hold it (kMaskExact: the rim
// is a mask polygon); no fill is lost (check_s1_fill_volume).
void check_s1(const Built& b) {
  const auto& s1 = std::get<design::AdhesiveCylinder>(b.design.interconnect);
  // The fill: films of the fill material (printed paste, or the solder it melts into), not the
  // balls' shells.
  auto is_fill = [&](FilmIndex f) {
    const process::Film& film = b.model.film(f);
    return film.material == s1.fill_material && film.kind != process::FilmKind::Ball;
  };
  auto holds_fill = [&](const Stack& s) {
    return std::any_of(s.begin(), s.end(), [&](const Interval& p) { return is_fill(p.film); });
  };
  const auto covers = b.design.layers_with(design::LayerRole::Cover);
  ASSERT_EQ(covers.size(), 1U);
  const FilmIndex cover = b.model.films_named(covers.front()->name).back();
  const auto rdl_step = step_drawing(b, "electroplate", layout::Feature::Rdl);
  const auto rdl = film_of_step(b.model, rdl_step);
  ASSERT_TRUE(rdl);
  const auto sites = sites_in_window(b);
  ASSERT_FALSE(sites.empty());
  check_s1_fill_volume(b, s1.fill_material, s1.fill == "solder_paste");
  const Nm a = layout::to_nm(s1.opening_diameter_m) / 2;
  for (const Place& site : sites) {
    SCOPED_TRACE(site.name);
    // Half-way between the centre and the opening's edge, under the ball.
    const Point under{site.centre.x + a / 2, site.centre.y};
    const Stack& s = b.model.stack_at(under);
    const Interval* land = highest_of(s, *rdl);
    ASSERT_NE(land, nullptr) << describe(b.model, s);
    const process::SolderBody* body = body_at(b, site.name);
    ASSERT_NE(body, nullptr);
    bool after_land = false, joined = true, filled = false;
    Nm z = land->z_top;
    std::set<FilmIndex> ball_films;
    for (const auto& [film, r] : body->shells) ball_films.insert(film);
    for (const Interval& p : s) {
      if (&p == land) {
        after_land = true;
        continue;
      }
      if (!after_land) continue;
      if (p.z_bottom != z) joined = false;
      if (is_fill(p.film)) filled = true;
      if (ball_films.count(p.film)) break;
      z = p.z_top;
    }
    EXPECT_TRUE(filled) << "no fill in the opening: " << describe(b.model, s);
    EXPECT_TRUE(joined) << "a void between the land and the ball: " << describe(b.model, s);
    // Where the ball rests: touching the cover's rim, unless it reaches the land first.
    const Stack& rim_column = b.model.stack_at(Point{site.centre.x + a + kMaskExact, site.centre.y});
    const Interval* rim = highest_of(rim_column, cover);
    ASSERT_NE(rim, nullptr) << describe(b.model, rim_column);
    const double R = s1.ball_diameter_m / 2, am = layout::to_m(a);
    const double on_rim_m = layout::to_m(rim->z_top) - (R - std::sqrt(R * R - am * am));
    const double expected_m = std::max(on_rim_m, layout::to_m(highest_of(b.model.stack_at(site.centre), *rdl)->z_top));
    EXPECT_NEAR(layout::to_m(body->z_base), expected_m, layout::to_m(kMaskExact));
    // No fill in the field half-way between two sites.
    const Point between{site.centre.x + b.layout.pitch / 2, site.centre.y};
    if (in_window(b, between)) {
      EXPECT_FALSE(holds_fill(b.model.stack_at(between)))
          << "fill left on the cover between sites: " << describe(b.model, b.model.stack_at(between));
    }
  }
}

// S2: the vias through polyimide and passivation are filled with conductor from the contact
// point to the top pad (no void, no dielectric), the via fill is nowhere else (a field point
// between two pads carries no metal above the polyimide), and the top pads have the design size
// (kMaskExact) and thickness of top-pad metal (kZ).
void check_s2(const Built& b) {
  const auto& s2 = std::get<design::PolyimideVia>(b.design.interconnect);
  const auto thick = b.design.layers_with(design::LayerRole::Dielectric);
  ASSERT_EQ(thick.size(), 1U);
  const FilmIndex polyimide = b.model.films_named(thick.front()->name).back();
  const design::Step* pad_plating = step_drawing(b, "electroplate", layout::Feature::TopPads);
  const auto top_pad = film_of_step(b.model, pad_plating);
  ASSERT_TRUE(top_pad);
  auto is_metal = [&](const Interval& p) {
    const design::Material* m = b.design.material(b.model.material_id(p.material));
    return m && m->material_class == "metal";
  };
  const auto pads = pads_in_window(b);
  ASSERT_FALSE(pads.empty());
  for (const Place& pad : pads) {
    SCOPED_TRACE(pad.name);
    const Stack& via = b.model.stack_at(pad.centre);
    const Interval* top = highest_of(via, *top_pad);
    ASSERT_NE(top, nullptr) << describe(b.model, via);
    // From the contact (the pad metal, the first metal above the substrate) up to the top pad.
    auto first_metal =
        std::find_if(via.begin(), via.end(), [&](const Interval& p) { return p.z_bottom >= 0 && is_metal(p); });
    ASSERT_TRUE(first_metal != via.end());
    for (auto p = first_metal; p != via.end(); ++p) {
      EXPECT_TRUE(is_metal(*p)) << "dielectric in the via: " << describe(b.model, via);
      if (p + 1 != via.end()) {
        EXPECT_EQ((p + 1)->z_bottom, p->z_top) << "void in the via: " << describe(b.model, via);
      }
    }
    // Top pad size along the directions the window allows.
    EXPECT_GT(check_feature(b, *top_pad, pad.centre, layout::to_nm(s2.top_pad_size_m), kMaskExact, "top pad"), 0);
    // Top-pad metal above the polyimide's top, beside the via (a quarter of the pad from it).
    const Stack& beside = b.model.stack_at(at(pad.centre, layout::to_nm(s2.top_pad_size_m) / 4, 0));
    const Interval* pi = highest_of(beside, polyimide);
    ASSERT_NE(pi, nullptr) << describe(b.model, beside);
    Nm pad_metal = 0;
    for (const Interval& p : beside)
      if (p.z_bottom >= pi->z_top && b.model.material_id(p.material) == s2.top_pad_material) pad_metal += p.thickness();
    EXPECT_EQ(pad_metal, layout::to_nm(s2.top_pad_thickness_m))
        << "top pad metal (" << s2.top_pad_material << ") above the polyimide: " << describe(b.model, beside);
    // The field between this pad and the next: no metal above the polyimide.
    Nm spacing = 0;  // to the nearest pad on the same row
    for (const design::Pad& other : b.design.pads.pads) {
      const Nm dx = std::abs(layout::to_nm(other.x_m) - pad.centre.x);
      if (layout::to_nm(other.y_m) == pad.centre.y && dx > 0 && (spacing == 0 || dx < spacing)) spacing = dx;
    }
    const Point between = at(pad.centre, spacing / 2, 0);
    if (spacing > 0 && in_window(b, between)) {
      const Stack& field = b.model.stack_at(between);
      const Interval* field_pi = highest_of(field, polyimide);
      ASSERT_NE(field_pi, nullptr);
      for (const Interval& p : field)
        EXPECT_FALSE(is_metal(p) && p.z_bottom >= field_pi->z_top)
            << "metal left on the polyimide between pads (shorts the vias): " << describe(b.model, field);
    }
  }
}

// S3: the post stands post_height above the land (seed part + plated or printed part, kZ) and
// is post_diameter wide (kLateral); the UBM on it is ubm_thickness thick (kZ) and ubm_diameter
// wide less its wet-etch undercut (kLateral); the resin around the post meets the UBM's
// underside (full contact, or within the ring for FIG 3; with the adhesive of claim 7 when the
// design has one) or, separated, is resin thickness thick on the metal under the rim and stays
// post height − resin thickness (less that metal) below the rim (kZ); with full contact the
// resin around the UBM reaches its underside too; the bump fills the UBM down to the post and
// stands on the UBM's rim.
void check_s3(const Built& b) {
  const auto& s3 = std::get<design::PostUbmResin>(b.design.interconnect);
  const auto resin_layers = b.design.layers_with(design::LayerRole::Resin);
  ASSERT_EQ(resin_layers.size(), 1U);
  const design::StackLayer& resin_layer = *resin_layers.front();
  const FilmIndex resin = b.model.films_named(resin_layer.name).back();
  const auto rdl = film_of_step(b.model, step_drawing(b, "electroplate", layout::Feature::Rdl));
  ASSERT_TRUE(rdl);
  // The post: the thickest plating of the post material (process A), else the printed paste
  // (process B).
  const design::Step* post_step = nullptr;
  for (const design::Step* s : steps_with_op(b.design, "electroplate"))
    if (s->text("material") == s3.post_material &&
        (!post_step || s->number("thickness").value_or(0) > post_step->number("thickness").value_or(0)))
      post_step = s;
  if (!post_step && !steps_with_op(b.design, "print").empty()) post_step = steps_with_op(b.design, "print").front();
  ASSERT_NE(post_step, nullptr);
  const auto post = film_of_step(b.model, post_step);
  ASSERT_TRUE(post);
  // The UBM: plated through the UBM mask, or a laminated foil.
  const design::Step* ubm_step = step_drawing(b, "electroplate", layout::Feature::Ubm);
  if (!ubm_step && !steps_with_op(b.design, "foil_laminate").empty())
    ubm_step = steps_with_op(b.design, "foil_laminate").front();
  ASSERT_NE(ubm_step, nullptr);
  std::optional<FilmIndex> ubm;
  for (FilmIndex f : films_of_step(b.model, ubm_step->index))
    if (b.model.film(f).material == s3.ubm_material) ubm = f;
  ASSERT_TRUE(ubm);
  const auto pad_m = design_pad_radius_m(b);
  ASSERT_TRUE(pad_m);
  const double ubm_width_m = 2 * *pad_m;  // the UBM diameter less its etch undercut
  const auto sites = sites_in_window(b);
  ASSERT_FALSE(sites.empty());
  for (const Place& site : sites) {
    SCOPED_TRACE(site.name);
    const Stack& centre = b.model.stack_at(site.centre);
    const Interval* land = highest_of(centre, *rdl);
    const Interval* post_top = highest_of(centre, *post);
    const Interval* ubm_top = highest_of(centre, *ubm);
    ASSERT_TRUE(land && post_top && ubm_top) << describe(b.model, centre);
    EXPECT_EQ(post_top->z_top - land->z_top, layout::to_nm(s3.post_height_m))
        << "post height: " << describe(b.model, centre);
    EXPECT_EQ(ubm_top->z_top - post_top->z_top, layout::to_nm(s3.ubm_thickness_m))
        << "UBM thickness: " << describe(b.model, centre);
    const auto post_w = feature_width_um(b, b.model.film(*post).name, site.name);
    ASSERT_TRUE(post_w);
    EXPECT_NEAR(*post_w, s3.post_diameter_m * 1e6, layout::to_um(kLateral)) << "post diameter";
    const auto ubm_w = feature_width_um(b, b.model.film(*ubm).name, site.name);
    ASSERT_TRUE(ubm_w);
    EXPECT_NEAR(*ubm_w, ubm_width_m * 1e6, layout::to_um(kLateral)) << "UBM diameter";
    // Beside the post, half-way to the UBM's edge (to the ring's, for a ring contact), in the
    // first direction the window allows: the resin fills down to the metal under it and meets
    // the UBM's underside (through the adhesive of claim 7 when the design has one), or stays
    // resin-thickness above the land, post height − resin thickness below the UBM, when
    // separated.
    const bool ring = s3.resin_contact == "ring";
    const Nm post_r = layout::to_nm(s3.post_diameter_m) / 2;
    const Nm contact_r = layout::to_nm(ring ? s3.resin_ring_diameter_m : s3.ubm_diameter_m) / 2;
    const Nm ubm_r = layout::to_nm(s3.ubm_diameter_m) / 2;
    const Nm adhesive = s3.adhesive_material.empty() ? 0 : layout::to_nm(s3.adhesive_thickness_m);
    auto is_metal = [&](const Interval& q) {
      const design::Material* m = b.design.material(b.model.material_id(q.material));
      return m && m->material_class == "metal";
    };
    // The UBM's underside in a column: the bottom of the metal touching the UBM film from below
    // (its sputtered seed, in process A).
    auto ubm_underside = [&](const Stack& s) -> std::optional<Nm> {
      auto it = std::find_if(s.begin(), s.end(), [&](const Interval& q) { return q.film == *ubm; });
      if (it == s.end()) return std::nullopt;
      while (it != s.begin() && (it - 1)->z_top == it->z_bottom && is_metal(*(it - 1))) --it;
      return it->z_bottom;
    };
    // (In a lambda: an ASSERT ends this check only, the next ones still run.)
    [&] {
      for (const Point& d : kDirections) {
        const Point p = at(site.centre, d.x * (post_r + contact_r) / 2, d.y * (post_r + contact_r) / 2);
        if (!in_window(b, p)) continue;
        const Stack& s = b.model.stack_at(p);
        const Interval* on_land = highest_of(s, *rdl);
        const auto underside = ubm_underside(s);
        ASSERT_TRUE(on_land && underside) << describe(b.model, s);
        // The resin under the UBM: the highest resin interval below its underside, and the resin
        // under it down to what it lies on.
        auto top = s.end();
        for (auto it = s.begin(); it != s.end(); ++it)
          if (it->film == resin && it->z_top <= *underside) top = it;
        ASSERT_TRUE(top != s.end()) << "no resin under the UBM beside the post: " << describe(b.model, s);
        auto bottom = top;
        while (bottom != s.begin() && (bottom - 1)->film == resin && (bottom - 1)->z_top == bottom->z_bottom) --bottom;
        ASSERT_TRUE(bottom != s.begin());
        EXPECT_TRUE((bottom - 1)->z_top == bottom->z_bottom && is_metal(*(bottom - 1)))
            << "the resin fills down to the metal: " << describe(b.model, s);
        if (s3.resin_contact == "separated") {
          // Under the UBM rim the resin may lie on metal above the land (process A: the post
          // seed, which a wet etch cannot reach under the rim): what lies between is all metal,
          // the resin is resin-thickness thick on it, the rim rests at the post top, and the gap
          // is post height − resin thickness less that metal.
          const Nm floor = bottom->z_bottom;
          Nm metal_nm = 0;
          for (const Interval& q : s)
            if (q.z_bottom >= on_land->z_top && q.z_top <= floor && is_metal(q)) metal_nm += q.thickness();
          EXPECT_EQ(metal_nm, floor - on_land->z_top)
              << "only metal between the land and the resin: " << describe(b.model, s);
          EXPECT_EQ(top->z_top - floor, layout::to_nm(resin_layer.thickness_m))
              << "resin thickness beside the post: " << describe(b.model, s);
          EXPECT_EQ(*underside - on_land->z_top, layout::to_nm(s3.post_height_m))
              << "the UBM rim at the post top: " << describe(b.model, s);
          EXPECT_EQ(*underside - top->z_top,
                    layout::to_nm(s3.post_height_m - resin_layer.thickness_m) - (floor - on_land->z_top))
              << "gap between the resin and the UBM: " << describe(b.model, s);
        } else {
          EXPECT_EQ(*underside - top->z_top, adhesive)
              << "the resin meets the UBM's underside: " << describe(b.model, s);
        }
        // Ring contact: between the ring and the UBM's edge the resin does not reach the UBM.
        if (ring) {
          const Point gap_p = at(site.centre, d.x * (contact_r + ubm_r) / 2, d.y * (contact_r + ubm_r) / 2);
          const Stack& g = b.model.stack_at(gap_p);
          const auto g_underside = ubm_underside(g);
          ASSERT_TRUE(g_underside) << describe(b.model, g);
          for (const Interval& q : g)
            EXPECT_FALSE(q.film == resin && q.z_top + adhesive >= *g_underside && q.z_top <= *g_underside)
                << "resin touches the UBM outside the ring: " << describe(b.model, g);
        }
        return;
      }
      ADD_FAILURE() << "no point beside the post in the window";
    }();
    // Full contact: around the UBM the resin reaches at least its underside.
    if (s3.resin_contact == "full") {
      const Point outside = at(site.centre, layout::to_nm(s3.ubm_diameter_m) / 2 + 5 * kLateral, 0);
      const Stack& s = b.model.stack_at(outside);
      const Interval* r_high = highest_of(s, resin);
      ASSERT_NE(r_high, nullptr) << describe(b.model, s);
      EXPECT_GE(r_high->z_top, post_top->z_top) << "resin around the UBM below its underside: " << describe(b.model, s);
    }
    const process::SolderBody* body = body_at(b, site.name);
    ASSERT_NE(body, nullptr);
    // The bump wets the UBM and fills it down to the post (its lowest wetted point); it stands
    // on the UBM's rim, which lies higher where the foil's adhesive (claim 7) holds the foil
    // above the resin but not above the post (seed 003 FIG 8B).
    EXPECT_EQ(body->z_floor, ubm_top->z_top) << "the bump fills the UBM down to the post";
    const Stack& rim = b.model.stack_at(at(site.centre, (post_r + ubm_r) / 2, 0));
    const Interval* rim_top = highest_of(rim, *ubm);
    ASSERT_NE(rim_top, nullptr) << describe(b.model, rim);
    EXPECT_EQ(body->z_base, rim_top->z_top) << "the bump stands on the UBM's rim: " << describe(b.model, rim);
  }
}

// S4: each buffer tier is buffer_thickness thick in the field (kZ: the polish plane is set from
// the layer's bottom in the field); each stud or column is section_diameter wide (kLateral) and
// polished flush with its buffer (kZ); the land finish of the recipe lies on top; the bump
// stands on it at passivation + insulating film (closed form) + buffers + finish (3 kZ).
void check_s4(const Built& b) {
  const auto& s4 = std::get<design::EmbeddedSection>(b.design.interconnect);
  // Buffer films: the coats of the tiers' buffer materials, in order.
  std::vector<FilmIndex> buffers;
  for (const design::Step* s : steps_with_op(b.design, "spin_coat"))
    if (!s->has("layer") && buffers.size() < s4.tiers.size() &&
        s->text("material") == s4.tiers[buffers.size()].buffer_material)
      if (auto f = film_of_step(b.model, s)) buffers.push_back(*f);
  ASSERT_EQ(buffers.size(), s4.tiers.size());
  const auto films = b.design.layers_with(design::LayerRole::Dielectric);
  ASSERT_EQ(films.size(), 1U);
  const auto film_nm = expected_coated_field_nm(b, films.front()->name);
  ASSERT_TRUE(film_nm);
  Nm buffers_nm = 0;
  for (std::size_t t = 0; t < s4.tiers.size(); ++t) {
    SCOPED_TRACE(s4.tiers[t].name);
    const nlohmann::json* m = measured_film(b, b.model.film(buffers[t]).name);
    ASSERT_NE(m, nullptr);
    EXPECT_NEAR((*m)["thickness_field_um"].get<double>(), s4.tiers[t].buffer_thickness_m * 1e6, layout::to_um(kZ) / 2);
    buffers_nm += layout::to_nm(s4.tiers[t].buffer_thickness_m);
  }
  Nm finish_nm = 0;
  std::optional<FilmIndex> finish;
  for (const design::Step* s : steps_with_op(b.design, "deposit"))
    if (s->text("method") == "electroless")
      finish_nm += layout::to_nm(*s->number("thickness")), finish = film_of_step(b.model, s);
  EXPECT_EQ(s4.land_finish != "none", finish.has_value()) << "land finish " << s4.land_finish;
  const auto sites = sites_in_window(b);
  ASSERT_FALSE(sites.empty());
  for (const Place& site : sites) {
    SCOPED_TRACE(site.name);
    const Stack& column = b.model.stack_at(site.centre);
    for (std::size_t t = 0; t < s4.tiers.size(); ++t) {
      const auto sections = b.model.films_named(s4.tiers[t].name);
      ASSERT_FALSE(sections.empty()) << "no section film " << s4.tiers[t].name;
      const auto w = feature_width_um(b, s4.tiers[t].name, site.name);
      ASSERT_TRUE(w);
      EXPECT_NEAR(*w, s4.tiers[t].section_diameter_m * 1e6, layout::to_um(kLateral)) << "section diameter";
      const Interval* top = highest_of(column, sections.back());
      const process::Cell* field = field_cell(b.model, buffers[t]);
      ASSERT_TRUE(top && field) << describe(b.model, column);
      EXPECT_EQ(top->z_top, highest_of(b.model.stack(field->stack), buffers[t])->z_top)
          << "section flush with its buffer";
    }
    if (finish) {
      // The finish lies on the last tier's section top.
      const Interval* on = lowest_of(column, *finish);
      const Interval* section_top = highest_of(column, b.model.films_named(s4.tiers.back().name).back());
      ASSERT_TRUE(on && section_top) << describe(b.model, column);
      EXPECT_EQ(on->z_bottom, section_top->z_top) << describe(b.model, column);
      EXPECT_EQ(thickness_in(column, *finish), finish_nm);
    }
    const process::SolderBody* body = body_at(b, site.name);
    ASSERT_NE(body, nullptr);
    EXPECT_NEAR(static_cast<double>(body->z_base),
                static_cast<double>(passivation_nm(b.design)) + *film_nm + static_cast<double>(buffers_nm + finish_nm),
                3.0 * kZ)
        << "bump base: passivation + insulating film + buffers + finish";
  }
}

void check_structure(const Built& b) {
  switch (b.design.structure) {
    case design::Structure::B0:
      return check_b0(b);
    case design::Structure::S0:
      return check_s0(b);
    case design::Structure::S1:
      return check_s1(b);
    case design::Structure::S2:
      return check_s2(b);
    case design::Structure::S3:
      return check_s3(b);
    case design::Structure::S4:
      return check_s4(b);
  }
  ADD_FAILURE() << "no check for structure " << design::to_string(b.design.structure);
}

// One test per example, so that ctest (one process per test) builds each example once. Each
// part runs in its own function: an ASSERT ends that part only.
TEST_P(ExampleMetrology, MeetsTheDesignNumbers) {
  const Built& b = example(GetParam());
  ASSERT_EQ(b.error, "") << GetParam() << " must build";
  {
    SCOPED_TRACE("stack layer thicknesses");
    check_stack_layers(b);
  }
  {
    SCOPED_TRACE("openings");
    check_openings(b);
  }
  {
    SCOPED_TRACE("bumps");
    check_bumps(b);
  }
  {
    SCOPED_TRACE(design::to_string(b.design.structure) + " structure");
    check_structure(b);
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, ExampleMetrology, ::testing::ValuesIn(kExamples),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                           std::string name = param.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

}  // namespace
