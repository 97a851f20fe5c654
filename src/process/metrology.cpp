#include "process/metrology.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>

namespace wlp::process {

namespace {

/// Region where the column holds the film.
Region footprint(const WaferModel& model, FilmIndex film) {
  return model.region_where([&](const Stack& s) {
    return std::any_of(s.begin(), s.end(), [&](const Interval& p) { return p.film == film; });
  });
}

Nm film_thickness(const Stack& s, FilmIndex film) {
  Nm t = 0;
  for (const Interval& p : s)
    if (p.film == film) t += p.thickness();
  return t;
}

/// Distance from `centre` along (dx, dy) to where the film's presence differs from `holds`,
/// or -1 when it does not change within `reach`.
double flip_distance_nm(const WaferModel& model, FilmIndex film, Point centre, int dx, int dy, Nm reach, bool holds) {
  auto has = [&](Nm d) { return film_thickness(model.stack_at(Point{centre.x + dx * d, centre.y + dy * d}), film) > 0; };
  if (has(reach) == holds) return -1;
  Nm lo = 0, hi = reach;
  while (hi - lo > 1) {
    const Nm mid = (lo + hi) / 2;
    (has(mid) == holds ? lo : hi) = mid;
  }
  return static_cast<double>(hi);
}


double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct Place {
  Point centre;
  std::string name;
  Nm reach;
};

nlohmann::json film_entry(const WaferModel& model, FilmIndex film, double volume_m3, const std::vector<Place>& places) {
  const Film& f = model.film(film);
  nlohmann::json entry{{"name", f.name}, {"material", f.material}, {"kind", to_string(f.kind)}, {"step", f.step},
                       {"volume_um3", volume_m3 * 1e18}};
  // Field thickness: where the film covers the largest area with one column.
  double best_area = -1;
  Nm field = 0, thinnest = 0, thickest = 0;
  bool first = true;
  for (const Cell& cell : model.cells()) {
    const Nm t = film_thickness(model.stack(cell.stack), film);
    if (t <= 0) continue;
    const double a = layout::area_um2(cell.region);
    if (a > best_area) best_area = a, field = t;
    thinnest = first ? t : std::min(thinnest, t);
    thickest = first ? t : std::max(thickest, t);
    first = false;
  }
  entry["thickness_field_um"] = layout::to_um(field);
  entry["thickness_min_um"] = layout::to_um(thinnest);
  entry["thickness_max_um"] = layout::to_um(thickest);
  const Region where = footprint(model, film);
  double area_um2 = 0;  // cells are disjoint: their areas add up without a union
  for (const layout::Polygon& piece : where) area_um2 += layout::area_um2(piece);
  entry["area_um2"] = area_um2;
  // Openings and features are measured where the design puts them: at every pad and bump
  // site in the window, by the distance from the centre to where the film starts (or ends)
  // along +x, -x, +y, -y (bisection to 1 nm): local, exact for the mask-exact outlines.
  std::vector<double> cds, sides;
  nlohmann::json features = nlohmann::json::array();
  for (const auto& [centre, name, reach] : places) {
    if (!model.window().contains(centre)) continue;
    const Stack& s = model.stack_at(centre);
    const bool holds = film_thickness(s, film) > 0;
    const bool opening = !holds && (f.kind == FilmKind::Layer || f.kind == FilmKind::Resist);
    const bool feature = holds && (f.kind == FilmKind::Section || f.kind == FilmKind::Metal || f.kind == FilmKind::Paste);
    if (!opening && !feature) continue;
    double sum_nm = 0;
    bool closed = true;
    for (const auto& [dx, dy] : {std::pair{1, 0}, std::pair{-1, 0}, std::pair{0, 1}, std::pair{0, -1}}) {
      const double r = flip_distance_nm(model, film, centre, dx, dy, reach, holds);
      if (r < 0) closed = false;
      sum_nm += r;
    }
    if (!closed) continue;  // no edge within reach: not an opening or a discrete feature
    const double diameter_um = sum_nm / 2 * 1e-3;  // mean of the two widths
    if (opening) {
      cds.push_back(diameter_um);
      sides.push_back(diameter_um);
    } else {
      features.push_back({{"at", name},
                          {"width_um", diameter_um},
                          {"height_um", layout::to_um(film_thickness(s, film))},
                          {"top_z_um", layout::to_um(stack_top(s))}});
    }
  }
  if (!cds.empty())
    entry["openings"] = {{"count", cds.size()}, {"cd_um", median(cds)}};
  if (!features.empty()) entry["features"] = features;
  return entry;
}

}  // namespace

nlohmann::json measure(const WaferModel& model, const design::Design& design) {
  nlohmann::json out;
  const Box& w = model.window();
  out["window_um"] = {layout::to_um(w.lo.x), layout::to_um(w.lo.y), layout::to_um(w.hi.x), layout::to_um(w.hi.y)};
  out["model"] = {{"window_area_mm2", layout::to_um(model.window().width()) * layout::to_um(model.window().height()) * 1e-6},
                  {"tiles", model.tiles().size()},
                  {"cells", model.cells().size()},
                  {"distinct_columns", model.stack_pool_size()},
                  {"outline_vertices", model.vertex_count()},
                  {"memory_bytes", model.memory_bytes()}};
  std::vector<Place> places;
  const Nm pitch = design.bumps ? layout::to_nm(design.bumps->pitch_m) : 0;
  for (const design::Pad& pad : design.pads.pads)
    places.push_back(Place{Point{layout::to_nm(pad.x_m), layout::to_nm(pad.y_m)}, pad.name, layout::to_nm(pad.size_m)});
  if (design.bumps)
    for (const design::BumpSite& site : design.bumps->sites)
      places.push_back(Place{Point{layout::to_nm(site.x_m), layout::to_nm(site.y_m)}, site.name, pitch / 2});
  const auto volumes = model.film_volumes_m3();
  nlohmann::json films = nlohmann::json::array();
  std::map<std::string, double> by_material;
  for (std::size_t i = 0; i < model.film_count(); ++i) {
    if (volumes[i] <= 0) continue;
    const auto film = static_cast<FilmIndex>(i);
    if (model.film(film).kind != FilmKind::Substrate) films.push_back(film_entry(model, film, volumes[i], places));
    by_material[model.film(film).material] += volumes[i] * 1e18;
  }
  out["films"] = films;
  out["volume_per_material_um3"] = by_material;
  nlohmann::json bumps = nlohmann::json::array();
  double apex_um = 0;
  for (const SolderBody& b : model.bodies) {
    const double top_um = (b.centre_z_m() + b.radius_m) * 1e6;
    const bool cap = b.shape == SolderBody::Shape::Cap;
    const double zc = b.centre_z_m(), base = layout::to_m(b.z_base);
    const double width_um = 2e6 * (cap && zc < base ? b.pad_radius_m : b.radius_m);
    bumps.push_back({{"site", b.site},
                     {"shape", cap ? "reflowed cap" : "sphere"},
                     {"x_um", layout::to_um(b.centre.x)},
                     {"y_um", layout::to_um(b.centre.y)},
                     {"base_z_um", layout::to_um(b.z_base)},
                     {"height_um", b.height_m * 1e6},
                     {"diameter_um", width_um},
                     {"sphere_radius_um", b.radius_m * 1e6},
                     {"wetted_pad_radius_um", b.pad_radius_m * 1e6},
                     {"volume_um3", b.volume_m3 * 1e18},
                     {"apex_z_um", top_um}});
    apex_um = std::max(apex_um, top_um);
  }
  out["bumps"] = bumps;
  // Standoff of the device: the bump apex above the die's original surface (z = 0).
  if (!model.bodies.empty()) out["bump_apex_above_die_surface_um"] = apex_um;
  out["surface_um"] = {{"highest", layout::to_um(model.highest_top())}, {"lowest", layout::to_um(model.lowest_top())}};
  out["design"] = design.name;
  return out;
}

}  // namespace wlp::process
