// Plot of a wafer map: what a process engineer expects to see — the wafer with its flat or
// notch, the edge-exclusion ring, the whole dies filled and the partial dies at the rim
// outlined, with the numbers that define the map in the legend.
#include <algorithm>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "layout/plot.h"
#include "layout/wafer_map.h"

namespace wlp::layout {

namespace {

constexpr Nm kMm = 1'000'000;
constexpr int kWidthPx = 1000;

std::string mm_text(Nm length) { return fmt::format("{:g} mm", static_cast<double>(length) / kMm); }

// The box meets the open disc of radius r round the origin (its nearest point is inside).
bool meets_disc(const Box& box, Nm r) {
  const Nm near_x = std::clamp<Nm>(0, box.lo.x, box.hi.x), near_y = std::clamp<Nm>(0, box.lo.y, box.hi.y);
  return near_x * near_x + near_y * near_y < r * r;
}

// Grid sites that touch the wafer but are not whole dies, clipped to the wafer outline: the
// dies the saw cuts through or the exclusion ring spoils.
Region partial_dies(const WaferMap& map, const Polygon& outline) {
  const WaferSpec& spec = map.spec;
  const Nm r = spec.diameter / 2;
  std::set<std::pair<int, int>> whole;
  for (const DieSite& die : map.dies) whole.insert({die.column, die.row});
  const int columns = static_cast<int>(r / (spec.die_x + spec.street)) + 2;
  const int rows = static_cast<int>(r / (spec.die_y + spec.street)) + 2;
  Region partial;
  for (int row = -rows; row <= rows; ++row) {
    for (int column = -columns; column <= columns; ++column) {
      const Box box = die_site_box(map, column, row);
      if (whole.count({column, row}) != 0 || !meets_disc(box, r)) continue;
      // Clipped one at a time so that dies touching across a zero street stay separate.
      for (Polygon& piece : region_and({box_polygon(box)}, {outline})) partial.push_back(std::move(piece));
    }
  }
  return partial;
}

Region whole_dies(const WaferMap& map) {
  Region dies;
  dies.reserve(map.dies.size());
  for (const DieSite& die : map.dies) dies.push_back(box_polygon(die.box));
  return dies;
}

std::vector<Point> closed(const Ring& ring) {
  std::vector<Point> points = ring;
  if (!points.empty()) points.push_back(points.front());
  return points;
}

}  // namespace

void plot_wafer_map(const WaferMap& map, const std::string& title, const std::filesystem::path& svg,
                    const std::filesystem::path& png) {
  const WaferSpec& spec = map.spec;
  const Nm r = spec.diameter / 2, margin = spec.diameter / 30;
  const Polygon outline = wafer_outline(spec);
  const Region usable = usable_area(spec);

  Canvas canvas(Box{{-r - margin, -r - margin}, {r + margin, r + margin}}, kWidthPx, title);
  const Colour die_colour = colour("#2f6db5"), die_outline = colour("#17406f"), ring_colour = colour("#f2b880");
  const Colour usable_colour = colour("#f7f7f2"), grey = colour("#8a8a8a"), none{1, 1, 1, 0}, ink = colour("#202020");

  // Wafer, then the exclusion ring as wafer minus usable area, so the ring follows the flat
  // or notch too.
  canvas.fill({outline}, colour("#e9e9e9"), ink, 0);
  canvas.fill(region_not({outline}, usable), ring_colour, none, 0);
  canvas.fill(usable, usable_colour, none, 0);
  canvas.fill(partial_dies(map, outline), none, grey, 0.6);
  // Thin die outlines stand for the streets, which are far below a pixel at this scale.
  canvas.fill(whole_dies(map), die_colour, die_outline, map.dies.size() > 20000 ? 0.15 : 0.4);
  canvas.line(closed(outline.outer), ink, 1.6);
  for (const Polygon& area : usable) canvas.line(closed(area.outer), colour("#c0772e"), 0.8);

  // Name the orientation mark below the wafer; a 1 mm notch is a few pixels, so a small
  // arrowhead points at it.
  const bool flat = spec.orientation == WaferOrientation::Flat;
  const Nm bottom = bounding_box(outline.outer).lo.y;
  if (flat || spec.notch_depth > 0) canvas.label({0, bottom - margin * 2 / 3}, flat ? "flat" : "notch", 13, ink);
  if (!flat && spec.notch_depth > 0) {
    const Nm tip = -r - margin / 10, size = margin / 4;
    Polygon arrow;
    arrow.outer = {{0, tip}, {-size / 2, tip - size}, {size / 2, tip - size}};
    canvas.fill({arrow}, ink, ink, 0);
  }
  const Nm arm = spec.diameter / 80;
  const Colour centre_colour = colour("#d03030");
  canvas.line({{-arm, 0}, {arm, 0}}, centre_colour, 1.2);
  canvas.line({{0, -arm}, {0, arm}}, centre_colour, 1.2);

  // Every legend swatch is the colour of what the line describes in the drawing.
  canvas.legend(fmt::format("gross dies: {}", map.gross_dies()), die_colour);
  canvas.legend(fmt::format("die: {:g} x {:g} mm", static_cast<double>(spec.die_x) / kMm,
                            static_cast<double>(spec.die_y) / kMm),
                die_colour);
  canvas.legend(fmt::format("street: {:g} um", to_um(spec.street)), die_outline);
  canvas.legend("partial dies (rim)", usable_colour);
  canvas.legend(fmt::format("edge excl.: {}", mm_text(spec.edge_exclusion)), ring_colour);
  canvas.legend(fmt::format("wafer: {}, {}", mm_text(spec.diameter), flat ? "flat" : "notch"), ink);
  canvas.legend("wafer centre (+)", centre_colour);

  const Nm bar = spec.diameter >= 200 * kMm ? 50 * kMm : 25 * kMm;
  canvas.scale_bar(bar, mm_text(bar));
  canvas.write_svg(svg);
  canvas.write_png(png);
}

}  // namespace wlp::layout
