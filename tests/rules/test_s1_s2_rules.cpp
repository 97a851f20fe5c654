// S1 (seed 001, conductive-adhesive cylinders) and S2 (seed 002, thick polyimide) rules.
#include "rule_expect.h"

namespace wlp::rules_test {
namespace {

// ================================ S1 =========================================================

std::string second_insulator(const std::string& thickness) {
  return "\n[[stack]]\nname = \"second-insulator\"\nthickness = \"" + thickness + "\"\n";
}

// --- S1.INSULATOR.THICKER: cover thicker than the 5 um first insulator (claim 1) ---

TEST(S1InsulatorThicker, Cover_5um_equal_to_first_5um_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS1Base, second_insulator("5 um"));
  const Finding* f = single_finding(c, "S1.INSULATOR.THICKER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'second-insulator'"));
  EXPECT_TRUE(contains(f->message, "'first-insulator'"));
  EXPECT_TRUE(quotes(f->message, "5 um"));
  expect_numbers(*f, 5 * um, 5 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "thickness = \"5 um\"")));
}

TEST(S1InsulatorThicker, Cover_6um_passes_claim1) {
  WLP_CHECK_OVERRIDE(c, kS1Base, second_insulator("6 um"));
  expect_passes(c, "S1.INSULATOR.THICKER");
}

TEST(S1InsulatorThicker, Missing_cover_layer_violates) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[stack]]
name = "second-insulator"
role = "dielectric"
)");
  const Finding* f = single_finding(c, "S1.INSULATOR.THICKER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "`cover`"));
  EXPECT_TRUE(points_at(*f, "base.toml", line_of(c.base_text, "type = \"adhesive_cylinder\"")));
}

// --- S1.INSULATOR.RATIO: cover at least 4 x 5 um = 20 um (claim 2) ---

TEST(S1InsulatorRatio, Cover_19um_is_3_8x_and_violates_claim2_4x) {
  WLP_CHECK_OVERRIDE(c, kS1Base, second_insulator("19 um"));
  const Finding* f = single_finding(c, "S1.INSULATOR.RATIO", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "3.80x"));
  EXPECT_TRUE(contains(f->message, "4x"));
  EXPECT_TRUE(quotes(f->message, "19 um"));
  EXPECT_TRUE(quotes(f->message, "5 um"));
  expect_numbers(*f, 19.0 / 5.0, 4.0, "");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "thickness = \"19 um\"")));
}

TEST(S1InsulatorRatio, Cover_20um_exactly_4x_passes_claim2) {
  WLP_CHECK_OVERRIDE(c, kS1Base, second_insulator("20 um"));
  expect_passes(c, "S1.INSULATOR.RATIO");
}

// --- S1.BALL.SEATS: ball >= the 180 um opening ---

TEST(S1BallSeats, Ball_170um_in_180um_opening_warns) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[interconnect]
ball_diameter = "170 um"
)");
  const Finding* f = single_finding(c, "S1.BALL.SEATS", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "170 um"));
  EXPECT_TRUE(quotes(f->message, "180 um"));
  expect_numbers(*f, 170 * um, 180 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "ball_diameter = \"170 um\"")));
}

TEST(S1BallSeats, Ball_180um_equal_to_opening_passes) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[interconnect]
ball_diameter = "180 um"
)");
  expect_passes(c, "S1.BALL.SEATS");
}

// --- S1.FILL.CURE: the printed adhesive is cured (paste: remelted) afterwards ---

TEST(S1FillCure, Adhesive_annealed_instead_of_cured_violates_claim3) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "cure-fill"
op = "anneal"
)");
  const Finding* f = single_finding(c, "S1.FILL.CURE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "no cure step after"));
  EXPECT_TRUE(contains(f->message, "'print-fill'"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "base.toml", header_line_of(c.base_text, "name = \"print-fill\"")));
}

TEST(S1FillCure, Adhesive_cured_passes) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "cure-fill"
op = "cure"
)");
  expect_passes(c, "S1.FILL.CURE");
}

TEST(S1FillCure, Fill_material_never_printed_violates) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[interconnect]
fill_material = "epoxy_filled"
)");
  const Finding* f = single_finding(c, "S1.FILL.CURE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "no print step introduces the fill epoxy_filled"));
}

// Solder paste (claim 9) is remelted by a reflow; a cure does not count.
const std::string kPaste = R"(
[interconnect]
fill = "solder_paste"
fill_material = "SAC305"

[[recipe.step]]
name = "print-fill"
material = "SAC305"
)";

TEST(S1FillCure, Solder_paste_cured_but_never_reflowed_violates_claim9) {
  WLP_CHECK_OVERRIDE(c, kS1Base, kPaste);
  const Finding* f = single_finding(c, "S1.FILL.CURE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "no reflow step after"));
  EXPECT_TRUE(contains(f->message, "remelted"));
}

TEST(S1FillCure, Solder_paste_reflowed_at_245C_passes) {
  WLP_CHECK_OVERRIDE(c, kS1Base, kPaste + R"(
[[recipe.step]]
name = "cure-fill"
remove = true

[[recipe.step]]
name = "reflow"
op = "reflow"
peak_temperature = "245 C"
)");
  expect_passes(c, "S1.FILL.CURE");
  expect_passes(c, "S1.BALL.BEFORE_CURE");
  expect_passes(c, "GEN.REFLOW.LIQUIDUS");
}

// --- S1.BALL.BEFORE_CURE: metallized plastic balls placed between print and cure ---

TEST(S1BallBeforeCure, Solder_balls_instead_of_metallized_plastic_violate_claim3) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "place-balls"
kind = "solder"
)");
  const Finding* f = single_finding(c, "S1.BALL.BEFORE_CURE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'print-fill'"));
  EXPECT_TRUE(contains(f->message, "'cure-fill'"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "base.toml", header_line_of(c.base_text, "name = \"cure-fill\"")));
}

TEST(S1BallBeforeCure, Balls_placed_after_the_cure_violate_claim3) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "place-balls"
insert_after = "cure-fill"
)");
  const Finding* f = single_finding(c, "S1.BALL.BEFORE_CURE", Severity::Error);
  ASSERT_NE(f, nullptr);
}

TEST(S1BallBeforeCure, Metallized_plastic_balls_before_cure_pass) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "place-balls"
kind = "metallized_plastic"
)");
  expect_passes(c, "S1.BALL.BEFORE_CURE");
}

// --- S1.DICE.AFTER_CURE: dice only after the cure (claims 5, 8, 11) ---

const std::string kDice = R"(
[[recipe.step]]
name = "dice"
op = "dice"
street_width = "80 um"
)";

TEST(S1DiceAfterCure, Dicing_before_the_cure_violates_claim5) {
  WLP_CHECK_OVERRIDE(c, kS1Base, kDice + "insert_before = \"cure-fill\"\n");
  const Finding* f = single_finding(c, "S1.DICE.AFTER_CURE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'dice'"));
  EXPECT_TRUE(contains(f->message, "'cure-fill'"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "design.toml", header_line_of(c.design_text, "name = \"dice\"")));
}

TEST(S1DiceAfterCure, Dicing_after_the_cure_passes) {
  WLP_CHECK_OVERRIDE(c, kS1Base, kDice + "insert_after = \"cure-fill\"\n");
  expect_passes(c, "S1.DICE.AFTER_CURE");
}

// --- S1.FILL.DOCTOR_BLADE: fill printed with a doctor blade (claims 4, 7, 10) ---

TEST(S1FillDoctorBlade, Screen_printing_warns) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "print-fill"
method = "screen"
)");
  const Finding* f = single_finding(c, "S1.FILL.DOCTOR_BLADE", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'print-fill'"));
  EXPECT_TRUE(contains(f->message, "'screen'"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "method = \"screen\"")));
}

TEST(S1FillDoctorBlade, Doctor_blade_passes) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "print-fill"
method = "doctor_blade"
)");
  expect_passes(c, "S1.FILL.DOCTOR_BLADE");
}

// ================================ S2 =========================================================

std::string polyimide(const std::string& thickness) {
  return "\n[[stack]]\nname = \"polyimide\"\nthickness = \"" + thickness + "\"\n";
}

// --- S2.POLYIMIDE.THICKNESS: 2-30 um after cure ---

TEST(S2PolyimideThickness, Polyimide_1_5um_below_2um_violates) {
  WLP_CHECK_OVERRIDE(c, kS2Base, polyimide("1.5 um"));
  const Finding* f = single_finding(c, "S2.POLYIMIDE.THICKNESS", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'polyimide'"));
  EXPECT_TRUE(quotes(f->message, "1.5 um"));
  EXPECT_TRUE(quotes(f->message, "2 um"));
  EXPECT_TRUE(quotes(f->message, "30 um"));
  expect_numbers(*f, 1.5 * um, 2 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "thickness = \"1.5 um\"")));
}

TEST(S2PolyimideThickness, Polyimide_31um_above_30um_violates) {
  WLP_CHECK_OVERRIDE(c, kS2Base, polyimide("31 um"));
  const Finding* f = single_finding(c, "S2.POLYIMIDE.THICKNESS", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "31 um"));
  expect_numbers(*f, 31 * um, 30 * um, "m");
}

TEST(S2PolyimideThickness, Polyimide_2um_passes) {
  WLP_CHECK_OVERRIDE(c, kS2Base, polyimide("2 um"));
  expect_passes(c, "S2.POLYIMIDE.THICKNESS");
}

TEST(S2PolyimideThickness, Polyimide_30um_passes) {
  WLP_CHECK_OVERRIDE(c, kS2Base, polyimide("30 um"));
  expect_passes(c, "S2.POLYIMIDE.THICKNESS");
}

// --- S2.CONTACT.SIZE: contact points 0.5-3 um ---

std::string contact(const std::string& size) { return "\n[pads]\nsize = \"" + size + "\"\n"; }

TEST(S2ContactSize, Contact_3_5um_above_3um_violates) {
  WLP_CHECK_OVERRIDE(c, kS2Base, contact("3.5 um"));
  const Finding* f = single_finding(c, "S2.CONTACT.SIZE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "3.5 um"));
  EXPECT_TRUE(quotes(f->message, "0.5 um"));
  EXPECT_TRUE(quotes(f->message, "3 um"));
  expect_numbers(*f, 3.5 * um, 3 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "size = \"3.5 um\"")));
}

TEST(S2ContactSize, Contact_0_4um_below_0_5um_violates) {
  WLP_CHECK_OVERRIDE(c, kS2Base, contact("0.4 um"));
  const Finding* f = single_finding(c, "S2.CONTACT.SIZE", Severity::Error);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, 0.4 * um, 0.5 * um, "m");
}

TEST(S2ContactSize, Contact_0_5um_passes) {
  WLP_CHECK_OVERRIDE(c, kS2Base, contact("0.5 um") + R"(
[[stack]]
name = "polyimide"
thickness = "2 um"
)");
  expect_passes(c, "S2.CONTACT.SIZE");
}

TEST(S2ContactSize, Contact_3um_passes) {
  WLP_CHECK_OVERRIDE(c, kS2Base, contact("3 um"));
  expect_passes(c, "S2.CONTACT.SIZE");
}

// Contact points listed one by one may carry their own `size`: that size is the contact size.
std::string s2_with_listed_contact() {
  const std::string ring = R"(arrangement = "ring"
per_side = 2
pitch = "250 um"
edge_distance = "100 um"
)";
  std::string base = kS2Base;
  const std::size_t at = base.find(ring);
  if (at == std::string::npos) return "test bug: ring pads not found in kS2Base";
  base.replace(at, ring.size(), R"(arrangement = "list"

[[pads.pad]]
name = "C1"
x = "0 um"
y = "0 um"
size = "2 um"
)");
  return base;
}

std::string listed_contact(const std::string& size) {
  return "\n[[pads.pad]]\nname = \"C1\"\nsize = \"" + size + "\"\n";
}

TEST(S2ContactSize, Listed_contact_point_5um_above_3um_violates) {
  WLP_CHECK_OVERRIDE(c, s2_with_listed_contact(), listed_contact("5 um"));
  const Finding* f = single_finding(c, "S2.CONTACT.SIZE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "5 um"));
  expect_numbers(*f, 5 * um, 3 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "size = \"5 um\"")));
}

TEST(S2ContactSize, Listed_contact_point_3um_passes) {
  WLP_CHECK_OVERRIDE(c, s2_with_listed_contact(), listed_contact("3 um"));
  expect_passes(c, "S2.CONTACT.SIZE");
}

// --- S2.VIA.ASPECT: (polymer + 0.2 + 0.7 um passivation) / 2 um contact <= 5 ---

TEST(S2ViaAspect, Polyimide_10um_gives_aspect_5_45_and_violates) {
  WLP_CHECK_OVERRIDE(c, kS2Base, polyimide("10 um"));
  const Finding* f = single_finding(c, "S2.VIA.ASPECT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "5.45"));
  EXPECT_TRUE(quotes(f->message, "10.9 um"));
  EXPECT_TRUE(quotes(f->message, "10 um"));
  EXPECT_TRUE(quotes(f->message, "0.9 um"));
  EXPECT_TRUE(quotes(f->message, "2 um"));
  EXPECT_TRUE(contains(f->message, "about 5"));
  expect_numbers(*f, (10 * um + 0.2 * um + 0.7 * um) / (2 * um), 5.0, "");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "thickness = \"10 um\"")));
}

TEST(S2ViaAspect, Polyimide_9um_gives_aspect_4_95_and_passes) {
  WLP_CHECK_OVERRIDE(c, kS2Base, polyimide("9 um"));
  expect_passes(c, "S2.VIA.ASPECT");
}

// --- S2.PASSIVATION: PECVD oxide + PECVD nitride ---

TEST(S2Passivation, Cvd_oxide_lacks_pecvd_oxide_and_warns) {
  WLP_CHECK_OVERRIDE(c, kS2Base, R"(
[[stack]]
name = "passivation-oxide"
applied = "cvd"
)");
  const Finding* f = single_finding(c, "S2.PASSIVATION", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "lacks the PECVD oxide"));
  EXPECT_TRUE(quotes(f->message, "0.2 um"));
  EXPECT_TRUE(quotes(f->message, "0.7 um"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "base.toml", line_of(c.base_text, "type = \"polyimide_via\"")));
}

TEST(S2Passivation, Missing_nitride_warns) {
  WLP_CHECK_OVERRIDE(c, kS2Base, R"(
[[stack]]
name = "passivation-nitride"
remove = true
)");
  const Finding* f = single_finding(c, "S2.PASSIVATION", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "lacks the PECVD nitride"));
}

TEST(S2Passivation, Pecvd_oxide_and_nitride_pass) {
  WLP_CHECK_OVERRIDE(c, kS2Base, R"(
[[stack]]
name = "passivation-oxide"
applied = "pecvd"
)");
  expect_passes(c, "S2.PASSIVATION");
}

// --- S2.TOP_PAD.COVERS_VIA: top pad >= the 2 um contact ---

TEST(S2TopPadCoversVia, Top_pad_1_5um_on_2um_via_violates) {
  WLP_CHECK_OVERRIDE(c, kS2Base, R"(
[interconnect]
top_pad_size = "1.5 um"
)");
  const Finding* f = single_finding(c, "S2.TOP_PAD.COVERS_VIA", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "1.5 um"));
  EXPECT_TRUE(quotes(f->message, "2 um"));
  expect_numbers(*f, 1.5 * um, 2 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "top_pad_size = \"1.5 um\"")));
}

TEST(S2TopPadCoversVia, Top_pad_2um_passes) {
  WLP_CHECK_OVERRIDE(c, kS2Base, R"(
[interconnect]
top_pad_size = "2 um"
)");
  expect_passes(c, "S2.TOP_PAD.COVERS_VIA");
}

}  // namespace
}  // namespace wlp::rules_test
