// Seed 000 (S0): damascene connection made through a sacrificial organic pillar.
#include <cmath>
#include <fmt/format.h>

#include "rules/rule_context.h"

namespace wlp::rules::detail {
namespace {
using design::dims::length;
using design::dims::temperature;
}  // namespace

void check_s0(RuleContext& c) {
  const design::Design& d = c.design;
  const auto* via = std::get_if<design::SacrificialVia>(&d.interconnect);
  if (!via) return;
  const auto sacrificial = d.layers_with(design::LayerRole::Sacrificial);
  const auto inter_metal = d.layers_with(design::LayerRole::InterMetal);
  c.applies("S0.FIRST.ORGANIC");
  if (sacrificial.size() != 1 || inter_metal.size() != 1) {
    c.violation("S0.FIRST.ORGANIC", d.where("interconnect.type"),
                fmt::format("S0 needs exactly one `sacrificial` stack layer (the first material) and one `inter_metal` "
                            "layer (the second); found {} and {}",
                            sacrificial.size(), inter_metal.size()));
    return;
  }
  const design::StackLayer& first = *sacrificial.front();
  const design::StackLayer& second = *inter_metal.front();
  const design::Material* first_material = d.material(first.material);
  if (first_material && !first_material->is_organic)
    c.violation("S0.FIRST.ORGANIC", d.where(first.key_path + ".material"),
                fmt::format("the pillar material {} is not organic; claim 1 removes it by thermal decomposition",
                            first.material));

  c.applies("S0.DECOMP.ORDER");
  const auto t_first = c.property(first.material, "decomposition_temperature");
  const auto t_second = c.property(second.material, "decomposition_temperature");
  if (!t_first)
    c.missing_property("S0.DECOMP.ORDER", d.where(first.key_path + ".material"), first.material, "decomposition_temperature");
  if (!t_second)
    c.missing_property("S0.DECOMP.ORDER", d.where(second.key_path + ".material"), second.material,
                       "decomposition_temperature");
  if (t_first && t_second && !(*t_second > *t_first))
    c.violation("S0.DECOMP.ORDER", d.where(second.key_path + ".material"),
                fmt::format("{} decomposes at {}, not above the pillar material {} ({})", second.material,
                            q(*t_second, temperature), first.material, q(*t_first, temperature)),
                *t_second, *t_first, temperature);

  c.applies("S0.ANNEAL.WINDOW");
  if (t_first && t_second) {
    bool decomposed = false;
    const design::Step* hottest = nullptr;
    for (const design::Step& step : d.recipe.steps) {
      if (step.op != "anneal") continue;
      const double t = step.number("temperature").value_or(0.0);
      if (!hottest || t > hottest->number("temperature").value_or(0.0)) hottest = &step;
      if (t >= *t_second)
        c.violation("S0.ANNEAL.WINDOW", step.param_where.at("temperature"),
                    fmt::format("{} at {} is not below the decomposition temperature of {} ({}): the dielectric would "
                                "decompose too",
                                step.label(), q(t, temperature), second.material, q(*t_second, temperature)),
                    t, *t_second, temperature);
      else if (t > *t_first)
        decomposed = true;
    }
    if (!decomposed) {
      const std::string hottest_text =
          hottest ? fmt::format("the hottest anneal, {}, reaches {}", hottest->label(),
                                q(hottest->number("temperature").value_or(0.0), temperature))
                  : std::string("the recipe has no anneal");
      c.violation("S0.ANNEAL.WINDOW", hottest ? hottest->param_where.at("temperature") : d.where("recipe"),
                  fmt::format("no anneal lies between {} (decomposition of {}) and {} (decomposition of {}): {}, so the "
                              "pillar is never removed",
                              q(*t_first, temperature), first.material, q(*t_second, temperature), second.material,
                              hottest_text),
                  hottest ? hottest->number("temperature") : std::nullopt, *t_first, temperature);
    }
  }

  c.applies("S0.RECESS.OVERLAP");
  const double reach = (via->line_width_m + via->via_size_m) / 2.0;
  if (std::abs(via->via_offset_m) >= reach)
    c.violation("S0.RECESS.OVERLAP", d.where("interconnect.via_offset"),
                fmt::format("the pillar centre is {} off the strip axis; the recess ({} wide) and the pillar ({}) overlap "
                            "only for offsets below {}",
                            q(std::abs(via->via_offset_m), length), q(via->line_width_m, length), q(via->via_size_m, length),
                            q(reach, length)),
                std::abs(via->via_offset_m), reach, length);

  c.applies("S0.RECESS.REACHES");
  const double cover = second.thickness_m - first.thickness_m;  // dielectric above the pillar top
  if (via->recess_depth_m < cover)
    c.violation("S0.RECESS.REACHES", d.where("interconnect.recess_depth"),
                fmt::format("recess depth {} does not reach the pillar: {} of {} ({} thick) covers the {} pillar",
                            q(via->recess_depth_m, length), q(cover, length), second.material, q(second.thickness_m, length),
                            q(first.thickness_m, length)),
                via->recess_depth_m, cover, length);

  c.applies("S0.LIQUID.APPLIED");
  for (const design::StackLayer* layer : {&first, &second})
    if (layer->applied != "spin")
      c.violation("S0.LIQUID.APPLIED", d.where(layer->key_path + ".applied"),
                  fmt::format("layer '{}' is applied by '{}'; claim 5 applies both materials liquid by spinning",
                              layer->name, layer->applied));

  c.applies("S0.BARRIER.BEFORE_CU");
  const design::Step* plating = nullptr;
  for (const design::Step& step : d.recipe.steps)
    if (step.op == "electroplate" && step.text("material") == via->conductor) {
      plating = &step;
      break;
    }
  bool has_barrier = false;
  for (const design::Step& step : d.recipe.steps) {
    if (plating && step.index >= plating->index) break;
    const auto method = step.text("method").value_or("");
    if (step.op == "deposit" && step.text("material") == via->barrier_material && (method == "pvd" || method == "sputter"))
      has_barrier = true;
  }
  if (!plating)
    c.violation("S0.BARRIER.BEFORE_CU", d.where("recipe"),
                fmt::format("no electroplate step of the conductor {} in the recipe", via->conductor));
  else if (!has_barrier)
    c.violation("S0.BARRIER.BEFORE_CU", plating->where,
                fmt::format("{} plates {} but no PVD/sputter deposit of the barrier {} precedes it", plating->label(),
                            via->conductor, via->barrier_material));

  c.applies("S0.CLEAN.BEFORE_FILL");
  const design::Step* anneal = d.recipe.first("anneal");
  if (anneal && plating) {
    bool cleaned = false;
    for (const design::Step& step : d.recipe.steps)
      if (step.op == "clean" && step.index > anneal->index && step.index < plating->index) cleaned = true;
    if (!cleaned)
      c.violation("S0.CLEAN.BEFORE_FILL", plating->where,
                  fmt::format("no clean between {} and {}", anneal->label(), plating->label()));
  }
}

}  // namespace wlp::rules::detail
