#include "mesh/footprint.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wlp::mesh::detail {

namespace {

constexpr double kSameLine_m = 1e-10;

struct Interval {
  double lo = 0, hi = 0;
  bool is_lattice = false;
};

bool near(double a, double b) { return std::abs(a - b) < kSameLine_m; }

/// Segment sizes for a graded interval of `length`, growing from `first` (times the growth)
/// up to the cap, scaled to fit exactly; at least two segments (a triangle split needs them).
std::vector<double> graded_sizes(double length, double first, const AxisSpec& spec) {
  std::vector<double> sizes;
  double sum = 0, size = first;
  while (sum < length) {
    size = std::min(size * spec.growth, spec.max_segment_m);
    if (sum + 0.5 * size >= length && sizes.size() >= 2) break;
    sizes.push_back(size);
    sum += size;
  }
  while (sizes.size() < 2) sizes.push_back(size), sum += size;
  for (double& s : sizes) s *= length / sum;
  return sizes;
}

std::vector<Interval> intervals_of(const AxisSpec& spec) {
  std::vector<double> breaks{spec.lo_m, spec.hi_m};
  for (double b : spec.breaks_m)
    if (b > spec.lo_m && b < spec.hi_m) breaks.push_back(b);
  std::vector<double> lattice;
  for (int i = 0; i <= spec.n_cells; ++i) lattice.push_back(spec.lattice_lo_m + i * spec.pitch_m);
  for (double l : lattice)
    if (l > spec.lo_m - kSameLine_m && l < spec.hi_m + kSameLine_m) breaks.push_back(l);
  std::sort(breaks.begin(), breaks.end());
  breaks.erase(std::unique(breaks.begin(), breaks.end(), near), breaks.end());
  std::vector<Interval> intervals;
  for (std::size_t i = 0; i + 1 < breaks.size(); ++i) {
    const double lo = breaks[i], hi = breaks[i + 1];
    const double cell = (lo - spec.lattice_lo_m) / spec.pitch_m;
    const bool on_lattice = std::abs(cell - std::round(cell)) * spec.pitch_m < kSameLine_m && std::round(cell) >= 0 &&
                            std::round(cell) < spec.n_cells && near(hi - lo, spec.pitch_m);
    intervals.push_back(Interval{lo, hi, on_lattice});
  }
  return intervals;
}

}  // namespace

std::vector<double> axis_lines(const AxisSpec& spec) {
  const std::vector<Interval> intervals = intervals_of(spec);
  const double lattice_size = spec.pitch_m / spec.segments_per_cell;
  std::vector<std::vector<double>> inside(intervals.size());  // interior lines of each interval
  auto first_lattice = std::find_if(intervals.begin(), intervals.end(), [](const Interval& i) { return i.is_lattice; });
  auto last_lattice =
      std::find_if(intervals.rbegin(), intervals.rend(), [](const Interval& i) { return i.is_lattice; });
  const std::ptrdiff_t lo_index = first_lattice == intervals.end() ? 0 : first_lattice - intervals.begin();
  const std::ptrdiff_t hi_index = last_lattice == intervals.rend() ? -1
                                                                   : static_cast<std::ptrdiff_t>(intervals.size()) - 1 -
                                                                         (last_lattice - intervals.rbegin());
  for (std::ptrdiff_t i = lo_index; i <= hi_index; ++i) {
    const Interval& iv = intervals[static_cast<std::size_t>(i)];
    const int n = iv.is_lattice ? spec.segments_per_cell
                                : std::max(2, static_cast<int>(std::ceil((iv.hi - iv.lo) / lattice_size)));
    for (int s = 1; s < n; ++s) inside[static_cast<std::size_t>(i)].push_back(iv.lo + s * (iv.hi - iv.lo) / n);
  }
  // Away from the array the segments grow, continuing from the array's size outwards.
  double size = lattice_size;
  for (std::size_t i = static_cast<std::size_t>(hi_index + 1); i < intervals.size(); ++i) {
    const std::vector<double> sizes = graded_sizes(intervals[i].hi - intervals[i].lo, size, spec);
    double at = intervals[i].lo;
    for (std::size_t s = 0; s + 1 < sizes.size(); ++s) inside[i].push_back(at += sizes[s]);
    size = sizes.back();
  }
  size = lattice_size;
  for (std::ptrdiff_t i = lo_index - 1; i >= 0; --i) {
    const Interval& iv = intervals[static_cast<std::size_t>(i)];
    const std::vector<double> sizes = graded_sizes(iv.hi - iv.lo, size, spec);
    double at = iv.hi;
    std::vector<double>& lines = inside[static_cast<std::size_t>(i)];
    for (std::size_t s = 0; s + 1 < sizes.size(); ++s) lines.insert(lines.begin(), at -= sizes[s]);
    size = sizes.back();
  }
  std::vector<double> lines{intervals.front().lo};
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    lines.insert(lines.end(), inside[i].begin(), inside[i].end());
    lines.push_back(intervals[i].hi);
  }
  return lines;
}

namespace {

bool in_ogrid_cell(const FootprintSpec& spec, double x, double y) {
  return std::any_of(spec.cells.begin(), spec.cells.end(), [&](const OgridCell& c) {
    return std::abs(x - c.centre.x) < c.half_pitch_m && std::abs(y - c.centre.y) < c.half_pitch_m;
  });
}

/// Eighth models: the two squares on the diagonal beyond the array (array edge to die edge,
/// die edge to board edge) are meshed as triangles below the diagonal, not as tensor quads
/// that the diagonal would cut in half.
bool in_diagonal_corner(const FootprintSpec& spec, double x, double y, double board_edge) {
  if (spec.symmetry != Symmetry::Eighth || !spec.cut_to_symmetry) return false;
  auto in_square = [&](double lo, double hi) { return x > lo && x < hi && y > lo && y < hi; };
  return in_square(spec.array_edge_m, spec.die_edge_m) || in_square(spec.die_edge_m, board_edge);
}

void add_corner_triangle(XyMesh& mesh, const std::vector<double>& lines, double lo, double hi) {
  if (hi - lo < kSameLine_m) return;
  std::vector<int> bottom, right;  // (lo,lo) → (hi,lo) → (hi,hi)
  for (double v : lines)
    if (v > lo - kSameLine_m && v < hi + kSameLine_m) bottom.push_back(mesh.node_at(Xy{v, lo}));
  for (double v : lines)
    if (v > lo - kSameLine_m && v < hi + kSameLine_m) right.push_back(mesh.node_at(Xy{hi, v}));
  add_split_triangle(mesh, bottom, right, -1, [&mesh](Xy p) { return mesh.node_at(p); });
}

void snap_to_cut_planes(XyMesh& mesh, Symmetry symmetry) {
  for (XyNode& node : mesh.nodes_for_update()) {
    if (std::abs(node.at.x) < kSameLine_m) node.at.x = 0;
    if (std::abs(node.at.y) < kSameLine_m) node.at.y = 0;
    if (symmetry == Symmetry::Eighth && std::abs(node.at.x - node.at.y) < kSameLine_m) node.at.y = node.at.x;
  }
}

}  // namespace

XyMesh build_footprint(const FootprintSpec& spec) {
  const std::vector<double> xs = axis_lines(spec.x), ys = axis_lines(spec.y);
  XyMesh mesh;
  for (std::size_t i = 0; i + 1 < xs.size(); ++i)
    for (std::size_t j = 0; j + 1 < ys.size(); ++j) {
      const double xc = 0.5 * (xs[i] + xs[i + 1]), yc = 0.5 * (ys[j] + ys[j + 1]);
      if (in_ogrid_cell(spec, xc, yc) || in_diagonal_corner(spec, xc, yc, spec.x.hi_m)) continue;
      mesh.add_quad({mesh.node_at(Xy{xs[i], ys[j]}), mesh.node_at(Xy{xs[i + 1], ys[j]}),
                     mesh.node_at(Xy{xs[i + 1], ys[j + 1]}), mesh.node_at(Xy{xs[i], ys[j + 1]})},
                    -1);
    }
  for (const OgridCell& cell : spec.cells) add_ogrid_cell(mesh, cell);
  if (spec.symmetry == Symmetry::Eighth && spec.cut_to_symmetry) {
    add_corner_triangle(mesh, xs, spec.array_edge_m, spec.die_edge_m);
    add_corner_triangle(mesh, xs, spec.die_edge_m, spec.x.hi_m);
  }
  if (spec.cut_to_symmetry) {
    const std::vector<XyNode>& nodes = mesh.nodes();
    mesh.keep_quads([&](const XyQuad& quad) {
      double x = 0, y = 0;
      for (int n : quad.nodes)
        x += nodes[static_cast<std::size_t>(n)].at.x / 4, y += nodes[static_cast<std::size_t>(n)].at.y / 4;
      const bool quarter = x > 0 && y > 0;
      return spec.symmetry == Symmetry::Eighth ? quarter && y < x : quarter;
    });
    snap_to_cut_planes(mesh, spec.symmetry);
  }
  return mesh;
}

}  // namespace wlp::mesh::detail
