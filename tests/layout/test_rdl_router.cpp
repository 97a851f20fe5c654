// Fan-in RDL router. Every result is checked by a verifier written here from geometry.h alone
// (no router internals): octilinear centre lines from the exact pad centre to the exact land
// centre, lengths equal to the sum of the segments, no bend where a wire leaves its land or pad
// (teardrops go there), no land or pad used twice, and the wire outlines (path_polygon of
// wire_path) at least a space apart from each other and from every other net's land and pad,
// and inside the die by the edge clearance. Assignment optimality is
// checked against brute force; blocked and crossing cases are built so that no legal routing
// exists, by counting tracks or by planarity.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

#include "layout/geometry.h"
#include "layout/fan_in_case.h"
#include "layout/rdl_router.h"

namespace wlp::layout {
namespace {

constexpr Nm kUm = 1000;

// --- cases -----------------------------------------------------------------------------------

std::string land_name(int row, int col) { return std::string(1, static_cast<char>('A' + row)) + std::to_string(col + 1); }

// 4 mm die, 12 pads per side (250 µm pitch, 80 µm square, 100 µm from the edge), 9 × 9 lands
// (400 µm pitch, 240 µm), 15/15 µm wires.
RouterInput four_mm_example() {
  return fan_in_router_input({4000 * kUm, 12, 250 * kUm, 80 * kUm, 100 * kUm, 9, 400 * kUm, 240 * kUm, 15 * kUm, 15 * kUm, 25 * kUm});
}

// 9 mm die, 100 pads per side (80 µm pitch, 50 µm square), 20 × 20 lands (400 µm, 240 µm),
// 10/10 µm wires: every land is used. 15/15 µm cannot work here: the 76 gaps of the outer land
// ring hold 4 tracks each at 15/15 (304), but 324 nets must pass it.
RouterInput twenty_by_twenty() {
  return fan_in_router_input({9000 * kUm, 100, 80 * kUm, 50 * kUm, 100 * kUm, 20, 400 * kUm, 240 * kUm, 10 * kUm, 10 * kUm, 20 * kUm});
}

// --- independent verifier --------------------------------------------------------------------

const RouterPad* find_pad(const RouterInput& in, const std::string& name) {
  for (const RouterPad& pad : in.pads)
    if (pad.name == name) return &pad;
  return nullptr;
}

const RouterLand* find_land(const RouterInput& in, const std::string& name) {
  for (const RouterLand& land : in.lands)
    if (land.name == name) return &land;
  return nullptr;
}

// Round lands and pads are checked against the true circle: distance from the centre to the
// wire outline's edges minus the radius (the outline must not contain the centre either).
double point_segment_nm(Point p, Point a, Point b) {
  const double dx = static_cast<double>(b.x - a.x), dy = static_cast<double>(b.y - a.y);
  const double px = static_cast<double>(p.x - a.x), py = static_cast<double>(p.y - a.y);
  const double t = std::clamp((px * dx + py * dy) / std::max(dx * dx + dy * dy, 1.0), 0.0, 1.0);
  return std::hypot(px - t * dx, py - t * dy);
}

::testing::AssertionResult clear_of_circle(const Polygon& wire, Point centre, Nm diameter, Nm space) {
  if (contains(wire, centre)) return ::testing::AssertionFailure() << "outline covers the centre";
  double d = 1e300;
  for (std::size_t k = 0; k < wire.outer.size(); ++k)
    d = std::min(d, point_segment_nm(centre, wire.outer[k], wire.outer[(k + 1) % wire.outer.size()]));
  const double gap = d - static_cast<double>(diameter) / 2;
  if (gap < static_cast<double>(space)) return ::testing::AssertionFailure() << "gap to the circle " << gap << " nm";
  return ::testing::AssertionSuccess();
}

Box grown(const Box& b, Nm by) { return {{b.lo.x - by, b.lo.y - by}, {b.hi.x + by, b.hi.y + by}}; }

// Two outlines are legal neighbours: not overlapping and at least `space` apart.
::testing::AssertionResult apart(const Polygon& a, const Polygon& b, Nm space) {
  if (!region_and({a}, {b}).empty()) return ::testing::AssertionFailure() << "outlines overlap";
  const double d = min_separation_nm({a}, {b});
  if (d < static_cast<double>(space)) return ::testing::AssertionFailure() << "separation " << d << " nm < " << space << " nm";
  return ::testing::AssertionSuccess();
}

bool octilinear(Point a, Point b) {
  const Nm dx = std::abs(b.x - a.x), dy = std::abs(b.y - a.y);
  return (dx != 0 || dy != 0) && (dx == 0 || dy == 0 || dx == dy);
}

void verify(const RouterInput& in, const RouteResult& result) {
  std::set<std::string> pads_used, lands_used;
  std::vector<Polygon> wires;
  double total_m = 0;
  for (const RoutedNet& net : result.nets) {
    SCOPED_TRACE(net.pad + " -> " + net.land);
    const RouterPad* pad = find_pad(in, net.pad);
    const RouterLand* land = find_land(in, net.land);
    ASSERT_NE(pad, nullptr);
    ASSERT_NE(land, nullptr);
    EXPECT_TRUE(pads_used.insert(net.pad).second) << "pad used twice";
    EXPECT_TRUE(lands_used.insert(net.land).second) << "land used twice";
    if (!in.fixed_nets.empty()) {
      EXPECT_NE(std::find(in.fixed_nets.begin(), in.fixed_nets.end(), std::pair{net.pad, net.land}), in.fixed_nets.end());
    }
    ASSERT_GE(net.centre_line.size(), 2u);
    EXPECT_EQ(net.centre_line.front(), pad->centre);
    EXPECT_EQ(net.centre_line.back(), land->centre);
    double length_nm = 0;
    for (std::size_t k = 1; k < net.centre_line.size(); ++k) {
      const Point a = net.centre_line[k - 1], b = net.centre_line[k];
      EXPECT_TRUE(octilinear(a, b)) << to_string(a) << " -> " << to_string(b);
      length_nm += std::hypot(static_cast<double>(b.x - a.x), static_cast<double>(b.y - a.y));
    }
    EXPECT_NEAR(net.length_m, length_nm * 1e-9, 1e-15);
    // Wires leave their land and pad straight: no bend from 0.7 width inside the edge to a width
    // plus a space outside it (where the layout's teardrops reach).
    for (std::size_t k = 1; k + 1 < net.centre_line.size(); ++k) {
      const Point b = net.centre_line[k];
      const double from_land = std::hypot(static_cast<double>(b.x - land->centre.x), static_cast<double>(b.y - land->centre.y)) -
                               static_cast<double>(land->diameter) / 2;
      const double from_pad = pad->is_circle ? std::hypot(static_cast<double>(b.x - pad->centre.x), static_cast<double>(b.y - pad->centre.y)) -
                                                   static_cast<double>(pad->size) / 2
                                             : static_cast<double>(std::max(std::abs(b.x - pad->centre.x), std::abs(b.y - pad->centre.y)) - pad->size / 2);
      const double inside = -0.7 * static_cast<double>(in.width), outside = static_cast<double>(in.width + in.space);
      EXPECT_FALSE(from_land > inside && from_land < outside) << "bend at " << to_string(b) << " next to its land";
      EXPECT_FALSE(from_pad > inside && from_pad < outside) << "bend at " << to_string(b) << " next to its pad";
    }
    total_m += net.length_m;
    wires.push_back(path_polygon(wire_path(net, in.width)));
  }
  EXPECT_NEAR(result.total_length_m, total_m, 1e-12);
  for (const UnroutedNet& net : result.unrouted) {
    EXPECT_FALSE(net.reason.empty());
    EXPECT_EQ(pads_used.count(net.pad), 0u) << net.pad << " both routed and unrouted";
  }

  // Inside the die minus the edge clearance.
  const Region inner{box_polygon({{in.die.lo.x + in.edge_clearance, in.die.lo.y + in.edge_clearance},
                                  {in.die.hi.x - in.edge_clearance, in.die.hi.y - in.edge_clearance}})};
  for (std::size_t i = 0; i < wires.size(); ++i) EXPECT_TRUE(covers(inner, {wires[i]})) << result.nets[i].pad << " leaves the die";

  // Wire to wire: no two outlines overlap or touch (the union keeps one polygon per wire) and
  // the closest two are a space apart. Only on failure are pairs searched, to name them.
  std::vector<Box> boxes;
  for (const Polygon& wire : wires) boxes.push_back(bounding_box(wire.outer));
  const Region all(wires.begin(), wires.end());
  const bool separate = merged(all).size() == wires.size();
  const double closest = min_spacing_nm(all);
  EXPECT_TRUE(separate) << "wire outlines overlap";
  EXPECT_GE(closest, static_cast<double>(in.space));
  if (!separate || closest < static_cast<double>(in.space))
    for (std::size_t i = 0; i < wires.size(); ++i)
      for (std::size_t j = i + 1; j < wires.size(); ++j)
        if (grown(boxes[i], in.space).overlaps(boxes[j])) {
          EXPECT_TRUE(apart(wires[i], wires[j], in.space)) << result.nets[i].pad << " vs " << result.nets[j].pad;
        }

  // Wire to every land and pad that is not its own (unused ones included).
  for (std::size_t i = 0; i < wires.size(); ++i) {
    const RoutedNet& net = result.nets[i];
    const Box near = grown(boxes[i], in.space);
    for (const RouterLand& land : in.lands) {
      const Box bounds{{land.centre.x - land.diameter / 2, land.centre.y - land.diameter / 2},
                       {land.centre.x + land.diameter / 2, land.centre.y + land.diameter / 2}};
      if (land.name != net.land && near.overlaps(bounds)) {
        EXPECT_TRUE(clear_of_circle(wires[i], land.centre, land.diameter, in.space)) << net.pad << " vs land " << land.name;
      }
    }
    for (const RouterPad& pad : in.pads) {
      if (pad.name == net.pad) continue;
      if (pad.is_circle) {
        EXPECT_TRUE(clear_of_circle(wires[i], pad.centre, pad.size, in.space)) << net.pad << " vs pad " << pad.name;
        continue;
      }
      const Polygon outline = square(pad.centre, pad.size);
      if (near.overlaps(bounding_box(outline.outer))) {
        EXPECT_TRUE(apart(wires[i], outline, in.space)) << net.pad << " vs pad " << pad.name;
      }
    }
  }
}

// Proper crossing of two straight segments (integer orientation tests).
bool cross(Point a, Point b, Point c, Point d) {
  auto side = [](Point p, Point q, Point r) {
    const long double v = static_cast<long double>(q.x - p.x) * (r.y - p.y) - static_cast<long double>(q.y - p.y) * (r.x - p.x);
    return (v > 0) - (v < 0);
  };
  return side(a, b, c) * side(a, b, d) < 0 && side(c, d, a) * side(c, d, b) < 0;
}

// The straight pad → land lines of an assignment cross nowhere.
void expect_planar_assignment(const RouterInput& in, const RouteResult& result) {
  std::vector<std::pair<Point, Point>> lines;
  for (const RoutedNet& net : result.nets) lines.push_back({find_pad(in, net.pad)->centre, find_land(in, net.land)->centre});
  for (std::size_t i = 0; i < lines.size(); ++i)
    for (std::size_t j = i + 1; j < lines.size(); ++j)
      EXPECT_FALSE(cross(lines[i].first, lines[i].second, lines[j].first, lines[j].second))
          << result.nets[i].pad << " and " << result.nets[j].pad;
}

// --- tests -----------------------------------------------------------------------------------

TEST(RdlRouter, FourMillimetreExampleRoutesCompletely) {
  const RouterInput in = four_mm_example();
  ASSERT_EQ(in.pads.size(), 48u);
  ASSERT_EQ(in.lands.size(), 81u);
  const RouteResult result = route_rdl(in);
  for (const UnroutedNet& net : result.unrouted) ADD_FAILURE() << net.pad << ": " << net.reason;
  EXPECT_TRUE(result.is_complete());
  EXPECT_DOUBLE_EQ(result.routed_fraction(), 1.0);
  EXPECT_EQ(result.nets.size(), 48u);
  EXPECT_GE(result.grid_pitch, in.width + in.space);
  EXPECT_GE(result.iterations, 1);
  verify(in, result);
  expect_planar_assignment(in, result);
  // No wire is shorter than the straight line from its pad to its land.
  for (const RoutedNet& net : result.nets) {
    const Point a = find_pad(in, net.pad)->centre, b = find_land(in, net.land)->centre;
    EXPECT_GE(net.length_m, std::hypot(to_m(b.x - a.x), to_m(b.y - a.y)) * (1 - 1e-12));
  }
}

TEST(RdlRouter, TwentyByTwentyArrayWithFourHundredPadsRoutesCompletely) {
  const RouterInput in = twenty_by_twenty();
  ASSERT_EQ(in.pads.size(), 400u);
  ASSERT_EQ(in.lands.size(), 400u);
  const RouteResult result = route_rdl(in);
  for (const UnroutedNet& net : result.unrouted) ADD_FAILURE() << net.pad << ": " << net.reason;
  EXPECT_TRUE(result.is_complete());
  EXPECT_EQ(result.nets.size(), 400u);
  verify(in, result);
  expect_planar_assignment(in, result);
}

// Free assignment minimises the total straight pad → land length: compare with every
// injective assignment of 6 pads to 7 lands (5040 of them).
TEST(RdlRouter, FreeAssignmentHasMinimumTotalLength) {
  RouterInput in;
  in.die = {{0, 0}, {3000 * kUm, 3000 * kUm}};
  in.width = in.space = 15 * kUm;
  in.edge_clearance = 20 * kUm;
  const Point pads[6] = {{300, 100}, {1200, 100}, {2500, 100}, {2900, 1400}, {100, 1700}, {100, 2600}};
  for (int k = 0; k < 6; ++k) in.pads.push_back({"P" + std::to_string(k), {pads[k].x * kUm, pads[k].y * kUm}, 80 * kUm, false});
  const Point lands[7] = {{700, 700}, {1500, 600}, {2300, 800}, {800, 1500}, {1600, 1600}, {2400, 1700}, {1200, 2400}};
  for (int k = 0; k < 7; ++k) in.lands.push_back({"L" + std::to_string(k), {lands[k].x * kUm, lands[k].y * kUm}, 240 * kUm});
  auto dist = [&](int p, int l) {
    return std::hypot(to_m(in.pads[p].centre.x - in.lands[l].centre.x), to_m(in.pads[p].centre.y - in.lands[l].centre.y));
  };
  std::vector<int> perm(7);
  std::iota(perm.begin(), perm.end(), 0);
  double best = 1e9;
  do {  // the first 6 entries of each permutation of the 7 lands (each assignment seen once per order of the rest)
    double sum = 0;
    for (int p = 0; p < 6; ++p) sum += dist(p, perm[p]);
    best = std::min(best, sum);
  } while (std::next_permutation(perm.begin(), perm.end()));
  const RouteResult result = route_rdl(in);
  ASSERT_TRUE(result.is_complete());
  double chosen = 0;
  for (const RoutedNet& net : result.nets) {
    const int p = std::stoi(net.pad.substr(1)), l = std::stoi(net.land.substr(1));
    chosen += dist(p, l);
  }
  EXPECT_NEAR(chosen, best, 1e-9);  // 1 nm in a sum of metres
  verify(in, result);
}

// A narrow die where pads A, B sit on the bottom edge and lands LA, LB on the top edge, each
// touching the die's edge clearance, so no wire can pass between them and the die edge: they
// act as points on the boundary of a disc. Pairs A→LB, B→LA interleave on that boundary and
// must cross (planarity); A→LA, B→LB do not.
RouterInput walled_case() {
  RouterInput in;
  in.die = {{0, 0}, {600 * kUm, 800 * kUm}};
  in.width = in.space = 15 * kUm;
  in.edge_clearance = 50 * kUm;
  in.pads = {{"A", {150 * kUm, 100 * kUm}, 80 * kUm, false}, {"B", {450 * kUm, 100 * kUm}, 80 * kUm, false}};
  in.lands = {{"LA", {150 * kUm, 650 * kUm}, 240 * kUm}, {"LB", {450 * kUm, 650 * kUm}, 240 * kUm}};
  return in;
}

TEST(RdlRouter, CrossingPreassignmentIsReportedNotRouted) {
  RouterInput in = walled_case();
  in.fixed_nets = {{"A", "LB"}, {"B", "LA"}};
  in.max_iterations = 20;
  const RouteResult result = route_rdl(in);
  verify(in, result);  // whatever was routed is legal (so nothing crosses)
  ASSERT_FALSE(result.is_complete());
  EXPECT_EQ(result.nets.size() + result.unrouted.size(), 2u);
  EXPECT_DOUBLE_EQ(result.routed_fraction(), static_cast<double>(result.nets.size()) / 2);
  for (const UnroutedNet& net : result.unrouted) {
    EXPECT_NE(net.reason.find("cross"), std::string::npos) << net.reason;
    EXPECT_EQ(net.land, net.pad == "A" ? "LB" : "LA");
  }
}

TEST(RdlRouter, SameDieRoutesWithFreeAndWithOrderedPairs) {
  RouterInput in = walled_case();
  const RouteResult free = route_rdl(in);
  EXPECT_TRUE(free.is_complete());
  verify(in, free);
  expect_planar_assignment(in, free);
  for (const RoutedNet& net : free.nets) EXPECT_EQ(net.land, "L" + net.pad);
  in.fixed_nets = {{"B", "LB"}, {"A", "LA"}};
  const RouteResult fixed = route_rdl(in);
  EXPECT_TRUE(fixed.is_complete());
  verify(in, fixed);
}

// The same order of pads and lands with room around them: one wire goes around the other's pad
// or land instead.
TEST(RdlRouter, CrossingPairsGoAroundWhenThereIsRoom) {
  RouterInput in;
  in.die = {{0, 0}, {1600 * kUm, 1600 * kUm}};
  in.width = in.space = 15 * kUm;
  in.edge_clearance = 20 * kUm;
  in.pads = {{"A", {500 * kUm, 300 * kUm}, 80 * kUm, false}, {"B", {1100 * kUm, 300 * kUm}, 80 * kUm, false}};
  in.lands = {{"LA", {500 * kUm, 1100 * kUm}, 240 * kUm}, {"LB", {1100 * kUm, 1100 * kUm}, 240 * kUm}};
  in.fixed_nets = {{"A", "LB"}, {"B", "LA"}};
  const RouteResult result = route_rdl(in);
  EXPECT_TRUE(result.is_complete()) << (result.unrouted.empty() ? "" : result.unrouted[0].reason);
  verify(in, result);
  // One of them detours: the two wires are longer than the two straight lines.
  const double straight_m = 2 * std::hypot(600e-6, 800e-6);
  EXPECT_GT(result.total_length_m, straight_m * 1.2);
}

// A land walled in by its 8 neighbours 280 µm apart (240 µm lands: 40 µm gaps, which hold
// (40 − 15) / 30 < 1 track of 15/15 µm); the pad's straight line enters between A1 and B1.
TEST(RdlRouter, NarrowGapIsReportedNamingTheLands) {
  RouterInput in;
  in.die = {{0, 0}, {2000 * kUm, 1600 * kUm}};
  in.width = in.space = 15 * kUm;
  in.edge_clearance = 20 * kUm;
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 3; ++col)
      in.lands.push_back({land_name(row, col), {(900 + 280 * col) * kUm, (520 + 280 * row) * kUm}, 240 * kUm});
  in.pads = {{"P", {150 * kUm, 660 * kUm}, 80 * kUm, false}};
  in.fixed_nets = {{"P", "B2"}};
  const RouteResult result = route_rdl(in);
  ASSERT_EQ(result.unrouted.size(), 1u);
  EXPECT_TRUE(result.nets.empty());
  EXPECT_EQ(result.unrouted[0].land, "B2");
  EXPECT_EQ(result.unrouted[0].reason, "blocked between lands A1 and B1: gap 40.0 um holds 0 tracks, needs 1");
  // One more micrometre of land pitch per gap is still too little; 45 µm gaps hold one track.
  in.lands.clear();
  for (int row = 0; row < 3; ++row)
    for (int col = 0; col < 3; ++col)
      in.lands.push_back({land_name(row, col), {(900 + 300 * col) * kUm, (520 + 300 * row) * kUm}, 240 * kUm});
  const RouteResult wide = route_rdl(in);
  EXPECT_TRUE(wide.is_complete()) << (wide.unrouted.empty() ? "" : wide.unrouted[0].reason);
  verify(in, wide);
}

TEST(RdlRouter, PadTooSmallForTheWireHasNoAccess) {
  RouterInput in;
  in.die = {{0, 0}, {1000 * kUm, 1000 * kUm}};
  in.width = in.space = 15 * kUm;
  in.pads = {{"TINY", {200 * kUm, 200 * kUm}, 10 * kUm, false}};
  in.lands = {{"L", {700 * kUm, 700 * kUm}, 240 * kUm}};
  const RouteResult result = route_rdl(in);
  ASSERT_EQ(result.unrouted.size(), 1u);
  EXPECT_NE(result.unrouted[0].reason.find("pad TINY has no free access"), std::string::npos) << result.unrouted[0].reason;
}

// Random dies (jittered land arrays, so no regular pitch; square and round pads of random
// sizes; random width, space and edge clearance): whatever is routed must pass the verifier,
// and whatever is not must say why.
RouterInput random_case(unsigned seed) {
  std::mt19937 rng(seed);
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  auto um = [](double v) { return static_cast<Nm>(std::llround(v * 1000)); };
  RouterInput in;
  const double die_um = uniform(2000, 3500);
  in.die = {{0, 0}, {um(die_um), um(die_um)}};
  in.width = um(uniform(8, 20));
  in.space = um(uniform(8, 20));
  in.edge_clearance = um(uniform(5, 40));
  const int per_side = static_cast<int>(uniform(4, 9));
  const double pad_pitch = (die_um - 500) / per_side;
  for (int side = 0; side < 4; ++side)
    for (int k = 0; k < per_side; ++k) {
      const double along = 250 + pad_pitch * (k + 0.5) + uniform(-10, 10), inset = uniform(80, 120);
      const Point c = side == 0   ? Point{um(along), um(inset)}
                      : side == 1 ? Point{um(die_um - inset), um(along)}
                      : side == 2 ? Point{um(die_um - along), um(die_um - inset)}
                                  : Point{um(inset), um(die_um - along)};
      in.pads.push_back({"P" + std::to_string(side) + "_" + std::to_string(k), c, um(uniform(60, 100)), uniform(0, 1) < 0.3});
    }
  const int lands_per_side = static_cast<int>(uniform(4, 7));
  const double land_pitch = (die_um - 800) / lands_per_side;
  for (int row = 0; row < lands_per_side; ++row)
    for (int col = 0; col < lands_per_side; ++col)
      in.lands.push_back({land_name(row, col),
                          {um(400 + land_pitch * (col + 0.5) + uniform(-15, 15)), um(400 + land_pitch * (row + 0.5) + uniform(-15, 15))},
                          um(uniform(0.45, 0.65) * land_pitch)});
  while (in.pads.size() > in.lands.size()) in.pads.pop_back();
  return in;
}

TEST(RdlRouter, RandomDiesAreRoutedLegallyOrExplained) {
  for (unsigned seed = 1; seed <= 12; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const RouterInput in = random_case(seed);
    const RouteResult result = route_rdl(in);
    verify(in, result);
    expect_planar_assignment(in, result);
    EXPECT_EQ(result.nets.size() + result.unrouted.size(), in.pads.size());
    EXPECT_GT(result.routed_fraction(), 0.5);
  }
}

TEST(RdlRouter, InconsistentInputThrows) {
  RouterInput in = walled_case();
  in.fixed_nets = {{"A", "LA"}, {"C", "LB"}};
  EXPECT_THROW(route_rdl(in), std::invalid_argument);  // unknown pad
  in.fixed_nets = {{"A", "LZ"}};
  EXPECT_THROW(route_rdl(in), std::invalid_argument);  // unknown land
  in.fixed_nets = {{"A", "LA"}, {"B", "LA"}};
  EXPECT_THROW(route_rdl(in), std::invalid_argument);  // land twice
  in.fixed_nets = {{"A", "LA"}, {"A", "LB"}};
  EXPECT_THROW(route_rdl(in), std::invalid_argument);  // pad twice
  in.fixed_nets.clear();
  in.pads.push_back({"C", {300 * kUm, 400 * kUm}, 80 * kUm, false});
  EXPECT_THROW(route_rdl(in), std::invalid_argument);  // 3 pads, 2 lands
  in = walled_case();
  in.width = 0;
  EXPECT_THROW(route_rdl(in), std::invalid_argument);
  in = walled_case();
  in.space = -1;
  EXPECT_THROW(route_rdl(in), std::invalid_argument);
}

}  // namespace
}  // namespace wlp::layout
