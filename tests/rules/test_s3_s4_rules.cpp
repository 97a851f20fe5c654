// S3 (seed 003, post + deformable UBM + resin) and S4 (seed 004, sections in a stress-buffer
// resin) rules.
#include <fmt/format.h>

#include <numbers>

#include "rule_expect.h"

namespace wlp::rules_test {
namespace {

double disc_area(double diameter_m) { return std::numbers::pi * diameter_m * diameter_m / 4.0; }

std::string interconnect(const std::string& key, const std::string& value) {
  return "\n[interconnect]\n" + key + " = \"" + value + "\"\n";
}

// ================================ S3 =========================================================

// --- S3.POST.HEIGHT: about 12-300 um (claim 8) ---

TEST(S3PostHeight, Post_8um_violates_claim8_minimum) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "8 um"));
  const Finding* f = single_finding(c, "S3.POST.HEIGHT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "8 um"));
  EXPECT_TRUE(quotes(f->message, "12 um"));
  EXPECT_TRUE(quotes(f->message, "300 um"));
  expect_numbers(*f, 8 * um, 12 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "post_height = \"8 um\"")));
  // Outside the claim, the preference is not reported on top.
  EXPECT_TRUE(findings_of(c.report, "S3.POST.HEIGHT_PREFERRED").empty()) << describe(c.report);
}

TEST(S3PostHeight, Post_310um_violates_claim8_maximum) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "310 um"));
  const Finding* f = single_finding(c, "S3.POST.HEIGHT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "310 um"));
  expect_numbers(*f, 310 * um, 300 * um, "m");
}

TEST(S3PostHeight, Post_50um_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "50 um"));
  expect_passes(c, "S3.POST.HEIGHT");
}

TEST(S3PostHeight, Post_12um_at_claim8_minimum_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "12 um"));
  expect_passes(c, "S3.POST.HEIGHT");
}

TEST(S3PostHeight, Post_300um_at_claim8_maximum_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "300 um"));
  expect_passes(c, "S3.POST.HEIGHT");
}

// --- S3.POST.HEIGHT_PREFERRED: preferably 15-200 um (description) ---

TEST(S3PostHeightPreferred, Post_13um_below_preferred_15um_warns) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "13 um"));
  const Finding* f = single_finding(c, "S3.POST.HEIGHT_PREFERRED", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "13 um"));
  EXPECT_TRUE(quotes(f->message, "15 um"));
  EXPECT_TRUE(quotes(f->message, "200 um"));
  expect_numbers(*f, 13 * um, 15 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "post_height = \"13 um\"")));
  EXPECT_TRUE(findings_of(c.report, "S3.POST.HEIGHT").empty()) << describe(c.report);
}

TEST(S3PostHeightPreferred, Post_250um_above_preferred_200um_warns) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "250 um"));
  const Finding* f = single_finding(c, "S3.POST.HEIGHT_PREFERRED", Severity::Warning);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, 250 * um, 200 * um, "m");
}

TEST(S3PostHeightPreferred, Post_15um_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "15 um"));
  expect_passes(c, "S3.POST.HEIGHT_PREFERRED");
}

TEST(S3PostHeightPreferred, Post_200um_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_height", "200 um"));
  expect_passes(c, "S3.POST.HEIGHT_PREFERRED");
}

// --- S3.POST.DIAMETER: about 20-100 um (claim 8) ---

TEST(S3PostDiameter, Post_15um_wide_violates_claim8_minimum) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_diameter", "15 um"));
  const Finding* f = single_finding(c, "S3.POST.DIAMETER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "15 um"));
  EXPECT_TRUE(quotes(f->message, "20 um"));
  EXPECT_TRUE(quotes(f->message, "100 um"));
  expect_numbers(*f, 15 * um, 20 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "post_diameter = \"15 um\"")));
}

TEST(S3PostDiameter, Post_120um_wide_violates_claim8_maximum) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_diameter", "120 um"));
  const Finding* f = single_finding(c, "S3.POST.DIAMETER", Severity::Error);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, 120 * um, 100 * um, "m");
}

TEST(S3PostDiameter, Post_20um_wide_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_diameter", "20 um"));
  expect_passes(c, "S3.POST.DIAMETER");
}

TEST(S3PostDiameter, Post_100um_wide_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_diameter", "100 um"));
  expect_passes(c, "S3.POST.DIAMETER");
}

// --- S3.UBM.LARGER: UBM wider than the 60 um post (claim 1) ---

TEST(S3UbmLarger, Ubm_60um_on_60um_post_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_diameter", "60 um"));
  const Finding* f = single_finding(c, "S3.UBM.LARGER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "UBM diameter 60 um is not larger than the post outline 60 um"));
  expect_numbers(*f, 60 * um, 60 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "ubm_diameter = \"60 um\"")));
}

TEST(S3UbmLarger, Ubm_61um_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_diameter", "61 um"));
  expect_passes(c, "S3.UBM.LARGER");
}

// --- S3.UBM.DEFORMABLE: UBM thickness x E below post height x E (Cu_ED 130 GPa both) ---

TEST(S3UbmDeformable, Ubm_50um_thick_as_stiff_as_50um_post_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_thickness", "50 um"));
  const Finding* f = single_finding(c, "S3.UBM.DEFORMABLE", Severity::Error);
  ASSERT_NE(f, nullptr);
  const double stiffness = 50 * um * 130 * GPa;
  EXPECT_TRUE(quotes(f->message, "50 um"));
  EXPECT_TRUE(quotes(f->message, "130 GPa"));
  EXPECT_TRUE(contains(f->message, fmt::format("= {:.4g} N/m", stiffness)));
  EXPECT_TRUE(si_equals(f->measured_si, stiffness));
  EXPECT_TRUE(si_equals(f->limit_si, stiffness));
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "ubm_thickness = \"50 um\"")));
}

// The stiffness is in N/m; the Finding's unit must not claim a dimensionless ratio ("").
TEST(S3UbmDeformable, Finding_unit_of_a_stiffness_is_not_the_ratio_unit) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_thickness", "50 um"));
  const Finding* f = single_finding(c, "S3.UBM.DEFORMABLE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->unit, "") << "measured " << f->measured_si.value_or(0) << " is a stiffness in N/m, not a ratio";
}

TEST(S3UbmDeformable, Ubm_49um_thick_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_thickness", "49 um"));
  expect_passes(c, "S3.UBM.DEFORMABLE");
}

TEST(S3UbmDeformable, Post_material_without_youngs_modulus_is_reported) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_material", "photoresist"));
  const Finding* f = single_finding(c, "S3.UBM.DEFORMABLE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "cannot check"));
  EXPECT_TRUE(contains(f->message, "youngs_modulus"));
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "post_material = \"photoresist\"")));
}

// --- S3.BUMP.LARGER: ball wider than the 60 um post (claim 2) ---

TEST(S3BumpLarger, Ball_60um_on_60um_post_violates_claim2) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[bumps]
ball_diameter = "60 um"
)");
  const Finding* f = single_finding(c, "S3.BUMP.LARGER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "ball diameter 60 um is not larger than the post outline 60 um"));
  expect_numbers(*f, 60 * um, 60 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "ball_diameter = \"60 um\"")));
}

TEST(S3BumpLarger, Ball_61um_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[bumps]
ball_diameter = "61 um"
)");
  expect_passes(c, "S3.BUMP.LARGER");
}

// --- S3.BUMP.CONTACT_AREA: pi/4 min(ball, UBM)^2 > pi/4 post^2 (claim 2) ---

TEST(S3BumpContactArea, Ubm_50um_gives_smaller_area_than_60um_post_and_violates_claim2) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_diameter", "50 um"));
  const Finding* f = single_finding(c, "S3.BUMP.CONTACT_AREA", Severity::Error);
  ASSERT_NE(f, nullptr);
  const double bump_area = disc_area(50 * um), post_area = disc_area(60 * um);
  EXPECT_TRUE(quotes(f->message, fmt::format("{:.0f} um^2", bump_area * 1e12)));  // 1963 um^2
  EXPECT_TRUE(quotes(f->message, fmt::format("{:.0f} um^2", post_area * 1e12)));  // 2827 um^2
  EXPECT_TRUE(si_equals(f->measured_si, bump_area));
  EXPECT_TRUE(si_equals(f->limit_si, post_area));
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "ubm_diameter = \"50 um\"")));
}

// When the ball is the smaller disc, the ball diameter is the offending key.
TEST(S3BumpContactArea, Ball_50um_limits_the_area_and_the_finding_points_at_the_ball) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[bumps]
ball_diameter = "50 um"
)");
  const Finding* f = single_finding(c, "S3.BUMP.CONTACT_AREA", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(si_equals(f->measured_si, disc_area(50 * um)));
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "ball_diameter = \"50 um\"")));
}

// The areas are in m^2; the Finding's unit must not claim a dimensionless ratio ("").
TEST(S3BumpContactArea, Finding_unit_of_an_area_is_not_the_ratio_unit) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_diameter", "50 um"));
  const Finding* f = single_finding(c, "S3.BUMP.CONTACT_AREA", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->unit, "") << "measured " << f->measured_si.value_or(0) << " is an area in m^2, not a ratio";
}

TEST(S3BumpContactArea, Ubm_61um_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("ubm_diameter", "61 um"));
  expect_passes(c, "S3.BUMP.CONTACT_AREA");
}

// --- S3.RESIN.AROUND_POST: a `resin` stack layer (claim 1) ---

TEST(S3ResinAroundPost, No_resin_layer_violates_claim1) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[[stack]]
name = "resin"
role = "dielectric"
)");
  const Finding* f = single_finding(c, "S3.RESIN.AROUND_POST", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "no `resin` stack layer"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "base.toml", line_of(c.base_text, "type = \"post_ubm_resin\"")));
}

TEST(S3ResinAroundPost, Resin_layer_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, R"(
[[stack]]
name = "resin"
role = "resin"
)");
  expect_passes(c, "S3.RESIN.AROUND_POST");
}

// --- S3.RESIN.CONTACT: full/ring contact: resin top at the post top (within 1 %); separated:
// below it; ring: between the post and the UBM outline (claims 3-5, FIGS 1-3) ---

std::string resin(const std::string& thickness) {
  return "\n[[stack]]\nname = \"resin\"\nthickness = \"" + thickness + "\"\n";
}

TEST(S3ResinContact, Full_contact_resin_45um_below_50um_post_violates_claim3) {
  WLP_CHECK_OVERRIDE(c, kS3Base, resin("45 um"));
  const Finding* f = single_finding(c, "S3.RESIN.CONTACT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "\"full\""));
  EXPECT_TRUE(quotes(f->message, "45 um"));
  EXPECT_TRUE(quotes(f->message, "50 um"));
  expect_numbers(*f, 45 * um, 50 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "thickness = \"45 um\"")));
}

TEST(S3ResinContact, Full_contact_resin_50_4um_within_1_percent_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, resin("50.4 um"));
  expect_passes(c, "S3.RESIN.CONTACT");
}

const std::string kSeparated = interconnect("resin_contact", "separated");

TEST(S3ResinContact, Separated_resin_50um_not_below_50um_post_violates_claim5) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kSeparated + resin("50 um"));
  const Finding* f = single_finding(c, "S3.RESIN.CONTACT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "\"separated\""));
  EXPECT_TRUE(quotes(f->message, "50 um"));
  expect_numbers(*f, 50 * um, 50 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "thickness = \"50 um\"")));
}

TEST(S3ResinContact, Separated_resin_30um_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kSeparated + resin("30 um"));
  expect_passes(c, "S3.RESIN.CONTACT");
}

std::string ring(const std::string& diameter) {
  return "\n[interconnect]\nresin_contact = \"ring\"\nresin_ring_diameter = \"" + diameter + "\"\n";
}

TEST(S3ResinContact, Ring_200um_at_the_200um_UBM_outline_violates_fig3) {
  WLP_CHECK_OVERRIDE(c, kS3Base, ring("200 um"));
  const Finding* f = single_finding(c, "S3.RESIN.CONTACT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "200 um"));
  EXPECT_TRUE(quotes(f->message, "60 um"));
  expect_numbers(*f, 200 * um, 200 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "resin_ring_diameter = \"200 um\"")));
}

// A ring inside the post violates the lower bound: the limit is the post diameter, 60 um.
TEST(S3ResinContact, Ring_50um_inside_60um_post_violates_with_the_post_as_limit) {
  WLP_CHECK_OVERRIDE(c, kS3Base, ring("50 um"));
  const Finding* f = single_finding(c, "S3.RESIN.CONTACT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "50 um"));
  EXPECT_TRUE(quotes(f->message, "60 um"));
  expect_numbers(*f, 50 * um, 60 * um, "m");
}

TEST(S3ResinContact, Ring_150um_between_post_and_UBM_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, ring("150 um"));
  expect_passes(c, "S3.RESIN.CONTACT");
}

// --- S3.ADHESIVE.CONTACT: an adhesive between UBM and resin needs contact (claim 7) ---

const std::string kAdhesive = R"(
[interconnect]
adhesive_material = "epoxy_unfilled"
adhesive_thickness = "2 um"
)";

TEST(S3AdhesiveContact, Adhesive_with_separated_resin_violates_claim7) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kAdhesive + "resin_contact = \"separated\"\n" + resin("30 um"));
  const Finding* f = single_finding(c, "S3.ADHESIVE.CONTACT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "\"separated\""));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "adhesive_material = ")));
}

TEST(S3AdhesiveContact, Adhesive_with_full_contact_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kAdhesive + "resin_contact = \"full\"\n");
  expect_passes(c, "S3.ADHESIVE.CONTACT");
}

// --- S3.POST.MATERIAL: metal, solder or conductive paste (description) ---

TEST(S3PostMaterial, Polyimide_post_warns) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_material", "PI2611"));
  const Finding* f = single_finding(c, "S3.POST.MATERIAL", Severity::Warning);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "PI2611"));
  EXPECT_TRUE(contains(f->message, "'polymer'"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "post_material = \"PI2611\"")));
}

TEST(S3PostMaterial, Conductive_paste_post_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_material", "Ag_epoxy"));
  expect_passes(c, "S3.POST.MATERIAL");
}

TEST(S3PostMaterial, Solder_post_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, interconnect("post_material", "SAC305"));
  expect_passes(c, "S3.POST.MATERIAL");
}

// --- S3.FOIL.VACUUM: the foil is laminated in vacuum (claim 21) ---

const std::string kFoil = R"(
[[recipe.step]]
name = "foil"
op = "foil_laminate"
material = "Cu_foil"
thickness = "5 um"
adhesive = "epoxy_unfilled"
insert_before = "place-balls"
)";

TEST(S3FoilVacuum, Foil_laminated_without_vacuum_violates_claim21) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kFoil);
  const Finding* f = single_finding(c, "S3.FOIL.VACUUM", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'foil'"));
  EXPECT_TRUE(contains(f->message, "not in vacuum"));
  expect_no_numbers(*f);
  // `vacuum` is not written: the finding points at the step.
  EXPECT_TRUE(points_at(*f, "design.toml", header_line_of(c.design_text, "name = \"foil\"")));
}

TEST(S3FoilVacuum, Foil_with_vacuum_false_violates_claim21) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kFoil + "vacuum = false\n");
  ASSERT_NE(single_finding(c, "S3.FOIL.VACUUM", Severity::Error), nullptr);
}

TEST(S3FoilVacuum, Foil_laminated_in_vacuum_passes) {
  WLP_CHECK_OVERRIDE(c, kS3Base, kFoil + "vacuum = true\n");
  expect_passes(c, "S3.FOIL.VACUUM");
}

// ================================ S4 =========================================================

std::string tier1(const std::string& key, const std::string& value) {
  return "\n[[interconnect.tier]]\nname = \"tier1\"\n" + key + " = \"" + value + "\"\n";
}

// --- S4.FILM.PYROLYSIS: insulating film pyrolysis >= 200 C ---

std::string film_pyrolysing_at(const std::string& temperature) {
  return R"(
[materials.film_resin]
base = "HD4100"
decomposition_temperature = { value = ")" +
         temperature + R"(", source = "rule test value", grade = "?" }

[[stack]]
name = "film"
material = "film_resin"
)";
}

TEST(S4FilmPyrolysis, Film_pyrolysing_at_180C_violates_200C_minimum) {
  WLP_CHECK_OVERRIDE(c, kS4Base, film_pyrolysing_at("180 C"));
  const Finding* f = single_finding(c, "S4.FILM.PYROLYSIS", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'film'"));
  EXPECT_TRUE(contains(f->message, "film_resin"));
  EXPECT_TRUE(quotes(f->message, "180 C"));
  EXPECT_TRUE(quotes(f->message, "200 C"));
  expect_numbers(*f, kelvin(180), kelvin(200), "K");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "material = \"film_resin\"")));
}

TEST(S4FilmPyrolysis, Film_pyrolysing_at_200C_passes) {
  WLP_CHECK_OVERRIDE(c, kS4Base, film_pyrolysing_at("200 C"));
  expect_passes(c, "S4.FILM.PYROLYSIS");
}

// --- S4.BUFFER.MODULUS: 0.01-8 GPa ---

TEST(S4BufferModulus, PI2611_at_8_5GPa_violates_8GPa_maximum) {
  WLP_CHECK_OVERRIDE(c, kS4Base, tier1("buffer_material", "PI2611"));
  const Finding* f = single_finding(c, "S4.BUFFER.MODULUS", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'tier1'"));
  EXPECT_TRUE(contains(f->message, "PI2611"));
  EXPECT_TRUE(quotes(f->message, "8.5 GPa"));
  EXPECT_TRUE(quotes(f->message, "10 MPa"));  // 0.01 GPa
  EXPECT_TRUE(quotes(f->message, "8 GPa"));
  expect_numbers(*f, 8.5 * GPa, 8 * GPa, "Pa");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "buffer_material = \"PI2611\"")));
}

TEST(S4BufferModulus, Soft_buffer_at_5MPa_violates_0_01GPa_minimum) {
  WLP_CHECK_OVERRIDE(c, kS4Base, R"(
[materials.soft_buffer]
base = "silicone"
youngs_modulus = { value = "5 MPa", source = "rule test value", grade = "?" }
)" + tier1("buffer_material", "soft_buffer"));
  const Finding* f = single_finding(c, "S4.BUFFER.MODULUS", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(quotes(f->message, "5 MPa"));
  EXPECT_TRUE(quotes(f->message, "10 MPa"));
  expect_numbers(*f, 5 * MPa, 0.01 * GPa, "Pa");
}

TEST(S4BufferModulus, HD4100_at_3_5GPa_passes) {
  WLP_CHECK_OVERRIDE(c, kS4Base, tier1("buffer_material", "HD4100"));
  expect_passes(c, "S4.BUFFER.MODULUS");
}

TEST(S4BufferModulus, Silicone_at_10MPa_on_the_0_01GPa_minimum_passes) {
  WLP_CHECK_OVERRIDE(c, kS4Base, tier1("buffer_material", "silicone"));
  expect_passes(c, "S4.BUFFER.MODULUS");
}

// --- S4.LAND.FLUSH: sections at least as high as the polished 50 um buffer ---

TEST(S4LandFlush, Sections_40um_under_50um_buffer_violate) {
  WLP_CHECK_OVERRIDE(c, kS4Base, tier1("section_height", "40 um"));
  const Finding* f = single_finding(c, "S4.LAND.FLUSH", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'tier1'"));
  EXPECT_TRUE(quotes(f->message, "40 um"));
  EXPECT_TRUE(quotes(f->message, "50 um"));
  expect_numbers(*f, 40 * um, 50 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "section_height = \"40 um\"")));
}

TEST(S4LandFlush, Sections_50um_in_50um_buffer_pass) {
  WLP_CHECK_OVERRIDE(c, kS4Base, tier1("section_height", "50 um"));
  expect_passes(c, "S4.LAND.FLUSH");
}

// --- Embodiment 3, metal columns: a second include level (design -> columns -> base) ---

const std::string kColumns = R"(include = "base.toml"

[interconnect]
section = "metal_column"
column_adhesive = "Ag_epoxy"
column_adhesive_thickness = "10 um"

[[interconnect.tier]]
name = "tier1"
section_material = "Cu_ED"
buffer_thickness = "5 um"
)";

std::optional<Checked> check_columns(const std::string& overlay) {
  return check_files({{"base.toml", kS4Base},
                      {"columns.toml", kColumns},
                      {"design.toml", "include = \"columns.toml\"\n" + overlay}});
}

#define WLP_CHECK_COLUMNS(var, overlay)                                   \
  const auto var##_optional = check_columns(overlay);                     \
  ASSERT_TRUE(var##_optional.has_value());                                \
  const Checked& var = *var##_optional

TEST(S4Columns, Column_base_passes_every_rule) {
  WLP_CHECK_COLUMNS(c, "");
  EXPECT_TRUE(c.report.findings.empty()) << describe(c.report);
  EXPECT_TRUE(was_evaluated(c.report, "S4.COLUMN.HEIGHT"));
  EXPECT_TRUE(was_evaluated(c.report, "S4.COLUMN.ADHESIVE"));
}

// --- S4.COLUMN.HEIGHT: metal columns 10-200 um (embodiment 3) ---

TEST(S4ColumnHeight, Columns_8um_high_violate_10um_minimum) {
  WLP_CHECK_COLUMNS(c, tier1("section_height", "8 um"));
  const Finding* f = single_finding(c, "S4.COLUMN.HEIGHT", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "'tier1'"));
  EXPECT_TRUE(quotes(f->message, "8 um"));
  EXPECT_TRUE(quotes(f->message, "10 um"));
  EXPECT_TRUE(quotes(f->message, "200 um"));
  expect_numbers(*f, 8 * um, 10 * um, "m");
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "section_height = \"8 um\"")));
}

TEST(S4ColumnHeight, Columns_210um_high_violate_200um_maximum) {
  WLP_CHECK_COLUMNS(c, tier1("section_height", "210 um"));
  const Finding* f = single_finding(c, "S4.COLUMN.HEIGHT", Severity::Error);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, 210 * um, 200 * um, "m");
}

TEST(S4ColumnHeight, Columns_10um_high_pass) {
  WLP_CHECK_COLUMNS(c, tier1("section_height", "10 um"));
  expect_passes(c, "S4.COLUMN.HEIGHT");
}

TEST(S4ColumnHeight, Columns_200um_high_pass) {
  WLP_CHECK_COLUMNS(c, tier1("section_height", "200 um"));
  expect_passes(c, "S4.COLUMN.HEIGHT");
}

// Stud bumps are not columns: an 8 um stud is not judged by the column range.
TEST(S4ColumnHeight, Stud_bumps_are_not_checked_as_columns) {
  WLP_CHECK_OVERRIDE(c, kS4Base, tier1("section_height", "8 um") + "buffer_thickness = \"5 um\"\n");
  EXPECT_FALSE(was_evaluated(c.report, "S4.COLUMN.HEIGHT"));
  EXPECT_TRUE(findings_of(c.report, "S4.COLUMN.HEIGHT").empty());
}

// --- S4.COLUMN.ADHESIVE: columns fixed with a conductive composite with a resistivity ---

TEST(S4ColumnAdhesive, Unfilled_epoxy_is_not_conductive_and_violates) {
  WLP_CHECK_COLUMNS(c, interconnect("column_adhesive", "epoxy_unfilled"));
  const Finding* f = single_finding(c, "S4.COLUMN.ADHESIVE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "epoxy_unfilled is not a conductive composite"));
  expect_no_numbers(*f);
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "column_adhesive = \"epoxy_unfilled\"")));
}

TEST(S4ColumnAdhesive, Silica_filled_epoxy_has_no_resistivity_and_violates) {
  WLP_CHECK_COLUMNS(c, interconnect("column_adhesive", "epoxy_filled"));
  ASSERT_NE(single_finding(c, "S4.COLUMN.ADHESIVE", Severity::Error), nullptr);
}

TEST(S4ColumnAdhesive, Ag_epoxy_passes) {
  WLP_CHECK_COLUMNS(c, interconnect("column_adhesive", "Ag_epoxy"));
  expect_passes(c, "S4.COLUMN.ADHESIVE");
}

TEST(S4ColumnAdhesive, Columns_without_adhesive_violate) {
  WLP_CHECK_OVERRIDE(c, kS4Base, interconnect("section", "metal_column"));
  const Finding* f = single_finding(c, "S4.COLUMN.ADHESIVE", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "set interconnect.column_adhesive"));
  EXPECT_TRUE(points_at(*f, "design.toml", line_of(c.design_text, "section = \"metal_column\"")));
}

// --- S4.POLISH.PER_TIER: one polish per buffer tier ---

const std::string kSecondTier = R"(
[[interconnect.tier]]
name = "tier2"
section_material = "Au"
section_diameter = "60 um"
section_height = "60 um"
buffer_material = "buffer_resin"
buffer_thickness = "50 um"
)";

TEST(S4PolishPerTier, Two_tiers_one_polish_violates) {
  WLP_CHECK_OVERRIDE(c, kS4Base, kSecondTier);
  const Finding* f = single_finding(c, "S4.POLISH.PER_TIER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "2 buffer tier(s) but 1 polish step(s)"));
  expect_numbers(*f, 1, 2, "");
  // The recipe as a whole: it starts at the first [[recipe.step]] of base.toml.
  EXPECT_TRUE(points_at(*f, "base.toml", header_line_of(c.base_text, "name = \"spin-film\"")));
}

TEST(S4PolishPerTier, Two_tiers_two_polishes_pass) {
  WLP_CHECK_OVERRIDE(c, kS4Base, kSecondTier + R"(
[[recipe.step]]
name = "polish-tier2"
op = "polish"
method = "cmp"
thickness = "50 um"
insert_after = "polish-buffer"
)");
  expect_passes(c, "S4.POLISH.PER_TIER");
}

// A polish before the first section-forming step (here a CMP of the film, before the stud
// bumps) exposes no section: two tiers with only one polish after the sections violate.
TEST(S4PolishPerTier, Polish_before_the_first_sections_does_not_count_and_two_tiers_violate) {
  WLP_CHECK_OVERRIDE(c, kS4Base, kSecondTier + R"(
[[recipe.step]]
name = "polish-film"
op = "polish"
method = "cmp"
thickness = "5 um"
insert_before = "stud-bumps"
)");
  const Finding* f = single_finding(c, "S4.POLISH.PER_TIER", Severity::Error);
  ASSERT_NE(f, nullptr);
  expect_numbers(*f, 1, 2, "");
}

TEST(S4PolishPerTier, One_tier_without_polish_violates) {
  WLP_CHECK_OVERRIDE(c, kS4Base, R"(
[[recipe.step]]
name = "polish-buffer"
remove = true
)");
  const Finding* f = single_finding(c, "S4.POLISH.PER_TIER", Severity::Error);
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(contains(f->message, "1 buffer tier(s) but 0 polish step(s)"));
  ASSERT_TRUE(f->measured_si.has_value());
  EXPECT_EQ(*f->measured_si, 0.0);
  EXPECT_TRUE(si_equals(f->limit_si, 1));
}

}  // namespace
}  // namespace wlp::rules_test
