// The checks that stop a build (docs/process-model.md, "Checks that stop a build"). Each test
// takes a bundled example, changes its recipe (or one design value) as little as possible so that
// it becomes physically impossible in exactly one way, builds it in-process on a small window and
// asserts that the build stops at the right step: one diagnostic at that step's table or key,
// naming the step's number, name and op, every step before it run (and no other), and the
// numbers the user needs. The numbers are computed here from the design values, or read from the
// wafer model just before the failing step where they depend on the coat planarization; never
// read back from the message. Two tests run the wlpkit binary to check the printed message.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "layout/die_layout.h"
#include "process/build.h"
#include "support/test_support.h"

namespace {

using namespace wlp;
namespace fs = std::filesystem;

fs::path examples_dir() { return test::source_dir() / "examples"; }

// --- editing an example -------------------------------------------------------------------------

/// A bundled example with edits to its text. It is written into a scratch copy of examples/, so
/// its includes resolve as they do for the original.
class EditedExample {
 public:
  explicit EditedExample(std::string name)
      : name_(std::move(name)), text_(test::read_text(examples_dir() / (name_ + ".toml"))) {}

  /// Replaces the only occurrence of `from` in the file.
  EditedExample& replace(const std::string& from, const std::string& to) {
    const std::size_t at = text_.find(from);
    EXPECT_NE(at, std::string::npos) << name_ << " has no " << from;
    EXPECT_EQ(text_.find(from, at + 1), std::string::npos) << name_ << " has " << from << " more than once";
    if (at != std::string::npos) text_.replace(at, from.size(), to);
    return *this;
  }

  /// Sets `key = value` (value written as TOML) in the step's table.
  EditedExample& set(const std::string& step, const std::string& key, const std::string& value) {
    const auto [begin, end] = block(step);
    const std::string line = key + " = ";
    std::size_t at = text_.find("\n" + line, begin);
    if (at != std::string::npos && at < end) {
      const std::size_t eol = text_.find('\n', at + 1);
      text_.replace(at + 1, eol - at - 1, line + value);
    } else {
      const std::size_t after_name = text_.find('\n', text_.find("name = ", begin)) + 1;
      text_.insert(after_name, line + value + "\n");
    }
    return *this;
  }

  /// Deletes the step's table.
  EditedExample& remove_step(const std::string& step) {
    const auto [begin, end] = block(step);
    text_.erase(begin, end - begin);
    return *this;
  }

  /// Moves the step's table to right after the table of `after`.
  EditedExample& move_step_after(const std::string& step, const std::string& after) {
    const auto [begin, end] = block(step);
    const std::string moved = text_.substr(begin, end - begin);
    text_.erase(begin, end - begin);
    return insert_after(after, moved);
  }

  /// Inserts TOML text (whole `[[recipe.step]]` tables) right after the table of `after`.
  EditedExample& insert_after(const std::string& after, const std::string& tables) {
    const std::size_t end = block(after).second;
    text_.insert(end, tables);
    return *this;
  }

  /// Appends TOML text (tables that override the included files' by name) to the file.
  EditedExample& append(const std::string& tables) {
    text_ += "\n" + tables;
    return *this;
  }

  /// Writes the edited file over its copy in a scratch copy of examples/ and returns its path.
  [[nodiscard]] fs::path write(const test::ScratchDir& scratch) const {
    const fs::path folder = scratch.path() / "examples";
    fs::copy(examples_dir(), folder, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
    return scratch.write("examples/" + name_ + ".toml", text_);
  }

  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  /// [begin, end) of the step's table in the text: from its `[[recipe.step]]` header to the next
  /// table header (or the end of the file).
  [[nodiscard]] std::pair<std::size_t, std::size_t> block(const std::string& step) const {
    const std::size_t begin = text_.find("[[recipe.step]]\nname = \"" + step + "\"\n");
    if (begin == std::string::npos) {
      ADD_FAILURE() << name_ << " has no step " << step << " in its own file";
      return {text_.size(), text_.size()};
    }
    const std::size_t next = text_.find("\n[", begin + 1);
    return {begin, next == std::string::npos ? text_.size() : next + 1};
  }

  std::string name_;
  std::string text_;
};

/// A new step table in TOML, fields given as `key = value` lines.
std::string step_table(const std::string& name, const std::string& op, const std::vector<std::string>& fields) {
  std::string text = fmt::format("[[recipe.step]]\nname = \"{}\"\nop = \"{}\"\n", name, op);
  for (const std::string& field : fields) text += field + "\n";
  return text + "\n";
}

// --- building in-process ------------------------------------------------------------------------

using Watch = std::function<void(const process::StepReport&, const process::WaferModel&)>;

struct Outcome {
  design::Design design;
  layout::DieLayout layout;
  layout::Box window;
  fs::path file;                                // the edited design file
  std::vector<std::string> ran;                 // the steps that ran, in order
  std::vector<design::Diagnostic> diagnostics;  // why the build stopped (empty if it did not)
};

/// Builds the edited example on a window (the default cut's strip, or the first site's cell).
/// `watch` sees the model after every step that ran.
Outcome build(const EditedExample& example, process::WindowKind kind, const Watch& watch = nullptr) {
  const test::ScratchDir scratch;
  const fs::path file = example.write(scratch);
  design::Design design = test::load(file);
  layout::DieLayout die = layout::build_die_layout(design);
  const process::CutLine cut = process::default_cut(design, die);
  const layout::Box window = process::build_window(design, die, cut, kind);
  process::WaferModel model = process::make_model(design, die, window);
  std::vector<std::string> ran;
  std::vector<design::Diagnostic> diagnostics;
  try {
    process::run_recipe(model, design, die, process::BuildOptions{},
                        [&](const process::StepReport& report, const process::WaferModel& m) {
                          ran.push_back(report.name);
                          if (watch) watch(report, m);
                        });
  } catch (const design::InputError& error) {
    diagnostics = error.diagnostics();
  }
  return Outcome{std::move(design), std::move(die), window, file, std::move(ran), std::move(diagnostics)};
}

const design::Step& step_named(const design::Design& design, const std::string& name) {
  for (const design::Step& step : design.recipe.steps)
    if (step.name == name) return step;
  throw std::runtime_error("no step " + name);
}

/// "step 7 'anneal-sog' (anneal)": the step's position in the recipe, its name and op.
std::string label_of(const design::Design& design, const std::string& name) {
  const auto& steps = design.recipe.steps;
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == name) return fmt::format("step {} '{}' ({})", i + 1, name, steps[i].op);
  return "no step " + name;
}

/// The build stopped at the step named `step`: one diagnostic, located in the design file at the
/// step's `key` (its table when empty) with the key path recipe.step[i](.key), the message naming
/// the step; every step before it ran and no other. Returns the message.
std::string stopped_at(const Outcome& outcome, const std::string& step, const std::string& key = "") {
  const auto& steps = outcome.design.recipe.steps;
  std::size_t position = steps.size();
  for (std::size_t i = 0; i < steps.size(); ++i)
    if (steps[i].name == step) position = i;
  EXPECT_LT(position, steps.size()) << "no step " << step;
  if (position == steps.size()) return "";
  std::vector<std::string> before;
  for (std::size_t i = 0; i < position; ++i) before.push_back(steps[i].name);
  EXPECT_EQ(outcome.ran, before) << "the steps before " << step << " must run, and no other";
  EXPECT_EQ(outcome.diagnostics.size(), 1U);
  if (outcome.diagnostics.empty()) return "";
  const design::Diagnostic& d = outcome.diagnostics.front();
  EXPECT_EQ(d.key_path, fmt::format("recipe.step[{}]{}", position, key.empty() ? "" : "." + key));
  const design::SourcePos& expected = key.empty() ? steps[position].where : steps[position].param_where.at(key);
  EXPECT_TRUE(expected.is_known());
  EXPECT_EQ(d.where.line, expected.line);
  EXPECT_EQ(fs::path(d.where.file).filename(), fs::path(expected.file).filename());
  EXPECT_NE(d.message.find(label_of(outcome.design, step)), std::string::npos) << d.message;
  return d.message;
}

#define EXPECT_HAS(message, part) \
  EXPECT_NE((message).find(part), std::string::npos) << "no \"" << (part) << "\" in: " << (message)

// --- numbers as the user reads them -------------------------------------------------------------

layout::Nm nm_of(double length_m) { return layout::to_nm(length_m); }
std::string um(layout::Nm length) { return fmt::format("{:.3f} um", static_cast<double>(length) / 1000.0); }
std::string celsius(double kelvin) { return fmt::format("{:.0f} C", kelvin - 273.15); }

double layer_thickness_m(const design::Design& design, const std::string& layer) {
  const design::StackLayer* found = design.layer_named(layer);
  EXPECT_NE(found, nullptr) << layer;
  return found ? found->thickness_m : 0.0;
}

double step_number(const design::Design& design, const std::string& step, const std::string& key) {
  const auto value = step_named(design, step).number(key);
  EXPECT_TRUE(value.has_value()) << step << "." << key;
  return value.value_or(0.0);
}

double decomposition_K(const design::Design& design, const std::string& material) {
  const design::Material* m = design.material(material);
  EXPECT_NE(m, nullptr) << material;
  return m ? m->nominal("decomposition_temperature").value_or(0.0) : 0.0;
}

/// The bump sites inside the window, in layout order.
std::vector<const design::BumpSite*> sites_in(const Outcome& outcome) {
  std::vector<const design::BumpSite*> out;
  for (const design::BumpSite& site : outcome.layout.sites)
    if (outcome.window.contains(layout::Point{nm_of(site.x_m), nm_of(site.y_m)})) out.push_back(&site);
  return out;
}

/// The shapes a recipe mask draws, clipped to the window, one polygon per connected opening.
layout::Region drawn_in_window(const Outcome& outcome, const std::string& mask) {
  for (std::size_t i = 0; i < outcome.layout.layers.size(); ++i)
    if (outcome.layout.layers[i].mask == mask)
      return layout::merged(layout::region_and(outcome.layout.flat(static_cast<int>(i)),
                                                layout::Region{layout::box_polygon(outcome.window)}));
  ADD_FAILURE() << "the layout has no mask " << mask;
  return {};
}

layout::Point box_centre(const layout::Polygon& polygon) {
  const layout::Box box = layout::bounding_box(polygon.outer);
  return layout::Point{(box.lo.x + box.hi.x) / 2, (box.lo.y + box.hi.y) / 2};
}

/// The highest top of a film's intervals (lowest value when absent).
layout::Nm film_top_nm(const process::WaferModel& model, const std::string& film) {
  layout::Nm top_nm = std::numeric_limits<layout::Nm>::min();
  const auto films = model.films_named(film);
  for (const process::Cell& cell : model.cells())
    for (const process::Interval& piece : model.stack(cell.stack))
      if (std::find(films.begin(), films.end(), piece.film) != films.end()) top_nm = std::max(top_nm, piece.z_top);
  return top_nm;
}

/// Runs `take` on the model right after the step named `step`.
Watch after(const std::string& step, std::function<void(const process::WaferModel&)> take) {
  return [step, take = std::move(take)](const process::StepReport& report, const process::WaferModel& model) {
    if (report.name == step) take(model);
  };
}

// --- S0: the sacrificial pillar, the anneal and the barrier -------------------------------------

// An anneal hotter than the glass's decomposition burns out the second material with the first.
TEST(RecipeChecks, S0AnnealThatDecomposesTheGlassStops) {
  const Outcome o =
      build(EditedExample("s0").set("anneal-decompose-pillar", "temperature", "\"850 C\""), process::WindowKind::Cut);
  const std::string message = stopped_at(o, "anneal-decompose-pillar", "temperature");
  const design::StackLayer* glass = o.design.layer_named("glass");
  ASSERT_NE(glass, nullptr);
  EXPECT_HAS(message, "'glass'");
  EXPECT_HAS(message, glass->material);
  EXPECT_HAS(message, celsius(step_number(o.design, "anneal-decompose-pillar", "temperature")));  // 850 C
  EXPECT_HAS(message, celsius(decomposition_K(o.design, glass->material)));                      // 800 C
  EXPECT_HAS(message, "second material must outlast the anneal");
}

// An anneal below the pillar's decomposition leaves the first material in place: every step runs,
// and the build stops at the end naming the anneal and both temperatures.
TEST(RecipeChecks, S0AnnealBelowThePillarDecompositionLeavesTheSacrificialLayer) {
  const Outcome o =
      build(EditedExample("s0").set("anneal-decompose-pillar", "temperature", "\"250 C\""), process::WindowKind::Cut);
  std::vector<std::string> all;
  for (const design::Step& step : o.design.recipe.steps) all.push_back(step.name);
  EXPECT_EQ(o.ran, all);
  ASSERT_EQ(o.diagnostics.size(), 1U);
  const design::Diagnostic& d = o.diagnostics.front();
  const design::Step& anneal = step_named(o.design, "anneal-decompose-pillar");
  EXPECT_EQ(d.key_path, fmt::format("recipe.step[{}].temperature", anneal.index - 1));
  EXPECT_EQ(d.where.line, anneal.param_where.at("temperature").line);
  EXPECT_HAS(d.message, label_of(o.design, "anneal-decompose-pillar"));
  const design::StackLayer* pillar = o.design.layer_named("pillar");
  ASSERT_NE(pillar, nullptr);
  EXPECT_HAS(d.message, "'pillar'");
  EXPECT_HAS(d.message, "still on the wafer at the end");
  EXPECT_HAS(d.message, celsius(decomposition_K(o.design, pillar->material)));  // 300 C
  EXPECT_HAS(d.message, celsius(anneal.number("temperature").value_or(0)));     // 250 C
}

// The pillar's top and the lowest surface, as the model has them right before the anneal.
struct PillarLevels {
  layout::Nm pillar_top_nm = 0, lowest_nm = 0;
};

void expect_pillar_not_open(const Outcome& o, const PillarLevels& levels) {
  const std::string message = stopped_at(o, "anneal-decompose-pillar");
  EXPECT_HAS(message, "'pillar'");
  EXPECT_HAS(message, "not open to the surface");
  EXPECT_HAS(message, "top at z = " + um(levels.pillar_top_nm));
  EXPECT_HAS(message, "lowest surface z = " + um(levels.lowest_nm));
}

// The recess etched after the anneal: the anneal burns out a pillar still covered by the glass.
TEST(RecipeChecks, S0RecessEtchedAfterTheAnnealStopsTheAnneal) {
  PillarLevels levels;
  const Outcome o = build(EditedExample("s0").move_step_after("etch-recess", "anneal-decompose-pillar"),
                          process::WindowKind::Cut, after("lithography-line", [&](const process::WaferModel& m) {
                            levels = {film_top_nm(m, "pillar"), m.lowest_top()};
                          }));
  expect_pillar_not_open(o, levels);
}

// An overlay error as wide as the recess and the pillar together: the recess runs beside the
// pillar, never over it in projection.
TEST(RecipeChecks, S0RecessBesideThePillarStopsTheAnneal) {
  PillarLevels levels;
  const Outcome o = build(EditedExample("s0").replace("via_offset = \"0.1 um\"", "via_offset = \"1 um\""),
                          process::WindowKind::Cut, after("etch-recess", [&](const process::WaferModel& m) {
                            levels = {film_top_nm(m, "pillar"), m.lowest_top()};
                          }));
  const auto& via = std::get<design::SacrificialVia>(o.design.interconnect);
  ASSERT_GE(via.via_offset_m, (via.line_width_m + via.via_size_m) / 2) << "the recess must miss the pillar";
  expect_pillar_not_open(o, levels);
}

// Without the barrier deposit the copper seed would lie on the glass.
TEST(RecipeChecks, S0CopperWithoutItsBarrierStops) {
  const Outcome o = build(EditedExample("s0").remove_step("pvd-barrier"), process::WindowKind::Cut);
  const std::string message = stopped_at(o, "pvd-cu-seed", "material");
  const auto& via = std::get<design::SacrificialVia>(o.design.interconnect);
  const design::StackLayer* glass = o.design.layer_named("glass");
  ASSERT_NE(glass, nullptr);
  EXPECT_HAS(message, via.conductor);
  EXPECT_HAS(message, via.barrier_material);
  EXPECT_HAS(message, fmt::format("{:.3f} um", via.barrier_thickness_m * 1e6));  // 0.025 um
  EXPECT_HAS(message, "mostly " + glass->material);
  // The glass covers the window but for the via's floor, the lower metal where the pillar stood
  // (the pillar lies inside the recess: via_offset + via_size/2 < line_width/2).
  ASSERT_LT(via.via_offset_m + via.via_size_m / 2, via.line_width_m / 2);
  const double window_um2 = layout::to_um(o.window.width()) * layout::to_um(o.window.height());
  const double via_um2 = via.via_size_m * via.via_size_m * 1e12;
  EXPECT_HAS(message, fmt::format("{:.4g} um2", window_um2 - via_um2));
}

// --- plating: seed under and around every opening -----------------------------------------------

// The seed wet-etched right after it was sputtered: the resist openings of the redistribution
// layer show the polyimide. In the first site's cell the openings are the land and its wire.
TEST(RecipeChecks, PlatingWithTheSeedEtchedAwayStops) {
  const Outcome o = build(EditedExample("s4-embodiment1")
                              .move_step_after("etch-seed", "sputter-seed")
                              .move_step_after("etch-adhesion", "etch-seed"),
                          process::WindowKind::Cell);
  const std::string message = stopped_at(o, "electroplate-rdl", "mask");
  const design::StackLayer* film = o.design.layer_named("insulating-film");
  ASSERT_NE(film, nullptr);
  EXPECT_HAS(message, "its bottom is " + film->material);
  // The opening named is one of the mask's openings in the window: its centre and whole area.
  const layout::Region openings = drawn_in_window(o, "rdl");
  ASSERT_FALSE(openings.empty());
  bool named = false;
  for (const layout::Polygon& opening : openings)
    named |= message.find(layout::to_string(box_centre(opening))) != std::string::npos &&
             message.find(fmt::format("({:.4g} um2", layout::area_um2(layout::Region{opening}))) != std::string::npos;
  EXPECT_TRUE(named) << message;
}

// A second plating through the same mask after the seed etch: the lines are islands, with no
// metal under the resist around them to carry the current.
TEST(RecipeChecks, PlatingIsolatedLinesAfterTheSeedEtchStops) {
  const Outcome o = build(
      EditedExample("s4-embodiment1")
          .insert_after("etch-adhesion",
                        step_table("lithography-rdl-again", "lithography",
                                   {"mask = \"rdl\"", "resist = \"photoresist\"", "thickness = \"8 um\"",
                                    "tone = \"positive\""}) +
                            step_table("electroplate-rdl-again", "electroplate",
                                       {"material = \"Cu_ED\"", "thickness = \"2 um\"", "mask = \"rdl\""})),
      process::WindowKind::Cell);
  const std::string message = stopped_at(o, "electroplate-rdl-again", "mask");
  EXPECT_HAS(message, "seed is not continuous");
  const layout::Region openings = drawn_in_window(o, "rdl");
  ASSERT_FALSE(openings.empty());
  bool named = false;
  for (const layout::Polygon& opening : openings)
    named |= message.find("opening at " + layout::to_string(box_centre(opening))) != std::string::npos;
  EXPECT_TRUE(named) << message;
}

// The via fill plated with no barrier and seed under it: the blanket plating meets the polyimide
// everywhere but at the via floors, where the contact points show.
TEST(RecipeChecks, BlanketPlatingOverBareDielectricStops) {
  const Outcome o = build(EditedExample("s2").remove_step("sputter-via-barrier").remove_step("sputter-via-seed"),
                          process::WindowKind::Cut);
  const std::string message = stopped_at(o, "electroplate-via-fill");
  const double window_um2 = layout::to_um(o.window.width()) * layout::to_um(o.window.height());
  const double vias_um2 = layout::area_um2(drawn_in_window(o, "vias"));
  EXPECT_GT(vias_um2, 0.0);
  EXPECT_HAS(message, fmt::format("but {:.4g} um2 show", window_um2 - vias_um2));
}

// --- studs, columns and the polish --------------------------------------------------------------

// The polish plane set 20 um higher than the design's: it stops above the stud tops.
TEST(RecipeChecks, PolishPlaneAboveTheStudsStops) {
  const Outcome o =
      build(EditedExample("s4-embodiment1").set("polish-buffer", "thickness", "\"70 um\""), process::WindowKind::Cell);
  const std::string message = stopped_at(o, "polish-buffer", "thickness");
  const design::Design& d = o.design;
  ASSERT_TRUE(d.redistribution.has_value());
  const auto& s4 = std::get<design::EmbeddedSection>(d.interconnect);
  ASSERT_FALSE(s4.tiers.empty());
  // The cell holds no pad: oxide, nitride and polyimide lie flat, and the buffer's bottom in the
  // field is their top.
  const layout::Nm field_nm = nm_of(layer_thickness_m(d, "passivation-oxide")) +
                              nm_of(layer_thickness_m(d, "passivation-nitride")) +
                              nm_of(layer_thickness_m(d, "insulating-film"));
  const layout::Nm plane_nm = field_nm + nm_of(step_number(d, "polish-buffer", "thickness"));
  // The stud stands on its land: underlayers, plated line less the seed etch, then the stud.
  layout::Nm land_nm = field_nm + nm_of(d.redistribution->thickness_m) - nm_of(step_number(d, "etch-seed", "depth"));
  for (const auto& underlayer : d.redistribution->underlayers) land_nm += nm_of(underlayer.thickness_m);
  const layout::Nm stud_top_nm = land_nm + nm_of(s4.tiers.front().section_height_m);
  ASSERT_GT(plane_nm, stud_top_nm);
  const auto sites = sites_in(o);
  ASSERT_EQ(sites.size(), 1U);
  EXPECT_HAS(message, fmt::format("the {} at site {} buried", s4.tiers.front().name, sites.front()->name));
  EXPECT_HAS(message, "polish plane z = " + um(plane_nm));
  EXPECT_HAS(message, "its top is at z = " + um(stud_top_nm));
  EXPECT_HAS(message, um(plane_nm - stud_top_nm) + " below the surface");
}

// The studs bonded after the buffer coat: the wire meets the resin, not the land.
TEST(RecipeChecks, StudBondedOnTheBufferResinStops) {
  const Outcome o = build(EditedExample("s4-embodiment1").move_step_after("stud-bump", "spin-coat-buffer"),
                          process::WindowKind::Cell);
  const std::string message = stopped_at(o, "stud-bump");
  const auto sites = sites_in(o);
  ASSERT_EQ(sites.size(), 1U);
  const auto resin = step_named(o.design, "spin-coat-buffer").text("material");
  ASSERT_TRUE(resin.has_value());
  EXPECT_HAS(message, fmt::format("site {} ({}) shows no metal", sites.front()->name, *resin));
}

// The columns placed after the buffer coat: the conductive adhesive meets the resin.
TEST(RecipeChecks, ColumnFixedOnTheBufferResinStops) {
  const Outcome o = build(EditedExample("s4-embodiment3")
                              .replace("insert_after = \"clean-rdl\"", "insert_after = \"spin-coat-buffer\""),
                          process::WindowKind::Cell);
  const std::string message = stopped_at(o, "attach-columns");
  const auto sites = sites_in(o);
  ASSERT_EQ(sites.size(), 1U);
  const auto resin = step_named(o.design, "spin-coat-buffer").text("material");
  ASSERT_TRUE(resin.has_value());
  EXPECT_HAS(message, fmt::format("site {} ({}) shows no metal", sites.front()->name, *resin));
}

// --- reflow -------------------------------------------------------------------------------------

// The UBM's top film made of chromium (and etched as such): the ball sits on a metal solder does
// not wet.
TEST(RecipeChecks, ReflowOnANonWettableUbmStops) {
  // The surface under the site before a ball covers it: the top at the cell's centre (its site).
  std::optional<layout::Nm> surface_nm;
  bool balls_placed = false;
  const Outcome o = build(EditedExample("b0")
                              .set("sputter-ubm-wettable", "material", "\"Cr\"")
                              .set("etch-ubm-wettable", "target", "\"Cr\""),
                          process::WindowKind::Cell, [&](const process::StepReport& report, const process::WaferModel& m) {
                            balls_placed |= report.op == "place_balls";
                            if (balls_placed) return;
                            const layout::Box& w = m.window();
                            surface_nm = process::stack_top(m.stack_at({(w.lo.x + w.hi.x) / 2, (w.lo.y + w.hi.y) / 2}));
                          });
  const std::string message = stopped_at(o, "reflow");
  const auto sites = sites_in(o);
  ASSERT_EQ(sites.size(), 1U);
  const design::Material* cr = o.design.material("Cr");
  ASSERT_NE(cr, nullptr);
  ASSERT_FALSE(cr->is_solder_wettable);
  const layout::Point site{nm_of(sites.front()->x_m), nm_of(sites.front()->y_m)};
  ASSERT_TRUE(surface_nm.has_value());
  EXPECT_HAS(message, fmt::format("the ball at site {} ({}) sits on Cr at z = {:.3f} um", sites.front()->name,
                                  layout::to_string(site), layout::to_um(*surface_nm)));
}

// --- etches -------------------------------------------------------------------------------------

// The oxide etch told to stop on copper, which comes only with the UBM much later.
TEST(RecipeChecks, EtchStopMaterialAbsentStops) {
  const Outcome o =
      build(EditedExample("b0").set("etch-passivation-oxide", "stop_on", "\"Cu_ED\""), process::WindowKind::Cut);
  const std::string message = stopped_at(o, "etch-passivation-oxide", "stop_on");
  EXPECT_HAS(message, "the stop material Cu_ED is absent from the wafer");
}

// The oxide etch told to stop on the nitride above it: it reaches the Al pad instead.
TEST(RecipeChecks, EtchStopMaterialNeverReachedStops) {
  const Outcome o = build(EditedExample("b0").set("etch-passivation-oxide", "stop_on", "\"Si3N4_PECVD\""),
                          process::WindowKind::Cut);
  const std::string message = stopped_at(o, "etch-passivation-oxide", "stop_on");
  EXPECT_HAS(message, "should stop on Si3N4_PECVD");
  const design::PadSet& pads = o.design.pads;
  EXPECT_HAS(message, fmt::format("reached {} at z = {}", pads.material, um(nm_of(pads.thickness_m))));
}

// The oxide etched before the nitride over it: the resist openings show nitride only.
TEST(RecipeChecks, MaskThatMissesItsTargetStops) {
  const Outcome o = build(EditedExample("b0").move_step_after("etch-passivation-nitride", "etch-passivation-oxide"),
                          process::WindowKind::Cell);
  const std::string message = stopped_at(o, "etch-passivation-oxide", "mask");
  EXPECT_HAS(message, "mask 'passivation-openings' misses its target");
  EXPECT_HAS(message, "lands on Si3N4_PECVD, not on layer 'passivation-oxide'");
  // The cell holds one opening, over its site's pad: its centre and size.
  const layout::Region openings = drawn_in_window(o, "passivation-openings");
  ASSERT_EQ(openings.size(), 1U);
  const layout::Box box = layout::bounding_box(openings.front().outer);
  EXPECT_HAS(message, fmt::format("the opening at {} ({:.1f} x {:.1f} um)",
                                  layout::to_string(box_centre(openings.front())), layout::to_um(box.width()),
                                  layout::to_um(box.height())));
  const auto sites = sites_in(o);
  ASSERT_EQ(sites.size(), 1U);
  EXPECT_EQ(layout::to_string(box_centre(openings.front())),
            layout::to_string(layout::Point{nm_of(sites.front()->x_m), nm_of(sites.front()->y_m)}));
}

// The pad etch without the lithography before it.
TEST(RecipeChecks, EtchThroughAMaskNeverPatternedStops) {
  const Outcome o = build(EditedExample("b0").remove_step("lithography-pads"), process::WindowKind::Cut);
  const std::string message = stopped_at(o, "etch-pads", "mask");
  EXPECT_HAS(message, "mask 'pads' but no resist pattern is on the wafer");
  EXPECT_HAS(message, "pattern a resist with that mask first");
}

// The resist stripped before the etch it was patterned for.
TEST(RecipeChecks, EtchThroughAMaskWhoseResistWasStrippedStops) {
  const Outcome o = build(EditedExample("b0").move_step_after("etch-pads", "strip-pads"), process::WindowKind::Cut);
  const std::string message = stopped_at(o, "etch-pads", "mask");
  EXPECT_HAS(message, "mask 'pads' but no resist pattern is on the wafer");
  EXPECT_HAS(message, fmt::format("{} stripped the photoresist that {} patterned", label_of(o.design, "strip-pads"),
                                  label_of(o.design, "lithography-pads")));
}

// --- films thinner than the topography ----------------------------------------------------------

// The UBM resist coated 0.3 um thick over a 1 um pad step: the UBM on the pad rim stays above it.
TEST(RecipeChecks, ResistThinnerThanTheTopographyStops) {
  double mean_top_nm = 0;
  layout::Nm highest_nm = 0;
  const Outcome o = build(EditedExample("b0").set("lithography-ubm", "thickness", "\"0.3 um\""),
                          process::WindowKind::Cell, after("sputter-ubm-wettable", [&](const process::WaferModel& m) {
                            mean_top_nm = m.mean_top_nm();
                            highest_nm = m.highest_top();
                          }));
  const std::string message = stopped_at(o, "lithography-ubm");
  const design::Design& d = o.design;
  // The highest top: the UBM on the pad rim, over the pad and both passivation films.
  layout::Nm rim_nm = nm_of(d.pads.thickness_m) + nm_of(layer_thickness_m(d, "passivation-oxide")) +
                      nm_of(layer_thickness_m(d, "passivation-nitride"));
  for (const char* film : {"sputter-ubm-adhesion", "sputter-ubm-barrier", "sputter-ubm-wettable"})
    rim_nm += nm_of(step_number(d, film, "thickness"));
  EXPECT_EQ(highest_nm, rim_nm);
  const layout::Nm coat_nm = nm_of(step_number(d, "lithography-ubm", "thickness"));
  // A resist coat planarizes by half (docs/process-model.md): its surface over a top z is
  // 0.5 (z + t) + 0.5 (mean top + t).
  const auto surface_nm = static_cast<layout::Nm>(
      std::llround(0.5 * static_cast<double>(rim_nm + coat_nm) + 0.5 * (mean_top_nm + static_cast<double>(coat_nm))));
  ASSERT_LE(surface_nm, rim_nm);
  EXPECT_HAS(message,
             fmt::format("the {} coat of 'resist (lithography-ubm)' is thinner than the topography", um(coat_nm)));
  EXPECT_HAS(message, fmt::format("a feature top at z = {} stays above the coat surface ({} there)", um(rim_nm),
                                  um(surface_nm)));
}

// The FIG 1 resin made 10 um thick: half planarized, it cannot cover the 55 um posts with their
// UBMs, which it must (a stack layer).
TEST(RecipeChecks, StackLayerThinnerThanThePostsStops) {
  double mean_top_nm = 0;
  layout::Nm highest_nm = 0;
  const Outcome o = build(EditedExample("s3-fig1").append("[[stack]]\nname = \"resin\"\nthickness = \"10 um\"\n"),
                          process::WindowKind::Cell, after("etch-post-adhesion", [&](const process::WaferModel& m) {
                            mean_top_nm = m.mean_top_nm();
                            highest_nm = m.highest_top();
                          }));
  const std::string message = stopped_at(o, "spin-coat-resin");
  const design::StackLayer* resin = o.design.layer_named("resin");
  ASSERT_NE(resin, nullptr);
  const design::Material* m = o.design.material(resin->material);
  ASSERT_NE(m, nullptr);
  // A stack layer goes on thicker by its cure shrinkage; a spin coat planarizes by half unless
  // the step says otherwise (docs/process-model.md): over a top z its surface is
  // 0.5 (z + t) + 0.5 (mean top + t).
  ASSERT_FALSE(step_named(o.design, "spin-coat-resin").has("planarization"));
  const double shrink = m->nominal("cure_shrinkage").value_or(0.0);
  const auto coat_nm =
      static_cast<layout::Nm>(std::llround(static_cast<double>(nm_of(resin->thickness_m)) / (1.0 - shrink)));
  const auto surface_nm = static_cast<layout::Nm>(std::llround(0.5 * static_cast<double>(highest_nm + coat_nm) +
                                                               0.5 * (mean_top_nm + static_cast<double>(coat_nm))));
  ASSERT_LE(surface_nm, highest_nm);
  EXPECT_HAS(message, fmt::format("the {} coat of 'resin' is thinner than the topography", um(coat_nm)));
  EXPECT_HAS(message, fmt::format("a feature top at z = {} stays above the coat surface ({} there)", um(highest_nm),
                                  um(surface_nm)));
}

// --- through the wlpkit binary ------------------------------------------------------------------

/// The 1-based line of the only `key = value` line of the step's table in the text.
int line_of(const std::string& text, const std::string& step, const std::string& key_value) {
  const std::size_t table = text.find("[[recipe.step]]\nname = \"" + step + "\"\n");
  if (table == std::string::npos) return 0;
  const std::size_t at = text.find("\n" + key_value, table);
  if (at == std::string::npos) return 0;
  return static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at) + 1, '\n')) + 1;
}

std::size_t count_files(const fs::path& folder, const std::string& extension) {
  std::size_t n = 0;
  if (!fs::exists(folder)) return 0;
  for (const auto& entry : fs::directory_iterator(folder)) n += entry.path().extension() == extension ? 1 : 0;
  return n;
}

// wlpkit build prints file:line:column of the stop_on key, its key path, the step and the
// material; the figures of the steps before it are written, no result as if complete.
TEST(RecipeChecks, CliPrintsTheFileLineAndKeyOfAnAbsentStopMaterial) {
  const test::ScratchDir scratch;
  EditedExample example("b0");
  example.set("etch-passivation-oxide", "stop_on", "\"Cu_ED\"");
  const fs::path file = example.write(scratch);
  const auto out = scratch.path() / "out";
  const test::CliResult result =
      test::run_cli("build " + test::quoted(file.string()) + " -o " + test::quoted(out.string()) + " --no-3d");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  const design::Design design = test::load(file);
  const design::Step& etch = step_named(design, "etch-passivation-oxide");
  const int line = line_of(example.text(), etch.name, "stop_on = \"Cu_ED\"");
  ASSERT_GT(line, 0);
  EXPECT_HAS(result.err, fmt::format("b0.toml:{}:", line));
  EXPECT_HAS(result.err, fmt::format("error: recipe.step[{}].stop_on: {}: the stop material Cu_ED is absent",
                                     etch.index - 1, label_of(design, etch.name)));
  EXPECT_HAS(result.err, "steps before the failing one");
  EXPECT_EQ(count_files(out / "steps", ".png"), static_cast<std::size_t>(etch.index - 1));
  EXPECT_FALSE(fs::exists(out / "metrology.json"));
}

// S0 without its barrier: `wlpkit build` refuses the design on rule S0.BARRIER.BEFORE_CU; with
// --force the build runs up to the copper seed and stops there, at its material key.
TEST(RecipeChecks, CliStopsS0WithoutBarrierByRuleAndWhenForcedAtTheCopperSeed) {
  const test::ScratchDir scratch;
  EditedExample example("s0");
  example.remove_step("pvd-barrier");
  const fs::path file = example.write(scratch);
  const std::string args =
      "build " + test::quoted(file.string()) + " -o " + test::quoted((scratch.path() / "out").string());
  const test::CliResult refused = test::run_cli(args + " --no-3d");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_HAS(refused.out, "S0.BARRIER.BEFORE_CU");
  EXPECT_HAS(refused.err, "pass --force");

  const test::CliResult forced = test::run_cli(args + " --no-3d --force");
  EXPECT_EQ(forced.exit_code, 2) << forced.out << forced.err;
  const design::Design design = test::load(file);
  const design::Step& seed = step_named(design, "pvd-cu-seed");
  const int line = line_of(example.text(), seed.name, "material = \"Cu_ED\"");
  ASSERT_GT(line, 0);
  EXPECT_HAS(forced.err, fmt::format("s0.toml:{}:", line));
  EXPECT_HAS(forced.err, fmt::format("error: recipe.step[{}].material: {}: the Cu_ED would lie on bare dielectric",
                                     seed.index - 1, label_of(design, seed.name)));
  EXPECT_EQ(count_files(scratch.path() / "out" / "steps", ".png"), static_cast<std::size_t>(seed.index - 1));
}

}  // namespace
