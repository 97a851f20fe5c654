// The layouts of the bundled examples read by KLayout, an independent GDSII reader and DRC
// engine: shape counts and areas per layer equal wlpkit's, the generated DRC deck finds no
// marker on any example, and deliberately broken layouts give exactly the expected categories.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "layout/die_layout.h"
#include "layout/drc_deck.h"
#include "layout/layout_gds.h"
#include "support/test_support.h"

namespace wlp::layout {
namespace {

const char* const kExamples[] = {"b0.toml",           "s0.toml",           "s1-adhesive.toml",    "s1-solder-paste.toml",
                                 "s2.toml",           "s3-fig1.toml",      "s3-fig2.toml",        "s3-fig3.toml",
                                 "s3-process-a.toml", "s3-process-b.toml", "s4-embodiment1.toml", "s4-embodiment2.toml",
                                 "s4-embodiment3.toml"};

design::Design example(const std::string& name) { return test::load(test::source_dir() / "examples" / name); }

struct LayerStats {
  long shapes = 0;
  double area_um2 = 0;
};

std::map<std::pair<int, int>, LayerStats> klayout_stats(const std::filesystem::path& gds, const std::string& top) {
  const auto result = test::run_klayout(test::source_dir() / "tests/layout/klayout/layer_stats.py", {{"in_gds", gds.string()}, {"top_cell", top}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::map<std::pair<int, int>, LayerStats> stats;
  std::istringstream lines(result.out);
  std::string spec;
  LayerStats s;
  while (lines >> spec >> s.shapes >> s.area_um2) {
    const auto slash = spec.find('/');
    stats[{std::stoi(spec.substr(0, slash)), std::stoi(spec.substr(slash + 1))}] = s;
  }
  return stats;
}

// Shapes per layer after expanding every instance, counted from the library wlpkit wrote.
void count_shapes(const gds::Library& library, const std::string& cell_name, long multiplicity,
                  std::map<std::pair<int, int>, long>& counts) {
  const gds::Cell* cell = library.find(cell_name);
  ASSERT_NE(cell, nullptr) << cell_name;
  for (const auto& b : cell->boundaries) counts[{b.layer.layer, b.layer.datatype}] += multiplicity;
  for (const auto& p : cell->paths) counts[{p.layer.layer, p.layer.datatype}] += multiplicity;
  for (const auto& r : cell->refs) count_shapes(library, r.cell, multiplicity, counts);
  for (const auto& a : cell->arrays) count_shapes(library, a.cell, multiplicity * a.columns * a.rows, counts);
}

double perimeter_um(const Region& region) {
  double length = 0;
  for (const Polygon& polygon : region) {
    std::vector<const Ring*> rings{&polygon.outer};
    for (const Ring& hole : polygon.holes) rings.push_back(&hole);
    for (const Ring* ring : rings)
      for (std::size_t i = 0; i < ring->size(); ++i) {
        const Point a = (*ring)[i], b = (*ring)[(i + 1) % ring->size()];
        length += std::hypot(to_um(b.x - a.x), to_um(b.y - a.y));
      }
  }
  return length;
}

TEST(LayoutKLayout, EveryExampleHasTheSameShapesAndAreasInKLayout) {
  test::ScratchDir dir;
  for (const char* name : kExamples) {
    SCOPED_TRACE(name);
    const DieLayout layout = build_die_layout(example(name));
    const gds::Library library = layout_library(layout);
    const auto gds_path = dir.path() / (layout.name + ".gds");
    gds::write_file(library, gds_path);
    const std::string top = gds_cell_name(layout.name, "DIE");
    const auto theirs = klayout_stats(gds_path, top);
    std::map<std::pair<int, int>, long> our_counts;
    count_shapes(library, top, 1, our_counts);
    for (std::size_t i = 0; i < layout.layers.size(); ++i) {
      const LayerDef& layer = layout.layers[i];
      const std::pair<int, int> key{layer.gds.layer, layer.gds.datatype};
      const Region ours = layout.flat(static_cast<int>(i));
      if (our_counts[key] == 0) {
        EXPECT_EQ(theirs.count(key) ? theirs.at(key).shapes : 0, 0) << layer.name;
        continue;
      }
      ASSERT_TRUE(theirs.count(key)) << layer.name;
      EXPECT_EQ(theirs.at(key).shapes, our_counts[key]) << layer.name;
      // Both sides use the same integer vertices except at mitred path corners, which each
      // reader rounds to whole nanometres: the areas agree to perimeter × 1 nm.
      EXPECT_NEAR(theirs.at(key).area_um2, area_um2(ours), perimeter_um(ours) * 1e-3 + 1e-6) << layer.name;
    }
  }
}

std::map<std::string, int> run_deck(const design::Design& design, const DieLayout& layout, const test::ScratchDir& dir) {
  const auto gds_path = dir.path() / (layout.name + ".gds");
  const auto deck_path = dir.path() / (layout.name + ".drc");
  const auto report = dir.path() / (layout.name + ".lyrdb");
  gds::write_file(layout_library(layout), gds_path);
  const DrcDeck deck = drc_deck(design, layout, gds_cell_name(layout.name, "DIE"));
  dir.write(layout.name + ".drc", deck.text);
  const auto result = test::run_klayout(deck_path, {{"in_gds", gds_path.string()}, {"report", report.string()}});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return read_lyrdb_counts(report);
}

std::set<std::string> flagged(const std::map<std::string, int>& counts) {
  std::set<std::string> categories;
  for (const auto& [category, count] : counts)
    if (count > 0) categories.insert(category);
  return categories;
}

TEST(LayoutKLayout, EveryExampleIsDrcClean) {
  test::ScratchDir dir;
  for (const char* name : kExamples) {
    SCOPED_TRACE(name);
    const design::Design design = example(name);
    const DieLayout layout = build_die_layout(design);
    const auto counts = run_deck(design, layout, dir);
    EXPECT_EQ(flagged(counts), std::set<std::string>{});
    EXPECT_FALSE(counts.empty());  // the deck ran its categories
  }
}

class BrokenLayout : public ::testing::Test {
 protected:
  design::Design design_ = example("s3-fig1.toml");
  DieLayout layout_ = build_die_layout(design_);
  test::ScratchDir dir_;
  std::set<std::string> categories() { return flagged(run_deck(design_, layout_, dir_)); }
};

TEST_F(BrokenLayout, NarrowWireIsAWidthViolation) {
  // A 7.5 µm stub (< 15 µm) in the empty middle of four lands: 163 µm from each.
  layout_.die_paths.push_back({layout_.layer_index("RDL"), Path{{{to_nm(180e-6), to_nm(200e-6)}, {to_nm(220e-6), to_nm(200e-6)}}, to_nm(7.5e-6), PathEnds::Flush}});
  EXPECT_EQ(categories(), (std::set<std::string>{"RDL.W"}));
}

TEST_F(BrokenLayout, WireTooCloseToAForeignLand) {
  // A full-width stub 10 µm (< 15 µm) from the edge of land E5 at the die centre.
  const Nm y = to_nm(120e-6 + 10e-6 + 7.5e-6);
  layout_.die_paths.push_back({layout_.layer_index("RDL"), Path{{{to_nm(-20e-6), y}, {to_nm(20e-6), y}}, to_nm(15e-6) + 2, PathEnds::Flush}});
  EXPECT_EQ(categories(), (std::set<std::string>{"RDL.S"}));
}

TEST_F(BrokenLayout, WireJoiningTwoPadsIsAShort) {
  const auto& p1 = design_.pads.pads[0];
  const auto& p2 = design_.pads.pads[1];  // the next pad of the ring, 250 µm away
  layout_.die_paths.push_back({layout_.layer_index("RDL"), Path{{{to_nm(p1.x_m), to_nm(p1.y_m)}, {to_nm(p2.x_m), to_nm(p2.y_m)}},
                                                                 to_nm(15e-6) + 2, PathEnds::Flush}});
  EXPECT_EQ(categories(), (std::set<std::string>{"RDL.SHORT.PAD", "RDL.SHORT.LAND"}));
}

void shift_openings(DieLayout& layout, Nm dx) {
  const int open = layout.layer_index("OPEN_insulator-106");
  for (auto& group : layout.pad_groups)
    for (auto& shape : group.shapes)
      if (shape.layer == open) shape.polygon = translated({shape.polygon}, {dx, 0}).front();
}

TEST_F(BrokenLayout, OpeningOffThePad) {
  shift_openings(layout_, to_nm(15e-6));  // the 60 µm opening had 10 µm of pad on each side
  EXPECT_EQ(categories(), (std::set<std::string>{"OPEN_insulator-106.IN"}));
}

TEST_F(BrokenLayout, OpeningTouchingThePadEdge) {
  shift_openings(layout_, to_nm(10e-6));  // enclosure 0: inside, but not "smaller than the pad"
  EXPECT_EQ(categories(), (std::set<std::string>{"OPEN_insulator-106.EN"}));
}

TEST_F(BrokenLayout, BallsTooCloseTogether) {
  const int bump = layout_.layer_index("BUMP");
  for (auto& shape : layout_.site_shapes)
    if (shape.layer == bump) shape.polygon = circle({0, 0}, to_nm(195e-6), 10);  // 390 µm balls at 400 µm pitch
  EXPECT_EQ(categories(), (std::set<std::string>{"BUMP.PITCH"}));
}

TEST_F(BrokenLayout, DieTooSmallForTheBallsAndTheRdl) {
  const Nm cut = to_nm(200e-6);
  layout_.die = Box{{layout_.die.lo.x + cut, layout_.die.lo.y + cut}, {layout_.die.hi.x - cut, layout_.die.hi.y - cut}};
  const int die = layout_.layer_index("DIE");
  for (auto& shape : layout_.die_shapes)
    if (shape.layer == die) shape.polygon = box_polygon(layout_.die);
  EXPECT_EQ(categories(), (std::set<std::string>{"BUMP.EDGE", "RDL.EDGE"}));
}

}  // namespace
}  // namespace wlp::layout
