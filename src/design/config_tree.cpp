#include "design/config_tree.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <set>

namespace wlp::design {

bool ConfigNode::is_array_of_tables() const {
  return kind == Kind::Array && !items.empty() &&
         std::all_of(items.begin(), items.end(), [](const ConfigNode& item) { return item.is_table(); });
}

const ConfigNode* ConfigNode::find(std::string_view key) const {
  for (const auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

ConfigNode* ConfigNode::find(std::string_view key) {
  for (auto& [name, value] : members)
    if (name == key) return &value;
  return nullptr;
}

ConfigNode ConfigNode::take(std::string_view key, bool* found) {
  for (auto it = members.begin(); it != members.end(); ++it) {
    if (it->first == key) {
      ConfigNode value = std::move(it->second);
      members.erase(it);
      if (found) *found = true;
      return value;
    }
  }
  if (found) *found = false;
  return ConfigNode{};
}

std::string ConfigNode::kind_name() const {
  switch (kind) {
    case Kind::Table: return "a table";
    case Kind::Array: return "an array";
    case Kind::String: return "a string";
    case Kind::Integer: return "an integer";
    case Kind::Float: return "a floating-point number";
    case Kind::Boolean: return "a boolean";
    case Kind::DateTime: return "a date/time";
  }
  return "a value";
}

std::string ConfigNode::value_text() const {
  switch (kind) {
    case Kind::Table: return "{...}";
    case Kind::Array: return "[...]";
    case Kind::String: return fmt::format("\"{}\"", text.size() > 80 ? text.substr(0, 77) + "..." : text);
    case Kind::Integer: return fmt::format("{}", integer);
    case Kind::Float: return fmt::format("{:g}", real);
    case Kind::Boolean: return boolean ? "true" : "false";
    case Kind::DateTime: return text;
  }
  return "";
}

// ---------------------------------------------------------------------------------------------
// Merging (docs/design-format.md, "Includes and overrides")

namespace {

// Arrays of tables are merged element by element when their elements are identified by a key.
const char* identity_key_of(const ConfigNode& array) {
  for (const char* key : {"name", "pad"}) {
    if (std::all_of(array.items.begin(), array.items.end(),
                    [key](const ConfigNode& item) { return item.find(key) != nullptr; }))
      return key;
  }
  return nullptr;
}

bool has_merge_directive(const ConfigNode& array) {
  return std::any_of(array.items.begin(), array.items.end(), [](const ConfigNode& item) {
    return item.find("insert_after") || item.find("insert_before") || item.find("remove");
  });
}

std::string identity_of(const ConfigNode& item, const char* key) {
  const ConfigNode* id = item.find(key);
  return id && id->kind == ConfigNode::Kind::String ? id->text : id ? id->value_text() : "";
}

std::ptrdiff_t index_of(const std::vector<ConfigNode>& items, const char* key, const std::string& id) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (identity_of(items[i], key) == id) return static_cast<std::ptrdiff_t>(i);
  return -1;
}

void merge_array_by_identity(ConfigNode& base, ConfigNode&& overlay, const char* key, Diagnostics& diagnostics,
                             const std::string& key_path) {
  for (ConfigNode& element : overlay.items) {
    const std::string id = identity_of(element, key);
    const std::string element_path = fmt::format("{}[{}={}]", key_path, key, id);
    bool has_after = false, has_before = false, has_remove = false;
    const ConfigNode after = element.take("insert_after", &has_after);
    const ConfigNode before = element.take("insert_before", &has_before);
    const ConfigNode remove = element.take("remove", &has_remove);
    const std::ptrdiff_t existing = index_of(base.items, key, id);

    if (has_remove) {
      if (remove.kind != ConfigNode::Kind::Boolean) {
        diagnostics.add(remove.where, element_path + ".remove",
                        fmt::format("value {} is {}; expected true or false", remove.value_text(), remove.kind_name()));
      } else if (remove.boolean) {
        if (existing < 0)
          diagnostics.add(remove.where, element_path + ".remove",
                          fmt::format("no element with {} = \"{}\" to remove in the included {}", key, id, key_path));
        else
          base.items.erase(base.items.begin() + existing);
        continue;
      }
    }
    if (existing >= 0 && !has_after && !has_before) {
      merge_into(base.items[static_cast<std::size_t>(existing)], std::move(element), diagnostics, element_path);
      continue;
    }
    // A new element, or an existing one moved: find where it goes.
    ConfigNode placed = std::move(element);
    if (existing >= 0) {
      ConfigNode old = std::move(base.items[static_cast<std::size_t>(existing)]);
      base.items.erase(base.items.begin() + existing);
      merge_into(old, std::move(placed), diagnostics, element_path);
      placed = std::move(old);
    }
    std::size_t position = base.items.size();
    if (has_after || has_before) {
      const ConfigNode& anchor = has_after ? after : before;
      const char* directive = has_after ? "insert_after" : "insert_before";
      const std::ptrdiff_t anchor_index =
          anchor.kind == ConfigNode::Kind::String ? index_of(base.items, key, anchor.text) : -1;
      if (anchor_index < 0) {
        std::vector<std::string> known;
        for (const ConfigNode& item : base.items) known.push_back(identity_of(item, key));
        const std::string suggestion = anchor.kind == ConfigNode::Kind::String ? nearest_match(anchor.text, known) : "";
        diagnostics.add(anchor.where, element_path + "." + directive,
                        fmt::format("no element named {} in {}{}", anchor.value_text(), key_path,
                                    suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion)));
      } else {
        position = static_cast<std::size_t>(anchor_index) + (has_after ? 1u : 0u);
      }
    }
    base.items.insert(base.items.begin() + static_cast<std::ptrdiff_t>(position), std::move(placed));
  }
}

}  // namespace

void merge_into(ConfigNode& base, ConfigNode&& overlay, Diagnostics& diagnostics, const std::string& key_path) {
  if (base.is_table() && overlay.is_table()) {
    for (auto& [key, value] : overlay.members) {
      const std::string path = key_path.empty() ? key : key_path + "." + key;
      ConfigNode* existing = base.find(key);
      if (!existing) {
        // Even a first definition goes through the array merge so that its directives are read.
        if (value.is_array_of_tables() && identity_key_of(value) && has_merge_directive(value)) {
          ConfigNode empty_array;
          empty_array.kind = ConfigNode::Kind::Array;
          empty_array.where = value.where;
          empty_array.key_where = value.key_where;
          merge_array_by_identity(empty_array, std::move(value), identity_key_of(value), diagnostics, path);
          base.members.emplace_back(key, std::move(empty_array));
        } else {
          base.members.emplace_back(key, std::move(value));
        }
        continue;
      }
      merge_into(*existing, std::move(value), diagnostics, path);
    }
    return;
  }
  if (base.is_array_of_tables() && overlay.is_array_of_tables()) {
    const char* base_key = identity_key_of(base);
    const char* overlay_key = identity_key_of(overlay);
    if (base_key && overlay_key && std::string_view(base_key) == overlay_key) {
      merge_array_by_identity(base, std::move(overlay), base_key, diagnostics, key_path);
      return;
    }
  }
  const SourcePos key_where = base.key_where.is_known() ? base.key_where : overlay.key_where;
  base = std::move(overlay);  // scalars and other arrays: the overlay replaces the base
  if (!base.key_where.is_known()) base.key_where = key_where;
}

// ---------------------------------------------------------------------------------------------
// Includes

namespace {

constexpr int kMaxIncludeDepth = 16;

// Files already loaded (with their own includes merged), by canonical path: a file included
// from several places is read once, so include fan-out costs merges, not re-parsing.
using LoadedFiles = std::map<std::filesystem::path, ConfigNode>;

struct IncludeState {
  std::vector<std::filesystem::path> chain;  // the files being loaded, outermost first
  LoadedFiles loaded;
  std::set<std::filesystem::path> failed;    // reported once, not again on every path to them
};

ConfigNode load_recursive(const std::filesystem::path& path, IncludeState& state, Diagnostics& diagnostics);

std::vector<const ConfigNode*> include_entries(const ConfigNode& include, Diagnostics& diagnostics) {
  std::vector<const ConfigNode*> entries;
  if (include.kind == ConfigNode::Kind::String) {
    entries.push_back(&include);
  } else if (include.kind == ConfigNode::Kind::Array) {
    for (const ConfigNode& item : include.items) {
      if (item.kind == ConfigNode::Kind::String)
        entries.push_back(&item);
      else
        diagnostics.add(item.where, "include",
                        fmt::format("value {} is {}; expected a file name string", item.value_text(), item.kind_name()));
    }
  } else {
    diagnostics.add(include.where, "include",
                    fmt::format("value {} is {}; expected a file name or a list of file names", include.value_text(),
                                include.kind_name()));
  }
  return entries;
}

ConfigNode load_included(const ConfigNode& entry, const std::filesystem::path& including_file, IncludeState& state,
                         Diagnostics& diagnostics, bool& ok) {
  std::vector<std::filesystem::path>& chain = state.chain;
  ok = false;
  const std::filesystem::path target = including_file.parent_path() / entry.text;
  std::error_code status;
  if (!std::filesystem::exists(target, status)) {
    diagnostics.add(entry.where, "include", fmt::format("included file \"{}\" does not exist (looked for {})",
                                                        entry.text, target.lexically_normal().string()));
    return {};
  }
  if (!std::filesystem::is_regular_file(target, status)) {
    diagnostics.add(entry.where, "include",
                    fmt::format("included \"{}\" is not a regular file (looked for {})", entry.text,
                                target.lexically_normal().string()));
    return {};
  }
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(target, status);
  if (std::find(chain.begin(), chain.end(), canonical) != chain.end()) {
    std::string cycle;
    for (const auto& link : chain) cycle += link.filename().string() + " -> ";
    diagnostics.add(entry.where, "include",
                    fmt::format("include cycle: {}{}", cycle, canonical.filename().string()));
    return {};
  }
  if (state.failed.count(canonical)) return {};  // already reported
  if (static_cast<int>(chain.size()) >= kMaxIncludeDepth) {
    diagnostics.add(entry.where, "include", fmt::format("includes nested deeper than {} files", kMaxIncludeDepth));
    state.failed.insert(canonical);
    return {};
  }
  try {
    if (const auto cached = state.loaded.find(canonical); cached != state.loaded.end()) {
      ok = true;
      return cached->second;
    }
    const std::size_t errors_before = diagnostics.n_errors();
    ConfigNode included = load_recursive(target, state, diagnostics);
    if (diagnostics.n_errors() != errors_before) {
      state.failed.insert(canonical);
      return {};
    }
    state.loaded.emplace(canonical, included);
    ok = true;
    return included;
  } catch (const InputError& error) {
    for (const Diagnostic& found : error.diagnostics()) diagnostics.add(found.where, found.key_path, found.message);
    return {};
  }
}

ConfigNode load_recursive(const std::filesystem::path& path, IncludeState& state, Diagnostics& diagnostics) {
  ConfigNode file = parse_toml_file(path);
  std::error_code status;
  state.chain.push_back(std::filesystem::weakly_canonical(path, status));
  bool has_include = false;
  const ConfigNode include = file.take("include", &has_include);
  ConfigNode merged;
  merged.kind = ConfigNode::Kind::Table;
  merged.where = file.where;
  if (has_include) {
    for (const ConfigNode* entry : include_entries(include, diagnostics)) {
      bool ok = false;
      ConfigNode included = load_included(*entry, path, state, diagnostics, ok);
      if (ok) merge_into(merged, std::move(included), diagnostics);
    }
  }
  merge_into(merged, std::move(file), diagnostics);
  state.chain.pop_back();
  return merged;
}

}  // namespace

ConfigNode load_with_includes(const std::filesystem::path& path) {
  Diagnostics diagnostics;
  IncludeState state;
  ConfigNode merged = load_recursive(path, state, diagnostics);
  diagnostics.throw_if_any();
  return merged;
}

}  // namespace wlp::design
