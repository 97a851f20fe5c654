#include "mesh/column_index.h"

#include <algorithm>
#include <cmath>

namespace wlp::mesh::detail {

namespace {

// Bins of about a tenth of a bump pitch: a tile-sized cell polygon lands in ~100 bins.
constexpr layout::Nm kMinBin = 10'000;
constexpr layout::Nm kMaxBinsPerSide = 512;

}  // namespace

process::Stack stack_below(const process::Stack& stack, layout::Nm z_cap) {
  process::Stack below;
  for (process::Interval interval : stack) {
    if (interval.z_bottom >= z_cap) continue;
    interval.z_top = std::min(interval.z_top, z_cap);
    below.push_back(interval);
  }
  return below;
}

std::vector<MaterialSpan> material_spans(const process::Stack& stack, layout::Nm z_cap) {
  std::vector<MaterialSpan> spans;
  for (const process::Interval& interval : stack_below(stack, z_cap)) {
    if (!spans.empty() && spans.back().z_top == interval.z_bottom && spans.back().material == interval.material)
      spans.back().z_top = interval.z_top;
    else
      spans.push_back(MaterialSpan{interval.z_bottom, interval.z_top, interval.material});
  }
  return spans;
}

ColumnIndex::ColumnIndex(const process::WaferModel& model) : model_(model), window_(model.window()) {
  const layout::Nm side = std::max(window_.width(), window_.height());
  bin_ = std::max(kMinBin, side / kMaxBinsPerSide + 1);
  nx_ = window_.width() / bin_ + 1, ny_ = window_.height() / bin_ + 1;
  bins_.assign(static_cast<std::size_t>(nx_ * ny_), {});
  const auto& cells = model.cells();
  for (std::size_t c = 0; c < cells.size(); ++c)
    for (std::size_t p = 0; p < cells[c].region.size(); ++p) {
      const layout::Box box = layout::bounding_box(cells[c].region[p].outer);
      const layout::Nm i0 = std::max(layout::Nm{0}, (box.lo.x - window_.lo.x) / bin_),
                       i1 = std::min(nx_ - 1, (box.hi.x - window_.lo.x) / bin_);
      const layout::Nm j0 = std::max(layout::Nm{0}, (box.lo.y - window_.lo.y) / bin_),
                       j1 = std::min(ny_ - 1, (box.hi.y - window_.lo.y) / bin_);
      for (layout::Nm i = i0; i <= i1; ++i)
        for (layout::Nm j = j0; j <= j1; ++j) bins_[static_cast<std::size_t>(i * ny_ + j)].push_back(Entry{c, p});
    }
}

const std::vector<ColumnIndex::Entry>& ColumnIndex::bin_of(layout::Point p) const {
  static const std::vector<Entry> none;
  if (!window_.contains(p)) return none;
  const layout::Nm i = std::min(nx_ - 1, (p.x - window_.lo.x) / bin_),
                   j = std::min(ny_ - 1, (p.y - window_.lo.y) / bin_);
  return bins_[static_cast<std::size_t>(i * ny_ + j)];
}

const process::Stack* ColumnIndex::stack_at(layout::Point p) const {
  for (const Entry& e : bin_of(p)) {
    const process::Cell& cell = model_.cells()[e.cell];
    const layout::Polygon& polygon = cell.region[e.polygon];
    if (layout::bounding_box(polygon.outer).contains(p) && layout::contains(polygon, p))
      return &model_.stack(cell.stack);
  }
  return nullptr;
}

std::vector<double> ColumnIndex::column_changes(layout::Point from, double ux, double uy, double length,
                                                layout::Nm z_cap) const {
  const auto fx = static_cast<double>(from.x), fy = static_cast<double>(from.y);
  auto point_at = [&](double t) {
    return layout::Point{static_cast<layout::Nm>(std::llround(fx + t * ux)),
                         static_cast<layout::Nm>(std::llround(fy + t * uy))};
  };
  // Crossings of the ray with every outline edge of the cells in the bins it passes.
  std::vector<double> ts{0.0, length};
  std::vector<char> seen(model_.cells().size(), 0);
  const auto n_steps = static_cast<layout::Nm>(length / static_cast<double>(bin_)) + 2;
  for (layout::Nm s = 0; s <= n_steps; ++s) {
    for (const Entry& e : bin_of(point_at(std::min(length, static_cast<double>(s * bin_))))) {
      if (seen[e.cell]) continue;
      seen[e.cell] = 1;
      for (const layout::Polygon& polygon : model_.cells()[e.cell].region) {
        std::vector<const layout::Ring*> rings{&polygon.outer};
        for (const layout::Ring& hole : polygon.holes) rings.push_back(&hole);
        for (const layout::Ring* ring : rings)
          for (std::size_t i = 0; i < ring->size(); ++i) {
            const layout::Point p = (*ring)[i], q = (*ring)[(i + 1) % ring->size()];
            const double ex = static_cast<double>(q.x - p.x), ey = static_cast<double>(q.y - p.y);
            const double denom = ux * ey - uy * ex;
            if (std::abs(denom) < 1e-12) continue;
            const double px = static_cast<double>(p.x) - fx, py = static_cast<double>(p.y) - fy;
            const double t = (px * ey - py * ex) / denom, u = (px * uy - py * ux) / denom;
            if (t > 0 && t < length && u >= 0 && u <= 1) ts.push_back(t);
          }
      }
    }
  }
  std::sort(ts.begin(), ts.end());
  // Keep the crossings where the column (below the cap) differs on either side.
  std::vector<double> changes;
  std::vector<MaterialSpan> before;
  bool first = true;
  for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
    if (ts[i + 1] - ts[i] < 1.0) continue;  // sub-nanometre sliver
    const process::Stack* column = stack_at(point_at(0.5 * (ts[i] + ts[i + 1])));
    std::vector<MaterialSpan> here = column ? material_spans(*column, z_cap) : std::vector<MaterialSpan>{};
    if (!first && here != before) changes.push_back(ts[i]);
    before = std::move(here);
    first = false;
  }
  return changes;
}

}  // namespace wlp::mesh::detail
