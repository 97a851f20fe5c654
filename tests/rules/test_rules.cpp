// Rule tests: the catalogue is covered, the base designs are clean, waivers work.
//
// The per-rule tests live in test_generic_rules.cpp, test_b0_s0_rules.cpp, test_s1_s2_rules.cpp
// and test_s3_s4_rules.cpp: for every rule a minimal design that violates it (rule id, severity,
// measured value and limit in the message and as SI numbers, the line of the offending key) and
// a passing twin that differs only in the offending value.
#include <algorithm>
#include <cctype>
#include <set>

#include "rule_expect.h"

namespace wlp::rules_test {
namespace {

// Every rule with a violating and a passing test. A rule added to the catalogue without tests
// fails RuleCoverage below.
const std::vector<std::string> kRulesWithTests{
    // generic
    "GEN.PAD.INSIDE_DIE", "GEN.PAD.OVERLAP", "GEN.BUMP.INSIDE_DIE", "GEN.BUMP.PITCH", "GEN.RDL.LAND_PITCH",
    "GEN.RDL.LAND_COUNT", "GEN.OPENING.PAD_ENCLOSURE", "GEN.OPENING.LAND_ENCLOSURE", "GEN.BOARD.PAD_PITCH",
    "GEN.REFLOW.LIQUIDUS", "GEN.THERMAL.DECOMPOSITION", "GEN.BOARD.TG",
    // B0
    "B0.UBM.PAD_SIZE", "B0.NO_STRESS_RELIEF",
    // S0
    "S0.FIRST.ORGANIC", "S0.DECOMP.ORDER", "S0.ANNEAL.WINDOW", "S0.RECESS.OVERLAP", "S0.RECESS.REACHES",
    "S0.LIQUID.APPLIED", "S0.BARRIER.BEFORE_CU", "S0.CLEAN.BEFORE_FILL",
    // S1
    "S1.INSULATOR.THICKER", "S1.INSULATOR.RATIO", "S1.BALL.SEATS", "S1.FILL.CURE", "S1.BALL.BEFORE_CURE",
    "S1.DICE.AFTER_CURE", "S1.FILL.DOCTOR_BLADE",
    // S2
    "S2.POLYIMIDE.THICKNESS", "S2.CONTACT.SIZE", "S2.VIA.ASPECT", "S2.PASSIVATION", "S2.TOP_PAD.COVERS_VIA",
    // S3
    "S3.POST.HEIGHT", "S3.POST.HEIGHT_PREFERRED", "S3.POST.DIAMETER", "S3.UBM.LARGER", "S3.UBM.DEFORMABLE",
    "S3.BUMP.LARGER", "S3.BUMP.CONTACT_AREA", "S3.RESIN.AROUND_POST", "S3.RESIN.CONTACT", "S3.ADHESIVE.CONTACT",
    "S3.POST.MATERIAL", "S3.FOIL.VACUUM",
    // S4
    "S4.FILM.PYROLYSIS", "S4.BUFFER.MODULUS", "S4.COLUMN.HEIGHT", "S4.COLUMN.ADHESIVE", "S4.LAND.FLUSH",
    "S4.POLISH.PER_TIER",
};

// "S3.POST.HEIGHT_PREFERRED" -> "S3PostHeightPreferred": the test suite of a rule.
std::string suite_of(const std::string& rule_id) {
  std::string suite;
  bool is_word_start = true;
  for (const char c : rule_id) {
    if (c == '.' || c == '_') {
      is_word_start = true;
      continue;
    }
    suite += is_word_start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                           : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    is_word_start = false;
  }
  return suite;
}

TEST(RuleCoverage, Every_catalogue_rule_is_in_the_tested_list) {
  const std::set<std::string> tested(kRulesWithTests.begin(), kRulesWithTests.end());
  EXPECT_EQ(tested.size(), kRulesWithTests.size()) << "a rule is listed twice";
  for (const rules::RuleInfo& rule : rules::rule_catalog())
    EXPECT_TRUE(tested.count(rule.id)) << "rule " << rule.id << " (" << rule.summary << ") has no tests";
  for (const std::string& id : kRulesWithTests)
    EXPECT_NE(rules::find_rule(id), nullptr) << "listed rule " << id << " is not in the catalogue";
}

// The list is honest: each listed rule has a test suite named after it with at least one test
// that violates it and one that passes.
TEST(RuleCoverage, Every_listed_rule_has_a_violating_and_a_passing_test) {
  const ::testing::UnitTest& unit = *::testing::UnitTest::GetInstance();
  for (const std::string& id : kRulesWithTests) {
    const std::string suite = suite_of(id);
    bool has_violation = false, has_pass = false;
    for (int i = 0; i < unit.total_test_suite_count(); ++i) {
      const ::testing::TestSuite& test_suite = *unit.GetTestSuite(i);
      if (suite != test_suite.name()) continue;
      for (int j = 0; j < test_suite.total_test_count(); ++j) {
        const std::string name = test_suite.GetTestInfo(j)->name();
        if (name.find("violat") != std::string::npos || name.find("warns") != std::string::npos) has_violation = true;
        if (name.find("pass") != std::string::npos) has_pass = true;
      }
    }
    EXPECT_TRUE(has_violation) << id << ": no test in suite " << suite << " whose name says it violates/warns";
    EXPECT_TRUE(has_pass) << id << ": no test in suite " << suite << " whose name says it passes";
  }
}

TEST(RuleCoverage, Every_rule_has_a_seed_claim_and_summary) {
  for (const rules::RuleInfo& rule : rules::rule_catalog()) {
    EXPECT_FALSE(rule.seed.empty()) << rule.id;
    EXPECT_FALSE(rule.claim.empty()) << rule.id;
    EXPECT_FALSE(rule.summary.empty()) << rule.id;
    EXPECT_EQ(rules::find_rule(rule.id), &rule) << rule.id;
  }
}

// --- the bases every test starts from pass every rule -----------------------------------------

void expect_clean(const std::string& base, const char* structure) {
  WLP_CHECK_OVERRIDE(c, base, "");
  EXPECT_EQ(c.report.structure, structure);
  EXPECT_TRUE(c.report.findings.empty()) << describe(c.report);
  EXPECT_EQ(c.report.n_errors(), 0);
  EXPECT_EQ(c.report.n_warnings(), 0);
  EXPECT_FALSE(c.report.evaluated.empty());
}

TEST(BaseDesigns, B0_base_passes_every_rule) { expect_clean(kB0Base, "B0"); }
TEST(BaseDesigns, S0_base_passes_every_rule) { expect_clean(kS0Base, "S0"); }
TEST(BaseDesigns, S1_base_passes_every_rule) { expect_clean(kS1Base, "S1"); }
TEST(BaseDesigns, S2_base_passes_every_rule) { expect_clean(kS2Base, "S2"); }
TEST(BaseDesigns, S3_base_passes_every_rule) { expect_clean(kS3Base, "S3"); }
TEST(BaseDesigns, S4_base_passes_every_rule) { expect_clean(kS4Base, "S4"); }

// The rules of one structure are not evaluated for another.
TEST(BaseDesigns, Only_generic_rules_and_the_own_seed_rules_are_evaluated) {
  const std::vector<std::pair<const std::string*, std::string>> bases{
      {&kB0Base, "B0"}, {&kS0Base, "S0"}, {&kS1Base, "S1"}, {&kS2Base, "S2"}, {&kS3Base, "S3"}, {&kS4Base, "S4"}};
  for (const auto& [base, seed] : bases) {
    WLP_CHECK_OVERRIDE(c, *base, "");
    for (const rules::RuleInfo* rule : c.report.evaluated)
      EXPECT_TRUE(rule->seed == "generic" || rule->seed == seed) << seed << " evaluated " << rule->id;
  }
}

// --- waivers -------------------------------------------------------------------------------

const std::string kPost8um = R"(
[interconnect]
post_height = "8 um"

[[stack]]
name = "resin"
thickness = "8 um"
)";

TEST(Waivers, Waived_error_is_marked_and_no_longer_counted) {
  WLP_CHECK_OVERRIDE(unwaived, kS3Base, kPost8um);
  WLP_CHECK_OVERRIDE(c, kS3Base, kPost8um + R"(
[[check.waive]]
rule = "S3.POST.HEIGHT"
reason = "customer drawing fixes 8 um"
)");
  const auto found = findings_of(c.report, "S3.POST.HEIGHT");
  ASSERT_EQ(found.size(), 1u) << describe(c.report);
  EXPECT_TRUE(found[0]->is_waived);
  EXPECT_EQ(found[0]->waiver_reason, "customer drawing fixes 8 um");
  EXPECT_EQ(unwaived.report.n_waived(), 0);
  EXPECT_EQ(c.report.n_waived(), 1);
  EXPECT_GE(unwaived.report.n_errors(), 1);
  EXPECT_EQ(c.report.n_errors(), unwaived.report.n_errors() - 1);
  EXPECT_EQ(c.report.n_warnings(), unwaived.report.n_warnings());
  // Nothing else changes: the same findings, in the same order.
  ASSERT_EQ(c.report.findings.size(), unwaived.report.findings.size());
  for (std::size_t i = 0; i < c.report.findings.size(); ++i)
    EXPECT_EQ(c.report.findings[i].rule->id, unwaived.report.findings[i].rule->id);
}

TEST(Waivers, Waived_error_makes_the_text_report_pass) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kPost8um + R"(
[[check.waive]]
rule = "S3.POST.HEIGHT"
reason = "customer drawing fixes 8 um"
)");
  ASSERT_EQ(c.report.n_errors(), 0) << describe(c.report);
  const std::string text = rules::format_text(c.report, false);
  EXPECT_TRUE(contains(text, "waived: S3.POST.HEIGHT"));
  EXPECT_TRUE(contains(text, "waived: customer drawing fixes 8 um"));
  EXPECT_TRUE(contains(text, "1 waived"));
  EXPECT_TRUE(contains(text, "-> PASS"));
}

TEST(Waivers, Waived_warning_is_no_longer_counted) {
  const std::string post13 = R"(
[interconnect]
post_height = "13 um"

[[stack]]
name = "resin"
thickness = "13 um"
)";
  WLP_CHECK_OVERRIDE(unwaived, kS3Base, post13);
  WLP_CHECK_OVERRIDE(c, kS3Base, post13 + R"(
[[check.waive]]
rule = "S3.POST.HEIGHT_PREFERRED"
reason = "customer drawing fixes 13 um"
)");
  ASSERT_EQ(unwaived.report.n_warnings(), 1) << describe(unwaived.report);
  EXPECT_EQ(c.report.n_warnings(), 0);
  EXPECT_EQ(c.report.n_waived(), 1);
  EXPECT_EQ(c.report.n_errors(), unwaived.report.n_errors());
}

TEST(Waivers, Waiver_of_a_rule_that_is_not_violated_changes_nothing) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[[check.waive]]
rule = "S3.POST.HEIGHT"
reason = "not needed"
)");
  EXPECT_TRUE(c.report.findings.empty()) << describe(c.report);
  EXPECT_EQ(c.report.n_waived(), 0);
}

TEST(Waivers, Waiver_of_one_rule_leaves_the_others_unwaived) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[interconnect]
post_height = "8 um"

[[check.waive]]
rule = "S3.POST.HEIGHT"
reason = "customer drawing fixes 8 um"
)");
  const auto contact = findings_of(c.report, "S3.RESIN.CONTACT");  // resin 50 um vs post 8 um
  ASSERT_EQ(contact.size(), 1u) << describe(c.report);
  EXPECT_FALSE(contact[0]->is_waived);
  EXPECT_EQ(c.report.n_errors(), 1);
}

// An unknown rule name is an input error naming the waiver's line and the nearest rule.
TEST(Waivers, Unknown_rule_throws_InputError_with_did_you_mean) {
  test::ScratchDir scratch;
  scratch.write("base.toml", kS3Base);
  const std::string text = overlay_text(R"(
[[check.waive]]
rule = "S3.POST.HIEGHT"
reason = "typo"
)");
  const auto path = scratch.write("design.toml", text);
  const design::Design loaded = test::load(path);  // the loader accepts any rule name
  try {
    (void)rules::check_design(loaded);
    FAIL() << "check_design accepted a waiver of an unknown rule";
  } catch (const design::InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    const design::Diagnostic& diagnostic = error.diagnostics().front();
    EXPECT_TRUE(contains(diagnostic.message, "unknown rule \"S3.POST.HIEGHT\""));
    EXPECT_TRUE(contains(diagnostic.message, "did you mean \"S3.POST.HEIGHT\"?"));
    EXPECT_EQ(diagnostic.key_path, "check.waive.rule");
    EXPECT_EQ(std::filesystem::path(diagnostic.where.file).filename(), "design.toml");
    EXPECT_EQ(diagnostic.where.line, line_of(text, "rule = \"S3.POST.HIEGHT\""));
    EXPECT_TRUE(contains(error.what(), "did you mean \"S3.POST.HEIGHT\"?"));
  }
}

TEST(Waivers, Unknown_rule_far_from_every_id_throws_without_a_suggestion) {
  test::ScratchDir scratch;
  scratch.write("base.toml", kS3Base);
  const auto path = scratch.write("design.toml", overlay_text(R"(
[[check.waive]]
rule = "NOTHING.LIKE.A.RULE.AT.ALL"
reason = "nonsense"
)"));
  const design::Design loaded = test::load(path);
  try {
    (void)rules::check_design(loaded);
    FAIL() << "check_design accepted a waiver of an unknown rule";
  } catch (const design::InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    EXPECT_TRUE(contains(error.diagnostics().front().message, "unknown rule \"NOTHING.LIKE.A.RULE.AT.ALL\""));
    EXPECT_EQ(error.diagnostics().front().message.find("did you mean"), std::string::npos);
  }
}

}  // namespace
}  // namespace wlp::rules_test
