// Layout geometry in integer nanometres (the GDSII database unit of wlpkit is 1 nm).
//
// Points, boxes, polygons with holes, paths with width, and regions (sets of polygons) with
// booleans, sizing, area, containment and spacing queries. Clipping and offsetting are done by
// Clipper (libpolyclipping) behind this interface; nothing here hand-clips polygons.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace wlp::layout {

/// A length or coordinate in nanometres.
using Nm = std::int64_t;

/// Metres → nanometres, rounded to the nearest nanometre.
Nm to_nm(double length_m);
/// Nanometres → metres / micrometres (display, reports).
inline double to_m(Nm length) { return static_cast<double>(length) * 1e-9; }
inline double to_um(Nm length) { return static_cast<double>(length) * 1e-3; }

struct Point {
  Nm x = 0, y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};

struct Box {
  Point lo, hi;  // lo.x <= hi.x, lo.y <= hi.y
  [[nodiscard]] Nm width() const { return hi.x - lo.x; }
  [[nodiscard]] Nm height() const { return hi.y - lo.y; }
  [[nodiscard]] bool contains(Point p) const { return p.x >= lo.x && p.x <= hi.x && p.y >= lo.y && p.y <= hi.y; }
  [[nodiscard]] bool overlaps(const Box& other) const {
    return lo.x <= other.hi.x && other.lo.x <= hi.x && lo.y <= other.hi.y && other.lo.y <= hi.y;
  }
};

/// A closed ring of vertices, the closing edge implied (the first point is not repeated).
using Ring = std::vector<Point>;

/// A polygon: one outer ring (counter-clockwise) and holes (clockwise), none self-touching.
struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
};

/// A set of polygons on one layer. Regions built by the boolean operations are merged
/// (no two polygons overlap); hand-built ones may overlap until merged.
using Region = std::vector<Polygon>;

/// Appends the polygons of `more` to `region` (no merge).
inline void append(Region& region, const Region& more) { region.insert(region.end(), more.begin(), more.end()); }

enum class PathEnds { Flush, Extended };  // GDSII PATHTYPE 0 and 2 (half-width extension)

/// A wire: centre line and full width.
struct Path {
  std::vector<Point> points;
  Nm width = 0;
  PathEnds ends = PathEnds::Extended;
};

enum class BoolOp { And, Or, Not, Xor };

// --- construction ---------------------------------------------------------------------------

Polygon box_polygon(const Box& box);
/// Axis-aligned square of side `side` centred on `centre`.
Polygon square(Point centre, Nm side);
/// Regular polygon inscribed in the circle (vertices on it) with the fewest vertices, a multiple
/// of 8, whose chord error (circle to chord, at mid-chord) is at most `max_chord_error`.
Polygon circle(Point centre, Nm radius, Nm max_chord_error = 10);
/// Number of vertices circle() uses.
int circle_vertex_count(Nm radius, Nm max_chord_error);
/// A wire as a polygon: 45° and any-angle joins mitred exactly (as GDSII PATH readers draw them),
/// ends flush or extended by half the width.
Polygon path_polygon(const Path& path);

// --- booleans and sizing (Clipper) -----------------------------------------------------------

Region boolean(const Region& a, const Region& b, BoolOp op);
inline Region region_and(const Region& a, const Region& b) { return boolean(a, b, BoolOp::And); }
inline Region region_or(const Region& a, const Region& b) { return boolean(a, b, BoolOp::Or); }
inline Region region_not(const Region& a, const Region& b) { return boolean(a, b, BoolOp::Not); }
inline Region region_xor(const Region& a, const Region& b) { return boolean(a, b, BoolOp::Xor); }
/// Union of the region with itself: overlapping and touching polygons become one.
Region merged(const Region& region);
/// Grows (delta > 0) or shrinks (delta < 0) every polygon by `delta`; corners stay square
/// (mitred), as in a DRC `sized` operation.
Region sized(const Region& region, Nm delta);

// --- measures and queries --------------------------------------------------------------------

/// Signed area of a ring in µm² (counter-clockwise positive), exact to long-double precision.
double ring_area_um2(const Ring& ring);
/// Area of a polygon (outer minus holes) in µm².
double area_um2(const Polygon& polygon);
/// Area covered by a region in µm², overlaps counted once.
double area_um2(const Region& region);
/// Area of a region whose polygons do not overlap (a partition's cells), µm²: the plain sum,
/// no union needed.
double disjoint_area_um2(const Region& region);
Box bounding_box(const Ring& ring);
Box bounding_box(const Region& region);
/// Number of vertices in all rings.
std::size_t vertex_count(const Region& region);

/// Point inside or on the boundary of the polygon (and not inside one of its holes).
bool contains(const Polygon& polygon, Point p);
bool contains(const Region& region, Point p);
/// `inner` lies completely inside `outer` (boolean test: inner − outer is empty).
bool covers(const Region& outer, const Region& inner);

/// Shortest distance between the boundaries of two polygons in nm (0 when they overlap or touch).
double distance_nm(const Polygon& a, const Polygon& b);
/// Shortest distance between two distinct polygons of the merged region (infinity when it has
/// fewer than two): the DRC "space" of a layer, measured edge to edge.
double min_spacing_nm(const Region& region);
/// Shortest distance between a polygon of `a` and a polygon of `b` that do not overlap.
double min_separation_nm(const Region& a, const Region& b);

/// Smallest convex polygon holding every vertex of the region (Andrew's monotone chain).
Polygon convex_hull(const Region& region);

/// Translates every vertex.
Region translated(const Region& region, Point offset);

/// Hole-free rings for formats without holes (GDSII): each polygon with holes is cut by vertical
/// lines through its holes, and any ring with more than `max_points` vertices is bisected
/// until it has at most that many. The union of the rings equals the polygon.
std::vector<Ring> fractured(const Polygon& polygon, std::size_t max_points = 8190);

std::string to_string(Point p);  // "(12.345, -6.000) um"

}  // namespace wlp::layout
