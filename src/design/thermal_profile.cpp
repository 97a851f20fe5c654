// Named thermal-cycling conditions and the temperature history of a simulation
// (design/thermal_profile.h).
#include "design/thermal_profile.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>

#include "design/units.h"

namespace wlp::design {
namespace {

CyclingCondition condition(std::string_view name, double t_min_C, double t_max_C) {
  return CyclingCondition{name, kelvin_from_celsius(t_min_C), kelvin_from_celsius(t_max_C)};
}

std::string celsius_text(double temperature_K) { return format_quantity(temperature_K, dims::temperature); }

void check_trapezoid(const ThermalCycling& cycling) {
  if (!(cycling.t_max_K > cycling.t_min_K))
    throw ScheduleError(fmt::format("profile {}: T_max {} must be above T_min {}", cycling.profile,
                                    celsius_text(cycling.t_max_K), celsius_text(cycling.t_min_K)));
  if (!(cycling.dwell_s > 0) || !(cycling.ramp_s > 0))
    throw ScheduleError(fmt::format("profile {}: dwell {} s and ramp {} s must both be greater than zero",
                                    cycling.profile, cycling.dwell_s, cycling.ramp_s));
}

void check_profile(const ThermalCycling& cycling, int n_cycles) {
  if (n_cycles < 1) throw ScheduleError(fmt::format("{} cycles: a schedule needs at least one cycle", n_cycles));
  if (!(cycling.stress_free_K > 0))
    throw ScheduleError(fmt::format("stress-free temperature {} K is not above absolute zero", cycling.stress_free_K));
  if (cycling.points.empty()) {
    check_trapezoid(cycling);
    return;
  }
  if (const auto problem = first_problem(cycling.points))
    throw ScheduleError(fmt::format("profile {}: point {}: {}", cycling.profile, problem->index, problem->message));
}

// Largest |dT/dt| over the cycle's segments [K/s]: the chamber's ramp rate.
double fastest_rate_K_per_s(const std::vector<ProfilePoint>& cycle) {
  double fastest = 0;
  for (std::size_t i = 1; i < cycle.size(); ++i) {
    const double rate = std::abs(cycle[i].temperature_K - cycle[i - 1].temperature_K) /
                        (cycle[i].time_s - cycle[i - 1].time_s);
    fastest = std::max(fastest, rate);
  }
  return fastest;
}

// What a segment of the cycle does: hot-dwell, cold-dwell, dwell, ramp-up or ramp-down.
std::string segment_kind(const ProfilePoint& from, const ProfilePoint& to, double t_min_K, double t_max_K) {
  if (to.temperature_K > from.temperature_K) return "ramp-up";
  if (to.temperature_K < from.temperature_K) return "ramp-down";
  if (from.temperature_K == t_max_K) return "hot-dwell";
  if (from.temperature_K == t_min_K) return "cold-dwell";
  return "dwell";
}

// Names of the segments of one cycle; a kind that repeats within the cycle gets "-2", "-3", ...
std::vector<std::string> segment_kinds(const std::vector<ProfilePoint>& cycle) {
  const auto [coldest, hottest] = std::minmax_element(
      cycle.begin(), cycle.end(), [](const ProfilePoint& a, const ProfilePoint& b) { return a.temperature_K < b.temperature_K; });
  std::map<std::string, int> n_seen;
  std::vector<std::string> kinds;
  for (std::size_t i = 1; i < cycle.size(); ++i) {
    const std::string kind = segment_kind(cycle[i - 1], cycle[i], coldest->temperature_K, hottest->temperature_K);
    const int n = ++n_seen[kind];
    kinds.push_back(n == 1 ? kind : fmt::format("{}-{}", kind, n));
  }
  return kinds;
}

void add_breakpoint(TemperatureSchedule& schedule, double time_s, double temperature_K, std::string segment_name) {
  schedule.time_s.push_back(time_s);
  schedule.temperature_K.push_back(temperature_K);
  schedule.segment_names.push_back(std::move(segment_name));
}

}  // namespace

// JESD22-A104 (rev. D 2009 onward) Table 1 conditions and IPC-9701A TC1..TC5, as collected in
// shared/reference/physics-data.md §4 (T_min ↔ T_max in °C).
const std::vector<CyclingCondition>& cycling_conditions() {
  static const std::vector<CyclingCondition> kConditions{
      condition("JESD22-A104-A", -55, 85),  condition("JESD22-A104-B", -55, 125), condition("JESD22-A104-C", -65, 150),
      condition("JESD22-A104-G", -40, 125), condition("JESD22-A104-H", -55, 150), condition("JESD22-A104-I", -40, 115),
      condition("JESD22-A104-J", 0, 100),   condition("JESD22-A104-K", 0, 125),   condition("JESD22-A104-L", -55, 110),
      condition("JESD22-A104-M", -40, 150), condition("JESD22-A104-N", -40, 85),  condition("IPC-9701-TC1", 0, 100),
      condition("IPC-9701-TC2", -25, 100),  condition("IPC-9701-TC3", -40, 125),  condition("IPC-9701-TC4", -55, 125),
      condition("IPC-9701-TC5", -55, 100)};
  return kConditions;
}

const CyclingCondition* find_cycling_condition(std::string_view name) {
  for (const CyclingCondition& known : cycling_conditions())
    if (known.name == name) return &known;
  return nullptr;
}

std::optional<CycleTableProblem> first_problem(const std::vector<ProfilePoint>& points) {
  if (points.size() < 3)
    return CycleTableProblem{points.empty() ? 0 : points.size() - 1,
                             fmt::format("a cycle needs at least 3 points (out, back and closed); got {}", points.size())};
  if (points.front().time_s != 0.0)
    return CycleTableProblem{0, fmt::format("the first point is at {} s; a cycle table starts at time 0",
                                            points.front().time_s)};
  for (std::size_t i = 1; i < points.size(); ++i)
    if (!(points[i].time_s > points[i - 1].time_s))
      return CycleTableProblem{i, fmt::format("time {} s is not after the previous point's {} s; times must ascend",
                                              points[i].time_s, points[i - 1].time_s)};
  if (points.back().temperature_K != points.front().temperature_K)
    return CycleTableProblem{points.size() - 1,
                             fmt::format("the cycle is open: it ends at {} but starts at {}; the last temperature must "
                                         "equal the first",
                                         celsius_text(points.back().temperature_K),
                                         celsius_text(points.front().temperature_K))};
  const auto differs = [&](const ProfilePoint& point) { return point.temperature_K != points.front().temperature_K; };
  if (std::none_of(points.begin(), points.end(), differs))
    return CycleTableProblem{0, fmt::format("every temperature is {}; a cycle needs two different temperatures",
                                            celsius_text(points.front().temperature_K))};
  return std::nullopt;
}

std::vector<ProfilePoint> one_cycle(const ThermalCycling& cycling) {
  if (!cycling.points.empty()) return cycling.points;
  const double dwell = cycling.dwell_s, ramp = cycling.ramp_s;
  return {{0, cycling.t_max_K},
          {dwell, cycling.t_max_K},
          {dwell + ramp, cycling.t_min_K},
          {2 * dwell + ramp, cycling.t_min_K},
          {2 * dwell + 2 * ramp, cycling.t_max_K}};
}

double cycle_period_s(const ThermalCycling& cycling) { return one_cycle(cycling).back().time_s; }

TemperatureSchedule temperature_schedule(const ThermalCycling& cycling, int n_cycles) {
  check_profile(cycling, n_cycles);
  const std::vector<ProfilePoint> cycle = one_cycle(cycling);
  const std::vector<std::string> kinds = segment_kinds(cycle);
  const double period_s = cycle.back().time_s;
  TemperatureSchedule schedule;
  schedule.time_s.push_back(0.0);
  schedule.temperature_K.push_back(cycling.stress_free_K);
  double cycle_start_s = 0.0;
  const double first_K = cycle.front().temperature_K;
  if (first_K != cycling.stress_free_K) {
    cycle_start_s = std::abs(first_K - cycling.stress_free_K) / fastest_rate_K_per_s(cycle);  // Δt = |ΔT| / rate
    add_breakpoint(schedule, cycle_start_s, first_K, "start-ramp");
  }
  for (int k = 1; k <= n_cycles; ++k) {
    schedule.cycle_start_s.push_back(cycle_start_s);
    for (std::size_t j = 1; j < cycle.size(); ++j)
      add_breakpoint(schedule, cycle_start_s + cycle[j].time_s, cycle[j].temperature_K,
                     fmt::format("c{}.{}", k, kinds[j - 1]));
    cycle_start_s += period_s;
    schedule.cycle_end_s.push_back(cycle_start_s);
  }
  return schedule;
}

TemperatureSchedule temperature_schedule(const ThermalCycling& cycling) {
  return temperature_schedule(cycling, cycling.n_cycles);
}

double temperature_at(const TemperatureSchedule& schedule, double time_s) {
  if (schedule.time_s.empty() || !(time_s >= 0.0) || time_s > schedule.time_s.back())
    throw ScheduleError(fmt::format("time {} s is outside the schedule [0, {} s]", time_s,
                                    schedule.time_s.empty() ? 0.0 : schedule.time_s.back()));
  const auto after = std::upper_bound(schedule.time_s.begin(), schedule.time_s.end(), time_s);
  if (after == schedule.time_s.end()) return schedule.temperature_K.back();
  const auto i = static_cast<std::size_t>(after - schedule.time_s.begin());
  const double t0 = schedule.time_s[i - 1], t1 = schedule.time_s[i];
  const double fraction = (time_s - t0) / (t1 - t0);
  return schedule.temperature_K[i - 1] + fraction * (schedule.temperature_K[i] - schedule.temperature_K[i - 1]);
}

}  // namespace wlp::design
