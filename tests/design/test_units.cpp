// Unit parsing: every conversion is checked against its definition (SI brochure, 9th ed.;
// NIST SP 811 for psi and mil).
#include <gtest/gtest.h>

#include "design/units.h"

namespace wlp::design {
namespace {

double si(const char* text) { return parse_quantity(text).value_si; }

TEST(Units, lengths_convert_to_metres) {
  EXPECT_DOUBLE_EQ(si("50 um"), 50e-6);
  EXPECT_DOUBLE_EQ(si("0.4 mm"), 0.4e-3);
  EXPECT_DOUBLE_EQ(si("25 nm"), 25e-9);
  EXPECT_DOUBLE_EQ(si("1 mil"), 25.4e-6);  // 1 mil = 0.001 in = 25.4 um exactly
  EXPECT_DOUBLE_EQ(si("2 \xC2\xB5m"), 2e-6);
  EXPECT_TRUE(parse_quantity("50 um").dimension == dims::length);
}

TEST(Units, absolute_celsius_adds_273_15) {
  EXPECT_DOUBLE_EQ(si("125 C"), 398.15);
  EXPECT_DOUBLE_EQ(si("-40 C"), 233.15);
  EXPECT_DOUBLE_EQ(si("25 degC"), 298.15);
  EXPECT_DOUBLE_EQ(si("300 K"), 300.0);
  EXPECT_DOUBLE_EQ(si("\xE2\x88\x92" "40 C"), 233.15);  // U+2212 minus, as PDFs write it
}

TEST(Units, celsius_inside_a_compound_unit_is_a_difference) {
  EXPECT_DOUBLE_EQ(si("11 C/min"), 11.0 / 60.0);
  EXPECT_TRUE(parse_quantity("11 C/min").dimension == dims::temperature_rate);
  EXPECT_DOUBLE_EQ(si("17.7 ppm/C"), 17.7e-6);
}

// A step or span ("max_temperature_step = \"5 C\"") reads a lone C as a difference: 5 K, the
// same as "5 K"; the default reading stays absolute (278.15 K).
TEST(Units, a_lone_celsius_read_as_a_difference_is_kelvin_without_offset) {
  EXPECT_DOUBLE_EQ(parse_quantity("5 C", CelsiusReading::Difference).value_si, 5.0);
  EXPECT_DOUBLE_EQ(parse_quantity("5 K", CelsiusReading::Difference).value_si, 5.0);
  EXPECT_DOUBLE_EQ(parse_quantity("\xE2\x88\x92" "2.5 degC", CelsiusReading::Difference).value_si, -2.5);
  EXPECT_DOUBLE_EQ(parse_quantity("5 C").value_si, 278.15);
  EXPECT_DOUBLE_EQ(parse_quantity("11 C/min", CelsiusReading::Difference).value_si, 11.0 / 60.0);
}

TEST(Units, pressures_and_moduli) {
  EXPECT_DOUBLE_EQ(si("3.5 GPa"), 3.5e9);
  EXPECT_DOUBLE_EQ(si("21 MPa"), 21e6);
  EXPECT_DOUBLE_EQ(si("1 psi"), 6894.757293168361);  // 1 lbf/in^2
  EXPECT_DOUBLE_EQ(si("1 ksi"), 6894757.293168361);
  EXPECT_TRUE(parse_quantity("1 psi").dimension == dims::pressure);
}

TEST(Units, compound_units) {
  EXPECT_DOUBLE_EQ(si("17.7 ppm/K"), 17.7e-6);
  EXPECT_TRUE(parse_quantity("17.7 ppm/K").dimension == dims::inverse_temperature);
  EXPECT_DOUBLE_EQ(si("3501 1/s"), 3501.0);
  EXPECT_TRUE(parse_quantity("3501 1/s").dimension == dims::inverse_time);
  EXPECT_DOUBLE_EQ(si("0.02447 1/MPa"), 0.02447e-6);
  EXPECT_TRUE(parse_quantity("0.02447 1/MPa").dimension == dims::inverse_pressure);
  EXPECT_NEAR(si("2.33 g/cm^3"), 2330.0, 1e-9);
  EXPECT_TRUE(parse_quantity("2.33 g/cm^3").dimension == dims::density);
  EXPECT_NEAR(si("1.7 uohm*cm"), 1.7e-8, 1e-22);
  EXPECT_TRUE(parse_quantity("1.7 uohm*cm").dimension == dims::resistivity);
  EXPECT_TRUE(parse_quantity("390 W/m/K").dimension == dims::thermal_conductivity);
  EXPECT_TRUE(parse_quantity("390 W/(m*K)").dimension == dims::thermal_conductivity);
  EXPECT_DOUBLE_EQ(si("4.0e6 1/s"), 4.0e6);
}

TEST(Units, bare_number_is_dimensionless) {
  const Quantity ratio = parse_quantity("0.35");
  EXPECT_DOUBLE_EQ(ratio.value_si, 0.35);
  EXPECT_TRUE(ratio.dimension == dims::dimensionless);
}

TEST(Units, unknown_unit_names_the_symbol_and_its_offset) {
  try {
    parse_quantity("50 umm");
    FAIL() << "expected UnitError";
  } catch (const UnitError& error) {
    EXPECT_NE(std::string(error.what()).find("'umm'"), std::string::npos) << error.what();
    EXPECT_EQ(error.offset, 3u);
  }
}

TEST(Units, offsets_count_the_bytes_of_a_unicode_minus) {
  try {
    parse_quantity("\xE2\x88\x92" "40 CC");
    FAIL() << "expected UnitError";
  } catch (const UnitError& error) {
    EXPECT_EQ(error.offset, 6u);  // 3 bytes of U+2212, "40", the space
  }
}

TEST(Units, malformed_quantities_are_rejected) {
  EXPECT_THROW(parse_quantity(""), UnitError);
  EXPECT_THROW(parse_quantity("um 50"), UnitError);
  EXPECT_THROW(parse_quantity("50 um/"), UnitError);
  EXPECT_THROW(parse_quantity("50 um^x"), UnitError);
  EXPECT_THROW(parse_quantity("1e999 um"), UnitError);
}

TEST(Units, formatting_uses_the_engineering_unit) {
  EXPECT_EQ(format_quantity(50e-6, dims::length), "50 um");
  EXPECT_EQ(format_quantity(0.4e-3, dims::length), "400 um");
  EXPECT_EQ(format_quantity(1.5e-3, dims::length), "1.5 mm");
  EXPECT_EQ(format_quantity(398.15, dims::temperature), "125 C");
  EXPECT_EQ(format_quantity(3.5e9, dims::pressure), "3.5 GPa");
  EXPECT_EQ(format_quantity(21e6, dims::pressure), "21 MPa");
  EXPECT_EQ(format_quantity(17.7e-6, dims::inverse_temperature), "17.7 ppm/K");
}

}  // namespace
}  // namespace wlp::design

namespace wlp::design {
namespace {

// A value written at a rule's limit must equal the limit: "15 um" is the double nearest to
// 15e-6, exactly as the decimal literal is (rules compare with <, not with a tolerance).
TEST(Units, written_values_equal_their_decimal_literals) {
  for (int n = 1; n <= 300; ++n) {
    EXPECT_EQ(parse_quantity(std::to_string(n) + " um").value_si, std::stod(std::to_string(n) + "e-6")) << n;
    EXPECT_EQ(parse_quantity(std::to_string(n) + " nm").value_si, std::stod(std::to_string(n) + "e-9")) << n;
    EXPECT_EQ(parse_quantity(std::to_string(n) + " mm").value_si, std::stod(std::to_string(n) + "e-3")) << n;
  }
  EXPECT_EQ(parse_quantity("0.5 um").value_si, 0.5e-6);
  EXPECT_EQ(parse_quantity("0.01 GPa").value_si, 0.01e9);
  EXPECT_EQ(parse_quantity("200 C").value_si, kelvin_from_celsius(200.0));
}

}  // namespace
}  // namespace wlp::design
