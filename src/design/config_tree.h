// The design file as a tree of values that remember where they were written.
//
// toml++ parses each file (toml_source.cpp, the only file that includes it); the result is
// converted to ConfigNode so that includes can be merged without losing source positions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "design/diagnostics.h"

namespace wlp::design {

/// One value of a configuration file with its source position.
struct ConfigNode {
  enum class Kind { Table, Array, String, Integer, Float, Boolean, DateTime };

  Kind kind = Kind::Table;
  SourcePos where;      // position of the value
  SourcePos key_where;  // position of the key that names it (tables' members)
  std::string text;     // String (and DateTime as text)
  std::int64_t integer = 0;
  double real = 0.0;
  bool boolean = false;
  std::vector<std::pair<std::string, ConfigNode>> members;  // Table, in source order
  std::vector<ConfigNode> items;                            // Array

  [[nodiscard]] bool is_table() const { return kind == Kind::Table; }
  [[nodiscard]] bool is_array() const { return kind == Kind::Array; }
  [[nodiscard]] bool is_array_of_tables() const;
  [[nodiscard]] const ConfigNode* find(std::string_view key) const;
  [[nodiscard]] ConfigNode* find(std::string_view key);
  /// Removes a member and returns it (Table only); returns an empty table node if absent.
  ConfigNode take(std::string_view key, bool* found = nullptr);
  /// "a string", "an integer", ... for messages.
  [[nodiscard]] std::string kind_name() const;
  /// The value as written, for messages: "\"50 mm\"", "12", "true", "[...]", "{...}".
  [[nodiscard]] std::string value_text() const;
};

/// Design files larger than this are refused before parsing.
inline constexpr std::uintmax_t kMaxInputFileBytes = 4u * 1024u * 1024u;

/// Parses one TOML text into a tree. `file_label` is used in positions. Throws InputError.
ConfigNode parse_toml_text(std::string_view text, const std::string& file_label);

/// Reads and parses one TOML file (size and encoding checked first). Throws InputError.
ConfigNode parse_toml_file(const std::filesystem::path& path);

/// Reads a file with its `include`s resolved and merged (see docs/design-format.md,
/// "Includes and overrides"). Throws InputError naming every problem found.
ConfigNode load_with_includes(const std::filesystem::path& path);

/// Merges `overlay` on top of `base` by the include rules. Problems go to `diagnostics`.
void merge_into(ConfigNode& base, ConfigNode&& overlay, Diagnostics& diagnostics,
                const std::string& key_path = "");

}  // namespace wlp::design
