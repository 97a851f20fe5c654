// Balls and solder: flux, ball placement (solder or metallized plastic, resting on what is
// under them, the paste they sink through squeezed out around them), and reflow (truncated
// sphere at constant volume pinned on the wettable pad; solder paste melted down to its metal
// fraction, joining a ball that does not melt to its land).
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "process/solder_shape.h"
#include "process/step_run.h"

namespace wlp::process {

namespace {

constexpr double kPi = std::numbers::pi;

double point_segment_distance_nm(Point p, Point a, Point b) {
  const double dx = static_cast<double>(b.x - a.x), dy = static_cast<double>(b.y - a.y);
  const double px = static_cast<double>(p.x - a.x), py = static_cast<double>(p.y - a.y);
  const double len2 = dx * dx + dy * dy;
  const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
  return std::hypot(px - t * dx, py - t * dy);
}

double ring_distance_nm(Point p, const layout::Ring& ring) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < ring.size(); ++i) best = std::min(best, point_segment_distance_nm(p, ring[i], ring[(i + 1) % ring.size()]));
  return best;
}

/// Distance from a point to a region (0 inside).
double distance_to_region_nm(Point p, const Region& region) {
  if (layout::contains(region, p)) return 0;
  double best = std::numeric_limits<double>::infinity();
  for (const layout::Polygon& polygon : region) {
    best = std::min(best, ring_distance_nm(p, polygon.outer));
    for (const layout::Ring& hole : polygon.holes) best = std::min(best, ring_distance_nm(p, hole));
  }
  return best;
}

Nm chord(const StepRun& run) { return std::max<Nm>(run.context.resolution / 4, 10); }

/// Radii splitting a disc of radius R into rings, denser towards the rim where the sphere
/// surface is steep; `extra` radii (a pad edge) are added as ring boundaries.
std::vector<double> ring_radii_m(const StepRun& run, double radius_m, std::vector<double> extra) {
  const double resolution_m = layout::to_m(run.context.resolution);
  const int n = std::clamp(static_cast<int>(radius_m / (3 * resolution_m)), 8, 40);
  std::vector<double> radii{0.0};
  for (int i = 1; i <= n; ++i) radii.push_back(radius_m * std::sin(0.5 * kPi * i / n));
  for (double r : extra)
    if (r > 0 && r < radius_m) radii.push_back(r);
  std::sort(radii.begin(), radii.end());
  radii.erase(std::unique(radii.begin(), radii.end(), [](double a, double b) { return std::abs(a - b) < 1e-9; }), radii.end());
  return radii;
}

/// Mean half-height of a sphere of radius R over the annulus a..b (0 where r > R): the column
/// height that gives the ring exactly the sphere's volume there.
double mean_half_height_m(double sphere_m, double a_m, double b_m) {
  const double hi = std::min(b_m, sphere_m);
  if (a_m >= hi) return 0;
  const double v = (std::pow(sphere_m * sphere_m - a_m * a_m, 1.5) - std::pow(sphere_m * sphere_m - hi * hi, 1.5)) / 3.0;
  return v / (0.5 * (b_m * b_m - a_m * a_m));  // ∫ h r dr / ∫ r dr over a..b
}

/// Puts new intervals into a column: paste in their way is pushed aside (the ball sinks into
/// it), solid material is never overlapped.
Stack inserted(const Stack& s, std::vector<Interval> fresh) {
  for (Interval& n : fresh)
    for (const Interval& e : s) {
      if (e.has(kPaste) || e.z_top <= n.z_bottom || e.z_bottom >= n.z_top) continue;
      if (e.z_bottom <= n.z_bottom) n.z_bottom = std::max(n.z_bottom, e.z_top);
      else n.z_top = std::min(n.z_top, e.z_bottom);
    }
  Stack out;
  for (const Interval& e : s) {
    if (!e.has(kPaste)) {
      out.push_back(e);
      continue;
    }
    std::vector<Interval> pieces{e};
    for (const Interval& n : fresh) {
      std::vector<Interval> next;
      for (const Interval& p : pieces) {
        if (n.z_top <= p.z_bottom || n.z_bottom >= p.z_top || n.z_top <= n.z_bottom) {
          next.push_back(p);
          continue;
        }
        if (p.z_bottom < n.z_bottom) next.push_back(Interval{p.z_bottom, n.z_bottom, p.material, p.film, p.flags});
        if (p.z_top > n.z_top) next.push_back(Interval{n.z_top, p.z_top, p.material, p.film, p.flags});
      }
      pieces = std::move(next);
    }
    out.insert(out.end(), pieces.begin(), pieces.end());
  }
  for (const Interval& n : fresh)
    if (n.z_top > n.z_bottom) out.push_back(n);
  return out;
}

/// Materials of a ball from the core outwards: (film, material, outer radius).
struct Shell {
  FilmIndex film;
  MaterialIndex material;
  double outer_m;
};

/// The column intervals of concentric spheres (centre zc) over the ring a..b.
std::vector<Interval> sphere_ring_intervals(const std::vector<Shell>& shells, double zc_m, double a_m, double b_m) {
  std::vector<Interval> out;
  double inner_half_m = 0;
  for (const Shell& shell : shells) {
    const double half_m = mean_half_height_m(shell.outer_m, a_m, b_m);
    if (half_m <= inner_half_m) continue;
    if (inner_half_m <= 0) {
      out.push_back(Interval{layout::to_nm(zc_m - half_m), layout::to_nm(zc_m + half_m), shell.material, shell.film, 0});
    } else {
      out.push_back(Interval{layout::to_nm(zc_m - half_m), layout::to_nm(zc_m - inner_half_m), shell.material, shell.film, 0});
      out.push_back(Interval{layout::to_nm(zc_m + inner_half_m), layout::to_nm(zc_m + half_m), shell.material, shell.film, 0});
    }
    inner_half_m = half_m;
  }
  return out;
}

Region annuli(const std::vector<Point>& centres, double a_m, double b_m, Nm chord_nm) {
  Region outer, inner;
  for (Point c : centres) {
    outer.push_back(layout::circle(c, layout::to_nm(b_m), chord_nm));
    if (a_m > 0) inner.push_back(layout::circle(c, layout::to_nm(a_m), chord_nm));
  }
  return a_m > 0 ? layout::region_not(outer, inner) : layout::merged(outer);
}

/// Height of a ball's centre resting on the surface at a site: the lowest position at which
/// the sphere touches a solid column (paste does not hold it up).
double resting_centre_z_m(const StepRun& run, Point centre, double radius_m) {
  const Region disc{layout::circle(centre, layout::to_nm(radius_m), chord(run))};
  const Box disc_box = layout::bounding_box(disc);
  double zc_m = -std::numeric_limits<double>::infinity();
  for (const Cell& cell : run.model.cells()) {
    if (!layout::bounding_box(cell.region).overlaps(disc_box)) continue;
    const Interval* top = top_interval(run.model.stack(cell.stack), [](const Interval& p) { return p.has(kPaste); });
    if (!top) continue;
    const Region touching = layout::region_and(cell.region, disc);
    if (touching.empty()) continue;
    const double d_m = layout::to_m(static_cast<Nm>(distance_to_region_nm(centre, touching)));
    if (d_m >= radius_m) continue;
    zc_m = std::max(zc_m, layout::to_m(top->z_top) + std::sqrt(radius_m * radius_m - d_m * d_m));
  }
  return zc_m;
}

std::vector<std::pair<Point, std::string>> sites_in_window(const StepRun& run, double reach_m) {
  std::vector<std::pair<Point, std::string>> out;
  const Nm reach = layout::to_nm(reach_m);
  const Box& w = run.model.window();
  for (const auto& site : run.context.sites()) {
    const Point c = site.first;
    (void)reach;
    if (!w.contains(c)) continue;  // a ball is modelled when its axis is in the window
    out.push_back(site);
  }
  return out;
}

/// Writes the rings of a set of identical bodies (same shells, same centre height).
void write_sphere_rings(const StepRun& run, const std::vector<Point>& centres, const std::vector<Shell>& shells,
                        double zc_m) {
  const double radius_m = shells.back().outer_m;
  std::vector<double> extra;
  for (const Shell& s : shells) extra.push_back(s.outer_m);
  const auto radii = ring_radii_m(run, radius_m, extra);
  std::vector<WaferModel::EditZone> rings;  // disjoint annuli: one pass over the model
  for (std::size_t i = 0; i + 1 < radii.size(); ++i) {
    auto fresh = sphere_ring_intervals(shells, zc_m, radii[i], radii[i + 1]);
    rings.push_back(WaferModel::EditZone{annuli(centres, radii[i], radii[i + 1], chord(run)),
                                         [fresh = std::move(fresh)](const Stack& s) { return inserted(s, fresh); }});
  }
  const Region discs = annuli(centres, 0, radii.back(), chord(run));
  run.model.edit_zones(rings, &discs);
}

/// The void under a ball in one column: from the top of what lies under the ball (its floor) to
/// the ball's underside (its ceiling).
struct Gap {
  Nm floor = 0, ceiling = 0;
  MaterialIndex floor_material = 0;
  std::size_t ball_at = 0;  // index of the ball's lowest interval in the column
};

/// The void under the ball in a column (none where the column holds no ball, nothing under it,
/// or where the ball lies on what is under it).
std::optional<Gap> gap_under(const Stack& s, const std::set<FilmIndex>& ball) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (ball.count(s[i].film) == 0) continue;
    if (i == 0 || s[i - 1].z_top >= s[i].z_bottom) return std::nullopt;
    return Gap{s[i - 1].z_top, s[i].z_bottom, s[i - 1].material, i};
  }
  return std::nullopt;
}

/// What fills the voids under a ball, and on which floors it may lie.
struct GapFill {
  MaterialIndex material = 0;
  FilmIndex film = 0;
  std::uint8_t flags = 0;
  std::function<bool(MaterialIndex floor)> lies_on;
};

/// Fills the voids under a ball inside `disc` with `volume_m3`, narrowest gap first. Paste the
/// ball squeezes out, or molten solder wetting both ball and floor, gathers where they are
/// closest: its edge (the meniscus) runs along one gap width all around, the gaps narrower than
/// it full, the last one filled part-way to hold the exact volume. Returns the volume placed
/// (less than asked when the voids are full).
double fill_gaps_m3(WaferModel& model, const Region& disc, const std::set<FilmIndex>& ball, double volume_m3,
                    const GapFill& fill) {
  auto gap_of = [&](const Stack& s) -> std::optional<Gap> {
    auto gap = gap_under(s, ball);
    if (gap && !fill.lies_on(gap->floor_material)) return std::nullopt;
    return gap;
  };
  const Box disc_box = layout::bounding_box(disc);
  std::map<Nm, double> area_by_gap_m2;  // gap width -> area of the columns with it
  for (const Cell& cell : model.cells()) {
    if (!model.tiles()[static_cast<std::size_t>(cell.tile)].overlaps(disc_box)) continue;
    const auto gap = gap_of(model.stack(cell.stack));
    if (!gap || !layout::bounding_box(cell.region).overlaps(disc_box)) continue;
    const double area_m2 = layout::area_um2(layout::region_and(cell.region, disc)) * 1e-12;
    if (area_m2 > 0) area_by_gap_m2[gap->ceiling - gap->floor] += area_m2;
  }
  double placed_m3 = 0;
  Nm full_to = 0, part_gap = 0, part_nm = 0;  // gaps up to full_to full; those of part_gap to part_nm
  for (const auto& [width, area_m2] : area_by_gap_m2) {
    const double holds_m3 = layout::to_m(width) * area_m2;
    if (placed_m3 + holds_m3 <= volume_m3) {
      placed_m3 += holds_m3, full_to = width;
      continue;
    }
    part_gap = width;
    part_nm = std::clamp<Nm>(static_cast<Nm>(std::llround((volume_m3 - placed_m3) / area_m2 * 1e9)), 0, width);
    placed_m3 += layout::to_m(part_nm) * area_m2;
    break;
  }
  if (placed_m3 <= 0) return 0;
  model.edit_inside(disc, [&](const Stack& s) {
    const auto gap = gap_of(s);
    if (!gap) return s;
    const Nm width = gap->ceiling - gap->floor;
    const Nm height = width <= full_to ? width : width == part_gap ? part_nm : 0;
    if (height <= 0) return s;
    Stack out = s;
    out.insert(out.begin() + static_cast<std::ptrdiff_t>(gap->ball_at),
               Interval{gap->floor, gap->floor + height, fill.material, fill.film, fill.flags});
    return out;
  });
  return placed_m3;
}

/// Paste inside a disc, by film (m³).
std::map<FilmIndex, double> paste_in_m3(const WaferModel& model, const Region& disc) {
  std::map<FilmIndex, double> out;
  const Box disc_box = layout::bounding_box(disc);
  for (const Cell& cell : model.cells()) {
    if (!model.tiles()[static_cast<std::size_t>(cell.tile)].overlaps(disc_box)) continue;
    const Stack& s = model.stack(cell.stack);
    if (std::none_of(s.begin(), s.end(), [](const Interval& p) { return p.has(kPaste); })) continue;
    const double area_m2 = layout::area_um2(layout::region_and(cell.region, disc)) * 1e-12;
    for (const Interval& p : s)
      if (p.has(kPaste)) out[p.film] += layout::to_m(p.thickness()) * area_m2;
  }
  return out;
}

/// The paste a ball pushed aside as it sank onto solid ground is squeezed out around it, into
/// the voids under the ball where it meets the surface: paste is displaced, never lost. Returns
/// the volume moved.
double squeeze_out_paste(const StepRun& run, Point centre, const std::set<FilmIndex>& ball, double radius_m,
                         const std::map<FilmIndex, double>& before_m3) {
  WaferModel& model = run.model;
  const Region disc = annuli({centre}, 0, radius_m, chord(run));
  const auto after_m3 = paste_in_m3(model, disc);
  double moved_m3 = 0;
  for (const auto& [film, was_m3] : before_m3) {
    const auto it = after_m3.find(film);
    const double displaced_m3 = was_m3 - (it == after_m3.end() ? 0.0 : it->second);
    if (displaced_m3 <= 1e-9 * was_m3) continue;
    const GapFill fill{model.material_index(model.film(film).material), film, kPaste,
                       [](MaterialIndex) { return true; }};
    const double placed_m3 = fill_gaps_m3(model, disc, ball, displaced_m3, fill);
    moved_m3 += placed_m3;
    if (placed_m3 < displaced_m3 * (1 - 1e-6))
      run.warn(fmt::format("the ball displaced {:.4g} um3 of '{}' paste but the voids under it hold only {:.4g} um3: "
                           "the rest is not modelled",
                           displaced_m3 * 1e18, model.film(film).name, placed_m3 * 1e18));
  }
  return moved_m3;
}

}  // namespace

void op_flux(const StepRun& run) {
  run.did(fmt::format("flux {} applied on the wettable surfaces (it evaporates in reflow; no geometry)",
                      run.text("material", "(no-clean)")));
}

void op_place_balls(const StepRun& run) {
  WaferModel& model = run.model;
  const Nm diameter = run.required_length_nm("diameter");
  const double radius_m = layout::to_m(diameter) / 2;
  std::vector<Shell> shells;
  if (run.text("kind") == "metallized_plastic") {
    const auto* s1 = std::get_if<design::AdhesiveCylinder>(&run.context.design.interconnect);
    const std::string core = s1 && !s1->ball_core.empty() ? s1->ball_core : run.text("material", "DVB");
    double coating_m = 0;
    if (s1)
      for (const auto& film : s1->ball_coating) coating_m += film.thickness_m;
    if (coating_m >= radius_m) run.fail(fmt::format("the ball coating ({}) is thicker than the ball's radius", um_m(coating_m)));
    shells.push_back(Shell{model.add_film(Film{"ball core", core, FilmKind::Ball, run.step.index}), model.material_index(core),
                           radius_m - coating_m});
    double r_m = radius_m - coating_m;
    if (s1)
      for (const auto& film : s1->ball_coating) {
        r_m += film.thickness_m;
        shells.push_back(Shell{model.add_film(Film{"ball " + film.name, film.material, FilmKind::Ball, run.step.index}),
                               model.material_index(film.material), r_m});
      }
  } else {
    std::string alloy = run.text("material");
    if (alloy.empty() && run.context.design.bumps) alloy = run.context.design.bumps->alloy;
    if (!run.material(alloy)) run.fail(fmt::format("unknown ball material '{}'", alloy), "material");
    shells.push_back(Shell{model.add_film(Film{"solder balls", alloy, FilmKind::Ball, run.step.index}),
                           model.material_index(alloy), radius_m});
  }
  const auto sites = sites_in_window(run, radius_m);
  if (sites.empty()) {
    run.did("no ball site in the window");
    return;
  }
  std::map<Nm, std::vector<std::pair<Point, std::string>>> by_height;
  for (const auto& site : sites) {
    const double zc_m = resting_centre_z_m(run, site.first, radius_m);
    if (!std::isfinite(zc_m)) run.fail(fmt::format("site {} has nothing for a ball to rest on", site.second));
    by_height[layout::to_nm(zc_m)].push_back(site);
  }
  std::set<FilmIndex> ball_films;
  for (const Shell& s : shells) ball_films.insert(s.film);
  double squeezed_m3 = 0;
  for (const auto& [zc, group] : by_height) {
    std::vector<Point> centres;
    std::vector<std::map<FilmIndex, double>> paste_before_m3;  // by site of the group
    for (const auto& [centre, name] : group) {
      centres.push_back(centre);
      paste_before_m3.push_back(paste_in_m3(model, annuli({centre}, 0, radius_m, chord(run))));
      SolderBody body;
      body.shape = SolderBody::Shape::Sphere;
      body.site = name;
      body.centre = centre;
      body.z_base = zc - diameter / 2;
      body.radius_m = radius_m;
      body.height_m = 2 * radius_m;
      body.volume_m3 = sphere_volume_m3(2 * radius_m);
      for (const Shell& s : shells) body.shells.push_back({s.film, s.outer_m});
      model.bodies.push_back(body);
    }
    write_sphere_rings(run, centres, shells, layout::to_m(zc));
    for (std::size_t i = 0; i < centres.size(); ++i)
      if (!paste_before_m3[i].empty())
        squeezed_m3 += squeeze_out_paste(run, centres[i], ball_films, radius_m, paste_before_m3[i]);
    run.did(fmt::format("placed {} {} balls of {}, lowest point at z = {}", group.size(), run.text("kind"), um(diameter),
                        um(zc - diameter / 2)));
  }
  if (squeezed_m3 > 0) {
    run.did(fmt::format("the balls sank through the paste onto solid ground and squeezed {:.4g} um3 of it out around "
                        "them, under their sides (paste is displaced, not lost)",
                        squeezed_m3 * 1e18));
    run.report.numbers["paste_squeezed_out_m3"] = squeezed_m3;
  }
}

namespace {

bool is_body_film(const WaferModel& model, FilmIndex film) {
  const FilmKind kind = model.film(film).kind;
  return kind == FilmKind::Ball || kind == FilmKind::Solder;
}

struct WettedPad {
  double radius_m = 0;
  Nm z = 0;            // the pad plane: the highest point of the wetted surface (its rim)
  Nm z_floor = 0;      // the lowest point of the wetted surface
  double dip_m3 = 0;   // the hollow between the wetted surface and the pad plane
  std::string surface;  // material at the site centre
  Nm surface_z = 0;     // its top
};

/// The wettable surface a molten bump pins on: the connected piece of wettable top surface
/// containing the site centre, within the ball's reach and within a tenth of the reach of the
/// centre's height (a UBM that dips 1 um into its passivation opening is one pad; a land 50 um
/// below a UBM rim is not reached); its equivalent radius sqrt(area/pi). The solder fills the
/// pad's hollows up to the pad plane and stands on it as a cap.
/// Whether a vertex of `a` lies on an edge of `b` (cell polygons are disjoint: touching ones
/// share a stretch of edge, whose ends are vertices of one of them).
bool vertex_on_edge(const layout::Polygon& a, const layout::Polygon& b) {
  auto on_segment = [](Point p, Point q, Point r) {
    // Exact in 64 bits: window coordinates differ by far less than 1e9 nm.
    const Nm cross = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    return cross == 0 && r.x >= std::min(p.x, q.x) && r.x <= std::max(p.x, q.x) && r.y >= std::min(p.y, q.y) &&
           r.y <= std::max(p.y, q.y);
  };
  auto rings = [](const layout::Polygon& polygon) {
    std::vector<const layout::Ring*> out{&polygon.outer};
    for (const layout::Ring& hole : polygon.holes) out.push_back(&hole);
    return out;
  };
  for (const layout::Ring* ring_b : rings(b))
    for (std::size_t i = 0; i < ring_b->size(); ++i) {
      const Point p = (*ring_b)[i], q = (*ring_b)[(i + 1) % ring_b->size()];
      for (const layout::Ring* ring_a : rings(a))
        for (const Point r : *ring_a)
          if (on_segment(p, q, r)) return true;
    }
  return false;
}

/// A piece of wettable surface within the reach: part of one cell polygon, with its height.
struct SurfacePiece {
  layout::Polygon polygon;
  Box box;
  Nm z_top;
};

/// The pieces connected to the one containing `centre` (empty when none contains it).
std::vector<const SurfacePiece*> connected_to(const std::vector<SurfacePiece>& pieces, Point centre) {
  std::vector<const SurfacePiece*> component;
  std::vector<bool> taken(pieces.size(), false);
  for (std::size_t i = 0; i < pieces.size() && component.empty(); ++i)
    if (layout::contains(pieces[i].polygon, centre)) component.push_back(&pieces[i]), taken[i] = true;
  for (std::size_t next = 0; next < component.size(); ++next)
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const SurfacePiece& a = *component[next];
      const SurfacePiece& b = pieces[i];
      if (taken[i] || !a.box.overlaps(b.box)) continue;
      if (vertex_on_edge(a.polygon, b.polygon) || vertex_on_edge(b.polygon, a.polygon)) {
        component.push_back(&b);
        taken[i] = true;
      }
    }
  return component;
}

WettedPad wetted_pad(const StepRun& run, Point centre, double reach_m) {
  WaferModel& model = run.model;
  auto skip = [&](const Interval& p) { return is_body_film(model, p.film) || p.has(kPaste); };
  WettedPad pad;
  const Interval* top = top_interval(model.stack_at(centre), skip);
  pad.surface = top ? model.material_id(top->material) : "nothing";
  pad.surface_z = top ? top->z_top : 0;
  if (!top || !run.is_wettable(top->material)) return pad;
  const Region reach{layout::circle(centre, layout::to_nm(reach_m), chord(run))};
  const Box reach_box = layout::bounding_box(reach);
  const Nm band = layout::to_nm(reach_m / 10);
  // Each wettable cell polygon within the reach is clipped alone and the connected piece found
  // by shared edges: a union would merge the rings a placed ball cuts the pad into, which costs
  // Clipper far more (0.3 s a ball).
  std::vector<SurfacePiece> pieces;
  for (const Cell& cell : model.cells()) {
    if (!model.tiles()[static_cast<std::size_t>(cell.tile)].overlaps(reach_box)) continue;
    const Interval* t = top_interval(model.stack(cell.stack), skip);
    if (!t || !run.is_wettable(t->material) || std::abs(t->z_top - top->z_top) > band) continue;
    for (const layout::Polygon& polygon : cell.region) {
      if (!layout::bounding_box(polygon.outer).overlaps(reach_box)) continue;
      for (layout::Polygon& p : layout::region_and(Region{polygon}, reach)) {
        const Box box = layout::bounding_box(p.outer);
        pieces.push_back(SurfacePiece{std::move(p), box, t->z_top});
      }
    }
  }
  const std::vector<const SurfacePiece*> wetted = connected_to(pieces, centre);
  if (wetted.empty()) return pad;
  double area_um2 = 0;
  pad.z = pad.z_floor = top->z_top;
  for (const SurfacePiece* p : wetted) {
    area_um2 += layout::area_um2(p->polygon);
    pad.z = std::max(pad.z, p->z_top);
    pad.z_floor = std::min(pad.z_floor, p->z_top);
  }
  pad.radius_m = std::sqrt(area_um2 / kPi) * 1e-6;
  for (const SurfacePiece* p : wetted) pad.dip_m3 += layout::to_m(pad.z - p->z_top) * layout::area_um2(p->polygon) * 1e-12;
  return pad;
}

/// The cap standing on the pad plane: the solder's volume less what fills the pad's hollows.
BumpCap cap_above_pad(const StepRun& run, const std::string& site, double volume_m3, const WettedPad& pad) {
  if (volume_m3 <= pad.dip_m3)
    run.fail(fmt::format("the solder at site {} ({:.4g} um3) does not even fill the hollow of its pad ({:.4g} um3 below "
                         "the pad rim at z = {})",
                         site, volume_m3 * 1e18, pad.dip_m3 * 1e18, um(pad.z)));
  return bump_cap(volume_m3 - pad.dip_m3, pad.radius_m);
}

/// Makes `body` the molten bump of `volume_m3` on `pad`: a cap on the pad plane over the
/// solder filling the pad's hollows.
BumpCap make_cap(const StepRun& run, SolderBody& body, double volume_m3, const WettedPad& pad) {
  const BumpCap cap = cap_above_pad(run, body.site, volume_m3, pad);
  body.shape = SolderBody::Shape::Cap;
  body.z_base = pad.z;
  body.z_floor = pad.z_floor;
  body.dip_volume_m3 = pad.dip_m3;
  body.pad_radius_m = pad.radius_m;
  body.height_m = cap.height_m;
  body.radius_m = cap.sphere_radius_m;
  body.volume_m3 = volume_m3;
  return cap;
}

/// Solder paste taken off the wafer around a site: what was printed, the metal it holds (each
/// paste by its own metal_volume_fraction) and the alloy holding most of that metal.
struct TakenPaste {
  double paste_m3 = 0;
  double metal_m3 = 0;
  std::string alloy;
};

/// Takes the solder paste inside `disc` out of the model.
TakenPaste take_solder_paste(const StepRun& run, const Region& disc) {
  WaferModel& model = run.model;
  auto is_solder_paste = [&](const Interval& p) { return p.has(kPaste) && run.class_of(p.material) == "solder"; };
  const Box disc_box = layout::bounding_box(disc);
  std::map<MaterialIndex, double> paste_by_material_m3;
  for (const Cell& cell : model.cells()) {
    if (!model.tiles()[static_cast<std::size_t>(cell.tile)].overlaps(disc_box)) continue;
    const Stack& s = model.stack(cell.stack);
    if (std::none_of(s.begin(), s.end(), is_solder_paste)) continue;
    const double area_m2 = layout::area_um2(layout::region_and(cell.region, disc)) * 1e-12;
    for (const Interval& p : s)
      if (is_solder_paste(p)) paste_by_material_m3[p.material] += layout::to_m(p.thickness()) * area_m2;
  }
  TakenPaste taken;
  double most_metal_m3 = 0;
  for (const auto& [material, paste_m3] : paste_by_material_m3) {
    const std::string& id = model.material_id(material);
    const double metal_m3 = paste_m3 * run.material_number(id, "metal_volume_fraction", 0.5);
    taken.paste_m3 += paste_m3;
    taken.metal_m3 += metal_m3;
    if (metal_m3 > most_metal_m3) most_metal_m3 = metal_m3, taken.alloy = id;
  }
  if (taken.paste_m3 > 0) model.edit_inside(disc, [&](const Stack& s) { return without(s, is_solder_paste); });
  return taken;
}

TakenPaste take_solder_paste(const StepRun& run, Point centre, double reach_m) {
  return take_solder_paste(run, Region{layout::circle(centre, layout::to_nm(reach_m), chord(run))});
}

/// What leaves the columns where caps are written: the balls that melted into them, within
/// the balls' radius of each site.
struct MeltedBalls {
  std::set<FilmIndex> films;
  double radius_m = 0;
};

/// Writes a truncated-sphere cap (pad plane z, wetted radius a) into the columns, at every
/// centre given (bodies of one shape are written in one pass), taking the melted balls out in
/// the same pass: removing them first would merge each ball's rings back into one cell, a
/// costly union of many touching annuli, only to cut them again.
void write_caps(const StepRun& run, const SolderBody& body, const std::vector<Point>& centres, FilmIndex film,
                MaterialIndex material, const MeltedBalls& melted) {
  auto without_balls = [&melted](const Stack& s) {
    return without(s, [&](const Interval& p) { return melted.films.count(p.film) != 0; });
  };
  const double zc_m = body.centre_z_m(), base_m = layout::to_m(body.z_base);
  const double R = body.radius_m;
  const double rim_m = zc_m > base_m ? R : body.pad_radius_m;  // widest radius of the cap
  const auto radii = ring_radii_m(run, rim_m, {body.pad_radius_m});
  std::vector<WaferModel::EditZone> rings;
  double written_to_m = 0;  // the rings written so far cover the disc of this radius
  bool contiguous = true;
  for (std::size_t i = 0; i + 1 < radii.size(); ++i) {
    const double a = radii[i], b = radii[i + 1];
    const double half_m = mean_half_height_m(R, a, b);
    const double top_m = zc_m + half_m;
    // Inside the pad the solder reaches down to the wetted surface (inserted() lifts the bottom
    // onto each column's metal, filling the pad's hollows); outside, the sphere's lower side.
    const double floor_m = layout::to_m(body.z_floor);
    const double bottom_m = b <= body.pad_radius_m + 1e-12 ? floor_m : std::max(base_m, zc_m - half_m);
    if (top_m <= bottom_m) continue;
    contiguous = contiguous && a == written_to_m;
    written_to_m = b;
    const std::vector<Interval> fresh{Interval{layout::to_nm(bottom_m), layout::to_nm(top_m), material, film, 0}};
    rings.push_back(WaferModel::EditZone{annuli(centres, a, b, chord(run)), [fresh, without_balls](const Stack& s) {
                                           return inserted(without_balls(s), fresh);
                                         }});
  }
  // The ball's rings beyond the cap (a ball wider than its cap), with a chord of margin.
  const double clear_m = melted.films.empty() ? 0 : melted.radius_m + layout::to_m(chord(run));
  if (contiguous && clear_m > written_to_m) {
    rings.push_back(WaferModel::EditZone{annuli(centres, written_to_m, clear_m, chord(run)), without_balls});
    written_to_m = clear_m;
  }
  if (!contiguous && !melted.films.empty())  // rare: take the balls out first, separately
    run.model.edit_inside(annuli(centres, 0, clear_m, chord(run)), without_balls);
  const Region discs = annuli(centres, 0, written_to_m, chord(run));
  run.model.edit_zones(rings, contiguous ? &discs : nullptr);
}

/// Writes the caps of the given bodies, one pass per distinct shape (film, pad plane, wetted
/// radius, sphere radius, height to the nanometre).
void write_all_caps(const StepRun& run, const std::vector<const SolderBody*>& bodies, const MeltedBalls& melted) {
  using Shape = std::tuple<FilmIndex, Nm, Nm, Nm, Nm, Nm>;
  std::map<Shape, std::vector<const SolderBody*>> by_shape;
  for (const SolderBody* b : bodies) {
    const FilmIndex film = b->shells.front().first;
    by_shape[{film, b->z_base, b->z_floor, layout::to_nm(b->pad_radius_m), layout::to_nm(b->radius_m),
              layout::to_nm(b->height_m)}]
        .push_back(b);
  }
  for (const auto& [shape, group] : by_shape) {
    std::vector<Point> centres;
    for (const SolderBody* b : group) centres.push_back(b->centre);
    const FilmIndex film = std::get<0>(shape);
    write_caps(run, *group.front(), centres, film, run.model.material_index(run.model.film(film).material), melted);
  }
}

/// Whether a placed ball keeps its shape in reflow: not one solder sphere (a metallized plastic
/// core, whatever its coating).
bool keeps_shape(const StepRun& run, const SolderBody& body) {
  if (body.shape != SolderBody::Shape::Sphere) return false;
  if (body.shells.size() != 1) return true;
  const Film& only = run.model.film(body.shells.front().first);
  return run.class_of(run.model.material_index(only.material)) != "solder";
}

/// What the joints of unmelted balls hold, summed over the sites.
struct JointTotals {
  int sites = 0;
  double paste_m3 = 0, metal_m3 = 0, on_wettable_m3 = 0, beside_m3 = 0;
};

/// A ball that keeps its shape (seed 001 claim 9: a metallized plastic ball on solder paste):
/// the paste within `reach_m` melts down to its metal, which wets the land and the ball's
/// coating and fills the gap between them from where they touch outwards; only once the gap over
/// the wettable floor is full does it spread under the ball's sides over the rest (the cover).
void join_ball_to_floor(const StepRun& run, const SolderBody& body, double reach_m, double peak_K,
                        std::map<std::string, FilmIndex>& joint_films, JointTotals& totals) {
  WaferModel& model = run.model;
  const TakenPaste paste = take_solder_paste(run, body.centre, reach_m);
  if (paste.metal_m3 <= 0) return;
  const double liquidus_K = run.material_number(paste.alloy, "liquidus_temperature",
                                                run.material_number(paste.alloy, "melting_temperature", 0));
  if (liquidus_K <= 0 || peak_K <= liquidus_K)
    run.fail(fmt::format("the peak {} does not melt the {} paste at site {} (liquidus {})", celsius(peak_K), paste.alloy,
                         body.site, celsius(liquidus_K)),
             "peak_temperature");
  const Film& coating = model.film(body.shells.back().first);
  if (!run.is_wettable(model.material_index(coating.material)))
    run.fail(fmt::format("the solder paste at site {} melts, but its ball's outer surface ({}, {}) is not wettable: "
                         "the solder cannot join the ball",
                         body.site, coating.name, coating.material));
  if (!joint_films.count(paste.alloy))
    joint_films[paste.alloy] = model.add_film(Film{"solder joints", paste.alloy, FilmKind::Solder, run.step.index});
  std::set<FilmIndex> ball;
  for (const auto& shell : body.shells) ball.insert(shell.first);
  const Region disc = annuli({body.centre}, 0, body.radius_m, chord(run));
  GapFill fill{model.material_index(paste.alloy), joint_films[paste.alloy], 0,
               [&](MaterialIndex floor) { return run.is_wettable(floor); }};
  const double on_wettable_m3 = fill_gaps_m3(model, disc, ball, paste.metal_m3, fill);
  fill.lies_on = [&](MaterialIndex floor) { return !run.is_wettable(floor); };
  const double beside_m3 = fill_gaps_m3(model, disc, ball, paste.metal_m3 - on_wettable_m3, fill);
  const double left_m3 = paste.metal_m3 - on_wettable_m3 - beside_m3;
  // The last gap filled part-way rounds its height to the nanometre: up to 1 nm over the disc.
  if (left_m3 > 1e-9 * kPi * body.radius_m * body.radius_m)
    run.fail(fmt::format("the {:.4g} um3 of molten {} at site {} overfill the space under its ball ({:.4g} um3 from the "
                         "floor up to the ball's underside): print less paste",
                         paste.metal_m3 * 1e18, paste.alloy, body.site, (on_wettable_m3 + beside_m3) * 1e18));
  ++totals.sites;
  totals.paste_m3 += paste.paste_m3;
  totals.metal_m3 += paste.metal_m3;
  totals.on_wettable_m3 += on_wettable_m3;
  totals.beside_m3 += beside_m3;
}

/// Joins every ball that keeps its shape to what it rests on with the solder paste around it,
/// and reports the solder volume before (the paste's metal) and after (the joints).
void join_unmelted_balls(const StepRun& run, double reach_for_m, double peak_K) {
  WaferModel& model = run.model;
  std::map<std::string, FilmIndex> joint_films;  // alloy -> film
  JointTotals totals;
  for (const SolderBody& body : model.bodies)
    if (keeps_shape(run, body))
      join_ball_to_floor(run, body, reach_for_m > 0 ? reach_for_m : body.radius_m, peak_K, joint_films, totals);
  if (totals.sites == 0) return;
  const auto volumes = model.film_volumes_m3();
  double joints_m3 = 0;
  for (const auto& [alloy, film] : joint_films) joints_m3 += volumes[film];
  run.did(fmt::format("{} solder paste joins {} unmelted balls to their lands: {:.4g} um3 of paste -> {:.4g} um3 of "
                      "solder (its metal), wetting land and ball from where they touch: {:.4g} um3 over the wettable "
                      "floor, {:.4g} um3 beside it under the balls; the joints hold {:.4g} um3",
                      joint_films.begin()->first, totals.sites, totals.paste_m3 * 1e18, totals.metal_m3 * 1e18,
                      totals.on_wettable_m3 * 1e18, totals.beside_m3 * 1e18, joints_m3 * 1e18));
  run.report.numbers["paste_volume_m3"] = totals.paste_m3;
  run.report.numbers["solder_volume_before_m3"] = totals.metal_m3;
  run.report.numbers["solder_volume_after_m3"] = joints_m3;
}

/// Melts the solder left as paste (not at a ball site) in place, down to its metal fraction.
void melt_remaining_paste(const StepRun& run) {
  WaferModel& model = run.model;
  std::map<FilmIndex, FilmIndex> melted;
  for (std::size_t i = 0; i < model.film_count(); ++i) {
    const Film& f = model.film(static_cast<FilmIndex>(i));
    if (f.kind == FilmKind::Paste && run.material(f.material) && run.material(f.material)->material_class == "solder")
      melted[static_cast<FilmIndex>(i)] = 0;
  }
  if (melted.empty()) return;
  const auto volumes = model.film_volumes_m3();
  for (auto& [paste, solder] : melted) {
    if (volumes[paste] <= 0) continue;
    solder = model.add_film(Film{"solder (" + model.film(paste).name + ")", model.film(paste).material, FilmKind::Solder,
                                 run.step.index});
  }
  model.edit([&](const Stack& s) {
    Stack out;
    for (Interval p : s) {
      auto it = melted.find(p.film);
      if (it != melted.end() && p.has(kPaste) && it->second != 0) {
        const double fraction = run.material_number(model.material_id(p.material), "metal_volume_fraction", 0.5);
        p.z_top = p.z_bottom + static_cast<Nm>(std::llround(static_cast<double>(p.thickness()) * fraction));
        p.flags = 0;
        p.film = it->second;
      }
      out.push_back(p);
    }
    return out;
  });
  for (const auto& [paste, solder] : melted)
    if (solder != 0)
      run.did(fmt::format("solder paste '{}' melted in place: {:.4g} um3 of paste -> {:.4g} um3 of solder",
                          model.film(paste).name, volumes[paste] * 1e18, model.film_volumes_m3()[solder] * 1e18));
}

}  // namespace

void op_reflow(const StepRun& run) {
  WaferModel& model = run.model;
  const double peak_K = *run.number("peak_temperature");
  decompose_films(run, peak_K);
  const double pitch_m = run.context.design.bumps ? run.context.design.bumps->pitch_m : 0;
  // Solder balls melt into caps on their pads; paste near a site joins its bump. The shapes
  // are found first, then the balls leave and the caps are written together.
  MeltedBalls melted_balls;
  std::vector<const SolderBody*> reflowed;
  for (SolderBody& body : model.bodies) {
    if (body.shape != SolderBody::Shape::Sphere || body.shells.size() != 1) continue;
    const FilmIndex film = body.shells.front().first;
    const std::string& alloy = model.film(film).material;
    const double liquidus_K = run.material_number(alloy, "liquidus_temperature", run.material_number(alloy, "melting_temperature", 0));
    if (liquidus_K <= 0 || run.class_of(model.material_index(alloy)) != "solder") continue;
    if (peak_K <= liquidus_K)
      run.fail(fmt::format("the peak {} does not melt {} (liquidus {})", celsius(peak_K), alloy, celsius(liquidus_K)),
               "peak_temperature");
    const WettedPad pad = wetted_pad(run, body.centre, body.radius_m);
    if (pad.radius_m <= 0)
      run.fail(fmt::format("reflow needs a wettable surface, but the ball at site {} ({}) sits on {} at z = {}, which "
                           "molten solder does not wet (solder_wettable in data/materials.toml)",
                           body.site, layout::to_string(body.centre), pad.surface, um(pad.surface_z)));
    const double paste_m3 = take_solder_paste(run, body.centre, pitch_m > 0 ? pitch_m / 2 : body.radius_m).metal_m3;
    const double volume_m3 = body.volume_m3 + paste_m3;
    melted_balls.films.insert(film);
    melted_balls.radius_m = std::max(melted_balls.radius_m, body.radius_m);
    const BumpCap cap = make_cap(run, body, volume_m3, pad);
    reflowed.push_back(&body);
    run.report.numbers["bump_height_m"] = cap.height_m;
    run.report.numbers["bump_diameter_m"] = cap.max_diameter_m;
    run.report.numbers["wetted_pad_radius_m"] = pad.radius_m;
  }
  write_all_caps(run, reflowed, melted_balls);
  join_unmelted_balls(run, pitch_m / 2, peak_K);
  // Solder paste at a site without a ball (cream solder printed on the UBM) becomes a bump.
  std::map<std::string, FilmIndex> paste_bump_film;  // alloy -> film
  std::vector<SolderBody> paste_bumps;
  for (const auto& [centre, name] : sites_in_window(run, 0)) {
    const bool has_body = std::any_of(model.bodies.begin(), model.bodies.end(), [&](const SolderBody& b) { return b.site == name; });
    if (has_body) continue;
    std::string alloy;
    for (const Interval& p : model.stack_at(centre))
      if (p.has(kPaste) && run.class_of(p.material) == "solder") alloy = model.material_id(p.material);
    if (alloy.empty()) continue;
    const WettedPad pad = wetted_pad(run, centre, pitch_m > 0 ? pitch_m / 2 : 1e-4);
    if (pad.radius_m <= 0)
      run.fail(fmt::format("reflow needs a wettable surface, but the paste at site {} ({}) sits on {} at z = {}, which "
                           "molten solder does not wet (solder_wettable in data/materials.toml)",
                           name, layout::to_string(centre), pad.surface, um(pad.surface_z)));
    const double volume_m3 = take_solder_paste(run, centre, pitch_m > 0 ? pitch_m / 2 : pad.radius_m * 2).metal_m3;
    SolderBody body;
    body.site = name;
    body.centre = centre;
    const BumpCap cap = make_cap(run, body, volume_m3, pad);
    if (!paste_bump_film.count(alloy))
      paste_bump_film[alloy] = model.add_film(Film{"solder bumps", alloy, FilmKind::Solder, run.step.index});
    body.shells.push_back({paste_bump_film[alloy], cap.sphere_radius_m});
    paste_bumps.push_back(body);
    run.report.numbers["bump_height_m"] = cap.height_m;
    run.report.numbers["bump_diameter_m"] = cap.max_diameter_m;
  }
  std::vector<const SolderBody*> from_paste;
  for (const SolderBody& b : paste_bumps) from_paste.push_back(&b);
  write_all_caps(run, from_paste, MeltedBalls{});
  model.bodies.insert(model.bodies.end(), paste_bumps.begin(), paste_bumps.end());
  melt_remaining_paste(run);
  int caps = 0;
  for (const SolderBody& b : model.bodies) caps += b.shape == SolderBody::Shape::Cap ? 1 : 0;
  if (caps > 0) {
    const SolderBody& b = *std::find_if(model.bodies.begin(), model.bodies.end(),
                                        [](const SolderBody& x) { return x.shape == SolderBody::Shape::Cap; });
    run.did(fmt::format("reflowed at {}: {} bumps, e.g. {}: {:.4g} um3 on a wetted pad of radius {} -> height {}, sphere "
                        "radius {}",
                        celsius(peak_K), caps, b.site, b.volume_m3 * 1e18, um_m(b.pad_radius_m), um_m(b.height_m),
                        um_m(b.radius_m)));
  }
}

}  // namespace wlp::process
