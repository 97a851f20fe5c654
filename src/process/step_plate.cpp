// Additive steps: electroplating (through a resist pattern, bottom-up from the seed, with
// overplating mushrooms; or blanket damascene fill), wire-bonded stud bumps, columns fixed with
// conductive adhesive, and vacuum-laminated metal foil.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "process/step_run.h"

namespace wlp::process {

namespace {

Point region_centre(const Region& region) {
  const Box box = layout::bounding_box(region);
  return Point{(box.lo.x + box.hi.x) / 2, (box.lo.y + box.hi.y) / 2};
}

/// The seed must reach every opening: next to each opening, under the resist, there must be
/// metal, or the plating current cannot reach it (a seed etched or never deposited there).
void check_seed_continuous(const StepRun& run, const Region& openings) {
  const BoxedRegion seeded_under_resist(run.model.region_where([&](const Stack& s) {
    if (s.empty() || !run.is_resist(s.back())) return false;
    return std::any_of(s.begin(), s.end(), [&](const Interval& p) { return run.is_conductive(p.material); });
  }));
  const Nm reach = std::max<Nm>(run.context.resolution, 1000);
  const BoxedRegion resist_top(
      run.model.region_where([&](const Stack& s) { return !s.empty() && run.is_resist(s.back()); }));
  for (const layout::Polygon& opening : openings) {
    // Only the cells near the opening take part (a die-wide resist is one polygon per cell).
    const Region ring = layout::region_not(layout::sized(Region{opening}, reach), Region{opening});
    const Box near = layout::bounding_box(ring);
    const Region resisted = layout::region_and(ring, resist_top.near(near));
    if (resisted.empty() || !layout::region_and(resisted, seeded_under_resist.near(near)).empty()) continue;
    run.fail(fmt::format("the plating seed is not continuous: the opening at {} has no metal under the resist around "
                         "it, so the plating current cannot reach it",
                         layout::to_string(region_centre(Region{opening}))),
             "mask");
  }
}

/// Whether the column's surface is a non-conductive material the metal cannot grow on: the
/// resist, or a dielectric standing in an opening (seed 003 FIG 3: the resin collar).
bool insulating_top(const StepRun& run, const Stack& s) {
  const Interval* top = top_interval(s);
  return top && (run.is_resist(*top) || !run.is_conductive(top->material));
}

/// Metal plated higher than the resist (or than a dielectric standing in its opening) spreads
/// over it (a mushroom): a quarter-round cap drawn in four rings, as wide as the overgrowth is
/// high.
void overplate(const StepRun& run, const Region& openings, MaterialIndex m, FilmIndex film) {
  WaferModel& model = run.model;
  Nm resist_top = std::numeric_limits<Nm>::max();
  for (const Cell& cell : model.cells()) {
    const Stack& s = model.stack(cell.stack);
    if (insulating_top(run, s)) resist_top = std::min(resist_top, s.back().z_top);
  }
  if (resist_top == std::numeric_limits<Nm>::max()) return;
  std::set<Nm> plated_tops;
  for (const Cell& cell : model.cells()) {
    const Stack& s = model.stack(cell.stack);
    if (!s.empty() && s.back().film == film && s.back().z_top > resist_top) plated_tops.insert(s.back().z_top);
  }
  constexpr int kRings = 4;
  for (Nm top : plated_tops) {
    const Region source = layout::region_and(
        openings, model.region_where([&](const Stack& s) { return !s.empty() && s.back().film == film && s.back().z_top == top; }));
    const Nm excess = top - resist_top;
    Region inner = source;
    for (int j = 1; j <= kRings; ++j) {
      const Region outer = layout::sized(source, excess * j / kRings);
      const Region ring = layout::region_not(outer, inner);
      inner = outer;
      const double u = (j - 0.5) / kRings;
      const Nm cap_top = resist_top + static_cast<Nm>(std::llround(static_cast<double>(excess) * std::sqrt(1.0 - u * u)));
      model.edit_inside(ring, [&](const Stack& s) {
        if (!insulating_top(run, s)) return s;
        return with_filled_to(s, cap_top, m, film);
      });
    }
    run.did(fmt::format("overplated {} above the resist: mushroom caps {} wide over the resist", um(excess), um(excess)));
  }
}

/// Every resist opening must show the seed. A dielectric may stand in an opening above the seed
/// (seed 003 FIG 3: the resist opening clears the resin collar, the post grows in its hole): the
/// metal grows beside it. A bare bottom not above every seeded surface of its opening is where
/// the seed is missing (never deposited, or etched away).
void check_opening_bottoms(const StepRun& run, const Region& openings, const std::function<bool(const Stack&)>& seeded) {
  WaferModel& model = run.model;
  const Region bare_area = model.region_where([&](const Stack& s) {
    const Interval* top = top_interval(s);
    return top && !run.is_resist(*top) && !run.is_conductive(top->material);
  });
  int standing = 0;  // openings holding a dielectric above their seed
  double standing_um2 = 0;
  Nm lowest_step = std::numeric_limits<Nm>::max();
  for (const layout::Polygon& opening : openings) {
    const Region one{opening};
    const Region bare = layout::region_and(one, bare_area);
    if (bare.empty()) continue;
    Nm seed_top = std::numeric_limits<Nm>::min(), bare_bottom = std::numeric_limits<Nm>::max();
    MaterialIndex bare_material = 0;
    const Box box = layout::bounding_box(one);
    for (const Cell& cell : model.cells()) {
      const Stack& s = model.stack(cell.stack);
      if (s.empty()) continue;
      const Box cell_box = layout::bounding_box(cell.region);
      if (cell_box.hi.x <= box.lo.x || cell_box.lo.x >= box.hi.x || cell_box.hi.y <= box.lo.y || cell_box.lo.y >= box.hi.y)
        continue;
      if (layout::region_and(cell.region, one).empty()) continue;
      if (seeded(s)) seed_top = std::max(seed_top, s.back().z_top);
      else if (!run.is_resist(s.back()) && s.back().z_top < bare_bottom) {
        bare_bottom = s.back().z_top;
        bare_material = s.back().material;
      }
    }
    if (seed_top != std::numeric_limits<Nm>::min() && bare_bottom > seed_top) {
      ++standing;
      standing_um2 += layout::area_um2(bare);
      lowest_step = std::min(lowest_step, bare_bottom - seed_top);
      continue;
    }
    run.fail(fmt::format("no seed under the resist opening at {}: its bottom is {} ({:.4g} um2 without metal)",
                         layout::to_string(region_centre(one)), model.material_id(bare_material), layout::area_um2(bare)),
             "mask");
  }
  if (standing > 0)
    run.did(fmt::format("{} openings hold {:.4g} um2 of dielectric standing at least {} above their seed: the metal "
                        "grows beside it",
                        standing, standing_um2, um(lowest_step)));
}

Region site_discs(const StepRun& run, Nm diameter) {
  Region discs;
  for (const auto& [centre, name] : run.context.sites())
    discs.push_back(layout::circle(centre, diameter / 2, std::max<Nm>(run.context.resolution / 4, 10)));
  return layout::region_and(layout::merged(discs), run.model.window_region());
}

/// Sites inside the window whose surface at the centre is not metal, as "A1 (polyimide)".
std::string non_metal_sites(const StepRun& run) {
  for (const auto& [centre, name] : run.context.sites()) {
    if (!run.model.window().contains(centre)) continue;
    const Interval* top = top_interval(run.model.stack_at(centre));
    if (!top || !run.is_conductive(top->material))
      return fmt::format("{} ({})", name, top ? run.model.material_id(top->material) : "nothing");
  }
  return "";
}

int tier_number(const WaferModel& model) {
  int sections = 0;
  for (std::size_t i = 0; i < model.film_count(); ++i)
    if (model.film(static_cast<FilmIndex>(i)).kind == FilmKind::Section) ++sections;
  return sections;
}

std::string section_name(const StepRun& run, const std::string& fallback) {
  const auto* s4 = std::get_if<design::EmbeddedSection>(&run.context.design.interconnect);
  const int tier = tier_number(run.model);
  if (s4 && tier < static_cast<int>(s4->tiers.size())) return s4->tiers[static_cast<std::size_t>(tier)].name;
  return fallback;
}

}  // namespace

void op_electroplate(const StepRun& run) {
  WaferModel& model = run.model;
  const std::string material = run.text("material");
  const Nm thickness = run.required_length_nm("thickness");
  const MaterialIndex m = model.material_index(material);
  const auto mask = run.step.text("mask");
  if (!mask) {
    // Blanket (damascene) plating: metal grows from the seed on every surface and fills the
    // cavities narrower than twice the thickness.
    // The bare surface, named by the material showing over most of it (a point of the region
    // may fall in one of its holes).
    std::map<std::string, double> bare_um2;
    const Cell* largest = nullptr;
    double largest_um2 = 0;
    for (const Cell& cell : model.cells()) {
      const Interval* top = top_interval(model.stack(cell.stack));
      if (top && run.is_conductive(top->material)) continue;
      const double area_um2 = layout::disjoint_area_um2(cell.region);
      bare_um2[top ? model.material_id(top->material) : "nothing"] += area_um2;
      if (area_um2 > largest_um2) largest_um2 = area_um2, largest = &cell;
    }
    if (largest) {
      const auto most = std::max_element(bare_um2.begin(), bare_um2.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
      double total_um2 = 0;
      for (const auto& [name, area_um2] : bare_um2) total_um2 += area_um2;
      run.fail(fmt::format("blanket plating needs a seed on every surface, but {:.4g} um2 show no metal, most of it {} "
                           "({:.4g} um2, e.g. the cell around {})",
                           total_um2, most->first, most->second,
                           layout::to_string(region_centre(largest->region))));
    }
    const FilmIndex film = model.add_film(Film{run.step.name, material, FilmKind::Metal, run.step.index});
    grow_film(model, thickness, thickness, m, film);
    run.did(fmt::format("plated {} of {} over the whole seed, filling recesses up to {} wide", um(thickness), material,
                        um(2 * thickness)));
    return;
  }
  if (!has_resist(model))
    run.fail(fmt::format("plating through mask '{}' needs a resist pattern on the wafer", *mask), "mask");
  const Region openings = layout::merged(model.region_where([&](const Stack& s) {
    const Interval* top = top_interval(s);
    return top && !run.is_resist(*top);
  }));
  auto seeded = [&](const Stack& s) {
    const Interval* top = top_interval(s);
    return top && !run.is_resist(*top) && run.is_conductive(top->material);
  };
  const Region seeded_area = layout::region_and(openings, model.region_where(seeded));
  check_opening_bottoms(run, openings, seeded);
  check_seed_continuous(run, openings);
  const FilmIndex film = model.add_film(Film{run.step.name, material, FilmKind::Metal, run.step.index});
  // Metal grows only where the opening shows metal (not on a dielectric standing in it).
  model.edit_inside(openings, [&](const Stack& s) { return seeded(s) ? with_on_top(s, thickness, m, film) : s; });
  const double area_um2 = layout::area_um2(seeded_area);
  run.did(fmt::format("plated {} of {} bottom-up in {} openings ({:.4g} um2, {:.4g} um3)", um(thickness), material,
                      openings.size(), area_um2, area_um2 * layout::to_um(thickness)));
  run.report.numbers["plated_volume_m3"] = area_um2 * 1e-12 * layout::to_m(thickness);
  overplate(run, openings, m, film);
}

void op_stud_bump(const StepRun& run) {
  WaferModel& model = run.model;
  const std::string material = run.text("material");
  const Nm diameter = run.required_length_nm("diameter"), height = run.required_length_nm("height");
  if (const std::string bad = non_metal_sites(run); !bad.empty())
    run.fail(fmt::format("a stud bump must be bonded to metal, but site {} shows no metal", bad));
  const Region discs = site_discs(run, diameter);
  const MaterialIndex m = model.material_index(material);
  const FilmIndex film = model.add_film(Film{section_name(run, run.step.name), material, FilmKind::Section, run.step.index});
  model.edit_inside(discs, [&](const Stack& s) { return with_on_top(s, height, m, film); });
  run.did(fmt::format("wire-bonded {} stud bumps {} across, {} high, on {} sites", material, um(diameter), um(height),
                      discs.size()));
}

void op_attach_column(const StepRun& run) {
  WaferModel& model = run.model;
  const std::string material = run.text("material"), adhesive = run.text("adhesive");
  const Nm diameter = run.required_length_nm("diameter"), height = run.required_length_nm("height");
  Nm glue = 10'000;
  if (const auto* s4 = std::get_if<design::EmbeddedSection>(&run.context.design.interconnect))
    if (s4->column_adhesive_thickness_m > 0) glue = layout::to_nm(s4->column_adhesive_thickness_m);
  if (const std::string bad = non_metal_sites(run); !bad.empty())
    run.fail(fmt::format("a column must be fixed on a metal land, but site {} shows no metal", bad));
  const Region discs = site_discs(run, diameter);
  const FilmIndex glue_film = model.add_film(Film{"column adhesive", adhesive, FilmKind::Paste, run.step.index});
  const FilmIndex column = model.add_film(Film{section_name(run, run.step.name), material, FilmKind::Section, run.step.index});
  const MaterialIndex gm = model.material_index(adhesive), cm = model.material_index(material);
  model.edit_inside(discs, [&](const Stack& s) {
    return with_on_top(with_on_top(s, glue, gm, glue_film, kPaste), height, cm, column);
  });
  run.did(fmt::format("fixed {} columns {} x {} on {} lands with {} of {}", material, um(diameter), um(height),
                      discs.size(), um(glue), adhesive));
}

void op_foil_laminate(const StepRun& run) {
  WaferModel& model = run.model;
  const std::string material = run.text("material"), adhesive = run.text("adhesive");
  const Nm foil = run.required_length_nm("thickness");
  Nm glue = 5'000;
  Nm post_diameter = 0;
  if (const auto* s3 = std::get_if<design::PostUbmResin>(&run.context.design.interconnect)) {
    if (s3->adhesive_thickness_m > 0) glue = layout::to_nm(s3->adhesive_thickness_m);
    post_diameter = layout::to_nm(s3->post_diameter_m);
  }
  // The adhesive is printed on the foil so that it avoids the post tops (seed 003 claim 21).
  const Region posts = post_diameter > 0 ? site_discs(run, post_diameter) : Region{};
  const FilmIndex glue_film = model.add_film(Film{"foil adhesive", adhesive, FilmKind::Layer, run.step.index});
  const MaterialIndex gm = model.material_index(adhesive), fm = model.material_index(material);
  model.edit_inside(layout::region_not(model.window_region(), posts),
                    [&](const Stack& s) { return with_on_top(s, glue, gm, glue_film); });
  const FilmIndex foil_film = model.add_film(Film{run.step.name, material, FilmKind::Metal, run.step.index});
  if (run.step.flag("vacuum").value_or(false)) {
    // Laminated in vacuum and vented: atmospheric pressure presses the foil onto the posts.
    grow_film(model, foil, foil, fm, foil_film);
    run.did(fmt::format("laminated {} {} foil in vacuum on {} of {}; venting pressed it onto {} post tops", um(foil),
                        material, um(glue), adhesive, posts.size()));
  } else {
    const Nm level = model.highest_top();
    model.edit([&](const Stack& s) {
      Stack out = s;
      out.push_back(Interval{level, level + foil, fm, foil_film, 0});
      return out;
    });
    run.did(fmt::format("laminated {} {} foil at atmospheric pressure: air stays trapped over the post tops", um(foil),
                        material));
  }
}

}  // namespace wlp::process
