// Thermal-cycling profiles (design/thermal_profile.h): the named conditions against the values
// of the standards, and the temperature history against hand arithmetic of the trapezoid
// (period 2·dwell + 2·ramp; start ramp |T_first − T_stress_free| / rate).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "design/thermal_profile.h"
#include "design/units.h"

namespace wlp::design {
namespace {

constexpr double kTimeTolerance_s = 1e-9;  // sums of a few exact multiples of 900 s
constexpr double kExact = 0.0;             // temperatures are copied, never computed

// JESD22-A104 condition G with the usual 15 min dwell / 15 min ramp (physics-data.md §4,
// "cond. G, 15 min dwell / 15 min ramp (11 °C/min), 1 cycle/h"), stress-free at 25 °C.
ThermalCycling condition_g_15_15() {
  ThermalCycling cycling;
  cycling.profile = "JESD22-A104-G";
  cycling.t_min_K = kelvin_from_celsius(-40);
  cycling.t_max_K = kelvin_from_celsius(125);
  cycling.dwell_s = 900;
  cycling.ramp_s = 900;
  cycling.stress_free_K = kelvin_from_celsius(25);
  return cycling;
}

struct PublishedCondition {
  std::string name;
  double t_min_C, t_max_C;
};

// JESD22-A104 Table 1 (rev. D 2009 onward) as listed in shared/reference/physics-data.md §4.
TEST(CyclingConditions, every_jesd22_a104_condition_has_the_published_extremes) {
  const std::vector<PublishedCondition> published{
      {"A", -55, 85},  {"B", -55, 125}, {"C", -65, 150}, {"G", -40, 125}, {"H", -55, 150}, {"I", -40, 115},
      {"J", 0, 100},   {"K", 0, 125},   {"L", -55, 110}, {"M", -40, 150}, {"N", -40, 85}};
  for (const PublishedCondition& expected : published) {
    const CyclingCondition* found = find_cycling_condition("JESD22-A104-" + expected.name);
    ASSERT_NE(found, nullptr) << expected.name;
    EXPECT_NEAR(found->t_min_K, expected.t_min_C + 273.15, 1e-12) << expected.name;
    EXPECT_NEAR(found->t_max_K, expected.t_max_C + 273.15, 1e-12) << expected.name;
  }
}

// IPC-9701A TC1..TC5 (physics-data.md §4).
TEST(CyclingConditions, every_ipc_9701_condition_has_the_published_extremes) {
  const std::vector<PublishedCondition> published{
      {"TC1", 0, 100}, {"TC2", -25, 100}, {"TC3", -40, 125}, {"TC4", -55, 125}, {"TC5", -55, 100}};
  for (const PublishedCondition& expected : published) {
    const CyclingCondition* found = find_cycling_condition("IPC-9701-" + expected.name);
    ASSERT_NE(found, nullptr) << expected.name;
    EXPECT_NEAR(found->t_min_K, expected.t_min_C + 273.15, 1e-12) << expected.name;
    EXPECT_NEAR(found->t_max_K, expected.t_max_C + 273.15, 1e-12) << expected.name;
  }
}

TEST(CyclingConditions, the_table_holds_the_sixteen_named_conditions_and_no_bare_letters) {
  EXPECT_EQ(cycling_conditions().size(), 16u);  // 11 JESD22-A104 + 5 IPC-9701
  EXPECT_EQ(find_cycling_condition("G"), nullptr);
  EXPECT_EQ(find_cycling_condition("TC3"), nullptr);
  EXPECT_EQ(find_cycling_condition("jesd22-a104-g"), nullptr);  // exact spelling only
}

TEST(TemperatureSchedule, condition_g_15_15_has_a_period_of_3600_s) {
  EXPECT_NEAR(cycle_period_s(condition_g_15_15()), 2 * 900.0 + 2 * 900.0, kTimeTolerance_s);
}

// From 25 °C the start ramp heats to 125 °C at the cycle's rate, 165 K per 900 s:
// 100 K / (165 K / 900 s) = 545.4545… s. Then dwell, ramp down, dwell, ramp up, 900 s each.
TEST(TemperatureSchedule, condition_g_history_has_its_breakpoints_at_the_trapezoid_corners) {
  const ThermalCycling cycling = condition_g_15_15();
  const TemperatureSchedule schedule = temperature_schedule(cycling, 3);
  const double start_ramp_s = 100.0 * 900.0 / 165.0;
  const double hot = kelvin_from_celsius(125), cold = kelvin_from_celsius(-40);
  ASSERT_EQ(schedule.n_breakpoints(), 2u + 4u * 3u);
  ASSERT_EQ(schedule.segment_names.size(), schedule.n_breakpoints() - 1);
  EXPECT_EQ(schedule.time_s[0], 0.0);
  EXPECT_NEAR(schedule.temperature_K[0], kelvin_from_celsius(25), kExact);
  EXPECT_NEAR(schedule.time_s[1], start_ramp_s, kTimeTolerance_s);
  EXPECT_EQ(schedule.segment_names[0], "start-ramp");
  const std::vector<double> corner_K{hot, cold, cold, hot};  // after dwell, ramp, dwell, ramp
  const std::vector<std::string> kinds{"hot-dwell", "ramp-down", "cold-dwell", "ramp-up"};
  for (std::size_t cycle = 0; cycle < 3; ++cycle) {
    for (std::size_t j = 0; j < 4; ++j) {
      const std::size_t i = 2 + 4 * cycle + j;
      EXPECT_NEAR(schedule.time_s[i], start_ramp_s + 3600.0 * static_cast<double>(cycle) + 900.0 * static_cast<double>(j + 1),
                  kTimeTolerance_s) << i;
      EXPECT_NEAR(schedule.temperature_K[i], corner_K[j], kExact) << i;
      EXPECT_EQ(schedule.segment_names[i - 1], "c" + std::to_string(cycle + 1) + "." + kinds[j]);
    }
    EXPECT_NEAR(schedule.cycle_start_s[cycle], start_ramp_s + 3600.0 * static_cast<double>(cycle), kTimeTolerance_s);
    EXPECT_NEAR(schedule.cycle_end_s[cycle], start_ramp_s + 3600.0 * static_cast<double>(cycle + 1), kTimeTolerance_s);
  }
}

TEST(TemperatureSchedule, n_cycles_give_4n_plus_2_breakpoints_and_end_at_start_ramp_plus_n_periods) {
  const ThermalCycling cycling = condition_g_15_15();
  for (int n_cycles = 1; n_cycles <= 6; ++n_cycles) {
    const TemperatureSchedule schedule = temperature_schedule(cycling, n_cycles);
    const auto n = static_cast<std::size_t>(n_cycles);
    EXPECT_EQ(schedule.n_breakpoints(), 4 * n + 2) << n_cycles;
    EXPECT_EQ(schedule.n_cycles(), n);
    EXPECT_NEAR(schedule.time_s.back(), 100.0 * 900.0 / 165.0 + 3600.0 * n_cycles, kTimeTolerance_s);
    EXPECT_NEAR(schedule.temperature_K.back(), kelvin_from_celsius(125), kExact);
  }
}

TEST(TemperatureSchedule, the_design_cycle_count_is_used_when_none_is_given) {
  ThermalCycling cycling = condition_g_15_15();
  cycling.n_cycles = 5;
  EXPECT_EQ(temperature_schedule(cycling).n_cycles(), 5u);
  EXPECT_EQ(temperature_schedule(cycling).n_breakpoints(), 4u * 5u + 2u);
}

TEST(TemperatureSchedule, no_start_ramp_when_the_stress_free_temperature_is_t_max) {
  ThermalCycling cycling = condition_g_15_15();
  cycling.stress_free_K = cycling.t_max_K;
  const TemperatureSchedule schedule = temperature_schedule(cycling, 2);
  EXPECT_EQ(schedule.n_breakpoints(), 1u + 4u * 2u);
  EXPECT_EQ(schedule.segment_names.front(), "c1.hot-dwell");
  EXPECT_NEAR(schedule.time_s.back(), 2 * 3600.0, kTimeTolerance_s);
}

// A stress-free temperature at the SAC305 solidus (217 °C, physics-data.md §1.2) is above T_max:
// the start ramp cools 92 K at 165 K / 900 s, i.e. 501.8181… s.
TEST(TemperatureSchedule, a_stress_free_temperature_above_t_max_starts_by_cooling) {
  ThermalCycling cycling = condition_g_15_15();
  cycling.stress_free_K = kelvin_from_celsius(217);
  const TemperatureSchedule schedule = temperature_schedule(cycling, 1);
  EXPECT_NEAR(schedule.time_s[1], 92.0 * 900.0 / 165.0, kTimeTolerance_s);
  EXPECT_LT(schedule.temperature_K[1], schedule.temperature_K[0]);
  EXPECT_NEAR(schedule.temperature_K[1], kelvin_from_celsius(125), kExact);
}

// A custom cycle starting at 25 °C: the stress-free temperature equals its first point, so the
// history is the table repeated; kinds repeat with a suffix.
TEST(TemperatureSchedule, a_custom_table_is_repeated_from_its_first_point) {
  ThermalCycling cycling;
  cycling.profile = "custom";
  cycling.stress_free_K = kelvin_from_celsius(25);
  const double room = kelvin_from_celsius(25), hot = kelvin_from_celsius(125), cold = kelvin_from_celsius(-40);
  cycling.points = {{0, room}, {600, hot}, {1500, hot}, {2700, cold}, {3600, cold}, {4200, room}};
  const TemperatureSchedule schedule = temperature_schedule(cycling, 2);
  ASSERT_EQ(schedule.n_breakpoints(), 1u + 5u * 2u);
  const std::vector<std::string> kinds{"ramp-up", "hot-dwell", "ramp-down", "cold-dwell", "ramp-up-2"};
  for (std::size_t cycle = 0; cycle < 2; ++cycle) {
    for (std::size_t j = 1; j < cycling.points.size(); ++j) {
      const std::size_t i = 5 * cycle + j;
      EXPECT_NEAR(schedule.time_s[i], 4200.0 * static_cast<double>(cycle) + cycling.points[j].time_s, kTimeTolerance_s);
      EXPECT_NEAR(schedule.temperature_K[i], cycling.points[j].temperature_K, kExact);
      EXPECT_EQ(schedule.segment_names[i - 1], "c" + std::to_string(cycle + 1) + "." + kinds[j - 1]);
    }
  }
  EXPECT_NEAR(cycle_period_s(cycling), 4200.0, kTimeTolerance_s);
}

// The custom table's start ramp runs at its fastest rate: 165 K in 1200 s (the ramp down),
// so 25 °C → 0 °C takes 25 K / (165 K / 1200 s) = 181.8181… s.
TEST(TemperatureSchedule, a_custom_start_ramp_runs_at_the_tables_fastest_rate) {
  ThermalCycling cycling;
  cycling.profile = "custom";
  cycling.stress_free_K = kelvin_from_celsius(25);
  cycling.points = {{0, kelvin_from_celsius(0)},
                    {3000, kelvin_from_celsius(125)},  // 125 K in 3000 s: slower
                    {3600, kelvin_from_celsius(125)},
                    {4800, kelvin_from_celsius(-40)},  // 165 K in 1200 s: fastest
                    {6000, kelvin_from_celsius(0)}};
  const TemperatureSchedule schedule = temperature_schedule(cycling, 1);
  EXPECT_NEAR(schedule.time_s[1], 25.0 * 1200.0 / 165.0, kTimeTolerance_s);
  EXPECT_EQ(schedule.segment_names[0], "start-ramp");
}

// Linear interpolation: halfway along the first ramp down the temperature is the mean of the
// extremes, (125 + (−40)) / 2 = 42.5 °C; at a breakpoint it is the breakpoint's value.
TEST(TemperatureSchedule, temperature_between_breakpoints_is_linear) {
  const TemperatureSchedule schedule = temperature_schedule(condition_g_15_15(), 1);
  const double ramp_down_middle_s = schedule.time_s[2] + 450.0;
  EXPECT_NEAR(temperature_at(schedule, ramp_down_middle_s), kelvin_from_celsius(42.5), 1e-9);
  EXPECT_NEAR(temperature_at(schedule, schedule.time_s[3]), kelvin_from_celsius(-40), 1e-9);
  EXPECT_NEAR(temperature_at(schedule, schedule.time_s.back()), kelvin_from_celsius(125), 1e-9);
  EXPECT_THROW(temperature_at(schedule, -1.0), ScheduleError);
  EXPECT_THROW(temperature_at(schedule, schedule.time_s.back() + 1.0), ScheduleError);
}

TEST(TemperatureSchedule, unusable_profiles_throw_a_schedule_error_with_the_numbers) {
  ThermalCycling cycling = condition_g_15_15();
  EXPECT_THROW(temperature_schedule(cycling, 0), ScheduleError);
  ThermalCycling inverted = condition_g_15_15();
  std::swap(inverted.t_min_K, inverted.t_max_K);
  try {
    temperature_schedule(inverted, 1);
    FAIL() << "expected ScheduleError";
  } catch (const ScheduleError& error) {
    EXPECT_NE(std::string(error.what()).find("-40 C"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("125 C"), std::string::npos) << error.what();
  }
  ThermalCycling no_dwell = condition_g_15_15();
  no_dwell.dwell_s = 0;
  EXPECT_THROW(temperature_schedule(no_dwell, 1), ScheduleError);
}

TEST(CycleTable, the_first_problem_names_the_offending_point) {
  const double room = kelvin_from_celsius(25), hot = kelvin_from_celsius(125);
  EXPECT_FALSE(first_problem({{0, room}, {600, hot}, {1200, room}}).has_value());
  const auto descending = first_problem({{0, room}, {600, hot}, {600, hot}, {1200, room}});
  ASSERT_TRUE(descending.has_value());
  EXPECT_EQ(descending->index, 2u);
  const auto open = first_problem({{0, room}, {600, hot}, {1200, hot}});
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->index, 2u);
  EXPECT_NE(open->message.find("open"), std::string::npos);
  const auto late_start = first_problem({{60, room}, {600, hot}, {1200, room}});
  ASSERT_TRUE(late_start.has_value());
  EXPECT_EQ(late_start->index, 0u);
  const auto flat = first_problem({{0, room}, {600, room}, {1200, room}});
  ASSERT_TRUE(flat.has_value());
  const auto too_short = first_problem({{0, room}, {600, room}});
  ASSERT_TRUE(too_short.has_value());
  EXPECT_EQ(too_short->index, 1u);
}

}  // namespace
}  // namespace wlp::design
