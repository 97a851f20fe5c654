// Paste printing: doctor blade over a cover with openings, screen / stencil / dispense through
// a mask's apertures. Every opening fills up to the surface around it (its rim) plus the stencil
// thickness: the blade wipes the cover where it is, and a stencil or screen gaskets on the
// surface around each aperture, so the paste stands a stencil thickness above the local rim
// whatever the topography elsewhere in the window.
#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "process/step_run.h"

namespace wlp::process {

namespace {

/// How far around an opening the blade or the stencil rests on the surface (nm): wide enough to
/// reach past a mask's chord error and a sidewall film, narrow enough to stay on the rim's flat.
constexpr Nm kRimBand = 10'000;

/// The rim of an opening: the highest surface within kRimBand around it (the cover the blade
/// wipes, where a stencil rests). Falls back to `fallback` where the band holds no column (an
/// opening that fills the window).
Nm rim_top(const WaferModel& model, const layout::Polygon& opening, Nm fallback) {
  const Region piece{opening};
  const Region band = layout::region_not(layout::sized(piece, kRimBand), piece);
  const Box band_box = layout::bounding_box(band);
  Nm top = std::numeric_limits<Nm>::min();
  for (const Cell& cell : model.cells()) {
    if (!model.tiles()[static_cast<std::size_t>(cell.tile)].overlaps(band_box)) continue;
    if (!layout::bounding_box(cell.region).overlaps(band_box)) continue;
    const Nm cell_top = stack_top(model.stack(cell.stack));
    if (cell_top <= top || layout::region_and(cell.region, band).empty()) continue;
    top = cell_top;
  }
  return top == std::numeric_limits<Nm>::min() ? fallback : top;
}

/// Doctor blade: the openings of the cover (the film on top over most of the window). The blade
/// wipes the cover clean, so paste stays only where the cover is not on top.
Region cover_openings(const WaferModel& model) {
  std::map<FilmIndex, double> top_area_um2;
  for (const Cell& cell : model.cells()) {
    const Stack& s = model.stack(cell.stack);
    if (!s.empty()) top_area_um2[s.back().film] += layout::disjoint_area_um2(cell.region);
  }
  const auto cover = std::max_element(top_area_um2.begin(), top_area_um2.end(),
                                      [](const auto& a, const auto& b) { return a.second < b.second; });
  return model.region_where(
      [&](const Stack& s) { return s.empty() || cover == top_area_um2.end() || s.back().film != cover->first; });
}

}  // namespace

void op_print(const StepRun& run) {
  WaferModel& model = run.model;
  const std::string material = run.text("material");
  const MaterialIndex m = model.material_index(material);
  const Nm stencil = run.length_nm("thickness").value_or(0);
  const auto mask = run.step.text("mask");
  const Region openings = layout::merged(
      mask ? layout::region_and(run.context.mask_drawn(*mask, run.step), model.window_region()) : cover_openings(model));
  const FilmIndex film = model.add_film(Film{run.step.name, material, FilmKind::Paste, run.step.index});
  // Each opening fills to its own level (one pass over the model: the openings are disjoint).
  std::vector<WaferModel::EditZone> zones;
  Nm lowest = std::numeric_limits<Nm>::max(), highest = std::numeric_limits<Nm>::min();
  const Nm window_top = model.highest_top();
  for (const layout::Polygon& opening : openings) {
    const Nm level = rim_top(model, opening, window_top) + stencil;
    lowest = std::min(lowest, level), highest = std::max(highest, level);
    zones.push_back(WaferModel::EditZone{Region{opening}, [level, m, film](const Stack& s) {
                                           return with_filled_to(s, level, m, film, kPaste);
                                         }});
  }
  model.edit_zones(zones, &openings);
  const double volume_m3 = model.film_volumes_m3()[film];
  if (volume_m3 <= 0)
    run.fail(fmt::format("nothing to fill: no opening lies below the surface around it{}",
                         stencil > 0 ? fmt::format(" plus the {} stencil", um(stencil)) : ""));
  const std::string levels = lowest == highest ? fmt::format("z = {}", um(lowest))
                                               : fmt::format("z = {}..{}", um(lowest), um(highest));
  run.did(fmt::format("{} printed {} paste in {} openings, each up to its rim{}: {}, {:.4g} um3", run.text("method"),
                      material, openings.size(), stencil > 0 ? fmt::format(" + {} stencil", um(stencil)) : "", levels,
                      volume_m3 * 1e18));
  run.report.numbers["paste_volume_m3"] = volume_m3;
  run.report.numbers["paste_top_m"] = layout::to_m(highest);
}

}  // namespace wlp::process
