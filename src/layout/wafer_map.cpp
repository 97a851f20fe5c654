// Wafer map: the usable area is a circle cut by a half-plane (flat) or a V (notch), so whether a
// die box lies inside is decided exactly in integer nanometres from its corners; no polygon
// clipping is needed to count dies. Polygons are built only for the outline and plots.
#include "layout/wafer_map.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

namespace wlp::layout {

namespace {

constexpr Nm kMm = 1'000'000;

double to_mm(Nm length) { return static_cast<double>(length) / static_cast<double>(kMm); }

// Floor and ceiling of a / b for b > 0 (C++ division truncates toward zero).
Nm floor_div(Nm a, Nm b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
Nm ceil_div(Nm a, Nm b) { return -floor_div(-a, b); }

void check_wafer(const WaferSpec& spec) {
  const Nm d = spec.diameter;
  if (d != 150 * kMm && d != 200 * kMm && d != 300 * kMm)
    throw std::invalid_argument(
        fmt::format("wafer diameter {:g} mm is not supported: use 150, 200 or 300 mm", to_mm(d)));
  if (spec.edge_exclusion < 0 || spec.edge_exclusion >= d / 2)
    throw std::invalid_argument(fmt::format("edge exclusion {:g} mm must be at least 0 and less than the radius {:g} mm",
                                            to_mm(spec.edge_exclusion), to_mm(d / 2)));
  if (spec.orientation == WaferOrientation::Flat && (spec.flat_length < 0 || spec.flat_length >= d))
    throw std::invalid_argument(fmt::format("flat length {:g} mm must be at least 0 (standard) and less than the {:g} mm diameter",
                                            to_mm(spec.flat_length), to_mm(d)));
  if (spec.orientation == WaferOrientation::Notch &&
      (spec.notch_depth < 0 || spec.notch_depth >= d / 2 - spec.edge_exclusion))
    throw std::invalid_argument(fmt::format("notch depth {:g} mm must be at least 0 and less than the usable radius",
                                            to_mm(spec.notch_depth)));
}

void check_die(const WaferSpec& spec) {
  if (spec.die_x <= 0 || spec.die_y <= 0)
    throw std::invalid_argument(fmt::format("die size {:g} x {:g} mm must be positive", to_mm(spec.die_x), to_mm(spec.die_y)));
  // A street wider than the wafer is a unit mistake; refusing it also keeps the grid's
  // squared coordinates far from overflowing.
  if (spec.street < 0 || spec.street > spec.diameter)
    throw std::invalid_argument(fmt::format("street {:g} mm must be at least 0 and at most the wafer diameter",
                                            to_mm(spec.street)));
}

Nm flat_length_of(const WaferSpec& spec) {
  return spec.flat_length > 0 ? spec.flat_length : standard_flat_length(spec.diameter);
}

// The usable area in closed form.
struct Usable {
  Nm radius = 0;                  // D/2 − edge exclusion
  bool has_flat = false;
  Nm flat_y = 0;                  // flat: a die's bottom must be at or above this line
  bool has_notch = false;
  Nm notch_tip_y = 0;             // notch: a die may not meet the open V y + |x| < notch_tip_y

  explicit Usable(const WaferSpec& spec) : radius(spec.diameter / 2 - spec.edge_exclusion) {
    if (spec.orientation == WaferOrientation::Flat) {
      // Distance from the centre to the flat's chord: √(R² − (L/2)²), rounded to the nm.
      const double r = static_cast<double>(spec.diameter) / 2, half = static_cast<double>(flat_length_of(spec)) / 2;
      has_flat = true;
      flat_y = -(std::llround(std::sqrt(r * r - half * half)) - spec.edge_exclusion);
    } else if (spec.notch_depth > 0) {
      has_notch = true;
      notch_tip_y = -(radius - spec.notch_depth);
    }
  }

  [[nodiscard]] bool contains(const Box& box) const {
    // The circle is convex: the box is inside when its corner farthest from the centre is.
    const Nm far_x = std::max(std::abs(box.lo.x), std::abs(box.hi.x));
    const Nm far_y = std::max(std::abs(box.lo.y), std::abs(box.hi.y));
    if (far_x * far_x + far_y * far_y > radius * radius) return false;
    if (has_flat && box.lo.y < flat_y) return false;
    if (has_notch) {
      // The V's lowest value of y + |x| over the box is at its bottom edge, nearest the axis.
      const Nm near_x = (box.lo.x <= 0 && box.hi.x >= 0) ? 0 : std::min(std::abs(box.lo.x), std::abs(box.hi.x));
      if (box.lo.y + near_x < notch_tip_y) return false;
    }
    return true;
  }
};

Point step_of(const WaferSpec& spec) { return {spec.die_x + spec.street, spec.die_y + spec.street}; }

Box site_box(const WaferSpec& spec, Point offset, Nm column, Nm row) {
  const Point step = step_of(spec);
  const Point lo{offset.x + column * step.x - spec.die_x / 2, offset.y + row * step.y - spec.die_y / 2};
  return {lo, {lo.x + spec.die_x, lo.y + spec.die_y}};
}

// Every whole die of the grid with the given offset, by row then column.
std::vector<DieSite> whole_dies(const WaferSpec& spec, const Usable& usable, Point offset) {
  const Point step = step_of(spec);
  const Nm r = usable.radius;
  std::vector<DieSite> dies;
  for (Nm row = floor_div(-r - offset.y, step.y); row <= ceil_div(r - offset.y, step.y); ++row) {
    for (Nm column = floor_div(-r - offset.x, step.x); column <= ceil_div(r - offset.x, step.x); ++column) {
      const Box box = site_box(spec, offset, column, row);
      if (usable.contains(box)) dies.push_back({static_cast<int>(column), static_cast<int>(row), box});
    }
  }
  return dies;
}

// The 90° V of the notch, tip up; its sides run 1 mm past the rim so the cut is clean.
Polygon notch_v(Nm tip_y, Nm depth) {
  const Nm run = depth + kMm;
  Polygon v;
  v.outer = {{0, tip_y}, {-run, tip_y - run}, {run, tip_y - run}};
  return v;
}

}  // namespace

Nm standard_flat_length(Nm diameter) {
  // SEMI M1: 150 mm wafers carry a 57.5 mm primary flat; 200 and 300 mm wafers have a notch
  // as standard, so there is no flat length to default to.
  if (diameter == 150 * kMm) return 57'500'000;
  throw std::invalid_argument(fmt::format(
      "no standard flat length for a {:g} mm wafer (SEMI M1 gives one for 150 mm; 200 and 300 mm use a notch): "
      "give flat_length",
      to_mm(diameter)));
}

WaferMap wafer_map(const WaferSpec& spec) {
  check_wafer(spec);
  check_die(spec);
  const Usable usable(spec);
  // A die whose diagonal exceeds the usable diameter fits nowhere; stop before the grid loops
  // (this also keeps the squared coordinates far from overflowing).
  const double diagonal = std::hypot(static_cast<double>(spec.die_x), static_cast<double>(spec.die_y));
  const auto too_large = [&] {
    return std::invalid_argument(fmt::format("die {:g} x {:g} mm is too large: no whole die fits the usable area of the "
                                             "{:g} mm wafer ({:g} mm edge exclusion)",
                                             to_mm(spec.die_x), to_mm(spec.die_y), to_mm(spec.diameter),
                                             to_mm(spec.edge_exclusion)));
  };
  if (diagonal > 2 * static_cast<double>(usable.radius)) throw too_large();

  const Point step = step_of(spec);
  const std::array<Point, 4> offsets{Point{0, 0}, Point{step.x / 2, step.y / 2}, Point{step.x / 2, 0},
                                     Point{0, step.y / 2}};
  WaferMap best{spec, offsets[0], whole_dies(spec, usable, offsets[0])};
  for (std::size_t k = 1; k < offsets.size(); ++k) {
    std::vector<DieSite> dies = whole_dies(spec, usable, offsets[k]);
    if (dies.size() > best.dies.size()) {  // strictly more: ties keep the earlier offset
      best.grid_offset = offsets[k];
      best.dies = std::move(dies);
    }
  }
  if (best.dies.empty()) throw too_large();
  return best;
}

Box die_site_box(const WaferMap& map, int column, int row) { return site_box(map.spec, map.grid_offset, column, row); }

Polygon wafer_outline(const WaferSpec& spec, Nm max_chord_error) {
  check_wafer(spec);
  const Nm r = spec.diameter / 2;
  const Region disc{circle({0, 0}, r, max_chord_error)};
  Region cut;
  if (spec.orientation == WaferOrientation::Flat) {
    const Usable usable(spec);
    const Nm flat_y = usable.flat_y - spec.edge_exclusion;  // the chord itself, not the moved line
    cut = region_and(disc, {box_polygon(Box{{-r, flat_y}, {r, r}})});
  } else if (spec.notch_depth > 0) {
    cut = region_not(disc, {notch_v(-(r - spec.notch_depth), spec.notch_depth)});
  } else {
    cut = disc;
  }
  return cut.at(0);
}

Region usable_area(const WaferSpec& spec, Nm max_chord_error) {
  check_wafer(spec);
  const Usable usable(spec);
  const Nm r = usable.radius;
  const Region disc{circle({0, 0}, r, max_chord_error)};
  if (usable.has_flat) return region_and(disc, {box_polygon(Box{{-r, usable.flat_y}, {r, r}})});
  if (usable.has_notch) {
    return region_not(disc, {notch_v(usable.notch_tip_y, spec.notch_depth)});
  }
  return disc;
}

}  // namespace wlp::layout
