// The only translation unit that includes toml++ (it is a large header): parse TOML text and
// convert it to ConfigNode, keeping line:column of every key and value.
#include <toml++/toml.h>

#include <algorithm>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

#include "design/config_tree.h"

namespace wlp::design {
namespace {

// Nesting deeper than this is refused before parsing: no design needs it, and both the TOML
// parser and the conversion below recurse once per level.
constexpr int kMaxNestingDepth = 64;

SourcePos position_of(const toml::source_region& region, const std::string& file) {
  return SourcePos{file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

// The text a value was written as (dates and times are quoted back in messages as written).
std::string written_text(std::string_view text, const toml::source_region& region) {
  std::size_t offset = 0;
  for (toml::source_index line = 1; line < region.begin.line; ++line) {
    const std::size_t next = text.find('\n', offset);
    if (next == std::string_view::npos) return "(date/time)";
    offset = next + 1;
  }
  offset += region.begin.column - 1;
  if (offset >= text.size()) return "(date/time)";
  std::size_t end = offset;
  while (end < text.size() && text[end] != '\n' && text[end] != ',' && text[end] != ']' && text[end] != '}' &&
         text[end] != '#')
    ++end;
  std::string_view value = text.substr(offset, end - offset);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\r' || value.back() == '\t')) value.remove_suffix(1);
  return std::string(value);
}

struct Converter {
  std::string_view text;
  const std::string& file;

  ConfigNode table(const toml::table& table, int depth) const;
  ConfigNode value(const toml::node& node, int depth) const;
};

ConfigNode Converter::table(const toml::table& table, int depth) const {
  ConfigNode result;
  result.kind = ConfigNode::Kind::Table;
  result.where = position_of(table.source(), file);
  if (depth > kMaxNestingDepth)
    throw InputError({Diagnostic{result.where, "",
                                 fmt::format("tables nested deeper than {} levels; a design needs only a few", kMaxNestingDepth)}});
  for (auto&& [key, item] : table) {
    ConfigNode member = value(item, depth + 1);
    member.key_where = position_of(key.source(), file);
    result.members.emplace_back(std::string(key.str()), std::move(member));
  }
  // toml++ stores members sorted by key; restore the order of the file.
  std::stable_sort(result.members.begin(), result.members.end(), [](const auto& a, const auto& b) {
    const SourcePos& pa = a.second.key_where;
    const SourcePos& pb = b.second.key_where;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return result;
}

ConfigNode Converter::value(const toml::node& node, int depth) const {
  ConfigNode result;
  result.where = position_of(node.source(), file);
  if (depth > kMaxNestingDepth)
    throw InputError({Diagnostic{result.where, "",
                                 fmt::format("values nested deeper than {} levels; a design needs only a few", kMaxNestingDepth)}});
  switch (node.type()) {
    case toml::node_type::table: {
      ConfigNode converted = table(*node.as_table(), depth);
      converted.where = result.where;
      return converted;
    }
    case toml::node_type::array:
      result.kind = ConfigNode::Kind::Array;
      for (const toml::node& item : *node.as_array()) result.items.push_back(value(item, depth + 1));
      break;
    case toml::node_type::string:
      result.kind = ConfigNode::Kind::String;
      result.text = node.as_string()->get();
      break;
    case toml::node_type::integer:
      result.kind = ConfigNode::Kind::Integer;
      result.integer = node.as_integer()->get();
      result.real = static_cast<double>(result.integer);
      break;
    case toml::node_type::floating_point:
      result.kind = ConfigNode::Kind::Float;
      result.real = node.as_floating_point()->get();
      break;
    case toml::node_type::boolean:
      result.kind = ConfigNode::Kind::Boolean;
      result.boolean = node.as_boolean()->get();
      break;
    default: {
      result.kind = ConfigNode::Kind::DateTime;
      // Dates and times have no meaning in a design; keep what was written for the error message.
      result.text = written_text(text, node.source());
      break;
    }
  }
  return result;
}

// A NUL byte or another control character means the file is not text: say where.
void check_is_text(std::string_view text, const std::string& file) {
  int line = 1;
  int column = 1;
  for (const char raw : text) {
    const auto byte = static_cast<unsigned char>(raw);
    if (byte == 0 || (byte < 0x20 && byte != '\n' && byte != '\r' && byte != '\t')) {
      throw InputError({Diagnostic{SourcePos{file, line, column}, "",
                                   fmt::format("byte 0x{:02x} is not text: a design file must be UTF-8 TOML "
                                               "(is this a binary file?)",
                                               byte)}});
    }
    if (raw == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

// Counts the dots of dotted keys and table headers outside quotes, line by line, so that a
// pathologically nested file is refused before the recursive parser sees it.
void check_nesting(std::string_view text, const std::string& file) {
  int line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view row = text.substr(start, end - start);
    int depth = 0;
    char quote = 0;
    for (const char c : row) {
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') quote = c;
      else if (c == '=' || c == '#') break;  // values may contain dots ("0.4 mm")
      else if (c == '.' || c == '[' || c == '{') ++depth;
    }
    if (depth > kMaxNestingDepth)
      throw InputError({Diagnostic{SourcePos{file, line, 1}, "",
                                   fmt::format("a key nested {} levels deep; a design needs only a few (limit {})", depth,
                                               kMaxNestingDepth)}});
    start = end + 1;
    ++line;
  }
}

}  // namespace

ConfigNode parse_toml_text(std::string_view text, const std::string& file_label) {
  check_is_text(text, file_label);
  check_nesting(text, file_label);
  try {
    const toml::table table = toml::parse(text, file_label);
    ConfigNode root = Converter{text, file_label}.table(table, 0);
    root.where = SourcePos{file_label, 1, 1};
    return root;
  } catch (const toml::parse_error& error) {
    throw InputError({Diagnostic{position_of(error.source(), file_label), "",
                                 fmt::format("TOML syntax error: {}", error.description())}});
  }
}

ConfigNode parse_toml_file(const std::filesystem::path& path) {
  const std::string label = path.string();
  std::error_code status;
  if (!std::filesystem::is_regular_file(path, status))
    throw InputError({Diagnostic{SourcePos{label, 0, 0}, "",
                                 std::filesystem::exists(path, status) ? "not a regular file"
                                                                        : "no such file"}});
  const std::uintmax_t n_bytes = std::filesystem::file_size(path, status);
  if (status) throw InputError({Diagnostic{SourcePos{label, 0, 0}, "", "cannot read the file size"}});
  if (n_bytes > kMaxInputFileBytes)
    throw InputError({Diagnostic{SourcePos{label, 1, 1}, "",
                                 fmt::format("file is {:.1f} MiB; design and material files are limited to "
                                             "{} MiB (is this the right file?)",
                                             static_cast<double>(n_bytes) / 1048576.0,
                                             kMaxInputFileBytes / 1048576u)}});
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw InputError({Diagnostic{SourcePos{label, 0, 0}, "", "cannot open the file for reading"}});
  std::ostringstream contents;
  contents << stream.rdbuf();
  const std::string text = contents.str();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos)
    throw InputError({Diagnostic{SourcePos{label, 1, 1}, "",
                                 "the file is empty: a design needs at least [design], [die] and [pads]"}});
  return parse_toml_text(text, label);
}

}  // namespace wlp::design
