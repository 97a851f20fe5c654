// Die layouts of the bundled examples: shape counts and areas against closed forms from the
// design numbers, containment of openings, posts and studs, and the RDL's own geometry
// checked by an independent spacing measure.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "layout/die_layout.h"
#include "support/test_support.h"

namespace wlp::layout {
namespace {

design::Design example(const std::string& name) { return test::load(test::source_dir() / "examples" / name); }

// Area of the regular n-gon inscribed in a circle of diameter d (µm²), and the bound on the
// change from rounding its vertices to whole nanometres (perimeter × 0.5 nm).
double inscribed_area_um2(Nm diameter, Nm chord_error = 10) {
  const int n = circle_vertex_count(diameter / 2, chord_error);
  const double r_um = to_um(diameter) / 2;
  return n * 0.5 * std::sin(2 * std::numbers::pi / n) * r_um * r_um;
}
double rounding_um2(Nm diameter) { return std::numbers::pi * to_um(diameter) * 0.5e-3; }

TEST(DieLayout, BaselinePadsOpeningsUbmAndBalls) {
  const design::Design d = example("b0.toml");
  const DieLayout layout = build_die_layout(d);
  ASSERT_EQ(d.bumps->sites.size(), 81u);
  const std::size_t n_sites = 81;
  const double n = 81.0;
  const Region pads = layout.flat("PAD"), ubm = layout.flat("UBM"), balls = layout.flat("BUMP");
  const Region openings = layout.flat("OPEN_passivation-nitride");
  EXPECT_EQ(pads.size(), n_sites);
  EXPECT_EQ(ubm.size(), n_sites);
  EXPECT_EQ(balls.size(), n_sites);
  EXPECT_NEAR(area_um2(pads), n * inscribed_area_um2(to_nm(240e-6)), n * rounding_um2(to_nm(240e-6)));
  EXPECT_NEAR(area_um2(openings), n * inscribed_area_um2(to_nm(200e-6)), n * rounding_um2(to_nm(200e-6)));
  EXPECT_TRUE(covers(pads, openings));
  EXPECT_TRUE(covers(ubm, openings));
  EXPECT_FALSE(layout.routing.has_value());  // no RDL in the baseline
  // The street: (X + s)(Y + s) − XY with the recipe's 80 µm street around a 4 mm die.
  EXPECT_DOUBLE_EQ(area_um2(layout.flat("STREET")), 4080.0 * 4080.0 - 4000.0 * 4000.0);
}

TEST(DieLayout, S3Fig1RoutesEveryPadAndStacksPostsOnLands) {
  const design::Design d = example("s3-fig1.toml");
  const DieLayout layout = build_die_layout(d);
  ASSERT_TRUE(layout.routing.has_value());
  EXPECT_TRUE(layout.routing->is_complete());
  EXPECT_EQ(layout.routing->nets.size(), d.pads.pads.size());
  const Region rdl = layout.flat("RDL");
  EXPECT_TRUE(covers(layout.flat("PAD"), layout.flat("OPEN_insulator-106")));
  EXPECT_TRUE(covers(rdl, layout.flat("OPEN_insulator-106")));  // the RDL closes every via
  EXPECT_TRUE(covers(rdl, layout.flat("POST")));                // posts stand on lands
  EXPECT_TRUE(covers(layout.flat("UBM"), layout.flat("POST")));  // UBM caps the post
  // Spacing between distinct RDL polygons (nets, unused lands), measured edge to edge here.
  EXPECT_GE(min_spacing_nm(rdl), static_cast<double>(to_nm(d.redistribution->min_space_m)));
  // Each net is one polygon: its pad capture, wire and land merged; the other lands stay apart.
  EXPECT_EQ(rdl.size(), d.bumps->sites.size());
  // RDL inside the die by the clearance.
  const Box inner{{layout.die.lo.x + to_nm(15e-6), layout.die.lo.y + to_nm(15e-6)},
                  {layout.die.hi.x - to_nm(15e-6), layout.die.hi.y - to_nm(15e-6)}};
  EXPECT_TRUE(covers({box_polygon(inner)}, rdl));
}

TEST(DieLayout, EveryExampleRoutesCompletely) {
  for (const char* name : {"s1-adhesive.toml", "s1-solder-paste.toml", "s3-fig1.toml", "s3-fig2.toml", "s3-fig3.toml",
                           "s3-process-a.toml", "s3-process-b.toml", "s4-embodiment1.toml", "s4-embodiment2.toml",
                           "s4-embodiment3.toml"}) {
    const design::Design d = example(name);
    const DieLayout layout = build_die_layout(d);
    ASSERT_TRUE(layout.routing.has_value()) << name;
    EXPECT_TRUE(layout.routing->is_complete()) << name;
    EXPECT_GE(min_spacing_nm(layout.flat("RDL")), static_cast<double>(to_nm(d.redistribution->min_space_m))) << name;
  }
}

TEST(DieLayout, S0PillarOnTheLowerMetalAndRecessOverIt) {
  const design::Design d = example("s0.toml");
  const DieLayout layout = build_die_layout(d);
  const Region pillar = layout.flat("PILLAR"), recess = layout.flat("RECESS");
  EXPECT_DOUBLE_EQ(area_um2(pillar), 0.5 * 0.5);
  EXPECT_DOUBLE_EQ(area_um2(recess), 0.8 * 20.0);
  EXPECT_TRUE(covers(layout.flat("PAD"), pillar));
  // Overlap of the recess and the pillar: the via offset of 0.1 µm leaves 0.5 × 0.5 µm of pillar
  // under the 0.8 µm line (|offset| + 0.25 <= 0.4).
  EXPECT_DOUBLE_EQ(area_um2(region_and(pillar, recess)), 0.25);
}

TEST(DieLayout, S4StudsSitOnLandsOneLayerPerTier) {
  const DieLayout one = build_die_layout(example("s4-embodiment1.toml"));
  const DieLayout two = build_die_layout(example("s4-embodiment2.toml"));
  EXPECT_GE(one.layer_index("SECTION_tier1"), 0);
  EXPECT_GE(two.layer_index("SECTION_tier2"), 0);
  EXPECT_TRUE(covers(one.flat("RDL"), one.flat("SECTION_tier1")));
}

TEST(DieLayout, LayerMapListsMasksWithTheirSteps) {
  const DieLayout layout = build_die_layout(example("s3-fig1.toml"));
  const std::string map = layer_map_text(layout);
  EXPECT_NE(map.find("30/0\tRDL\trdl\tpositive\tdark\t"), std::string::npos) << map;
  EXPECT_NE(map.find("41/0\tPOST\tpost\tnegative\tclear\t"), std::string::npos) << map;
  EXPECT_NE(map.find("1/0\tDIE\t-"), std::string::npos) << map;
}

}  // namespace
}  // namespace wlp::layout
