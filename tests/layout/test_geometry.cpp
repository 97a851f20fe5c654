// Geometry core: every expected value is a closed form (areas of boxes, annuli, regular
// polygons; distances between boxes) or an identity of set algebra.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "layout/geometry.h"

namespace wlp::layout {
namespace {

Region box(Nm x0, Nm y0, Nm x1, Nm y1) { return {box_polygon(Box{{x0, y0}, {x1, y1}})}; }

TEST(Geometry, MetresToNanometresRounds) {
  EXPECT_EQ(to_nm(1e-6), 1000);
  EXPECT_EQ(to_nm(0.1e-6), 100);
  EXPECT_EQ(to_nm(2.4e-4), 240000);
  EXPECT_EQ(to_nm(-1.5e-9), -2);  // half away from zero
}

TEST(Geometry, BooleansOfTwoOverlappingSquares) {
  const Region a = box(0, 0, 10000, 10000), b = box(5000, 5000, 15000, 15000);  // 10 µm squares
  EXPECT_DOUBLE_EQ(area_um2(region_and(a, b)), 25.0);
  EXPECT_DOUBLE_EQ(area_um2(region_or(a, b)), 175.0);
  EXPECT_DOUBLE_EQ(area_um2(region_not(a, b)), 75.0);
  EXPECT_DOUBLE_EQ(area_um2(region_xor(a, b)), 150.0);
  // Inclusion-exclusion: |A ∪ B| = |A| + |B| − |A ∩ B|.
  EXPECT_DOUBLE_EQ(area_um2(region_or(a, b)), area_um2(a) + area_um2(b) - area_um2(region_and(a, b)));
}

TEST(Geometry, DifferenceMakesAHole) {
  const Region frame = region_not(box(0, 0, 30000, 30000), box(10000, 10000, 20000, 20000));
  ASSERT_EQ(frame.size(), 1u);
  ASSERT_EQ(frame[0].holes.size(), 1u);
  EXPECT_DOUBLE_EQ(area_um2(frame), 900.0 - 100.0);
  EXPECT_TRUE(contains(frame, {5000, 5000}));
  EXPECT_FALSE(contains(frame, {15000, 15000}));  // in the hole
  EXPECT_TRUE(contains(frame, {10000, 15000}));   // on the hole's edge
}

TEST(Geometry, SizingGrowsAndShrinksSquaresExactly) {
  const Region a = box(0, 0, 10000, 10000);
  EXPECT_DOUBLE_EQ(area_um2(sized(a, 1000)), 144.0);  // mitred corners: (10 + 2)²
  EXPECT_DOUBLE_EQ(area_um2(sized(a, -1000)), 64.0);
  EXPECT_TRUE(sized(a, -5000).empty());
}

TEST(Geometry, CircleMeetsItsChordErrorAndArea) {
  const Nm r = 120000;  // 240 µm land
  const Polygon c = circle({0, 0}, r, 10);
  const int n = static_cast<int>(c.outer.size());
  EXPECT_EQ(n % 8, 0);
  EXPECT_LE(static_cast<double>(r) * (1 - std::cos(std::numbers::pi / n)), 10.0);            // chord error met
  EXPECT_GT(static_cast<double>(r) * (1 - std::cos(std::numbers::pi / (n - 8))), 10.0);      // and n is the fewest
  // Area of the inscribed regular n-gon: n r² sin(2π/n) / 2, to the rounding of the vertices.
  const double exact_um2 = n * 0.5 * std::sin(2 * std::numbers::pi / n) * std::pow(r * 1e-3, 2);
  EXPECT_NEAR(area_um2(c), exact_um2, 2 * std::numbers::pi * r * 1e-3 * 0.5e-3);
}

TEST(Geometry, PathOutlinesAreMitred) {
  // An L-shaped wire of width 2 µm with extended ends: two 10 µm legs.
  const Path l{{{0, 0}, {10000, 0}, {10000, 10000}}, 2000, PathEnds::Extended};
  // Extended legs: (10+1+1)×2 + (10+1)×2 − overlap... the outline is the union of two 12×2 boxes
  // sharing the 2×2 corner square: 24 + 24 − 4 = 44 µm².
  EXPECT_DOUBLE_EQ(area_um2(Polygon(path_polygon(l))), 44.0);
  const Path flush{{{0, 0}, {10000, 0}}, 2000, PathEnds::Flush};
  EXPECT_DOUBLE_EQ(area_um2(path_polygon(flush)), 20.0);
  // A 45° dogleg: length 10 + 10√2·... the outline's area equals width × centre-line length for
  // mitred joins (the mitre adds and removes equal triangles).
  const Path dogleg{{{0, 0}, {10000, 0}, {20000, 10000}, {30000, 10000}}, 2000, PathEnds::Flush};
  const double centre_line_um = 10 + 10 * std::numbers::sqrt2 + 10;
  // Mitre vertices off the 45° grid round to whole nanometres: each moves at most √2/2 nm, so
  // the area moves at most perimeter × √2/2 nm.
  const double perimeter_um = 2 * centre_line_um + 2 * 2;
  EXPECT_NEAR(area_um2(path_polygon(dogleg)), 2 * centre_line_um, perimeter_um * std::numbers::sqrt2 / 2 * 1e-3);
}

TEST(Geometry, SpacingBetweenBoxesIsTheGap) {
  const Region two = region_or(box(0, 0, 10000, 10000), box(13000, 0, 20000, 10000));
  EXPECT_DOUBLE_EQ(min_spacing_nm(two), 3000.0);
  const Region diagonal = region_or(box(0, 0, 10000, 10000), box(13000, 14000, 20000, 20000));
  EXPECT_DOUBLE_EQ(min_spacing_nm(diagonal), 5000.0);  // 3-4-5 corner to corner
  EXPECT_DOUBLE_EQ(min_separation_nm(box(0, 0, 1000, 1000), box(1000, 3000, 2000, 4000)), 2000.0);
  EXPECT_TRUE(std::isinf(min_spacing_nm(box(0, 0, 1, 1))));
}

TEST(Geometry, ConvexHullOfTwoSquaresIsTheirBoundingOctagon) {
  // Two 10 µm squares touching corner to corner along the diagonal: the hull is the hexagon
  // with area 2 × 100 + 2 × (10 × 10 / 2) = 300 µm².
  const Region squares = region_or(box(0, 0, 10000, 10000), box(10000, 10000, 20000, 20000));
  const Polygon hull = convex_hull(squares);
  EXPECT_EQ(hull.outer.size(), 6u);
  EXPECT_DOUBLE_EQ(area_um2(hull), 300.0);
  EXPECT_GT(ring_area_um2(hull.outer), 0);  // counter-clockwise
}

TEST(Geometry, CoversIsContainment) {
  EXPECT_TRUE(covers(box(0, 0, 100, 100), box(10, 10, 90, 90)));
  EXPECT_FALSE(covers(box(0, 0, 100, 100), box(10, 10, 101, 90)));
}

TEST(Geometry, FractureRemovesHolesAndKeepsArea) {
  const Region frame = region_not(box(0, 0, 30000, 30000), region_or(box(5000, 5000, 10000, 10000), box(15000, 15000, 25000, 25000)));
  ASSERT_EQ(frame.size(), 1u);
  ASSERT_EQ(frame[0].holes.size(), 2u);
  const std::vector<Ring> rings = fractured(frame[0]);
  Region pieces;
  double sum_um2 = 0;
  for (const Ring& ring : rings) {
    pieces.push_back({ring, {}});
    sum_um2 += std::abs(ring_area_um2(ring));
  }
  EXPECT_DOUBLE_EQ(sum_um2, area_um2(frame));  // pieces do not overlap
  EXPECT_TRUE(region_xor(pieces, frame).empty());
}

TEST(Geometry, FractureSplitsOversizeRings) {
  const Polygon big = circle({0, 0}, 20'000'000, 1);  // about ten thousand vertices
  ASSERT_GT(big.outer.size(), 8190u);
  const std::vector<Ring> rings = fractured(big, 8190);
  Region pieces;
  for (const Ring& ring : rings) {
    EXPECT_LE(ring.size(), 8190u);
    pieces.push_back({ring, {}});
  }
  EXPECT_TRUE(region_xor(pieces, {big}).empty());
}

}  // namespace
}  // namespace wlp::layout
