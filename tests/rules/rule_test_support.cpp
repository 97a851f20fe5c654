#include "rule_test_support.h"

#include <algorithm>
#include <cctype>
#include <sstream>

namespace wlp::rules_test {

std::optional<Checked> check_files(const std::vector<std::pair<std::string, std::string>>& files) {
  test::ScratchDir scratch;
  std::filesystem::path last;
  for (const auto& [name, contents] : files) last = scratch.write(name, contents);
  Checked checked;
  for (const auto& [name, contents] : files) {
    if (name == "base.toml") checked.base_text = contents;
  }
  checked.design_text = files.back().second;
  try {
    checked.design = test::load(last);
  } catch (const design::InputError& error) {
    std::string text;
    for (const design::Diagnostic& diagnostic : error.diagnostics()) text += design::format_diagnostic(diagnostic) + "\n";
    ADD_FAILURE() << "the test design does not load:\n" << text << "--- design.toml:\n" << checked.design_text;
    return std::nullopt;
  }
  try {
    checked.report = rules::check_design(checked.design);
  } catch (const design::InputError& error) {
    std::string text;
    for (const design::Diagnostic& diagnostic : error.diagnostics()) text += design::format_diagnostic(diagnostic) + "\n";
    ADD_FAILURE() << "check_design threw InputError:\n" << text;
    return std::nullopt;
  }
  return checked;
}

std::string overlay_text(const std::string& overlay) { return "include = \"base.toml\"\n" + overlay; }

std::optional<Checked> check_override(const std::string& base, const std::string& overlay) {
  return check_files({{"base.toml", base}, {"design.toml", overlay_text(overlay)}});
}

namespace {
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  std::string line;
  while (std::getline(stream, line)) lines.push_back(line);
  return lines;
}
}  // namespace

int line_of(const std::string& text, const std::string& needle) {
  const std::vector<std::string> lines = lines_of(text);
  int found = 0, n_found = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(needle) == std::string::npos) continue;
    found = static_cast<int>(i) + 1;
    ++n_found;
  }
  if (n_found != 1) ADD_FAILURE() << "test bug: '" << needle << "' occurs on " << n_found << " lines of:\n" << text;
  return found;
}

int header_line_of(const std::string& text, const std::string& needle) {
  const std::vector<std::string> lines = lines_of(text);
  const int at = line_of(text, needle);
  for (int i = at; i >= 1; --i) {
    const std::string& line = lines[static_cast<std::size_t>(i - 1)];
    if (line.rfind("[[", 0) == 0) return i;
  }
  ADD_FAILURE() << "test bug: no [[...]] header above '" << needle << "'";
  return 0;
}

std::vector<const Finding*> findings_of(const rules::CheckReport& report, const std::string& rule_id) {
  std::vector<const Finding*> found;
  for (const Finding& finding : report.findings)
    if (finding.rule && finding.rule->id == rule_id) found.push_back(&finding);
  return found;
}

bool was_evaluated(const rules::CheckReport& report, const std::string& rule_id) {
  return std::any_of(report.evaluated.begin(), report.evaluated.end(),
                     [&](const rules::RuleInfo* rule) { return rule->id == rule_id; });
}

::testing::AssertionResult quotes(const std::string& message, const std::string& number_and_unit) {
  for (std::size_t at = message.find(number_and_unit); at != std::string::npos;
       at = message.find(number_and_unit, at + 1)) {
    const bool continues_number =
        at > 0 && (std::isdigit(static_cast<unsigned char>(message[at - 1])) || message[at - 1] == '.' ||
                   message[at - 1] == '-');
    const std::size_t end = at + number_and_unit.size();
    const bool unit_goes_on = end < message.size() && std::isalpha(static_cast<unsigned char>(message[end]));
    if (!continues_number && !unit_goes_on) return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "message does not quote \"" << number_and_unit << "\": " << message;
}

::testing::AssertionResult contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not found in: " << text;
}

::testing::AssertionResult si_equals(const std::optional<double>& actual, double expected) {
  if (!actual) return ::testing::AssertionFailure() << "no value (expected " << expected << ")";
  const double tolerance = 1e-12 * std::abs(expected);
  if (std::abs(*actual - expected) <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "value " << *actual << " differs from the expected " << expected
                                       << " by more than 1e-12 relative";
}

::testing::AssertionResult points_at(const Finding& finding, const std::string& file_name, int line) {
  const std::string actual_name = std::filesystem::path(finding.where.file).filename().string();
  if (actual_name == file_name && finding.where.line == line) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << finding.rule->id << " points at " << actual_name << ":" << finding.where.line
                                       << ", expected " << file_name << ":" << line
                                       << " (the line of the offending key)";
}

std::string describe(const rules::CheckReport& report) {
  std::string text;
  for (const Finding& finding : report.findings)
    text += "  " + finding.where.to_string() + " " + finding.rule->id + ": " + finding.message + "\n";
  return text.empty() ? "  (no findings)\n" : text;
}

}  // namespace wlp::rules_test
