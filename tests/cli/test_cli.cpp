// The wlpkit command line: help, `check` on the bundled examples (text and JSON), exit codes of
// rule violations and warnings, `materials`, `resolve -o`, `rules`.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace wlp::test {
namespace {

constexpr int kExitClean = 0;
constexpr int kExitViolations = 1;
constexpr int kExitUnusable = 2;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

std::string trimmed_left(const std::string& text) {
  const std::size_t first = text.find_first_not_of(' ');
  return first == std::string::npos ? "" : text.substr(first);
}

std::size_t indent_of(const std::string& text) {
  const std::size_t first = text.find_first_not_of(' ');
  return first == std::string::npos ? text.size() : first;
}

/// The words of a line (split on spaces).
std::vector<std::string> words_of(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream stream(line);
  for (std::string word; stream >> word;) words.push_back(word);
  return words;
}

/// True when some line of `text` starts with `prefix`.
bool has_line_starting_with(const std::string& text, const std::string& prefix) {
  const std::vector<std::string> lines = lines_of(text);
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& line) { return line.rfind(prefix, 0) == 0; });
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::vector<std::filesystem::path> example_designs() {
  std::vector<std::filesystem::path> designs;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "examples"))
    if (entry.is_regular_file() && entry.path().extension() == ".toml") designs.push_back(entry.path());
  std::sort(designs.begin(), designs.end());
  return designs;
}

std::string all_examples_quoted() {
  std::string arguments;
  for (const auto& design : example_designs()) arguments += " " + quoted(design.string());
  return arguments;
}

nlohmann::json parse_json(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  EXPECT_FALSE(parsed.is_discarded()) << "not JSON:\n" << text.substr(0, 2000);
  return parsed;
}

// A file that includes an example and overrides some keys (docs/design-format.md, includes).
std::filesystem::path write_override(const ScratchDir& dir, const std::string& name, const std::string& example,
                                     const std::string& overrides) {
  const auto base = source_dir() / "examples" / example;
  return dir.write(name, fmt::format("include = \"{}\"\n\n{}", base.string(), overrides));
}

// ---------------------------------------------------------------------------------------------
// Help

TEST(CliHelp, top_level_help_lists_every_subcommand) {
  const CliResult result = run_cli("--help");
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  for (const char* fragment : {"check", "materials", "rules", "resolve", "--help", "--version"})
    EXPECT_NE(result.out.find(fragment), std::string::npos) << fragment << "\n" << result.out;
  // Each subcommand has a one-line description next to it.
  for (const char* subcommand : {"check", "materials", "rules", "resolve"}) {
    bool described = false;
    for (const std::string& line : lines_of(result.out)) {
      const std::string rest = trimmed_left(line);
      if (indent_of(line) == 0 || rest.rfind(std::string(subcommand) + "  ", 0) != 0) continue;
      described = trimmed_left(rest.substr(std::string(subcommand).size())).size() >= 10;
    }
    EXPECT_TRUE(described) << subcommand << " is not described:\n" << result.out;
  }
}

struct HelpCase {
  std::string subcommand;
  std::vector<std::pair<std::string, std::string>> options;  // option as listed, words of its description
};

void PrintTo(const HelpCase& c, std::ostream* os) { *os << c.subcommand; }

class CliSubcommandHelp : public ::testing::TestWithParam<HelpCase> {};

TEST_P(CliSubcommandHelp, exits_0_and_describes_every_option) {
  const HelpCase& c = GetParam();
  const CliResult result = run_cli(c.subcommand + " --help");
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  const std::vector<std::string> lines = lines_of(result.out);
  for (const auto& [option, description] : c.options) {
    // The description is on the option's line or, when the option column is full, on the next.
    bool found = false;
    for (std::size_t i = 0; i < lines.size() && !found; ++i) {
      if (lines[i].find(option) == std::string::npos) continue;
      const std::string both = lines[i] + (i + 1 < lines.size() ? "\n" + lines[i + 1] : "");
      found = both.find(description) != std::string::npos;
    }
    EXPECT_TRUE(found) << "`" << c.subcommand << " --help` does not describe " << option << " (\"" << description
                       << "\"):\n" << result.out;
  }
  // Generic: every listed option (a line starting with spaces and a dash) has a description.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // An option line: indented, starts with a dash. CLI11 puts the description after a gap of
    // two or more spaces, or on the next, more indented line when the option column is full.
    const std::string& line = lines[i];
    if (indent_of(line) == 0 || trimmed_left(line).rfind('-', 0) != 0) continue;
    const std::string rest = trimmed_left(line);
    const std::size_t gap = rest.find("  ");
    const bool same_line = gap != std::string::npos && !trimmed_left(rest.substr(gap)).empty();
    const bool next_line = i + 1 < lines.size() && indent_of(lines[i + 1]) >= 10 && !trimmed_left(lines[i + 1]).empty() &&
                           trimmed_left(lines[i + 1]).rfind('-', 0) != 0;
    EXPECT_TRUE(same_line || next_line) << "option without description: " << line;
  }
}

std::string help_name(const ::testing::TestParamInfo<HelpCase>& info) { return info.param.subcommand; }

INSTANTIATE_TEST_SUITE_P(
    Subcommands, CliSubcommandHelp,
    ::testing::Values(HelpCase{"check",
                               {{"designs", "Design files"},
                                {"--format", "text (default) or json"},
                                {"--verbose", "List every rule checked"},
                                {"--warnings-as-errors", "Exit 1 on warnings"},
                                {"--materials", "Material library file"},
                                {"--help", "Print this help"}}},
                      HelpCase{"materials",
                               {{"id", "Material id"}, {"--materials", "Material library file"}, {"--help", "Print this help"}}},
                      HelpCase{"rules", {{"--help", "Print this help"}}},
                      HelpCase{"resolve",
                               {{"design", "Design file"},
                                {"--output", "atomically"},
                                {"--materials", "Material library file"},
                                {"--help", "Print this help"}}}),
    help_name);

TEST(CliUsage, no_subcommand_or_an_unknown_one_exits_2) {
  const std::string b0 = quoted((source_dir() / "examples" / "b0.toml").string());
  for (const std::string& arguments : {std::string(), std::string("frobnicate"), "check --format xml " + b0,
                                       std::string("check"), "resolve " + b0 + " --no-such-option"}) {
    const CliResult result = run_cli(arguments);
    EXPECT_EQ(result.exit_code, kExitUnusable) << "wlpkit " << arguments << "\n" << result.err;
    EXPECT_FALSE(result.err.empty()) << arguments;
  }
}

TEST(CliUsage, version_exits_0) {
  const CliResult result = run_cli("--version");
  EXPECT_EQ(result.exit_code, kExitClean);
  EXPECT_EQ(result.out.rfind("wlpkit ", 0), 0u) << result.out;
}

// ---------------------------------------------------------------------------------------------
// check on the examples

TEST(CliCheckExamples, there_are_examples) { EXPECT_GE(example_designs().size(), 6u); }

class CliCheckExample : public ::testing::TestWithParam<std::filesystem::path> {};

TEST_P(CliCheckExample, passes_with_a_pass_summary) {
  const std::filesystem::path& design = GetParam();
  const CliResult result = run_cli("check " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitClean) << result.out << result.err;
  EXPECT_TRUE(result.err.empty()) << result.err;
  // "<file> (<structure> <name>): N rules checked, 0 errors, 0 warnings -> PASS"
  std::string summary;
  for (const std::string& line : lines_of(result.out))
    if (line.rfind(design.string() + " (", 0) == 0) summary = line;
  ASSERT_FALSE(summary.empty()) << result.out;
  const std::vector<std::string> words = words_of(summary.substr(design.string().size()));
  ASSERT_GE(words.size(), 3u) << summary;
  const std::set<std::string> structures{"(B0", "(S0", "(S1", "(S2", "(S3", "(S4"};
  EXPECT_TRUE(structures.count(words[0])) << summary;
  EXPECT_NE(summary.find(" rules checked, 0 errors, "), std::string::npos) << summary;
  EXPECT_EQ(summary.substr(summary.size() - 8), " -> PASS") << summary;
}

std::string example_name(const ::testing::TestParamInfo<std::filesystem::path>& info) {
  std::string name = info.param.stem().string();
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Examples, CliCheckExample, ::testing::ValuesIn(example_designs()), example_name);

TEST(CliCheckExamples, all_examples_at_once_print_a_summary) {
  const CliResult result = run_cli("check" + all_examples_quoted());
  EXPECT_EQ(result.exit_code, kExitClean) << result.out << result.err;
  const std::size_t n = example_designs().size();
  EXPECT_NE(result.out.find(fmt::format("summary: {} of {} designs pass", n, n)), std::string::npos) << result.out;
}

TEST(CliCheckExamples, verbose_lists_every_rule_checked) {
  const auto design = source_dir() / "examples" / "s3-fig1.toml";
  const CliResult result = run_cli("check -v " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  const std::vector<std::string> lines = lines_of(result.out);
  for (const char* rule : {"S3.POST.HEIGHT", "S3.UBM.LARGER", "GEN.PAD.INSIDE_DIE"}) {
    EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [rule](const std::string& line) {
      const auto words = words_of(line);
      return words.size() >= 2 && words[0] == "ok" && words[1] == rule;
    })) << rule << "\n" << result.out;
  }
}

TEST(CliCheckJson, every_example_in_json_has_the_expected_fields) {
  const CliResult result = run_cli("check --format json" + all_examples_quoted());
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  const nlohmann::json report = parse_json(result.out);  // stdout holds the JSON and nothing else
  ASSERT_TRUE(report.contains("designs"));
  ASSERT_TRUE(report["designs"].is_array());
  ASSERT_EQ(report["designs"].size(), example_designs().size());
  std::set<std::string> known_rules;
  for (const auto& rule : rules::rule_catalog()) known_rules.insert(rule.id);
  const std::set<std::string> structures{"B0", "S0", "S1", "S2", "S3", "S4"};
  for (const nlohmann::json& design : report["designs"]) {
    ASSERT_TRUE(design.contains("name") && design["name"].is_string()) << design.dump();
    const std::string name = design["name"];
    EXPECT_TRUE(!name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    })) << name;
    ASSERT_TRUE(design.contains("structure") && design["structure"].is_string()) << name;
    EXPECT_TRUE(structures.count(design["structure"].get<std::string>())) << design["structure"];
    ASSERT_TRUE(design.contains("errors") && design["errors"].is_number_integer()) << name;
    EXPECT_EQ(design["errors"], 0) << name;
    ASSERT_TRUE(design.contains("rules_checked") && design["rules_checked"].is_array()) << name;
    EXPECT_FALSE(design["rules_checked"].empty()) << name;
    for (const auto& rule : design["rules_checked"]) EXPECT_TRUE(known_rules.count(rule.get<std::string>())) << rule;
    ASSERT_TRUE(design.contains("findings") && design["findings"].is_array()) << name;
  }
  // The examples are named after their files.
  std::set<std::string> names, stems;
  for (const nlohmann::json& design : report["designs"]) names.insert(design["name"].get<std::string>());
  for (const auto& path : example_designs()) stems.insert(path.stem().string());
  EXPECT_EQ(names, stems);
}

// ---------------------------------------------------------------------------------------------
// Rule violations and warnings

TEST(CliCheckViolations, an_s3_post_of_8_um_exits_1_naming_the_rule) {
  ScratchDir dir;
  const auto design = write_override(dir, "s3-short-post.toml", "s3-fig1.toml", "[interconnect]\npost_height = \"8 um\"\n");
  const CliResult result = run_cli("check " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitViolations) << result.out << result.err;
  EXPECT_TRUE(result.err.empty()) << result.err;
  // Located at the overriding value: line 4, column 15 of the override file.
  const std::string location = design.string() + ":4:15: error: S3.POST.HEIGHT ";
  EXPECT_NE(result.out.find(location), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("8 um"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("-> FAIL"), std::string::npos) << result.out;
}

TEST(CliCheckViolations, json_findings_carry_rule_severity_and_line) {
  ScratchDir dir;
  const auto design = write_override(dir, "s3-short-post.toml", "s3-fig1.toml", "[interconnect]\npost_height = \"8 um\"\n");
  const CliResult result = run_cli("check --format json " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitViolations) << result.err;
  const nlohmann::json report = parse_json(result.out);
  ASSERT_EQ(report["designs"].size(), 1u);
  const nlohmann::json& checked = report["designs"][0];
  EXPECT_EQ(checked["name"], "s3-fig1");
  EXPECT_EQ(checked["structure"], "S3");
  EXPECT_GE(checked["errors"].get<int>(), 1);
  bool found = false;
  for (const nlohmann::json& finding : checked["findings"]) {
    ASSERT_TRUE(finding.contains("rule") && finding.contains("severity") && finding.contains("line")) << finding.dump();
    if (finding["rule"] != "S3.POST.HEIGHT") continue;
    found = true;
    EXPECT_EQ(finding["severity"], "error");
    EXPECT_EQ(finding["line"], 4);
    EXPECT_EQ(finding["column"], 15);
    EXPECT_EQ(finding["file"], design.string());
    EXPECT_DOUBLE_EQ(finding["measured"].get<double>(), 8e-6);
    EXPECT_DOUBLE_EQ(finding["limit"].get<double>(), 12e-6);
  }
  EXPECT_TRUE(found) << checked["findings"].dump(2);
}

// B0 UBM 300 um on a 240 um pad: only the warning B0.UBM.PAD_SIZE (UBM = pad size +-10 %).
std::filesystem::path write_warning_only(const ScratchDir& dir) {
  return write_override(dir, "b0-wide-ubm.toml", "b0.toml", "[interconnect]\nubm_diameter = \"300 um\"\n");
}

TEST(CliCheckWarnings, a_warning_alone_exits_0) {
  ScratchDir dir;
  const auto design = write_warning_only(dir);
  const CliResult result = run_cli("check " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitClean) << result.out << result.err;
  EXPECT_NE(result.out.find(design.string() + ":4:16: warning: B0.UBM.PAD_SIZE "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("0 errors, 1 warning -> PASS"), std::string::npos) << result.out;
}

TEST(CliCheckWarnings, warnings_as_errors_exits_1) {
  ScratchDir dir;
  const auto design = write_warning_only(dir);
  const CliResult result = run_cli("check --warnings-as-errors " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitViolations) << result.out << result.err;
  EXPECT_NE(result.out.find("B0.UBM.PAD_SIZE"), std::string::npos) << result.out;
}

// The printed verdict must agree with the exit code: a design that fails the check (exit 1
// because of --warnings-as-errors) must not be summarised as "PASS".
TEST(CliCheckWarnings, warnings_as_errors_verdict_agrees_with_the_exit_code) {
  ScratchDir dir;
  const auto design = write_warning_only(dir);
  const CliResult result = run_cli("check --warnings-as-errors " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitViolations);
  EXPECT_EQ(result.out.find("-> PASS"), std::string::npos) << "exit 1 but the summary says PASS:\n" << result.out;
  EXPECT_NE(result.out.find("-> FAIL"), std::string::npos) << result.out;
}

TEST(CliCheckWarnings, warnings_as_errors_leaves_clean_designs_at_0) {
  const auto design = source_dir() / "examples" / "b0.toml";
  const CliResult result = run_cli("check --warnings-as-errors " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitClean) << result.out << result.err;
}

// ---------------------------------------------------------------------------------------------
// materials

TEST(CliMaterials, lists_every_material_of_the_library) {
  const CliResult result = run_cli("materials");
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  const auto library = design::load_material_library(material_library());
  ASSERT_GE(library.all().size(), 10u);
  const std::vector<std::string> lines = lines_of(result.out);
  for (const auto& [id, material] : library.all()) {
    const bool listed = std::any_of(lines.begin(), lines.end(), [&id = id](const std::string& line) {
      return line.rfind(id + " ", 0) == 0;
    });
    EXPECT_TRUE(listed) << id << " is not listed";
  }
  EXPECT_NE(result.out.find(fmt::format("{} materials", library.all().size())), std::string::npos) << result.out;
  for (const char* id : {"SAC305", "Si", "Cu_ED", "FR4"}) EXPECT_NE(result.out.find(id), std::string::npos) << id;
}

TEST(CliMaterials, sac305_shows_the_anand_constants_with_their_source) {
  const CliResult result = run_cli("materials SAC305");
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  std::string anand;
  for (const std::string& line : lines_of(result.out))
    if (line.find("anand:") != std::string::npos) anand = line;
  ASSERT_FALSE(anand.empty()) << result.out;
  // /work/shared/reference/physics-data.md §2.1, SAC305 (Motalab et al. 2012).
  EXPECT_NE(anand.find("s0 21 MPa"), std::string::npos) << anand;
  EXPECT_NE(anand.find("Q/R 9320 K"), std::string::npos) << anand;
  EXPECT_NE(anand.find("A 3501 1/s"), std::string::npos) << anand;
  EXPECT_NE(anand.find("xi 4,"), std::string::npos) << anand;
  EXPECT_NE(anand.find("m 0.25,"), std::string::npos) << anand;
  EXPECT_NE(anand.find("h0 180000 MPa"), std::string::npos) << anand;
  EXPECT_NE(anand.find("s^ 30.2 MPa"), std::string::npos) << anand;
  EXPECT_NE(anand.find("n 0.01,"), std::string::npos) << anand;
  EXPECT_NE(anand.find("a 1.78"), std::string::npos) << anand;
  EXPECT_NE(anand.find("Motalab"), std::string::npos) << "no source: " << anand;
  EXPECT_NE(anand.find("physics-data.md"), std::string::npos) << anand;
  // Every property line carries its grade in brackets and a source after it.
  for (const std::string& line : lines_of(result.out)) {
    if (line.rfind("  ", 0) != 0) continue;
    const std::size_t open = line.find(" [");
    const std::size_t close = open == std::string::npos ? std::string::npos : line.find("] ", open);
    EXPECT_TRUE(close != std::string::npos && close > open + 2 && trimmed_left(line.substr(close + 1)).size() >= 5)
        << "no grade/source: " << line;
  }
}

TEST(CliMaterials, an_unknown_id_exits_2_with_a_suggestion) {
  const CliResult result = run_cli("materials SAC350");
  EXPECT_EQ(result.exit_code, kExitUnusable);
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_NE(result.err.find("unknown material \"SAC350\""), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("did you mean \"SAC305\"?"), std::string::npos) << result.err;
}

TEST(CliMaterials, a_missing_library_file_exits_2) {
  ScratchDir dir;
  const std::string path = (dir.path() / "absent-materials.toml").string();
  const CliResult result = run_cli("materials --materials " + quoted(path));
  EXPECT_EQ(result.exit_code, kExitUnusable);
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_NE(result.err.find(path), std::string::npos) << result.err;
}

// ---------------------------------------------------------------------------------------------
// resolve

TEST(CliResolve, writes_valid_si_json_atomically) {
  ScratchDir dir;
  const auto design = source_dir() / "examples" / "s3-fig1.toml";
  const auto output = dir.path() / "resolved.json";
  const CliResult result = run_cli("resolve " + quoted(design.string()) + " -o " + quoted(output.string()));
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  // Only the output: no temporary left behind.
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) files.push_back(entry.path().filename().string());
  EXPECT_EQ(files, std::vector<std::string>{"resolved.json"});
  const nlohmann::json resolved = parse_json(read_text(output));
  EXPECT_EQ(resolved["name"], "s3-fig1");
  EXPECT_EQ(resolved["structure"], "S3");
  // SI: "50 um" -> 5e-05 m, "60 um" -> 6e-05 m, "400 um" -> 4e-04 m, "125 C" (profile G) -> 398.15 K.
  EXPECT_EQ(resolved["interconnect"]["type"], "post_ubm_resin");
  EXPECT_DOUBLE_EQ(resolved["interconnect"]["post_height_m"].get<double>(), 5e-05);
  EXPECT_DOUBLE_EQ(resolved["interconnect"]["post_diameter_m"].get<double>(), 6e-05);
  EXPECT_DOUBLE_EQ(resolved["die"]["thickness_m"].get<double>(), 4e-04);
  EXPECT_DOUBLE_EQ(resolved["analysis"]["thermal_cycling"]["t_max_K"].get<double>(), 398.15);
  EXPECT_DOUBLE_EQ(resolved["analysis"]["thermal_cycling"]["dwell_s"].get<double>(), 900.0);
  // The same JSON on stdout without -o.
  const CliResult printed = run_cli("resolve " + quoted(design.string()));
  EXPECT_EQ(printed.exit_code, kExitClean);
  EXPECT_EQ(parse_json(printed.out), resolved);
}

TEST(CliResolve, an_override_is_resolved_in_si) {
  ScratchDir dir;
  const auto design = write_override(dir, "s3-tall.toml", "s3-fig1.toml", "[interconnect]\npost_height = \"0.12 mm\"\n");
  const CliResult result = run_cli("resolve " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  EXPECT_DOUBLE_EQ(parse_json(result.out)["interconnect"]["post_height_m"].get<double>(), 1.2e-4);
}

TEST(CliResolve, overwrites_an_existing_output) {
  ScratchDir dir;
  const auto output = dir.write("resolved.json", "old contents");
  const CliResult result = run_cli("resolve " + quoted((source_dir() / "examples" / "b0.toml").string()) + " -o " +
                                   quoted(output.string()));
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  EXPECT_EQ(parse_json(read_text(output))["name"], "b0");
  EXPECT_FALSE(std::filesystem::exists(output.string() + ".tmp"));
}

TEST(CliResolve, a_broken_design_writes_no_output) {
  ScratchDir dir;
  const auto output = dir.path() / "resolved.json";
  const CliResult result = run_cli("resolve " + quoted((source_dir() / "tests" / "corpus" / "missing-unit.toml").string()) +
                                   " -o " + quoted(output.string()));
  EXPECT_EQ(result.exit_code, kExitUnusable);
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "output or temporary written for an unusable design";
}

// When the output cannot be put in place (here: the output path is a directory), the command
// fails with 2 and leaves no temporary file behind.
TEST(CliResolve, a_failed_write_leaves_no_temporary_behind) {
  ScratchDir dir;
  const auto output = dir.path() / "out.json";
  std::filesystem::create_directories(output);
  const CliResult result = run_cli("resolve " + quoted((source_dir() / "examples" / "b0.toml").string()) + " -o " +
                                   quoted(output.string()));
  EXPECT_EQ(result.exit_code, kExitUnusable) << result.err;
  EXPECT_TRUE(result.out.empty()) << result.out;
  EXPECT_NE(result.err.find(output.string()), std::string::npos) << result.err;
  EXPECT_FALSE(std::filesystem::exists(output.string() + ".tmp")) << "left behind: " << output.string() << ".tmp";
}

// ---------------------------------------------------------------------------------------------
// rules

TEST(CliRules, lists_every_rule_id_once) {
  const CliResult result = run_cli("rules");
  EXPECT_EQ(result.exit_code, kExitClean) << result.err;
  std::vector<std::string> listed;
  for (const std::string& line : lines_of(result.out)) {
    std::istringstream words(line);
    std::string id;
    if (words >> id) listed.push_back(id);
  }
  std::vector<std::string> catalog;
  for (const auto& rule : rules::rule_catalog()) catalog.push_back(rule.id);
  EXPECT_EQ(listed, catalog);
  const std::set<std::string> unique(listed.begin(), listed.end());
  EXPECT_EQ(unique.size(), listed.size()) << "a rule id is listed twice";
  // Each line: id, seed, severity, claim, summary.
  for (const auto& rule : rules::rule_catalog()) {
    const auto lines = lines_of(result.out);
    const auto line = std::find_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.rfind(rule.id + " ", 0) == 0; });
    ASSERT_NE(line, lines.end()) << rule.id;
    EXPECT_NE(line->find(rule.seed), std::string::npos) << *line;
    EXPECT_NE(line->find(rules::to_string(rule.severity)), std::string::npos) << *line;
    EXPECT_NE(line->find(rule.summary), std::string::npos) << *line;
  }
}

// Every rule that `check` evaluates on the examples is one that `rules` lists.
TEST(CliRules, every_rule_checked_on_the_examples_is_listed) {
  const CliResult listed = run_cli("rules");
  const CliResult checked = run_cli("check --format json" + all_examples_quoted());
  const nlohmann::json report = parse_json(checked.out);
  std::set<std::string> ids;
  for (const nlohmann::json& design : report["designs"])
    for (const auto& rule : design["rules_checked"]) ids.insert(rule.get<std::string>());
  EXPECT_GE(ids.size(), 20u);
  for (const std::string& id : ids)
    EXPECT_TRUE(has_line_starting_with(listed.out, id + " "))
        << id << " is checked but not listed by `wlpkit rules`";
}

}  // namespace
}  // namespace wlp::test
