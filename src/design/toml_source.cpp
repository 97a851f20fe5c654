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

SourcePos position_of(const toml::source_region& region, const std::string& file) {
  return SourcePos{file, static_cast<int>(region.begin.line), static_cast<int>(region.begin.column)};
}

ConfigNode converted(const toml::node& node, const std::string& file);

ConfigNode converted_table(const toml::table& table, const std::string& file) {
  ConfigNode result;
  result.kind = ConfigNode::Kind::Table;
  result.where = position_of(table.source(), file);
  for (auto&& [key, value] : table) {
    ConfigNode member = converted(value, file);
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

ConfigNode converted(const toml::node& node, const std::string& file) {
  ConfigNode result;
  result.where = position_of(node.source(), file);
  switch (node.type()) {
    case toml::node_type::table: {
      ConfigNode table = converted_table(*node.as_table(), file);
      table.where = result.where;
      return table;
    }
    case toml::node_type::array:
      result.kind = ConfigNode::Kind::Array;
      for (const toml::node& item : *node.as_array()) result.items.push_back(converted(item, file));
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
      // Dates and times have no meaning in a design; keep their position for the error message.
      result.text = "(date/time)";
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

}  // namespace

ConfigNode parse_toml_text(std::string_view text, const std::string& file_label) {
  check_is_text(text, file_label);
  try {
    const toml::table table = toml::parse(text, file_label);
    ConfigNode root = converted_table(table, file_label);
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
