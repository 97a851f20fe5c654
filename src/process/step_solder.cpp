// Balls and solder: flux, ball placement (solder or metallized plastic, resting on what is
// under them), and reflow (truncated sphere at constant volume pinned on the wettable pad,
// solder paste melted down to its metal fraction).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numbers>
#include <set>
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
  for (const auto& [zc, group] : by_height) {
    std::vector<Point> centres;
    for (const auto& [centre, name] : group) {
      centres.push_back(centre);
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
    run.did(fmt::format("placed {} {} balls of {}, lowest point at z = {}", group.size(), run.text("kind"), um(diameter),
                        um(zc - diameter / 2)));
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
};

/// The wettable surface a molten bump pins on: the connected piece of wettable top surface
/// containing the site centre, within the ball's reach and within a tenth of the reach of the
/// centre's height (a UBM that dips 1 um into its passivation opening is one pad; a land 50 um
/// below a UBM rim is not reached); its equivalent radius sqrt(area/pi). The solder fills the
/// pad's hollows up to the pad plane and stands on it as a cap.
WettedPad wetted_pad(const StepRun& run, Point centre, double reach_m) {
  WaferModel& model = run.model;
  auto skip = [&](const Interval& p) { return is_body_film(model, p.film) || p.has(kPaste); };
  WettedPad pad;
  const Interval* top = top_interval(model.stack_at(centre), skip);
  pad.surface = top ? model.material_id(top->material) : "nothing";
  if (!top || !run.is_wettable(top->material)) return pad;
  const Region reach{layout::circle(centre, layout::to_nm(reach_m), chord(run))};
  const Box reach_box = layout::bounding_box(reach);
  const Nm band = layout::to_nm(reach_m / 10);
  auto wettable_top = [&](const Stack& s) {
    const Interval* t = top_interval(s, skip);
    return t && run.is_wettable(t->material) && std::abs(t->z_top - top->z_top) <= band;
  };
  const Region wettable = model.region_where(wettable_top, reach_box);
  Region piece;
  for (layout::Polygon& p : layout::region_and(wettable, reach))
    if (layout::contains(p, centre)) piece.push_back(std::move(p));
  if (piece.empty()) return pad;
  pad.radius_m = std::sqrt(layout::area_um2(piece) / kPi) * 1e-6;
  // Heights of the wetted surface: (top, area) of each cell under the piece.
  std::vector<std::pair<Nm, double>> surface;
  for (const Cell& cell : model.cells()) {
    if (!model.tiles()[static_cast<std::size_t>(cell.tile)].overlaps(reach_box)) continue;
    const Stack& s = model.stack(cell.stack);
    if (!wettable_top(s)) continue;
    const double area_um2 = layout::area_um2(layout::region_and(cell.region, piece));
    if (area_um2 > 0) surface.emplace_back(top_interval(s, skip)->z_top, area_um2);
  }
  pad.z = pad.z_floor = top->z_top;
  for (const auto& [z, area_um2] : surface) pad.z = std::max(pad.z, z), pad.z_floor = std::min(pad.z_floor, z);
  for (const auto& [z, area_um2] : surface) pad.dip_m3 += layout::to_m(pad.z - z) * area_um2 * 1e-12;
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

/// Solder paste within `reach` of a site: its volume (m³), removed from the model.
double take_solder_paste_m3(const StepRun& run, Point centre, double reach_m) {
  WaferModel& model = run.model;
  const Region disc{layout::circle(centre, layout::to_nm(reach_m), chord(run))};
  const Box disc_box = layout::bounding_box(disc);
  double volume_m3 = 0;
  for (const Cell& cell : model.cells()) {
    if (!model.tiles()[static_cast<std::size_t>(cell.tile)].overlaps(disc_box)) continue;
    double column_m = 0;
    for (const Interval& p : model.stack(cell.stack))
      if (p.has(kPaste) && run.class_of(p.material) == "solder") column_m += layout::to_m(p.thickness());
    if (column_m > 0) volume_m3 += column_m * layout::area_um2(layout::region_and(cell.region, disc)) * 1e-12;
  }
  if (volume_m3 > 0)
    model.edit_inside(disc, [&](const Stack& s) {
      return without(s, [&](const Interval& p) { return p.has(kPaste) && run.class_of(p.material) == "solder"; });
    });
  return volume_m3;
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
      run.fail(fmt::format("reflow needs a wettable surface, but the ball at site {} sits on {}", body.site, pad.surface));
    const double paste_m3 = take_solder_paste_m3(run, body.centre, pitch_m > 0 ? pitch_m / 2 : body.radius_m) *
                            run.material_number(alloy, "metal_volume_fraction", 0.5);
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
      run.fail(fmt::format("reflow needs a wettable surface, but the paste at site {} sits on {}", name, pad.surface));
    const double volume_m3 = take_solder_paste_m3(run, centre, pitch_m > 0 ? pitch_m / 2 : pad.radius_m * 2) *
                             run.material_number(alloy, "metal_volume_fraction", 0.5);
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
