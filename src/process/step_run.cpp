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

Box grown_box(const Box& box, Nm by) { return Box{{box.lo.x - by, box.lo.y - by}, {box.hi.x + by, box.hi.y + by}}; }

BoxedRegion::BoxedRegion(const Region& region) {
  polygons_.reserve(region.size());
  for (const layout::Polygon& polygon : region)
    if (polygon.outer.size() >= 3) polygons_.emplace_back(layout::bounding_box(polygon.outer), polygon);
}

Region BoxedRegion::near(const Box& box) const {
  Region out;
  for (const auto& [polygon_box, polygon] : polygons_)
    if (polygon_box.overlaps(box)) out.push_back(polygon);
  return out;
}

namespace {

/// One polygon of a cell with its box and the height of its column's top.
struct TopPiece {
  layout::Polygon polygon;  // a copy: the edit moves the cells' regions away tile by tile
  Box box;
  Nm top;
};

/// The disjoint zones of one tile for a grey-level dilation by a flat disc of radius side_nm:
/// zone k is what the columns at or above level k reach and no higher level did; its columns
/// rise to level k + top_nm. Only the columns within side_nm of the tile take part.
std::vector<WaferModel::EditZone> dilation_zones(const std::vector<TopPiece>& pieces, const Box& tile, Nm top_nm,
                                                 Nm side_nm, const std::function<WaferModel::StackEdit(Nm)>& grow_to) {
  const Box near = grown_box(tile, side_nm);
  std::vector<const TopPiece*> local;
  std::set<Nm, std::greater<>> levels;
  for (const TopPiece& piece : pieces)
    if (piece.box.overlaps(near)) {
      local.push_back(&piece);
      levels.insert(piece.top);
    }
  const Region tile_region{layout::box_polygon(tile)};
  std::vector<WaferModel::EditZone> zones;
  Region at_or_above, reached;
  for (Nm level : levels) {
    // The levels descend, so each reach contains the one before: the new zone is the ring
    // between them.
    for (const TopPiece* piece : local)
      if (piece->top == level) at_or_above.push_back(piece->polygon);
    Region reach = layout::region_and(layout::sized(at_or_above, side_nm), tile_region);
    Region zone = layout::region_not(reach, reached);
    reached = std::move(reach);
    if (!zone.empty()) zones.push_back(WaferModel::EditZone{std::move(zone), grow_to(level + top_nm)});
  }
  return zones;
}

}  // namespace

void grow_film(WaferModel& model, Nm top_nm, Nm side_nm, MaterialIndex material, FilmIndex film) {
  auto grow_to = [=](Nm level) -> WaferModel::StackEdit {
    return [=](const Stack& s) { return with_filled_to(s, std::max(stack_top(s) + top_nm, level), material, film); };
  };
  if (side_nm <= 0) {
    model.edit(grow_to(std::numeric_limits<Nm>::min()));
    return;
  }
  // Grey-level dilation of the surface by a flat disc: a column within side_nm of a higher
  // column rises to that column's top (plus top_nm): the sidewall film. Tile by tile, from
  // the columns near each tile only (a die-wide dilation merges thousands of polygons at once).
  std::vector<TopPiece> pieces;
  for (const Cell& cell : model.cells()) {
    const Nm top = stack_top(model.stack(cell.stack));
    for (const layout::Polygon& polygon : cell.region)
      pieces.push_back(TopPiece{polygon, layout::bounding_box(polygon.outer), top});
  }
  model.edit_tiles([&](const Box& tile) { return dilation_zones(pieces, tile, top_nm, side_nm, grow_to); });
}

std::string um(Nm length) { return fmt::format("{:.3f} um", layout::to_um(length)); }
std::string um_m(double length_m) { return fmt::format("{:.3f} um", length_m * 1e6); }
std::string celsius(double temperature_K) { return fmt::format("{:.0f} C", temperature_K - 273.15); }

}  // namespace wlp::process
