// Die and mask pictures with the cairo canvas of plot.h.
#include "layout/layout_plot.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "layout/plot.h"

namespace wlp::layout {

namespace {

constexpr int kWidthPx = 1400;

Box padded(const Box& box, Nm margin) {
  return Box{{box.lo.x - margin, box.lo.y - margin}, {box.hi.x + margin, box.hi.y + margin}};
}

// A round scale bar length: 1, 2 or 5 × 10^k nm near a fifth of the width.
Nm scale_length(Nm width) {
  Nm length = 1;
  while (length * 10 <= width / 5) length *= 10;
  if (length * 5 <= width / 5) return length * 5;
  if (length * 2 <= width / 5) return length * 2;
  return length;
}

std::string length_text(Nm length) {
  return length >= 1'000'000 ? fmt::format("{} mm", to_um(length) / 1000) : fmt::format("{} um", to_um(length));
}

struct Style {
  const char* layer_prefix;
  const char* fill;
  double alpha;
  const char* legend;
};

// Drawing order bottom up; a prefix matches OPEN_*, SECTION_*.
constexpr Style kStyles[] = {
    {"STREET", "#d0d0d0", 1.0, "dicing street"},   {"PAD", "#8f9aa3", 1.0, "pad metal"},
    {"PILLAR", "#e0a030", 0.9, "pillar (via)"},      {"RECESS", "#5a8fd0", 0.5, "recess (line)"},
    {"RDL", "#c87533", 0.9, "RDL (Cu)"},             {"TOP_PAD", "#c87533", 0.9, "top pad"},
    {"UBM", "#4a78c2", 0.3, "UBM"},                 {"POST", "#2e7d32", 0.7, "post"},
    {"SECTION_", "#7b1fa2", 0.6, "stud / column"},   {"STENCIL", "#9e9e9e", 0.25, "stencil opening"},
};

const Style* style_of(const std::string& layer_name) {
  for (const Style& style : kStyles)
    if (layer_name.rfind(style.layer_prefix, 0) == 0) return &style;
  return nullptr;
}

std::string die_title(const DieLayout& layout) {
  std::string title = fmt::format("{} - die {:.2f} x {:.2f} mm", layout.name, to_um(layout.die.width()) / 1000,
                                   to_um(layout.die.height()) / 1000);
  if (layout.routing)
    title += fmt::format(", RDL {}/{} nets routed, {:.2f} mm total", layout.routing->nets.size(),
                         layout.routing->nets.size() + layout.routing->unrouted.size(), layout.routing->total_length_m * 1e3);
  return title;
}

// The die, or a detail around the features when they are too small to see on the whole die
// (S0: a 0.5 µm via on a 4 mm die): features spanning under 5 % of the die width are shown in
// a window 1.6 times their extent (at least a quarter as high as wide).
struct View {
  Box world;
  bool is_detail = false;
};

View view_of(const DieLayout& layout) {
  Region features;
  for (std::size_t i = 0; i < layout.layers.size(); ++i) {
    const std::string& name = layout.layers[i].name;
    if (name == "DIE" || name == "STREET" || name == "CUT" || name == "LABEL") continue;
    append(features, layout.flat(static_cast<int>(i)));
  }
  const Box whole = padded(layout.die, std::max(layout.street / 2, layout.die.width() / 50));
  if (features.empty()) return {whole, false};
  const Box extent = bounding_box(features);
  const Nm span = std::max(extent.width(), extent.height());
  if (span * 20 >= layout.die.width()) return {whole, false};
  const Point centre{extent.lo.x + extent.width() / 2, extent.lo.y + extent.height() / 2};
  const Nm half_x = std::max<Nm>(extent.width() * 4 / 5, 1000);
  const Nm half_y = std::max<Nm>(extent.height() * 4 / 5, half_x / 4);
  return {Box{{centre.x - half_x, centre.y - half_y}, {centre.x + half_x, centre.y + half_y}}, true};
}

}  // namespace

void plot_die(const DieLayout& layout, const std::filesystem::path& svg, const std::filesystem::path& png) {
  const View view = view_of(layout);
  const Box world = view.world;
  Canvas canvas(world, kWidthPx, die_title(layout) + (view.is_detail ? " - detail around the features" : ""));
  canvas.fill({box_polygon(layout.die)}, colour("#f5f1e6"), colour("#303030"), 1.2);
  canvas.legend("die", colour("#f5f1e6"));
  for (const Style& style : kStyles)
    for (std::size_t i = 0; i < layout.layers.size(); ++i) {
      if (layout.layers[i].name.rfind(style.layer_prefix, 0) != 0) continue;
      const Region shapes = layout.flat(static_cast<int>(i));
      if (shapes.empty()) continue;
      canvas.fill(shapes, colour(style.fill, style.alpha), colour("#202020", 0.6), 0.4);
      canvas.legend(style.legend, colour(style.fill, style.alpha));
      break;  // one layer per style (a second mask of the same feature adds nothing to see)
    }
  // Openings as thin dark outlines, balls as circles on top.
  for (std::size_t i = 0; i < layout.layers.size(); ++i)
    if (layout.layers[i].name.rfind("OPEN_", 0) == 0)
      canvas.fill(layout.flat(static_cast<int>(i)), colour("#000000", 0.0), colour("#1a1a1a", 0.9), 0.5);
  if (layout.layer_index("BUMP") >= 0) {
    canvas.fill(layout.flat("BUMP"), colour("#000000", 0.0), colour("#455a64", 0.9), 1.0);
    canvas.legend("ball site (outline)", colour("#ffffff"));
  }
  for (const auto& [layer, path] : layout.die_paths)
    if (layout.layers[static_cast<std::size_t>(layer)].name == "CUT") canvas.line(path.points, colour("#d32f2f", 0.8), 1.5);
  canvas.legend("cut line", colour("#d32f2f"));
  if (layout.labels.size() <= 200 && !view.is_detail)
    for (const auto& [at, text] : layout.labels) canvas.label(at, text, 9, colour("#1a1a1a"));
  const Nm bar = scale_length(world.width());
  canvas.scale_bar(bar, length_text(bar));
  canvas.write_svg(svg);
  canvas.write_png(png);
}

void plot_layer(const DieLayout& layout, int layer, const std::filesystem::path& svg, const std::filesystem::path& png) {
  const LayerDef& def = layout.layers[static_cast<std::size_t>(layer)];
  std::string title = fmt::format("{} - layer {}/{} {}", layout.name, def.gds.layer, def.gds.datatype, def.name);
  if (!def.mask.empty())
    title += fmt::format(" - mask '{}' ({}, {} field, steps {})", def.mask, def.tone, def.field, fmt::join(def.steps, ", "));
  const View view = view_of(layout);
  const Box world = view.world;
  if (view.is_detail) title += " - detail";
  Canvas canvas(world, kWidthPx, title);
  canvas.fill({box_polygon(layout.die)}, colour("#ffffff"), colour("#303030"), 1.0);
  const Style* style = style_of(def.name);
  const Region shapes = layout.flat(layer);
  canvas.fill(shapes, colour("#1f1f1f", 0.9), colour("#000000"), 0.3);
  canvas.legend(def.description.size() > 36 ? def.description.substr(0, 35) + "..." : def.description, colour("#1f1f1f"));
  if (style) canvas.legend(style->legend, colour(style->fill, style->alpha));
  for (const auto& [path_layer, path] : layout.die_paths)
    if (path_layer == layer && path.width == 0) canvas.line(path.points, colour("#d32f2f"), 1.5);
  canvas.legend(fmt::format("{} shapes, {:.4g} mm2", shapes.size(), area_um2(shapes) * 1e-6), colour("#ffffff"));
  const Nm bar = scale_length(world.width());
  canvas.scale_bar(bar, length_text(bar));
  canvas.write_svg(svg);
  canvas.write_png(png);
}

}  // namespace wlp::layout
