// The process recipe: an ordered list of steps, each an operation of the step registry with
// its parameters. Steps are validated here; executing them is the process stage's job.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "design/diagnostics.h"
#include "design/units.h"

namespace wlp::design {

class TableReader;

/// What a step parameter holds.
enum class ParamKind { Quantity, Choice, Text, Flag, LayerRef, MaterialRef };

struct ParamSpec {
  std::string name;
  ParamKind kind = ParamKind::Text;
  Dimension dimension;               // Quantity
  std::vector<std::string> choices;  // Choice
  bool is_required = false;
  std::string meaning;
};

/// One operation of the registry, keyed by the name used in design files.
struct OpSpec {
  std::string name;
  std::string summary;
  std::vector<ParamSpec> params;
  bool needs_layer_or_material = false;  // `layer`, or `material` and `thickness`
  bool needs_thickness_or_stop = false;  // polish: `thickness` or `stop_on`
};

/// Every operation a recipe may use.
const std::vector<OpSpec>& step_registry();
const OpSpec* find_op(const std::string& name);

/// A parameter value: SI number, text (choices, names, references) or flag.
using ParamValue = std::variant<double, std::string, bool>;

struct Step {
  std::string name;
  std::string op;
  std::string note;
  int index = 0;  // 1-based position in the recipe
  SourcePos where;
  std::map<std::string, ParamValue> params;
  std::map<std::string, SourcePos> param_where;

  [[nodiscard]] bool has(const std::string& key) const { return params.count(key) != 0; }
  [[nodiscard]] std::optional<double> number(const std::string& key) const;
  [[nodiscard]] std::optional<std::string> text(const std::string& key) const;
  [[nodiscard]] std::optional<bool> flag(const std::string& key) const;
  /// "step 7 'anneal-sog' (anneal)" for messages.
  [[nodiscard]] std::string label() const;
};

struct Recipe {
  std::vector<Step> steps;
  /// First step with this op at or after `from_index` (0-based), or null.
  [[nodiscard]] const Step* first(const std::string& op, std::size_t from_index = 0) const;
};

/// Reads one [[recipe.step]] table (op lookup, parameters, dimensions). References to layers
/// and materials are checked later by the design loader, which knows both.
Step read_step(TableReader& table, int index);

}  // namespace wlp::design
