#include "process/build.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "design/diagnostics.h"

namespace wlp::process {

namespace {

double dist(Point a, Point b) {
  return std::hypot(static_cast<double>(a.x - b.x), static_cast<double>(a.y - b.y));
}

Point along(Point from, Point to, double length_nm) {
  const double d = dist(from, to);
  if (d <= 0) return from;
  return Point{from.x + static_cast<Nm>(std::llround(static_cast<double>(to.x - from.x) * length_nm / d)),
               from.y + static_cast<Nm>(std::llround(static_cast<double>(to.y - from.y) * length_nm / d))};
}

/// The die edge nearest to a point, and the point on it (plus `beyond` outward).
Point nearest_edge_point(const Box& die, Point p, Nm beyond) {
  const Nm left = p.x - die.lo.x, right = die.hi.x - p.x, bottom = p.y - die.lo.y, top = die.hi.y - p.y;
  const Nm least = std::min({left, right, bottom, top});
  if (least == left) return Point{die.lo.x - beyond, p.y};
  if (least == right) return Point{die.hi.x + beyond, p.y};
  if (least == bottom) return Point{p.x, die.lo.y - beyond};
  return Point{p.x, die.hi.y + beyond};
}

Nm ball_radius(const design::Design& design) {
  if (!design.bumps) return 0;
  return layout::to_nm(design.bumps->ball_diameter_m) / 2;
}

}  // namespace

Nm CutLine::length() const {
  double total = 0;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) total += dist(points[i], points[i + 1]);
  return static_cast<Nm>(std::llround(total));
}

CutLine default_cut(const design::Design& design, const layout::DieLayout& layout) {
  CutLine cut;
  const Nm half_street = layout.street / 2;
  if (layout.routing && !layout.routing->nets.empty()) {
    const auto& nets = layout.routing->nets;
    auto shortest = std::min_element(nets.begin(), nets.end(), [](const auto& a, const auto& b) {
      return a.centre_line.size() < b.centre_line.size() ||
             (a.centre_line.size() == b.centre_line.size() && a.centre_line.front().x < b.centre_line.front().x);
    });
    const auto& line = shortest->centre_line;
    cut.points.push_back(nearest_edge_point(layout.die, line.front(), half_street));
    for (Point p : line)
      if (p != cut.points.back()) cut.points.push_back(p);
    const Point last = cut.points.back(), before = cut.points[cut.points.size() - 2];
    const Point away{2 * last.x - before.x, 2 * last.y - before.y};
    cut.points.push_back(along(last, away, static_cast<double>(layout.pitch) / 2));
    cut.description = fmt::format("from the die edge through pad {} along its redistribution line to land {}",
                                  shortest->pad, shortest->land);
    return cut;
  }
  if (!layout.sites.empty()) {
    const design::BumpSite& first = layout.sites.front();
    const Nm y = layout::to_nm(first.y_m);
    Nm end_x = layout::to_nm(first.x_m) + layout.pitch * 3 / 2;
    cut.points = {Point{layout.die.lo.x - half_street, y}, Point{std::min(end_x, layout.die.hi.x), y}};
    cut.description = fmt::format("along bump row {} from the die edge over two sites", first.name.substr(0, 1));
    return cut;
  }
  if (const auto* s0 = std::get_if<design::SacrificialVia>(&design.interconnect); s0 && !design.pads.pads.empty()) {
    const Point c{layout::to_nm(design.pads.pads.front().x_m), layout::to_nm(design.pads.pads.front().y_m)};
    const Nm via = layout::to_nm(s0->via_size_m);
    const Nm ahead = std::min(layout::to_nm(s0->line_length_m), 10 * via);
    cut.points = {Point{c.x - 4 * via, c.y}, Point{c.x + ahead, c.y}};
    cut.description = fmt::format("along the strip through the via at {}", design.pads.pads.front().name);
    return cut;
  }
  const Nm y = design.pads.pads.empty() ? 0 : layout::to_nm(design.pads.pads.front().y_m);
  cut.points = {Point{layout.die.lo.x - half_street, y}, Point{layout.die.lo.x + layout.die.width() / 4, y}};
  cut.description = "across the die edge";
  return cut;
}

Box build_window(const design::Design& design, const layout::DieLayout& layout, const CutLine& cut, WindowKind kind) {
  const Nm half_street = layout.street / 2;
  const Box wafer{{layout.die.lo.x - half_street, layout.die.lo.y - half_street},
                  {layout.die.hi.x + half_street, layout.die.hi.y + half_street}};
  if (kind == WindowKind::Die) return wafer;
  Box box{cut.points.front(), cut.points.front()};
  if (kind == WindowKind::Cell && !layout.sites.empty()) {
    const Point c{layout::to_nm(layout.sites.front().x_m), layout::to_nm(layout.sites.front().y_m)};
    box = Box{{c.x - layout.pitch / 2, c.y - layout.pitch / 2}, {c.x + layout.pitch / 2, c.y + layout.pitch / 2}};
  } else {
    for (Point p : cut.points) {
      box.lo.x = std::min(box.lo.x, p.x), box.lo.y = std::min(box.lo.y, p.y);
      box.hi.x = std::max(box.hi.x, p.x), box.hi.y = std::max(box.hi.y, p.y);
    }
    Nm margin = std::max<Nm>(ball_radius(design) + 10'000, 20'000);
    if (std::holds_alternative<design::SacrificialVia>(design.interconnect)) margin = 2'000;
    box.lo.x -= margin, box.lo.y -= margin, box.hi.x += margin, box.hi.y += margin;
  }
  box.lo.x = std::max(box.lo.x, wafer.lo.x), box.lo.y = std::max(box.lo.y, wafer.lo.y);
  box.hi.x = std::min(box.hi.x, wafer.hi.x), box.hi.y = std::min(box.hi.y, wafer.hi.y);
  return box;
}

WaferModel make_model(const design::Design& design, const Box& window) {
  return WaferModel(window, design.die.material, layout::to_nm(design.die.thickness_m));
}

WaferModel make_model(const design::Design& design, const layout::DieLayout& layout, const Box& window) {
  TileGrid grid;
  if (design.bumps && design.bumps->pitch_m > 0 && !layout.sites.empty()) {
    const Nm pitch = layout::to_nm(design.bumps->pitch_m);
    constexpr Nm kMinTile = 300'000;
    grid.pitch = pitch * ((kMinTile + pitch - 1) / pitch);
    grid.origin = Point{layout::to_nm(layout.sites.front().x_m) - pitch / 2, layout::to_nm(layout.sites.front().y_m) - pitch / 2};
  }
  return WaferModel(window, design.die.material, layout::to_nm(design.die.thickness_m), grid);
}

namespace {

// Seed 000: a sacrificial pillar that survives the whole recipe never became a via.
void check_sacrificial_gone(const WaferModel& model, const design::Design& design, const design::Recipe& recipe) {
  for (const design::StackLayer* layer : design.layers_with(design::LayerRole::Sacrificial)) {
    const auto films = model.films_named(layer->name);
    if (films.empty()) continue;
    const auto volumes = model.film_volumes_m3();
    if (volumes[films.back()] <= 0) continue;
    // The hottest heat step (the last of equals) is the one that had to burn the layer out.
    const design::Step* heat = nullptr;
    for (const auto& step : recipe.steps)
      if ((step.op == "anneal" || step.op == "decompose" || step.op == "cure") &&
          (!heat || step.number("temperature").value_or(0) >= heat->number("temperature").value_or(0)))
        heat = &step;
    const design::Material* m = design.material(layer->material);
    const double decomposes_K = m ? m->nominal("decomposition_temperature").value_or(0) : 0;
    const double hottest_K = heat ? heat->number("temperature").value_or(0) : 0;
    design::SourcePos where = heat ? heat->where : recipe.steps.back().where;
    std::string key = "recipe";
    if (heat) {
      key = fmt::format("recipe.step[{}]", heat->index - 1);
      const auto it = heat->param_where.find("temperature");
      if (it != heat->param_where.end() && it->second.is_known()) {
        where = it->second;
        key += ".temperature";
      }
    }
    throw design::InputError({design::Diagnostic{
        where, key,
        fmt::format("{}: the sacrificial layer '{}' ({}, decomposition {:.0f} C) is still on the wafer at the end of the "
                    "recipe; the anneal must exceed its decomposition temperature (hottest heat step {:.0f} C)",
                    heat ? heat->label() : recipe.steps.back().label(), layer->name, layer->material,
                    decomposes_K - 273.15, hottest_K - 273.15)}});
  }
}

/// Whether a material conducts (a plating seed, a barrier): metals, solders, intermetallics.
bool is_metal(const design::Design& design, const std::string& id) {
  const design::Material* m = design.material(id);
  return m && (m->material_class == "metal" || m->material_class == "solder" || m->material_class == "intermetallic");
}

// Seed 000 (claims 8-9): the copper goes on a PVD barrier. A step that deposits or plates the
// S0 conductor while a dielectric still shows at the surface would put the copper on it.
void check_barrier_before_conductor(const WaferModel& model, const design::Design& design, const design::Step& step) {
  const auto* via = std::get_if<design::SacrificialVia>(&design.interconnect);
  if (!via || via->barrier_material.empty()) return;
  if ((step.op != "deposit" && step.op != "electroplate") || step.text("material") != via->conductor) return;
  std::map<std::string, double> bare_um2;  // material at the surface -> its area
  double total_um2 = 0;
  for (const Cell& cell : model.cells()) {
    const Stack& s = model.stack(cell.stack);
    if (s.empty() || is_metal(design, model.material_id(s.back().material))) continue;
    const double area_um2 = layout::disjoint_area_um2(cell.region);
    bare_um2[model.material_id(s.back().material)] += area_um2;
    total_um2 += area_um2;
  }
  if (bare_um2.empty()) return;
  const auto widest = std::max_element(bare_um2.begin(), bare_um2.end(),
                                       [](const auto& a, const auto& b) { return a.second < b.second; });
  design::SourcePos where = step.where;
  std::string key = fmt::format("recipe.step[{}]", step.index - 1);
  if (const auto it = step.param_where.find("material"); it != step.param_where.end() && it->second.is_known()) {
    where = it->second;
    key += ".material";
  }
  throw design::InputError({design::Diagnostic{
      where, key,
      fmt::format("{}: the {} would lie on bare dielectric ({:.4g} um2 of the surface, mostly {}) with no {} barrier "
                  "between: deposit the {:.3f} um {} barrier (interconnect.barrier_material, barrier_thickness) by PVD "
                  "before the copper (seed 000 claims 8-9)",
                  step.label(), via->conductor, total_um2, widest->first, via->barrier_material,
                  via->barrier_thickness_m * 1e6, via->barrier_material)}});
}

}  // namespace

BuildResult run_recipe(WaferModel& model, const design::Design& design, const layout::DieLayout& layout,
                       const BuildOptions& options, const StepObserver& after_step) {
  BuildResult result;
  result.cut = options.cut ? *options.cut : default_cut(design, layout);
  const StepContext context{design, layout, options.resolution};
  for (const design::Step& step : design.recipe.steps) {
    check_barrier_before_conductor(model, design, step);
    result.reports.push_back(run_step(model, context, step));
    if (after_step) after_step(result.reports.back(), model);
  }
  check_sacrificial_gone(model, design, design.recipe);
  return result;
}

// --- cross-sections ---------------------------------------------------------------------------

namespace {

/// Parameters t in (0, 1) where the segment a→b crosses an edge of the ring.
void crossings(Point a, Point b, const layout::Ring& ring, std::vector<double>& ts) {
  const double ax = static_cast<double>(a.x), ay = static_cast<double>(a.y);
  const double dx = static_cast<double>(b.x - a.x), dy = static_cast<double>(b.y - a.y);
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Point p = ring[i], q = ring[(i + 1) % ring.size()];
    const double ex = static_cast<double>(q.x - p.x), ey = static_cast<double>(q.y - p.y);
    const double denom = dx * ey - dy * ex;
    if (std::abs(denom) < 1e-12) continue;
    const double px = static_cast<double>(p.x) - ax, py = static_cast<double>(p.y) - ay;
    const double t = (px * ey - py * ex) / denom, u = (px * dy - py * dx) / denom;
    if (t > 0 && t < 1 && u >= 0 && u <= 1) ts.push_back(t);
  }
}

const Stack* stack_at_point(const WaferModel& model, Point p) {
  for (const Cell& cell : model.cells()) {
    const Box box = layout::bounding_box(cell.region);
    if (!box.contains(p)) continue;
    if (layout::contains(cell.region, p)) return &model.stack(cell.stack);
  }
  return nullptr;
}

/// Where the columns of a film stop being drawn because an analytic body draws it (a ball
/// whole, a reflowed bump above its pad plane; the solder in the pad's hollows below the plane
/// is drawn from the columns). The highest possible z for films no body has.
Nm drawn_below(const WaferModel& model, FilmIndex film) {
  Nm below = std::numeric_limits<Nm>::max();
  for (const SolderBody& b : model.bodies)
    for (const auto& shell : b.shells)
      if (shell.first == film)
        below = std::min(below, b.shape == SolderBody::Shape::Cap ? b.z_base : std::numeric_limits<Nm>::min());
  return below;
}

Nm nm(double v) { return static_cast<Nm>(std::llround(v)); }

/// Sections of the analytic bodies cut by a segment starting at s0.
void body_sections(const WaferModel& model, Point a, Point b, double s0, std::map<FilmIndex, Region>& pieces) {
  const double len = dist(a, b);
  if (len <= 0) return;
  const double ux = static_cast<double>(b.x - a.x) / len, uy = static_cast<double>(b.y - a.y) / len;
  for (const SolderBody& body : model.bodies) {
    const double px = static_cast<double>(body.centre.x - a.x), py = static_cast<double>(body.centre.y - a.y);
    const double t = px * ux + py * uy;
    if (t < 0 || t > len) continue;
    const double d = std::abs(px * uy - py * ux);
    const double zc = body.centre_z_m() * 1e9;
    Region inner;
    for (const auto& [film, outer_m] : body.shells) {
      const double r = (body.shape == SolderBody::Shape::Cap ? body.radius_m : outer_m) * 1e9;
      if (d >= r) continue;
      const double rho = std::sqrt(r * r - d * d);
      Region disc{layout::circle(Point{nm(s0 + t), nm(zc)}, nm(rho), std::max<Nm>(nm(rho / 400), 5))};
      if (body.shape == SolderBody::Shape::Cap) {
        const Box above{{nm(s0 + t - rho - 10), body.z_base}, {nm(s0 + t + rho + 10), nm(zc + rho + 10)}};
        disc = layout::region_and(disc, Region{layout::box_polygon(above)});
      }
      Region shell = inner.empty() ? disc : layout::region_not(disc, inner);
      layout::append(pieces[film], shell);
      inner = disc;
    }
  }
}

}  // namespace

SectionFigure cut_section(const WaferModel& model, const design::Design& design, const CutLine& cut) {
  SectionFigure figure;
  std::map<FilmIndex, Region> pieces;
  std::map<FilmIndex, std::uint8_t> flags;
  double s0 = 0;
  for (std::size_t k = 0; k + 1 < cut.points.size(); ++k) {
    const Point a = cut.points[k], b = cut.points[k + 1];
    const double len = dist(a, b);
    std::vector<double> ts{0.0, 1.0};
    for (const Cell& cell : model.cells())
      for (const layout::Polygon& polygon : cell.region) {
        crossings(a, b, polygon.outer, ts);
        for (const layout::Ring& hole : polygon.holes) crossings(a, b, hole, ts);
      }
    std::sort(ts.begin(), ts.end());
    for (std::size_t i = 0; i + 1 < ts.size(); ++i) {
      if (ts[i + 1] - ts[i] < 1e-12) continue;
      const double tm = 0.5 * (ts[i] + ts[i + 1]);
      const Point mid{a.x + nm(tm * static_cast<double>(b.x - a.x)), a.y + nm(tm * static_cast<double>(b.y - a.y))};
      const Stack* s = stack_at_point(model, mid);
      if (!s) continue;
      const Nm s_lo = nm(s0 + ts[i] * len), s_hi = nm(s0 + ts[i + 1] * len);
      if (s_hi <= s_lo) continue;
      for (const Interval& p : *s) {
        const Nm z_top = std::min(p.z_top, drawn_below(model, p.film));
        if (z_top <= p.z_bottom) continue;
        pieces[p.film].push_back(layout::box_polygon(Box{{s_lo, p.z_bottom}, {s_hi, z_top}}));
        flags[p.film] |= p.flags;
      }
    }
    body_sections(model, a, b, s0, pieces);
    s0 += len;
  }
  figure.s_length = nm(s0);
  Nm z_top = 0;
  for (auto& [film, region] : pieces) {
    region = layout::merged(region);
    if (region.empty()) continue;
    z_top = std::max(z_top, layout::bounding_box(region).hi.y);
    const Film& f = model.film(film);
    const design::Material* m = design.material(f.material);
    figure.pieces.push_back(SectionPiece{f.name, f.material, m ? m->material_class : "", flags[film], std::move(region)});
  }
  figure.z_max = z_top + std::max<Nm>(z_top / 20, 100);
  const Nm die = layout::to_nm(design.die.thickness_m);
  figure.z_min = -std::min(die, std::max<Nm>(z_top / 4, 500));
  return figure;
}

}  // namespace wlp::process
