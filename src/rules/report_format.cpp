// Text and JSON renderings of check reports.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "rules/rules.h"

namespace wlp::rules {

std::string format_text(const CheckReport& report, bool is_verbose, bool warnings_fail) {
  std::string text;
  for (const Finding& finding : report.findings) {
    const std::string severity = finding.is_waived ? "waived" : to_string(finding.rule->severity);
    text += fmt::format("{}: {}: {} [{} {}]: {}\n", finding.where.to_string(), severity, finding.rule->id,
                        finding.rule->seed, finding.rule->claim, finding.message);
    if (finding.is_waived) text += fmt::format("    waived: {}\n", finding.waiver_reason);
  }
  if (is_verbose) {
    for (const RuleInfo* rule : report.evaluated) {
      const bool failed = report.has_finding(rule->id);
      text += fmt::format("  {:<7} {:<28} {}\n", failed ? "FAIL" : "ok", rule->id, rule->summary);
    }
  }
  const int n_errors = report.n_errors(), n_warnings = report.n_warnings(), n_waived = report.n_waived();
  text += fmt::format("{} ({} {}): {} rules checked, {} error{}, {} warning{}{} -> {}\n", report.file, report.structure,
                      report.design_name, report.evaluated.size(), n_errors, n_errors == 1 ? "" : "s", n_warnings,
                      n_warnings == 1 ? "" : "s", n_waived ? fmt::format(", {} waived", n_waived) : "",
                      n_errors || (warnings_fail && n_warnings) ? "FAIL" : "PASS");
  return text;
}

std::string format_json(const std::vector<CheckReport>& reports) {
  nlohmann::json designs = nlohmann::json::array();
  for (const CheckReport& report : reports) {
    nlohmann::json findings = nlohmann::json::array();
    for (const Finding& f : report.findings) {
      nlohmann::json item{{"rule", f.rule->id},     {"severity", to_string(f.rule->severity)},
                          {"seed", f.rule->seed},   {"claim", f.rule->claim},
                          {"message", f.message},   {"file", f.where.file},
                          {"line", f.where.line},   {"column", f.where.column},
                          {"waived", f.is_waived}};
      if (f.is_waived) item["waiver_reason"] = f.waiver_reason;
      if (f.measured_si) item["measured"] = *f.measured_si;
      if (f.limit_si) item["limit"] = *f.limit_si;
      if (f.measured_si || f.limit_si) item["unit"] = f.unit;
      findings.push_back(item);
    }
    nlohmann::json checked = nlohmann::json::array();
    for (const RuleInfo* rule : report.evaluated) checked.push_back(rule->id);
    designs.push_back({{"file", report.file},           {"name", report.design_name},
                       {"structure", report.structure}, {"errors", report.n_errors()},
                       {"warnings", report.n_warnings()}, {"waived", report.n_waived()},
                       {"rules_checked", checked},      {"findings", findings}});
  }
  return nlohmann::json{{"tool", "wlpkit check"}, {"designs", designs}}.dump(2) + "\n";
}

}  // namespace wlp::rules
