// A* on the octilinear track grid and negotiated congestion (PathFinder, McMurchie & Ebeling
// 1995): nets may share grid nodes at a price that grows every round (present sharing) and
// with the history of each node's conflicts, until no node is shared.
//
// Conflicts are defined so that conflict-free paths are DRC-clean without looking at polygons:
// two nets never use the same node, and a diagonal step never cuts past a node of another net
// (its two "corner" nodes) — with pitch >= width + space that keeps every pair of wires at
// least a space apart, diagonal ones included, and makes crossings impossible.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <numbers>
#include <cstdio>
#include <cstdlib>
#include <queue>

#include "layout/rdl_internal.h"

namespace wlp::layout::rdl {
namespace {

constexpr int kStart = 8;  // direction of a start state: no incoming move yet
constexpr int kStates = 9;

// Tuning of the search and the negotiation (costs in pitches unless noted).
constexpr double kFirstPresent = 0.5;  // price of sharing a node in the first round ...
constexpr double kPresentGrowth = 1.6;  // ... growing by this factor every round
constexpr float kHistoryStep = 0.4f;   // added to a node's price each round it is in conflict
static const double kTurn45 = std::getenv("WLP_T45") ? std::atof(std::getenv("WLP_T45")) : 0.05;
static const double kTurn90 = std::getenv("WLP_T90") ? std::atof(std::getenv("WLP_T90")) : 0.2;
// A step costs its length × (1 + kGuide × distance from the straight pad → land line / land
// pitch): routes stay near their lines, which do not cross, so nets keep the lines' order
// through the gaps between lands instead of tangling there (see mark_side_barriers).
static const double kGuide = std::getenv("WLP_GUIDE") ? std::atof(std::getenv("WLP_GUIDE")) : 3.0;

struct NodeUse {
  std::int16_t nodes = 0;    // nets with the node on their path
  std::int16_t corners = 0;  // nets with a diagonal step cutting past the node
  float history = 0;         // accumulated conflicts, in pitches
};

struct StateRecord {
  double g;
  int parent;
  std::uint32_t stamp;  // search that set g and parent
};

struct Entry {
  double f, g;
  int state;
};
struct Later {  // min-heap on f; among equal f the deeper (larger g) first
  bool operator()(const Entry& a, const Entry& b) const { return a.f > b.f || (a.f == b.f && a.g < b.g); }
};

/// How a search treats the other nets and the straight line of its own.
struct SearchMode {
  double present = 0;       // price of sharing (soft mode)
  bool hard = false;        // other nets' nodes are walls instead of a price
  bool keep_sides = false;  // stay in the topological class of the straight line
  double guide = 0;         // weight of the distance from the straight line
};

class Search {
 public:
  explicit Search(const Problem& pb)
      : pb_(pb),
        states_(static_cast<std::size_t>(pb.grid.size()) * kStates, StateRecord{0, -1, 0}),
        goal_(static_cast<std::size_t>(pb.grid.size()), 0),
        wall_(static_cast<std::size_t>(pb.grid.size()), 0) {
    const double p = static_cast<double>(pb.grid.pitch);
    for (int d = 0; d < 8; ++d) length_[d] = d % 2 == 0 ? p : p * std::numbers::sqrt2;
  }

  /// Cheapest path of `net` from one of its pad access nodes to one of its land access nodes
  /// (grid nodes, pad end first); empty when there is none.
  std::vector<int> route(int net, const std::vector<NodeUse>& usage, const SearchMode& mode);

  long pops = 0, searches = 0;  // statistics

 private:
  void mark_side_barriers(int net);
  void mark_ray(XY from, XY direction);
  std::vector<int> trace(int state) const;

  const Problem& pb_;
  std::vector<StateRecord> states_;
  std::vector<std::uint32_t> goal_;  // stamp of the search whose goal the node is
  std::vector<std::uint32_t> wall_;  // stamp of the search for which the node is a side wall
  std::uint32_t stamp_ = 0;
  double length_[8] = {};
};

std::vector<int> Search::trace(int state) const {
  std::vector<int> nodes;
  for (int s = state; s >= 0; s = states_[s].parent) nodes.push_back(s / kStates);
  std::reverse(nodes.begin(), nodes.end());
  return nodes;
}

// Keeps the route in the topological class of the straight pad → land line: every obstacle
// beside the line (within reach, and level with it) gets a wall from its centre away from the
// line to the grid's edge, so the route cannot pass it on the other side. Straight lines of a
// minimum-length assignment do not cross, so routes that keep their lines' sides can be
// untangled by negotiation; without the walls, nets pick the side of a land by length and end
// up in orders that negotiation cannot sort out.
void Search::mark_side_barriers(int net) {
  const Point a = pb_.shapes[pb_.nets[net].pad].centre, b = pb_.shapes[pb_.nets[net].land].centre;
  const XY from = xy(a), to = xy(b);
  const double dx = to.x - from.x, dy = to.y - from.y, length = std::hypot(dx, dy);
  if (length <= 0) return;
  const XY along{dx / length, dy / length};
  const Box line{{std::min(a.x, b.x), std::min(a.y, b.y)}, {std::max(a.x, b.x), std::max(a.y, b.y)}};
  for (const int k : pb_.index.near(line, pb_.side_reach)) {
    const Shape& shape = pb_.shapes[k];
    if (shape.owner == net) continue;
    const XY c = xy(shape.centre);
    const double t = (c.x - from.x) * along.x + (c.y - from.y) * along.y;
    const double offset = (c.y - from.y) * along.x - (c.x - from.x) * along.y;  // > 0: left of the line
    if (t <= 0 || t >= length || std::abs(offset) > pb_.side_reach) continue;
    const double side = offset >= 0 ? 1.0 : -1.0;  // on the line: keep it on the left
    mark_ray(c, {-along.y * side, along.x * side});
  }
}

// A 4-connected run of wall nodes from `from` along `direction` to the edge of the grid (an
// 8-connected path cannot cross a 4-connected one without stepping on it).
void Search::mark_ray(XY from, XY direction) {
  const Grid& grid = pb_.grid;
  const double p = static_cast<double>(grid.pitch);
  double gx = (from.x - static_cast<double>(grid.origin.x)) / p, gy = (from.y - static_cast<double>(grid.origin.y)) / p;
  int last_i = static_cast<int>(std::lround(gx)), last_j = static_cast<int>(std::lround(gy));
  auto mark = [&](int i, int j) {
    if (i >= 0 && i < grid.nx && j >= 0 && j < grid.ny) wall_[static_cast<std::size_t>(j) * grid.nx + i] = stamp_;
  };
  mark(last_i, last_j);
  while (gx >= -1 && gx <= grid.nx && gy >= -1 && gy <= grid.ny) {
    gx += 0.5 * direction.x;
    gy += 0.5 * direction.y;
    const int i = static_cast<int>(std::lround(gx)), j = static_cast<int>(std::lround(gy));
    if (i != last_i && j != last_j) mark(i, last_j);  // close the diagonal gap
    mark(i, j);
    last_i = i;
    last_j = j;
  }
}

std::vector<int> Search::route(int net, const std::vector<NodeUse>& usage, const SearchMode& mode) {
  ++searches;
  if (++stamp_ == 0) {  // wrapped: forget every old stamp
    for (StateRecord& r : states_) r.stamp = 0;
    std::fill(goal_.begin(), goal_.end(), 0);
    std::fill(wall_.begin(), wall_.end(), 0);
    stamp_ = 1;
  }
  if (mode.keep_sides) mark_side_barriers(net);
  const Grid& grid = pb_.grid;
  const double p = static_cast<double>(grid.pitch);
  const double ox = static_cast<double>(grid.origin.x), oy = static_cast<double>(grid.origin.y);
  const XY source = xy(pb_.shapes[pb_.nets[net].pad].centre), target = xy(pb_.shapes[pb_.nets[net].land].centre);
  const double line_length = std::max(1.0, std::hypot(target.x - source.x, target.y - source.y));
  const XY along{(target.x - source.x) / line_length, (target.y - source.y) / line_length};
  const double guide = mode.guide / pb_.guide_scale;
  // Distance of (x, y) from the straight pad → land segment.
  auto off_line = [&](double x, double y) {
    const double rx = x - source.x, ry = y - source.y;
    const double t = rx * along.x + ry * along.y;
    if (t <= 0) return std::hypot(rx, ry);
    if (t >= line_length) return std::hypot(x - target.x, y - target.y);
    return std::abs(rx * along.y - ry * along.x);
  };
  static const double greed = std::getenv("WLP_GREED") ? std::atof(std::getenv("WLP_GREED")) : 1.0;
  auto estimate = [&](double x, double y) {  // octilinear distance to the land centre
    const double dx = std::abs(x - target.x), dy = std::abs(y - target.y);
    return greed * (std::max(dx, dy) + (std::numbers::sqrt2 - 1) * std::min(dx, dy));
  };
  for (const Access& a : pb_.land_access[net]) goal_[a.node] = stamp_;
  std::priority_queue<Entry, std::vector<Entry>, Later> open;
  for (const Access& a : pb_.pad_access[net]) {
    const int s = a.node * kStates + kStart;
    states_[s] = {a.stub, -1, stamp_};
    const Point at = grid.at(a.node);
    open.push({a.stub + estimate(static_cast<double>(at.x), static_cast<double>(at.y)), a.stub, s});
  }
  while (!open.empty()) {
    const Entry e = open.top();
    open.pop();
    if (e.g > states_[e.state].g) continue;  // superseded
    ++pops;
    const int u = e.state / kStates, in = e.state % kStates;
    // At a goal node the estimate is the exact stub length, so f is the full cost.
    if (goal_[u] == stamp_) return trace(e.state);
    const std::uint16_t flags = pb_.node_flags[u];
    const float clear_u = pb_.node_clear[u].for_net(net);
    const bool turn45_ok = (flags & kTurn45Clear) || clear_u >= pb_.need_turn45;
    const bool turn90_ok = (flags & kTurn90Clear) || clear_u >= pb_.need_turn90;
    const int i = u % grid.nx, j = u / grid.nx;
    for (int out = 0; out < 8; ++out) {
      double turn = 0;
      if (in != kStart) {
        const int diff = (out - in + 8) % 8;
        if (diff == 1 || diff == 7) {
          if (!turn45_ok) continue;
          turn = kTurn45 * p;
        } else if (diff == 2 || diff == 6) {
          if (in % 2 != 0 || !turn90_ok) continue;  // no 90° turn between two diagonals
          turn = kTurn90 * p;
        } else if (diff != 0) {
          continue;  // no acute turns
        }
      }
      const int i2 = i + kDx[out], j2 = j + kDy[out];
      if (i2 < 0 || i2 >= grid.nx || j2 < 0 || j2 >= grid.ny) continue;
      const int v = j2 * grid.nx + i2;
      if (wall_[v] == stamp_) continue;
      if (!(flags & (1u << out))) {  // near an obstacle: is it clear for this net?
        const Clearance& edge = out < 4 ? pb_.edge_clear[static_cast<std::size_t>(u) * 4 + out]
                                        : pb_.edge_clear[static_cast<std::size_t>(v) * 4 + (out - 4)];
        if (edge.for_net(net) < pb_.need_edge) continue;
      }
      const bool diagonal = out % 2 != 0;
      const int c1 = j * grid.nx + i2, c2 = j2 * grid.nx + i;  // nodes a diagonal cuts past
      const NodeUse& at_v = usage[v];
      const double x = ox + i2 * p, y = oy + j2 * p;
      double cost = length_[out] * (1 + guide * off_line(x, y)) + turn;
      if (mode.hard) {
        if (at_v.nodes + at_v.corners > 0) continue;
        if (diagonal && usage[c1].nodes + usage[c2].nodes > 0) continue;
      } else {
        cost += p * (at_v.history + mode.present * (at_v.nodes + at_v.corners));
        if (diagonal)
          cost += p * (usage[c1].history + usage[c2].history + mode.present * (usage[c1].nodes + usage[c2].nodes));
      }
      const int s = v * kStates + out;
      const double g = e.g + cost;
      StateRecord& record = states_[s];
      if (record.stamp == stamp_ && record.g <= g) continue;
      record = {g, e.state, stamp_};
      open.push({g + estimate(x, y), g, s});
    }
  }
  return {};
}

// Per net: its straight pad → land line crosses no other net's (always so for free assignment;
// a fixed pair whose line crosses another's must leave its line's class to be routed at all).
std::vector<char> straight_lines_apart(const Problem& pb) {
  const std::size_t n = pb.nets.size();
  std::vector<char> apart(n, 1);
  auto end_points = [&](std::size_t k) {
    return std::pair{xy(pb.shapes[pb.nets[k].pad].centre), xy(pb.shapes[pb.nets[k].land].centre)};
  };
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      const auto [a0, a1] = end_points(a);
      const auto [b0, b1] = end_points(b);
      if (segments_cross(a0, a1, b0, b1)) apart[a] = apart[b] = 0;
    }
  return apart;
}

// Negotiation state: committed paths with their node and corner sets.
class Negotiator {
 public:
  explicit Negotiator(const Problem& pb)
      : pb_(pb), search_(pb), usage_(static_cast<std::size_t>(pb.grid.size())), nodes_(pb.nets.size()),
        corners_(pb.nets.size()), paths_(pb.nets.size()) {}

  Negotiation run(int max_iterations);

 private:
  void commit(int net, std::vector<int> path);
  void rip_up(int net);
  [[nodiscard]] int conflict_count(int net) const;
  [[nodiscard]] bool fits(int net) const { return conflict_count(net) == 0; }
  void add_history(int net);
  std::vector<int> route(int net, bool hard);
  void give_up_conflicts(const std::vector<int>& conflicted, Negotiation& out);
  void trace_round(int round, std::size_t routed, std::size_t conflicted) const;
  std::vector<int> with_neighbours(const std::vector<int>& conflicted, const std::vector<int>& order, const Negotiation& out,
                                   int radius) const;

  const Problem& pb_;
  Search search_;
  std::vector<NodeUse> usage_;
  std::vector<std::vector<int>> nodes_, corners_;  // per net, unique
  std::vector<std::vector<int>> paths_;
  std::vector<char> keeps_sides_;  // per net: route in the class of its straight line
  double present_ = kFirstPresent;
};

void Negotiator::commit(int net, std::vector<int> path) {
  const Grid& grid = pb_.grid;
  std::vector<int> nodes = path, corners;
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  for (std::size_t k = 1; k < path.size(); ++k) {
    const int a = path[k - 1], b = path[k];
    if (a % grid.nx == b % grid.nx || a / grid.nx == b / grid.nx) continue;  // not diagonal
    for (const int c : {(a / grid.nx) * grid.nx + b % grid.nx, (b / grid.nx) * grid.nx + a % grid.nx})
      if (!std::binary_search(nodes.begin(), nodes.end(), c)) corners.push_back(c);
  }
  std::sort(corners.begin(), corners.end());
  corners.erase(std::unique(corners.begin(), corners.end()), corners.end());
  for (const int n : nodes) ++usage_[n].nodes;
  for (const int c : corners) ++usage_[c].corners;
  nodes_[net] = std::move(nodes);
  corners_[net] = std::move(corners);
  paths_[net] = std::move(path);
}

void Negotiator::rip_up(int net) {
  for (const int n : nodes_[net]) --usage_[n].nodes;
  for (const int c : corners_[net]) --usage_[c].corners;
  nodes_[net].clear();
  corners_[net].clear();
  paths_[net].clear();
}

// Nodes where the net meets another one: a node shared, a node another net's diagonal cuts
// past, or a corner of its own diagonal on another net's node. (Its own usage is counted in.)
int Negotiator::conflict_count(int net) const {
  int count = 0;
  for (const int n : nodes_[net]) count += usage_[n].nodes > 1 || usage_[n].corners > 0;
  for (const int c : corners_[net]) count += usage_[c].nodes > 0;
  return count;
}

void Negotiator::add_history(int net) {
  for (const int n : nodes_[net])
    if (usage_[n].nodes > 1 || usage_[n].corners > 0) usage_[n].history += kHistoryStep;
  for (const int c : corners_[net])
    if (usage_[c].nodes > 0) usage_[c].history += kHistoryStep;
}

// One search for `net` in its straight line's class; if that class is walled in by the
// obstacles (or, in hard mode, by the others), in any class.
std::vector<int> Negotiator::route(int net, bool hard) {
  SearchMode mode{present_, hard, keeps_sides_[net] != 0, kGuide};
  std::vector<int> path = search_.route(net, usage_, mode);
  if (path.empty() && mode.keep_sides) {
    mode.keep_sides = false;
    path = search_.route(net, usage_, mode);
    if (!path.empty() && !hard) keeps_sides_[net] = 0;
  }
  return path;
}

// After the last round: keep the conflicting nets with fewest conflicts first, each only if it
// still fits among those kept, else reroute it with the others' nodes as walls, else give up.
void Negotiator::give_up_conflicts(const std::vector<int>& conflicted, Negotiation& out) {
  std::vector<std::pair<int, int>> by_count;
  for (const int net : conflicted) by_count.push_back({conflict_count(net), net});
  std::sort(by_count.begin(), by_count.end());
  std::vector<std::vector<int>> old(pb_.nets.size());
  for (const auto& [count, net] : by_count) {
    old[net] = paths_[net];
    rip_up(net);
  }
  for (const auto& [count, net] : by_count) {
    commit(net, old[net]);
    if (fits(net)) continue;
    rip_up(net);
    std::vector<int> path = route(net, true);
    if (path.empty()) {
      out.failures[net] = Failure::Congested;
      continue;
    }
    commit(net, std::move(path));
  }
}

// The conflicting nets and, in routing order, every net with a node within `radius` nodes of
// a conflict.
std::vector<int> Negotiator::with_neighbours(const std::vector<int>& conflicted, const std::vector<int>& order,
                                             const Negotiation& out, int radius) const {
  const Grid& grid = pb_.grid;
  std::vector<char> near(usage_.size(), 0);
  for (int n = 0; n < grid.size(); ++n) {
    if (!(usage_[n].nodes > 1 || (usage_[n].nodes > 0 && usage_[n].corners > 0))) continue;
    const int i = n % grid.nx, j = n / grid.nx;
    for (int b = std::max(0, j - radius); b <= std::min(grid.ny - 1, j + radius); ++b)
      for (int a = std::max(0, i - radius); a <= std::min(grid.nx - 1, i + radius); ++a) near[b * grid.nx + a] = 1;
  }
  std::vector<int> batch;
  for (const int net : order) {
    if (out.failures[net] != Failure::None) continue;
    const bool in_conflict = std::find(conflicted.begin(), conflicted.end(), net) != conflicted.end();
    if (in_conflict || std::any_of(nodes_[net].begin(), nodes_[net].end(), [&](int n) { return near[n] != 0; }))
      batch.push_back(net);
  }
  return batch;
}

// WLPKIT_RDL_TRACE=1 prints one line per negotiation round to stderr (tuning aid).
void Negotiator::trace_round(int round, std::size_t routed, std::size_t conflicted) const {
  static const bool on = std::getenv("WLPKIT_RDL_TRACE") != nullptr;
  static const auto start = std::chrono::steady_clock::now();
  if (on)
    std::fprintf(stderr, "rdl round %d: %zu nets routed, %zu in conflict, %ld states popped per search, %.3f s\n", round,
                 routed, conflicted, search_.pops / std::max(1L, search_.searches),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

Negotiation Negotiator::run(int max_iterations) {
  const std::size_t count = pb_.nets.size();
  Negotiation out;
  out.failures.assign(count, Failure::None);
  std::vector<int> order;
  for (std::size_t n = 0; n < count; ++n) {
    if (pb_.pad_access[n].empty()) out.failures[n] = Failure::NoPadAccess;
    else if (pb_.land_access[n].empty()) out.failures[n] = Failure::NoLandAccess;
    else order.push_back(static_cast<int>(n));
  }
  // Short nets first: they have the fewest ways around and claim their straight tracks.
  auto span = [&](int net) {
    return octile_length(xy(pb_.shapes[pb_.nets[net].pad].centre), xy(pb_.shapes[pb_.nets[net].land].centre));
  };
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return span(a) < span(b); });
  keeps_sides_ = straight_lines_apart(pb_);
  std::vector<int> batch = order, conflicted;
  for (int round = 1; round <= max_iterations && !batch.empty(); ++round) {
    out.iterations = round;
    for (const int net : batch) {
      rip_up(net);
      std::vector<int> path = route(net, false);
      if (path.empty()) {
        out.failures[net] = Failure::Unreachable;  // walled in by obstacles: no price opens it
        continue;
      }
      commit(net, std::move(path));
    }
    const std::size_t before = conflicted.size();
    conflicted.clear();
    for (const int net : order)
      if (out.failures[net] == Failure::None && !fits(net)) conflicted.push_back(net);
    for (const int net : conflicted) add_history(net);
    trace_round(round, batch.size(), conflicted.size());
    present_ *= kPresentGrowth;
    // Stalled: also reroute the nets around the conflicts, which may have to make room.
    static const int radius = std::getenv("WLP_NEAR") ? std::atoi(std::getenv("WLP_NEAR")) : 0;
    batch = radius > 0 && round > 1 && conflicted.size() >= before ? with_neighbours(conflicted, order, out, radius) : conflicted;
  }
  if (!conflicted.empty()) give_up_conflicts(conflicted, out);
  trace_round(0, 0, 0);
  out.paths.resize(count);
  for (std::size_t n = 0; n < count; ++n)
    if (out.failures[n] == Failure::None) out.paths[n] = paths_[n];
  return out;
}

}  // namespace

Negotiation negotiate(const Problem& problem, int max_iterations) {
  Negotiator negotiator(problem);
  return negotiator.run(max_iterations);
}

}  // namespace wlp::layout::rdl
