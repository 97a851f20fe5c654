// [analysis] in the design file: thermal-cycling profiles (named, custom trapezoid, custom
// table), ramp_rate, the [analysis.fe] options with their defaults, the resolved JSON, and
// every bad input as one InputError at file:line:column with the key path and the value.
//
// The designs are tests/corpus/valid-base.toml (a valid B0, 9 x 9 balls on a 4 mm die) with its
// [analysis] replaced.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <string>

#include "design/design_json.h"
#include "design/model_symmetry.h"
#include "support/test_support.h"

namespace wlp::design {
namespace {

using test::ScratchDir;

// valid-base.toml up to its [analysis] table, so that a test appends its own.
std::string base_without_analysis() {
  const std::string text = test::read_text(test::source_dir() / "tests" / "corpus" / "valid-base.toml");
  const std::size_t analysis = text.find("[analysis.thermal_cycling]");
  if (analysis == std::string::npos) throw std::runtime_error("valid-base.toml has no [analysis.thermal_cycling]");
  return text.substr(0, analysis);
}

struct Written {
  std::string text;
  std::filesystem::path file;
};

Written write_design(const ScratchDir& dir, const std::string& replaced_analysis, const std::string& base = base_without_analysis()) {
  const std::string text = base + replaced_analysis;
  return Written{text, dir.write("design.toml", text)};
}

Design load_with(const std::string& analysis) {
  ScratchDir dir;
  return test::load(write_design(dir, analysis).file);
}

// 1-based line and column of the first occurrence of `needle`.
struct LineColumn {
  int line = 0, column = 0;
};
LineColumn position_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  if (at == std::string::npos) throw std::runtime_error("needle not in text: " + needle);
  const std::size_t line_start = text.rfind('\n', at) + 1;  // npos + 1 == 0 on the first line
  const auto line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  return LineColumn{static_cast<int>(line), static_cast<int>(at - line_start) + 1};
}

// Loads a design that must fail with exactly one problem and returns it.
Diagnostic single_problem(const Written& written) {
  try {
    test::load(written.file);
  } catch (const InputError& error) {
    if (error.diagnostics().size() != 1) {
      std::string all;
      for (const Diagnostic& found : error.diagnostics()) all += format_diagnostic(found) + "\n";
      throw std::runtime_error(fmt::format("expected 1 problem, got {}:\n{}", error.diagnostics().size(), all));
    }
    return error.diagnostics().front();
  }
  throw std::runtime_error("expected an InputError, the design loaded");
}

// The problem is at `needle` (its line and column) in design.toml, on `key_path`, and its
// message quotes every one of `quoted`.
void expect_problem_at(const Written& written, const std::string& needle, const std::string& key_path,
                       const std::vector<std::string>& quoted, int value_offset_in_needle = 0) {
  const Diagnostic found = single_problem(written);
  LineColumn expected = position_of(written.text, needle);
  expected.column += value_offset_in_needle;
  EXPECT_EQ(found.where.file, written.file.string());
  EXPECT_EQ(found.where.line, expected.line) << format_diagnostic(found);
  EXPECT_EQ(found.where.column, expected.column) << format_diagnostic(found);
  EXPECT_EQ(found.key_path, key_path) << format_diagnostic(found);
  for (const std::string& text : quoted)
    EXPECT_NE(found.message.find(text), std::string::npos) << "missing \"" << text << "\" in: " << format_diagnostic(found);
}

const std::string kCyclingG = R"([analysis.thermal_cycling]
profile = "JESD22-A104-G"
dwell = "15 min"
ramp = "15 min"
)";

// --- profiles ----------------------------------------------------------------------------

TEST(AnalysisInput, a_named_condition_sets_the_extremes_and_keeps_dwell_ramp_and_defaults) {
  const Design design = load_with(kCyclingG);
  ASSERT_TRUE(design.analyses.thermal_cycling.has_value());
  const ThermalCycling& cycling = *design.analyses.thermal_cycling;
  EXPECT_DOUBLE_EQ(cycling.t_min_K, 233.15);  // −40 °C, JESD22-A104 G
  EXPECT_DOUBLE_EQ(cycling.t_max_K, 398.15);  // 125 °C
  EXPECT_DOUBLE_EQ(cycling.dwell_s, 900.0);
  EXPECT_DOUBLE_EQ(cycling.ramp_s, 900.0);
  EXPECT_EQ(cycling.n_cycles, 3);                   // documented default
  EXPECT_DOUBLE_EQ(cycling.stress_free_K, 298.15);  // documented default, 25 °C
  EXPECT_TRUE(cycling.points.empty());
}

TEST(AnalysisInput, an_ipc_9701_condition_loads_its_extremes) {
  const Design design = load_with("[analysis.thermal_cycling]\nprofile = \"IPC-9701-TC3\"\ndwell = \"15 min\"\n"
                                  "ramp = \"15 min\"\ncycles = 4\n");
  EXPECT_DOUBLE_EQ(design.analyses.thermal_cycling->t_min_K, 233.15);  // IPC-9701 TC3: −40 ↔ 125 °C
  EXPECT_DOUBLE_EQ(design.analyses.thermal_cycling->t_max_K, 398.15);
  EXPECT_EQ(design.analyses.thermal_cycling->n_cycles, 4);
}

// 165 K at 11 °C/min is 15 min (physics-data.md §4: "15 min ramp (11 °C/min)").
TEST(AnalysisInput, a_ramp_rate_of_11_C_per_min_gives_condition_g_a_15_min_ramp) {
  const Design design =
      load_with("[analysis.thermal_cycling]\nprofile = \"JESD22-A104-G\"\ndwell = \"15 min\"\nramp_rate = \"11 C/min\"\n");
  EXPECT_NEAR(design.analyses.thermal_cycling->ramp_s, 900.0, 1e-9);
}

TEST(AnalysisInput, a_custom_trapezoid_takes_t_min_and_t_max) {
  const Design design = load_with("[analysis.thermal_cycling]\nprofile = \"custom\"\nt_min = \"-20 C\"\n"
                                  "t_max = \"90 C\"\ndwell = \"10 min\"\nramp = \"5 min\"\n");
  EXPECT_DOUBLE_EQ(design.analyses.thermal_cycling->t_min_K, 253.15);
  EXPECT_DOUBLE_EQ(design.analyses.thermal_cycling->t_max_K, 363.15);
  EXPECT_DOUBLE_EQ(design.analyses.thermal_cycling->ramp_s, 300.0);
}

const std::string kCustomTable = R"([analysis.thermal_cycling]
profile = "custom"
points = [["0 min", "25 C"], ["10 min", "125 C"], ["1500 s", "398.15 K"], ["45 min", "-40 C"],
          ["1 h", "-40 C"], ["70 min", "25 C"]]
cycles = 2
)";

// Units as written, converted by hand: 10 min = 600 s, 1500 s, 45 min = 2700 s, 1 h = 3600 s,
// 70 min = 4200 s; 25 °C = 298.15 K, 125 °C = 398.15 K, −40 °C = 233.15 K.
TEST(AnalysisInput, a_custom_table_loads_in_si_with_its_extremes) {
  const Design design = load_with(kCustomTable);
  const ThermalCycling& cycling = *design.analyses.thermal_cycling;
  const std::vector<ProfilePoint> expected{{0, 298.15},    {600, 398.15},  {1500, 398.15},
                                           {2700, 233.15}, {3600, 233.15}, {4200, 298.15}};
  ASSERT_EQ(cycling.points.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_NEAR(cycling.points[i].time_s, expected[i].time_s, 1e-9) << i;
    EXPECT_NEAR(cycling.points[i].temperature_K, expected[i].temperature_K, 1e-9) << i;
  }
  EXPECT_DOUBLE_EQ(cycling.t_min_K, 233.15);
  EXPECT_DOUBLE_EQ(cycling.t_max_K, 398.15);
  EXPECT_EQ(cycling.n_cycles, 2);
}

// design → JSON → TOML table written from the JSON in SI → design: the same points, bit for bit.
TEST(AnalysisInput, a_custom_table_round_trips_through_the_resolved_json) {
  const Design first = load_with(kCustomTable);
  const nlohmann::json resolved = design_to_json(first);
  std::string points;
  for (const auto& pair : resolved["analysis"]["thermal_cycling"]["points_s_K"])
    points += fmt::format("{}[\"{:.17g} s\", \"{:.17g} K\"]", points.empty() ? "" : ", ", pair[0].get<double>(),
                          pair[1].get<double>());
  const Design second = load_with("[analysis.thermal_cycling]\nprofile = \"custom\"\npoints = [" + points + "]\n");
  EXPECT_EQ(second.analyses.thermal_cycling->points, first.analyses.thermal_cycling->points);
  EXPECT_DOUBLE_EQ(resolved["analysis"]["thermal_cycling"]["period_s"].get<double>(), 4200.0);
}

// GEN.BOARD.TG locates the peak at t_max: for a table that is the hottest point's line.
TEST(AnalysisInput, a_custom_table_locates_t_max_at_its_hottest_point) {
  ScratchDir dir;
  const Written written = write_design(dir, kCustomTable);
  const Design design = test::load(written.file);
  const LineColumn hottest = position_of(written.text, "[\"10 min\"");
  EXPECT_EQ(design.where("analysis.thermal_cycling.t_max").line, hottest.line);
  EXPECT_EQ(design.where("analysis.thermal_cycling.t_max").column, hottest.column);
}

// --- FE options ---------------------------------------------------------------------------

TEST(AnalysisInput, fe_options_default_when_the_table_is_absent) {
  const Design design = load_with(kCyclingG);
  const FeOptions& fe = design.analyses.fe;
  EXPECT_EQ(fe.symmetry, ModelSymmetry::Auto);
  EXPECT_EQ(fe.refinement, 2);
  EXPECT_EQ(fe.element, ElementKind::Hex8Incompatible);
  EXPECT_EQ(fe.solder_law, SolderLaw::Anand);
  EXPECT_TRUE(fe.has_metal_plasticity);
  EXPECT_EQ(fe.linear_solver, LinearSolver::Direct);
  EXPECT_DOUBLE_EQ(fe.interface_layer_thickness_m, 25.4e-6);  // 1 mil, Darveaux 2000
  EXPECT_DOUBLE_EQ(fe.board_margin_m, 1e-3);
  EXPECT_DOUBLE_EQ(fe.max_temperature_step_K, 5.0);
  EXPECT_DOUBLE_EQ(fe.newton_tolerance, 1e-5);
}

TEST(AnalysisInput, the_interface_layer_defaults_to_the_life_models_damage_layer) {
  const Design design = load_with(kCyclingG + "[analysis.life]\nmodel = \"syed_energy\"\ndamage_layer_thickness = \"50 um\"\n");
  EXPECT_DOUBLE_EQ(design.analyses.fe.interface_layer_thickness_m, 50e-6);
}

// "2 C" is a temperature step here, 2 K (not 275.15 K).
TEST(AnalysisInput, every_fe_option_is_read_in_si) {
  const Design design = load_with(kCyclingG + R"([analysis.fe]
symmetry = "quarter"
refinement = 3
element = "hex20"
solder_law = "garofalo"
metal_plasticity = false
linear_solver = "amg"
interface_layer_thickness = "20 um"
board_margin = "1.5 mm"
max_temperature_step = "2 C"
newton_tolerance = 1e-7
)");
  const FeOptions& fe = design.analyses.fe;
  EXPECT_EQ(fe.symmetry, ModelSymmetry::Quarter);
  EXPECT_EQ(fe.refinement, 3);
  EXPECT_EQ(fe.element, ElementKind::Hex20);
  EXPECT_EQ(fe.solder_law, SolderLaw::Garofalo);
  EXPECT_FALSE(fe.has_metal_plasticity);
  EXPECT_EQ(fe.linear_solver, LinearSolver::Amg);
  EXPECT_DOUBLE_EQ(fe.interface_layer_thickness_m, 20e-6);
  EXPECT_DOUBLE_EQ(fe.board_margin_m, 1.5e-3);
  EXPECT_DOUBLE_EQ(fe.max_temperature_step_K, 2.0);
  EXPECT_DOUBLE_EQ(fe.newton_tolerance, 1e-7);
}

TEST(AnalysisInput, the_resolved_json_holds_every_fe_option) {
  const nlohmann::json fe =
      design_to_json(load_with(kCyclingG + "[analysis.fe]\nelement = \"hex8\"\nmax_temperature_step = \"3 K\"\n"))["analysis"]["fe"];
  EXPECT_EQ(fe["symmetry"], "auto");
  EXPECT_EQ(fe["symmetry_resolved"], "eighth");  // square die, full 9 x 9 array
  EXPECT_EQ(fe["refinement"], 2);
  EXPECT_EQ(fe["element"], "hex8");
  EXPECT_EQ(fe["solder_law"], "anand");
  EXPECT_EQ(fe["metal_plasticity"], true);
  EXPECT_EQ(fe["linear_solver"], "direct");
  EXPECT_DOUBLE_EQ(fe["interface_layer_thickness_m"].get<double>(), 25.4e-6);
  EXPECT_DOUBLE_EQ(fe["board_margin_m"].get<double>(), 1e-3);
  EXPECT_DOUBLE_EQ(fe["max_temperature_step_K"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(fe["newton_tolerance"].get<double>(), 1e-5);
}

// --- symmetry of the array ----------------------------------------------------------------

std::string base_with(const std::string& from, const std::string& to) {
  std::string text = base_without_analysis();
  const std::size_t at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("not in valid-base.toml: " + from);
  return text.replace(at, from.size(), to);
}

Design load_base(const std::string& base, const std::string& analysis = kCyclingG) {
  ScratchDir dir;
  return test::load(write_design(dir, analysis, base).file);
}

TEST(ModelSymmetry, a_full_array_on_a_square_die_allows_an_eighth_model) {
  EXPECT_EQ(highest_symmetry(load_with(kCyclingG)), ModelSymmetry::Eighth);
}

TEST(ModelSymmetry, four_depopulated_corners_keep_the_eighth_symmetry) {
  const Design design = load_base(base_with("alloy = \"SAC305\"", "alloy = \"SAC305\"\ndepopulate = [\"A1\", \"A9\", \"J1\", \"J9\"]"));
  EXPECT_EQ(design.bumps->sites.size(), 77u);
  EXPECT_EQ(highest_symmetry(design), ModelSymmetry::Eighth);
}

// A2, A8, J2, J8 are mirror images of each other about x = 0 and y = 0 (rows A..J skip I), so
// the quarter stays; A2's image about x = y is B1, still populated, so the eighth breaks.
TEST(ModelSymmetry, depopulating_a_mirror_symmetric_set_off_the_diagonal_gives_a_quarter) {
  const Design design =
      load_base(base_with("alloy = \"SAC305\"", "alloy = \"SAC305\"\ndepopulate = [\"A2\", \"A8\", \"J2\", \"J8\"]"));
  EXPECT_EQ(highest_symmetry(design), ModelSymmetry::Quarter);
  EXPECT_NE(symmetry_breaker(design, ModelSymmetry::Eighth).find("x = y"), std::string::npos);
}

TEST(ModelSymmetry, one_depopulated_corner_leaves_only_the_full_model) {
  const Design design = load_base(base_with("alloy = \"SAC305\"", "alloy = \"SAC305\"\ndepopulate = [\"A1\"]"));
  EXPECT_EQ(highest_symmetry(design), ModelSymmetry::Full);
}

TEST(ModelSymmetry, a_rectangular_die_allows_a_quarter_model) {
  const Design design = load_base(base_with("size_y = \"4 mm\"", "size_y = \"5 mm\""));
  EXPECT_EQ(highest_symmetry(design), ModelSymmetry::Quarter);
  EXPECT_EQ(resolved_symmetry(design), ModelSymmetry::Quarter);
}

// --- bad input: one located InputError each ----------------------------------------------

TEST(AnalysisInputErrors, an_unknown_condition_lists_the_known_ones) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"JESD22-A104-Z\"\ndwell = \"15 min\"\n"
                                            "ramp = \"15 min\"\n");
  expect_problem_at(written, "\"JESD22-A104-Z\"", "analysis.thermal_cycling.profile",
                    {"\"JESD22-A104-Z\"", "custom", "JESD22-A104-A", "JESD22-A104-N", "IPC-9701-TC1", "IPC-9701-TC5"});
}

TEST(AnalysisInputErrors, a_bare_condition_letter_suggests_the_full_name) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"G\"\ndwell = \"15 min\"\nramp = \"15 min\"\n");
  expect_problem_at(written, "\"G\"", "analysis.thermal_cycling.profile", {"value \"G\"", "did you mean \"JESD22-A104-G\""});
}

TEST(AnalysisInputErrors, table_times_that_do_not_ascend_are_located_at_the_point) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"custom\"\n"
                                            "points = [[\"0 min\", \"25 C\"], [\"20 min\", \"125 C\"], [\"15 min\", \"-40 C\"], "
                                            "[\"40 min\", \"25 C\"]]\n");
  expect_problem_at(written, "[\"15 min\"", "analysis.thermal_cycling.points[2]",
                    {"[\"15 min\", \"-40 C\"]", "900 s", "1200 s", "ascend"});
}

TEST(AnalysisInputErrors, an_open_cycle_is_located_at_its_last_point) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"custom\"\n"
                                            "points = [[\"0 min\", \"25 C\"], [\"20 min\", \"125 C\"], [\"40 min\", \"-40 C\"]]\n");
  expect_problem_at(written, "[\"40 min\"", "analysis.thermal_cycling.points[2]",
                    {"[\"40 min\", \"-40 C\"]", "open", "-40 C", "25 C"});
}

TEST(AnalysisInputErrors, a_negative_dwell_must_be_greater_than_zero) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"JESD22-A104-G\"\ndwell = \"-15 min\"\n"
                                            "ramp = \"15 min\"\n");
  expect_problem_at(written, "\"-15 min\"", "analysis.thermal_cycling.dwell", {"\"-15 min\"", "greater than zero"});
}

TEST(AnalysisInputErrors, a_negative_board_margin_is_located_at_the_value) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "[analysis.fe]\nboard_margin = \"-0.5 mm\"\n");
  expect_problem_at(written, "\"-0.5 mm\"", "analysis.fe.board_margin", {"\"-0.5 mm\""});
}

TEST(AnalysisInputErrors, a_ramp_in_micrometres_is_the_wrong_dimension) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"JESD22-A104-G\"\ndwell = \"15 min\"\n"
                                            "ramp = \"15 um\"\n");
  expect_problem_at(written, "\"15 um\"", "analysis.thermal_cycling.ramp", {"\"15 um\"", "is a length", "expected a time"});
}

TEST(AnalysisInputErrors, a_table_time_with_a_length_unit_is_located_at_the_value) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"custom\"\n"
                                            "points = [[\"0 min\", \"25 C\"], [\"15 um\", \"125 C\"], [\"40 min\", \"25 C\"]]\n");
  expect_problem_at(written, "\"15 um\"", "analysis.thermal_cycling.points[1][0]",
                    {"\"15 um\"", "is a length", "expected a time"});
}

TEST(AnalysisInputErrors, a_ramp_rate_in_kelvin_is_not_a_rate) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"JESD22-A104-G\"\ndwell = \"15 min\"\n"
                                            "ramp_rate = \"11 K\"\n");
  expect_problem_at(written, "\"11 K\"", "analysis.thermal_cycling.ramp_rate",
                    {"\"11 K\"", "is a temperature", "expected a temperature rate", "C/min"});
}

TEST(AnalysisInputErrors, ramp_and_ramp_rate_together_are_refused) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "ramp_rate = \"11 C/min\"\n");
  expect_problem_at(written, "\"11 C/min\"", "analysis.thermal_cycling.ramp_rate", {"either ramp", "not both"});
}

TEST(AnalysisInputErrors, t_max_is_fixed_by_a_named_condition) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "t_max = \"130 C\"\n");
  expect_problem_at(written, "\"130 C\"", "analysis.thermal_cycling.t_max", {"fixed by profile JESD22-A104-G", "custom"});
}

TEST(AnalysisInputErrors, dwell_does_not_apply_to_a_points_table) {
  ScratchDir dir;
  const Written written = write_design(dir, "[analysis.thermal_cycling]\nprofile = \"custom\"\ndwell = \"15 min\"\n"
                                            "points = [[\"0 min\", \"25 C\"], [\"20 min\", \"125 C\"], [\"40 min\", \"25 C\"]]\n");
  expect_problem_at(written, "\"15 min\"", "analysis.thermal_cycling.dwell", {"dwell does not apply", "points table"});
}

TEST(AnalysisInputErrors, refinement_zero_is_out_of_range) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "[analysis.fe]\nrefinement = 0\n");
  expect_problem_at(written, "refinement = 0", "analysis.fe.refinement", {"value 0", "from 1 to 16"},
                    static_cast<int>(std::string("refinement = ").size()));
}

TEST(AnalysisInputErrors, an_unknown_element_type_lists_the_known_ones) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "[analysis.fe]\nelement = \"hex27\"\n");
  expect_problem_at(written, "\"hex27\"", "analysis.fe.element", {"\"hex27\"", "hex8i, hex8, hex20"});
}

TEST(AnalysisInputErrors, an_unknown_fe_key_suggests_the_nearest_one) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "[analysis.fe]\nrefinment = 3\n");
  expect_problem_at(written, "refinment", "analysis.fe.refinment", {"unknown key 'refinment'", "did you mean `refinement`"});
}

TEST(AnalysisInputErrors, a_temperature_step_in_metres_is_the_wrong_dimension) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "[analysis.fe]\nmax_temperature_step = \"5 m\"\n");
  expect_problem_at(written, "\"5 m\"", "analysis.fe.max_temperature_step",
                    {"\"5 m\"", "is a length", "temperature difference"});
}

TEST(AnalysisInputErrors, a_newton_tolerance_outside_its_range_names_the_value_and_the_range) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "[analysis.fe]\nnewton_tolerance = 0.01\n");
  expect_problem_at(written, "0.01", "analysis.fe.newton_tolerance", {"0.01", "from 1e-12 to 0.001"});
}

TEST(AnalysisInputErrors, an_eighth_model_of_a_rectangular_die_is_refused_with_the_reason) {
  ScratchDir dir;
  const Written written = write_design(dir, kCyclingG + "[analysis.fe]\nsymmetry = \"eighth\"\n",
                                       base_with("size_y = \"4 mm\"", "size_y = \"5 mm\""));
  expect_problem_at(written, "\"eighth\"", "analysis.fe.symmetry",
                    {"value \"eighth\"", "4 mm x 5 mm", "x = y", "at most \"quarter\""});
}

}  // namespace
}  // namespace wlp::design
