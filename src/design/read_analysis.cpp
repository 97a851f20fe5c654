// [analysis]: the thermal-cycling profile (named condition, custom trapezoid or custom table),
// the life model and the FE options (docs/design-format.md, "[analysis]").
#include "design/read_analysis.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

#include "design/model_symmetry.h"
#include "design/thermal_profile.h"

namespace wlp::design::detail {
namespace {

constexpr const char* kCustom = "custom";

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  if (suffix.size() > text.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), text.end() - static_cast<std::ptrdiff_t>(suffix.size()),
                    [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) ==
                                                std::tolower(static_cast<unsigned char>(b)); });
}

// A bare condition letter ("G", "tc3") is not accepted, so that a file always says which
// standard it means; the error suggests the full name.
std::string suggested_profile(const std::string& written, const std::vector<std::string>& known) {
  for (const std::string& name : known)
    if (!written.empty() && ends_with_ignoring_case(name, "-" + written)) return name;
  return nearest_match(written, known);
}

// The profile name, or "" (after reporting) when it is missing or unknown.
std::string read_profile_name(TableReader& table) {
  const std::optional<std::string> written = table.text("profile", true);
  if (!written) return "";
  if (*written == kCustom || find_cycling_condition(*written)) return *written;
  std::vector<std::string> known{kCustom};
  for (const CyclingCondition& condition : cycling_conditions()) known.emplace_back(condition.name);
  const std::string suggestion = suggested_profile(*written, known);
  table.error("profile", fmt::format("value \"{}\" is not a known profile; expected one of: {}{}", *written,
                                     joined(known),
                                     suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion)));
  return "";
}

void forbid(TableReader& table, std::initializer_list<const char*> keys, const std::string& reason) {
  for (const char* key : keys)
    if (table.has(key)) table.error(key, fmt::format("{} does not apply: {}", key, reason));
}

// dwell and one of ramp / ramp_rate, for a trapezoid whose extremes are already set.
void read_dwell_and_ramp(TableReader& table, ThermalCycling& cycling) {
  cycling.dwell_s = table.required_quantity("dwell", dims::time, Sign::Positive).value_or(0.0);
  const bool has_ramp = table.has("ramp");
  const bool has_rate = table.has("ramp_rate");
  if (has_ramp && has_rate) {
    table.error("ramp_rate", "give either ramp (a time) or ramp_rate (a temperature rate), not both");
  } else if (has_rate) {
    const auto rate_K_per_s = table.quantity("ramp_rate", dims::temperature_rate, Sign::Positive);
    const double span_K = cycling.t_max_K - cycling.t_min_K;
    if (rate_K_per_s && span_K > 0) cycling.ramp_s = span_K / *rate_K_per_s;  // time of one ramp = ΔT / rate
  } else if (has_ramp) {
    cycling.ramp_s = table.quantity("ramp", dims::time, Sign::Positive).value_or(0.0);
  } else {
    table.error("ramp", "missing required key 'ramp' (a time, e.g. \"15 min\") or 'ramp_rate' (a temperature rate, "
                        "e.g. \"11 C/min\")");
  }
}

void read_custom_extremes(TableReader& table, ThermalCycling& cycling) {
  cycling.t_min_K = table.required_quantity("t_min", dims::temperature).value_or(0.0);
  cycling.t_max_K = table.required_quantity("t_max", dims::temperature).value_or(0.0);
  if (cycling.t_max_K <= cycling.t_min_K && cycling.t_max_K > 0)
    table.error("t_max", fmt::format("t_max {} must be above t_min {}", format_quantity(cycling.t_max_K, dims::temperature),
                                     format_quantity(cycling.t_min_K, dims::temperature)));
}

// An array as written, for messages: ["15 min", "125 C"] (ConfigNode::value_text abbreviates arrays).
std::string array_text(const ConfigNode& array) {
  std::vector<std::string> items;
  for (const ConfigNode& item : array.items) items.push_back(item.is_array() ? array_text(item) : item.value_text());
  return "[" + joined(items) + "]";
}

// One [time, temperature] item of `points`; nullopt (after reporting) when it cannot be read.
std::optional<ProfilePoint> read_point(TableReader& table, const ConfigNode& item, std::size_t index) {
  const std::string item_path = fmt::format("points[{}]", index);
  const bool is_pair = item.is_array() && item.items.size() == 2;
  if (!is_pair) {
    table.diagnostics().add(item.where, table.key_path() + "." + item_path,
                            fmt::format("value {} is {}; expected a pair [time, temperature], e.g. [\"15 min\", \"125 C\"]",
                                        item.is_array() ? array_text(item) : item.value_text(),
                                        item.is_array() ? "not a pair" : item.kind_name()));
    return std::nullopt;
  }
  const auto time_s = table.item_quantity(item.items[0], item_path + "[0]", dims::time, Sign::NonNegative);
  const auto temperature_K = table.item_quantity(item.items[1], item_path + "[1]", dims::temperature);
  if (!time_s || !temperature_K) return std::nullopt;
  return ProfilePoint{*time_s, *temperature_K};
}

// A table's extremes are its coldest and hottest points (the first of equals). Rules about the
// extremes (GEN.BOARD.TG) look up t_min / t_max: they are located at those points.
void take_extremes(TableReader& table, const ConfigNode& points, ThermalCycling& cycling) {
  const auto by_temperature = [](const ProfilePoint& a, const ProfilePoint& b) { return a.temperature_K < b.temperature_K; };
  const auto coldest = std::min_element(cycling.points.begin(), cycling.points.end(), by_temperature);
  const auto hottest = std::max_element(cycling.points.begin(), cycling.points.end(), by_temperature);
  cycling.t_min_K = coldest->temperature_K;
  cycling.t_max_K = hottest->temperature_K;
  if (!table.positions()) return;
  const auto item_at = [&](auto point) -> const ConfigNode& {
    return points.items[static_cast<std::size_t>(point - cycling.points.begin())];
  };
  (*table.positions())[table.key_path() + ".t_min"] = item_at(coldest).where;
  (*table.positions())[table.key_path() + ".t_max"] = item_at(hottest).where;
}

void read_points(TableReader& table, ThermalCycling& cycling) {
  const ConfigNode* points = table.raw("points");
  if (!points->is_array()) {
    table.error("points", fmt::format("value {} is {}; expected an array of [time, temperature] pairs",
                                      points->value_text(), points->kind_name()));
    return;
  }
  std::vector<ProfilePoint> cycle;
  bool is_complete = true;
  for (std::size_t i = 0; i < points->items.size(); ++i) {
    const auto point = read_point(table, points->items[i], i);
    is_complete = is_complete && point.has_value();
    if (point) cycle.push_back(*point);
  }
  if (!is_complete) return;
  if (const auto problem = first_problem(cycle)) {
    const SourcePos at = points->items.empty() ? points->where : points->items[problem->index].where;
    const std::string value = array_text(points->items.empty() ? *points : points->items[problem->index]);
    table.diagnostics().add(at, fmt::format("{}.points[{}]", table.key_path(), problem->index),
                            fmt::format("value {}: {}", value, problem->message));
    return;
  }
  cycling.points = std::move(cycle);
  take_extremes(table, *points, cycling);
}

void read_profile_shape(TableReader& table, ThermalCycling& cycling) {
  if (const CyclingCondition* condition = find_cycling_condition(cycling.profile)) {
    cycling.t_min_K = condition->t_min_K;
    cycling.t_max_K = condition->t_max_K;
    forbid(table, {"t_min", "t_max"},
           fmt::format("it is fixed by profile {}; use profile = \"custom\" to set it", cycling.profile));
    forbid(table, {"points"}, "a points table needs profile = \"custom\"");
    read_dwell_and_ramp(table, cycling);
  } else if (cycling.profile == kCustom && table.has("points")) {
    forbid(table, {"t_min", "t_max", "dwell", "ramp", "ramp_rate"},
           "a points table gives the whole cycle (remove the key, or remove points and use t_min, t_max, dwell, ramp)");
    read_points(table, cycling);
  } else if (cycling.profile == kCustom) {
    read_custom_extremes(table, cycling);
    read_dwell_and_ramp(table, cycling);
  } else {
    for (const char* key : {"t_min", "t_max", "dwell", "ramp", "ramp_rate", "points"}) table.allow(key);
  }
}

ThermalCycling read_thermal_cycling(TableReader& table) {
  ThermalCycling cycling;
  cycling.profile = read_profile_name(table);
  read_profile_shape(table, cycling);
  cycling.n_cycles = static_cast<int>(table.integer("cycles", 1, 1000).value_or(3));
  cycling.stress_free_K = table.quantity("stress_free_temperature", dims::temperature).value_or(298.15);
  table.finish();
  return cycling;
}

LifeModel read_life(TableReader& table) {
  LifeModel model;
  model.model = table.choice("model", {"syed_energy", "syed_creep_strain", "darveaux_2000", "darveaux_1995",
                                       "engelmaier", "solomon"});
  model.damage_layer_thickness_m =
      table.quantity("damage_layer_thickness", dims::length, Sign::Positive).value_or(kDefaultInterfaceLayerThickness_m);
  model.weibull_shape = table.number("weibull_shape").value_or(8.0);
  if (model.weibull_shape <= 0) table.error("weibull_shape", "the Weibull shape must be greater than zero");
  table.finish();
  return model;
}

// One of the spellings in `names`; the first (the default) when absent or wrong.
template <typename Option, std::size_t N>
Option option_at(TableReader& table, std::string_view key, const std::array<std::pair<std::string_view, Option>, N>& names) {
  std::vector<std::string> allowed;
  for (const auto& [name, value] : names) allowed.emplace_back(name);
  const std::string chosen = table.choice(key, allowed, allowed.front());
  for (const auto& [name, value] : names)
    if (name == chosen) return value;
  return names.front().second;
}

void check_symmetry(TableReader& table, const Design& design, ModelSymmetry chosen) {
  const std::string breaker = symmetry_breaker(design, chosen);
  if (breaker.empty()) return;
  table.error("symmetry", fmt::format("value \"{}\": {}; this design allows at most \"{}\" (use \"auto\" or a lower "
                                      "symmetry)",
                                      to_string(chosen), breaker, to_string(highest_symmetry(design))));
}

// Tighter than 1e-12 is below the round-off of the assembled forces; looser than 1e-3 lets the
// joints' stresses drift by percents over a cycle.
constexpr double kMinNewtonTolerance = 1e-12;
constexpr double kMaxNewtonTolerance = 1e-3;

FeOptions read_fe_options(TableReader table, const Design& design) {
  FeOptions fe;
  if (design.analyses.life) fe.interface_layer_thickness_m = design.analyses.life->damage_layer_thickness_m;
  if (!table.exists()) return fe;
  fe.symmetry = option_at(table, "symmetry", kModelSymmetryNames);
  fe.refinement = static_cast<int>(table.integer("refinement", 1, 16).value_or(fe.refinement));
  fe.element = option_at(table, "element", kElementKindNames);
  fe.solder_law = option_at(table, "solder_law", kSolderLawNames);
  fe.has_metal_plasticity = table.flag("metal_plasticity").value_or(fe.has_metal_plasticity);
  fe.linear_solver = option_at(table, "linear_solver", kLinearSolverNames);
  fe.interface_layer_thickness_m = table.quantity("interface_layer_thickness", dims::length, Sign::Positive)
                                       .value_or(fe.interface_layer_thickness_m);
  fe.board_margin_m = table.quantity("board_margin", dims::length, Sign::NonNegative).value_or(fe.board_margin_m);
  fe.max_temperature_step_K =
      table.temperature_difference("max_temperature_step", Sign::Positive).value_or(fe.max_temperature_step_K);
  if (const std::optional<double> tolerance = table.number("newton_tolerance")) {
    if (*tolerance >= kMinNewtonTolerance && *tolerance <= kMaxNewtonTolerance)
      fe.newton_tolerance = *tolerance;
    else
      table.error("newton_tolerance", fmt::format("value {} is outside the allowed range; expected a number from {} to {}",
                                                  *tolerance, kMinNewtonTolerance, kMaxNewtonTolerance));
  }
  check_symmetry(table, design, fe.symmetry);
  table.finish();
  return fe;
}

}  // namespace

void read_analysis(TableReader table, Design& design) {
  if (!table.exists()) return;
  TableReader cycling = table.table("thermal_cycling");
  if (cycling.exists()) design.analyses.thermal_cycling = read_thermal_cycling(cycling);
  TableReader life = table.table("life");
  if (life.exists()) design.analyses.life = read_life(life);
  design.analyses.fe = read_fe_options(table.table("fe"), design);
  table.finish();
}

}  // namespace wlp::design::detail
