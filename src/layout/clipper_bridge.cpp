// Clipper (Angus Johnson's polygon clipping library, Debian libpolyclipping) works on 64-bit
// integer coordinates like wlpkit, so nanometres pass through unchanged.
#include "layout/clipper_bridge.h"

#include <clipper.hpp>

#include <algorithm>
#include <cmath>

namespace wlp::layout {
namespace {

namespace cl = ClipperLib;

cl::Path to_clipper(const Ring& ring) {
  cl::Path path;
  path.reserve(ring.size());
  for (const Point& p : ring) path.emplace_back(p.x, p.y);
  return path;
}

Ring from_clipper(const cl::Path& path) {
  Ring ring;
  ring.reserve(path.size());
  for (const cl::IntPoint& p : path) ring.push_back({p.X, p.Y});
  return ring;
}

// Outer rings counter-clockwise, holes clockwise, as geometry.h promises.
cl::Paths to_clipper(const Region& region) {
  cl::Paths paths;
  for (const Polygon& polygon : region) {
    if (polygon.outer.size() < 3) continue;
    cl::Path outer = to_clipper(polygon.outer);
    if (!cl::Orientation(outer)) cl::ReversePath(outer);
    paths.push_back(std::move(outer));
    for (const Ring& hole : polygon.holes) {
      cl::Path inner = to_clipper(hole);
      if (cl::Orientation(inner)) cl::ReversePath(inner);
      paths.push_back(std::move(inner));
    }
  }
  return paths;
}

struct BoundedPath {
  const cl::Path* path;
  cl::IntPoint lo, hi;  // bounding box
  double area;          // |signed area|
};

BoundedPath bounded(const cl::Path& path) {
  BoundedPath b{&path, path.front(), path.front(), std::abs(cl::Area(path))};
  for (const cl::IntPoint& p : path) {
    b.lo.X = std::min(b.lo.X, p.X), b.lo.Y = std::min(b.lo.Y, p.Y);
    b.hi.X = std::max(b.hi.X, p.X), b.hi.Y = std::max(b.hi.Y, p.Y);
  }
  return b;
}

bool box_inside(const BoundedPath& inner, const BoundedPath& outer) {
  return inner.lo.X >= outer.lo.X && inner.lo.Y >= outer.lo.Y && inner.hi.X <= outer.hi.X && inner.hi.Y <= outer.hi.Y;
}

// 1 when the hole lies inside the outer ring, 0 when outside; decided by the first hole vertex
// not on the outer ring (a strictly simple result has holes that touch their outer at most at
// isolated points).
bool hole_inside(const cl::Path& hole, const cl::Path& outer) {
  for (const cl::IntPoint& p : hole) {
    const int where = cl::PointInPolygon(p, outer);
    if (where >= 0) return where == 1;
  }
  return true;
}

// Clipper's flat result (outer rings counter-clockwise, holes clockwise) into polygons with
// holes. Each hole belongs to the smallest outer ring around it. Building this here rather
// than asking Clipper for a PolyTree matters: Clipper 6 keeps its tree by re-testing every
// split polygon against all others (FixupFirstLefts), quadratic when a region has thousands of
// cells sharing edges, as the process model's partitions do.
Region from_paths(const cl::Paths& paths) {
  std::vector<BoundedPath> outers, holes;
  for (const cl::Path& path : paths) {
    if (path.size() < 3) continue;
    (cl::Orientation(path) ? outers : holes).push_back(bounded(path));
  }
  std::sort(outers.begin(), outers.end(), [](const BoundedPath& a, const BoundedPath& b) { return a.area < b.area; });
  Region region;
  region.reserve(outers.size());
  for (const BoundedPath& outer : outers) region.push_back(Polygon{from_clipper(*outer.path), {}});
  for (const BoundedPath& hole : holes) {
    for (std::size_t i = 0; i < outers.size(); ++i) {
      if (outers[i].area <= hole.area || !box_inside(hole, outers[i])) continue;
      if (!hole_inside(*hole.path, *outers[i].path)) continue;
      region[i].holes.push_back(from_clipper(*hole.path));
      break;
    }
  }
  return region;
}

cl::ClipType clip_type(BoolOp op) {
  switch (op) {
    case BoolOp::And: return cl::ctIntersection;
    case BoolOp::Or: return cl::ctUnion;
    case BoolOp::Not: return cl::ctDifference;
    case BoolOp::Xor: return cl::ctXor;
  }
  return cl::ctUnion;
}

}  // namespace

Region clipper_boolean(const Region& a, const Region& b, BoolOp op) {
  cl::Clipper clipper;
  clipper.StrictlySimple(true);  // no touching vertices inside one output polygon
  const cl::Paths subject = to_clipper(a), clip = to_clipper(b);
  clipper.AddPaths(subject, cl::ptSubject, true);
  if (!clip.empty()) clipper.AddPaths(clip, cl::ptClip, true);
  cl::Paths result;
  // Non-zero filling: overlapping shapes drawn on one layer are one area, whatever their winding.
  clipper.Execute(clip_type(op), result, cl::pftNonZero, cl::pftNonZero);
  return from_paths(result);
}

Region clipper_offset(const Region& region, Nm delta) {
  cl::ClipperOffset offset(/*miter_limit=*/4.0);
  offset.AddPaths(to_clipper(merged(region)), cl::jtMiter, cl::etClosedPolygon);
  cl::Paths result;
  offset.Execute(result, static_cast<double>(delta));
  return from_paths(result);
}

Polygon clipper_path_outline(const Path& path) {
  if (path.points.size() < 2 || path.width <= 0) return {};
  cl::ClipperOffset offset(/*miter_limit=*/4.0);
  offset.AddPath(to_clipper(path.points), cl::jtMiter, path.ends == PathEnds::Extended ? cl::etOpenSquare : cl::etOpenButt);
  cl::Paths result;
  offset.Execute(result, static_cast<double>(path.width) / 2);
  Region region = from_paths(result);
  if (region.empty()) return {};
  return region.front();  // a non-self-intersecting wire gives one polygon
}

}  // namespace wlp::layout
