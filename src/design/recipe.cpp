#include "design/recipe.h"

#include <algorithm>
#include <fmt/format.h>

#include "design/table_reader.h"

namespace wlp::design {
namespace {

ParamSpec quantity(std::string name, Dimension dimension, bool required, std::string meaning) {
  return ParamSpec{std::move(name), ParamKind::Quantity, dimension, {}, required, std::move(meaning)};
}
ParamSpec choice(std::string name, std::vector<std::string> choices, bool required, std::string meaning) {
  return ParamSpec{std::move(name), ParamKind::Choice, {}, std::move(choices), required, std::move(meaning)};
}
ParamSpec flag(std::string name, std::string meaning) {
  return ParamSpec{std::move(name), ParamKind::Flag, {}, {}, false, std::move(meaning)};
}
ParamSpec text(std::string name, bool required, std::string meaning) {
  return ParamSpec{std::move(name), ParamKind::Text, {}, {}, required, std::move(meaning)};
}
ParamSpec layer(bool required) {
  return ParamSpec{"layer", ParamKind::LayerRef, {}, {}, required, "stack layer name"};
}
ParamSpec material(std::string name, bool required, std::string meaning) {
  return ParamSpec{std::move(name), ParamKind::MaterialRef, {}, {}, required, std::move(meaning)};
}

std::vector<OpSpec> make_registry() {
  using namespace dims;
  const ParamSpec thickness = quantity("thickness", length, false, "film thickness");
  return {
      {"deposit", "blanket film by a vapour or plating method",
       {choice("method", {"pecvd", "cvd", "sputter", "pvd", "evaporate", "electroless", "thermal_oxidation"}, true,
               "deposition method"),
        layer(false), material("material", false, "film material"), thickness,
        quantity("temperature", temperature, false, "substrate temperature"),
        quantity("step_coverage", dimensionless, false,
                 "sidewall / top thickness ratio, 0-1 (default by method: cvd 1, pecvd 0.7, sputter/pvd 0.5, "
                 "evaporate 0.1)")},
       true},
      {"spin_coat", "liquid applied by spinning (centrifuging)",
       {layer(false), material("material", false, "coated material"), thickness,
        quantity("soft_bake_temperature", temperature, false, "soft bake"),
        quantity("planarization", dimensionless, false,
                 "degree of planarization 0 (conformal) - 1 (flat surface); default 0.5")},
       true},
      {"laminate", "dry film laminated on the wafer",
       {layer(false), material("material", false, "film material"), thickness, flag("vacuum", "laminate in vacuum"),
        flag("pre_opened", "film with openings made before lamination"),
        quantity("temperature", temperature, false, "lamination temperature"),
        quantity("pressure", pressure, false, "lamination pressure"),
        quantity("planarization", dimensionless, false, "degree of planarization 0-1; default 0.9")},
       true},
      {"cure", "thermal cure, binder hardening or laser fusing",
       {quantity("temperature", temperature, true, "cure temperature"), quantity("time", time, true, "cure time"),
        layer(false), choice("method", {"oven", "hotplate", "laser"}, false, "heating method")}},
      {"lithography", "coat, expose and develop a resist",
       {text("mask", true, "mask name"), material("resist", false, "resist material (default photoresist)"),
        thickness, choice("tone", {"positive", "negative"}, false, "resist tone")}},
      {"resist_coat", "spin-coat a photoresist",
       {material("resist", false, "resist material (default photoresist)"), thickness,
        choice("tone", {"positive", "negative"}, false, "resist tone")}},
      {"expose", "expose the resist through a mask", {text("mask", true, "mask name")}},
      {"develop", "develop the exposed resist (positive) or the unexposed (negative)", {}},
      {"decompose", "heat a sacrificial layer above its decomposition temperature",
       {quantity("temperature", temperature, true, "temperature"), quantity("time", time, true, "time"),
        layer(true), text("atmosphere", false, "furnace atmosphere")}},
      {"expose_develop", "pattern a photosensitive layer directly",
       {layer(true), text("mask", true, "mask name")}},
      {"etch", "remove material",
       {text("target", true, "layer name or material id"),
        choice("method", {"wet", "plasma", "rie", "ion_mill"}, true, "etch method"), text("mask", false, "mask name"),
        quantity("depth", length, false, "etch depth (default: through the target)"),
        material("stop_on", false, "material the etch stops on"),
        flag("isotropic", "isotropic etch with undercut (default: true for wet, false otherwise)"),
        quantity("undercut", length, false, "lateral etch under the mask edge (default: the etched depth when isotropic)"),
        quantity("selectivity", dimensionless, false, "etch rate of the target over that of the stop material"),
        quantity("over_etch", dimensionless, false, "over-etch as a fraction of the etch time (0-1)")}},
      {"strip", "remove a resist",
       {material("resist", false, "resist (default photoresist)"),
        choice("method", {"wet", "plasma", "solvent"}, false, "strip method")}},
      {"clean", "surface clean",
       {choice("method", {"plasma", "wet", "solvent"}, true, "clean method"), quantity("time", time, false, "duration")}},
      {"electroplate", "plate through a resist pattern",
       {material("material", true, "plated metal"), quantity("thickness", length, true, "plated thickness"),
        text("mask", false, "mask name")}},
      {"anneal", "heat treatment",
       {quantity("temperature", temperature, true, "anneal temperature"), quantity("time", time, true, "anneal time"),
        text("atmosphere", false, "furnace atmosphere")}},
      {"polish", "planarize",
       {choice("method", {"cmp", "plasma", "grind"}, true, "polish method"), layer(false),
        quantity("thickness", length, false, "final thickness of the polished layer"),
        text("stop_on", false, "layer or material the polish stops on")},
       false, true},
      {"print", "fill openings with a paste",
       {material("material", true, "paste material"),
        choice("method", {"doctor_blade", "screen", "stencil", "dispense"}, true, "printing method"),
        text("mask", false, "stencil or screen name"), thickness}},
      {"place_balls", "place spheres on the sites",
       {choice("kind", {"solder", "metallized_plastic"}, true, "ball kind"),
        quantity("diameter", length, true, "ball diameter"), material("material", false, "ball material")}},
      {"reflow", "melt solder",
       {quantity("peak_temperature", temperature, true, "peak temperature"),
        quantity("time_above_liquidus", time, false, "time above liquidus"), text("atmosphere", false, "atmosphere")}},
      {"stud_bump", "wire-bonded stud bumps",
       {material("material", true, "wire metal"), quantity("diameter", length, true, "stud diameter"),
        quantity("height", length, true, "stud height"), quantity("wire_diameter", length, false, "wire diameter")}},
      {"attach_column", "fix metal columns with a conductive adhesive",
       {material("material", true, "column metal"), quantity("diameter", length, true, "column diameter"),
        quantity("height", length, true, "column height"), material("adhesive", true, "conductive adhesive")}},
      {"foil_laminate", "bond a metal foil (in vacuum, then vent to atmosphere)",
       {material("material", true, "foil metal"), quantity("thickness", length, true, "foil thickness"),
        material("adhesive", true, "foil adhesive"), flag("vacuum", "laminate in vacuum")}},
      {"flux", "apply flux", {material("material", false, "flux")}},
      {"dice", "saw the wafer into chips",
       {quantity("street_width", length, true, "dicing street width"),
        quantity("blade_thickness", length, false, "blade thickness")}},
  };
}

}  // namespace

const std::vector<OpSpec>& step_registry() {
  static const std::vector<OpSpec> registry = make_registry();
  return registry;
}

const OpSpec* find_op(const std::string& name) {
  for (const OpSpec& op : step_registry())
    if (op.name == name) return &op;
  return nullptr;
}

std::optional<double> Step::number(const std::string& key) const {
  const auto found = params.find(key);
  if (found == params.end() || !std::holds_alternative<double>(found->second)) return std::nullopt;
  return std::get<double>(found->second);
}

std::optional<std::string> Step::text(const std::string& key) const {
  const auto found = params.find(key);
  if (found == params.end() || !std::holds_alternative<std::string>(found->second)) return std::nullopt;
  return std::get<std::string>(found->second);
}

std::optional<bool> Step::flag(const std::string& key) const {
  const auto found = params.find(key);
  if (found == params.end() || !std::holds_alternative<bool>(found->second)) return std::nullopt;
  return std::get<bool>(found->second);
}

std::string Step::label() const { return fmt::format("step {} '{}' ({})", index, name, op); }

const Step* Recipe::first(const std::string& op, std::size_t from_index) const {
  for (std::size_t i = from_index; i < steps.size(); ++i)
    if (steps[i].op == op) return &steps[i];
  return nullptr;
}

Step read_step(TableReader& table, int index) {
  Step step;
  step.index = index;
  step.where = table.where();
  step.op = table.text("op", true).value_or("");
  step.name = table.text("name").value_or(fmt::format("{}-{}", step.op, index));
  step.note = table.text("note").value_or("");
  const OpSpec* spec = find_op(step.op);
  if (!spec) {
    if (!step.op.empty()) {
      std::vector<std::string> known;
      for (const OpSpec& op : step_registry()) known.push_back(op.name);
      const std::string suggestion = nearest_match(step.op, known);
      table.error("op", fmt::format("unknown step op \"{}\"{}; known ops: {}", step.op,
                                    suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion),
                                    joined(known)));
    }
    for (const auto& key : {"layer", "material", "thickness", "temperature", "time", "method", "mask"}) table.allow(key);
    return step;
  }
  for (const ParamSpec& param : spec->params) {
    step.param_where[param.name] = table.position_of(param.name);
    switch (param.kind) {
      case ParamKind::Quantity: {
        const auto value = param.is_required ? table.required_quantity(param.name, param.dimension, Sign::Positive)
                                             : table.quantity(param.name, param.dimension, Sign::Positive);
        if (value) step.params[param.name] = *value;
        break;
      }
      case ParamKind::Choice:
        if (param.is_required || table.has(param.name)) {
          const std::string value = table.choice(param.name, param.choices, param.is_required
                                                                                ? std::nullopt
                                                                                : std::optional<std::string>(""));
          if (!value.empty()) step.params[param.name] = value;
        }
        break;
      case ParamKind::Flag:
        if (const auto value = table.flag(param.name)) step.params[param.name] = *value;
        break;
      case ParamKind::Text:
      case ParamKind::LayerRef:
      case ParamKind::MaterialRef:
        if (const auto value = table.text(param.name, param.is_required)) step.params[param.name] = *value;
        break;
    }
  }
  if (spec->needs_layer_or_material) {
    const bool has_layer = step.has("layer");
    const bool has_material = step.has("material") && step.has("thickness");
    if (!has_layer && !has_material && !table.diagnostics().has_errors())
      table.error("layer", fmt::format("{} needs `layer` (a stack layer) or both `material` and `thickness`", step.op));
  }
  if (spec->needs_thickness_or_stop && !step.has("thickness") && !step.has("stop_on"))
    table.error("thickness", fmt::format("{} needs `thickness` (final thickness) or `stop_on`", step.op));
  return step;
}

}  // namespace wlp::design
