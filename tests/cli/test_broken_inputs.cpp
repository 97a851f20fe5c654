// Broken inputs: `wlpkit check` on every file of tests/corpus/ and on inputs generated here
// (too large, binary, invalid UTF-8, a directory, deep includes, deep nesting) must exit with
// exactly 2 (never crash: never >= 128), print nothing on standard output, and say on standard
// error where the problem is: "file:line:column: error: key.path: message", with the value and
// what was expected (docs/design-format.md, "Errors name file:line:column, the key path, the
// value and what was expected").
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace wlp::test {
namespace {

constexpr int kExitUnusable = 2;

std::filesystem::path corpus_dir() { return source_dir() / "tests" / "corpus"; }

std::string read_text(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

/// The first line of `text` that starts with `prefix`, or "" when there is none.
std::string line_starting_with(const std::string& text, const std::string& prefix) {
  for (const std::string& line : lines_of(text))
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

/// Reads a run of decimal digits at `text[at]`; returns their count (0 = none) and the value.
std::size_t digits_at(const std::string& text, std::size_t at, int* value) {
  std::size_t n = 0;
  int parsed = 0;
  while (at + n < text.size() && text[at + n] >= '0' && text[at + n] <= '9') parsed = parsed * 10 + (text[at + n++] - '0');
  if (value) *value = parsed;
  return n;
}

/// True when some line of `text` is "<file>:<line>:<column>: error: ..." with line, column >= 1.
bool has_located_error(const std::string& text, const std::string& file) {
  for (const std::string& line : lines_of(text)) {
    if (line.rfind(file + ":", 0) != 0) continue;
    std::size_t at = file.size() + 1;
    int line_number = 0, column = 0;
    const std::size_t n_line = digits_at(line, at, &line_number);
    if (n_line == 0 || line_number < 1 || line.compare(at + n_line, 1, ":") != 0) continue;
    at += n_line + 1;
    const std::size_t n_column = digits_at(line, at, &column);
    if (n_column == 0 || column < 1) continue;
    if (line.compare(at + n_column, 9, ": error: ") == 0) return true;
  }
  return false;
}

/// "(1 problem)" / "(4 problems)" as printed by `wlpkit check` for an unusable design.
std::string problems_summary(const std::filesystem::path& design, int n_problems) {
  return fmt::format("{}: could not be used ({} problem{})", design.string(), n_problems, n_problems == 1 ? "" : "s");
}

// The common contract of every unusable input: exit exactly 2 (a crash gives 128 + signal),
// nothing on standard output, something on standard error.
void expect_refused(const CliResult& result, const std::string& what) {
  EXPECT_EQ(result.exit_code, kExitUnusable) << what << "\nstderr:\n" << result.err;
  EXPECT_LT(result.exit_code, 128) << what << ": wlpkit crashed (signal " << result.exit_code - 128 << ")";
  EXPECT_TRUE(result.out.empty()) << what << ": a design that could not be used printed on stdout:\n" << result.out;
  EXPECT_FALSE(result.err.empty()) << what << ": no message on stderr";
}

// ---------------------------------------------------------------------------------------------
// The committed corpus

struct BrokenCase {
  std::string file;          // in tests/corpus/
  std::string located_in;    // file the error is located in ("" = `file`)
  int line = 0;              // exact line of the broken key
  int column = 0;            // exact column of the value or key; 0 = not checked (TOML parser's own column)
  std::vector<std::string> expected;  // on the same diagnostic line: key path, value, expectation
  int n_problems = 1;        // every corpus file breaks exactly one thing
};

// Lines and columns below were read off the corpus files (the header comment takes lines 1-4).
const std::vector<BrokenCase>& broken_cases() {
  static const std::vector<BrokenCase> cases{
      {"syntax-unterminated-string.toml", "", 22, 0, {"TOML syntax error", "string"}},
      {"unknown-key-typo.toml", "", 20, 1, {"pads.thicknes", "unknown key 'thicknes'", "\"1 um\"", "did you mean `thickness`?"}},
      {"missing-unit.toml", "", 14, 13, {"die.thickness", "value 50", "has no unit", "expected a length"}},
      {"wrong-dimension.toml", "", 29, 13, {"stack[0].thickness", "\"3.5 GPa\"", "pressure", "expected a length"}},
      {"negative-thickness.toml", "", 14, 13, {"die.thickness", "\"-400 um\"", "greater than zero"}},
      // The column points at the unknown unit inside the string, not at the opening quote.
      {"unknown-unit.toml", "", 14, 18, {"die.thickness", "\"400 uu\"", "unknown unit 'uu'", "expected a length"}},
      {"unknown-material.toml", "", 48, 9, {"bumps.alloy", "unknown material \"SAC350\"", "did you mean \"SAC305\"?"}},
      {"wrong-type.toml", "", 44, 11, {"bumps.columns", "value \"9\"", "is a string", "expected an integer"}},
      {"unknown-structure.toml", "", 7, 13, {"design.structure", "\"S5\"", "B0, S0, S1, S2, S3, S4"}},
      {"unknown-recipe-op.toml", "", 86, 6,
       {"recipe.step[2].op", "unknown step op \"electroplat\"", "did you mean \"electroplate\"?"}},
      {"recipe-missing-layer.toml", "", 81, 9,
       {"recipe.step[1].layer", "no stack layer named \"passivation-nitrid\"", "did you mean \"passivation-nitride\"?"}},
      {"interconnect-type-mismatch.toml", "", 57, 8,
       {"interconnect.type", "\"ubm_ball\"", "structure B0", "design.structure = \"S3\""}},
      // The value as written must be quoted back, like every other wrong value.
      {"datetime-value.toml", "", 14, 13, {"die.thickness", "1979-05-27T07:32:00Z", "date/time", "expected a length"}},
      {"duplicate-key.toml", "", 16, 0, {"TOML syntax error", "thickness", "redefine"}},
      // The duplicate is the `name` of the third layer (line 44), not its [[stack]] header (43).
      {"duplicate-stack-name.toml", "", 44, 0, {"stack[2]", "name", "duplicate name \"passivation-oxide\""}},
      {"include-missing.toml", "", 5, 11, {"include", "\"no-such-board.toml\"", "does not exist"}},
      {"include-cycle.toml", "include-cycle-partner.toml", 4, 11, {"include", "include cycle", "include-cycle.toml"}},
      {"empty.toml", "", 1, 1, {"empty"}},
      {"only-comments.toml", "", 1, 1, {"design", "missing required table [design]"}, 4},
  };
  return cases;
}

// gtest prints parameters in failure reports: name the file rather than dump bytes.
void PrintTo(const BrokenCase& c, std::ostream* os) { *os << c.file; }

class BrokenCorpus : public ::testing::TestWithParam<BrokenCase> {};

TEST_P(BrokenCorpus, check_exits_2_with_a_located_message) {
  const BrokenCase& c = GetParam();
  const std::filesystem::path design = corpus_dir() / c.file;
  ASSERT_TRUE(std::filesystem::exists(design)) << design;
  const std::filesystem::path located = corpus_dir() / (c.located_in.empty() ? c.file : c.located_in);
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, c.file);

  const std::string location = c.column > 0 ? fmt::format("{}:{}:{}: error: ", located.string(), c.line, c.column)
                                            : fmt::format("{}:{}:", located.string(), c.line);
  const std::string message = line_starting_with(result.err, location);
  ASSERT_FALSE(message.empty()) << "no diagnostic starts with \"" << location << "\"; stderr:\n" << result.err;
  EXPECT_NE(message.find(": error: "), std::string::npos) << message;
  for (const std::string& fragment : c.expected)
    EXPECT_NE(message.find(fragment), std::string::npos) << "missing \"" << fragment << "\" in:\n" << message;
  EXPECT_NE(result.err.find(problems_summary(design, c.n_problems)), std::string::npos)
      << "expected exactly " << c.n_problems << " problem(s); stderr:\n" << result.err;
}

// `resolve` reads the same way: exit 2, nothing on stdout, the same located message.
TEST_P(BrokenCorpus, resolve_exits_2_and_prints_nothing) {
  const BrokenCase& c = GetParam();
  const std::filesystem::path design = corpus_dir() / c.file;
  const std::filesystem::path located = corpus_dir() / (c.located_in.empty() ? c.file : c.located_in);
  const CliResult result = run_cli("resolve " + quoted(design.string()));
  expect_refused(result, "resolve " + c.file);
  EXPECT_NE(result.err.find(fmt::format("{}:{}:", located.string(), c.line)), std::string::npos) << result.err;
}

// `--format json`: the unusable design is not reported as a result (no entry in designs[]).
TEST_P(BrokenCorpus, json_check_reports_no_result_for_the_design) {
  const BrokenCase& c = GetParam();
  const std::filesystem::path design = corpus_dir() / c.file;
  const CliResult result = run_cli("check --format json " + quoted(design.string()));
  EXPECT_EQ(result.exit_code, kExitUnusable) << result.err;
  const nlohmann::json parsed = nlohmann::json::parse(result.out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << result.out;
  ASSERT_TRUE(parsed.contains("designs")) << result.out;
  EXPECT_TRUE(parsed["designs"].empty()) << result.out;
  EXPECT_NE(result.err.find(fmt::format("{}:", (corpus_dir() / (c.located_in.empty() ? c.file : c.located_in)).string())),
            std::string::npos)
      << result.err;
}

std::string case_name(const ::testing::TestParamInfo<BrokenCase>& info) {
  std::string name = std::filesystem::path(info.param.file).stem().string();
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BrokenCorpus, ::testing::ValuesIn(broken_cases()), case_name);

TEST(BrokenCorpusFiles, the_valid_base_passes_so_each_file_breaks_one_thing) {
  const CliResult result = run_cli("check " + quoted((corpus_dir() / "valid-base.toml").string()));
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("-> PASS"), std::string::npos) << result.out;
  EXPECT_TRUE(result.err.empty()) << result.err;
}

TEST(BrokenCorpusFiles, every_corpus_file_has_a_case_and_a_header_comment) {
  std::set<std::string> covered{"valid-base.toml", "include-cycle-partner.toml"};
  for (const BrokenCase& c : broken_cases()) covered.insert(c.file);
  for (const auto& entry : std::filesystem::directory_iterator(corpus_dir())) {
    if (entry.path().extension() != ".toml") continue;
    const std::string name = entry.path().filename().string();
    EXPECT_TRUE(covered.count(name)) << name << " has no case in test_broken_inputs.cpp";
    const std::string text = read_text(entry.path());
    if (name == "empty.toml") {
      EXPECT_TRUE(text.empty()) << "empty.toml must stay empty (0 bytes)";
      continue;
    }
    EXPECT_EQ(text.rfind("# ", 0), 0u) << name << " must begin with a comment saying what is broken";
    if (name != "valid-base.toml") {
      const std::string header = text.substr(0, text.find("\n\n"));
      EXPECT_NE(header.find("BROKEN"), std::string::npos) << name << ": header must say what is broken";
      EXPECT_NE(header.find("Expected"), std::string::npos) << name << ": header must say which error is expected";
    }
  }
  for (const std::string& name : covered) EXPECT_TRUE(std::filesystem::exists(corpus_dir() / name)) << name;
}

// ---------------------------------------------------------------------------------------------
// Inputs generated at test time (too large or not text: not committed)

std::string valid_design_text() { return read_text(corpus_dir() / "valid-base.toml"); }

TEST(GeneratedBrokenInputs, a_10_mb_file_is_refused_by_its_size) {
  ScratchDir dir;
  std::string text = "# a 10 MB design file: comments only\n";
  const std::string filler = "# " + std::string(97, 'x') + "\n";
  while (text.size() < 10u * 1000u * 1000u) text += filler;
  const auto design = dir.write("huge.toml", text);
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "10 MB file");
  const std::string message = line_starting_with(result.err, design.string() + ":1:1: error: ");
  ASSERT_FALSE(message.empty()) << result.err;
  EXPECT_NE(message.find("limited to"), std::string::npos) << message;
  EXPECT_NE(message.find("MiB"), std::string::npos) << message;
}

TEST(GeneratedBrokenInputs, random_binary_bytes_with_nul_are_refused_with_a_location) {
  ScratchDir dir;
  std::mt19937 generator(20240611u);  // fixed seed: the same garbage on every run
  std::uniform_int_distribution<int> byte(0, 255);
  std::string garbage(64 * 1024, '\0');
  for (char& c : garbage) c = static_cast<char>(byte(generator));
  garbage[1000] = '\0';  // at least one NUL, whatever the generator gives
  ASSERT_NE(garbage.find('\0'), std::string::npos);
  const auto design = dir.write("garbage.toml", garbage);
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "binary garbage");
  EXPECT_TRUE(has_located_error(result.err, design.string())) << result.err;
}

TEST(GeneratedBrokenInputs, a_nul_byte_in_a_design_is_located_exactly) {
  ScratchDir dir;
  std::string text = valid_design_text();
  // Put a NUL in the middle of the design name value: line of `name = "corpus-base"`, after `name = "corpus`.
  const std::size_t at = text.find("name = \"corpus-base\"");
  ASSERT_NE(at, std::string::npos);
  text[at + std::string("name = \"corpus").size()] = '\0';
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  const auto design = dir.write("nul.toml", text);
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "NUL byte");
  const int column = static_cast<int>(std::string("name = \"corpus").size()) + 1;
  const std::string message =
      line_starting_with(result.err, fmt::format("{}:{}:{}: error: ", design.string(), line, column));
  ASSERT_FALSE(message.empty()) << result.err;
  EXPECT_NE(message.find("0x00"), std::string::npos) << message;
}

TEST(GeneratedBrokenInputs, invalid_utf8_is_refused_on_its_line) {
  ScratchDir dir;
  std::string text = valid_design_text();
  const std::string good = "description = \"Minimal valid";
  const std::size_t at = text.find(good);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, good.size(), "description = \"Minimal \xC3\x28\xFF valid");  // bad continuation byte, then 0xFF
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  const auto design = dir.write("bad-utf8.toml", text);
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "invalid UTF-8");
  const std::string message = line_starting_with(result.err, fmt::format("{}:{}:", design.string(), line));
  ASSERT_FALSE(message.empty()) << result.err;
  std::string lower = message;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  EXPECT_NE(lower.find("utf-8"), std::string::npos) << message;
}

TEST(GeneratedBrokenInputs, a_directory_given_as_the_design_is_refused) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "not-a-file.toml");
  const std::string path = (dir.path() / "not-a-file.toml").string();
  for (const char* command : {"check ", "resolve "}) {
    const CliResult result = run_cli(command + quoted(path));
    expect_refused(result, std::string(command) + "directory");
    EXPECT_NE(result.err.find(path), std::string::npos) << result.err;
    EXPECT_NE(result.err.find("directory"), std::string::npos) << result.err;
  }
}

TEST(GeneratedBrokenInputs, a_very_deep_include_chain_is_refused_at_an_include) {
  ScratchDir dir;
  constexpr int kChain = 60;
  for (int i = 1; i < kChain; ++i) dir.write(fmt::format("d{}.toml", i), fmt::format("include = \"d{}.toml\"\n", i + 1));
  dir.write(fmt::format("d{}.toml", kChain), valid_design_text());
  const auto top = dir.path() / "d1.toml";
  const CliResult result = run_cli("check " + quoted(top.string()));
  expect_refused(result, "deep include chain");
  // Located at the `include` value (line 1, column 11) of one file of the chain.
  bool located = false;
  for (const std::string& line : lines_of(result.err)) {
    const std::string prefix = (dir.path() / "d").string();
    int link = 0;
    const std::size_t n = line.rfind(prefix, 0) == 0 ? digits_at(line, prefix.size(), &link) : 0;
    if (n > 0 && link >= 1 && link <= kChain &&
        line.compare(prefix.size() + n, 28, ".toml:1:11: error: include: ") == 0 &&
        line.find("deep") != std::string::npos)
      located = true;
  }
  EXPECT_TRUE(located) << result.err;
}

TEST(GeneratedBrokenInputs, an_included_file_that_is_too_large_is_refused) {
  ScratchDir dir;
  std::string big = "# too large\n";
  while (big.size() < 5u * 1024u * 1024u) big += "# " + std::string(97, 'y') + "\n";
  dir.write("big.toml", big);
  const auto top = dir.write("top.toml", "include = \"big.toml\"\n" + valid_design_text());
  const CliResult result = run_cli("check " + quoted(top.string()));
  expect_refused(result, "large include");
  EXPECT_NE(result.err.find("limited to"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("big.toml:1:1: error: "), std::string::npos) << result.err;
}

// An include naming a directory is an include problem: it must be located at the `include` key
// of the including file, like a missing include.
TEST(GeneratedBrokenInputs, an_include_naming_a_directory_is_located_at_the_include_key) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() / "parts");
  const auto top = dir.write("top.toml", "include = \"parts\"\n" + valid_design_text());
  const CliResult result = run_cli("check " + quoted(top.string()));
  expect_refused(result, "include of a directory");
  const std::string message = line_starting_with(result.err, top.string() + ":1:11: error: include: ");
  EXPECT_FALSE(message.empty()) << "the message has no location in the including file:\n" << result.err;
  EXPECT_NE(result.err.find("parts"), std::string::npos) << result.err;
}

// toml++ limits nested inline values (256) but not nested tables made by dotted keys or
// [a.a.a...] headers; such a file (200 kB, well under the size limit) must not crash wlpkit.
TEST(GeneratedBrokenInputs, deeply_nested_dotted_keys_do_not_crash) {
  ScratchDir dir;
  std::string key = "a";
  for (int i = 1; i < 100000; ++i) key += ".a";
  const auto design = dir.write("dotted.toml", key + " = 1\n");
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "deeply nested dotted keys");
  EXPECT_NE(result.err.find(design.string() + ":1:"), std::string::npos) << result.err;
}

TEST(GeneratedBrokenInputs, a_deeply_nested_table_header_does_not_crash) {
  ScratchDir dir;
  std::string key = "design";
  for (int i = 1; i < 100000; ++i) key += ".x";
  const auto design = dir.write("header.toml", "[" + key + "]\nname = \"deep\"\n");
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "deeply nested table header");
  EXPECT_NE(result.err.find(design.string() + ":1:"), std::string::npos) << result.err;
}

TEST(GeneratedBrokenInputs, deeply_nested_inline_arrays_are_refused) {
  ScratchDir dir;
  const auto design = dir.write("arrays.toml", "x = " + std::string(100000, '[') + std::string(100000, ']') + "\n");
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "deeply nested arrays");
  EXPECT_NE(result.err.find(design.string() + ":1:"), std::string::npos) << result.err;
}

TEST(GeneratedBrokenInputs, an_integer_beyond_64_bits_is_a_located_error) {
  ScratchDir dir;
  std::string text = valid_design_text();
  const std::size_t at = text.find("columns = 9\n");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("columns = 9").size(), "columns = 99999999999999999999");
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) + 1;
  const auto design = dir.write("bigint.toml", text);
  const CliResult result = run_cli("check " + quoted(design.string()));
  expect_refused(result, "integer overflow");
  EXPECT_NE(result.err.find(fmt::format("{}:{}:", design.string(), line)), std::string::npos) << result.err;
}

// One unusable design among usable ones: the usable one is still reported, the exit is 2.
TEST(GeneratedBrokenInputs, one_broken_design_among_good_ones_exits_2) {
  const auto good = corpus_dir() / "valid-base.toml";
  const auto bad = corpus_dir() / "missing-unit.toml";
  const CliResult result = run_cli("check " + quoted(good.string()) + " " + quoted(bad.string()));
  EXPECT_EQ(result.exit_code, kExitUnusable) << result.err;
  EXPECT_NE(result.out.find("-> PASS"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("summary: 1 of 2 designs pass"), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("missing-unit"), std::string::npos) << "no result for the unusable design:\n" << result.out;
  EXPECT_NE(result.err.find(bad.string() + ":14:13: error: die.thickness"), std::string::npos) << result.err;
}

TEST(GeneratedBrokenInputs, a_missing_design_file_exits_2) {
  ScratchDir dir;
  const std::string path = (dir.path() / "absent.toml").string();
  const CliResult result = run_cli("check " + quoted(path));
  expect_refused(result, "missing file");
  EXPECT_NE(result.err.find(path), std::string::npos) << result.err;
}

}  // namespace
}  // namespace wlp::test
