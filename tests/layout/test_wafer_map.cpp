// Wafer map: gross dies checked against an independent row-by-row count written here (closed
// form per row, no per-die tests), the classic gross-die formula as a sanity bound, symmetry,
// containment and non-overlap of every die, the errors, and the plot files.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <ostream>
#include <set>
#include <stdexcept>
#include <string>
#include <tuple>

#include "layout/wafer_map.h"
#include "support/test_support.h"

namespace wlp::layout {
namespace {

constexpr Nm kUm = 1000, kMm = 1'000'000;
// SEMI M1 primary flat of a 150 mm wafer, written out here rather than read from the code.
constexpr double kSemiFlat150Um = 57'500;

WaferSpec spec_of(Nm diameter_mm, WaferOrientation orientation, Nm die_x_um, Nm die_y_um, Nm street_um,
                  Nm edge_exclusion_um = 3000) {
  WaferSpec spec;
  spec.diameter = diameter_mm * kMm;
  spec.orientation = orientation;
  spec.die_x = die_x_um * kUm;
  spec.die_y = die_y_um * kUm;
  spec.street = street_um * kUm;
  spec.edge_exclusion = edge_exclusion_um * kUm;
  return spec;
}

// --- the independent oracle -----------------------------------------------------------------
//
// Works in micrometres (doubles: squares of the test's µm values are exact, so a die edge that
// lands exactly on the usable circle is decided the same way as in integer nm). Per row of dies
// the usable chord at the row's worst y (the die edge farther from the centre) bounds the row;
// whole dies between −w and +w are counted with floor/ceil, and the dies of the row that reach
// into the notch's V are counted the same way and taken off.
struct OracleWafer {
  double ru = 0;                  // usable radius
  bool flat = false;
  double flat_y = 0;              // die bottoms at or above
  bool notch = false;
  double tip_y = 0;               // V: y + |x| < tip_y is excluded
};

OracleWafer oracle_wafer(const WaferSpec& spec) {
  const double r = static_cast<double>(spec.diameter) / 2e3, e = static_cast<double>(spec.edge_exclusion) / 1e3;
  OracleWafer w;
  w.ru = r - e;
  if (spec.orientation == WaferOrientation::Flat) {
    const double half = (spec.flat_length > 0 ? static_cast<double>(spec.flat_length) / 1e3 : kSemiFlat150Um) / 2;
    w.flat = true;
    w.flat_y = -(std::sqrt(r * r - half * half) - e);
  } else if (spec.notch_depth > 0) {
    w.notch = true;
    w.tip_y = -(w.ru - static_cast<double>(spec.notch_depth) / 1e3);
  }
  return w;
}

// Number of integers k with lo ≤ k ≤ hi.
std::int64_t integers_between(double lo, double hi) {
  const auto first = static_cast<std::int64_t>(std::ceil(lo)), last = static_cast<std::int64_t>(std::floor(hi));
  return std::max<std::int64_t>(0, last - first + 1);
}

std::int64_t oracle_count(const WaferSpec& spec, double offset_x_um, double offset_y_um) {
  const OracleWafer w = oracle_wafer(spec);
  const double dx = static_cast<double>(spec.die_x) / 1e3, dy = static_cast<double>(spec.die_y) / 1e3;
  const double px = dx + static_cast<double>(spec.street) / 1e3, py = dy + static_cast<double>(spec.street) / 1e3;
  std::int64_t total = 0;
  const auto rows = static_cast<std::int64_t>(std::ceil(w.ru / py)) + 2;
  for (std::int64_t j = -rows; j <= rows; ++j) {
    const double y0 = offset_y_um + static_cast<double>(j) * py - dy / 2, y1 = y0 + dy;
    if (w.flat && y0 < w.flat_y) continue;
    const double worst = std::max(std::abs(y0), std::abs(y1));
    if (worst > w.ru) continue;
    const double half_chord = std::sqrt(w.ru * w.ru - worst * worst);
    // Column i: box [ox + i px − dx/2, ox + i px + dx/2] inside [−w, w].
    const double i_lo = (-half_chord + dx / 2 - offset_x_um) / px, i_hi = (half_chord - dx / 2 - offset_x_um) / px;
    std::int64_t in_row = integers_between(i_lo, i_hi);
    if (w.notch && w.tip_y - y0 > 0) {
      // Dies of the row reaching into the V: min |x| over the box < t, i.e. the box meets (−t, t).
      const double t = w.tip_y - y0;
      const double k_lo = std::floor((-t - dx / 2 - offset_x_um) / px) + 1;
      const double k_hi = std::ceil((t + dx / 2 - offset_x_um) / px) - 1;
      in_row -= integers_between(std::max(k_lo, std::ceil(i_lo)), std::min(k_hi, std::floor(i_hi)));
    }
    total += in_row;
  }
  return total;
}

// The four offsets of the brief in µm, in its order: die centred, street crossing centred,
// then the two mixed ones (half steps rounded down to whole nm as documented in the header).
std::array<std::pair<double, double>, 4> oracle_offsets(const WaferSpec& spec) {
  const double hx = static_cast<double>((spec.die_x + spec.street) / 2) / 1e3;
  const double hy = static_cast<double>((spec.die_y + spec.street) / 2) / 1e3;
  return {{{0, 0}, {hx, hy}, {hx, 0}, {0, hy}}};
}

struct CountCase {
  Nm diameter_mm;
  WaferOrientation orientation;
  Nm die_x_um, die_y_um, street_um;
  Nm notch_depth_um = 1000;
};

std::string case_name(const CountCase& c) {
  return std::to_string(c.diameter_mm) + (c.orientation == WaferOrientation::Flat ? "mmFlat_" : "mmNotch_") +
         std::to_string(c.die_x_um) + "x" + std::to_string(c.die_y_um) + "um_street" + std::to_string(c.street_um) +
         "_notch" + std::to_string(c.notch_depth_um);
}

void PrintTo(const CountCase& c, std::ostream* out) { *out << case_name(c); }

WaferSpec spec_of(const CountCase& c) {
  WaferSpec spec = spec_of(c.diameter_mm, c.orientation, c.die_x_um, c.die_y_um, c.street_um);
  spec.notch_depth = c.notch_depth_um * kUm;
  return spec;
}

class WaferMapCounts : public ::testing::TestWithParam<CountCase> {};

TEST_P(WaferMapCounts, GrossDiesMatchTheRowByRowCount) {
  const WaferSpec spec = spec_of(GetParam());
  const WaferMap map = wafer_map(spec);
  // The oracle's own maximum over the four offsets, ties to the first.
  std::int64_t best = -1;
  std::pair<double, double> best_offset;
  for (const auto& [ox, oy] : oracle_offsets(spec)) {
    const std::int64_t n = oracle_count(spec, ox, oy);
    if (n > best) best = n, best_offset = {ox, oy};
  }
  EXPECT_EQ(map.gross_dies(), best);
  EXPECT_DOUBLE_EQ(static_cast<double>(map.grid_offset.x) / 1e3, best_offset.first);
  EXPECT_DOUBLE_EQ(static_cast<double>(map.grid_offset.y) / 1e3, best_offset.second);
}

TEST_P(WaferMapCounts, EveryDieIsInsideTheUsableArea) {
  const WaferSpec spec = spec_of(GetParam());
  const WaferMap map = wafer_map(spec);
  const OracleWafer w = oracle_wafer(spec);
  for (const DieSite& die : map.dies) {
    const Box& b = die.box;
    for (const Point corner : {b.lo, b.hi, Point{b.lo.x, b.hi.y}, Point{b.hi.x, b.lo.y}}) {
      const double x = static_cast<double>(corner.x) / 1e3, y = static_cast<double>(corner.y) / 1e3;
      ASSERT_LE(std::hypot(x, y), w.ru + 1e-6) << "die (" << die.column << ", " << die.row << ") corner " << to_string(corner);
      if (w.flat) {
        ASSERT_GE(y, w.flat_y - 1e-6) << "die below the flat";
      }
    }
    if (w.notch) {
      // The V keep-out: the bottom edge's point nearest the axis.
      const Nm near_x_nm = (b.lo.x <= 0 && b.hi.x >= 0) ? 0 : std::min(std::abs(b.lo.x), std::abs(b.hi.x));
      const double near_x = static_cast<double>(near_x_nm) / 1e3;
      ASSERT_GE(static_cast<double>(b.lo.y) / 1e3 + near_x, w.tip_y - 1e-6) << "die in the notch";
    }
  }
}

TEST_P(WaferMapCounts, DiesSitOnTheGridAndNeverOverlap) {
  const WaferSpec spec = spec_of(GetParam());
  const WaferMap map = wafer_map(spec);
  const Nm px = spec.die_x + spec.street, py = spec.die_y + spec.street;
  std::set<std::pair<int, int>> seen;
  for (const DieSite& die : map.dies) {
    ASSERT_TRUE(seen.insert({die.column, die.row}).second) << "two dies at (" << die.column << ", " << die.row << ")";
    // Centre = offset + index × step; with unique indices and step ≥ die, no two boxes overlap.
    const Point centre{map.grid_offset.x + die.column * px, map.grid_offset.y + die.row * py};
    ASSERT_EQ(die.box.width(), spec.die_x);
    ASSERT_EQ(die.box.height(), spec.die_y);
    ASSERT_EQ(die.box.lo.x + die.box.hi.x, 2 * centre.x);  // even die sizes: centred exactly
    ASSERT_EQ(die.box.lo.y + die.box.hi.y, 2 * centre.y);
  }
}

TEST_P(WaferMapCounts, DieZeroZeroIsNearestTheCentre) {
  const WaferMap map = wafer_map(spec_of(GetParam()));
  const auto centre_distance = [&](const DieSite& die) {
    return std::hypot(static_cast<double>(die.box.lo.x + die.box.hi.x) / 2, static_cast<double>(die.box.lo.y + die.box.hi.y) / 2);
  };
  const auto origin = std::find_if(map.dies.begin(), map.dies.end(), [](const DieSite& d) { return d.column == 0 && d.row == 0; });
  ASSERT_NE(origin, map.dies.end());
  for (const DieSite& die : map.dies) ASSERT_GE(centre_distance(die), centre_distance(*origin));
}

using WO = WaferOrientation;
INSTANTIATE_TEST_SUITE_P(Wafer, WaferMapCounts,
                         ::testing::Values(CountCase{150, WO::Flat, 5000, 5000, 80},   //
                                           CountCase{150, WO::Flat, 1000, 1000, 50},   //
                                           CountCase{150, WO::Flat, 12000, 7000, 100},  //
                                           CountCase{150, WO::Flat, 20000, 20000, 60},  //
                                           CountCase{200, WO::Notch, 3000, 3000, 60},   //
                                           CountCase{200, WO::Notch, 8000, 4500, 75},   //
                                           CountCase{200, WO::Notch, 20000, 20000, 100},
                                           CountCase{200, WO::Notch, 2000, 2000, 50, 5000},  // deep notch
                                           CountCase{300, WO::Notch, 1000, 1000, 50},        //
                                           CountCase{300, WO::Notch, 2500, 1800, 70},        //
                                           CountCase{300, WO::Notch, 10000, 10000, 80},      //
                                           CountCase{300, WO::Notch, 17000, 13000, 100},     //
                                           CountCase{300, WO::Notch, 4000, 4000, 0, 0}),     // no notch, zero street
                         [](const ::testing::TestParamInfo<CountCase>& param) { return case_name(param.param); });

// --- the published approximation --------------------------------------------------------------
//
// DPW ≈ πd²/(4S) − πd/√(2S), d the usable diameter and S the die area with its street, is the
// common formula discussed by de Vries, "Investigation of gross die per wafer formulas", IEEE
// Trans. Semicond. Manuf. 18(1):136–139, 2005. Only the paper's abstract could be checked (it
// says the formulas' coefficients are fitted to exact counts), not its tables, so the formula
// is a sanity bound here, not a reference value. Its first term is the area ratio; the second
// is the rim loss, one die per √(2S) of circumference. The real rim loss depends on the phase
// of the grid against the circle, and taking the best of four offsets recovers part of it, so
// the count may differ from the formula by a fraction of the rim term: we allow 35 % of it
// (0.35–1.8 % of the count for these dies). That still catches a missing rim loss (one whole
// rim term), a missing street or a usable radius that forgets the edge exclusion (each moves
// these counts by 0.8–10 rim terms).
double de_vries_area_term(double d, double s) { return std::numbers::pi * d * d / (4 * s); }
double de_vries_rim_term(double d, double s) { return std::numbers::pi * d / std::sqrt(2 * s); }

TEST(WaferMapFormula, SmallDiesAgreeWithTheCommonFormulaWithinPartOfItsRimTerm) {
  for (const auto& [diameter_mm, die_um, street_um] :
       {std::tuple{300, 1000, 50}, std::tuple{300, 2000, 80}, std::tuple{300, 3000, 100}, std::tuple{300, 5000, 100},
        std::tuple{200, 1000, 60}, std::tuple{200, 2000, 50}, std::tuple{150, 1500, 60}}) {
    WaferSpec spec = spec_of(diameter_mm, diameter_mm == 150 ? WO::Flat : WO::Notch, die_um, die_um, street_um);
    if (diameter_mm != 150) spec.notch_depth = 0;  // the formula knows only a circle
    if (diameter_mm == 150) spec.flat_length = 1;  // a 1 nm "flat": a circle, through the flat code
    const double d = diameter_mm - 2 * 3.0, step_mm = static_cast<double>(die_um + street_um) / 1e3;
    const double s = step_mm * step_mm, rim = de_vries_rim_term(d, s);
    const double expected = de_vries_area_term(d, s) - rim;
    const int count = wafer_map(spec).gross_dies();
    SCOPED_TRACE(testing::Message() << diameter_mm << " mm, die " << die_um << " um, street " << street_um
                                    << " um: formula " << expected << ", count " << count);
    EXPECT_NEAR(count, expected, 0.35 * rim);
  }
}

// --- symmetry ---------------------------------------------------------------------------------

std::set<std::tuple<Nm, Nm, Nm, Nm>> box_set(const WaferMap& map, int flip_x, int flip_y) {
  std::set<std::tuple<Nm, Nm, Nm, Nm>> boxes;
  for (const DieSite& die : map.dies) {
    const Box& b = die.box;
    const Nm x0 = flip_x < 0 ? -b.hi.x : b.lo.x, x1 = flip_x < 0 ? -b.lo.x : b.hi.x;
    const Nm y0 = flip_y < 0 ? -b.hi.y : b.lo.y, y1 = flip_y < 0 ? -b.lo.y : b.hi.y;
    boxes.insert({x0, y0, x1, y1});
  }
  return boxes;
}

TEST(WaferMapSymmetry, PlainCircleIsSymmetricInXAndY) {
  // Every candidate offset is 0 or half a step, so every grid is symmetric about both axes;
  // a circle without notch then keeps the die set under x → −x and y → −y.
  for (const auto& [die_x, die_y, street] : {std::tuple{5000, 3000, 80}, std::tuple{7000, 7000, 60}, std::tuple{2200, 9000, 100}}) {
    WaferSpec spec = spec_of(300, WO::Notch, die_x, die_y, street);
    spec.notch_depth = 0;
    const WaferMap map = wafer_map(spec);
    const auto plain = box_set(map, 1, 1);
    EXPECT_EQ(box_set(map, -1, 1), plain);
    EXPECT_EQ(box_set(map, 1, -1), plain);
    EXPECT_EQ(box_set(map, -1, -1), plain);
  }
}

TEST(WaferMapSymmetry, NotchAndFlatKeepOnlyTheMirrorInX) {
  WaferSpec notch = spec_of(200, WO::Notch, 2000, 2000, 50);
  notch.notch_depth = 5 * kMm;  // deep, so the notch surely removes dies
  const WaferMap with_notch = wafer_map(notch);
  EXPECT_EQ(box_set(with_notch, -1, 1), box_set(with_notch, 1, 1));
  EXPECT_NE(box_set(with_notch, 1, -1), box_set(with_notch, 1, 1));
  notch.notch_depth = 0;
  EXPECT_LT(with_notch.gross_dies(), wafer_map(notch).gross_dies());

  const WaferMap flat = wafer_map(spec_of(150, WO::Flat, 4000, 4000, 80));
  EXPECT_EQ(box_set(flat, -1, 1), box_set(flat, 1, 1));
  EXPECT_NE(box_set(flat, 1, -1), box_set(flat, 1, 1));
}

// --- pairwise overlap, directly, on a moderate map ------------------------------------------

TEST(WaferMapOverlap, NoTwoDiesShareInteriorEvenWithZeroStreet) {
  for (const Nm street_um : {0, 100}) {
    const WaferMap map = wafer_map(spec_of(150, WO::Flat, 6000, 4000, street_um));
    ASSERT_GT(map.gross_dies(), 300);
    for (std::size_t i = 0; i < map.dies.size(); ++i) {
      for (std::size_t j = i + 1; j < map.dies.size(); ++j) {
        const Box &a = map.dies[i].box, &b = map.dies[j].box;
        const Nm gap_x = std::max(a.lo.x, b.lo.x) - std::min(a.hi.x, b.hi.x);
        const Nm gap_y = std::max(a.lo.y, b.lo.y) - std::min(a.hi.y, b.hi.y);
        // Separated along at least one axis by at least the street.
        ASSERT_GE(std::max(gap_x, gap_y), street_um * kUm) << i << " and " << j;
      }
    }
  }
}

// --- details of the spec ---------------------------------------------------------------------

TEST(WaferMapSpec, StandardFlatIsSemiM1) {
  EXPECT_EQ(standard_flat_length(150 * kMm), 57'500'000);
  EXPECT_THROW(standard_flat_length(300 * kMm), std::invalid_argument);
  // A 0 flat length means the standard one.
  WaferSpec spec = spec_of(150, WO::Flat, 5000, 5000, 80);
  const int standard = wafer_map(spec).gross_dies();
  spec.flat_length = 57'500'000;
  EXPECT_EQ(wafer_map(spec).gross_dies(), standard);
}

TEST(WaferMapSpec, OutlineHasTheFlatOrNotch) {
  WaferSpec flat = spec_of(150, WO::Flat, 5000, 5000, 80);
  const Box flat_box = bounding_box(wafer_outline(flat).outer);
  // Flat at −y: √(75² − 28.75²) = 69.27 mm below the centre; the rest is the 75 mm circle.
  EXPECT_NEAR(static_cast<double>(flat_box.lo.y) / 1e6, -std::sqrt(75.0 * 75.0 - 28.75 * 28.75), 1e-5);
  EXPECT_NEAR(static_cast<double>(flat_box.hi.y) / 1e6, 75.0, 0.01);
  WaferSpec notch = spec_of(300, WO::Notch, 5000, 5000, 80);
  const Polygon outline = wafer_outline(notch);
  EXPECT_FALSE(contains(outline, {0, -150 * kMm + 500 * kUm}));  // inside the 1 mm notch
  EXPECT_TRUE(contains(outline, {0, -150 * kMm + 1100 * kUm}));  // just above its tip
  EXPECT_TRUE(contains(outline, {2 * kMm, -149 * kMm}));          // beside it
  // Area: the inscribed n-gon of circle() minus the V (depth 1 mm, 90°: a triangle of 1 mm²;
  // the rim across its 2 mm mouth is straight to well under 0.01 mm²).
  const int n = circle_vertex_count(150 * kMm, 1000);
  const double polygon_mm2 = n / 2.0 * 150.0 * 150.0 * std::sin(2 * std::numbers::pi / n);
  EXPECT_NEAR(area_um2(outline) / 1e6, polygon_mm2 - 1.0, 0.01);
}

TEST(WaferMapErrors, UnsupportedDiameterNamesTheValueAndTheAllowedOnes) {
  const WaferSpec spec = spec_of(250, WO::Notch, 5000, 5000, 80);
  try {
    (void)wafer_map(spec);
    FAIL() << "250 mm accepted";
  } catch (const std::invalid_argument& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("250"), std::string::npos) << message;
    EXPECT_NE(message.find("150, 200 or 300"), std::string::npos) << message;
  }
  EXPECT_THROW((void)wafer_outline(spec), std::invalid_argument);
}

TEST(WaferMapErrors, DieLargerThanTheWaferIsRefused) {
  EXPECT_THROW((void)wafer_map(spec_of(150, WO::Flat, 160'000, 160'000, 80)), std::invalid_argument);
  // Smaller than the wafer but larger than the usable area once the flat is cut off: 140 mm
  // tall against 75 − 3 + 69.27 − 3 = 138.3 mm of usable height.
  EXPECT_THROW((void)wafer_map(spec_of(150, WO::Flat, 10'000, 140'000, 80)), std::invalid_argument);
  EXPECT_THROW((void)wafer_map(spec_of(300, WO::Notch, 0, 5000, 80)), std::invalid_argument);
  EXPECT_THROW((void)wafer_map(spec_of(300, WO::Notch, 5000, 5000, -80)), std::invalid_argument);
  try {
    (void)wafer_map(spec_of(200, WO::Notch, 250'000, 250'000, 80));
    FAIL() << "a 250 mm die accepted";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("too large"), std::string::npos) << error.what();
  }
}

// --- the plot ---------------------------------------------------------------------------------

TEST(WaferMapPlot, WritesSvgAndPng) {
  const test::ScratchDir dir;
  for (const WaferSpec& spec : {spec_of(200, WO::Notch, 8000, 6000, 80), spec_of(150, WO::Flat, 5000, 5000, 80)}) {
    const WaferMap map = wafer_map(spec);
    const auto svg = dir.path() / "wafer.svg", png = dir.path() / "wafer.png";
    plot_wafer_map(map, "wafer map", svg, png);
    ASSERT_TRUE(std::filesystem::exists(svg));
    ASSERT_TRUE(std::filesystem::exists(png));
    EXPECT_GT(std::filesystem::file_size(svg), 0u);
    EXPECT_GT(std::filesystem::file_size(png), 0u);
    EXPECT_EQ(test::read_text(png).substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    EXPECT_NE(test::read_text(svg).find("<svg"), std::string::npos);
  }
}

}  // namespace
}  // namespace wlp::layout
