// Generic rules (GEN.*): geometry inside the die, pitches, openings, board, reflow and thermal
// budget. Each rule: a minimal violating design and a passing twin that differs only in the
// offending value.
#include "rule_expect.h"

namespace wlp::rules_test {
namespace {

// --- GEN.PAD.INSIDE_DIE: a 1 um pad at x = 1999.8 um reaches 1999.8 + 0.5 = 2000.3 um > 2 mm ---

const std::string kPadNearEdge = R"(
[[pads.pad]]
name = "M1"
x = "1999.8 um"
)";

TEST(GenPadInsideDie, Pad_reaching_2000_3um_violates_2mm_half_die) {
  WLP_CHECK_OVERRIDE(c, kS0Base, kPadNearEdge);
  const Finding* f = single_finding(c, "GEN.PAD.INSIDE_DIE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "pad M1"));
  EXPECT_TRUE(quotes(f->message, "2.0003 mm"));
  EXPECT_TRUE(quotes(f->message, "2 mm"));
  expect_numbers(*f, 1999.8 * um + 0.5 * um, 2000 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "x = \"1999.8 um\"")));
}

TEST(GenPadInsideDie, Pad_reaching_1990_5um_passes) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[pads.pad]]
name = "M1"
x = "1990 um"
)");
  expect_passes(c, "GEN.PAD.INSIDE_DIE");
}

// --- GEN.PAD.OVERLAP: two 1 um pads 0.8 um apart overlap; 1 um apart they only touch ---

TEST(GenPadOverlap, Pads_0_8um_apart_overlap_and_violate) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[pads.pad]]
name = "M2"
x = "0.8 um"
y = "0 um"
)");
  const Finding* f = single_finding(c, "GEN.PAD.OVERLAP", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "pads M1 and M2 overlap"));
  EXPECT_TRUE(quotes(f->message, "0.8 um"));  // centre distance in x
  EXPECT_TRUE(quotes(f->message, "0 um"));    // centre distance in y
  EXPECT_TRUE(quotes(f->message, "1 um"));    // pad size
  // Two keys (x, y) place the pad: the finding points at the [[pads.pad]] element of M2.
  EXPECT_TRUE(points_at(*f, "design.toml", header_line_of(c.design_text, "name = \"M2\"")));
}

TEST(GenPadOverlap, Pads_1um_apart_touch_and_pass) {
  WLP_CHECK_OVERRIDE(c, kS0Base, R"(
[[pads.pad]]
name = "M2"
x = "1 um"
y = "0 um"
)");
  expect_passes(c, "GEN.PAD.OVERLAP");
}

// --- GEN.BUMP.INSIDE_DIE: 3 x 3 balls at 1.8 mm pitch: 1.8 mm + 125 um + 100 um = 2.025 mm > 2 mm ---

TEST(GenBumpInsideDie, Pitch_1_8mm_puts_balls_at_2_025mm_beyond_2mm_and_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[bumps]
pitch = "1.8 mm"
)");
  const Finding* f = single_finding(c, "GEN.BUMP.INSIDE_DIE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "2.025 mm"));
  EXPECT_TRUE(quotes(f->message, "125 um"));
  EXPECT_TRUE(quotes(f->message, "100 um"));
  EXPECT_TRUE(quotes(f->message, "2 mm"));
  expect_numbers(*f, 1800 * um + 125 * um + 100 * um, 2000 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "pitch = \"1.8 mm\"")));
}

TEST(GenBumpInsideDie, Pitch_1_7mm_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[bumps]
pitch = "1.7 mm"
)");
  expect_passes(c, "GEN.BUMP.INSIDE_DIE");
}

// keep_out 1500 um: 400 + 125 + 1500 = 2025 um > 2000 um. The offending key is die.keep_out.
TEST(GenBumpInsideDie, Keep_out_1500um_violates_and_points_at_keep_out) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[die]
keep_out = "1500 um"
)");
  const Finding* f = single_finding(c, "GEN.BUMP.INSIDE_DIE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "1.5 mm"));  // the keep-out, as quoted by the message
  expect_numbers(*f, 400 * um + 125 * um + 1500 * um, 2000 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "keep_out = \"1500 um\"")));
}

TEST(GenBumpInsideDie, Keep_out_1400um_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[die]
keep_out = "1400 um"
)");
  expect_passes(c, "GEN.BUMP.INSIDE_DIE");
}

// --- GEN.BUMP.PITCH: pitch must exceed the 250 um ball ---

TEST(GenBumpPitch, Pitch_250um_equal_to_ball_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[bumps]
pitch = "250 um"
)");
  const Finding* f = single_finding(c, "GEN.BUMP.PITCH", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "pitch 250 um is not larger than the ball diameter 250 um"));
  expect_numbers(*f, 250 * um, 250 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "pitch = \"250 um\"")));
}

TEST(GenBumpPitch, Pitch_260um_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[bumps]
pitch = "260 um"
)");
  expect_passes(c, "GEN.BUMP.PITCH");
}

// --- GEN.RDL.LAND_PITCH: land + space 390 + 15 = 405 um > 400 um pitch ---

TEST(GenRdlLandPitch, Land_390um_plus_space_15um_exceeds_400um_pitch_and_violates) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[redistribution]
land_diameter = "390 um"
)");
  const Finding* f = single_finding(c, "GEN.RDL.LAND_PITCH", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "390 um"));
  EXPECT_TRUE(quotes(f->message, "15 um"));
  EXPECT_TRUE(quotes(f->message, "405 um"));
  EXPECT_TRUE(quotes(f->message, "400 um"));
  expect_numbers(*f, 390 * um + 15 * um, 400 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "land_diameter = \"390 um\"")));
}

TEST(GenRdlLandPitch, Land_385um_plus_space_fills_pitch_exactly_and_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[redistribution]
land_diameter = "385 um"
)");
  expect_passes(c, "GEN.RDL.LAND_PITCH");
}

// --- GEN.RDL.LAND_COUNT: 8 ring pads (2 per side) need 8 lands; 2 x 3 = 6 lands are too few ---

TEST(GenRdlLandCount, Eight_pads_on_six_lands_violates) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[bumps]
columns = 2
)");
  const Finding* f = single_finding(c, "GEN.RDL.LAND_COUNT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "8 pads to route but only 6 populated lands"));
  expect_numbers(*f, 8, 6, "");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "columns = 2")));
}

TEST(GenRdlLandCount, Eight_pads_on_nine_lands_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[bumps]
columns = 3
)");
  expect_passes(c, "GEN.RDL.LAND_COUNT");
}

// --- GEN.OPENING.PAD_ENCLOSURE: a 90 um opening over an 80 um pad ---

TEST(GenOpeningPadEnclosure, Opening_90um_over_80um_pad_violates) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[[stack]]
name = "insulator-106"
opening_size = "90 um"
)");
  const Finding* f = single_finding(c, "GEN.OPENING.PAD_ENCLOSURE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'insulator-106'"));
  EXPECT_TRUE(quotes(f->message, "90 um"));
  EXPECT_TRUE(quotes(f->message, "80 um"));
  expect_numbers(*f, 90 * um, 80 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "opening_size = \"90 um\"")));
}

TEST(GenOpeningPadEnclosure, Opening_80um_equal_to_pad_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[[stack]]
name = "insulator-106"
opening_size = "80 um"
)");
  expect_passes(c, "GEN.OPENING.PAD_ENCLOSURE");
}

// --- GEN.OPENING.LAND_ENCLOSURE: a 250 um cover opening over a 240 um land ---

TEST(GenOpeningLandEnclosure, Opening_250um_over_240um_land_violates) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[stack]]
name = "second-insulator"
opening_size = "250 um"
)");
  const Finding* f = single_finding(c, "GEN.OPENING.LAND_ENCLOSURE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'second-insulator'"));
  EXPECT_TRUE(quotes(f->message, "250 um"));
  EXPECT_TRUE(quotes(f->message, "240 um"));
  expect_numbers(*f, 250 * um, 240 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "opening_size = \"250 um\"")));
}

TEST(GenOpeningLandEnclosure, Opening_240um_equal_to_land_passes) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[stack]]
name = "second-insulator"
opening_size = "240 um"
)");
  expect_passes(c, "GEN.OPENING.LAND_ENCLOSURE");
}

// --- GEN.BOARD.PAD_PITCH: board pad and mask opening below the 400 um pitch ---

TEST(GenBoardPadPitch, Board_pad_400um_at_400um_pitch_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[board]
pad_diameter = "400 um"
)");
  const Finding* f = single_finding(c, "GEN.BOARD.PAD_PITCH", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "pad_diameter"));
  EXPECT_TRUE(contains(f->message, "400 um is not smaller than the pitch 400 um"));
  expect_numbers(*f, 400 * um, 400 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "pad_diameter = \"400 um\"")));
}

TEST(GenBoardPadPitch, Board_pad_390um_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[board]
pad_diameter = "390 um"
)");
  expect_passes(c, "GEN.BOARD.PAD_PITCH");
}

TEST(GenBoardPadPitch, Solder_mask_opening_450um_at_400um_pitch_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[board]
solder_mask_opening = "450 um"
)");
  const Finding* f = single_finding(c, "GEN.BOARD.PAD_PITCH", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "solder_mask_opening"));
  EXPECT_TRUE(quotes(f->message, "450 um"));
  EXPECT_TRUE(quotes(f->message, "400 um"));
  expect_numbers(*f, 450 * um, 400 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "solder_mask_opening = \"450 um\"")));
}

// --- GEN.REFLOW.LIQUIDUS: SAC305 liquidus 220 C (data/materials.toml) ---

TEST(GenReflowLiquidus, Peak_215C_below_SAC305_liquidus_220C_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[[recipe.step]]
name = "reflow"
peak_temperature = "215 C"
)");
  const Finding* f = single_finding(c, "GEN.REFLOW.LIQUIDUS", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'reflow'"));
  EXPECT_TRUE(contains(f->message, "SAC305"));
  EXPECT_TRUE(quotes(f->message, "215 C"));
  EXPECT_TRUE(quotes(f->message, "220 C"));
  expect_numbers(*f, kelvin(215), kelvin(220), "K");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "peak_temperature = \"215 C\"")));
}

TEST(GenReflowLiquidus, Peak_at_liquidus_220C_does_not_melt_and_violates) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[[recipe.step]]
name = "reflow"
peak_temperature = "220 C"
)");
  const Finding* f = single_finding(c, "GEN.REFLOW.LIQUIDUS", Severity::Error);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, kelvin(220), kelvin(220), "K");
}

TEST(GenReflowLiquidus, Peak_245C_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, R"(
[[recipe.step]]
name = "reflow"
peak_temperature = "245 C"
)");
  expect_passes(c, "GEN.REFLOW.LIQUIDUS");
}

// --- GEN.THERMAL.DECOMPOSITION: epoxy_unfilled decomposes at 300 C (data/materials.toml) ---

TEST(GenThermalDecomposition, Cure_at_300C_over_epoxy_cover_decomposing_at_300C_violates) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "cure-second"
temperature = "300 C"
)");
  const Finding* f = single_finding(c, "GEN.THERMAL.DECOMPOSITION", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'cure-second'"));
  EXPECT_TRUE(contains(f->message, "epoxy_unfilled"));
  EXPECT_TRUE(contains(f->message, "'spin-second'"));  // the step that put the epoxy on the wafer
  EXPECT_TRUE(quotes(f->message, "300 C"));
  expect_numbers(*f, kelvin(300), kelvin(300), "K");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "temperature = \"300 C\"")));
}

TEST(GenThermalDecomposition, Cure_at_290C_passes) {
  WLP_CHECK_OVERRIDE(c, kS1Base, R"(
[[recipe.step]]
name = "cure-second"
temperature = "290 C"
)");
  expect_passes(c, "GEN.THERMAL.DECOMPOSITION");
}

// A resist left on the wafer (photoresist decomposes at 300 C) is heated by the 350 C resin cure;
// stripped before the cure, it is not.
const std::string kResistBeforeResinCure = R"(
[[recipe.step]]
name = "litho"
op = "lithography"
mask = "m"
insert_before = "cure-resin"
)";

TEST(GenThermalDecomposition, Unstripped_photoresist_heated_to_350C_violates_300C) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kResistBeforeResinCure);
  const Finding* f = single_finding(c, "GEN.THERMAL.DECOMPOSITION", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "photoresist"));
  EXPECT_TRUE(contains(f->message, "'cure-resin'"));
  EXPECT_TRUE(quotes(f->message, "350 C"));
  EXPECT_TRUE(quotes(f->message, "300 C"));
  expect_numbers(*f, kelvin(350), kelvin(300), "K");
}

TEST(GenThermalDecomposition, Photoresist_stripped_before_350C_cure_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kResistBeforeResinCure + R"(
[[recipe.step]]
name = "strip"
op = "strip"
insert_after = "litho"
)");
  expect_passes(c, "GEN.THERMAL.DECOMPOSITION");
}

// --- GEN.BOARD.TG: FR4 Tg 135 C (data/materials.toml); peak must stay <= 135 - 25 = 110 C ---

const std::string kCycling = R"(
[analysis.thermal_cycling]
dwell = "15 min"
ramp = "15 min"
)";

TEST(GenBoardTg, Condition_G_peak_125C_within_25K_of_FR4_Tg_135C_warns) {
  WLP_CHECK_OVERRIDE(c, kB0Base, kCycling + "profile = \"JESD22-A104-G\"\n");
  const Finding* f = single_finding(c, "GEN.BOARD.TG", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "FR4"));
  EXPECT_TRUE(quotes(f->message, "125 C"));
  EXPECT_TRUE(quotes(f->message, "135 C"));
  EXPECT_TRUE(quotes(f->message, "25 K"));
  expect_numbers(*f, kelvin(125), kelvin(135 - 25), "K");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "profile = ")));
}

TEST(GenBoardTg, Condition_N_peak_85C_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, kCycling + "profile = \"JESD22-A104-N\"\n");
  expect_passes(c, "GEN.BOARD.TG");
}

// With a custom profile the peak is the t_max key: 115 C > 110 C.
TEST(GenBoardTg, Custom_t_max_115C_warns_and_points_at_t_max) {
  WLP_CHECK_OVERRIDE(c, kB0Base, kCycling + "profile = \"custom\"\nt_min = \"-40 C\"\nt_max = \"115 C\"\n");
  const Finding* f = single_finding(c, "GEN.BOARD.TG", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "115 C"));
  expect_numbers(*f, kelvin(115), kelvin(135 - 25), "K");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "t_max = ")));
}

TEST(GenBoardTg, Custom_t_max_110C_at_the_margin_passes) {
  WLP_CHECK_OVERRIDE(c, kB0Base, kCycling + "profile = \"custom\"\nt_min = \"-40 C\"\nt_max = \"110 C\"\n");
  expect_passes(c, "GEN.BOARD.TG");
}

}  // namespace
}  // namespace wlp::rules_test
