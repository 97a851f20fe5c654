#include "design/table_reader.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace wlp::design {

TableReader::TableReader(const ConfigNode* table, std::string key_path, Diagnostics& diagnostics,
                         PositionMap* positions)
    : table_(table), path_(std::move(key_path)), diagnostics_(diagnostics), positions_(positions) {}

SourcePos TableReader::where() const { return table_ ? table_->where : SourcePos{}; }

SourcePos TableReader::position_of(std::string_view key) const {
  if (table_) {
    if (const ConfigNode* value = table_->find(key)) return value->where;
    return table_->where;
  }
  return SourcePos{};
}

std::string TableReader::child_path(std::string_view key) const {
  return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key);
}

void TableReader::allow(std::string_view key) {
  if (std::find(known_.begin(), known_.end(), key) == known_.end()) known_.emplace_back(key);
}

bool TableReader::has(std::string_view key) {
  allow(key);
  return table_ && table_->find(key);
}

const ConfigNode* TableReader::lookup(std::string_view key) {
  allow(key);
  if (!table_) return nullptr;
  const ConfigNode* value = table_->find(key);
  if (value) remember(key, *value);
  return value;
}

void TableReader::remember(std::string_view key, const ConfigNode& value) {
  if (positions_) (*positions_)[child_path(key)] = value.where;
}

void TableReader::error(std::string_view key, const std::string& message) {
  diagnostics_.add(position_of(key), child_path(key), message);
}

std::optional<double> TableReader::quantity(std::string_view key, const Dimension& dimension, Sign sign) {
  const ConfigNode* value = lookup(key);
  if (!value) return std::nullopt;
  if (dimension == dims::dimensionless) return number(key);
  return converted(*value, child_path(key), dimension, sign, CelsiusReading::Absolute);
}

std::optional<double> TableReader::temperature_difference(std::string_view key, Sign sign) {
  const ConfigNode* value = lookup(key);
  if (!value) return std::nullopt;
  return converted(*value, child_path(key), dims::temperature, sign, CelsiusReading::Difference);
}

std::optional<double> TableReader::item_quantity(const ConfigNode& item, std::string_view item_path,
                                                 const Dimension& dimension, Sign sign) {
  return converted(item, child_path(item_path), dimension, sign, CelsiusReading::Absolute);
}

// Converts one written value to SI, reporting every problem at the value with `key_path`.
std::optional<double> TableReader::converted(const ConfigNode& value, const std::string& key_path,
                                             const Dimension& dimension, Sign sign, CelsiusReading celsius) {
  const bool is_difference = celsius == CelsiusReading::Difference;
  const std::string expected =
      is_difference ? "expected a temperature difference with its unit, e.g. \"5 K\" (\"5 C\" is read as 5 K here)"
                    : fmt::format("expected a {} with its unit, {}", dimension.name(), dimension.example_units());
  const auto fail = [&](const std::string& message) {
    diagnostics_.add(value.where, key_path, message);
    return std::nullopt;
  };
  if (value.kind == ConfigNode::Kind::Integer || value.kind == ConfigNode::Kind::Float)
    return fail(fmt::format("value {} has no unit; {}", value.value_text(), expected));
  if (value.kind != ConfigNode::Kind::String)
    return fail(fmt::format("value {} is {}; {}", value.value_text(), value.kind_name(), expected));
  Quantity parsed;
  try {
    parsed = parse_quantity(value.text, celsius);
  } catch (const UnitError& unit_error) {
    SourcePos at = value.where;
    at.column += static_cast<int>(unit_error.offset) + 1;  // +1: the opening quote
    diagnostics_.add(at, key_path, fmt::format("value {}: {}; {}", value.value_text(), unit_error.what(), expected));
    return std::nullopt;
  }
  if (!(parsed.dimension == dimension)) {
    const std::string what = parsed.dimension == dims::dimensionless ? "has no unit"
                                                                      : "is a " + parsed.dimension.name();
    return fail(fmt::format("value {} {}; {}", value.value_text(), what, expected));
  }
  if (sign == Sign::Positive && !(parsed.value_si > 0.0))
    return fail(fmt::format("value {} must be greater than zero", value.value_text()));
  if (sign == Sign::NonNegative && parsed.value_si < 0.0)
    return fail(fmt::format("value {} must not be negative", value.value_text()));
  if (dimension == dims::temperature && !is_difference && parsed.value_si < 0.0)
    return fail(fmt::format("value {} is below absolute zero", value.value_text()));
  return parsed.value_si;
}

std::optional<double> TableReader::required_quantity(std::string_view key, const Dimension& dimension, Sign sign) {
  if (!has(key)) {
    error(key, fmt::format("missing required key '{}' (a {}, {})", key, dimension.name(), dimension.example_units()));
    return std::nullopt;
  }
  return quantity(key, dimension, sign);
}

std::optional<double> TableReader::number(std::string_view key, bool required) {
  const ConfigNode* value = lookup(key);
  if (!value) {
    if (required) error(key, fmt::format("missing required key '{}' (a bare number)", key));
    return std::nullopt;
  }
  if (value->kind == ConfigNode::Kind::Integer || value->kind == ConfigNode::Kind::Float) {
    if (!std::isfinite(value->real)) {
      error(key, fmt::format("value {} is not a finite number", value->value_text()));
      return std::nullopt;
    }
    return value->real;
  }
  if (value->kind == ConfigNode::Kind::String) {
    error(key, fmt::format("value {} is a string; expected a bare number without unit (this quantity is "
                           "dimensionless)", value->value_text()));
    return std::nullopt;
  }
  error(key, fmt::format("value {} is {}; expected a bare number", value->value_text(), value->kind_name()));
  return std::nullopt;
}

std::optional<std::int64_t> TableReader::integer(std::string_view key, std::int64_t min_value, std::int64_t max_value,
                                                 bool required) {
  const ConfigNode* value = lookup(key);
  if (!value) {
    if (required) error(key, fmt::format("missing required key '{}' (an integer)", key));
    return std::nullopt;
  }
  if (value->kind != ConfigNode::Kind::Integer) {
    error(key, fmt::format("value {} is {}; expected an integer from {} to {}", value->value_text(),
                           value->kind_name(), min_value, max_value));
    return std::nullopt;
  }
  if (value->integer < min_value || value->integer > max_value) {
    error(key, fmt::format("value {} is out of range; expected an integer from {} to {}", value->integer,
                           min_value, max_value));
    return std::nullopt;
  }
  return value->integer;
}

std::optional<std::string> TableReader::text(std::string_view key, bool required) {
  const ConfigNode* value = lookup(key);
  if (!value) {
    if (required) error(key, fmt::format("missing required key '{}' (a string)", key));
    return std::nullopt;
  }
  if (value->kind != ConfigNode::Kind::String) {
    error(key, fmt::format("value {} is {}; expected a string", value->value_text(), value->kind_name()));
    return std::nullopt;
  }
  return value->text;
}

std::string TableReader::choice(std::string_view key, const std::vector<std::string>& allowed,
                                std::optional<std::string> fallback) {
  const std::optional<std::string> value = text(key, !fallback.has_value());
  if (!value) return fallback.value_or(std::string());
  if (std::find(allowed.begin(), allowed.end(), *value) != allowed.end()) return *value;
  const std::string suggestion = nearest_match(*value, allowed);
  error(key, fmt::format("value \"{}\" is not one of: {}{}", *value, joined(allowed),
                         suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion)));
  return fallback.value_or(std::string());
}

std::optional<bool> TableReader::flag(std::string_view key) {
  const ConfigNode* value = lookup(key);
  if (!value) return std::nullopt;
  if (value->kind != ConfigNode::Kind::Boolean) {
    error(key, fmt::format("value {} is {}; expected true or false", value->value_text(), value->kind_name()));
    return std::nullopt;
  }
  return value->boolean;
}

std::vector<std::string> TableReader::text_list(std::string_view key) {
  const ConfigNode* value = lookup(key);
  std::vector<std::string> result;
  if (!value) return result;
  if (value->kind == ConfigNode::Kind::String) return {value->text};
  if (value->kind != ConfigNode::Kind::Array) {
    error(key, fmt::format("value {} is {}; expected a list of strings", value->value_text(), value->kind_name()));
    return result;
  }
  for (const ConfigNode& item : value->items) {
    if (item.kind == ConfigNode::Kind::String)
      result.push_back(item.text);
    else
      diagnostics_.add(item.where, child_path(key),
                       fmt::format("list item {} is {}; expected a string", item.value_text(), item.kind_name()));
  }
  return result;
}

TableReader TableReader::table(std::string_view key) {
  const ConfigNode* value = lookup(key);
  if (value && !value->is_table()) {
    error(key, fmt::format("value {} is {}; expected a table ([{}])", value->value_text(), value->kind_name(),
                           child_path(key)));
    value = nullptr;
  }
  return TableReader(value, child_path(key), diagnostics_, positions_);
}

std::vector<TableReader> TableReader::tables(std::string_view key) {
  const ConfigNode* value = lookup(key);
  std::vector<TableReader> result;
  if (!value) return result;
  if (!value->is_array()) {
    error(key, fmt::format("value {} is {}; expected an array of tables ([[{}]])", value->value_text(),
                           value->kind_name(), child_path(key)));
    return result;
  }
  for (std::size_t i = 0; i < value->items.size(); ++i) {
    const ConfigNode& item = value->items[i];
    if (!item.is_table()) {
      diagnostics_.add(item.where, child_path(key),
                       fmt::format("item {} is {}; expected a table ([[{}]])", item.value_text(), item.kind_name(),
                                   child_path(key)));
      continue;
    }
    result.emplace_back(&item, fmt::format("{}[{}]", child_path(key), i), diagnostics_, positions_);
  }
  return result;
}

void TableReader::finish() {
  if (!table_) return;
  for (const auto& [key, value] : table_->members) {
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    const std::string suggestion = nearest_match(key, known_);
    std::string hint = suggestion.empty() ? fmt::format("known keys here: {}", joined(known_))
                                          : fmt::format("did you mean `{}`?", suggestion);
    diagnostics_.add(value.key_where.is_known() ? value.key_where : value.where, child_path(key),
                     fmt::format("unknown key '{}' (value {}); {}", key, value.value_text(), hint));
  }
}

}  // namespace wlp::design
