// Assertions shared by the per-seed rule test files.
#pragma once

#include "rule_test_support.h"

namespace wlp::rules_test {

/// The report has exactly one finding of `rule_id`, with the catalogue severity the test
/// expects, counted in n_errors()/n_warnings(). Returns it (null, with a failure, otherwise).
inline const Finding* single_finding(const Checked& checked, const std::string& rule_id, Severity severity) {
  const auto found = findings_of(checked.report, rule_id);
  if (found.size() != 1) {
    ADD_FAILURE() << "expected exactly one " << rule_id << " finding, got " << found.size() << ":\n"
                  << describe(checked.report);
    return found.empty() ? nullptr : found.front();
  }
  const Finding* finding = found.front();
  EXPECT_EQ(finding->rule->severity, severity)
      << rule_id << " is " << rules::to_string(finding->rule->severity) << ", expected " << rules::to_string(severity);
  EXPECT_FALSE(finding->is_waived);
  EXPECT_TRUE(was_evaluated(checked.report, rule_id)) << rule_id << " has a finding but is not listed as evaluated";
  if (severity == Severity::Error)
    EXPECT_GE(checked.report.n_errors(), 1);
  else
    EXPECT_GE(checked.report.n_warnings(), 1);
  return finding;
}

/// The rule applied to the design and found nothing.
inline void expect_passes(const Checked& checked, const std::string& rule_id) {
  EXPECT_TRUE(was_evaluated(checked.report, rule_id)) << rule_id << " was not evaluated for this design";
  EXPECT_TRUE(findings_of(checked.report, rule_id).empty()) << rule_id << " reported:\n" << describe(checked.report);
}

/// Measured and limit values (SI) and the unit they are given in.
inline void expect_numbers(const Finding& finding, double measured_si, double limit_si, const std::string& unit) {
  EXPECT_TRUE(si_equals(finding.measured_si, measured_si)) << "measured_si of " << finding.rule->id;
  EXPECT_TRUE(si_equals(finding.limit_si, limit_si)) << "limit_si of " << finding.rule->id;
  EXPECT_EQ(finding.unit, unit) << "unit of " << finding.rule->id;
}

/// A finding without numbers (process order, missing layers).
inline void expect_no_numbers(const Finding& finding) {
  EXPECT_FALSE(finding.measured_si.has_value()) << finding.rule->id;
  EXPECT_FALSE(finding.limit_si.has_value()) << finding.rule->id;
}

inline constexpr double kKelvinAtZeroCelsius = 273.15;
inline constexpr double um = 1e-6;
inline constexpr double GPa = 1e9;
inline constexpr double MPa = 1e6;
inline double kelvin(double celsius) { return celsius + kKelvinAtZeroCelsius; }

}  // namespace wlp::rules_test
