#include "design/units.h"

#include <array>
#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <optional>

namespace wlp::design {
namespace {

// One unit symbol. Its SI value is numerator / denominator, kept apart so that "15 um" is
// 15 / 1e6 — the double nearest to 15e-6 — and a value written at a rule's limit equals it.
struct UnitAtom {
  std::string_view symbol;
  double numerator;
  double denominator;
  Dimension dimension;
};

// Every unit symbol the design language accepts. Prefixed forms are listed explicitly so that
// an unknown symbol is an error rather than a guess.
constexpr Dimension kOhm{2, 1, -3, 0, -2};
constexpr Dimension kWatt{2, 1, -3, 0, 0};
constexpr Dimension kJoule{2, 1, -2, 0, 0};
constexpr Dimension kNewton{1, 1, -2, 0, 0};
constexpr Dimension kVolt{2, 1, -3, 0, -1};
constexpr Dimension kFarad{-2, -1, 4, 0, 2};
constexpr Dimension kAmpere{0, 0, 0, 0, 1};
constexpr Dimension kKilogram{0, 1, 0, 0, 0};

constexpr std::array kAtoms{
    UnitAtom{"m", 1.0, 1.0, dims::length},        UnitAtom{"cm", 1.0, 1e2, dims::length},
    UnitAtom{"mm", 1.0, 1e3, dims::length},      UnitAtom{"um", 1.0, 1e6, dims::length},
    UnitAtom{"\xC2\xB5m", 1.0, 1e6, dims::length}, UnitAtom{"\xCE\xBCm", 1.0, 1e6, dims::length},
    UnitAtom{"nm", 1.0, 1e9, dims::length},      UnitAtom{"mil", 25.4, 1e6, dims::length},
    UnitAtom{"in", 25.4, 1e3, dims::length},   UnitAtom{"kg", 1.0, 1.0, kKilogram},
    UnitAtom{"g", 1.0, 1e3, kKilogram},          UnitAtom{"s", 1.0, 1.0, dims::time},
    UnitAtom{"ms", 1.0, 1e3, dims::time},        UnitAtom{"us", 1.0, 1e6, dims::time},
    UnitAtom{"min", 60.0, 1.0, dims::time},       UnitAtom{"h", 3600.0, 1.0, dims::time},
    UnitAtom{"day", 86400.0, 1.0, dims::time},    UnitAtom{"K", 1.0, 1.0, dims::temperature},
    UnitAtom{"C", 1.0, 1.0, dims::temperature},   UnitAtom{"degC", 1.0, 1.0, dims::temperature},
    UnitAtom{"\xC2\xB0""C", 1.0, 1.0, dims::temperature},
    UnitAtom{"Pa", 1.0, 1.0, dims::pressure},     UnitAtom{"kPa", 1e3, 1.0, dims::pressure},
    UnitAtom{"MPa", 1e6, 1.0, dims::pressure},    UnitAtom{"GPa", 1e9, 1.0, dims::pressure},
    UnitAtom{"psi", 6894.757293168361, 1.0, dims::pressure},
    UnitAtom{"ksi", 6894757.293168361, 1.0, dims::pressure},
    UnitAtom{"ppm", 1.0, 1e6, dims::dimensionless}, UnitAtom{"%", 1.0, 1e2, dims::dimensionless},
    UnitAtom{"ohm", 1.0, 1.0, kOhm},              UnitAtom{"mohm", 1.0, 1e3, kOhm},
    UnitAtom{"uohm", 1.0, 1e6, kOhm},            UnitAtom{"W", 1.0, 1.0, kWatt},
    UnitAtom{"J", 1.0, 1.0, kJoule},              UnitAtom{"N", 1.0, 1.0, kNewton},
    UnitAtom{"V", 1.0, 1.0, kVolt},               UnitAtom{"A", 1.0, 1.0, kAmpere},
    UnitAtom{"F", 1.0, 1.0, kFarad},              UnitAtom{"pF", 1.0, 1e12, kFarad},
    UnitAtom{"fF", 1.0, 1e15, kFarad},           UnitAtom{"Hz", 1.0, 1.0, dims::inverse_time},
    UnitAtom{"rpm", 1.0, 60.0, dims::inverse_time},
};

Dimension combined(Dimension a, const Dimension& b, int sign) {
  a.length = static_cast<std::int8_t>(a.length + sign * b.length);
  a.mass = static_cast<std::int8_t>(a.mass + sign * b.mass);
  a.time = static_cast<std::int8_t>(a.time + sign * b.time);
  a.temperature = static_cast<std::int8_t>(a.temperature + sign * b.temperature);
  a.current = static_cast<std::int8_t>(a.current + sign * b.current);
  return a;
}

Dimension powered(const Dimension& d, int exponent) {
  Dimension result;
  for (int i = 0; i < exponent; ++i) result = combined(result, d, +1);
  for (int i = 0; i > exponent; --i) result = combined(result, d, -1);
  return result;
}

bool is_celsius(std::string_view symbol) {
  return symbol == "C" || symbol == "degC" || symbol == "\xC2\xB0""C";
}

// A unit expression's SI factor as numerator / denominator, and its dimension.
struct ScaledUnit {
  double numerator = 1.0;
  double denominator = 1.0;
  Dimension dimension;
};

// Recursive-descent parser of a unit expression: term (('*' | '/') term)*,
// term = atom ('^' integer)?, atom = symbol | '1' | '(' expression ')'.
class UnitParser {
 public:
  UnitParser(std::string_view text, std::size_t base_offset) : text_(text), base_(base_offset) {}

  ScaledUnit parse() {
    ScaledUnit result = expression();
    skip_spaces();
    if (pos_ != text_.size()) fail(fmt::format("unexpected '{}' in unit", text_.substr(pos_)));
    return result;
  }
  [[nodiscard]] bool only_celsius() const { return n_atoms_ == 1 && saw_celsius_; }

 private:
  ScaledUnit expression() {
    ScaledUnit result = term();
    while (true) {
      skip_spaces();
      if (pos_ >= text_.size() || (text_[pos_] != '*' && text_[pos_] != '/')) return result;
      const bool is_product = text_[pos_] == '*';
      ++pos_;
      const ScaledUnit next = term();
      result.numerator *= is_product ? next.numerator : next.denominator;
      result.denominator *= is_product ? next.denominator : next.numerator;
      result.dimension = combined(result.dimension, next.dimension, is_product ? +1 : -1);
    }
  }

  ScaledUnit term() {
    ScaledUnit base = atom();
    skip_spaces();
    if (pos_ < text_.size() && text_[pos_] == '^') {
      ++pos_;
      const int exponent = integer();
      const double numerator = std::pow(base.numerator, std::abs(exponent));
      const double denominator = std::pow(base.denominator, std::abs(exponent));
      base.numerator = exponent >= 0 ? numerator : denominator;
      base.denominator = exponent >= 0 ? denominator : numerator;
      base.dimension = powered(base.dimension, exponent);
    }
    return base;
  }

  ScaledUnit atom() {
    skip_spaces();
    if (pos_ >= text_.size()) fail("missing unit after operator");
    if (text_[pos_] == '(') {
      ++pos_;
      ScaledUnit inner = expression();
      skip_spaces();
      if (pos_ >= text_.size() || text_[pos_] != ')') fail("missing ')' in unit");
      ++pos_;
      return inner;
    }
    if (text_[pos_] == '1') {
      ++pos_;
      return ScaledUnit{};
    }
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '*' && text_[pos_] != '/' && text_[pos_] != '^' &&
           text_[pos_] != ' ' && text_[pos_] != ')' && text_[pos_] != '(')
      ++pos_;
    const std::string_view symbol = text_.substr(start, pos_ - start);
    for (const UnitAtom& known : kAtoms) {
      if (known.symbol == symbol) {
        ++n_atoms_;
        saw_celsius_ = saw_celsius_ || is_celsius(symbol);
        return ScaledUnit{known.numerator, known.denominator, known.dimension};
      }
    }
    pos_ = start;
    fail(fmt::format("unknown unit '{}'", symbol));
  }

  int integer() {
    skip_spaces();
    const char* begin = text_.data() + pos_;
    int value = 0;
    const auto [end, error] = std::from_chars(begin, text_.data() + text_.size(), value);
    if (error != std::errc{} || value < -12 || value > 12) fail("expected an integer exponent from -12 to 12 after '^'");
    pos_ += static_cast<std::size_t>(end - begin);
    return value;
  }

  void skip_spaces() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }

  [[noreturn]] void fail(const std::string& message) const { throw UnitError(message, base_ + pos_); }

  std::string_view text_;
  std::size_t base_;
  std::size_t pos_ = 0;
  int n_atoms_ = 0;
  bool saw_celsius_ = false;
};

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

Quantity parse_quantity(std::string_view text, CelsiusReading celsius) {
  // Text copied from a PDF often writes the minus sign as U+2212 ("−40 C"): read it as '-'.
  static constexpr std::string_view kUnicodeMinus = "\xE2\x88\x92";
  if (const std::size_t start = text.find_first_not_of(" \t");
      start != std::string_view::npos && text.substr(start, kUnicodeMinus.size()) == kUnicodeMinus) {
    try {
      return parse_quantity(std::string(text.substr(0, start)) + "-" +
                            std::string(text.substr(start + kUnicodeMinus.size())),
                            celsius);
    } catch (const UnitError& error) {  // report the offset in the text as written
      throw UnitError(error.what(), error.offset > start ? error.offset + kUnicodeMinus.size() - 1 : error.offset);
    }
  }
  const std::size_t leading = text.find_first_not_of(" \t");
  if (leading == std::string_view::npos) throw UnitError("empty quantity: expected a number and a unit", 0);
  const std::string_view body = trimmed(text);
  const char* begin = body.data();
  const char* first = begin + (body.front() == '+' ? 1 : 0);
  double number = 0.0;
  const auto [end, error] = std::from_chars(first, begin + body.size(), number);
  if (error != std::errc{} || end == first)
    throw UnitError(fmt::format("'{}' does not start with a number", body), leading);
  if (!std::isfinite(number)) throw UnitError("the number is not finite", leading);
  const std::string_view unit_text = body.substr(static_cast<std::size_t>(end - begin));
  if (trimmed(unit_text).empty()) return Quantity{number, dims::dimensionless};
  UnitParser parser(unit_text, leading + static_cast<std::size_t>(end - begin));
  const ScaledUnit unit = parser.parse();
  if (parser.only_celsius() && unit.dimension == dims::temperature && celsius == CelsiusReading::Absolute)
    return Quantity{kelvin_from_celsius(number), dims::temperature};  // absolute temperature
  const double value = number * unit.numerator / unit.denominator;
  if (!std::isfinite(value)) throw UnitError("the value is out of range", leading);
  return Quantity{value, unit.dimension};
}

std::string Dimension::name() const {
  struct Named {
    Dimension dimension;
    const char* name;
  };
  static constexpr std::array kNames{
      Named{dims::dimensionless, "dimensionless"}, Named{dims::length, "length"},
      Named{dims::temperature, "temperature"},     Named{dims::time, "time"},
      Named{dims::pressure, "pressure"},           Named{dims::inverse_pressure, "1/pressure"},
      Named{dims::inverse_temperature, "1/temperature"}, Named{dims::inverse_time, "1/time"},
      Named{dims::density, "density"},             Named{dims::resistivity, "resistivity"},
      Named{dims::thermal_conductivity, "thermal conductivity"},
      Named{dims::temperature_rate, "temperature rate"}, Named{dims::area, "area"},
      Named{dims::stiffness, "force per length"},
  };
  for (const Named& entry : kNames)
    if (entry.dimension == *this) return entry.name;
  std::string text;
  const std::array<std::pair<const char*, int>, 5> parts{
      {{"m", length}, {"kg", mass}, {"s", time}, {"K", temperature}, {"A", current}}};
  for (const auto& [symbol, exponent] : parts) {
    if (exponent == 0) continue;
    if (!text.empty()) text += "*";
    text += exponent == 1 ? std::string(symbol) : fmt::format("{}^{}", symbol, exponent);
  }
  return text;
}

std::string Dimension::example_units() const {
  if (*this == dims::length) return "e.g. \"50 um\", \"0.4 mm\"";
  if (*this == dims::temperature) return "e.g. \"125 C\", \"398 K\"";
  if (*this == dims::time) return "e.g. \"15 min\", \"30 s\"";
  if (*this == dims::pressure) return "e.g. \"3.5 GPa\", \"21 MPa\"";
  if (*this == dims::inverse_temperature) return "e.g. \"17.7 ppm/K\"";
  if (*this == dims::temperature_rate) return "e.g. \"11 C/min\", \"0.2 K/s\"";
  if (*this == dims::inverse_time) return "e.g. \"3501 1/s\"";
  if (*this == dims::inverse_pressure) return "e.g. \"0.02447 1/MPa\"";
  if (*this == dims::density) return "e.g. \"8960 kg/m^3\"";
  if (*this == dims::resistivity) return "e.g. \"1.7e-8 ohm*m\"";
  if (*this == dims::thermal_conductivity) return "e.g. \"390 W/m/K\"";
  if (*this == dims::dimensionless) return "a bare number";
  return "a unit of " + name();
}

std::string format_quantity(double value_si, const Dimension& dimension) {
  if (dimension == dims::length) {
    const double magnitude = std::abs(value_si);
    if (magnitude >= 1e-3) return fmt::format("{:g} mm", value_si * 1e3);
    if (magnitude >= 1e-7 || magnitude == 0.0) return fmt::format("{:g} um", value_si * 1e6);
    return fmt::format("{:g} nm", value_si * 1e9);
  }
  if (dimension == dims::temperature) return fmt::format("{:g} C", celsius_from_kelvin(value_si));
  if (dimension == dims::pressure) {
    if (std::abs(value_si) >= 1e9) return fmt::format("{:g} GPa", value_si * 1e-9);
    return fmt::format("{:g} MPa", value_si * 1e-6);
  }
  if (dimension == dims::time) {
    if (std::abs(value_si) >= 60.0) return fmt::format("{:g} min", value_si / 60.0);
    return fmt::format("{:g} s", value_si);
  }
  if (dimension == dims::inverse_temperature) return fmt::format("{:g} ppm/K", value_si * 1e6);
  if (dimension == dims::temperature_rate) return fmt::format("{:g} K/min", value_si * 60.0);
  if (dimension == dims::dimensionless) return fmt::format("{:g}", value_si);
  if (dimension == dims::density) return fmt::format("{:g} kg/m^3", value_si);
  if (dimension == dims::resistivity) return fmt::format("{:g} ohm*m", value_si);
  if (dimension == dims::thermal_conductivity) return fmt::format("{:g} W/m/K", value_si);
  if (dimension == dims::inverse_time) return fmt::format("{:g} 1/s", value_si);
  if (dimension == dims::area) return fmt::format("{:g} um^2", value_si * 1e12);
  if (dimension == dims::stiffness) return fmt::format("{:.4g} N/m", value_si);
  if (dimension == dims::inverse_pressure) return fmt::format("{:g} 1/MPa", value_si * 1e6);
  return fmt::format("{:g} {}", value_si, dimension.name());
}

}  // namespace wlp::design
