// Internals of the RDL router shared by its source files (rdl_*.cpp); not a public interface.
//
//   rdl_assignment.cpp  minimum-total-length pad → land assignment (Hungarian method)
//   rdl_problem.cpp     shapes, the track grid, clearance fields, pad/land access nodes
//   rdl_search.cpp      A* on the octilinear grid and negotiated congestion (PathFinder)
//   rdl_diagnosis.cpp   the reason given for a net that stays unrouted
//   rdl_router.cpp      route_rdl: validation, assembly of the centre lines, results
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "layout/geometry.h"
#include "layout/rdl_router.h"

namespace wlp::layout::rdl {

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A point in nanometres as doubles, for distance arithmetic.
struct XY {
  double x = 0, y = 0;
};
inline XY xy(Point p) { return {static_cast<double>(p.x), static_cast<double>(p.y)}; }

/// A pad or land as the router sees it: an obstacle to every net but its owner.
struct Shape {
  std::string name;
  bool is_land = false;
  bool is_circle = false;
  Point centre;
  double radius = 0;  // circles
  Box box;            // squares, exactly as geometry.h square() draws them
  int owner = -1;     // net index; -1 when no routed net ends on it
};

double point_distance(const Shape& shape, XY q);          // 0 inside
double depth_inside(const Shape& shape, XY q);            // to the boundary from inside; < 0 outside
double segment_distance(const Shape& shape, XY a, XY b);  // 0 when the segment meets the shape
double shape_gap(const Shape& a, const Shape& b);         // edge to edge, 0 when they touch
Box shape_bounds(const Shape& shape);
/// Length of the shortest octilinear path between two points.
double octile_length(XY a, XY b);
/// The segments a-b and c-d cross at a point inside both (touching ends do not count).
bool segments_cross(XY a, XY b, XY c, XY d);

/// Buckets of shapes for "which shapes are near this box" queries.
class ShapeIndex {
 public:
  ShapeIndex() = default;
  ShapeIndex(const std::vector<Shape>& shapes, Nm bucket);
  /// Indices of the shapes whose bounds come within `reach` of `box` (candidates, sorted).
  [[nodiscard]] std::vector<int> near(const Box& box, double reach) const;

 private:
  Box extent_;
  Nm bucket_ = 1;
  int nx_ = 0, ny_ = 0;
  std::vector<std::vector<int>> cells_;
};

/// Minimum-cost assignment of `rows` rows to distinct columns (rows <= cols); `cost` is
/// row-major. Returns the column of each row.
std::vector<int> min_cost_assignment(const std::vector<double>& cost, int rows, int cols);

/// The octilinear track grid: node (i, j) at origin + (i, j) · pitch, index j · nx + i.
struct Grid {
  Nm pitch = 0;
  Point origin;
  int nx = 0, ny = 0;
  [[nodiscard]] int size() const { return nx * ny; }
  [[nodiscard]] Point at(int node) const {
    return {origin.x + (node % nx) * pitch, origin.y + (node / nx) * pitch};
  }
};

/// Directions 0..7 counter-clockwise from +x; even ones are horizontal/vertical.
constexpr int kDx[8] = {1, 1, 0, -1, -1, -1, 0, 1};
constexpr int kDy[8] = {0, 1, 1, 1, 0, -1, -1, -1};

/// Owner codes in clearance fields: nets are >= 0, the die edge is -1, a shape of no net is
/// -2 - its index (so it never matches a net).
constexpr int kDieOwner = -1;
constexpr std::uint16_t kTurn45Clear = 1u << 8, kTurn90Clear = 1u << 9;
constexpr int kNobody = std::numeric_limits<int>::min();

/// Distances to the two nearest owners (by each owner's nearest shape): enough to answer
/// "how far is the nearest obstacle that is not net k's own" for every k.
struct Clearance {
  float d1 = std::numeric_limits<float>::infinity(), d2 = std::numeric_limits<float>::infinity();
  int o1 = kNobody, o2 = kNobody;
  void add(float distance, int owner);
  [[nodiscard]] float for_net(int net) const { return o1 != net ? d1 : d2; }
};

/// Direction 0..7 of the octilinear step a → b (a ≠ b), or kAnyDirection when a == b.
constexpr int kAnyDirection = 8;
int direction_of(Point a, Point b);
/// Whether a wire running in direction `in` may continue in direction `out` (either may be
/// kAnyDirection): straight on, by 45°, or by 90° between horizontal and vertical runs.
bool turn_allowed(int in, int out);

/// A grid node a net may start or end on with one stub from the pad/land centre: its length,
/// whether it runs its diagonal first, and the direction the wire runs at the node (pad side:
/// arriving from the stub; land side: leaving into the stub), kAnyDirection on the centre.
struct Access {
  int node = 0;
  double stub = 0;
  bool diagonal_first = true;
  int direction = kAnyDirection;
};

struct Net {
  int pad = -1, land = -1;  // shape indices
};

/// Everything the search needs, built once per route_rdl call.
struct Problem {
  Nm width = 0, space = 0;
  Box inner;  // die minus edge clearance: wire polygons stay inside
  std::vector<Shape> shapes;
  ShapeIndex index;  // of `shapes`
  std::vector<Net> nets;
  Grid grid;
  std::vector<Clearance> node_clear;  // per node
  std::vector<Clearance> edge_clear;  // per node × 4 (segments to E, NE, N, NW)
  // Per node, what holds for every net (so the search can skip the per-net lookups): bit d
  // (0..7) the segment to the neighbour in direction d is clear; kTurn45Clear / kTurn90Clear
  // the wire may turn there by 45° / 90°.
  std::vector<std::uint16_t> node_flags;
  std::vector<std::vector<Access>> pad_access, land_access;  // per net
  // Required clearance (nm) from other nets' shapes to a wire centre line: along a segment,
  // at a 45° turn, at a 90° turn, and around the end stubs (their ends and joints, which turn
  // like the grid path: at most 45°, or 90° between horizontal and vertical).
  double need_edge = 0, need_turn45 = 0, need_turn90 = 0, need_stub = 0;
  double stub_reach = 0;  // how far the wire outline may reach from a stub's centre line
  double side_reach = 0;  // obstacles this close to a net's straight line keep their side of it
  double exit_run = 0;    // a wire runs straight this far beyond its own land/pad (see in_exit_zone)
  double guide_scale = 0;  // unit of the distance from the straight line in the guide cost (land pitch)
};

/// Builds the grid, the clearance fields and the access nodes for the given shapes and nets.
Problem build_problem(const RouterInput& input, std::vector<Shape> shapes, std::vector<Net> nets);
/// Owner code of shape `index` (see kDieOwner).
inline int owner_code(const Shape& shape, int index) { return shape.owner >= 0 ? shape.owner : -2 - index; }
/// The stub from `from` to `to`: one diagonal and one straight run (diagonal first or last).
std::vector<Point> stub_points(Point from, Point to, bool diagonal_first);
/// The stub (centre of shape `shape`, owned by `net`, to a grid node) starts and bends deep
/// enough inside the shape and the die for the outline of any allowed turn there, and keeps a
/// space plus that reach from every other net's shape.
bool stub_fits(const Problem& problem, int shape, int net, const std::vector<Point>& stub);

/// Within the exit zone of a net's own land or pad (`shape`) its wire must not turn: from where
/// a turn's outline could leave the shape out to `exit_run` beyond the shape's edge. The die
/// layout draws teardrops (hull of the shape and the wire's first width beyond it); a bend inside
/// that reach would make a new acute notch next to the teardrop.
bool in_exit_zone(const Problem& problem, const Shape& shape, XY q);

enum class Failure { None, NoPadAccess, NoLandAccess, Unreachable, Congested };

/// A grid path and the stubs it starts and ends with.
struct GridRoute {
  std::vector<int> nodes;  // pad end first
  Access start, end;       // entries of pad_access / land_access
};

struct Negotiation {
  std::vector<GridRoute> routes;  // nodes empty when unrouted
  std::vector<Failure> failures;
  int iterations = 0;
};

/// Routes every net by A* with negotiated congestion until no two nets conflict or
/// `max_iterations` rounds are spent; the nets still in conflict then are kept in order of
/// fewest conflicts, the rest rerouted around them (or after moving a few nets in their way)
/// or given up.
Negotiation negotiate(const Problem& problem, int max_iterations);

/// Why net `net` could not be routed (human-readable, names the lands/pads involved).
std::string explain_failure(const Problem& problem, int net, Failure failure, int iterations);

}  // namespace wlp::layout::rdl
