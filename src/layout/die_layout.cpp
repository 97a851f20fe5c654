// Building a die layout from a design: one layer per recipe mask plus reference layers,
// shapes placed at pads, at ball sites or once in the die, and the RDL routed.
#include "layout/die_layout.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace wlp::layout {

using design::Design;

int DieLayout::layer_index(const std::string& layer_name) const {
  for (std::size_t i = 0; i < layers.size(); ++i)
    if (layers[i].name == layer_name) return static_cast<int>(i);
  return -1;
}

Region DieLayout::flat(int layer) const {
  Region shapes;
  for (const PadGroup& group : pad_groups)
    for (const LayerShape& shape : group.shapes)
      if (shape.layer == layer)
        for (const Point& centre : group.centres) append(shapes, translated({shape.polygon}, centre));
  for (const LayerShape& shape : site_shapes)
    if (shape.layer == layer)
      for (const design::BumpSite& site : sites) append(shapes, translated({shape.polygon}, {to_nm(site.x_m), to_nm(site.y_m)}));
  for (const LayerShape& shape : die_shapes)
    if (shape.layer == layer) shapes.push_back(shape.polygon);
  for (const auto& [path_layer, path] : die_paths)
    if (path_layer == layer && path.width > 0) shapes.push_back(path_polygon(path));
  return merged(shapes);
}

Region DieLayout::flat(const std::string& layer_name) const {
  const int index = layer_index(layer_name);
  return index < 0 ? Region{} : flat(index);
}

namespace {

// Fixed layer numbers of docs/layout.md.
int feature_layer_number(Feature feature, int stack_index) {
  switch (feature) {
    case Feature::Pads: return 2;
    case Feature::Openings: return 10 + stack_index;
    case Feature::Pillars: return 20;
    case Feature::Recess: return 21;
    case Feature::Rdl: return 30;
    case Feature::TopPads: return 31;
    case Feature::Ubm: return 40;
    case Feature::Posts: return 41;
    case Feature::Stencil: return 42;
    case Feature::Collars: return 43;
    case Feature::CollarOpenings: return 44;
  }
  return 9;
}

int stack_index_of(const Design& design, const std::string& layer_name) {
  for (std::size_t i = 0; i < design.stack.size(); ++i)
    if (design.stack[i].name == layer_name) return static_cast<int>(i);
  return 0;
}

std::string feature_layer_name(const MaskUse& mask) {
  switch (mask.feature) {
    case Feature::Pads: return "PAD";
    case Feature::Openings: return "OPEN_" + mask.stack_layer;
    case Feature::Pillars: return "PILLAR";
    case Feature::Recess: return "RECESS";
    case Feature::Rdl: return "RDL";
    case Feature::TopPads: return "TOP_PAD";
    case Feature::Ubm: return "UBM";
    case Feature::Posts: return "POST";
    case Feature::Stencil: return "STENCIL";
    case Feature::Collars: return "COLLAR";
    case Feature::CollarOpenings: return "COLLAR_OPEN";
  }
  return "MASK";
}

class Builder {
 public:
  Builder(const Design& design, const LayoutOptions& options) : design_(design), options_(options) {}

  DieLayout build() {
    out_.name = design_.name;
    const Nm half_x = to_nm(design_.die.size_x_m) / 2, half_y = to_nm(design_.die.size_y_m) / 2;
    out_.die = Box{{-half_x, -half_y}, {to_nm(design_.die.size_x_m) - half_x, to_nm(design_.die.size_y_m) - half_y}};
    if (const auto* dice = design_.recipe.first("dice")) out_.street = to_nm(dice->number("street_width").value_or(0));
    prepare_sites();
    prepare_pads();
    out_.masks = recipe_masks(design_);
    add_reference_layer("DIE", 1, 0, "die outline");
    for (const MaskUse& mask : out_.masks) add_mask_layer(mask);
    if (out_.layer_index("PAD") < 0) add_reference_layer("PAD", 2, 0, "die pads (IC top metal, patterned before this recipe)");
    if (design_.redistribution && out_.layer_index("RDL") < 0 && !out_.sites.empty())
      add_reference_layer("RDL", 30, 0, "redistribution (no mask in this recipe)");
    add_section_layers();
    if (!out_.sites.empty()) add_reference_layer("BUMP", 51, 0, "ball sites: ball diameter at each populated site");
    if (out_.street > 0) add_reference_layer("STREET", 60, 0, "half of the dicing street around the die");
    add_reference_layer("CUT", 61, 0, "cross-section cut line (zero-width path)");
    add_reference_layer("LABEL", 63, 0, "pad and land names (text)");
    draw_all();
    return std::move(out_);
  }

 private:
  const Design& design_;
  const LayoutOptions& options_;
  DieLayout out_;

  Polygon disc(Nm diameter, Point centre = {}) const { return circle(centre, diameter / 2, options_.max_chord_error); }

  void prepare_sites() {
    if (!design_.bumps) return;
    out_.sites = design_.bumps->sites;
    out_.pitch = to_nm(design_.bumps->pitch_m);
    out_.n_columns = design_.bumps->n_columns;
    out_.n_rows = design_.bumps->n_rows;
    for (const auto& site : out_.sites) out_.labels.push_back({{to_nm(site.x_m), to_nm(site.y_m)}, site.name});
  }

  void prepare_pads() {
    std::map<Nm, std::size_t> group_of_size;
    for (const design::Pad& pad : design_.pads.pads) {
      const Nm size = to_nm(pad.size_m);
      auto [it, is_new] = group_of_size.try_emplace(size, out_.pad_groups.size());
      if (is_new) out_.pad_groups.push_back({size, {}, {}, {}});
      DieLayout::PadGroup& group = out_.pad_groups[it->second];
      group.centres.push_back({to_nm(pad.x_m), to_nm(pad.y_m)});
      group.names.push_back(pad.name);
      out_.labels.push_back({group.centres.back(), pad.name});
    }
  }

  Polygon pad_shape(Nm size) const {
    return design_.pads.shape == design::PadShape::Circle ? disc(size) : square({0, 0}, size);
  }

  int add_layer(LayerDef def) {
    // Two masks of one feature share the layer number and take the next datatype.
    for (const LayerDef& existing : out_.layers)
      if (existing.gds.layer == def.gds.layer && existing.gds.datatype >= def.gds.datatype)
        def.gds.datatype = static_cast<std::int16_t>(existing.gds.datatype + 1);
    out_.layers.push_back(std::move(def));
    return static_cast<int>(out_.layers.size() - 1);
  }

  void add_reference_layer(const std::string& name, int number, int datatype, const std::string& description) {
    add_layer(LayerDef{name, {static_cast<std::int16_t>(number), static_cast<std::int16_t>(datatype)}, description, "", {}, "", ""});
  }

  void add_mask_layer(const MaskUse& mask) {
    const int number = feature_layer_number(mask.feature, stack_index_of(design_, mask.stack_layer));
    std::string name = feature_layer_name(mask);
    if (out_.layer_index(name) >= 0) name += "_" + mask.name;
    add_layer(LayerDef{name, {static_cast<std::int16_t>(number), 0}, mask_description(mask), mask.name, mask.steps, mask.tone, mask.field});
  }

  std::string mask_description(const MaskUse& mask) const {
    switch (mask.feature) {
      case Feature::Pads: return "pad metal";
      case Feature::Openings: {
        const auto* layer = design_.layer_named(mask.stack_layer);
        return fmt::format("openings of '{}' over the {}", mask.stack_layer, layer ? layer->opening : "?");
      }
      case Feature::Pillars: return "sacrificial pillars at the via sites";
      case Feature::Recess: return "strip-shaped recess of the line";
      case Feature::Rdl: return "redistribution: wires, lands, pad captures";
      case Feature::TopPads: return "top pads over the contact points";
      case Feature::Ubm: return "under-bump metal";
      case Feature::Posts: return "plated posts";
      case Feature::Stencil: return "stencil openings at the ball sites";
      case Feature::Collars: return "resin collars: rings from the post diameter to the resin ring diameter";
      case Feature::CollarOpenings: return "resist openings clearing the resin collars (resin ring diameter)";
    }
    return "";
  }

  void add_section_layers() {
    const auto* s4 = std::get_if<design::EmbeddedSection>(&design_.interconnect);
    if (!s4 || out_.sites.empty()) return;
    for (std::size_t t = 0; t < s4->tiers.size(); ++t)
      add_layer(LayerDef{fmt::format("SECTION_{}", s4->tiers[t].name), {50, static_cast<std::int16_t>(t)},
                         fmt::format("{} sites of tier '{}' ({})", s4->section == "metal_column" ? "metal column" : "stud bump",
                                     s4->tiers[t].name, s4->tiers[t].section_material),
                         "", {}, "", ""});
  }

  void at_pads(int layer, const Polygon& shape) {
    for (auto& group : out_.pad_groups) group.shapes.push_back({layer, shape});
  }
  void at_pads_sized(int layer, Nm size) {
    for (auto& group : out_.pad_groups) group.shapes.push_back({layer, pad_shape(size == 0 ? group.size : size)});
  }
  void at_sites(int layer, Nm diameter) {
    if (diameter > 0) out_.site_shapes.push_back({layer, disc(diameter)});
  }

  void draw_all() {
    for (int i = 0; i < static_cast<int>(out_.layers.size()); ++i) draw_layer(i);
  }

  void draw_layer(int index) {
    const LayerDef& layer = out_.layers[static_cast<std::size_t>(index)];
    const auto mask = std::find_if(out_.masks.begin(), out_.masks.end(), [&](const MaskUse& m) { return m.name == layer.mask; });
    if (mask != out_.masks.end()) return draw_mask(index, *mask);
    if (layer.name == "DIE") return out_.die_shapes.push_back({index, box_polygon(out_.die)});
    if (layer.name == "PAD") return at_pads_sized(index, 0);
    if (layer.name == "RDL") return draw_rdl(index);
    if (layer.name == "BUMP") return at_sites(index, to_nm(design_.bumps->ball_diameter_m));
    if (layer.name == "STREET") return draw_street(index);
    if (layer.name == "CUT") return draw_cut(index);
    if (layer.name.rfind("SECTION_", 0) == 0) {
      const auto& s4 = std::get<design::EmbeddedSection>(design_.interconnect);
      return at_sites(index, to_nm(s4.tiers[static_cast<std::size_t>(layer.gds.datatype)].section_diameter_m));
    }
  }

  void draw_mask(int index, const MaskUse& mask) {
    switch (mask.feature) {
      case Feature::Pads: return at_pads_sized(index, 0);
      case Feature::Openings: return draw_openings(index, mask.stack_layer);
      case Feature::Rdl: return draw_rdl(index);
      case Feature::TopPads: return at_pads(index, square({0, 0}, to_nm(std::get<design::PolyimideVia>(design_.interconnect).top_pad_size_m)));
      case Feature::Ubm: return at_sites(index, ubm_diameter());
      case Feature::Posts: return at_sites(index, to_nm(std::get<design::PostUbmResin>(design_.interconnect).post_diameter_m));
      case Feature::Stencil: return at_sites(index, ubm_diameter() > 0 ? ubm_diameter() : to_nm(design_.bumps->ball_diameter_m));
      case Feature::Pillars: return draw_pillars(index);
      case Feature::Recess: return draw_recess(index);
      case Feature::Collars: return draw_collars(index);
      case Feature::CollarOpenings:
        return at_sites(index, to_nm(std::get<design::PostUbmResin>(design_.interconnect).resin_ring_diameter_m));
    }
  }

  // Seed 003 FIG 3: the resin stays in a ring around each post, from the post's outline (the
  // hole it grows in) out to resin_ring_diameter, inside the UBM.
  void draw_collars(int index) {
    const auto& s3 = std::get<design::PostUbmResin>(design_.interconnect);
    const Region ring = region_not({disc(to_nm(s3.resin_ring_diameter_m))}, {disc(to_nm(s3.post_diameter_m))});
    for (const Polygon& piece : ring) out_.site_shapes.push_back({index, piece});
  }

  Nm ubm_diameter() const {
    if (const auto* b0 = std::get_if<design::UbmBall>(&design_.interconnect)) return to_nm(b0->ubm_diameter_m);
    if (const auto* s3 = std::get_if<design::PostUbmResin>(&design_.interconnect)) return to_nm(s3->ubm_diameter_m);
    return 0;
  }

  void draw_openings(int index, const std::string& layer_name) {
    const design::StackLayer* layer = design_.layer_named(layer_name);
    if (!layer || layer->opening == "none") return;
    const Nm size = to_nm(layer->opening_size_m);
    if (layer->opening == "pads") return at_pads(index, pad_shape(size));
    at_sites(index, size);  // "lands" and "posts" both sit at the ball sites
  }

  void draw_rdl(int index) {
    if (!design_.redistribution) return;
    const design::Redistribution& rdl = *design_.redistribution;
    at_sites(index, to_nm(rdl.land_diameter_m));
    at_pads_sized(index, 0);  // the capture over each pad opening
    if (design_.pads.arrangement == "under_bumps" || out_.sites.empty()) return;
    const RouterInput input = router_input(rdl);
    out_.routing = route_rdl(input);
    const Nm drawn_width = input.width + kWidthAllowance;
    for (const RoutedNet& net : out_.routing->nets) {
      const Path wire = wire_path(net, drawn_width);
      out_.die_paths.push_back({index, wire});
      add_teardrops(index, net, wire, input);
    }
  }

  // Wires are drawn 2 nm wider than the minimum: the edges of a 45° segment, rounded to the
  // 1 nm grid by any reader, move by at most √2/2 nm each, so the width never measures below
  // the design's minimum. The router's track pitch keeps more than these 2 nm of extra space.
  static constexpr Nm kWidthAllowance = 2;

  // Teardrops: where a wire joins its land or pad at an angle other than 90°, its edge and the
  // land's edge meet in an acute notch (a space violation, and a crack starter). The notch is
  // filled by the convex hull of the land and of the straight piece of wire that crosses the
  // land's edge, up to `width` beyond it (never past the wire's next bend, so the flare ends on a
  // straight wire edge at an obtuse angle).
  void add_teardrops(int index, const RoutedNet& net, const Path& wire, const RouterInput& input) {
    const auto land = std::find_if(input.lands.begin(), input.lands.end(), [&](const RouterLand& l) { return l.name == net.land; });
    if (land != input.lands.end()) {
      std::vector<Point> from_land(wire.points.rbegin(), wire.points.rend());
      add_teardrop(index, disc(land->diameter, land->centre), from_land, wire.width, input.width);
    }
    const auto pad = std::find_if(input.pads.begin(), input.pads.end(), [&](const RouterPad& p) { return p.name == net.pad; });
    if (pad != input.pads.end())
      add_teardrop(index, translated({pad_shape(pad->size)}, pad->centre).front(), wire.points, wire.width, input.width);
  }

  // `line` starts inside `shape`; the first segment leaving it gets the flare.
  void add_teardrop(int index, const Polygon& shape, const std::vector<Point>& line, Nm width, Nm length) {
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
      if (contains(shape, line[i + 1])) continue;
      const Point exit = boundary_crossing(shape, line[i], line[i + 1]);
      const double dx = static_cast<double>(line[i + 1].x - exit.x), dy = static_cast<double>(line[i + 1].y - exit.y);
      const double run = std::hypot(dx, dy);
      if (run <= 0) return;
      const double reach = std::min(static_cast<double>(length), run);
      const Point end{exit.x + std::llround(dx / run * reach), exit.y + std::llround(dy / run * reach)};
      const Path piece{{line[i], end}, width, PathEnds::Flush};
      out_.die_shapes.push_back({index, convex_hull(region_or({shape}, {path_polygon(piece)}))});
      return;
    }
  }

  // Where the segment inside → outside crosses the shape's edge, to 1 nm (bisection).
  static Point boundary_crossing(const Polygon& shape, Point inside, Point outside) {
    for (int step = 0; step < 64; ++step) {  // halves a die-sized segment to 1 nm in < 40 steps
      const Point middle{inside.x + (outside.x - inside.x) / 2, inside.y + (outside.y - inside.y) / 2};
      if (middle == inside || middle == outside) break;
      (contains(shape, middle) ? inside : outside) = middle;
    }
    return outside;
  }

  RouterInput router_input(const design::Redistribution& rdl) const {
    RouterInput input;
    for (const design::Pad& pad : design_.pads.pads)
      input.pads.push_back({pad.name, {to_nm(pad.x_m), to_nm(pad.y_m)}, to_nm(pad.size_m), design_.pads.shape == design::PadShape::Circle});
    for (const design::BumpSite& site : out_.sites)
      input.lands.push_back({site.name, {to_nm(site.x_m), to_nm(site.y_m)}, to_nm(rdl.land_diameter_m)});
    if (rdl.routing == "explicit")
      for (const design::Net& net : rdl.nets) input.fixed_nets.push_back({net.pad, net.land});
    input.width = to_nm(rdl.width_m);
    input.space = to_nm(rdl.min_space_m);
    input.die = out_.die;
    input.edge_clearance = input.space;
    return input;
  }

  void draw_pillars(int index) {
    const auto& s0 = std::get<design::SacrificialVia>(design_.interconnect);
    for (const design::Pad& pad : design_.pads.pads)
      out_.die_shapes.push_back({index, square({to_nm(pad.x_m), to_nm(pad.y_m)}, to_nm(s0.via_size_m))});
  }

  // The recess starts over the pillar and runs along +x; the overlay error shifts it in y.
  void draw_recess(int index) {
    const auto& s0 = std::get<design::SacrificialVia>(design_.interconnect);
    const Nm width = to_nm(s0.line_width_m), length = to_nm(s0.line_length_m), offset = to_nm(s0.via_offset_m);
    for (const design::Pad& pad : design_.pads.pads) {
      const Point c{to_nm(pad.x_m), to_nm(pad.y_m) + offset};
      out_.die_shapes.push_back({index, box_polygon(Box{{c.x - width / 2, c.y - width / 2}, {c.x - width / 2 + length, c.y - width / 2 + width}})});
    }
  }

  void draw_street(int index) {
    const Nm half = out_.street / 2;
    const Box outer{{out_.die.lo.x - half, out_.die.lo.y - half}, {out_.die.hi.x + half, out_.die.hi.y + half}};
    for (const Polygon& ring : region_not({box_polygon(outer)}, {box_polygon(out_.die)})) out_.die_shapes.push_back({index, ring});
  }

  // Along the first row of ball sites (through lands, UBMs, posts and balls), or through the
  // first pad when the design has no balls.
  void draw_cut(int index) {
    Nm y = 0;
    if (!out_.sites.empty()) y = to_nm(out_.sites.front().y_m);
    else if (!design_.pads.pads.empty()) y = to_nm(design_.pads.pads.front().y_m);
    out_.die_paths.push_back({index, Path{{{out_.die.lo.x, y}, {out_.die.hi.x, y}}, 0, PathEnds::Flush}});
  }
};

}  // namespace

DieLayout build_die_layout(const Design& design, const LayoutOptions& options) { return Builder(design, options).build(); }

std::string layer_map_text(const DieLayout& layout) {
  std::string text = "# wlpkit layer map: layer/datatype  name  mask  tone  field  steps  description\n";
  for (const LayerDef& layer : layout.layers)
    text += fmt::format("{}/{}\t{}\t{}\t{}\t{}\t{}\t{}\n", layer.gds.layer, layer.gds.datatype, layer.name,
                        layer.mask.empty() ? "-" : layer.mask, layer.tone.empty() ? "-" : layer.tone,
                        layer.field.empty() ? "-" : layer.field, layer.steps.empty() ? "-" : fmt::format("{}", fmt::join(layer.steps, ",")),
                        layer.description);
  return text;
}

}  // namespace wlp::layout
