// Removal steps: etch (directional or isotropic with undercut, masked by resist or by other
// materials, stopping on a material), polish / grind to a height or until a material shows,
// clean, and dicing.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "process/step_run.h"

namespace wlp::process {

namespace {

using IntervalTest = std::function<bool(const Interval&)>;

/// The etch target: a stack layer's films, or every non-resist film of a material.
IntervalTest target_test(const StepRun& run, std::string* described) {
  const std::string target = run.text("target");
  if (run.context.design.layer_named(target)) {
    std::set<FilmIndex> films;
    for (FilmIndex f : run.model.films_named(target)) films.insert(f);
    if (films.empty()) run.fail(fmt::format("layer '{}' is not on the wafer", target), "target");
    *described = fmt::format("layer '{}'", target);
    return [films](const Interval& p) { return films.count(p.film) != 0; };
  }
  if (!run.material(target)) run.fail(fmt::format("'{}' is neither a stack layer nor a material", target), "target");
  const MaterialIndex m = run.model.material_index(target);
  *described = target;
  return [&run, m](const Interval& p) { return p.material == m && !run.is_resist(p); };
}

/// A photosensitive layer patterned on the wafer can serve as the etch mask (seed 002).
bool has_developed_layer(const WaferModel& model) {
  for (std::size_t i = 0; i < model.film_count(); ++i) {
    const Film& f = model.film(static_cast<FilmIndex>(i));
    if (f.kind == FilmKind::Layer && f.developed) return true;
  }
  return false;
}

/// Why no resist pattern of `mask` can be on the wafer at this step, or "" when one can be: the
/// mask was never patterned before, or a strip removed that resist since. (A window may hold
/// none of the pattern's resist, a unit cell away from the pads: the recipe decides, not the
/// window.)
std::string missing_pattern(const StepRun& run, const std::string& mask) {
  const auto& steps = run.context.design.recipe.steps;
  const design::Step* patterned = nullptr;
  const design::Step* stripped = nullptr;
  std::string resist;                  // the patterned resist's material; empty for a photosensitive layer
  std::string coated = "photoresist";  // the material of the last resist_coat
  for (int i = 0; i + 1 < run.step.index && i < static_cast<int>(steps.size()); ++i) {
    const design::Step& s = steps[static_cast<std::size_t>(i)];
    if (s.op == "resist_coat") coated = s.text("resist").value_or("photoresist");
    if ((s.op == "lithography" || s.op == "expose" || s.op == "expose_develop") && s.text("mask") == mask) {
      patterned = &s;
      stripped = nullptr;
      resist = s.op == "lithography" ? s.text("resist").value_or("photoresist") : s.op == "expose" ? coated : "";
    }
    if (s.op == "strip" && patterned && !resist.empty() && s.text("resist").value_or(resist) == resist) stripped = &s;
  }
  if (!patterned) return "pattern a resist with that mask first";
  if (stripped)
    return fmt::format("{} stripped the {} that {} patterned", stripped->label(), resist, patterned->label());
  return "";
}

struct EtchOutcome {
  Nm removed_lo = std::numeric_limits<Nm>::max(), removed_hi = std::numeric_limits<Nm>::min();
  std::string wrong_stop;  // "Ti at z = 1.100 um": the first place it stopped on another material
  bool stopped_on_stop = false;
};

/// Etches one column from its surface down: only while the exposed material is the target.
Stack etch_column(const StepRun& run, const Stack& s, const IntervalTest& is_target, Nm depth, double over_loss,
                  std::optional<MaterialIndex> stop_on, EtchOutcome& outcome) {
  Stack out = s;
  Nm remaining = depth;
  bool cleared = false;
  Nm cleared_at = 0;
  while (!out.empty() && is_target(out.back()) && remaining > 0) {
    Interval& top = out.back();
    const Nm take = std::min(remaining, top.thickness());
    outcome.removed_lo = std::min(outcome.removed_lo, top.z_top - take);
    outcome.removed_hi = std::max(outcome.removed_hi, top.z_top);
    remaining -= take;
    top.z_top -= take;
    if (top.z_top > top.z_bottom) break;
    const Nm bottom = top.z_bottom;
    out.pop_back();
    cleared = true;
    cleared_at = bottom;
    if (out.empty() || out.back().z_top != bottom) break;  // a void below: the etch stops there
  }
  if (!cleared || out.empty() || is_target(out.back())) return out;
  if (stop_on && out.back().material == *stop_on) outcome.stopped_on_stop = true;
  if (stop_on && out.back().material != *stop_on && outcome.wrong_stop.empty())
    outcome.wrong_stop = fmt::format("{} at z = {}", run.model.material_id(out.back().material), um(cleared_at));
  if (over_loss > 0 && !run.is_resist(out.back())) {
    Interval& below = out.back();
    below.z_top = std::max(below.z_bottom, below.z_top - static_cast<Nm>(std::llround(over_loss)));
    if (below.z_top == below.z_bottom) out.pop_back();
  }
  return out;
}

/// Every resist opening must expose the target somewhere, or the mask missed it. An opening
/// that misses is a connected piece of open surface not showing the target that touches no
/// column showing it: only that surface is merged, not every opening of the die.
void check_openings_hit_target(const StepRun& run, const Region& exposed_target,
                               const std::function<bool(const Stack&)>& shows_target, const std::string& target) {
  const Region missing = layout::merged(run.model.region_where([&](const Stack& s) {
    const Interval* top = top_interval(s);
    return top && !run.is_resist(*top) && !shows_target(s);
  }));
  if (missing.empty()) return;
  const BoxedRegion showing(exposed_target);
  for (const layout::Polygon& opening : missing) {
    const Region grown = layout::sized(Region{opening}, 1);
    if (!layout::region_and(grown, showing.near(layout::bounding_box(grown))).empty()) continue;
    const Box box = layout::bounding_box(opening.outer);
    const Point centre{(box.lo.x + box.hi.x) / 2, (box.lo.y + box.hi.y) / 2};
    const Interval* top = top_interval(run.model.stack_at(centre));
    run.fail(fmt::format("mask '{}' misses its target: the opening at {} ({:.1f} x {:.1f} um) lands on {}, not on {}",
                         run.text("mask"), layout::to_string(centre), layout::to_um(box.width()),
                         layout::to_um(box.height()), top ? run.model.material_id(top->material) : "nothing", target),
             "mask");
  }
}

/// Isotropic etches reach under the mask edge: the target within `undercut` of the columns
/// `source` goes too, over the height range [z_lo, z_hi] etched in them. Runs before the etch
/// itself: the columns it will etch (`etched`: their target is exposed) are left alone, by
/// their column, with no geometry.
void undercut_target(const StepRun& run, const Region& source, const std::function<bool(const Stack&)>& etched,
                     Nm undercut, const IntervalTest& is_target, Nm z_lo, Nm z_hi) {
  auto cut_range = [&](const Stack& s) {
    if (etched(s)) return s;
    Stack out;
    for (const Interval& piece : s) {
      if (!is_target(piece) || piece.z_top <= z_lo || piece.z_bottom >= z_hi) {
        out.push_back(piece);
        continue;
      }
      if (piece.z_bottom < z_lo) out.push_back(Interval{piece.z_bottom, z_lo, piece.material, piece.film, piece.flags});
      if (piece.z_top > z_hi) out.push_back(Interval{z_hi, piece.z_top, piece.material, piece.film, piece.flags});
    }
    return out;
  };
  // Tile by tile, from the sources near each tile only.
  const BoxedRegion sources(source);
  run.model.edit_tiles([&](const Box& tile) -> std::vector<WaferModel::EditZone> {
    const Region near = sources.near(grown_box(tile, undercut));
    if (near.empty()) return {};
    Region reach = layout::region_and(layout::sized(near, undercut), Region{layout::box_polygon(tile)});
    if (reach.empty()) return {};
    return {WaferModel::EditZone{std::move(reach), cut_range}};
  });
}

}  // namespace

void op_etch(const StepRun& run) {
  WaferModel& model = run.model;
  std::string target;
  const IntervalTest is_target = target_test(run, &target);
  const auto mask = run.step.text("mask");
  if (mask && !has_resist(model) && !has_developed_layer(model)) {
    if (const std::string why = missing_pattern(run, *mask); !why.empty())
      run.fail(fmt::format("the etch goes through mask '{}' but no resist pattern is on the wafer ({})", *mask, why),
               "mask");
  }
  auto target_exposed = [&](const Stack& s) { return !s.empty() && is_target(s.back()); };
  const Region exposed = model.region_where(target_exposed);
  if (exposed.empty()) {
    // Through a mask, a window without an opening (a unit cell away from the pads) has its
    // target under resist everywhere: nothing to do here. Openings that show only other
    // materials missed the target. Otherwise the target is missing.
    const bool covered = mask && !model.region_where([&](const Stack& s) {
                                        return std::any_of(s.begin(), s.end(), is_target);
                                      }).empty();
    if (!covered) run.fail(fmt::format("nothing to etch: {} is not exposed anywhere", target), "target");
    if (has_resist(model)) check_openings_hit_target(run, exposed, target_exposed, target);
    run.warn(fmt::format("mask '{}' opens nothing over {} in this window: nothing etched", *mask, target));
    return;
  }
  std::optional<MaterialIndex> stop_on;
  if (const auto stop = run.step.text("stop_on")) {
    if (!run.material(*stop)) run.fail(fmt::format("unknown stop material '{}'", *stop), "stop_on");
    stop_on = model.material_index(*stop);
    const Region with_stop = model.region_where([&](const Stack& s) {
      return std::any_of(s.begin(), s.end(), [&](const Interval& p) { return p.material == *stop_on; });
    });
    if (with_stop.empty()) run.fail(fmt::format("the stop material {} is absent from the wafer", *stop), "stop_on");
  }
  if (mask && has_resist(model)) check_openings_hit_target(run, exposed, target_exposed, target);

  Nm depth = run.length_nm("depth").value_or(std::numeric_limits<Nm>::max() / 4);
  if (!mask && stop_on && !run.step.has("depth")) {
    // An unmasked etch with a stop material is an etch-back: it ends when the stop material
    // shows (end-point detection), not when the target is gone everywhere.
    Nm stop_top = std::numeric_limits<Nm>::min();
    for (const Cell& cell : model.cells())
      for (const Interval& p : model.stack(cell.stack))
        if (p.material == *stop_on) stop_top = std::max(stop_top, p.z_top);
    depth = std::max<Nm>(model.highest_top() - stop_top, 1);
    run.did(fmt::format("etch-back until {} shows: {} from the highest surface", model.material_id(*stop_on), um(depth)));
  }
  const double over_etch = run.fraction("over_etch", 0.0);
  const double selectivity = run.number("selectivity").value_or(std::numeric_limits<double>::infinity());
  EtchOutcome outcome;
  const double over_loss_nm =
      std::isfinite(selectivity) && run.step.has("depth") ? over_etch * static_cast<double>(depth) / selectivity : 0.0;
  // The heights each exposed column loses, grouped, before the etch changes them: an isotropic
  // etch undercuts next to a column only at the heights it etched there and about as far as it
  // etched down (a 0.3 um seed etch undercuts 0.3 um, not the height difference between the
  // seed in the field and the seed on a 50 um post).
  const bool isotropic = run.step.flag("isotropic").value_or(run.text("method") == "wet");
  const auto undercut_param = run.length_nm("undercut");
  std::map<std::pair<Nm, Nm>, Region> etched_by_range;
  if (isotropic || undercut_param) {
    std::map<StackId, std::pair<Nm, Nm>> range_of_stack;
    for (const Cell& cell : model.cells()) {
      const Stack& s = model.stack(cell.stack);
      if (!target_exposed(s)) continue;
      auto known = range_of_stack.find(cell.stack);
      if (known == range_of_stack.end()) {
        EtchOutcome column;
        etch_column(run, s, is_target, depth, over_loss_nm, stop_on, column);
        known = range_of_stack.emplace(cell.stack, std::pair{column.removed_lo, column.removed_hi}).first;
      }
      if (known->second.first < known->second.second) layout::append(etched_by_range[known->second], cell.region);
    }
  }
  Nm widest = 0;
  for (const auto& [range, source] : etched_by_range) {
    const Nm undercut = undercut_param.value_or(isotropic ? range.second - range.first : 0);
    if (undercut <= 0) continue;
    undercut_target(run, source, target_exposed, undercut, is_target, range.first, range.second);
    widest = std::max(widest, undercut);
  }
  model.edit_where(target_exposed, [&](const Stack& s) {
    return etch_column(run, s, is_target, depth, over_loss_nm, stop_on, outcome);
  });
  if (stop_on && !outcome.stopped_on_stop && !outcome.wrong_stop.empty())
    run.fail(fmt::format("the etch through {} should stop on {} but reached {}", target,
                         model.material_id(*stop_on), outcome.wrong_stop),
             "stop_on");
  const double area_um2 = layout::disjoint_area_um2(exposed);
  run.did(fmt::format("{} etch of {}{}: {:.4g} um2 exposed, removed between z = {} and {}", run.text("method"), target,
                      run.step.has("depth") ? " to " + um(depth) : std::string(" through"), area_um2,
                      um(outcome.removed_lo), um(outcome.removed_hi)));
  if (widest > 0)
    run.did(fmt::format("isotropic: undercut up to {} under the mask edges, at the heights etched next to them", um(widest)));
  run.report.numbers["etched_area_m2"] = area_um2 * 1e-12;
}

namespace {

/// The film a polish works on: the named layer, else the film covering most of the window.
std::set<FilmIndex> polished_films(const StepRun& run) {
  std::set<FilmIndex> films;
  if (const auto layer = run.step.text("layer")) {
    for (FilmIndex f : run.model.films_named(*layer)) films.insert(f);
    if (films.empty()) run.fail(fmt::format("layer '{}' is not on the wafer", *layer), "layer");
    return films;
  }
  double best = -1;
  FilmIndex best_film = 0;
  std::map<FilmIndex, double> area;
  for (const Cell& cell : run.model.cells()) {
    const Stack& s = run.model.stack(cell.stack);
    if (s.empty()) continue;
    area[s.back().film] += layout::area_um2(cell.region);
  }
  for (const auto& [film, a] : area)
    if (a > best) best = a, best_film = film;
  films.insert(best_film);
  return films;
}

Nm stop_level(const StepRun& run, const std::string& stop) {
  std::set<FilmIndex> films;
  for (FilmIndex f : run.model.films_named(stop)) films.insert(f);
  std::optional<MaterialIndex> material;
  if (films.empty()) {
    if (!run.material(stop)) run.fail(fmt::format("'{}' is neither a stack layer nor a material", stop), "stop_on");
    material = run.model.material_index(stop);
  }
  // CMP stops when the stop layer shows in the field: the top of the stop layer over the
  // largest area. Where the stop layer stands higher (glass over a buried pad) the pad cuts it
  // down to the field; where it lies lower (a recess, a via) the metal in it stays.
  std::map<Nm, double> area_at_top_um2;
  for (const Cell& cell : run.model.cells()) {
    Nm top = std::numeric_limits<Nm>::min();
    for (const Interval& p : run.model.stack(cell.stack))
      if (films.count(p.film) != 0 || (material && p.material == *material)) top = std::max(top, p.z_top);
    if (top != std::numeric_limits<Nm>::min()) area_at_top_um2[top] += layout::disjoint_area_um2(cell.region);
  }
  if (area_at_top_um2.empty())
    run.fail(fmt::format("the polish should stop on '{}', which is absent from the wafer", stop), "stop_on");
  const auto field = std::max_element(area_at_top_um2.begin(), area_at_top_um2.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
  return field->first;
}

/// Every embedded section (stud, column) must come out at the polished surface.
void check_sections_exposed(const StepRun& run, Nm cut) {
  for (const auto& [centre, name] : run.context.sites()) {
    if (!run.model.window().contains(centre)) continue;
    const Stack& s = run.model.stack_at(centre);
    const Interval* section = nullptr;
    for (const Interval& p : s)
      if (run.model.film(p.film).kind == FilmKind::Section) section = &p;
    if (!section || s.back().film == section->film) continue;
    run.fail(fmt::format("the polish plane z = {} leaves the {} at site {} buried: its top is at z = {}, {} below the "
                         "surface",
                         um(cut), run.model.film(section->film).name, name, um(section->z_top),
                         um(s.back().z_top - section->z_top)),
             run.step.has("thickness") ? "thickness" : "stop_on");
  }
}

}  // namespace

void op_polish(const StepRun& run) {
  WaferModel& model = run.model;
  Nm cut = 0;
  if (const auto stop = run.step.text("stop_on")) {
    cut = stop_level(run, *stop);
  } else {
    // The thickness left is measured in the field: from the layer's bottom over the largest
    // area (over the bare dielectric, not over lines or pads; cells of all tiles summed).
    const std::set<FilmIndex> films = polished_films(run);
    std::map<Nm, double> area_at_bottom_um2;
    for (const Cell& cell : model.cells())
      for (const Interval& p : model.stack(cell.stack))
        if (films.count(p.film) != 0) {
          area_at_bottom_um2[p.z_bottom] += layout::disjoint_area_um2(cell.region);
          break;
        }
    if (area_at_bottom_um2.empty()) run.fail("the layer to polish is not on the wafer");
    const auto field = std::max_element(area_at_bottom_um2.begin(), area_at_bottom_um2.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
    cut = field->first + run.required_length_nm("thickness");
  }
  const Nm highest = model.highest_top();
  if (cut >= highest) {
    run.warn(fmt::format("the polish plane z = {} is above the highest surface {}: nothing removed", um(cut), um(highest)));
    return;
  }
  const auto before = model.film_volumes_m3();
  model.edit([&](const Stack& s) { return cut_at(s, cut); });
  std::erase_if(model.bodies, [&](const SolderBody& b) { return b.z_base >= cut; });
  const auto after = model.film_volumes_m3();
  double removed_m3 = 0;
  for (std::size_t i = 0; i < before.size(); ++i) removed_m3 += before[i] - after[i];
  run.did(fmt::format("{} down to z = {} (removed {} from the highest point, {:.4g} um3)", run.text("method"), um(cut),
                      um(highest - cut), removed_m3 * 1e18));
  run.report.numbers["cut_z_m"] = layout::to_m(cut);
  check_sections_exposed(run, cut);
}

void op_clean(const StepRun& run) {
  run.did(fmt::format("{} clean: residues and native films removed; no change to the geometry", run.text("method")));
}

void op_dice(const StepRun& run) {
  const Nm street = run.required_length_nm("street_width");
  const Nm blade = run.length_nm("blade_thickness").value_or(street / 2);
  if (blade > street)
    run.fail(fmt::format("the blade ({}) is wider than the street ({}): it would cut into the die", um(blade), um(street)),
             "blade_thickness");
  const Box& die = run.context.layout.die;
  const Region die_region{layout::box_polygon(die)};
  const Region outer = layout::sized(die_region, street / 2 + blade / 2);
  const Region inner = layout::sized(die_region, street / 2 - blade / 2);
  const Region kerf = layout::region_and(layout::region_not(outer, inner), run.model.window_region());
  if (kerf.empty()) {
    run.did("the window holds no dicing street: nothing cut here");
    return;
  }
  run.model.edit_inside(kerf, [](const Stack&) { return Stack{}; });
  run.did(fmt::format("sawn through the wafer along the street: kerf {} wide, {} from the die edge", um(blade),
                      um(street / 2 - blade / 2)));
}

}  // namespace wlp::process
