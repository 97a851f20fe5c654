#include "fem/temperature_history.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace wlp::fem {

double TemperatureHistory::temperature_at(double at_time_s) const {
  if (time_s.empty()) return 0;
  if (at_time_s <= time_s.front()) return temperature_K.front();
  if (at_time_s >= time_s.back()) return temperature_K.back();
  const auto upper = std::upper_bound(time_s.begin(), time_s.end(), at_time_s);
  const std::size_t i = static_cast<std::size_t>(upper - time_s.begin());
  if (time_s[i - 1] == at_time_s) return temperature_K[i - 1];  // a knot gives its own value exactly
  const double weight = (at_time_s - time_s[i - 1]) / (time_s[i] - time_s[i - 1]);
  return temperature_K[i - 1] + weight * (temperature_K[i] - temperature_K[i - 1]);
}

std::vector<double> TemperatureHistory::landing_times(double from_s, double to_s) const {
  std::vector<double> times;
  for (double t : time_s)
    if (t > from_s && t < to_s) times.push_back(t);
  for (double t : breakpoints_s)
    if (t > from_s && t < to_s) times.push_back(t);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  times.push_back(to_s);
  return times;
}

void TemperatureHistory::validate() const {
  if (time_s.empty() || time_s.size() != temperature_K.size())
    throw std::invalid_argument("temperature history: " + std::to_string(time_s.size()) + " times and " +
                                std::to_string(temperature_K.size()) + " temperatures (need the same, at least one)");
  for (std::size_t i = 0; i < time_s.size(); ++i) {
    if (!std::isfinite(time_s[i]) || !(temperature_K[i] > 0))
      throw std::invalid_argument("temperature history: point " + std::to_string(i) + " (" + std::to_string(time_s[i]) +
                                  " s, " + std::to_string(temperature_K[i]) + " K) is not a finite time with T > 0 K");
    if (i > 0 && !(time_s[i] > time_s[i - 1]))
      throw std::invalid_argument("temperature history: time " + std::to_string(time_s[i]) + " s at point " +
                                  std::to_string(i) + " does not increase");
  }
}

namespace {
void append(TemperatureHistory& history, double duration_s, double temperature_K) {
  if (duration_s <= 0) return;
  history.time_s.push_back(history.time_s.back() + duration_s);
  history.temperature_K.push_back(temperature_K);
}
}  // namespace

TemperatureHistory thermal_cycles(const ThermalCycleSpec& spec) {
  if (!(spec.upper_K > spec.lower_K) || !(spec.ramp_s > 0) || spec.dwell_s < 0 || spec.n_cycles < 1)
    throw std::invalid_argument("thermal cycle: need upper > lower temperature, ramp > 0, dwell ≥ 0 and at least one cycle");
  const double rate_K_per_s = (spec.upper_K - spec.lower_K) / spec.ramp_s;
  TemperatureHistory history{{0.0}, {spec.start_K}, {}};
  append(history, std::abs(spec.upper_K - spec.start_K) / rate_K_per_s, spec.upper_K);
  for (int cycle = 0; cycle < spec.n_cycles; ++cycle) {
    append(history, spec.dwell_s, spec.upper_K);
    append(history, spec.ramp_s, spec.lower_K);
    append(history, spec.dwell_s, spec.lower_K);
    append(history, spec.ramp_s, spec.upper_K);
    history.breakpoints_s.push_back(history.time_s.back());
  }
  return history;
}

std::vector<double> cycle_end_times_s(const ThermalCycleSpec& spec) { return thermal_cycles(spec).breakpoints_s; }

}  // namespace wlp::fem
