// route_rdl: checks the input, assigns pads to lands, routes (rdl_search.cpp) and turns the
// grid paths into centre lines from the exact pad centre to the exact land centre.
#include "layout/rdl_router.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "layout/rdl_internal.h"

namespace wlp::layout {
namespace {

using rdl::Net;
using rdl::Problem;
using rdl::Shape;

void check_unique(const std::vector<std::string>& names, const char* what) {
  std::set<std::string> seen;
  for (const std::string& name : names)
    if (!seen.insert(name).second) throw std::invalid_argument(fmt::format("RDL router: duplicate {} name '{}'", what, name));
}

void validate(const RouterInput& in) {
  if (in.width <= 0 || in.space <= 0)
    throw std::invalid_argument(fmt::format("RDL router: width and space must be positive (got {} nm and {} nm)", in.width, in.space));
  if (in.die.width() <= 0 || in.die.height() <= 0) throw std::invalid_argument("RDL router: the die outline is empty");
  if (in.edge_clearance < 0) throw std::invalid_argument("RDL router: negative edge clearance");
  if (in.max_iterations < 1) throw std::invalid_argument("RDL router: max_iterations must be at least 1");
  std::vector<std::string> pads, lands;
  for (const RouterPad& pad : in.pads) pads.push_back(pad.name);
  for (const RouterLand& land : in.lands) lands.push_back(land.name);
  check_unique(pads, "pad");
  check_unique(lands, "land");
  if (in.fixed_nets.empty() && in.pads.size() > in.lands.size())
    throw std::invalid_argument(fmt::format("RDL router: {} pads but only {} lands", in.pads.size(), in.lands.size()));
}

// Pads first (index = pad index), then lands (index = pads + land index).
std::vector<Shape> make_shapes(const RouterInput& in) {
  std::vector<Shape> shapes;
  for (const RouterPad& pad : in.pads) {
    Shape shape{pad.name, false, pad.is_circle, pad.centre, static_cast<double>(pad.size) / 2, {}, -1};
    const Polygon outline = square(pad.centre, pad.size);  // the square exactly as it is drawn
    shape.box = {outline.outer[0], outline.outer[2]};
    shapes.push_back(shape);
  }
  for (const RouterLand& land : in.lands)
    shapes.push_back({land.name, true, true, land.centre, static_cast<double>(land.diameter) / 2, {}, -1});
  return shapes;
}

// Free assignment: minimum total Euclidean length (plus a vanishing convex term that breaks
// ties between collinear, nested pairs in favour of the side-by-side ones).
std::vector<Net> assign_free(const RouterInput& in) {
  const int rows = static_cast<int>(in.pads.size()), cols = static_cast<int>(in.lands.size());
  std::vector<double> cost(static_cast<std::size_t>(rows) * cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const double d = std::hypot(to_um(in.pads[r].centre.x - in.lands[c].centre.x), to_um(in.pads[r].centre.y - in.lands[c].centre.y));
      cost[static_cast<std::size_t>(r) * cols + c] = d + 1e-12 * d * d;
    }
  const std::vector<int> land_of = rdl::min_cost_assignment(cost, rows, cols);
  std::vector<Net> nets;
  for (int r = 0; r < rows; ++r) nets.push_back({r, rows + land_of[r]});
  return nets;
}

std::vector<Net> assign_fixed(const RouterInput& in) {
  std::map<std::string, int> pad_index, land_index;
  for (std::size_t k = 0; k < in.pads.size(); ++k) pad_index[in.pads[k].name] = static_cast<int>(k);
  for (std::size_t k = 0; k < in.lands.size(); ++k) land_index[in.lands[k].name] = static_cast<int>(in.pads.size() + k);
  std::set<int> used;
  std::vector<Net> nets;
  for (const auto& [pad, land] : in.fixed_nets) {
    const auto p = pad_index.find(pad);
    if (p == pad_index.end()) throw std::invalid_argument(fmt::format("RDL router: net {} -> {}: unknown pad '{}'", pad, land, pad));
    const auto l = land_index.find(land);
    if (l == land_index.end()) throw std::invalid_argument(fmt::format("RDL router: net {} -> {}: unknown land '{}'", pad, land, land));
    if (!used.insert(p->second).second) throw std::invalid_argument(fmt::format("RDL router: pad '{}' is in two nets", pad));
    if (!used.insert(l->second).second) throw std::invalid_argument(fmt::format("RDL router: land '{}' is in two nets", land));
    nets.push_back({p->second, l->second});
  }
  return nets;
}

std::vector<Point> simplified(const std::vector<Point>& points) {
  std::vector<Point> out;
  for (const Point& p : points)
    if (out.empty() || !(out.back() == p)) out.push_back(p);
  auto sign = [](Nm v) { return (v > 0) - (v < 0); };
  std::vector<Point> corners;
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (k > 0 && k + 1 < out.size()) {
      const Point a = corners.back(), b = out[k], c = out[k + 1];
      if (sign(b.x - a.x) == sign(c.x - b.x) && sign(b.y - a.y) == sign(c.y - b.y)) continue;  // straight on
    }
    corners.push_back(out[k]);
  }
  return corners;
}

// Centre line of a routed net: the stub from the pad centre, the grid path's corners, the stub
// into the land centre.
std::vector<Point> centre_line(const Problem& pb, int net, const rdl::GridRoute& route) {
  const Point from = pb.shapes[pb.nets[net].pad].centre, to = pb.shapes[pb.nets[net].land].centre;
  std::vector<Point> line = rdl::stub_points(from, pb.grid.at(route.nodes.front()), route.start.diagonal_first);
  for (std::size_t k = 1; k + 1 < route.nodes.size(); ++k) line.push_back(pb.grid.at(route.nodes[k]));
  const std::vector<Point> end = rdl::stub_points(to, pb.grid.at(route.nodes.back()), route.end.diagonal_first);
  line.insert(line.end(), end.rbegin(), end.rend());
  return simplified(line);
}

double length_m(const std::vector<Point>& line) {
  double sum_nm = 0;
  for (std::size_t k = 1; k < line.size(); ++k)
    sum_nm += std::hypot(static_cast<double>(line[k].x - line[k - 1].x), static_cast<double>(line[k].y - line[k - 1].y));
  return sum_nm * 1e-9;
}

}  // namespace

double RouteResult::routed_fraction() const {
  const std::size_t total = nets.size() + unrouted.size();
  return total == 0 ? 1.0 : static_cast<double>(nets.size()) / static_cast<double>(total);
}

RouteResult route_rdl(const RouterInput& input) {
  validate(input);
  std::vector<Shape> shapes = make_shapes(input);
  std::vector<Net> nets = input.fixed_nets.empty() ? assign_free(input) : assign_fixed(input);
  for (std::size_t n = 0; n < nets.size(); ++n) {
    shapes[nets[n].pad].owner = static_cast<int>(n);
    shapes[nets[n].land].owner = static_cast<int>(n);
  }
  const Problem pb = rdl::build_problem(input, std::move(shapes), std::move(nets));
  const rdl::Negotiation routed = rdl::negotiate(pb, input.max_iterations);
  RouteResult result;
  result.iterations = routed.iterations;
  result.grid_pitch = pb.grid.pitch;
  for (std::size_t n = 0; n < pb.nets.size(); ++n) {
    const std::string& pad = pb.shapes[pb.nets[n].pad].name;
    const std::string& land = pb.shapes[pb.nets[n].land].name;
    if (routed.failures[n] != rdl::Failure::None) {
      result.unrouted.push_back({pad, land, rdl::explain_failure(pb, static_cast<int>(n), routed.failures[n], routed.iterations)});
      continue;
    }
    RoutedNet net{pad, land, centre_line(pb, static_cast<int>(n), routed.routes[n]), 0};
    net.length_m = length_m(net.centre_line);
    result.total_length_m += net.length_m;
    result.nets.push_back(std::move(net));
  }
  return result;
}

Path wire_path(const RoutedNet& net, Nm width) { return Path{net.centre_line, width, PathEnds::Extended}; }

}  // namespace wlp::layout
