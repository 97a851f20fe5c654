// Lithography: resist coat, exposure through a mask (the reticle's clear and dark areas from
// the layout), development by tone, direct patterning of photosensitive layers, resist strip.
#include <algorithm>
#include <limits>
#include <set>

#include "process/step_run.h"

namespace wlp::process {

namespace {

/// Where the reticle lets light through: the drawn shapes on a dark field, everything else on
/// a clear field (layout/masks.cpp chose the field from the tone and what the step does).
Region transparent_area(const StepRun& run, const std::string& mask) {
  const layout::MaskUse* use = run.context.mask_use(mask);
  if (!use) run.fail(fmt::format("the layout has no mask '{}'", mask), "mask");
  const Region drawn = run.context.mask_drawn(mask, run.step);
  if (use->field == "clear") return layout::region_not(run.model.window_region(), drawn);
  return layout::region_and(drawn, run.model.window_region());
}

/// The newest resist film not yet developed, or none.
std::optional<FilmIndex> pending_resist(const WaferModel& model) {
  for (std::size_t i = model.film_count(); i-- > 0;) {
    const Film& f = model.film(static_cast<FilmIndex>(i));
    if (f.kind == FilmKind::Resist && !f.developed) return static_cast<FilmIndex>(i);
  }
  return std::nullopt;
}

bool film_on_wafer(const WaferModel& model, FilmIndex film) {
  for (const Cell& cell : model.cells())
    for (const Interval& piece : model.stack(cell.stack))
      if (piece.film == film) return true;
  return false;
}

void expose_film(const StepRun& run, FilmIndex film, const std::string& mask) {
  // The layout chose the reticle's field for one tone (the first step using the mask); a film
  // of the other tone would come out inverted (a mask shared by a positive and a negative step).
  const layout::MaskUse* use = run.context.mask_use(mask);
  const bool film_negative = run.model.film(film).negative_tone;
  if (use && (use->tone != "positive") != film_negative)
    run.fail(fmt::format("mask '{}' is drawn for a {} film ({} field), but '{}' is {}-acting: its pattern would come out "
                         "inverted (use one mask per tone)",
                         mask, use->tone, use->field, run.model.film(film).name, film_negative ? "negative" : "positive"),
             "mask");
  const Region light = transparent_area(run, mask);
  run.model.edit_inside(light, [&](const Stack& s) {
    Stack out = s;
    for (Interval& piece : out)
      if (piece.film == film) piece.flags = static_cast<std::uint8_t>(piece.flags | kExposed);
    return out;
  });
  run.did(fmt::format("exposed '{}' through mask '{}' ({} field): {:.4g} um2 lit", run.model.film(film).name, mask,
                      run.context.mask_use(mask)->field, layout::area_um2(light)));
}

/// Removes the developed part of a film: the exposed part (positive) or the rest (negative).
void develop_film(const StepRun& run, FilmIndex film) {
  WaferModel& model = run.model;
  const bool negative = model.film(film).negative_tone;
  model.edit([&](const Stack& s) {
    Stack out = without(s, [&](const Interval& p) { return p.film == film && (p.has(kExposed) != negative); });
    for (Interval& piece : out)
      if (piece.film == film) piece.flags = static_cast<std::uint8_t>(piece.flags & ~kExposed);
    return out;
  });
  model.film_for_update(film).developed = true;
  const Region left = model.region_where([&](const Stack& s) {
    return std::any_of(s.begin(), s.end(), [&](const Interval& p) { return p.film == film; });
  });
  const double window_um2 = layout::area_um2(model.window_region());
  run.did(fmt::format("developed '{}' ({} tone): {:.1f} % of the window open", model.film(film).name,
                      negative ? "negative" : "positive", 100.0 * (1.0 - layout::disjoint_area_um2(left) / window_um2)));
}

FilmIndex coat_resist(const StepRun& run) {
  const std::string resist = run.text("resist", "photoresist");
  if (!run.material(resist)) run.fail(fmt::format("unknown resist material '{}'", resist), "resist");
  const Nm thickness = run.length_nm("thickness").value_or(2000);
  Film film{fmt::format("resist ({})", run.step.name), resist, FilmKind::Resist, run.step.index};
  film.negative_tone = run.text("tone", "positive") == "negative";
  return coat_film(run, film, thickness, 0.5, 0, nullptr, true);
}

FilmIndex require_pending_resist(const StepRun& run) {
  const auto film = pending_resist(run.model);
  if (!film || !film_on_wafer(run.model, *film)) run.fail("there is no undeveloped resist on the wafer (coat one first)");
  return *film;
}

}  // namespace

void op_resist_coat(const StepRun& run) { coat_resist(run); }

void op_expose(const StepRun& run) { expose_film(run, require_pending_resist(run), run.text("mask")); }

void op_develop(const StepRun& run) { develop_film(run, require_pending_resist(run)); }

void op_lithography(const StepRun& run) {
  const FilmIndex film = coat_resist(run);
  expose_film(run, film, run.text("mask"));
  develop_film(run, film);
}

void op_expose_develop(const StepRun& run) {
  const std::string layer = run.text("layer");
  const design::StackLayer* def = run.context.design.layer_named(layer);
  if (!def) run.fail(fmt::format("no stack layer '{}'", layer), "layer");
  if (!def->is_photosensitive)
    run.fail(fmt::format("layer '{}' ({}) is not photosensitive: pattern it with a resist and an etch", layer,
                         def->material),
             "layer");
  const auto films = run.model.films_named(layer);
  if (films.empty() || !film_on_wafer(run.model, films.back()))
    run.fail(fmt::format("layer '{}' is not on the wafer yet", layer), "layer");
  // Photosensitive polyimides, BCB and epoxy films are negative-acting: light cross-links.
  run.model.film_for_update(films.back()).negative_tone = true;
  expose_film(run, films.back(), run.text("mask"));
  develop_film(run, films.back());
}

void op_strip(const StepRun& run) {
  const auto wanted = run.step.text("resist");
  WaferModel& model = run.model;
  std::set<FilmIndex> strip;
  for (std::size_t i = 0; i < model.film_count(); ++i) {
    const Film& f = model.film(static_cast<FilmIndex>(i));
    if (f.kind == FilmKind::Resist && (!wanted || f.material == *wanted)) strip.insert(static_cast<FilmIndex>(i));
  }
  const auto volumes = model.film_volumes_m3();
  double removed_m3 = 0;
  for (FilmIndex film : strip) removed_m3 += volumes[film];
  if (removed_m3 <= 0) {
    run.warn("no resist on the wafer to strip");
    return;
  }
  // Lift-off: a sputtered film lying on the resist goes with it (seed 003: the UBM seed on the
  // first resist); plated metal that grew over the resist (a mushroom, the S3 UBM rim) stays,
  // held by its post, and so does the sputtered seed it was plated on (bonded to its underside).
  auto sputtered = [&](FilmIndex film) {
    const int step = model.film(film).step;
    return step > 0 && run.context.design.recipe.steps[static_cast<std::size_t>(step - 1)].op == "deposit";
  };
  std::set<FilmIndex> lifted;
  model.edit([&](const Stack& s) {
    Stack out;
    Nm resist_top = std::numeric_limits<Nm>::min();
    for (std::size_t i = 0; i < s.size(); ++i) {
      const Interval& p = s[i];
      if (strip.count(p.film) != 0) {
        resist_top = p.z_top;
        continue;
      }
      if (p.z_bottom != resist_top || !sputtered(p.film)) {
        out.push_back(p);
        continue;
      }
      // The sputtered films stacked on the resist here, and what lies right on them.
      std::size_t end = i + 1;
      while (end < s.size() && s[end].z_bottom == s[end - 1].z_top && strip.count(s[end].film) == 0 &&
             sputtered(s[end].film))
        ++end;
      const bool held = end < s.size() && s[end].z_bottom == s[end - 1].z_top && strip.count(s[end].film) == 0;
      for (std::size_t j = i; j < end; ++j) {
        if (held) {
          out.push_back(s[j]);
        } else {
          lifted.insert(s[j].film);
          resist_top = s[j].z_top;  // what lay on this lifted film goes too
        }
      }
      i = end - 1;
    }
    return out;
  });
  for (FilmIndex film : strip) model.film_for_update(film).developed = true;
  for (FilmIndex film : lifted) run.did(fmt::format("lifted off '{}' where it lay on the resist", model.film(film).name));
  run.did(fmt::format("stripped {:.4g} um3 of resist", removed_m3 * 1e18));
}

}  // namespace wlp::process
