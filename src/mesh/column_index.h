// Point queries on a built wafer model (internal to the mesher): which column (stack of
// z-intervals) lies under a point, and the radii at which the columns change along a ray from a
// bump site. A uniform grid of bins over the window lists the cell polygons whose bounding
// boxes touch each bin, so a query tests a handful of polygons instead of every cell.
#pragma once

#include <vector>

#include "process/wafer_model.h"

namespace wlp::mesh::detail {

class ColumnIndex {
 public:
  explicit ColumnIndex(const process::WaferModel& model);

  /// The column at a point (die frame, nm); nullptr outside every cell.
  [[nodiscard]] const process::Stack* stack_at(layout::Point p) const;
  /// Distances (nm) from `from` along the unit direction (ux, uy), up to `length`, where the
  /// ray crosses a cell outline and the columns on either side differ below `z_cap` (material
  /// at or above z_cap, the solder ball above the wetted plane, is ignored).
  [[nodiscard]] std::vector<double> column_changes(layout::Point from, double ux, double uy, double length,
                                                   layout::Nm z_cap) const;

 private:
  struct Entry {
    std::size_t cell, polygon;
  };
  [[nodiscard]] const std::vector<Entry>& bin_of(layout::Point p) const;
  const process::WaferModel& model_;
  layout::Box window_;
  layout::Nm bin_ = 1;
  layout::Nm nx_ = 0, ny_ = 0;
  std::vector<std::vector<Entry>> bins_;
};

/// The part of a column below `z_cap`, intervals clipped at it.
process::Stack stack_below(const process::Stack& stack, layout::Nm z_cap);

/// A column as materials only: (z_bottom, z_top, material) with touching pieces of one
/// material merged (two films of one metal are one body for the mesh), below `z_cap`.
struct MaterialSpan {
  layout::Nm z_bottom = 0, z_top = 0;
  process::MaterialIndex material = 0;
  friend bool operator==(const MaterialSpan&, const MaterialSpan&) = default;
};
std::vector<MaterialSpan> material_spans(const process::Stack& stack, layout::Nm z_cap);

}  // namespace wlp::mesh::detail
