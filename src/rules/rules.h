// Seed rules: is a design legal? Every rule has an id, the seed and claim it comes from, a
// severity (error: a claim requires it; warning: the seed prefers it) and a message with the
// measured value and the limit.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "design/design.h"

namespace wlp::rules {

enum class Severity { Error, Warning };
std::string to_string(Severity severity);

struct RuleInfo {
  std::string id;        // e.g. "S3.POST.HEIGHT"
  std::string seed;      // "S3", or "generic"
  std::string claim;     // "claim 8", "description", "JESD22-A104", ...
  Severity severity = Severity::Error;
  std::string summary;   // what the rule requires
};

/// One violated rule.
struct Finding {
  const RuleInfo* rule = nullptr;
  std::string message;        // with the measured value and the limit
  design::SourcePos where;    // the key in the design file that carries the value
  std::optional<double> measured_si;
  std::optional<double> limit_si;
  std::string unit;           // SI unit of measured/limit ("m", "K", "Pa", "m^2", "N/m"; "" for ratios and counts)
  bool is_waived = false;
  std::string waiver_reason;
};

struct CheckReport {
  std::string design_name;
  std::string structure;
  std::string file;
  std::vector<Finding> findings;
  std::vector<const RuleInfo*> evaluated;  // every rule that applied to this design

  [[nodiscard]] int n_errors() const;    // unwaived errors
  [[nodiscard]] int n_warnings() const;  // unwaived warnings
  [[nodiscard]] int n_waived() const;
  [[nodiscard]] bool has_finding(const std::string& rule_id) const;
};

/// Every rule wlpkit knows, in catalogue order.
const std::vector<RuleInfo>& rule_catalog();
const RuleInfo* find_rule(const std::string& id);

/// Checks a design against the generic rules and the rules of its structure. Throws
/// design::InputError when a waiver names an unknown rule.
CheckReport check_design(const design::Design& design);

/// Text and JSON renderings of a report (the CLI's two formats).
/// `warnings_fail`: the verdict counts warnings as failures (--warnings-as-errors).
std::string format_text(const CheckReport& report, bool is_verbose, bool warnings_fail = false);
std::string format_json(const std::vector<CheckReport>& reports);

}  // namespace wlp::rules
