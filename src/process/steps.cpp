#include "process/steps.h"

#include <functional>
#include <utility>

#include "design/diagnostics.h"
#include "process/step_run.h"

namespace wlp::process {

namespace {

using OpFunction = void (*)(const StepRun&);

const std::vector<std::pair<std::string, OpFunction>>& op_table() {
  static const std::vector<std::pair<std::string, OpFunction>> table{
      {"deposit", op_deposit},         {"spin_coat", op_spin_coat},     {"laminate", op_laminate},
      {"cure", op_cure},               {"anneal", op_anneal},           {"decompose", op_decompose},
      {"lithography", op_lithography}, {"resist_coat", op_resist_coat}, {"expose", op_expose},
      {"develop", op_develop},         {"expose_develop", op_expose_develop}, {"strip", op_strip},
      {"etch", op_etch},               {"polish", op_polish},           {"clean", op_clean},
      {"dice", op_dice},               {"electroplate", op_electroplate}, {"print", op_print},
      {"stud_bump", op_stud_bump},     {"attach_column", op_attach_column}, {"foil_laminate", op_foil_laminate},
      {"flux", op_flux},               {"place_balls", op_place_balls}, {"reflow", op_reflow},
  };
  return table;
}

}  // namespace

Region StepContext::mask_drawn(const std::string& mask, const design::Step& step) const {
  for (std::size_t i = 0; i < layout.layers.size(); ++i)
    if (layout.layers[i].mask == mask) return layout.flat(static_cast<int>(i));
  throw design::InputError({design::Diagnostic{step.where, fmt::format("recipe.step[{}].mask", step.index - 1),
                                               fmt::format("{}: the layout has no mask '{}'", step.label(), mask)}});
}

const layout::MaskUse* StepContext::mask_use(const std::string& mask) const {
  for (const layout::MaskUse& use : layout.masks)
    if (use.name == mask) return &use;
  return nullptr;
}

std::vector<std::pair<Point, std::string>> StepContext::sites() const {
  std::vector<std::pair<Point, std::string>> out;
  for (const design::BumpSite& site : layout.sites) out.push_back({Point{layout::to_nm(site.x_m), layout::to_nm(site.y_m)}, site.name});
  return out;
}

std::vector<Point> StepContext::pad_centres() const {
  std::vector<Point> out;
  for (const design::Pad& pad : design.pads.pads) out.push_back(Point{layout::to_nm(pad.x_m), layout::to_nm(pad.y_m)});
  return out;
}

StepReport run_step(WaferModel& model, const StepContext& context, const design::Step& step) {
  StepReport report;
  report.index = step.index;
  report.name = step.name;
  report.op = step.op;
  report.note = step.note;
  const StepRun run(model, context, step, report);
  for (const auto& [name, function] : op_table()) {
    if (name != step.op) continue;
    function(run);
    return report;
  }
  run.fail("the process stage has no model for this op");
}

std::vector<std::string> supported_ops() {
  std::vector<std::string> names;
  for (const auto& entry : op_table()) names.push_back(entry.first);
  return names;
}

}  // namespace wlp::process
