// Geometry core: construction, measures and queries by hand (they are a few lines each);
// booleans, sizing and path outlines through Clipper (clipper_bridge.cpp).
#include "layout/geometry.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include <fmt/format.h>

#include "layout/clipper_bridge.h"

namespace wlp::layout {

Nm to_nm(double length_m) { return static_cast<Nm>(std::llround(length_m * 1e9)); }

Polygon box_polygon(const Box& box) {
  return Polygon{{box.lo, {box.hi.x, box.lo.y}, box.hi, {box.lo.x, box.hi.y}}, {}};
}

Polygon square(Point centre, Nm side) {
  const Nm half = side / 2;
  return box_polygon(Box{{centre.x - half, centre.y - half}, {centre.x - half + side, centre.y - half + side}});
}

int circle_vertex_count(Nm radius, Nm max_chord_error) {
  if (radius <= 0) return 8;
  const double ratio = 1.0 - static_cast<double>(std::max<Nm>(max_chord_error, 1)) / static_cast<double>(radius);
  if (ratio <= std::cos(std::numbers::pi / 8)) return 8;
  const int needed = static_cast<int>(std::ceil(std::numbers::pi / std::acos(ratio)));
  return std::max(8, (needed + 7) / 8 * 8);
}

Polygon circle(Point centre, Nm radius, Nm max_chord_error) {
  const int n = circle_vertex_count(radius, max_chord_error);
  Polygon polygon;
  polygon.outer.reserve(static_cast<std::size_t>(n));
  const double r = static_cast<double>(radius);
  // Half a step of rotation puts flat edges facing ±x and ±y, so the polygon's width along
  // the axes is the same in x and y (n is a multiple of 8).
  for (int k = 0; k < n; ++k) {
    const double angle = 2 * std::numbers::pi * (k + 0.5) / n;
    polygon.outer.push_back({centre.x + std::llround(r * std::cos(angle)), centre.y + std::llround(r * std::sin(angle))});
  }
  return polygon;
}

Polygon path_polygon(const Path& path) { return clipper_path_outline(path); }

Region boolean(const Region& a, const Region& b, BoolOp op) { return clipper_boolean(a, b, op); }
Region merged(const Region& region) { return clipper_boolean(region, {}, BoolOp::Or); }
Region sized(const Region& region, Nm delta) { return clipper_offset(region, delta); }

double ring_area_um2(const Ring& ring) {
  if (ring.size() < 3) return 0;
  // Shoelace relative to the first vertex keeps the products small; long double holds them exactly.
  long double twice = 0;
  const Point o = ring.front();
  for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
    const long double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
    const long double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
    twice += ax * by - ay * bx;
  }
  return static_cast<double>(twice / 2 * 1e-6L);
}

double area_um2(const Polygon& polygon) {
  double area = std::abs(ring_area_um2(polygon.outer));
  for (const Ring& hole : polygon.holes) area -= std::abs(ring_area_um2(hole));
  return area;
}

double area_um2(const Region& region) {
  double area = 0;
  for (const Polygon& polygon : merged(region)) area += area_um2(polygon);
  return area;
}

double disjoint_area_um2(const Region& region) {
  double area = 0;
  for (const Polygon& polygon : region) area += area_um2(polygon);
  return area;
}

Box bounding_box(const Ring& ring) {
  if (ring.empty()) return {};
  Box box{ring.front(), ring.front()};
  for (const Point& p : ring) {
    box.lo.x = std::min(box.lo.x, p.x);
    box.lo.y = std::min(box.lo.y, p.y);
    box.hi.x = std::max(box.hi.x, p.x);
    box.hi.y = std::max(box.hi.y, p.y);
  }
  return box;
}

Box bounding_box(const Region& region) {
  bool first = true;
  Box box;
  for (const Polygon& polygon : region) {
    const Box b = bounding_box(polygon.outer);
    if (first) {
      box = b;
      first = false;
      continue;
    }
    box.lo.x = std::min(box.lo.x, b.lo.x);
    box.lo.y = std::min(box.lo.y, b.lo.y);
    box.hi.x = std::max(box.hi.x, b.hi.x);
    box.hi.y = std::max(box.hi.y, b.hi.y);
  }
  return box;
}

std::size_t vertex_count(const Region& region) {
  std::size_t count = 0;
  for (const Polygon& polygon : region) {
    count += polygon.outer.size();
    for (const Ring& hole : polygon.holes) count += hole.size();
  }
  return count;
}

namespace {

// Winding-independent point-in-ring test: 1 inside, 0 outside, -1 on the boundary.
int ring_location(const Ring& ring, Point p) {
  bool inside = false;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Point& a = ring[i];
    const Point& b = ring[j];
    // On the edge a-b?
    const long double cross = static_cast<long double>(b.x - a.x) * (p.y - a.y) - static_cast<long double>(b.y - a.y) * (p.x - a.x);
    if (cross == 0 && p.x >= std::min(a.x, b.x) && p.x <= std::max(a.x, b.x) && p.y >= std::min(a.y, b.y) &&
        p.y <= std::max(a.y, b.y))
      return -1;
    if ((a.y > p.y) != (b.y > p.y)) {
      const long double x_cross = a.x + static_cast<long double>(b.x - a.x) * (p.y - a.y) / (b.y - a.y);
      if (p.x < x_cross) inside = !inside;
    }
  }
  return inside ? 1 : 0;
}

double point_segment_distance(Point p, Point a, Point b) {
  const double dx = static_cast<double>(b.x - a.x), dy = static_cast<double>(b.y - a.y);
  const double px = static_cast<double>(p.x - a.x), py = static_cast<double>(p.y - a.y);
  const double length2 = dx * dx + dy * dy;
  double t = length2 > 0 ? (px * dx + py * dy) / length2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(px - t * dx, py - t * dy);
}

bool segments_intersect(Point a, Point b, Point c, Point d) {
  auto orient = [](Point p, Point q, Point r) {
    const long double v = static_cast<long double>(q.x - p.x) * (r.y - p.y) - static_cast<long double>(q.y - p.y) * (r.x - p.x);
    return (v > 0) - (v < 0);
  };
  auto on_segment = [](Point p, Point q, Point r) {  // r on p-q given collinear
    return r.x >= std::min(p.x, q.x) && r.x <= std::max(p.x, q.x) && r.y >= std::min(p.y, q.y) && r.y <= std::max(p.y, q.y);
  };
  const int o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 != o2 && o3 != o4) return true;
  return (o1 == 0 && on_segment(a, b, c)) || (o2 == 0 && on_segment(a, b, d)) || (o3 == 0 && on_segment(c, d, a)) ||
         (o4 == 0 && on_segment(c, d, b));
}

double segment_distance(Point a, Point b, Point c, Point d) {
  if (segments_intersect(a, b, c, d)) return 0;
  return std::min({point_segment_distance(a, c, d), point_segment_distance(b, c, d), point_segment_distance(c, a, b),
                   point_segment_distance(d, a, b)});
}

std::vector<const Ring*> rings_of(const Polygon& polygon) {
  std::vector<const Ring*> rings{&polygon.outer};
  for (const Ring& hole : polygon.holes) rings.push_back(&hole);
  return rings;
}

double box_gap_nm(const Box& a, const Box& b) {
  const double gx = static_cast<double>(std::max<Nm>({0, b.lo.x - a.hi.x, a.lo.x - b.hi.x}));
  const double gy = static_cast<double>(std::max<Nm>({0, b.lo.y - a.hi.y, a.lo.y - b.hi.y}));
  return std::hypot(gx, gy);
}

}  // namespace

bool contains(const Polygon& polygon, Point p) {
  if (polygon.outer.size() < 3 || ring_location(polygon.outer, p) == 0) return false;
  for (const Ring& hole : polygon.holes)
    if (ring_location(hole, p) == 1) return false;
  return true;
}

bool contains(const Region& region, Point p) {
  return std::any_of(region.begin(), region.end(), [&](const Polygon& polygon) { return contains(polygon, p); });
}

bool covers(const Region& outer, const Region& inner) { return region_not(inner, outer).empty(); }

double distance_nm(const Polygon& a, const Polygon& b) {
  if (a.outer.empty() || b.outer.empty()) return std::numeric_limits<double>::infinity();
  if (contains(a, b.outer.front()) || contains(b, a.outer.front())) return 0;
  double best = std::numeric_limits<double>::infinity();
  for (const Ring* ra : rings_of(a))
    for (const Ring* rb : rings_of(b))
      for (std::size_t i = 0; i < ra->size(); ++i) {
        const Point p = (*ra)[i], q = (*ra)[(i + 1) % ra->size()];
        for (std::size_t j = 0; j < rb->size(); ++j) {
          best = std::min(best, segment_distance(p, q, (*rb)[j], (*rb)[(j + 1) % rb->size()]));
          if (best == 0) return 0;
        }
      }
  return best;
}

namespace {

// Closest pair between polygons of `a` and of `b` (or within `a` when `b` is null), pruned by a
// sweep over bounding boxes sorted by their left edge.
double closest_pair_nm(const Region& a, const Region* b) {
  struct Item {
    const Polygon* polygon;
    Box box;
    int set;
  };
  std::vector<Item> items;
  for (const Polygon& p : a) items.push_back({&p, bounding_box(p.outer), 0});
  if (b)
    for (const Polygon& p : *b) items.push_back({&p, bounding_box(p.outer), 1});
  std::sort(items.begin(), items.end(), [](const Item& x, const Item& y) { return x.box.lo.x < y.box.lo.x; });
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < items.size(); ++i)
    for (std::size_t j = i + 1; j < items.size(); ++j) {
      if (static_cast<double>(items[j].box.lo.x - items[i].box.hi.x) >= best) break;
      if (b && items[i].set == items[j].set) continue;
      if (box_gap_nm(items[i].box, items[j].box) >= best) continue;
      const double d = distance_nm(*items[i].polygon, *items[j].polygon);
      if (b && d == 0) continue;  // overlapping shapes of two layers are not a separation
      best = std::min(best, d);
    }
  return best;
}

}  // namespace

double min_spacing_nm(const Region& region) { return closest_pair_nm(merged(region), nullptr); }

double min_separation_nm(const Region& a, const Region& b) { return closest_pair_nm(a, &b); }

Polygon convex_hull(const Region& region) {
  std::vector<Point> points;
  for (const Polygon& polygon : region) points.insert(points.end(), polygon.outer.begin(), polygon.outer.end());
  std::sort(points.begin(), points.end(), [](Point a, Point b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  points.erase(std::unique(points.begin(), points.end()), points.end());
  if (points.size() < 3) return Polygon{points, {}};
  auto cross = [](Point o, Point a, Point b) {
    return static_cast<long double>(a.x - o.x) * (b.y - o.y) - static_cast<long double>(a.y - o.y) * (b.x - o.x);
  };
  Ring hull(2 * points.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {  // lower chain
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  for (std::size_t i = points.size() - 1, lower = k + 1; i-- > 0;) {  // upper chain
    while (k >= lower && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  hull.resize(k - 1);  // the last point repeats the first
  return Polygon{hull, {}};
}

Region translated(const Region& region, Point offset) {
  Region result = region;
  for (Polygon& polygon : result) {
    for (Point& p : polygon.outer) p = {p.x + offset.x, p.y + offset.y};
    for (Ring& hole : polygon.holes)
      for (Point& p : hole) p = {p.x + offset.x, p.y + offset.y};
  }
  return result;
}

namespace {

void fracture_into(const Polygon& polygon, std::size_t max_points, std::vector<Ring>& out, int depth) {
  const bool too_many = polygon.outer.size() > max_points;
  if (polygon.holes.empty() && !too_many) {
    out.push_back(polygon.outer);
    return;
  }
  const Box box = bounding_box(polygon.outer);
  // Cut vertically through the middle of the first hole (every hole cut opens to the outside
  // on both sides), or bisect the longer side of an oversize ring.
  Box left = box, right = box;
  if (!polygon.holes.empty()) {
    const Box hole = bounding_box(polygon.holes.front());
    const Nm cut = hole.lo.x + (hole.hi.x - hole.lo.x) / 2;
    left.hi.x = cut;
    right.lo.x = cut;
  } else if (box.width() >= box.height()) {
    left.hi.x = right.lo.x = box.lo.x + box.width() / 2;
  } else {
    left.hi.y = right.lo.y = box.lo.y + box.height() / 2;
  }
  if (depth > 64) {  // cannot happen for valid input; keep the ring rather than loop forever
    out.push_back(polygon.outer);
    return;
  }
  for (const Box& half : {left, right})
    for (const Polygon& piece : region_and({polygon}, {box_polygon(half)})) fracture_into(piece, max_points, out, depth + 1);
}

}  // namespace

std::vector<Ring> fractured(const Polygon& polygon, std::size_t max_points) {
  std::vector<Ring> rings;
  fracture_into(polygon, std::max<std::size_t>(max_points, 4), rings, 0);
  return rings;
}

std::string to_string(Point p) { return fmt::format("({:.3f}, {:.3f}) um", to_um(p.x), to_um(p.y)); }

}  // namespace wlp::layout
