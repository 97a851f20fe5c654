#include <algorithm>
#include <fmt/format.h>

#include "rules/rule_context.h"

namespace wlp::rules {

std::string to_string(Severity severity) { return severity == Severity::Error ? "error" : "warning"; }

int CheckReport::n_errors() const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
    return !f.is_waived && f.rule->severity == Severity::Error;
  }));
}

int CheckReport::n_warnings() const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
    return !f.is_waived && f.rule->severity == Severity::Warning;
  }));
}

int CheckReport::n_waived() const {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.is_waived; }));
}

bool CheckReport::has_finding(const std::string& rule_id) const {
  return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.rule->id == rule_id; });
}

namespace detail {

std::string q(double value_si, const design::Dimension& dimension) { return design::format_quantity(value_si, dimension); }

namespace {
const RuleInfo& rule_or_die(const char* rule_id) {
  const RuleInfo* rule = find_rule(rule_id);
  // An unknown id here is a programming error in wlpkit, not an input error.
  if (!rule) throw std::logic_error(fmt::format("rule {} is not in the catalogue", rule_id));
  return *rule;
}

std::string unit_of(const design::Dimension& dimension) {
  if (dimension == design::dims::length) return "m";
  if (dimension == design::dims::temperature) return "K";
  if (dimension == design::dims::pressure) return "Pa";
  if (dimension == design::dims::area) return "m^2";
  if (dimension == design::dims::stiffness) return "N/m";
  return "";
}
}  // namespace

void RuleContext::applies(const char* rule_id) {
  const RuleInfo* rule = &rule_or_die(rule_id);
  if (std::find(report_.evaluated.begin(), report_.evaluated.end(), rule) == report_.evaluated.end())
    report_.evaluated.push_back(rule);
}

void RuleContext::violation(const char* rule_id, const design::SourcePos& where, std::string message,
                            std::optional<double> measured, std::optional<double> limit,
                            const design::Dimension& dimension) {
  applies(rule_id);
  Finding finding;
  finding.rule = &rule_or_die(rule_id);
  finding.message = std::move(message);
  finding.where = where;
  finding.measured_si = measured;
  finding.limit_si = limit;
  finding.unit = unit_of(dimension);
  report_.findings.push_back(std::move(finding));
}

void RuleContext::missing_property(const char* rule_id, const design::SourcePos& where, const std::string& material_id,
                                   const std::string& property) {
  violation(rule_id, where,
            fmt::format("cannot check: material \"{}\" has no {} in the library (add it under [materials.{}])",
                        material_id, property, material_id));
}

std::optional<double> RuleContext::property(const std::string& material_id, const std::string& key) const {
  const design::Material* found = design.material(material_id);
  if (!found) return std::nullopt;
  return found->nominal(key);
}

}  // namespace detail

CheckReport check_design(const design::Design& design) {
  CheckReport report;
  report.design_name = design.name;
  report.structure = design::to_string(design.structure);
  report.file = design.file.string();
  design::Diagnostics diagnostics;
  for (const design::Waiver& waiver : design.waivers) {
    if (find_rule(waiver.rule)) continue;
    std::vector<std::string> ids;
    for (const RuleInfo& rule : rule_catalog()) ids.push_back(rule.id);
    const std::string suggestion = design::nearest_match(waiver.rule, ids);
    diagnostics.add(waiver.where, "check.waive.rule",
                    fmt::format("unknown rule \"{}\"{}; `wlpkit rules` lists them", waiver.rule,
                                suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion)));
  }
  diagnostics.throw_if_any();

  detail::RuleContext context(design, report);
  detail::check_generic(context);
  switch (design.structure) {
    case design::Structure::B0: detail::check_b0(context); break;
    case design::Structure::S0: detail::check_s0(context); break;
    case design::Structure::S1: detail::check_s1(context); break;
    case design::Structure::S2: detail::check_s2(context); break;
    case design::Structure::S3: detail::check_s3(context); break;
    case design::Structure::S4: detail::check_s4(context); break;
  }
  for (Finding& finding : report.findings) {
    for (const design::Waiver& waiver : design.waivers) {
      if (waiver.rule != finding.rule->id) continue;
      finding.is_waived = true;
      finding.waiver_reason = waiver.reason;
    }
  }
  return report;
}

}  // namespace wlp::rules
