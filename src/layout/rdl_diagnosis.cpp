// Reasons for unrouted nets, in the designer's terms: which pad or land has no access, which
// gap between two obstacles is too narrow for the wires that want through it, or which other
// net's pad → land order forces a crossing.
#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "layout/rdl_internal.h"

namespace wlp::layout::rdl {
namespace {

struct Gap {
  int a = -1, b = -1;  // shape indices
  double gap_nm = 0;
  long tracks = 0;
  int needs = 0;
};

XY pad_centre(const Problem& pb, int net) { return xy(pb.shapes[pb.nets[net].pad].centre); }
XY land_centre(const Problem& pb, int net) { return xy(pb.shapes[pb.nets[net].land].centre); }

std::string pair_name(const Shape& a, const Shape& b) {
  if (a.is_land && b.is_land) return fmt::format("lands {} and {}", a.name, b.name);
  if (!a.is_land && !b.is_land) return fmt::format("pads {} and {}", a.name, b.name);
  const Shape& land = a.is_land ? a : b;
  const Shape& pad = a.is_land ? b : a;
  return fmt::format("land {} and pad {}", land.name, pad.name);
}

// The straight line between the centres of a and b runs through a third shape: a and b are
// then not neighbours, and the "gap" between them is two gaps.
bool pair_is_split(const Problem& pb, int a, int b) {
  const XY ca = xy(pb.shapes[a].centre), cb = xy(pb.shapes[b].centre);
  const Box bounds{{std::min(pb.shapes[a].centre.x, pb.shapes[b].centre.x), std::min(pb.shapes[a].centre.y, pb.shapes[b].centre.y)},
                   {std::max(pb.shapes[a].centre.x, pb.shapes[b].centre.x), std::max(pb.shapes[a].centre.y, pb.shapes[b].centre.y)}};
  for (const int c : pb.index.near(bounds, 0))
    if (c != a && c != b && segment_distance(pb.shapes[c], ca, cb) == 0) return true;
  return false;
}

// Nets whose straight pad → land line passes between a and b (nets ending on a or b excluded).
int nets_through(const Problem& pb, int a, int b) {
  const XY ca = xy(pb.shapes[a].centre), cb = xy(pb.shapes[b].centre);
  int count = 0;
  for (std::size_t n = 0; n < pb.nets.size(); ++n) {
    const int net = static_cast<int>(n);
    if (pb.shapes[a].owner == net || pb.shapes[b].owner == net) continue;
    count += segments_cross(pad_centre(pb, net), land_centre(pb, net), ca, cb);
  }
  return count;
}

// The narrowest gap between two obstacles that the straight pad → land line of `net` crosses
// and that holds fewer tracks, (gap − space) / (width + space), than nets want through it.
std::optional<Gap> blocking_gap(const Problem& pb, int net) {
  const double w = static_cast<double>(pb.width), s = static_cast<double>(pb.space);
  const double widest = 20 * (w + s);  // wider gaps are not what blocks a net
  const XY from = pad_centre(pb, net), to = land_centre(pb, net);
  const Point p0 = pb.shapes[pb.nets[net].pad].centre, p1 = pb.shapes[pb.nets[net].land].centre;
  const Box line{{std::min(p0.x, p1.x), std::min(p0.y, p1.y)}, {std::max(p0.x, p1.x), std::max(p0.y, p1.y)}};
  std::vector<int> near;
  for (const int k : pb.index.near(line, widest))
    if (pb.shapes[k].owner != net && segment_distance(pb.shapes[k], from, to) <= widest) near.push_back(k);
  // Candidate pairs by width; the first that holds fewer tracks than nets want through wins.
  std::vector<Gap> pairs;
  for (std::size_t x = 0; x < near.size(); ++x)
    for (std::size_t y = x + 1; y < near.size(); ++y) {
      const int a = near[x], b = near[y];
      if (!segments_cross(from, to, xy(pb.shapes[a].centre), xy(pb.shapes[b].centre))) continue;
      const double gap = shape_gap(pb.shapes[a], pb.shapes[b]);
      if (gap <= widest) pairs.push_back({a, b, gap, 0, 0});
    }
  std::sort(pairs.begin(), pairs.end(), [](const Gap& p, const Gap& q) { return p.gap_nm < q.gap_nm; });
  for (Gap& pair : pairs) {
    if (pair_is_split(pb, pair.a, pair.b)) continue;
    pair.tracks = std::max(0L, static_cast<long>(std::floor((pair.gap_nm - s) / (w + s))));
    pair.needs = nets_through(pb, pair.a, pair.b);
    if (pair.tracks < pair.needs) return pair;
  }
  return std::nullopt;
}

std::string blocked_message(const Problem& pb, const Gap& gap) {
  return fmt::format("blocked between {}: gap {:.1f} um holds {} track{}, needs {}", pair_name(pb.shapes[gap.a], pb.shapes[gap.b]),
                     to_um(static_cast<Nm>(std::llround(gap.gap_nm))), gap.tracks, gap.tracks == 1 ? "" : "s", gap.needs);
}

std::string no_access_message(const Problem& pb, const Shape& shape) {
  return fmt::format(
      "{} {} has no free access: no track-grid node (pitch {:.3f} um) lies {:.1f} um inside it, clear of other nets' "
      "shapes and the die edge, for a {:.1f} um wire to start there",
      shape.is_land ? "land" : "pad", shape.name, to_um(pb.grid.pitch), pb.stub_reach * 1e-3, to_um(pb.width));
}

// Another net whose straight pad → land line crosses this one's: with free assignment that
// cannot happen, with fixed pairs it means the order of the pads and lands forces a detour.
std::optional<int> crossing_net(const Problem& pb, int net) {
  for (std::size_t n = 0; n < pb.nets.size(); ++n) {
    const int other = static_cast<int>(n);
    if (other != net && segments_cross(pad_centre(pb, net), land_centre(pb, net), pad_centre(pb, other), land_centre(pb, other)))
      return other;
  }
  return std::nullopt;
}

}  // namespace

std::string explain_failure(const Problem& pb, int net, Failure failure, int iterations) {
  const Shape& pad = pb.shapes[pb.nets[net].pad];
  const Shape& land = pb.shapes[pb.nets[net].land];
  if (failure == Failure::NoPadAccess) return no_access_message(pb, pad);
  if (failure == Failure::NoLandAccess) return no_access_message(pb, land);
  if (const auto gap = blocking_gap(pb, net)) return blocked_message(pb, *gap);
  if (failure == Failure::Unreachable)
    return fmt::format("walled in: no path from pad {} to land {} keeps the space to the other nets' lands and pads "
                       "and to the die edge",
                       pad.name, land.name);
  if (const auto other = crossing_net(pb, net)) {
    const Net& o = pb.nets[*other];
    return fmt::format(
        "crosses net {} -> {}: the pad and land order forces the two wires to cross, and no way around was found "
        "after {} negotiation rounds",
        pb.shapes[o.pad].name, pb.shapes[o.land].name, iterations);
  }
  return fmt::format("congested: no free track from pad {} to land {} after {} negotiation rounds", pad.name, land.name,
                     iterations);
}

}  // namespace wlp::layout::rdl
