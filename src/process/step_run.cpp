#include "process/step_run.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "design/diagnostics.h"

namespace wlp::process {

// --- StepRun ----------------------------------------------------------------------------------

void StepRun::fail(const std::string& message, const std::string& param) const {
  design::SourcePos where = step.where;
  if (!param.empty()) {
    auto it = step.param_where.find(param);
    if (it != step.param_where.end() && it->second.line > 0) where = it->second;
  }
  const std::string key = fmt::format("recipe.step[{}]{}", step.index - 1, param.empty() ? "" : "." + param);
  throw design::InputError({design::Diagnostic{where, key, fmt::format("{}: {}", step.label(), message)}});
}

std::optional<Nm> StepRun::length_nm(const std::string& key) const {
  const auto value = step.number(key);
  if (!value) return std::nullopt;
  return layout::to_nm(*value);
}

Nm StepRun::required_length_nm(const std::string& key) const {
  const auto value = length_nm(key);
  if (!value) fail(fmt::format("needs `{}`", key), key);
  return *value;
}

double StepRun::fraction(const std::string& key, double fallback, double lo, double hi) const {
  const auto value = step.number(key);
  if (!value) return fallback;
  if (*value < lo || *value > hi) fail(fmt::format("`{}` = {} is outside {}..{}", key, *value, lo, hi), key);
  return *value;
}

double StepRun::material_number(const std::string& id, const std::string& key, double fallback) const {
  const design::Material* m = material(id);
  if (!m) return fallback;
  return m->nominal(key).value_or(fallback);
}

const std::string& StepRun::class_of(MaterialIndex m) const {
  static const std::string unknown;
  const design::Material* found = material(model.material_id(m));
  return found ? found->material_class : unknown;
}

bool StepRun::is_conductive(MaterialIndex m) const {
  const std::string& c = class_of(m);
  if (c == "metal" || c == "solder" || c == "intermetallic") return true;
  // Conductive composites (Ag epoxy) carry current once filled; a seed can be one.
  return c == "composite" && model.material_id(m).find("Ag") != std::string::npos;
}

bool StepRun::is_wettable(MaterialIndex m) const {
  const design::Material* found = material(model.material_id(m));
  return found && found->is_solder_wettable;
}

bool StepRun::is_resist(const Interval& piece) const { return model.film(piece.film).kind == FilmKind::Resist; }

double StepRun::decomposition_K(MaterialIndex m) const {
  return material_number(model.material_id(m), "decomposition_temperature", std::numeric_limits<double>::infinity());
}

// --- column edits -----------------------------------------------------------------------------

Stack with_on_top(const Stack& stack, Nm thickness, MaterialIndex material, FilmIndex film, std::uint8_t flags) {
  Stack out = stack;
  const Nm top = stack_top(stack);
  out.push_back(Interval{top, top + thickness, material, film, flags});
  return out;
}

Stack with_filled_to(const Stack& stack, Nm z_to, MaterialIndex material, FilmIndex film, std::uint8_t flags) {
  Stack out = stack;
  const Nm top = stack_top(stack);
  if (z_to > top) out.push_back(Interval{top, z_to, material, film, flags});
  return out;
}

Stack without(const Stack& stack, const std::function<bool(const Interval&)>& drop) {
  Stack out;
  out.reserve(stack.size());
  for (const Interval& piece : stack)
    if (!drop(piece)) out.push_back(piece);
  return out;
}

Stack cut_at(const Stack& stack, Nm z) {
  Stack out;
  for (Interval piece : stack) {
    if (piece.z_bottom >= z) continue;
    piece.z_top = std::min(piece.z_top, z);
    out.push_back(piece);
  }
  return out;
}

const Interval* top_interval(const Stack& stack, const std::function<bool(const Interval&)>& skip) {
  for (auto it = stack.rbegin(); it != stack.rend(); ++it)
    if (!skip || !skip(*it)) return &*it;
  return nullptr;
}

bool has_resist(const WaferModel& model) {
  for (const Cell& cell : model.cells())
    for (const Interval& piece : model.stack(cell.stack))
      if (model.film(piece.film).kind == FilmKind::Resist) return true;
  return false;
}

double grow_film(WaferModel& model, Nm top_nm, Nm side_nm, MaterialIndex material, FilmIndex film, std::uint8_t flags,
                 const Region* where) {
  const Region limit = where ? *where : model.window_region();
  double grown_um2 = 0;
  for (const Cell& cell : model.cells())
    grown_um2 += where ? layout::area_um2(layout::region_and(cell.region, limit)) : layout::disjoint_area_um2(cell.region);
  auto grow_to = [&](Nm level) {
    return [=](const Stack& s) {
      const Nm top = stack_top(s);
      return with_filled_to(s, std::max(top + top_nm, level), material, film, flags);
    };
  };
  if (side_nm <= 0) {
    if (where) model.edit_inside(limit, grow_to(std::numeric_limits<Nm>::min()));
    else model.edit(grow_to(std::numeric_limits<Nm>::min()));
    return grown_um2;
  }
  // Grey-level dilation of the surface by a flat disc: a column within side_nm of a higher
  // column rises to that column's top (plus top_nm): the sidewall film.
  std::set<Nm, std::greater<>> levels;
  for (const Cell& cell : model.cells()) levels.insert(stack_top(model.stack(cell.stack)));
  // The zones are disjoint (each level claims what no higher level reached), so one pass
  // edits every column once, as it was before growth.
  std::vector<WaferModel::EditZone> zones;
  Region claimed;
  for (Nm level : levels) {
    const Region at_or_above = model.region_where([&](const Stack& s) { return stack_top(s) >= level; });
    Region reach = layout::sized(at_or_above, side_nm);
    Region zone = layout::region_not(reach, claimed);
    if (where) zone = layout::region_and(zone, limit);
    claimed = layout::region_or(claimed, reach);
    if (zone.empty()) continue;
    const Nm zone_level = level + top_nm;
    zones.push_back(WaferModel::EditZone{std::move(zone), [=](const Stack& s) {
                                           const Nm top = stack_top(s);
                                           return with_filled_to(s, std::max(top + top_nm, zone_level), material, film, flags);
                                         }});
  }
  model.edit_zones(zones);
  return grown_um2;
}

std::string um(Nm length) { return fmt::format("{:.3f} um", layout::to_um(length)); }
std::string um_m(double length_m) { return fmt::format("{:.3f} um", length_m * 1e6); }
std::string celsius(double temperature_K) { return fmt::format("{:.0f} C", temperature_K - 273.15); }

}  // namespace wlp::process
