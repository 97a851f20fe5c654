// Seed 001 (S1): elastic conductive-adhesive cylinders capped by metallized plastic balls.
#include <fmt/format.h>

#include "rules/rule_context.h"

namespace wlp::rules::detail {
namespace {
using design::dims::length;

const design::Step* first_print_of(const design::Design& d, const std::string& material) {
  for (const design::Step& step : d.recipe.steps)
    if (step.op == "print" && step.text("material") == material) return &step;
  return nullptr;
}
}  // namespace

void check_s1(RuleContext& c) {
  const design::Design& d = c.design;
  const auto* cylinder = std::get_if<design::AdhesiveCylinder>(&d.interconnect);
  if (!cylinder) return;
  const auto firsts = d.layers_with(design::LayerRole::Dielectric);
  const auto seconds = d.layers_with(design::LayerRole::Cover);
  c.applies("S1.INSULATOR.THICKER");
  c.applies("S1.INSULATOR.RATIO");
  if (firsts.empty() || seconds.empty()) {
    c.violation("S1.INSULATOR.THICKER", d.where("interconnect.type"),
                "S1 needs a first insulating layer (role `dielectric`) under the interconnects and a second (role "
                "`cover`) over them");
  } else {
    const design::StackLayer& first = *firsts.front();
    const design::StackLayer& second = *seconds.front();
    if (second.thickness_m <= first.thickness_m)
      c.violation("S1.INSULATOR.THICKER", second.thickness_where,
                  fmt::format("second insulating layer '{}' is {}, not thicker than the first '{}' ({})", second.name,
                              q(second.thickness_m, length), first.name, q(first.thickness_m, length)),
                  second.thickness_m, first.thickness_m, length);
    const double ratio = second.thickness_m / first.thickness_m;
    if (ratio < 4.0)
      c.violation("S1.INSULATOR.RATIO", second.thickness_where,
                  fmt::format("second insulating layer is {:.2f}x the first ({} / {}); claim 2 requires at least 4x", ratio,
                              q(second.thickness_m, length), q(first.thickness_m, length)),
                  ratio, 4.0);
  }

  c.applies("S1.BALL.SEATS");
  if (cylinder->ball_diameter_m < cylinder->opening_diameter_m)
    c.violation("S1.BALL.SEATS", d.where("interconnect.ball_diameter"),
                fmt::format("ball diameter {} is smaller than the opening {}: the ball would sink into the opening instead "
                            "of sitting at its free end",
                            q(cylinder->ball_diameter_m, length), q(cylinder->opening_diameter_m, length)),
                cylinder->ball_diameter_m, cylinder->opening_diameter_m, length);

  const bool is_paste = cylinder->fill == "solder_paste";
  const std::string fix_op = is_paste ? "reflow" : "cure";
  c.applies("S1.FILL.CURE");
  c.applies("S1.BALL.BEFORE_CURE");
  c.applies("S1.DICE.AFTER_CURE");
  c.applies("S1.FILL.DOCTOR_BLADE");
  const design::Step* print = first_print_of(d, cylinder->fill_material);
  if (!print) {
    c.violation("S1.FILL.CURE", d.where("recipe"),
                fmt::format("no print step introduces the fill {} into the openings", cylinder->fill_material));
    return;
  }
  if (print->text("method") != "doctor_blade")
    c.violation("S1.FILL.DOCTOR_BLADE", print->param_where.at("method"),
                fmt::format("{} prints by '{}'; the seed introduces the fill with a doctor blade", print->label(),
                            print->text("method").value_or("")));
  // Step::index is 1-based, Recipe::first takes a 0-based start: this searches after the print.
  const design::Step* fix = d.recipe.first(fix_op, static_cast<std::size_t>(print->index));
  if (!fix) {
    c.violation("S1.FILL.CURE", print->where,
                fmt::format("no {} step after {}: the {} is never {}", fix_op, print->label(), cylinder->fill,
                            is_paste ? "remelted" : "cured"));
    return;
  }
  const design::Step* balls = d.recipe.first("place_balls", static_cast<std::size_t>(print->index));
  if (!balls || balls->index > fix->index || balls->text("kind") != "metallized_plastic")
    c.violation("S1.BALL.BEFORE_CURE", fix->where,
                fmt::format("no place_balls (kind metallized_plastic) between {} and {}", print->label(), fix->label()));
  const design::Step* dice = d.recipe.first("dice");
  if (dice && dice->index < fix->index)
    c.violation("S1.DICE.AFTER_CURE", dice->where,
                fmt::format("{} comes before {}: the wafer is diced only after the fill is {}", dice->label(), fix->label(),
                            is_paste ? "remelted" : "cured"));
}

}  // namespace wlp::rules::detail
