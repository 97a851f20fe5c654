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
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <queue>

#include "layout/rdl_internal.h"

namespace wlp::layout::rdl {
namespace {

constexpr int kStart = kAnyDirection;  // state of a start on the centre: no direction yet
constexpr int kStates = 9;

// Tuning of the search and the negotiation (costs in pitches unless noted).
constexpr double kFirstPresent = 0.5;  // price of sharing a node in the first round ...
constexpr double kPresentGrowth = 1.6;  // ... growing by this factor every round,
constexpr double kMaxPresent = 1e4;     // up to this
constexpr float kHistoryStep = 0.4f;   // added to a node's price each round it is in conflict
constexpr double kTurn45 = 0.05, kTurn90 = 0.2;  // small: fewer bends among equal paths
// A step costs its length × (1 + kGuide × distance from the straight pad → land line / land
// pitch): routes stay near their lines, which do not cross, so nets keep the lines' order
// through the gaps between lands instead of tangling there (see mark_side_barriers).
constexpr double kGuide = 3.0;
// Entering another net's node across its direction costs this many times the sharing price:
// crossings must not be cheaper than overlaps (see Search::route).
constexpr double kCrossing = 3.0;

struct NodeUse {
  std::int16_t nodes = 0;    // nets with the node on their path
  std::int8_t corners = 0;   // nets with a diagonal step cutting past the node (saturating)
  std::int8_t axis = -1;     // direction mod 4 of the last path committed through the node
  float history = 0;         // accumulated conflicts, in pitches
};

struct StateRecord {
  float g;  // cost so far, nm (float: 12-byte records keep the search in cache)
  int parent;
  std::uint32_t stamp;  // search that set g and parent
};

// Open-list entry; the key orders by f = g + estimate (whole nm, saturating), then by the
// smaller estimate (deeper first), so one integer comparison decides.
struct Entry {
  std::uint64_t key;
  int state;
  float g;
};
struct Later {
  bool operator()(const Entry& a, const Entry& b) const { return a.key > b.key; }
};
std::uint64_t entry_key(double f, double estimate) {
  constexpr double top = 4294967295.0;
  const auto high = static_cast<std::uint64_t>(std::min(f, top)), low = static_cast<std::uint64_t>(std::min(estimate, top));
  return high << 32 | low;
}

/// How a search treats the other nets and the straight line of its own.
struct SearchMode {
  double present = 0;       // price of sharing (soft mode)
  bool hard = false;        // other nets' nodes are walls instead of a price
  bool keep_sides = false;  // stay in the topological class of the straight line
  double guide = 0;         // weight of the distance from the straight line
  bool by_node = false;     // expand each node once, in the direction it is first reached
                            // (inexact: another direction might have allowed a turn)
};

class Search {
 public:
  explicit Search(const Problem& pb)
      : pb_(pb),
        states_(static_cast<std::size_t>(pb.grid.size()) * kStates, StateRecord{0, -1, 0}),
        goal_(static_cast<std::size_t>(pb.grid.size()), 0),
        goal_directions_(static_cast<std::size_t>(pb.grid.size()), 0),
        wall_(static_cast<std::size_t>(pb.grid.size()), 0),
        expanded_(static_cast<std::size_t>(pb.grid.size()), 0) {
    const double p = static_cast<double>(pb.grid.pitch);
    for (int d = 0; d < 8; ++d) length_[d] = d % 2 == 0 ? p : p * std::numbers::sqrt2;
  }

  /// Cheapest path of `net` from one of its pad access nodes to one of its land access nodes
  /// (grid nodes, pad end first); empty when there is none.
  GridRoute route(int net, const std::vector<NodeUse>& usage, const SearchMode& mode);

  long pops = 0, searches = 0;  // statistics

 private:
  void mark_side_barriers(int net);
  void mark_ray(XY from, XY direction);
  GridRoute trace(int net, int state, int goal_direction) const;

  const Problem& pb_;
  std::vector<StateRecord> states_;
  std::vector<std::uint32_t> goal_;  // stamp of the search whose goal the node is
  std::vector<std::uint16_t> goal_directions_;  // bits: directions the land stubs leave the node in
  std::vector<std::uint32_t> wall_;  // stamp of the search for which the node is a side wall
  std::vector<std::uint32_t> expanded_;  // stamp of the search that expanded the node (by_node)
  std::uint32_t stamp_ = 0;
  double length_[8] = {};
};

GridRoute Search::trace(int net, int state, int goal_direction) const {
  GridRoute found;
  int root = state;
  for (int s = state; s >= 0; s = states_[s].parent) {
    found.nodes.push_back(s / kStates);
    root = s;
  }
  std::reverse(found.nodes.begin(), found.nodes.end());
  for (const Access& a : pb_.pad_access[net])
    if (a.node == root / kStates && a.direction == root % kStates) found.start = a;
  for (const Access& a : pb_.land_access[net])
    if (a.node == found.nodes.back() && a.direction == goal_direction) found.end = a;
  return found;
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

GridRoute Search::route(int net, const std::vector<NodeUse>& usage, const SearchMode& mode) {
  ++searches;
  if (++stamp_ == 0) {  // wrapped: forget every old stamp
    for (StateRecord& r : states_) r.stamp = 0;
    std::fill(goal_.begin(), goal_.end(), 0);
    std::fill(wall_.begin(), wall_.end(), 0);
    std::fill(expanded_.begin(), expanded_.end(), 0);
    stamp_ = 1;
  }
  if (mode.keep_sides) mark_side_barriers(net);
  const Grid& grid = pb_.grid;
  const double p = static_cast<double>(grid.pitch);
  const double ox = static_cast<double>(grid.origin.x), oy = static_cast<double>(grid.origin.y);
  const Shape& pad = pb_.shapes[pb_.nets[net].pad];
  const Shape& land = pb_.shapes[pb_.nets[net].land];
  const XY source = xy(pad.centre), target = xy(land.centre);
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
  auto estimate = [&](double x, double y) {  // octilinear distance to the land centre
    const double dx = std::abs(x - target.x), dy = std::abs(y - target.y);
    return std::max(dx, dy) + (std::numbers::sqrt2 - 1) * std::min(dx, dy);
  };
  for (const Access& a : pb_.land_access[net]) {
    if (goal_[a.node] != stamp_) goal_directions_[a.node] = 0;
    goal_[a.node] = stamp_;
    goal_directions_[a.node] = static_cast<std::uint16_t>(goal_directions_[a.node] | (1u << a.direction));
  }
  // The land stub that continues a wire arriving in direction `in`: straight on if it can, else
  // by an allowed turn where the node is deep enough inside the land for its outline.
  auto goal_direction = [&](int node, int in) {
    const unsigned mask = goal_directions_[node];
    if (in != kStart && (mask >> in) & 1u) return in;
    if (in != kStart && in_exit_zone(pb_, land, xy(grid.at(node)))) return -1;
    for (int d = 0; d <= kAnyDirection; ++d)
      if ((mask >> d) & 1u && turn_allowed(in, d)) return d;
    return -1;
  };
  std::priority_queue<Entry, std::vector<Entry>, Later> open;
  for (const Access& a : pb_.pad_access[net]) {
    const int s = a.node * kStates + a.direction;
    states_[s] = {static_cast<float>(a.stub), -1, stamp_};
    const Point at = grid.at(a.node);
    const double h = estimate(static_cast<double>(at.x), static_cast<double>(at.y));
    open.push({entry_key(a.stub + h, h), s, static_cast<float>(a.stub)});
  }
  while (!open.empty()) {
    const Entry e = open.top();
    open.pop();
    if (e.g > states_[e.state].g) continue;  // superseded
    ++pops;
    const int u = e.state / kStates, in = e.state % kStates;
    // At a goal node the estimate is the exact stub length, so f is the full cost.
    if (goal_[u] == stamp_) {
      const int d = goal_direction(u, in);
      if (d >= 0) return trace(net, e.state, d);
    }
    if (mode.by_node) {
      if (expanded_[u] == stamp_) continue;
      expanded_[u] = stamp_;
    }
    const std::uint16_t flags = pb_.node_flags[u];
    bool turn45_ok = (flags & kTurn45Clear) != 0, turn90_ok = (flags & kTurn90Clear) != 0;
    if (!turn90_ok) {  // near an obstacle: look up this net's clearance
      const float clear_u = pb_.node_clear[u].for_net(net);
      turn45_ok = clear_u >= pb_.need_turn45;
      turn90_ok = clear_u >= pb_.need_turn90;
    }
    const int i = u % grid.nx, j = u / grid.nx;
    const XY at_u{ox + i * p, oy + j * p};
    if (in_exit_zone(pb_, pad, at_u) || in_exit_zone(pb_, land, at_u)) turn45_ok = turn90_ok = false;
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
        // Crossing another net costs more than running along it: an overlap is sorted out by
        // one of the two moving aside, a crossing only by one of them taking another order.
        if (at_v.nodes > 0 && at_v.axis != out % 4) cost += p * mode.present * kCrossing;
        if (diagonal)
          cost += p * (usage[c1].history + usage[c2].history + mode.present * (usage[c1].nodes + usage[c2].nodes));
      }
      const int s = v * kStates + out;
      const auto g = static_cast<float>(e.g + cost);
      StateRecord& record = states_[s];
      if (record.stamp == stamp_ && record.g <= g) continue;
      record = {g, e.state, stamp_};
      const double h = estimate(x, y);
      open.push({entry_key(g + h, h), s, g});
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
        corners_(pb.nets.size()), routes_(pb.nets.size()) {}

  Negotiation run(int max_iterations);

 private:
  void commit(int net, GridRoute route);
  void rip_up(int net);
  [[nodiscard]] int conflict_count(int net) const;
  [[nodiscard]] bool fits(int net) const { return conflict_count(net) == 0; }
  void add_history(int net);
  GridRoute route(int net, bool hard);
  void give_up_conflicts(const std::vector<int>& conflicted, Negotiation& out);
  bool push_through(int net);
  void trace_round(int round, std::size_t routed, std::size_t conflicted) const;

  const Problem& pb_;
  Search search_;
  std::vector<NodeUse> usage_;
  std::vector<std::vector<int>> nodes_, corners_;  // per net, unique
  std::vector<GridRoute> routes_;
  std::vector<char> keeps_sides_;  // per net: route in the class of its straight line
  double present_ = kFirstPresent;
  // The first two rounds expand each node once (in the direction it is first reached: about 2x
  // faster, slightly worse paths); later rounds search every (node, direction) state.
  bool by_node_ = true;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void Negotiator::commit(int net, GridRoute route) {
  const Grid& grid = pb_.grid;
  const std::vector<int>& path = route.nodes;
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
  for (const int c : corners) usage_[c].corners = static_cast<std::int8_t>(std::min(usage_[c].corners + 1, 127));
  for (std::size_t k = 0; k < path.size(); ++k) {
    const int a = path[k == 0 ? 0 : k - 1], b = path[k == 0 ? std::min<std::size_t>(1, path.size() - 1) : k];
    const int di = b % grid.nx - a % grid.nx, dj = b / grid.nx - a / grid.nx;
    for (int d = 0; d < 8; ++d)
      if (kDx[d] == di && kDy[d] == dj) usage_[path[k]].axis = static_cast<std::int8_t>(d % 4);
  }
  nodes_[net] = std::move(nodes);
  corners_[net] = std::move(corners);
  routes_[net] = std::move(route);
}

void Negotiator::rip_up(int net) {
  for (const int n : nodes_[net]) --usage_[n].nodes;
  for (const int c : corners_[net]) usage_[c].corners = static_cast<std::int8_t>(std::max(usage_[c].corners - 1, 0));
  nodes_[net].clear();
  corners_[net].clear();
  routes_[net] = {};
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
GridRoute Negotiator::route(int net, bool hard) {
  SearchMode mode{present_, hard, keeps_sides_[net] != 0, kGuide, by_node_ && !hard};
  GridRoute found = search_.route(net, usage_, mode);
  if (found.nodes.empty() && mode.by_node) {
    mode.by_node = false;
    found = search_.route(net, usage_, mode);
  }
  if (found.nodes.empty() && mode.keep_sides) {
    mode.keep_sides = false;
    found = search_.route(net, usage_, mode);
    if (!found.nodes.empty() && !hard) keeps_sides_[net] = 0;
  }
  return found;
}

// After the last round: keep the conflicting nets with fewest conflicts first, each only if it
// still fits among those kept, else reroute it with the others' nodes as walls, else give up.
void Negotiator::give_up_conflicts(const std::vector<int>& conflicted, Negotiation& out) {
  std::vector<std::pair<int, int>> by_count;
  for (const int net : conflicted) by_count.push_back({conflict_count(net), net});
  std::sort(by_count.begin(), by_count.end());
  std::vector<GridRoute> old(pb_.nets.size());
  for (const auto& [count, net] : by_count) {
    old[net] = routes_[net];
    rip_up(net);
  }
  for (const auto& [count, net] : by_count) {
    commit(net, old[net]);
    if (fits(net)) continue;
    rip_up(net);
    GridRoute found = route(net, true);
    if (!found.nodes.empty()) {
      commit(net, std::move(found));
      continue;
    }
    if (!push_through(net)) out.failures[net] = Failure::Congested;
  }
}

// Rip-up and reroute for a net that found no free path: take its path of fewest conflicts,
// and reroute the few nets in its way around it (hard); if any of them then fails, undo all.
bool Negotiator::push_through(int net) {
  constexpr std::size_t kMaxVictims = 4;
  const double present = present_;
  present_ = kMaxPresent;
  GridRoute attempt = route(net, false);
  present_ = present;
  if (attempt.nodes.empty()) return false;
  commit(net, attempt);
  std::vector<int> victims;
  for (std::size_t other = 0; other < pb_.nets.size(); ++other) {
    if (static_cast<int>(other) == net || nodes_[other].empty()) continue;
    auto meets = [&](const std::vector<int>& cells) {
      return std::any_of(cells.begin(), cells.end(), [&](int c) {
        return std::binary_search(nodes_[net].begin(), nodes_[net].end(), c) ||
               std::binary_search(corners_[net].begin(), corners_[net].end(), c);
      });
    };
    if (meets(nodes_[other]) || std::any_of(corners_[other].begin(), corners_[other].end(), [&](int c) {
          return std::binary_search(nodes_[net].begin(), nodes_[net].end(), c);
        }))
      victims.push_back(static_cast<int>(other));
  }
  if (victims.size() > kMaxVictims) {
    rip_up(net);
    return false;
  }
  std::vector<GridRoute> saved;
  for (const int v : victims) {
    saved.push_back(routes_[v]);
    rip_up(v);
  }
  std::size_t rerouted = 0;
  for (; rerouted < victims.size(); ++rerouted) {
    GridRoute found = route(victims[rerouted], true);
    if (found.nodes.empty()) break;
    commit(victims[rerouted], std::move(found));
  }
  if (rerouted == victims.size()) return true;
  for (std::size_t k = 0; k < rerouted; ++k) rip_up(victims[k]);  // undo
  rip_up(net);
  for (std::size_t k = 0; k < victims.size(); ++k) commit(victims[k], saved[k]);
  return false;
}

// WLPKIT_RDL_TRACE=1 prints one line per negotiation round to stderr (a tuning aid).
void Negotiator::trace_round(int round, std::size_t routed, std::size_t conflicted) const {
  static const bool on = std::getenv("WLPKIT_RDL_TRACE") != nullptr;
  if (!on) return;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "rdl round %d: %zu nets routed, %zu in conflict, %ld states popped per search, %.3f s\n", round, routed,
               conflicted, search_.pops / std::max(1L, search_.searches), seconds);
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
      GridRoute found = route(net, false);
      if (found.nodes.empty()) {
        out.failures[net] = Failure::Unreachable;  // walled in by obstacles: no price opens it
        continue;
      }
      commit(net, std::move(found));
    }
    conflicted.clear();
    for (const int net : order)
      if (out.failures[net] == Failure::None && !fits(net)) conflicted.push_back(net);
    for (const int net : conflicted) add_history(net);
    trace_round(round, batch.size(), conflicted.size());
    present_ = std::min(present_ * kPresentGrowth, kMaxPresent);
    by_node_ = round < 2;  // round + 1 <= 2
    batch = conflicted;
  }
  if (!conflicted.empty()) give_up_conflicts(conflicted, out);
  out.routes.resize(count);
  for (std::size_t n = 0; n < count; ++n)
    if (out.failures[n] == Failure::None) out.routes[n] = routes_[n];
  return out;
}

}  // namespace

Negotiation negotiate(const Problem& problem, int max_iterations) {
  Negotiator negotiator(problem);
  return negotiator.run(max_iterations);
}

}  // namespace wlp::layout::rdl
