// B0 (baseline) and S0 (seed 000, sacrificial-pillar damascene via) rules.
#include "rule_expect.h"

namespace wlp::rules_test {
namespace {

// ================================ B0 =========================================================

// --- B0.UBM.PAD_SIZE: UBM within +-10 % of the 240 um pad (+-24 um) ---

TEST(B0UbmPadSize, Ubm_270um_on_240um_pad_differs_by_more_than_10_percent_and_warns) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[interconnect]
ubm_diameter = "270 um"
)");
  const Finding* f = single_finding(c, "B0.UBM.PAD_SIZE", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "270 um"));
  EXPECT_TRUE(quotes(f->message, "240 um"));
  EXPECT_TRUE(quotes(f->message, "10 %"));
  expect_numbers(*f, 270 * um, 240 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "ubm_diameter = \"270 um\"")));
}

TEST(B0UbmPadSize, Ubm_210um_on_240um_pad_warns) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[interconnect]
ubm_diameter = "210 um"
)");
  const Finding* f = single_finding(c, "B0.UBM.PAD_SIZE", Severity::Warning);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, 210 * um, 240 * um, "m");
}

TEST(B0UbmPadSize, Ubm_260um_within_10_percent_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[interconnect]
ubm_diameter = "260 um"
)");
  expect_passes(c, "B0.UBM.PAD_SIZE");
}

// --- B0.NO_STRESS_RELIEF: no resin or cover layer in the baseline ---

const std::string kExtraLayer = R"(
[[stack]]
name = "compliant"
material = "PI2611"
thickness = "10 um"
applied = "spin"
)";

TEST(B0NoStressRelief, Resin_layer_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, kExtraLayer + "role = \"resin\"\n");
  const Finding* f = single_finding(c, "B0.NO_STRESS_RELIEF", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "layer 'compliant' (role resin)"));
  expect_no_numbers(*f);
  // The whole layer is the offence: the finding points at its [[stack]] element.
  EXPECT_TRUE(points_at(*f, "design.toml", header_line_of(c.design_text, "name = \"compliant\"")));
}

TEST(B0NoStressRelief, Cover_layer_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, kExtraLayer + "role = \"cover\"\n");
  const Finding* f = single_finding(c, "B0.NO_STRESS_RELIEF", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "(role cover)"));
}

TEST(B0NoStressRelief, Dielectric_layer_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, kExtraLayer + "role = \"dielectric\"\n");
  expect_passes(c, "B0.NO_STRESS_RELIEF");
}

// ================================ S0 =========================================================

// --- S0.FIRST.ORGANIC: the pillar material must be organic (photoresist is, SiO2 is not) ---

TEST(S0FirstOrganic, Inorganic_SiO2_pillar_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "pillar"
material = "SiO2_PECVD"
)");
  const Finding* f = single_finding(c, "S0.FIRST.ORGANIC", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "SiO2_PECVD is not organic"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "material = \"SiO2_PECVD\"")));
}

TEST(S0FirstOrganic, Photoresist_pillar_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "pillar"
material = "photoresist"
)");
  expect_passes(c, "S0.FIRST.ORGANIC");
}

TEST(S0FirstOrganic, No_inter_metal_layer_violates_and_counts_the_layers) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "glass"
role = "dielectric"
)");
  const Finding* f = single_finding(c, "S0.FIRST.ORGANIC", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "found 1 and 0"));
  // Nothing to point at but the structure: interconnect.type.
  EXPECT_TRUE(points_at(*f, "base.toml", line_of(c.base_text, "type = \"sacrificial_via\"")));
}

// --- S0.DECOMP.ORDER: second material must decompose above the first (photoresist 300 C) ---

TEST(S0DecompOrder, Epoxy_300C_not_above_photoresist_300C_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "glass"
material = "epoxy_unfilled"
)");
  const Finding* f = single_finding(c, "S0.DECOMP.ORDER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "epoxy_unfilled"));
  EXPECT_TRUE(contains(f->message, "photoresist"));
  EXPECT_TRUE(quotes(f->message, "300 C"));
  expect_numbers(*f, kelvin(300), kelvin(300), "K");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "material = \"epoxy_unfilled\"")));
}

TEST(S0DecompOrder, Spin_on_glass_800C_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "glass"
material = "spin_on_glass"
)");
  expect_passes(c, "S0.DECOMP.ORDER");
}

// TaN has no decomposition_temperature in the library: the rule cannot pass.
TEST(S0DecompOrder, Second_material_without_decomposition_temperature_is_reported) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "glass"
material = "TaN"
)");
  const Finding* f = single_finding(c, "S0.DECOMP.ORDER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "cannot check"));
  EXPECT_TRUE(contains(f->message, "TaN"));
  EXPECT_TRUE(contains(f->message, "decomposition_temperature"));
}

// --- S0.ANNEAL.WINDOW: an anneal above 300 C (photoresist) and below 800 C (spin-on glass) ---

TEST(S0AnnealWindow, Anneal_at_800C_reaches_glass_decomposition_and_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "anneal"
temperature = "800 C"
)");
  const auto found = findings_of(c.report, "S0.ANNEAL.WINDOW");
  ASSERT_EQ(found.size(), 2u) << describe(c.report);  // too hot, and hence no anneal in the window
  const Finding& too_hot = *found[0];
  EXPECT_EQ(too_hot.rule->severity, Severity::Error);
  EXPECT_TRUE(contains(too_hot.message, "'anneal'"));
  EXPECT_TRUE(contains(too_hot.message, "spin_on_glass"));
  EXPECT_TRUE(quotes(too_hot.message, "800 C"));
  expect_numbers(too_hot, kelvin(800), kelvin(800), "K");
  EXPECT_TRUE(points_at(too_hot, "design.toml", line_of(c.design_text, "temperature = \"800 C\"")));
  const Finding& no_window = *found[1];
  EXPECT_TRUE(quotes(no_window.message, "300 C"));
  EXPECT_TRUE(quotes(no_window.message, "800 C"));
  // The hottest anneal is what failed to land in the window: it is the measured value.
  EXPECT_TRUE(si_equals(no_window.measured_si, kelvin(800)));
  EXPECT_TRUE(si_equals(no_window.limit_si, kelvin(300)));
}

TEST(S0AnnealWindow, Anneal_at_300C_does_not_exceed_photoresist_decomposition_and_violates) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "anneal"
temperature = "300 C"
)");
  const Finding* f = single_finding(c, "S0.ANNEAL.WINDOW", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "no anneal lies between"));
  EXPECT_TRUE(quotes(f->message, "300 C"));
  EXPECT_TRUE(quotes(f->message, "800 C"));
  EXPECT_TRUE(si_equals(f->measured_si, kelvin(300)));
  EXPECT_TRUE(si_equals(f->limit_si, kelvin(300)));
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "temperature = \"300 C\"")));
}

TEST(S0AnnealWindow, Anneal_at_400C_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "anneal"
temperature = "400 C"
)");
  expect_passes(c, "S0.ANNEAL.WINDOW");
}

// --- S0.RECESS.OVERLAP: offset below (0.8 + 0.5) / 2 = 0.65 um ---

TEST(S0RecessOverlap, Offset_0_7um_beyond_0_65um_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[interconnect]
via_offset = "0.7 um"
)");
  const Finding* f = single_finding(c, "S0.RECESS.OVERLAP", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "0.7 um"));
  EXPECT_TRUE(quotes(f->message, "0.8 um"));
  EXPECT_TRUE(quotes(f->message, "0.5 um"));
  EXPECT_TRUE(quotes(f->message, "0.65 um"));
  expect_numbers(*f, 0.7 * um, (0.8 * um + 0.5 * um) / 2, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "via_offset = \"0.7 um\"")));
}

TEST(S0RecessOverlap, Negative_offset_minus_0_7um_is_judged_by_its_magnitude) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[interconnect]
via_offset = "-0.7 um"
)");
  const Finding* f = single_finding(c, "S0.RECESS.OVERLAP", Severity::Error);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, 0.7 * um, (0.8 * um + 0.5 * um) / 2, "m");
}

TEST(S0RecessOverlap, Offset_0_6um_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[interconnect]
via_offset = "0.6 um"
)");
  expect_passes(c, "S0.RECESS.OVERLAP");
}

// --- S0.RECESS.REACHES: recess depth >= glass 1.2 um - pillar 0.6 um = 0.6 um ---

TEST(S0RecessReaches, Recess_0_5um_short_of_0_6um_cover_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[interconnect]
recess_depth = "0.5 um"
)");
  const Finding* f = single_finding(c, "S0.RECESS.REACHES", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "0.5 um"));
  EXPECT_TRUE(quotes(f->message, "0.6 um"));
  EXPECT_TRUE(quotes(f->message, "1.2 um"));
  expect_numbers(*f, 0.5 * um, 1.2 * um - 0.6 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "recess_depth = \"0.5 um\"")));
}

TEST(S0RecessReaches, Recess_0_6um_just_reaching_the_pillar_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[interconnect]
recess_depth = "0.6 um"
)");
  expect_passes(c, "S0.RECESS.REACHES");
}

// --- S0.LIQUID.APPLIED: both materials spun on (claim 5) ---

TEST(S0LiquidApplied, Glass_applied_by_cvd_violates_claim5) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "glass"
applied = "cvd"
)");
  const Finding* f = single_finding(c, "S0.LIQUID.APPLIED", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "layer 'glass' is applied by 'cvd'"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "applied = \"cvd\"")));
}

TEST(S0LiquidApplied, Glass_spun_on_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[stack]]
name = "glass"
applied = "spin"
)");
  expect_passes(c, "S0.LIQUID.APPLIED");
}

// --- S0.BARRIER.BEFORE_CU: a PVD/sputter barrier before the Cu plating (claims 8-9) ---

TEST(S0BarrierBeforeCu, Cvd_barrier_violates_claims_8_9) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "barrier"
method = "cvd"
)");
  const Finding* f = single_finding(c, "S0.BARRIER.BEFORE_CU", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'plate-cu'"));
  EXPECT_TRUE(contains(f->message, "TaN"));
  expect_no_numbers(*f);
  // The plating step that lacks its barrier.
  EXPECT_TRUE(points_at(*f, "base.toml", header_line_of(c.base_text, "name = \"plate-cu\"")));
}

TEST(S0BarrierBeforeCu, Sputtered_barrier_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "barrier"
method = "sputter"
)");
  expect_passes(c, "S0.BARRIER.BEFORE_CU");
}

TEST(S0BarrierBeforeCu, Barrier_after_the_plating_violates) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "barrier"
insert_after = "plate-cu"
)");
  const Finding* f = single_finding(c, "S0.BARRIER.BEFORE_CU", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'plate-cu'"));
}

// --- S0.CLEAN.BEFORE_FILL: a clean between the anneal and the plating (claim 7) ---

TEST(S0CleanBeforeFill, Clean_before_the_anneal_warns) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "clean"
insert_before = "anneal"
)");
  const Finding* f = single_finding(c, "S0.CLEAN.BEFORE_FILL", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'anneal'"));
  EXPECT_TRUE(contains(f->message, "'plate-cu'"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "base.toml", header_line_of(c.base_text, "name = \"plate-cu\"")));
}

TEST(S0CleanBeforeFill, No_clean_warns) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "clean"
remove = true
)");
  const Finding* f = single_finding(c, "S0.CLEAN.BEFORE_FILL", Severity::Warning);
  ASSERT_NE(f, nullptr);
}

TEST(S0CleanBeforeFill, Clean_after_the_anneal_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[recipe.step]]
name = "clean"
insert_after = "anneal"
)");
  expect_passes(c, "S0.CLEAN.BEFORE_FILL");
}

}  // namespace
}  // namespace wlp::rules_test
