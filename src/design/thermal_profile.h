// Thermal-cycling profiles: the named test conditions of the standards, and the temperature
// history a simulation follows (piecewise linear in time, from the stress-free temperature).
//
// Pure data and arithmetic, no FE: the FE engine converts a TemperatureSchedule to its own time
// stepping. Kelvin and seconds throughout.
//
// The history (docs/design-format.md, "The temperature history"):
//   t = 0: the stress-free temperature;
//   start ramp: to the first temperature of the cycle at the cycle's fastest ramp rate
//               (left out when the two temperatures are equal);
//   n cycles: each one the cycle's breakpoints shifted by the cycle's start time.
// A trapezoid profile's cycle begins at T_max: dwell at T_max, ramp to T_min, dwell at T_min,
// ramp back to T_max. So the start ramp heats (or, from a stress-free temperature above T_max
// such as the solder's solidus, cools) to T_max, and every cycle begins and ends at the same
// phase, which is what per-cycle quantities (the stabilised ΔW of Darveaux's method,
// physics-data.md §3.1) need.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "design/analyses.h"

namespace wlp::design {

/// A named thermal-cycling condition of a standard: its two extremes.
struct CyclingCondition {
  std::string_view name;  // as written in the design file: "JESD22-A104-G", "IPC-9701-TC3"
  double t_min_K = 0;
  double t_max_K = 0;
};

/// Every named condition: JESD22-A104 A, B, C, G, H, I, J, K, L, M, N, then IPC-9701 TC1..TC5.
const std::vector<CyclingCondition>& cycling_conditions();

/// The condition called `name` (exact spelling), or nullptr.
const CyclingCondition* find_cycling_condition(std::string_view name);

/// Why a custom cycle table cannot be used: the index of the offending point and what is wrong.
struct CycleTableProblem {
  std::size_t index = 0;
  std::string message;
};

/// The first problem of a custom cycle table, or nullopt when it is usable: at least three
/// points, the first at time 0, times strictly ascending, first and last temperature equal,
/// temperatures not all equal.
std::optional<CycleTableProblem> first_problem(const std::vector<ProfilePoint>& points);

/// Thrown by the schedule functions for a profile that cannot be followed (a hand-built
/// ThermalCycling with t_max <= t_min, a non-positive dwell or ramp, a bad table, n_cycles < 1)
/// or a time outside the schedule. The message carries the numbers.
class ScheduleError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One cycle as breakpoints from the cycle's start: the custom table itself, or the trapezoid
/// (0, T_max), (dwell, T_max), (dwell + ramp, T_min), (2 dwell + ramp, T_min), (2 dwell + 2 ramp, T_max).
std::vector<ProfilePoint> one_cycle(const ThermalCycling& cycling);

/// Duration of one cycle [s]: 2·dwell + 2·ramp for a trapezoid (3600 s for 15/15 min).
double cycle_period_s(const ThermalCycling& cycling);

/// The piecewise-linear temperature history a simulation follows.
struct TemperatureSchedule {
  std::vector<double> time_s;              // breakpoints, strictly ascending, from 0
  std::vector<double> temperature_K;       // at each breakpoint; linear in between
  std::vector<std::string> segment_names;  // segment i runs from breakpoint i to i + 1:
                                           // "start-ramp", "c1.hot-dwell", "c1.ramp-down", ...
  std::vector<double> cycle_start_s;       // per cycle, n_cycles entries
  std::vector<double> cycle_end_s;         // per cycle; the last one is the end of the history

  [[nodiscard]] std::size_t n_breakpoints() const { return time_s.size(); }
  [[nodiscard]] std::size_t n_cycles() const { return cycle_end_s.size(); }
};

/// The history of `n_cycles` cycles of `cycling` from its stress-free temperature (see the
/// file comment). Throws ScheduleError when the profile cannot be followed or n_cycles < 1.
TemperatureSchedule temperature_schedule(const ThermalCycling& cycling, int n_cycles);

/// Same with the design's number of cycles (cycling.n_cycles).
TemperatureSchedule temperature_schedule(const ThermalCycling& cycling);

/// Temperature at `time_s` by linear interpolation between breakpoints. Throws ScheduleError
/// outside [0, end].
double temperature_at(const TemperatureSchedule& schedule, double time_s);

}  // namespace wlp::design
