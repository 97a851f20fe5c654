// Paste printing: doctor blade over a cover with openings, screen / stencil / dispense through
// a mask's apertures.
#include <algorithm>
#include <map>

#include "process/step_run.h"

namespace wlp::process {

void op_print(const StepRun& run) {
  WaferModel& model = run.model;
  const std::string material = run.text("material");
  const MaterialIndex m = model.material_index(material);
  const Nm level = model.highest_top() + run.length_nm("thickness").value_or(0);
  Region where;
  if (const auto mask = run.step.text("mask")) {
    where = layout::region_and(run.context.mask_drawn(*mask, run.step), model.window_region());
  } else {
    // Doctor blade: the blade rides on the cover (the film on top over most of the window) and
    // wipes it clean, following its gentle topography; the paste stays in the cover's openings,
    // filled up to the highest surface (flush with the free end, seed 001 claim 3).
    std::map<FilmIndex, double> top_area_um2;
    for (const Cell& cell : model.cells()) {
      const Stack& s = model.stack(cell.stack);
      if (!s.empty()) top_area_um2[s.back().film] += layout::disjoint_area_um2(cell.region);
    }
    const auto cover = std::max_element(top_area_um2.begin(), top_area_um2.end(),
                                        [](const auto& a, const auto& b) { return a.second < b.second; });
    where = model.region_where([&](const Stack& s) {
      return stack_top(s) < level && (s.empty() || cover == top_area_um2.end() || s.back().film != cover->first);
    });
  }
  const FilmIndex film = model.add_film(Film{run.step.name, material, FilmKind::Paste, run.step.index});
  model.edit_inside(where, [&](const Stack& s) { return with_filled_to(s, level, m, film, kPaste); });
  const double volume_m3 = model.film_volumes_m3()[film];
  if (volume_m3 <= 0)
    run.fail(fmt::format("nothing to fill: no opening lies below the {} surface at z = {}", run.text("method"), um(level)));
  run.did(fmt::format("{} printed {} paste up to z = {} in {} openings: {:.4g} um3", run.text("method"), material,
                      um(level), where.size(), volume_m3 * 1e18));
  run.report.numbers["paste_volume_m3"] = volume_m3;
}

}  // namespace wlp::process
