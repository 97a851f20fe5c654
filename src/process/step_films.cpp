// Film steps: blanket deposits (CVD, PECVD, PVD, evaporation, electroless), spin-coating
// (the liquid also flows into voids open to it sideways: the gap under an overhang),
// lamination, cure and anneal (with shrinkage and thermal decomposition).
#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <set>
#include <utility>

#include "process/step_run.h"

namespace wlp::process {

namespace {

struct FilmSpec {
  std::string name, material;
  Nm thickness = 0;                  // as the step asks (after cure for a stack layer)
  const design::StackLayer* layer = nullptr;
};

FilmSpec film_spec(const StepRun& run) {
  FilmSpec spec;
  if (const auto layer_name = run.step.text("layer")) {
    spec.layer = run.context.design.layer_named(*layer_name);
    if (!spec.layer) run.fail(fmt::format("no stack layer '{}'", *layer_name), "layer");
    spec.name = spec.layer->name;
    spec.material = spec.layer->material;
    spec.thickness = layout::to_nm(spec.layer->thickness_m);
  } else {
    spec.name = run.step.name;
    spec.material = run.text("material");
    spec.thickness = run.required_length_nm("thickness");
  }
  if (!run.material(spec.material)) run.fail(fmt::format("unknown material '{}'", spec.material), "material");
  return spec;
}

FilmKind kind_of(const StepRun& run, const FilmSpec& spec) {
  if (spec.layer) return FilmKind::Layer;
  const design::Material* m = run.material(spec.material);
  if (m && (m->material_class == "metal" || m->material_class == "solder")) return FilmKind::Metal;
  return FilmKind::Layer;
}

double default_step_coverage(const std::string& method) {
  if (method == "cvd" || method == "thermal_oxidation") return 1.0;
  if (method == "pecvd") return 0.7;
  if (method == "evaporate") return 0.1;
  return 0.5;  // sputter, pvd
}

bool is_role(const design::StackLayer* layer, design::LayerRole role) { return layer && layer->role == role; }

/// Whether piece `i` of a column lies right under a film older than itself that does not cure:
/// that film was there before this one was coated, so the liquid flowed under it (an overhang
/// held by its post) and is bonded to its underside.
bool bonded_under_overhang(const Stack& s, std::size_t i, const std::function<bool(const Interval&)>& cures) {
  if (i + 1 >= s.size()) return false;
  const Interval& above = s[i + 1];
  return above.z_bottom == s[i].z_top && above.film < s[i].film && !cures(above);
}

/// Cures the intervals selected by `cures`: clears the liquid/paste state and shrinks them by
/// the material's cure shrinkage, lowering what was laid on them. A film that was on the wafer
/// before the shrinking one (an overhang the liquid flowed under) is held by what carries it
/// and stays; a piece bonded under it keeps its height (as an underfill in its gap: the
/// shrinkage is left as stress, which is not modelled). Returns the number of films cured.
int cure_intervals(const StepRun& run, const std::function<bool(const Interval&)>& cures) {
  WaferModel& model = run.model;
  std::set<FilmIndex> cured;
  Nm held_nm = 0;  // thickest piece kept at its height under an overhang
  model.edit([&](const Stack& s) {
    Stack out = s;
    Nm shift = 0;
    FilmIndex shrunk_film = 0;  // the film whose shrinkage makes the shift
    for (std::size_t i = 0; i < out.size(); ++i) {
      Interval& piece = out[i];
      const Nm thickness = piece.thickness();
      const bool curing = cures(piece);
      if (!curing && shift > 0 && piece.film < shrunk_film) shift = 0;  // an overhang: held by its post
      piece.z_bottom -= shift;
      if (!curing) {
        piece.z_top = piece.z_bottom + thickness;
        continue;
      }
      const double shrink = run.material_number(model.material_id(piece.material), "cure_shrinkage", 0.0);
      Nm lost = static_cast<Nm>(std::llround(static_cast<double>(thickness) * shrink));
      if (lost > 0 && bonded_under_overhang(s, i, cures)) {
        lost = 0;
        held_nm = std::max(held_nm, thickness);
      }
      piece.flags = static_cast<std::uint8_t>(piece.flags & ~(kLiquid | kPaste));
      piece.z_top = piece.z_bottom + thickness - lost;
      if (lost > 0) shift += lost, shrunk_film = std::max(shrunk_film, piece.film);
      cured.insert(piece.film);
    }
    return out;
  });
  for (FilmIndex film : cured) {
    const Film& f = model.film(film);
    const double shrink = run.material_number(f.material, "cure_shrinkage", 0.0);
    run.did(fmt::format("cured '{}' ({}), thickness shrinkage {:.0f} %", f.name, f.material, shrink * 100));
  }
  if (held_nm > 0)
    run.did(fmt::format("resin bonded under an overhang (up to {} thick) keeps its height: the overhang is held by its "
                        "post, so the cure shrinkage there is left as stress",
                        um(held_nm)));
  return static_cast<int>(cured.size());
}

bool is_solder_paste(const StepRun& run, const Interval& piece) {
  return piece.has(kPaste) && run.class_of(piece.material) == "solder";
}

std::set<FilmIndex> films_present(const WaferModel& model) {
  std::set<FilmIndex> present;
  for (const Cell& cell : model.cells())
    for (const Interval& piece : model.stack(cell.stack)) present.insert(piece.film);
  return present;
}

const design::StackLayer* layer_of(const StepRun& run, FilmIndex film) {
  const Film& f = run.model.film(film);
  return f.kind == FilmKind::Layer ? run.context.design.layer_named(f.name) : nullptr;
}

// Seed 000: the strip recess must reach the pillar before the anneal burns it out, or the
// decomposition products stay trapped and the via never joins the strip.
void check_pillar_open(const StepRun& run, FilmIndex pillar) {
  const Region open = run.model.region_where([&](const Stack& s) { return !s.empty() && s.back().film == pillar; });
  if (!open.empty()) return;
  Nm pillar_top = std::numeric_limits<Nm>::min();
  for (const Cell& cell : run.model.cells())
    for (const Interval& piece : run.model.stack(cell.stack))
      if (piece.film == pillar) pillar_top = std::max(pillar_top, piece.z_top);
  run.fail(fmt::format("the sacrificial pillar '{}' (top at z = {}) is not open to the surface anywhere: the recess "
                       "must overlap the pillar in projection and reach down to it (seed 000 claim 1), lowest surface "
                       "z = {}",
                       run.model.film(pillar).name, um(pillar_top), um(run.model.lowest_top())));
}

/// A void of one cell's column: the gap between two of its intervals.
struct CellVoid {
  std::size_t cell = 0;
  Nm floor = 0, ceiling = 0;
  Nm fill_to = 0;  // the liquid's level in it once reached (above the floor)
};

bool z_overlap(Nm lo_a, Nm hi_a, Nm lo_b, Nm hi_b) { return lo_a < hi_b && lo_b < hi_a; }

/// The cells whose outline touches cell `i`'s (across tile edges too): candidates by box, then
/// the outline grown by 2 nm must overlap theirs.
std::vector<std::size_t> touching_cells(const std::vector<Cell>& cells, const std::vector<Box>& boxes, std::size_t i) {
  constexpr Nm kTouch = 2;
  const Box near{{boxes[i].lo.x - kTouch, boxes[i].lo.y - kTouch}, {boxes[i].hi.x + kTouch, boxes[i].hi.y + kTouch}};
  const Region grown = layout::sized(cells[i].region, kTouch);
  std::vector<std::size_t> out;
  for (std::size_t j = 0; j < cells.size(); ++j)
    if (j != i && boxes[j].overlaps(near) && !layout::region_and(grown, cells[j].region).empty()) out.push_back(j);
  return out;
}

/// The column with the void whose floor is at `floor` filled up to `level`.
Stack with_void_filled(const Stack& s, Nm floor, Nm level, MaterialIndex m, FilmIndex film, std::uint8_t flags) {
  Stack out = s;
  for (std::size_t i = 0; i + 1 < out.size(); ++i)
    if (out[i].z_top == floor && out[i + 1].z_bottom >= level) {
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(i) + 1, Interval{floor, level, m, film, flags});
      break;
    }
  return out;
}

/// A liquid coat flows sideways into the voids it can reach below its surface: a void whose
/// height range meets the liquid standing on a touching column, or the liquid already in a
/// touching void (the gap under an overhang, reached from around its rim). Each reached void's
/// floor is coated like a column top (`surface_on`), up to the void's ceiling. A void with no
/// such path (an enclosed cavity) stays empty.
class VoidFlood {
 public:
  VoidFlood(const WaferModel& model, std::function<Nm(Nm)> surface_on)
      : model_(model), cells_(model.cells()), surface_on_(std::move(surface_on)) {
    for (std::size_t c = 0; c < cells_.size(); ++c) {
      const Stack& s = model_.stack(cells_[c].stack);
      for (std::size_t i = 0; i + 1 < s.size(); ++i)
        if (s[i].z_top < s[i + 1].z_bottom) {
          voids_of_[c].push_back(voids_.size());
          voids_.push_back(CellVoid{c, s[i].z_top, s[i + 1].z_bottom, s[i].z_top});
        }
    }
    if (!voids_.empty())
      for (const Cell& cell : cells_) boxes_.push_back(layout::bounding_box(cell.region));
  }

  /// The voids the liquid fills, with its level in each.
  std::vector<CellVoid> filled() {
    enter_from_open_columns();
    spread();
    std::erase_if(voids_, [](const CellVoid& gap) { return gap.fill_to <= gap.floor; });
    return voids_;
  }

 private:
  const std::vector<std::size_t>& neighbours(std::size_t cell) {
    auto it = touching_.find(cell);
    if (it == touching_.end()) it = touching_.emplace(cell, touching_cells(cells_, boxes_, cell)).first;
    return it->second;
  }

  void reach(std::size_t v) {
    CellVoid& gap = voids_[v];
    if (gap.fill_to > gap.floor) return;  // already filled
    gap.fill_to = std::max(gap.floor, std::min(gap.ceiling, surface_on_(gap.floor)));
    if (gap.fill_to > gap.floor) queue_.push_back(v);
  }

  // The liquid standing on a column enters the voids beside it that open below its surface.
  void enter_from_open_columns() {
    for (std::size_t v = 0; v < voids_.size(); ++v)
      for (std::size_t n : neighbours(voids_[v].cell)) {
        const Nm top = stack_top(model_.stack(cells_[n].stack));
        const Nm surface = surface_on_(top);
        if (surface > top && z_overlap(top, surface, voids_[v].floor, voids_[v].ceiling)) reach(v);
      }
  }

  // From a filled void on into the touching voids its liquid meets.
  void spread() {
    while (!queue_.empty()) {
      const CellVoid from = voids_[queue_.front()];
      queue_.pop_front();
      for (std::size_t n : neighbours(from.cell)) {
        const auto it = voids_of_.find(n);
        if (it == voids_of_.end()) continue;
        for (std::size_t w : it->second)
          if (z_overlap(from.floor, from.fill_to, voids_[w].floor, voids_[w].ceiling)) reach(w);
      }
    }
  }

  const WaferModel& model_;
  const std::vector<Cell>& cells_;
  std::function<Nm(Nm)> surface_on_;
  std::vector<CellVoid> voids_;
  std::map<std::size_t, std::vector<std::size_t>> voids_of_;  // cell -> its voids
  std::vector<Box> boxes_;                                     // of every cell
  std::map<std::size_t, std::vector<std::size_t>> touching_;   // cell -> touching cells (void cells only)
  std::deque<std::size_t> queue_;                              // filled voids whose neighbours are not yet visited
};

/// Fills the voids a liquid coat reaches (VoidFlood) and reports them.
void fill_reached_voids(const StepRun& run, const Film& film_spec, MaterialIndex m, FilmIndex film,
                        std::uint8_t flags, const std::function<Nm(Nm)>& surface_on) {
  WaferModel& model = run.model;
  const std::vector<CellVoid> filled = VoidFlood(model, surface_on).filled();
  if (filled.empty()) return;
  std::map<std::size_t, std::vector<std::pair<Nm, Nm>>> by_cell;  // cell -> (floor, level)
  double volume_um3 = 0;
  Nm thickest = 0;
  for (const CellVoid& gap : filled) {
    by_cell[gap.cell].emplace_back(gap.floor, gap.fill_to);
    volume_um3 += layout::disjoint_area_um2(model.cells()[gap.cell].region) * layout::to_um(gap.fill_to - gap.floor);
    thickest = std::max(thickest, gap.fill_to - gap.floor);
  }
  std::vector<WaferModel::EditZone> zones;
  for (const auto& [cell, levels] : by_cell)
    zones.push_back(WaferModel::EditZone{model.cells()[cell].region, [levels, m, film, flags](const Stack& s) {
                                           Stack out = s;
                                           for (const auto& [floor, level] : levels)
                                             out = with_void_filled(out, floor, level, m, film, flags);
                                           return out;
                                         }});
  model.edit_zones(zones);
  run.did(fmt::format("the liquid '{}' flowed sideways into {} voids open to it (under overhangs), up to {} deep: "
                      "{:.4g} um3",
                      film_spec.name, filled.size(), um(thickest), volume_um3));
  run.report.numbers["void_fill_volume_m3"] = volume_um3 * 1e-18;
}

}  // namespace

FilmIndex coat_film(const StepRun& run, const Film& film_spec, Nm coat_nm, double planarization, std::uint8_t flags,
                    const Region* openings, bool must_cover) {
  WaferModel& model = run.model;
  const MaterialIndex m = model.material_index(film_spec.material);
  const FilmIndex film = model.add_film(film_spec);
  const double flat_level = model.mean_top_nm() + static_cast<double>(coat_nm);
  Nm buried_top = std::numeric_limits<Nm>::min(), worst_surface = 0;
  Nm thinnest = std::numeric_limits<Nm>::max(), thickest = 0;
  // The coat's surface over a column top (or a void's floor) at z.
  auto surface_on = [&](Nm z) {
    const double blended = (1.0 - planarization) * static_cast<double>(z + coat_nm) + planarization * flat_level;
    return static_cast<Nm>(std::llround(blended));
  };
  // A liquid also runs under overhangs; a dry film (or a film with pre-made openings) does not.
  if ((flags & kLiquid) != 0 && !openings) fill_reached_voids(run, film_spec, m, film, flags, surface_on);
  auto apply = [&](const Stack& s) {
    const Nm top = stack_top(s);
    const Nm surface = surface_on(top);
    if (surface <= top) {
      if (top > buried_top) {
        buried_top = top;
        worst_surface = surface;
      }
      return s;
    }
    thinnest = std::min(thinnest, surface - top);
    thickest = std::max(thickest, surface - top);
    return with_filled_to(s, surface, m, film, flags);
  };
  if (openings) model.edit_inside(layout::region_not(model.window_region(), *openings), apply);
  else model.edit(apply);
  if (buried_top != std::numeric_limits<Nm>::min()) {
    const std::string what = fmt::format(
        "the {} coat of '{}' is thinner than the topography it must cover: a feature top at z = {} stays above the "
        "coat surface ({} there)",
        um(coat_nm), film_spec.name, um(buried_top), um(worst_surface));
    if (must_cover) run.fail(what);
    run.warn(what + "; the features stick out of the film");
  }
  if (thinnest == std::numeric_limits<Nm>::max()) thinnest = 0;
  run.did(fmt::format("{} '{}' ({}): {} as applied on a flat field, planarization {:.2f}; {}..{} thick over the "
                      "topography",
                      run.step.op, film_spec.name, film_spec.material, um(coat_nm), planarization, um(thinnest),
                      um(thickest)));
  run.report.numbers["applied_thickness_m"] = layout::to_m(coat_nm);
  return film;
}

void decompose_films(const StepRun& run, double temperature_K) {
  WaferModel& model = run.model;
  std::set<FilmIndex> burn;
  for (FilmIndex film : films_present(model)) {
    const Film& f = model.film(film);
    const double decomposes_K = run.decomposition_K(model.material_index(f.material));
    if (!(decomposes_K < temperature_K)) continue;
    const design::StackLayer* layer = layer_of(run, film);
    const bool sacrificial = is_role(layer, design::LayerRole::Sacrificial);
    if (f.kind == FilmKind::Resist || sacrificial) {
      if (sacrificial) check_pillar_open(run, film);
      burn.insert(film);
      continue;
    }
    const std::string why = is_role(layer, design::LayerRole::InterMetal)
                                ? " (seed 000: the second material must outlast the anneal that burns out the first)"
                                : "";
    run.fail(fmt::format("heating to {} decomposes film '{}' ({}, decomposition temperature {}){}",
                         celsius(temperature_K), f.name, f.material, celsius(decomposes_K), why),
             "temperature");
  }
  if (burn.empty()) return;
  const auto before = model.film_volumes_m3();
  model.edit([&](const Stack& s) { return without(s, [&](const Interval& p) { return burn.count(p.film) != 0; }); });
  for (FilmIndex film : burn) {
    const Film& f = model.film(film);
    run.did(fmt::format("'{}' ({}) decomposed above its {} decomposition temperature: {:.4g} um3 of cavity left", f.name,
                        f.material, celsius(run.decomposition_K(model.material_index(f.material))),
                        before[film] * 1e18));
    run.report.numbers["decomposed_volume_m3"] += before[film];
  }
}

void op_deposit(const StepRun& run) {
  const FilmSpec spec = film_spec(run);
  const std::string method = run.text("method");
  WaferModel& model = run.model;
  const MaterialIndex m = model.material_index(spec.material);
  if (method == "electroless") {
    // Electroless plating grows only on exposed metal (autocatalytic), never on dielectrics.
    auto metal_open = [&](const Stack& s) {
      const Interval* top = top_interval(s);
      return top && run.is_conductive(top->material) && !run.is_resist(*top);
    };
    const Region metal = model.region_where(metal_open);
    if (metal.empty()) run.fail("electroless plating needs exposed metal, and no metal is open to the surface");
    const FilmIndex film = model.add_film(Film{spec.name, spec.material, FilmKind::Metal, run.step.index});
    model.edit_where(metal_open, [&](const Stack& s) { return with_on_top(s, spec.thickness, m, film); });
    run.did(fmt::format("electroless {} of {} on {:.4g} um2 of exposed metal", um(spec.thickness), spec.material,
                        layout::disjoint_area_um2(metal)));
    return;
  }
  const double coverage = run.fraction("step_coverage", default_step_coverage(method));
  const FilmIndex film = model.add_film(Film{spec.name, spec.material, kind_of(run, spec), run.step.index});
  const Nm side = static_cast<Nm>(std::llround(static_cast<double>(spec.thickness) * coverage));
  grow_film(model, spec.thickness, side, m, film);
  run.did(fmt::format("{} {} of {} on every surface, {} on sidewalls (step coverage {:.2f})", method, um(spec.thickness),
                      spec.material, um(side), coverage));
  run.report.numbers["thickness_m"] = layout::to_m(spec.thickness);
}

void op_spin_coat(const StepRun& run) {
  const FilmSpec spec = film_spec(run);
  const double shrink = run.material_number(spec.material, "cure_shrinkage", 0.0);
  // A stack layer's thickness is the cured one; the liquid goes on thicker by the shrinkage.
  const Nm coat_nm = spec.layer ? static_cast<Nm>(std::llround(static_cast<double>(spec.thickness) / (1.0 - shrink)))
                                : spec.thickness;
  coat_film(run, Film{spec.name, spec.material, kind_of(run, spec), run.step.index}, coat_nm,
            run.fraction("planarization", 0.5), kLiquid, nullptr, spec.layer != nullptr);
}

void op_laminate(const StepRun& run) {
  const FilmSpec spec = film_spec(run);
  const bool pre_opened = run.step.flag("pre_opened").value_or(false);
  Region openings;
  if (pre_opened) {
    if (!spec.layer) run.fail("a pre-opened film needs `layer` (its openings are the layer's)", "pre_opened");
    const int index = run.context.layout.layer_index("OPEN_" + spec.layer->name);
    if (index < 0) run.fail(fmt::format("layer '{}' has no openings in the layout", spec.layer->name), "pre_opened");
    openings = run.context.layout.flat(index);
  }
  coat_film(run, Film{spec.name, spec.material, kind_of(run, spec), run.step.index}, spec.thickness,
            run.fraction("planarization", 0.9), 0, pre_opened ? &openings : nullptr, spec.layer != nullptr);
  if (pre_opened) run.did(fmt::format("the film came with {} openings made before lamination", openings.size()));
  if (!run.step.flag("vacuum").value_or(false)) run.did("laminated at atmospheric pressure");
}

void op_cure(const StepRun& run) {
  const double temperature_K = *run.number("temperature");
  decompose_films(run, temperature_K);
  std::set<FilmIndex> targets;
  if (const auto layer = run.step.text("layer")) {
    for (FilmIndex film : run.model.films_named(*layer)) targets.insert(film);
    if (targets.empty()) run.fail(fmt::format("layer '{}' is not on the wafer yet", *layer), "layer");
  }
  const int cured = cure_intervals(run, [&](const Interval& p) {
    if (!targets.empty() && targets.count(p.film) == 0) return false;
    if (is_solder_paste(run, p)) return false;  // solder paste only melts in reflow
    return p.has(kLiquid) || p.has(kPaste);
  });
  if (cured == 0) run.did(fmt::format("held at {} (nothing liquid or uncured on the wafer)", celsius(temperature_K)));
}

void op_anneal(const StepRun& run) {
  const double temperature_K = *run.number("temperature");
  decompose_films(run, temperature_K);
  // Heat turns every liquid film solid (seed 000 claim 4: the anneal that burns out the
  // pillar also converts the liquid glass into glass).
  const int cured = cure_intervals(run, [&](const Interval& p) { return p.has(kLiquid); });
  if (cured == 0) run.did(fmt::format("annealed at {}", celsius(temperature_K)));
}

void op_decompose(const StepRun& run) {
  const double temperature_K = *run.number("temperature");
  const std::string layer = run.text("layer");
  const auto films = run.model.films_named(layer);
  if (films.empty()) run.fail(fmt::format("layer '{}' is not on the wafer", layer), "layer");
  const Film& f = run.model.film(films.back());
  const double decomposes_K = run.decomposition_K(run.model.material_index(f.material));
  if (!(decomposes_K < temperature_K))
    run.fail(fmt::format("layer '{}' ({}) decomposes at {}, above the {} of this step", layer, f.material,
                         celsius(decomposes_K), celsius(temperature_K)),
             "temperature");
  decompose_films(run, temperature_K);
  cure_intervals(run, [&](const Interval& p) { return p.has(kLiquid); });
}

}  // namespace wlp::process
