// The temperature history that drives a thermo-mechanical run: uniform in space, piecewise linear
// in time. Increments land exactly on every knot of the table and on the extra breakpoints (cycle
// ends), so that the temperature is linear inside every increment.
#pragma once

#include <vector>

namespace wlp::fem {

struct TemperatureHistory {
  std::vector<double> time_s;          // strictly increasing
  std::vector<double> temperature_K;   // one per time
  std::vector<double> breakpoints_s;   // further times increments must land on (knots are always included)

  /// Linear interpolation; constant outside the table.
  [[nodiscard]] double temperature_at(double at_time_s) const;
  /// The knots and breakpoints in (from_s, to_s], sorted, without duplicates, ending with to_s.
  [[nodiscard]] std::vector<double> landing_times(double from_s, double to_s) const;
  /// Throws std::invalid_argument (with the offending index and values) on an empty table,
  /// mismatched sizes, non-increasing times or non-positive temperatures.
  void validate() const;
};

/// A JEDEC-style thermal cycle (JESD22-A104, physics-data.md §4): from `start_K` (the stress-free
/// temperature) ramp to the upper temperature, then `n_cycles` × (upper dwell, ramp down, lower
/// dwell, ramp up). Ramps run at (upper − lower)/ramp_s. Cycle ends are breakpoints.
struct ThermalCycleSpec {
  double start_K = 298.15;
  double lower_K = 233.15, upper_K = 398.15;   // condition G: −40 / 125 °C
  double ramp_s = 900, dwell_s = 900;          // 15 min ramps and dwells
  int n_cycles = 3;
};

TemperatureHistory thermal_cycles(const ThermalCycleSpec& spec);

/// The end time of every cycle of `thermal_cycles(spec)` (the first is the end of cycle 1).
std::vector<double> cycle_end_times_s(const ThermalCycleSpec& spec);

}  // namespace wlp::fem
