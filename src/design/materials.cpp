#include "design/materials.h"

#include <algorithm>
#include <cstdlib>
#include <fmt/format.h>

namespace wlp::design {

double PropertyValue::at(double temperature_K) const {
  if (constant_si) return *constant_si;
  if (points.empty()) return 0.0;
  if (temperature_K <= points.front().first) return points.front().second;
  if (temperature_K >= points.back().first) return points.back().second;
  for (std::size_t i = 1; i < points.size(); ++i) {
    const auto& [t1, v1] = points[i];
    if (temperature_K <= t1) {
      const auto& [t0, v0] = points[i - 1];
      return v0 + (v1 - v0) * (temperature_K - t0) / (t1 - t0);  // linear in T
    }
  }
  return points.back().second;
}

const PropertyValue* Material::property(const std::string& key) const {
  const auto found = properties.find(key);
  return found == properties.end() ? nullptr : &found->second;
}

std::optional<double> Material::nominal(const std::string& key) const {
  const PropertyValue* value = property(key);
  if (!value) return std::nullopt;
  return value->nominal();
}

const std::vector<std::pair<std::string, Dimension>>& material_property_schema() {
  static const std::vector<std::pair<std::string, Dimension>> schema{
      {"youngs_modulus", dims::pressure},
      {"youngs_modulus_z", dims::pressure},
      {"shear_modulus_xy", dims::pressure},
      {"poisson_ratio", dims::dimensionless},
      {"poisson_ratio_xz", dims::dimensionless},
      {"cte", dims::inverse_temperature},
      {"cte_z", dims::inverse_temperature},
      {"cte_above_tg", dims::inverse_temperature},
      {"cte_z_above_tg", dims::inverse_temperature},
      {"density", dims::density},
      {"glass_transition_temperature", dims::temperature},
      {"decomposition_temperature", dims::temperature},
      {"melting_temperature", dims::temperature},
      {"liquidus_temperature", dims::temperature},
      {"yield_strength", dims::pressure},
      {"tangent_modulus", dims::pressure},
      {"residual_stress", dims::pressure},
      {"resistivity", dims::resistivity},
      {"relative_permittivity", dims::dimensionless},
      {"thermal_conductivity", dims::thermal_conductivity},
      {"cure_shrinkage", dims::dimensionless},
      {"metal_volume_fraction", dims::dimensionless},
  };
  return schema;
}

const std::vector<std::string>& material_classes() {
  static const std::vector<std::string> classes{"semiconductor", "metal",   "solder",    "intermetallic", "dielectric",
                                                "polymer",       "composite", "board",   "resist"};
  return classes;
}

namespace {

const std::vector<std::string> kGrades{"V", "L", "C", "?"};

// One value of a property table: a quantity string, or a bare number when dimensionless.
std::optional<double> value_of(const ConfigNode& node, const Dimension& dimension, const std::string& key_path,
                               Diagnostics& diagnostics) {
  ConfigNode holder;
  holder.kind = ConfigNode::Kind::Table;
  holder.members.emplace_back("value", node);
  TableReader reader(&holder, key_path, diagnostics, nullptr);
  if (dimension == dims::dimensionless) return reader.number("value");
  return reader.quantity("value", dimension);
}

std::optional<PropertyValue> read_property(TableReader& property, const Dimension& dimension) {
  PropertyValue result;
  result.dimension = dimension;
  result.where = property.where();
  Diagnostics& diagnostics = property.diagnostics();
  const std::size_t errors_before = diagnostics.n_errors();
  if (dimension == dims::dimensionless)
    result.constant_si = property.number("value");
  else
    result.constant_si = property.quantity("value", dimension);
  if (const ConfigNode* points = property.raw("points")) {
    const std::string points_path = property.key_path() + ".points";
    if (!points->is_array() || points->items.empty()) {
      diagnostics.add(points->where, points_path, "expected a list of [temperature, value] pairs");
    } else {
      for (const ConfigNode& pair : points->items) {
        if (!pair.is_array() || pair.items.size() != 2) {
          diagnostics.add(pair.where, points_path,
                          fmt::format("item {} is not a [temperature, value] pair", pair.value_text()));
          continue;
        }
        const auto temperature = value_of(pair.items[0], dims::temperature, points_path, diagnostics);
        const auto value = value_of(pair.items[1], dimension, points_path, diagnostics);
        if (temperature && value) result.points.emplace_back(*temperature, *value);
      }
      for (std::size_t i = 1; i < result.points.size(); ++i)
        if (!(result.points[i].first > result.points[i - 1].first))
          diagnostics.add(points->where, points_path, "temperatures must increase from one point to the next");
    }
  }
  if (const ConfigNode* range = property.raw("range")) {
    const std::string range_path = property.key_path() + ".range";
    if (!range->is_array() || range->items.size() != 2) {
      diagnostics.add(range->where, range_path, "expected [low, high]");
    } else {
      const auto low = value_of(range->items[0], dimension, range_path, diagnostics);
      const auto high = value_of(range->items[1], dimension, range_path, diagnostics);
      if (low && high) {
        if (*low > *high) diagnostics.add(range->where, range_path, "low is greater than high");
        result.range_si = std::make_pair(*low, *high);
      }
    }
  }
  if (result.constant_si.has_value() == !result.points.empty() && diagnostics.n_errors() == errors_before)
    property.error("value", "a property needs exactly one of `value` and `points`");
  result.quoted_at_K = property.quantity("at", dims::temperature);
  result.source = property.text("source", true).value_or("");
  result.grade = property.choice("grade", kGrades);
  property.finish();
  if (diagnostics.n_errors() != errors_before) return std::nullopt;
  return result;
}

std::string text_of_law(TableReader& law, std::string& grade) {
  grade = law.choice("grade", kGrades);
  return law.text("source", true).value_or("");
}

AnandConstants read_anand(TableReader& law) {
  AnandConstants c;
  c.s0_Pa = law.required_quantity("s0", dims::pressure, Sign::Positive).value_or(0);
  c.q_over_r_K = law.required_quantity("q_over_r", dims::temperature, Sign::Positive).value_or(0);
  c.a_per_s = law.required_quantity("a", dims::inverse_time, Sign::Positive).value_or(0);
  c.xi = law.number("xi", true).value_or(0);
  c.m = law.number("m", true).value_or(0);
  c.h0_Pa = law.required_quantity("h0", dims::pressure, Sign::Positive).value_or(0);
  c.s_hat_Pa = law.required_quantity("s_hat", dims::pressure, Sign::Positive).value_or(0);
  c.n = law.number("n", true).value_or(0);
  c.a_exp = law.number("a_exp", true).value_or(0);
  c.source = text_of_law(law, c.grade);
  law.finish();
  return c;
}

GarofaloConstants read_garofalo(TableReader& law) {
  GarofaloConstants c;
  c.c1_per_s = law.required_quantity("c1", dims::inverse_time, Sign::Positive).value_or(0);
  c.c2_per_Pa = law.required_quantity("c2", dims::inverse_pressure, Sign::Positive).value_or(0);
  c.c3 = law.number("c3", true).value_or(0);
  c.c4_K = law.required_quantity("c4", dims::temperature, Sign::Positive).value_or(0);
  c.source = text_of_law(law, c.grade);
  law.finish();
  return c;
}

DoublePowerConstants read_double_power(TableReader& law) {
  DoublePowerConstants c;
  c.a1_per_s = law.required_quantity("a1", dims::inverse_time, Sign::Positive).value_or(0);
  c.n1 = law.number("n1", true).value_or(0);
  c.q1_over_r_K = law.required_quantity("q1_over_r", dims::temperature, Sign::Positive).value_or(0);
  c.a2_per_s = law.required_quantity("a2", dims::inverse_time, Sign::Positive).value_or(0);
  c.n2 = law.number("n2", true).value_or(0);
  c.q2_over_r_K = law.required_quantity("q2_over_r", dims::temperature, Sign::Positive).value_or(0);
  c.stress_unit = law.choice("stress_unit", {"Pa", "MPa", "psi"});
  c.source = text_of_law(law, c.grade);
  law.finish();
  return c;
}

void read_material_into(TableReader& table, Material& material) {
  material.where = table.where();
  if (auto description = table.text("description")) material.description = *description;
  if (table.has("class")) material.material_class = table.choice("class", material_classes());
  if (auto organic = table.flag("organic")) material.is_organic = *organic;
  if (auto wettable = table.flag("solder_wettable")) material.is_solder_wettable = *wettable;
  for (const auto& [key, dimension] : material_property_schema()) {
    if (!table.has(key)) continue;
    TableReader property = table.table(key);
    if (!property.exists()) continue;
    if (auto value = read_property(property, dimension)) material.properties[key] = *value;
  }
  if (table.has("anand")) {
    TableReader law = table.table("anand");
    if (law.exists()) material.anand = read_anand(law);
  }
  if (table.has("garofalo")) {
    TableReader law = table.table("garofalo");
    if (law.exists()) material.garofalo = read_garofalo(law);
  }
  if (table.has("double_power")) {
    TableReader law = table.table("double_power");
    if (law.exists()) material.double_power = read_double_power(law);
  }
  table.finish();
}

bool is_valid_id(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

const Material* MaterialLibrary::find(const std::string& id) const {
  const auto found = materials_.find(id);
  return found == materials_.end() ? nullptr : &found->second;
}

std::vector<std::string> MaterialLibrary::ids() const {
  std::vector<std::string> result;
  for (const auto& [id, material] : materials_) result.push_back(id);
  return result;
}

std::filesystem::path data_directory() {
  if (const char* from_environment = std::getenv("WLPKIT_DATA_DIR"); from_environment && *from_environment)
    return from_environment;
  return WLPKIT_DATA_DIR;
}

void MaterialLibrary::read_table(TableReader& materials_table) {
  if (!materials_table.exists()) return;
  const ConfigNode* raw_table = materials_table.raw_self();
  for (const auto& [id, node] : raw_table->members) {
    TableReader entry = materials_table.table(id);
    if (!entry.exists()) continue;
    if (!is_valid_id(id)) {
      materials_table.error(id, fmt::format("material id '{}' may use only letters, digits, '_' and '-'", id));
      continue;
    }
    const bool is_new = materials_.find(id) == materials_.end();
    if (const auto base = entry.text("base")) {
      const Material* copied = find(*base);
      if (!copied) {
        const std::string suggestion = nearest_match(*base, ids());
        entry.error("base", fmt::format("unknown material \"{}\"{}", *base,
                                        suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion)));
        continue;
      }
      materials_[id] = *copied;
    }
    Material& material = materials_[id];
    material.id = id;
    if (is_new && !entry.has("class") && material.material_class.empty())
      entry.error("class", fmt::format("a new material needs `class` (one of: {})", joined(material_classes())));
    read_material_into(entry, material);
  }
  materials_table.finish();
}

MaterialLibrary load_material_library(const std::filesystem::path& path) {
  ConfigNode root = parse_toml_file(path);
  Diagnostics diagnostics;
  TableReader top(&root, "", diagnostics, nullptr);
  TableReader materials = top.table("materials");
  if (!materials.exists()) top.error("materials", "a material library needs a [materials] table");
  MaterialLibrary library;
  library.read_table(materials);
  top.finish();
  diagnostics.throw_if_any();
  return library;
}

}  // namespace wlp::design
