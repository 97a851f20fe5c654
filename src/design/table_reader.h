// Schema-driven reading of one table of the configuration tree.
//
// Every key a reader asks for (found or not) becomes a known key of the table; finish() then
// reports every other key as unknown, with the nearest known key suggested. Values are
// converted to SI and checked for dimension and sign; problems go to Diagnostics with the
// file:line:column of the value and the full key path.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "design/config_tree.h"
#include "design/units.h"

namespace wlp::design {

/// Sign constraint of a quantity.
enum class Sign { Any, Positive, NonNegative };

/// Positions of every value read, by key path (for rule messages that point into the file).
using PositionMap = std::map<std::string, SourcePos>;

class TableReader {
 public:
  /// `table` may be null: the table is absent and every optional read returns nothing.
  TableReader(const ConfigNode* table, std::string key_path, Diagnostics& diagnostics, PositionMap* positions);

  [[nodiscard]] bool exists() const { return table_ != nullptr; }
  [[nodiscard]] const std::string& key_path() const { return path_; }
  [[nodiscard]] SourcePos where() const;
  /// Position of a key's value, or of the table when the key is absent.
  [[nodiscard]] SourcePos position_of(std::string_view key) const;
  [[nodiscard]] bool has(std::string_view key);

  /// A quantity with a unit ("50 um"), converted to SI. Absent → nullopt.
  std::optional<double> quantity(std::string_view key, const Dimension& dimension, Sign sign = Sign::Any);
  /// Same, reporting an error when absent (returns nullopt then too).
  std::optional<double> required_quantity(std::string_view key, const Dimension& dimension, Sign sign = Sign::Any);
  /// A temperature difference (a step or span): "5 K", or "5 C" read as 5 K, not as 278.15 K.
  std::optional<double> temperature_difference(std::string_view key, Sign sign = Sign::Positive);
  /// A quantity held by an array item (`item` belongs to this table's key `key`); errors are
  /// reported at the item with `item_path` ("points[2][0]", relative to this table).
  std::optional<double> item_quantity(const ConfigNode& item, std::string_view item_path, const Dimension& dimension,
                                      Sign sign = Sign::Any);
  /// A dimensionless bare number (integer or float).
  std::optional<double> number(std::string_view key, bool required = false);
  std::optional<std::int64_t> integer(std::string_view key, std::int64_t min_value, std::int64_t max_value,
                                      bool required = false);
  std::optional<std::string> text(std::string_view key, bool required = false);
  /// One of `allowed`; `fallback` when absent (an error when absent and no fallback).
  std::string choice(std::string_view key, const std::vector<std::string>& allowed,
                     std::optional<std::string> fallback = std::nullopt);
  std::optional<bool> flag(std::string_view key);
  std::vector<std::string> text_list(std::string_view key);

  /// A sub-table (absent → a reader whose exists() is false). Reports a non-table value.
  TableReader table(std::string_view key);
  /// An array of tables (absent → empty).
  std::vector<TableReader> tables(std::string_view key);

  /// The raw node of a key (marks it known); null when absent.
  const ConfigNode* raw(std::string_view key) { return lookup(key); }
  /// The table node itself (null when absent).
  [[nodiscard]] const ConfigNode* raw_self() const { return table_; }
  /// Marks a key as known without reading it (read elsewhere).
  void allow(std::string_view key);
  /// Reports every key that no read asked for, with a suggestion. Call once, last.
  void finish();

  /// Records an error located at `key` (or at the table when the key is absent).
  void error(std::string_view key, const std::string& message);
  [[nodiscard]] Diagnostics& diagnostics() { return diagnostics_; }
  [[nodiscard]] PositionMap* positions() { return positions_; }

 private:
  const ConfigNode* lookup(std::string_view key);
  [[nodiscard]] std::string child_path(std::string_view key) const;
  void remember(std::string_view key, const ConfigNode& value);
  std::optional<double> converted(const ConfigNode& value, const std::string& key_path, const Dimension& dimension,
                                  Sign sign, CelsiusReading celsius);

  const ConfigNode* table_;
  std::string path_;
  Diagnostics& diagnostics_;
  PositionMap* positions_;
  std::vector<std::string> known_;
};

}  // namespace wlp::design
