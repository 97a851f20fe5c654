// Units: parse quantities written with their unit ("50 um", "125 C", "3.5 GPa") into SI values.
//
// Conventions: SI inside (m, kg, s, K, A). A temperature written alone ("125 C") is absolute and
// converted with the 273.15 K offset; inside a compound unit ("11 C/min", "ppm/C") C is a
// temperature difference. Dimensionless values are bare numbers in the design file.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace wlp::design {

/// Exponents of the SI base dimensions a quantity carries.
struct Dimension {
  std::int8_t length = 0;
  std::int8_t mass = 0;
  std::int8_t time = 0;
  std::int8_t temperature = 0;
  std::int8_t current = 0;
  friend bool operator==(const Dimension&, const Dimension&) = default;
  /// Human name of the dimension ("length", "pressure", ...) or its exponents ("m^2·s^-1").
  [[nodiscard]] std::string name() const;
  /// Example units a user may write for this dimension ("um, mm, m").
  [[nodiscard]] std::string example_units() const;
};

namespace dims {
inline constexpr Dimension dimensionless{};
inline constexpr Dimension length{1, 0, 0, 0, 0};
inline constexpr Dimension temperature{0, 0, 0, 1, 0};
inline constexpr Dimension time{0, 0, 1, 0, 0};
inline constexpr Dimension pressure{-1, 1, -2, 0, 0};
inline constexpr Dimension inverse_pressure{1, -1, 2, 0, 0};
inline constexpr Dimension inverse_temperature{0, 0, 0, -1, 0};
inline constexpr Dimension inverse_time{0, 0, -1, 0, 0};
inline constexpr Dimension density{-3, 1, 0, 0, 0};
inline constexpr Dimension resistivity{3, 1, -3, 0, -2};
inline constexpr Dimension thermal_conductivity{1, 1, -3, -1, 0};
inline constexpr Dimension temperature_rate{0, 0, -1, 1, 0};
inline constexpr Dimension area{2, 0, 0, 0, 0};
inline constexpr Dimension stiffness{0, 1, -2, 0, 0};  // N/m: thickness x modulus
}  // namespace dims

/// A parsed quantity: its value in SI and its dimension.
struct Quantity {
  double value_si = 0.0;
  Dimension dimension;
};

/// Thrown when a quantity string cannot be read; `offset` is the byte offset in the string.
class UnitError : public std::runtime_error {
 public:
  UnitError(const std::string& message, std::size_t offset_in_text)
      : std::runtime_error(message), offset(offset_in_text) {}
  std::size_t offset;
};

/// How a temperature written alone in degrees Celsius ("5 C") is read.
enum class CelsiusReading {
  Absolute,   // "125 C" → 398.15 K: a temperature (the default everywhere)
  Difference  // "5 C" → 5 K: a step or span, for keys that are temperature differences
};

/// Parses "number unit" ("50 um", "-40 C", "4.0e6 1/s", "2329 kg/m^3"). A bare number is
/// dimensionless. Inside a compound unit ("11 C/min") C is always a difference; `celsius`
/// says how a lone C is read. Throws UnitError naming the offending part.
Quantity parse_quantity(std::string_view text, CelsiusReading celsius = CelsiusReading::Absolute);

/// Formats an SI value in the unit people use for its dimension ("50 um", "125 C", "3.5 GPa").
std::string format_quantity(double value_si, const Dimension& dimension);

/// Kelvin from degrees Celsius and back.
constexpr double kelvin_from_celsius(double celsius) { return celsius + 273.15; }
constexpr double celsius_from_kelvin(double kelvin) { return kelvin - 273.15; }

}  // namespace wlp::design
