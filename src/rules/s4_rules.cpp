// Seed 004 (S4): conductive sections embedded in a stress-buffering resin. Also B0, the
// baseline the seeds argue against.
#include <cmath>
#include <fmt/format.h>

#include "rules/rule_context.h"

namespace wlp::rules::detail {
namespace {
using design::dims::length;
using design::dims::pressure;
using design::dims::temperature;

constexpr double kMinPyrolysis_K = design::kelvin_from_celsius(200.0);  // "pyrolysis temperature of 200 C or more"
constexpr double kMinBuffer_Pa = 0.01e9, kMaxBuffer_Pa = 8e9;  // "elastic modulus in a range of 0.01 to 8 GPa"
constexpr double kMinColumn_m = 10e-6, kMaxColumn_m = 200e-6;  // "height ranging from 10 to 200 um"

void check_film(RuleContext& c) {
  const design::Design& d = c.design;
  c.applies("S4.FILM.PYROLYSIS");
  for (const design::StackLayer* film : d.layers_with(design::LayerRole::Dielectric)) {
    const auto pyrolysis = c.property(film->material, "decomposition_temperature");
    if (!pyrolysis) {
      c.missing_property("S4.FILM.PYROLYSIS", d.where(film->key_path + ".material"), film->material,
                         "decomposition_temperature");
      continue;
    }
    if (*pyrolysis < kMinPyrolysis_K)
      c.violation("S4.FILM.PYROLYSIS", d.where(film->key_path + ".material"),
                  fmt::format("insulating film '{}' ({}) pyrolyses at {}, below {}", film->name, film->material,
                              q(*pyrolysis, temperature), q(kMinPyrolysis_K, temperature)),
                  *pyrolysis, kMinPyrolysis_K, temperature);
  }
}

void check_tiers(RuleContext& c, const design::EmbeddedSection& s4) {
  const design::Design& d = c.design;
  for (const design::BufferTier& tier : s4.tiers) {
    c.applies("S4.BUFFER.MODULUS");
    const auto modulus = c.property(tier.buffer_material, "youngs_modulus");
    if (!modulus)
      c.missing_property("S4.BUFFER.MODULUS", d.where(tier.key_path + ".buffer_material"), tier.buffer_material,
                         "youngs_modulus");
    else if (*modulus < kMinBuffer_Pa || *modulus > kMaxBuffer_Pa)
      c.violation("S4.BUFFER.MODULUS", d.where(tier.key_path + ".buffer_material"),
                  fmt::format("buffer of tier '{}' ({}) has E = {}, outside {} to {}", tier.name, tier.buffer_material,
                              q(*modulus, pressure), q(kMinBuffer_Pa, pressure), q(kMaxBuffer_Pa, pressure)),
                  *modulus, *modulus < kMinBuffer_Pa ? kMinBuffer_Pa : kMaxBuffer_Pa, pressure);
    c.applies("S4.LAND.FLUSH");
    if (tier.section_height_m < tier.buffer_thickness_m)
      c.violation("S4.LAND.FLUSH", d.where(tier.key_path + ".section_height"),
                  fmt::format("sections of tier '{}' are {} high but the polished buffer is {} thick: the polish would not "
                              "expose them as flush lands",
                              tier.name, q(tier.section_height_m, length), q(tier.buffer_thickness_m, length)),
                  tier.section_height_m, tier.buffer_thickness_m, length);
    if (s4.section == "metal_column") {
      c.applies("S4.COLUMN.HEIGHT");
      if (tier.section_height_m < kMinColumn_m || tier.section_height_m > kMaxColumn_m)
        c.violation("S4.COLUMN.HEIGHT", d.where(tier.key_path + ".section_height"),
                    fmt::format("metal columns of tier '{}' are {} high, outside {} to {}", tier.name,
                                q(tier.section_height_m, length), q(kMinColumn_m, length), q(kMaxColumn_m, length)),
                    tier.section_height_m, tier.section_height_m < kMinColumn_m ? kMinColumn_m : kMaxColumn_m, length);
    }
  }
  if (s4.section == "metal_column") {
    c.applies("S4.COLUMN.ADHESIVE");
    const design::Material* adhesive = s4.column_adhesive.empty() ? nullptr : d.material(s4.column_adhesive);
    const auto resistivity = adhesive ? adhesive->nominal("resistivity") : std::nullopt;
    if (!adhesive)
      c.violation("S4.COLUMN.ADHESIVE", d.where("interconnect.section"),
                  "metal columns are fixed with a conductive adhesive (embodiment 3): set interconnect.column_adhesive");
    else if (adhesive->material_class != "composite" || !resistivity)
      c.violation("S4.COLUMN.ADHESIVE", d.where("interconnect.column_adhesive"),
                  fmt::format("column adhesive {} is not a conductive composite (resin + metal powder) with a resistivity",
                              s4.column_adhesive));
  }
}

// Each tier is coated, then polished: count polish steps after the first section-forming step
// (a CMP of some film before the studs or columns exist exposes nothing).
void check_polish(RuleContext& c, const design::EmbeddedSection& s4) {
  const design::Design& d = c.design;
  c.applies("S4.POLISH.PER_TIER");
  const design::Step* first_section = nullptr;
  for (const design::Step& step : d.recipe.steps)
    if (!first_section && (step.op == "stud_bump" || step.op == "attach_column")) first_section = &step;
  int n_polish = 0;
  for (const design::Step& step : d.recipe.steps)
    if (step.op == "polish" && (!first_section || step.index > first_section->index)) ++n_polish;
  if (n_polish < static_cast<int>(s4.tiers.size()))
    c.violation("S4.POLISH.PER_TIER", d.where("recipe"),
                fmt::format("{} buffer tier(s) but {} polish step(s): each tier is polished flush to expose its sections",
                            s4.tiers.size(), n_polish),
                n_polish, static_cast<double>(s4.tiers.size()));
}
}  // namespace

void check_s4(RuleContext& c) {
  const auto* s4 = std::get_if<design::EmbeddedSection>(&c.design.interconnect);
  if (!s4) return;
  check_film(c);
  check_tiers(c, *s4);
  check_polish(c, *s4);
}

void check_b0(RuleContext& c) {
  const design::Design& d = c.design;
  const auto* b0 = std::get_if<design::UbmBall>(&d.interconnect);
  if (!b0) return;
  c.applies("B0.UBM.PAD_SIZE");
  const double pad = d.pads.size_m;
  if (std::abs(b0->ubm_diameter_m - pad) > 0.1 * pad)
    c.violation("B0.UBM.PAD_SIZE", d.where("interconnect.ubm_diameter"),
                fmt::format("baseline UBM {} differs from the pad size {} by more than 10 %", q(b0->ubm_diameter_m, length),
                            q(pad, length)),
                b0->ubm_diameter_m, pad, length);
  c.applies("B0.NO_STRESS_RELIEF");
  for (const design::StackLayer& layer : d.stack)
    if (layer.role == design::LayerRole::Resin || layer.role == design::LayerRole::Cover)
      c.violation("B0.NO_STRESS_RELIEF", layer.where,
                  fmt::format("layer '{}' (role {}) is a stress-relief layer; the baseline has none", layer.name,
                              design::to_string(layer.role)));
}

}  // namespace wlp::rules::detail
