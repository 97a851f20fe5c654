// Rules every design obeys: geometry inside the die, pitches, openings, reflow and thermal
// budgets of the recipe.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

#include "rules/rule_context.h"

namespace wlp::rules::detail {
namespace {

using design::dims::length;
using design::dims::temperature;

double half_extent(const design::Pad& pad) { return pad.size_m / 2.0; }

void check_pads(RuleContext& c) {
  const design::Design& d = c.design;
  c.applies("GEN.PAD.INSIDE_DIE");
  c.applies("GEN.PAD.OVERLAP");
  const double half_x = d.die.size_x_m / 2.0, half_y = d.die.size_y_m / 2.0;
  for (const design::Pad& pad : d.pads.pads) {
    const double reach_x = std::abs(pad.x_m) + half_extent(pad), reach_y = std::abs(pad.y_m) + half_extent(pad);
    if (reach_x > half_x || reach_y > half_y) {
      const bool is_x = reach_x - half_x >= reach_y - half_y;
      const design::SourcePos where =
          pad.key_path == "pads" ? d.where(d.pads.arrangement == "ring" ? "pads.edge_distance" : "pads.arrangement")
                                 : d.where(pad.key_path + (is_x ? ".x" : ".y"));
      c.violation("GEN.PAD.INSIDE_DIE", where,
                  fmt::format("pad {} reaches {} from the die centre in {}, beyond the die half-size {}", pad.name,
                              q(is_x ? reach_x : reach_y, length), is_x ? "x" : "y", q(is_x ? half_x : half_y, length)),
                  is_x ? reach_x : reach_y, is_x ? half_x : half_y, length);
    }
  }
  // Sweep in x so that large pad counts stay fast.
  std::vector<const design::Pad*> sorted;
  for (const design::Pad& pad : d.pads.pads) sorted.push_back(&pad);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->x_m - a->size_m / 2 < b->x_m - b->size_m / 2; });
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    for (std::size_t j = i + 1; j < sorted.size(); ++j) {
      const design::Pad& a = *sorted[i];
      const design::Pad& b = *sorted[j];
      if (b.x_m - half_extent(b) >= a.x_m + half_extent(a)) break;
      const double gap_x = std::abs(a.x_m - b.x_m) - half_extent(a) - half_extent(b);
      const double gap_y = std::abs(a.y_m - b.y_m) - half_extent(a) - half_extent(b);
      if (gap_x < 0 && gap_y < 0) {
        // The larger of the two centre distances is what would have to grow to separate them.
        const double distance = std::max(std::abs(a.x_m - b.x_m), std::abs(a.y_m - b.y_m));
        const double needed = half_extent(a) + half_extent(b);
        c.violation("GEN.PAD.OVERLAP", b.key_path == "pads" ? d.where("pads.size") : b.where,
                    fmt::format("pads {} and {} overlap: centres {} apart in x and {} in y, closer than the {} their "
                                "half-sizes need",
                                a.name, b.name, q(std::abs(a.x_m - b.x_m), length), q(std::abs(a.y_m - b.y_m), length),
                                q(needed, length)),
                    distance, needed, length);
      }
    }
  }
}

void check_bumps(RuleContext& c) {
  const design::Design& d = c.design;
  if (!d.bumps) return;
  const design::BumpArray& bumps = *d.bumps;
  c.applies("GEN.BUMP.PITCH");
  if (bumps.pitch_m <= bumps.ball_diameter_m)
    c.violation("GEN.BUMP.PITCH", d.where("bumps.pitch"),
                fmt::format("pitch {} is not larger than the ball diameter {}: neighbouring balls would bridge",
                            q(bumps.pitch_m, length), q(bumps.ball_diameter_m, length)),
                bumps.pitch_m, bumps.ball_diameter_m, length);
  c.applies("GEN.BUMP.INSIDE_DIE");
  const double radius = bumps.ball_diameter_m / 2.0;
  double worst_x = 0, worst_y = 0;
  for (const design::BumpSite& site : bumps.sites) {
    worst_x = std::max(worst_x, std::abs(site.x_m) + radius + d.die.keep_out_m);
    worst_y = std::max(worst_y, std::abs(site.y_m) + radius + d.die.keep_out_m);
  }
  const double half_x = d.die.size_x_m / 2.0, half_y = d.die.size_y_m / 2.0;
  if (worst_x > half_x || worst_y > half_y) {
    const bool is_x = worst_x - half_x >= worst_y - half_y;
    // Blame the keep-out when the balls alone would fit and the keep-out is the unusual value: wider
    // than a ball's radius (a keep-out is normally a few tens of um).
    const bool keep_out_decides =
        (is_x ? worst_x : worst_y) - d.die.keep_out_m <= (is_x ? half_x : half_y) && d.die.keep_out_m > radius;
    c.violation("GEN.BUMP.INSIDE_DIE", d.where(keep_out_decides ? "die.keep_out" : "bumps.pitch"),
                fmt::format("the outer balls reach {} from the die centre in {} (ball radius {} + keep-out {}), beyond the "
                            "die half-size {}",
                            q(is_x ? worst_x : worst_y, length), is_x ? "x" : "y", q(radius, length),
                            q(d.die.keep_out_m, length), q(is_x ? half_x : half_y, length)),
                is_x ? worst_x : worst_y, is_x ? half_x : half_y, length);
  }
}

void check_redistribution(RuleContext& c) {
  const design::Design& d = c.design;
  if (!d.redistribution || !d.bumps) return;
  const design::Redistribution& rdl = *d.redistribution;
  c.applies("GEN.RDL.LAND_PITCH");
  const double needed = rdl.land_diameter_m + rdl.min_space_m;
  if (needed > d.bumps->pitch_m)
    c.violation("GEN.RDL.LAND_PITCH", d.where("redistribution.land_diameter"),
                fmt::format("land diameter {} + minimum space {} = {} exceeds the bump pitch {}", q(rdl.land_diameter_m, length),
                            q(rdl.min_space_m, length), q(needed, length), q(d.bumps->pitch_m, length)),
                needed, d.bumps->pitch_m, length);
  c.applies("GEN.RDL.LAND_COUNT");
  const std::size_t n_pads = d.pads.pads.size(), n_lands = d.bumps->sites.size();
  if (rdl.routing == "auto" && n_pads > n_lands)
    c.violation("GEN.RDL.LAND_COUNT", d.where("bumps.columns"),
                fmt::format("{} pads to route but only {} populated lands", n_pads, n_lands), static_cast<double>(n_pads),
                static_cast<double>(n_lands));
}

void check_openings(RuleContext& c) {
  const design::Design& d = c.design;
  for (const design::StackLayer& layer : d.stack) {
    if (layer.opening == "pads") {
      c.applies("GEN.OPENING.PAD_ENCLOSURE");
      for (const design::Pad& pad : d.pads.pads) {
        if (layer.opening_size_m <= pad.size_m) continue;
        c.violation("GEN.OPENING.PAD_ENCLOSURE", d.where(layer.key_path + ".opening_size"),
                    fmt::format("opening of layer '{}' is {}, larger than pad {} ({}): the opening would expose the "
                                "passivation edge",
                                layer.name, q(layer.opening_size_m, length), pad.name, q(pad.size_m, length)),
                    layer.opening_size_m, pad.size_m, length);
        break;
      }
    }
    if (layer.opening == "lands" && d.redistribution) {
      c.applies("GEN.OPENING.LAND_ENCLOSURE");
      if (layer.opening_size_m > d.redistribution->land_diameter_m)
        c.violation("GEN.OPENING.LAND_ENCLOSURE", d.where(layer.key_path + ".opening_size"),
                    fmt::format("opening of layer '{}' is {}, larger than the land diameter {}", layer.name,
                                q(layer.opening_size_m, length), q(d.redistribution->land_diameter_m, length)),
                    layer.opening_size_m, d.redistribution->land_diameter_m, length);
    }
  }
}

void check_board(RuleContext& c) {
  const design::Design& d = c.design;
  if (!d.board || !d.bumps) return;
  c.applies("GEN.BOARD.PAD_PITCH");
  const double pitch = d.bumps->pitch_m;
  for (const auto& [key, value] : {std::pair<std::string, double>{"pad_diameter", d.board->pad_diameter_m},
                                   {"solder_mask_opening", d.board->solder_mask_opening_m}}) {
    if (value >= pitch)
      c.violation("GEN.BOARD.PAD_PITCH", d.where("board." + key),
                  fmt::format("board {} {} is not smaller than the pitch {}", key, q(value, length), q(pitch, length)), value,
                  pitch, length);
  }
  if (d.analyses.thermal_cycling) {
    c.applies("GEN.BOARD.TG");
    const auto tg = c.property(d.board->material, "glass_transition_temperature");
    const double t_max = d.analyses.thermal_cycling->t_max_K;
    const bool is_custom = d.analyses.thermal_cycling->profile == "custom";
    if (tg && t_max > *tg - 25.0)
      c.violation("GEN.BOARD.TG", d.where(is_custom ? "analysis.thermal_cycling.t_max" : "analysis.thermal_cycling.profile"),
                  fmt::format("cycling peak {} is above {}, 25 K below the board Tg {} ({})", q(t_max, temperature),
                              q(*tg - 25.0, temperature), q(*tg, temperature), d.board->material),
                  t_max, *tg - 25.0, temperature);
  }
}

// Solders that a reflow melts: the balls, and the S1 solder-paste fill.
std::vector<std::string> reflowed_solders(const design::Design& d) {
  std::vector<std::string> solders;
  if (d.bumps) solders.push_back(d.bumps->alloy);
  if (const auto* s1 = std::get_if<design::AdhesiveCylinder>(&d.interconnect); s1 && s1->fill == "solder_paste")
    solders.push_back(s1->fill_material);
  return solders;
}

void check_reflow(RuleContext& c) {
  const design::Design& d = c.design;
  for (const design::Step& step : d.recipe.steps) {
    if (step.op != "reflow") continue;
    c.applies("GEN.REFLOW.LIQUIDUS");
    const double peak = step.number("peak_temperature").value_or(0.0);
    for (const std::string& solder : reflowed_solders(d)) {
      auto liquidus = c.property(solder, "liquidus_temperature");
      if (!liquidus) liquidus = c.property(solder, "melting_temperature");
      if (!liquidus) {
        c.missing_property("GEN.REFLOW.LIQUIDUS", step.where, solder, "liquidus_temperature");
        continue;
      }
      if (peak <= *liquidus)
        c.violation("GEN.REFLOW.LIQUIDUS", step.param_where.at("peak_temperature"),
                    fmt::format("{} peaks at {}, not above the liquidus of {} ({}): the solder would not melt",
                                step.label(), q(peak, temperature), solder, q(*liquidus, temperature)),
                    peak, *liquidus, temperature);
    }
  }
}

// Heated steps and their temperature.
std::optional<double> step_temperature(const design::Step& step) {
  if (step.op == "reflow") return step.number("peak_temperature");
  if (step.op == "cure" || step.op == "anneal" || step.op == "deposit" || step.op == "laminate")
    return step.number("temperature");
  return std::nullopt;
}

// The material a step puts on the wafer, if any (film, coat, print, resist).
std::optional<std::string> added_material(const design::Design& d, const design::Step& step) {
  static const std::set<std::string> kAdding{"deposit", "spin_coat", "laminate", "print", "lithography", "foil_laminate",
                                             "attach_column"};
  if (!kAdding.count(step.op)) return std::nullopt;
  if (const auto layer = step.text("layer")) {
    if (const design::StackLayer* found = d.layer_named(*layer)) return found->material;
  }
  if (step.op == "lithography") return step.text("resist").value_or("photoresist");
  if (step.op == "spin_coat" || step.op == "laminate" || step.op == "print" || step.op == "deposit") return step.text("material");
  if (step.op == "foil_laminate" || step.op == "attach_column") return step.text("adhesive");
  return std::nullopt;
}

void check_thermal_budget(RuleContext& c) {
  const design::Design& d = c.design;
  if (d.recipe.steps.empty()) return;
  c.applies("GEN.THERMAL.DECOMPOSITION");
  // The S0 pillar is meant to decompose in its anneal (seed 000, claim 1).
  std::string sacrificial;
  for (const design::StackLayer* layer : d.layers_with(design::LayerRole::Sacrificial)) sacrificial = layer->material;
  std::vector<std::pair<std::string, const design::Step*>> on_wafer;  // organic material, step that added it
  for (const design::Step& step : d.recipe.steps) {
    if (step.op == "strip") {
      const std::string resist = step.text("resist").value_or("photoresist");
      std::erase_if(on_wafer, [&](const auto& entry) { return entry.first == resist; });
    }
    if (const auto temperature_K = step_temperature(step)) {
      for (auto it = on_wafer.begin(); it != on_wafer.end();) {
        const auto decomposition = c.property(it->first, "decomposition_temperature");
        if (decomposition && *temperature_K >= *decomposition) {
          if (it->first == sacrificial && step.op == "anneal") {
            it = on_wafer.erase(it);  // the intended decomposition of the pillar
            continue;
          }
          c.violation("GEN.THERMAL.DECOMPOSITION", step.param_where.at(step.op == "reflow" ? "peak_temperature" : "temperature"),
                      fmt::format("{} heats to {}, at or above the decomposition temperature {} of {} (on the wafer since "
                                  "{})",
                                  step.label(), q(*temperature_K, temperature), q(*decomposition, temperature), it->first,
                                  it->second->label()),
                      *temperature_K, *decomposition, temperature);
        }
        ++it;
      }
    }
    if (const auto material = added_material(d, step)) {
      const design::Material* found = d.material(*material);
      if (found && found->is_organic) on_wafer.emplace_back(*material, &step);
    }
  }
}

}  // namespace

void check_generic(RuleContext& context) {
  check_pads(context);
  check_bumps(context);
  check_redistribution(context);
  check_openings(context);
  check_board(context);
  check_reflow(context);
  check_thermal_budget(context);
}

}  // namespace wlp::rules::detail
