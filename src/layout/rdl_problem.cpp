// The router's view of the layout: pad and land shapes, the track grid, per-node and
// per-segment clearance to other nets' shapes, and the grid nodes each net may start/end on.
#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <stdexcept>

#include <fmt/format.h>

#include "layout/rdl_internal.h"

namespace wlp::layout::rdl {
namespace {

// Over the exact clearances: the outlines' vertices round by < 1 nm, and a land drawn as a
// polygon with 10 nm chord error may stick out of the true circle by up to that much.
constexpr Nm kMarginNm = 15;
constexpr long kMaxGridNodes = 4'000'000;  // about 210 bytes each while routing

double point_box_distance(XY q, const Box& box) {
  const double dx = std::max({0.0, static_cast<double>(box.lo.x) - q.x, q.x - static_cast<double>(box.hi.x)});
  const double dy = std::max({0.0, static_cast<double>(box.lo.y) - q.y, q.y - static_cast<double>(box.hi.y)});
  return std::hypot(dx, dy);
}

double point_segment_distance(XY p, XY a, XY b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double length2 = dx * dx + dy * dy;
  const double t = length2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0.0, 1.0) : 0.0;
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

// Liang–Barsky: does the segment a-b meet the closed box?
bool segment_meets_box(XY a, XY b, const Box& box) {
  double t0 = 0, t1 = 1;
  const double d[2] = {b.x - a.x, b.y - a.y};
  const double start[2] = {a.x, a.y};
  const double lo[2] = {static_cast<double>(box.lo.x), static_cast<double>(box.lo.y)};
  const double hi[2] = {static_cast<double>(box.hi.x), static_cast<double>(box.hi.y)};
  for (int k = 0; k < 2; ++k) {
    if (d[k] == 0) {
      if (start[k] < lo[k] || start[k] > hi[k]) return false;
      continue;
    }
    double ta = (lo[k] - start[k]) / d[k], tb = (hi[k] - start[k]) / d[k];
    if (ta > tb) std::swap(ta, tb);
    t0 = std::max(t0, ta);
    t1 = std::min(t1, tb);
    if (t0 > t1) return false;
  }
  return true;
}

double box_depth(const Box& box, XY q) {
  return std::min({q.x - static_cast<double>(box.lo.x), static_cast<double>(box.hi.x) - q.x,
                   q.y - static_cast<double>(box.lo.y), static_cast<double>(box.hi.y) - q.y});
}

Nm floor_div(Nm a, Nm b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// Most common step between consecutive distinct coordinates when at least half of the steps
// (and two or more) have it: the pitch of a regular array; else 0 (no array).
Nm array_pitch(std::vector<Nm> coords) {
  std::sort(coords.begin(), coords.end());
  coords.erase(std::unique(coords.begin(), coords.end()), coords.end());
  std::map<Nm, int> steps;
  for (std::size_t k = 1; k < coords.size(); ++k) ++steps[coords[k] - coords[k - 1]];
  Nm best = 0;
  int best_count = 0;
  for (const auto& [step, count] : steps)
    if (count > best_count) {
      best = step;
      best_count = count;
    }
  const std::size_t total = coords.size() > 1 ? coords.size() - 1 : 0;
  return best_count >= 2 && 2 * static_cast<std::size_t>(best_count) >= total ? best : 0;
}

// Coordinate of one grid line (mod pitch) that centres the tracks in the gap after the land at
// `first` (array pitch `array`), or puts the land centre on a line when there is no array.
Nm track_phase(Nm first, Nm array, Nm pitch, double clear_from_centre) {
  if (array <= 0) return first;
  const double free = static_cast<double>(array) - 2 * clear_from_centre;
  const long tracks = free >= 0 ? static_cast<long>(std::floor(free / static_cast<double>(pitch))) + 1 : 1;
  const Nm middle = first + array / 2;
  return tracks % 2 == 1 ? middle : middle - pitch / 2;
}

// Pitch: width + space rounded up to 10 nm plus 10 nm (so the outlines' 45° vertex rounding
// never eats into the space), or a whole fraction of the land pitch when that gives at least
// as many tracks between two lands as the minimum pitch does on average.
Nm choose_pitch(Nm width, Nm space, Nm land_pitch, double clear_from_centre) {
  const Nm minimum = (width + space + 9) / 10 * 10 + 10;
  if (land_pitch <= 0) return minimum;
  const Nm per_land = land_pitch / minimum;
  if (per_land < 1) return minimum;
  const Nm stretched = land_pitch / per_land;
  const double free = static_cast<double>(land_pitch) - 2 * clear_from_centre;
  if (free < 0) return minimum;
  const double stretched_tracks = std::floor(free / static_cast<double>(stretched)) + 1;
  const double minimum_tracks = free / static_cast<double>(minimum);  // mean over the phases
  return stretched_tracks >= minimum_tracks ? stretched : minimum;
}

Grid choose_grid(Problem& pb) {
  std::vector<Nm> xs, ys;
  double land_radius = kInf;
  for (const Shape& shape : pb.shapes)
    if (shape.is_land) {
      xs.push_back(shape.centre.x);
      ys.push_back(shape.centre.y);
      land_radius = std::min(land_radius, shape.radius);
    }
  const Nm pitch_x = array_pitch(xs), pitch_y = array_pitch(ys);
  const Nm land_pitch = pitch_x > 0 && pitch_y > 0 ? std::min(pitch_x, pitch_y) : std::max(pitch_x, pitch_y);
  const double clear = (xs.empty() ? 0.0 : land_radius) + pb.need_edge;
  Grid grid;
  grid.pitch = choose_pitch(pb.width, pb.space, land_pitch, clear);
  pb.guide_scale = static_cast<double>(std::max(land_pitch, 12 * grid.pitch));
  const Nm inset = (pb.width + 1) / 2 + kMarginNm;  // a straight wire's outline stays inside
  const Nm first_x = xs.empty() ? pb.inner.lo.x : *std::min_element(xs.begin(), xs.end());
  const Nm first_y = ys.empty() ? pb.inner.lo.y : *std::min_element(ys.begin(), ys.end());
  const Nm phase_x = track_phase(first_x, pitch_x, grid.pitch, clear);
  const Nm phase_y = track_phase(first_y, pitch_y, grid.pitch, clear);
  const Point lo{pb.inner.lo.x + inset, pb.inner.lo.y + inset}, hi{pb.inner.hi.x - inset, pb.inner.hi.y - inset};
  if (hi.x < lo.x || hi.y < lo.y) return grid;  // no room for a wire at all
  grid.origin = {phase_x + (floor_div(lo.x - phase_x - 1, grid.pitch) + 1) * grid.pitch,
                 phase_y + (floor_div(lo.y - phase_y - 1, grid.pitch) + 1) * grid.pitch};
  const long nx = hi.x >= grid.origin.x ? static_cast<long>((hi.x - grid.origin.x) / grid.pitch) + 1 : 0;
  const long ny = hi.y >= grid.origin.y ? static_cast<long>((hi.y - grid.origin.y) / grid.pitch) + 1 : 0;
  if (nx * ny > kMaxGridNodes)
    throw std::invalid_argument(fmt::format("RDL router: track grid of {} x {} nodes (pitch {:.3f} um) is too large",
                                            nx, ny, to_um(grid.pitch)));
  grid.nx = static_cast<int>(nx);
  grid.ny = static_cast<int>(ny);
  return grid;
}

// Column/row range of the nodes within `reach` of `box`, clamped to the grid; empty when lo > hi.
struct NodeRange {
  int i0, i1, j0, j1;
};

NodeRange nodes_near(const Grid& grid, const Box& box, double reach) {
  const double p = static_cast<double>(grid.pitch);
  auto lower = [&](Nm v, Nm origin) { return static_cast<int>(std::ceil((static_cast<double>(v - origin) - reach) / p)); };
  auto upper = [&](Nm v, Nm origin) { return static_cast<int>(std::floor((static_cast<double>(v - origin) + reach) / p)); };
  return {std::max(0, lower(box.lo.x, grid.origin.x)), std::min(grid.nx - 1, upper(box.hi.x, grid.origin.x)),
          std::max(0, lower(box.lo.y, grid.origin.y)), std::min(grid.ny - 1, upper(box.hi.y, grid.origin.y))};
}

// Distances from one shape to the nodes and forward segments near it, below `cutoff`.
void add_shape_clearance(Problem& pb, int index, double cutoff) {
  const Shape& shape = pb.shapes[index];
  const int owner = owner_code(shape, index);
  const Grid& grid = pb.grid;
  const NodeRange range = nodes_near(grid, shape_bounds(shape), cutoff + 1.5 * static_cast<double>(grid.pitch));
  for (int j = range.j0; j <= range.j1; ++j)
    for (int i = range.i0; i <= range.i1; ++i) {
      const int node = j * grid.nx + i;
      const XY q = xy(grid.at(node));
      const double d = point_distance(shape, q);
      if (d < cutoff) pb.node_clear[node].add(static_cast<float>(d), owner);
      for (int dir = 0; dir < 4; ++dir) {
        const int i2 = i + kDx[dir], j2 = j + kDy[dir];
        if (i2 < 0 || i2 >= grid.nx || j2 >= grid.ny) continue;
        const double de = segment_distance(shape, q, xy(grid.at(j2 * grid.nx + i2)));
        if (de < cutoff) pb.edge_clear[static_cast<std::size_t>(node) * 4 + dir].add(static_cast<float>(de), owner);
      }
    }
}

// The die edge as an obstacle of its own: its distance is stored plus the space, so that every
// check reads "clearance >= space + reach of the outline".
void add_die_clearance(Problem& pb, double cutoff) {
  for (int node = 0; node < pb.grid.size(); ++node) {
    const double d = box_depth(pb.inner, xy(pb.grid.at(node))) + static_cast<double>(pb.space);
    if (d < cutoff) pb.node_clear[node].add(static_cast<float>(d), kDieOwner);
  }
}

// Flags of what is clear for every net at each node (see Problem::node_flags).
void set_node_flags(Problem& pb) {
  const Grid& grid = pb.grid;
  pb.node_flags.assign(static_cast<std::size_t>(grid.size()), 0);
  for (int node = 0; node < grid.size(); ++node) {
    const int i = node % grid.nx, j = node / grid.nx;
    std::uint16_t flags = 0;
    for (int dir = 0; dir < 8; ++dir) {
      const int i2 = i + kDx[dir], j2 = j + kDy[dir];
      if (i2 < 0 || i2 >= grid.nx || j2 < 0 || j2 >= grid.ny) continue;
      const std::size_t edge = dir < 4 ? static_cast<std::size_t>(node) * 4 + dir
                                       : static_cast<std::size_t>(j2 * grid.nx + i2) * 4 + (dir - 4);
      if (pb.edge_clear[edge].d1 >= pb.need_edge) flags = static_cast<std::uint16_t>(flags | (1u << dir));
    }
    if (pb.node_clear[node].d1 >= pb.need_turn45) flags |= kTurn45Clear;
    if (pb.node_clear[node].d1 >= pb.need_turn90) flags |= kTurn90Clear;
    pb.node_flags[node] = flags;
  }
}

// Access nodes of a pad or land: grid nodes in or just around it that a stub from its centre
// reaches (either bend order) bending only deep inside it. A node that is not deep inside
// itself is in the exit zone, where the grid path continues straight along the stub.
std::vector<Access> access_nodes(const Problem& pb, int shape_index, int net) {
  const Shape& shape = pb.shapes[shape_index];
  std::vector<Access> access;
  if (pb.grid.size() == 0) return access;
  const NodeRange range = nodes_near(pb.grid, shape_bounds(shape), static_cast<double>(pb.grid.pitch));
  for (int j = range.j0; j <= range.j1; ++j)
    for (int i = range.i0; i <= range.i1; ++i) {
      const int node = j * pb.grid.nx + i;
      const Point at = pb.grid.at(node);
      const double length = octile_length(xy(shape.centre), xy(at));
      for (const bool diagonal_first : {true, false}) {
        const std::vector<Point> stub = stub_points(shape.centre, at, diagonal_first);
        if (!diagonal_first && stub.size() < 3) break;  // no bend: one order only
        if (!stub_fits(pb, shape_index, net, stub)) continue;
        // Pad side: the wire arrives at the node along the stub; land side: it leaves along it.
        int direction = kAnyDirection;
        if (stub.size() > 1)
          direction = shape.is_land ? direction_of(stub[stub.size() - 1], stub[stub.size() - 2])
                                    : direction_of(stub[stub.size() - 2], stub[stub.size() - 1]);
        access.push_back({node, length, diagonal_first, direction});
      }
    }
  return access;
}

}  // namespace

double point_distance(const Shape& shape, XY q) {
  if (shape.is_circle)
    return std::max(0.0, std::hypot(q.x - static_cast<double>(shape.centre.x), q.y - static_cast<double>(shape.centre.y)) - shape.radius);
  return point_box_distance(q, shape.box);
}

double depth_inside(const Shape& shape, XY q) {
  if (shape.is_circle)
    return shape.radius - std::hypot(q.x - static_cast<double>(shape.centre.x), q.y - static_cast<double>(shape.centre.y));
  return box_depth(shape.box, q);
}

double segment_distance(const Shape& shape, XY a, XY b) {
  if (shape.is_circle) return std::max(0.0, point_segment_distance(xy(shape.centre), a, b) - shape.radius);
  if (segment_meets_box(a, b, shape.box)) return 0;
  // Apart, the nearest pair has an end of the segment or a corner of the box in it.
  const Box& box = shape.box;
  double best = std::min(point_box_distance(a, box), point_box_distance(b, box));
  for (const Point corner : {box.lo, Point{box.hi.x, box.lo.y}, box.hi, Point{box.lo.x, box.hi.y}})
    best = std::min(best, point_segment_distance(xy(corner), a, b));
  return best;
}

double shape_gap(const Shape& a, const Shape& b) {
  if (a.is_circle && b.is_circle)
    return std::max(0.0, std::hypot(static_cast<double>(a.centre.x - b.centre.x), static_cast<double>(a.centre.y - b.centre.y)) -
                             a.radius - b.radius);
  if (a.is_circle) return std::max(0.0, point_box_distance(xy(a.centre), b.box) - a.radius);
  if (b.is_circle) return std::max(0.0, point_box_distance(xy(b.centre), a.box) - b.radius);
  const double gx = static_cast<double>(std::max<Nm>({0, b.box.lo.x - a.box.hi.x, a.box.lo.x - b.box.hi.x}));
  const double gy = static_cast<double>(std::max<Nm>({0, b.box.lo.y - a.box.hi.y, a.box.lo.y - b.box.hi.y}));
  return std::hypot(gx, gy);
}

Box shape_bounds(const Shape& shape) {
  if (!shape.is_circle) return shape.box;
  const Nm r = static_cast<Nm>(std::ceil(shape.radius));
  return {{shape.centre.x - r, shape.centre.y - r}, {shape.centre.x + r, shape.centre.y + r}};
}

double octile_length(XY a, XY b) {
  const double dx = std::abs(a.x - b.x), dy = std::abs(a.y - b.y);
  return std::max(dx, dy) + (std::numbers::sqrt2 - 1) * std::min(dx, dy);
}

bool segments_cross(XY a, XY b, XY c, XY d) {
  auto side = [](XY p, XY q, XY r) {
    const double v = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    return (v > 0) - (v < 0);
  };
  const int s1 = side(a, b, c), s2 = side(a, b, d), s3 = side(c, d, a), s4 = side(c, d, b);
  return s1 * s2 < 0 && s3 * s4 < 0;
}

ShapeIndex::ShapeIndex(const std::vector<Shape>& shapes, Nm bucket) : bucket_(std::max<Nm>(bucket, 1)) {
  if (shapes.empty()) return;
  extent_ = shape_bounds(shapes.front());
  for (const Shape& shape : shapes) {
    const Box b = shape_bounds(shape);
    extent_ = {{std::min(extent_.lo.x, b.lo.x), std::min(extent_.lo.y, b.lo.y)},
               {std::max(extent_.hi.x, b.hi.x), std::max(extent_.hi.y, b.hi.y)}};
  }
  nx_ = static_cast<int>(extent_.width() / bucket_) + 1;
  ny_ = static_cast<int>(extent_.height() / bucket_) + 1;
  cells_.resize(static_cast<std::size_t>(nx_) * ny_);
  for (std::size_t k = 0; k < shapes.size(); ++k) {
    const Box b = shape_bounds(shapes[k]);
    for (Nm j = (b.lo.y - extent_.lo.y) / bucket_; j <= (b.hi.y - extent_.lo.y) / bucket_; ++j)
      for (Nm i = (b.lo.x - extent_.lo.x) / bucket_; i <= (b.hi.x - extent_.lo.x) / bucket_; ++i)
        cells_[static_cast<std::size_t>(j * nx_ + i)].push_back(static_cast<int>(k));
  }
}

std::vector<int> ShapeIndex::near(const Box& box, double reach) const {
  std::vector<int> found;
  if (cells_.empty()) return found;
  const Nm r = static_cast<Nm>(std::ceil(reach));
  auto clamp_cell = [](Nm v, int n) { return static_cast<int>(std::clamp<Nm>(v, 0, n - 1)); };
  if (box.hi.x + r < extent_.lo.x || box.lo.x - r > extent_.hi.x || box.hi.y + r < extent_.lo.y || box.lo.y - r > extent_.hi.y)
    return found;
  const int i0 = clamp_cell(floor_div(box.lo.x - r - extent_.lo.x, bucket_), nx_);
  const int i1 = clamp_cell(floor_div(box.hi.x + r - extent_.lo.x, bucket_), nx_);
  const int j0 = clamp_cell(floor_div(box.lo.y - r - extent_.lo.y, bucket_), ny_);
  const int j1 = clamp_cell(floor_div(box.hi.y + r - extent_.lo.y, bucket_), ny_);
  for (int j = j0; j <= j1; ++j)
    for (int i = i0; i <= i1; ++i) {
      const auto& cell = cells_[static_cast<std::size_t>(j) * nx_ + i];
      found.insert(found.end(), cell.begin(), cell.end());
    }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

void Clearance::add(float distance, int owner) {
  if (owner == o1) {
    d1 = std::min(d1, distance);
  } else if (owner == o2) {
    d2 = std::min(d2, distance);
    if (d2 < d1) {
      std::swap(d1, d2);
      std::swap(o1, o2);
    }
  } else if (distance < d1) {
    d2 = d1;
    o2 = o1;
    d1 = distance;
    o1 = owner;
  } else if (distance < d2) {
    d2 = distance;
    o2 = owner;
  }
}

int direction_of(Point a, Point b) {
  const Nm dx = b.x - a.x, dy = b.y - a.y;
  const int sx = (dx > 0) - (dx < 0), sy = (dy > 0) - (dy < 0);
  for (int d = 0; d < 8; ++d)
    if (kDx[d] == sx && kDy[d] == sy) return d;
  return kAnyDirection;
}

bool turn_allowed(int in, int out) {
  if (in == kAnyDirection || out == kAnyDirection) return true;
  const int diff = (out - in + 8) % 8;
  return diff == 0 || diff == 1 || diff == 7 || ((diff == 2 || diff == 6) && in % 2 == 0);
}

std::vector<Point> stub_points(Point from, Point to, bool diagonal_first) {
  const Nm dx = to.x - from.x, dy = to.y - from.y;
  const Nm diagonal = std::min(std::abs(dx), std::abs(dy));
  const Nm sx = dx > 0 ? 1 : (dx < 0 ? -1 : 0), sy = dy > 0 ? 1 : (dy < 0 ? -1 : 0);
  std::vector<Point> points{from};
  if (diagonal > 0 && diagonal < std::max(std::abs(dx), std::abs(dy)))
    points.push_back(diagonal_first ? Point{from.x + sx * diagonal, from.y + sy * diagonal}
                                    : Point{to.x - sx * diagonal, to.y - sy * diagonal});
  if (!(to == from)) points.push_back(to);
  return points;
}

bool in_exit_zone(const Problem& pb, const Shape& shape, XY q) {
  if (depth_inside(shape, q) >= pb.stub_reach) return false;  // deep inside: turns stay inside
  if (shape.is_circle) return point_distance(shape, q) < pb.exit_run;
  // Squares grow square (the teardrop reach is the mitred, i.e. square, sizing of the pad).
  const double dx = std::max({0.0, static_cast<double>(shape.box.lo.x) - q.x, q.x - static_cast<double>(shape.box.hi.x)});
  const double dy = std::max({0.0, static_cast<double>(shape.box.lo.y) - q.y, q.y - static_cast<double>(shape.box.hi.y)});
  return std::max(dx, dy) < pb.exit_run;
}

bool stub_fits(const Problem& pb, int shape_index, int net, const std::vector<Point>& stub) {
  const Shape& own = pb.shapes[shape_index];
  // The centre and the bend deep inside the own (convex) shape and the die; the grid node at
  // the end only inside the grid (the wire runs straight through it unless it is deep inside).
  for (std::size_t k = 0; k + 1 < stub.size(); ++k)
    if (depth_inside(own, xy(stub[k])) < pb.stub_reach || box_depth(pb.inner, xy(stub[k])) < pb.stub_reach) return false;
  auto clear_of_others = [&](Point a, Point b) {
    const Box bounds{{std::min(a.x, b.x), std::min(a.y, b.y)}, {std::max(a.x, b.x), std::max(a.y, b.y)}};
    for (int other : pb.index.near(bounds, pb.need_stub)) {
      if (other == shape_index || owner_code(pb.shapes[other], other) == net) continue;
      if (segment_distance(pb.shapes[other], xy(a), xy(b)) < pb.need_stub) return false;
    }
    return true;
  };
  if (stub.size() == 1) return depth_inside(own, xy(stub[0])) >= pb.stub_reach && clear_of_others(stub[0], stub[0]);
  for (std::size_t k = 0; k + 1 < stub.size(); ++k)
    if (!clear_of_others(stub[k], stub[k + 1])) return false;
  return true;
}

Problem build_problem(const RouterInput& input, std::vector<Shape> shapes, std::vector<Net> nets) {
  Problem pb;
  pb.width = input.width;
  pb.space = input.space;
  pb.inner = {{input.die.lo.x + input.edge_clearance, input.die.lo.y + input.edge_clearance},
              {input.die.hi.x - input.edge_clearance, input.die.hi.y - input.edge_clearance}};
  pb.shapes = std::move(shapes);
  pb.nets = std::move(nets);
  const double half = static_cast<double>(input.width) / 2, s = static_cast<double>(input.space);
  const double m = static_cast<double>(kMarginNm);
  // Mitre reach of Clipper's outline at a turn of angle a: half / cos(a / 2).
  pb.need_edge = s + half + m;
  pb.need_turn45 = s + half / std::cos(std::numbers::pi / 8) + m;
  pb.need_turn90 = s + half * std::numbers::sqrt2 + m;
  pb.stub_reach = half * std::numbers::sqrt2 + m;  // square end or 90° corner
  pb.need_stub = s + pb.stub_reach;
  // Straight past the teardrop's reach (one width) and a space plus half a width more, so the
  // teardrop's edge and the wire's edge after a bend are a space apart.
  pb.exit_run = 2 * half + s + half + m;
  Nm largest = 1;
  for (const Shape& shape : pb.shapes) largest = std::max({largest, shape_bounds(shape).width(), shape_bounds(shape).height()});
  const Nm die_size = std::max(input.die.width(), input.die.height());
  pb.index = ShapeIndex(pb.shapes, std::max(2 * largest, die_size / 256));  // at most ~256² buckets
  pb.side_reach = 4.0 * static_cast<double>(largest);
  pb.grid = choose_grid(pb);
  pb.node_clear.assign(static_cast<std::size_t>(pb.grid.size()), Clearance{});
  pb.edge_clear.assign(static_cast<std::size_t>(pb.grid.size()) * 4, Clearance{});
  const double cutoff = pb.need_stub + 1000;  // beyond every distance a check asks about
  if (pb.grid.size() > 0) {
    for (int k = 0; k < static_cast<int>(pb.shapes.size()); ++k) add_shape_clearance(pb, k, cutoff);
    add_die_clearance(pb, cutoff);
  }
  set_node_flags(pb);
  pb.pad_access.resize(pb.nets.size());
  pb.land_access.resize(pb.nets.size());
  for (std::size_t n = 0; n < pb.nets.size(); ++n) {
    pb.pad_access[n] = access_nodes(pb, pb.nets[n].pad, static_cast<int>(n));
    pb.land_access[n] = access_nodes(pb, pb.nets[n].land, static_cast<int>(n));
  }
  return pb;
}

}  // namespace wlp::layout::rdl
