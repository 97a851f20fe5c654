// Clipper (Angus Johnson's polygon clipping library, Debian libpolyclipping) works on 64-bit
// integer coordinates like wlpkit, so nanometres pass through unchanged.
#include "layout/clipper_bridge.h"

#include <clipper.hpp>

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

Region from_tree(const cl::PolyTree& tree) {
  Region region;
  // Outer nodes are at even depth; their children are holes, grandchildren new outers.
  std::vector<const cl::PolyNode*> pending(tree.Childs.begin(), tree.Childs.end());
  while (!pending.empty()) {
    const cl::PolyNode* node = pending.back();
    pending.pop_back();
    Polygon polygon{from_clipper(node->Contour), {}};
    for (const cl::PolyNode* hole : node->Childs) {
      polygon.holes.push_back(from_clipper(hole->Contour));
      pending.insert(pending.end(), hole->Childs.begin(), hole->Childs.end());
    }
    region.push_back(std::move(polygon));
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
  cl::PolyTree tree;
  // Non-zero filling: overlapping shapes drawn on one layer are one area, whatever their winding.
  clipper.Execute(clip_type(op), tree, cl::pftNonZero, cl::pftNonZero);
  return from_tree(tree);
}

Region clipper_offset(const Region& region, Nm delta) {
  cl::ClipperOffset offset(/*miter_limit=*/4.0);
  offset.AddPaths(to_clipper(merged(region)), cl::jtMiter, cl::etClosedPolygon);
  cl::PolyTree tree;
  offset.Execute(tree, static_cast<double>(delta));
  return from_tree(tree);
}

Polygon clipper_path_outline(const Path& path) {
  if (path.points.size() < 2 || path.width <= 0) return {};
  cl::ClipperOffset offset(/*miter_limit=*/4.0);
  offset.AddPath(to_clipper(path.points), cl::jtMiter, path.ends == PathEnds::Extended ? cl::etOpenSquare : cl::etOpenButt);
  cl::PolyTree tree;
  offset.Execute(tree, static_cast<double>(path.width) / 2);
  Region region = from_tree(tree);
  if (region.empty()) return {};
  return region.front();  // a non-self-intersecting wire gives one polygon
}

}  // namespace wlp::layout
