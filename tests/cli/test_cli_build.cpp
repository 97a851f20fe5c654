// `wlpkit build` end to end: the files it promises (a figure per step, VTU, STL, metrology,
// log), and how it stops on an impossible recipe or bad options.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace wlp::test {
namespace {

namespace fs = std::filesystem;

std::size_t count_files(const fs::path& folder, const std::string& extension) {
  std::size_t n = 0;
  for (const auto& entry : fs::directory_iterator(folder)) n += entry.path().extension() == extension ? 1 : 0;
  return n;
}

bool starts_with_bytes(const fs::path& path, std::string_view magic) { return read_text(path).rfind(magic, 0) == 0; }

TEST(CliBuild, WritesAFigurePerStepTheStructureMetrologyAndLog) {
  ScratchDir dir;
  const auto out = dir.path() / "out";
  const fs::path example = source_dir() / "examples/s2.toml";
  const CliResult result = run_cli("build " + quoted(example.string()) + " -o " + quoted(out.string()));
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  const std::size_t steps = load(example).recipe.steps.size();
  ASSERT_GT(steps, 0u);
  EXPECT_EQ(count_files(out / "steps", ".svg"), steps);  // one figure per recipe step
  EXPECT_EQ(count_files(out / "steps", ".png"), steps);
  EXPECT_TRUE(fs::exists(out / "steps" / ("01-" + load(example).recipe.steps.front().name + ".png")));
  EXPECT_TRUE(starts_with_bytes(out / "s2.vtu", "<?xml"));
  EXPECT_GT(count_files(out / "stl", ".stl"), 0u);
  const nlohmann::json metrology = nlohmann::json::parse(read_text(out / "metrology.json"));
  EXPECT_TRUE(metrology.contains("films"));
  EXPECT_TRUE(metrology.contains("timing_s"));
  EXPECT_GT(metrology["model"]["cells"].get<int>(), 0);
  // The log names every step in order.
  const std::string log = read_text(out / "build-log.txt");
  std::size_t at = 0;
  for (const auto& step : load(example).recipe.steps) {
    at = log.find(step.name, at);
    EXPECT_NE(at, std::string::npos) << step.name;
  }
  for (const auto& entry : fs::recursive_directory_iterator(out))
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();  // nothing half-written left
}

TEST(CliBuild, No3dSkipsTheVtuAndStl) {
  ScratchDir dir;
  const auto out = dir.path() / "out";
  const CliResult result = run_cli("build " + quoted((source_dir() / "examples/s0.toml").string()) + " -o " +
                                   quoted(out.string()) + " --no-3d");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_FALSE(fs::exists(out / "s0.vtu"));
  EXPECT_FALSE(fs::exists(out / "stl"));
  EXPECT_TRUE(fs::exists(out / "metrology.json"));
}

// A reflow whose peak does not melt the ball: the build stops at that step with the design
// file's line and column, the step's number, name and the two temperatures, and keeps the
// figures of the steps before it.
TEST(CliBuild, ImpossibleRecipeStopsAtTheStepAndKeepsTheStepsBefore) {
  ScratchDir dir;
  fs::copy(source_dir() / "examples/common", dir.path() / "common");
  std::string text = read_text(source_dir() / "examples/b0.toml");
  const std::string from = "peak_temperature = \"245 C\"";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "peak_temperature = \"200 C\"");
  const auto design = dir.write("cold.toml", text);
  const auto out = dir.path() / "out";
  const CliResult result = run_cli("build " + quoted(design.string()) + " -o " + quoted(out.string()) + " --force");
  EXPECT_EQ(result.exit_code, 2) << result.out << result.err;
  EXPECT_NE(result.err.find("cold.toml:"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("'reflow' (reflow)"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("200 C"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("220 C"), std::string::npos) << result.err;  // SAC305 liquidus, data/materials.toml
  EXPECT_NE(result.err.find("steps before the failing one"), std::string::npos) << result.err;
  // Every step before the reflow has its figure; the reflow and later steps have none.
  const auto& steps = load(design).recipe.steps;
  std::size_t reflow = 0;
  while (reflow < steps.size() && steps[reflow].op != "reflow") ++reflow;
  ASSERT_LT(reflow, steps.size());
  EXPECT_EQ(count_files(out / "steps", ".png"), reflow);
  EXPECT_FALSE(fs::exists(out / "metrology.json"));  // no result written as if complete
}

// The unit-cell window lies away from the default cut (the first pad's wire): the figures cut
// across the cell and show its bump, not an empty frame.
TEST(CliBuild, CellWindowIsCutThroughItsSite) {
  ScratchDir dir;
  const auto out = dir.path() / "out";
  const CliResult result = run_cli("build " + quoted((source_dir() / "examples/s4-embodiment1.toml").string()) + " -o " +
                                   quoted(out.string()) + " --window cell --no-3d");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("cut across the unit cell"), std::string::npos) << result.out;
  const std::string figure = read_text(out / "steps/33-reflow.svg");
  EXPECT_NE(figure.find("solder balls"), std::string::npos);  // the bump is in the legend
  EXPECT_NE(figure.find("spin-coat-buffer"), std::string::npos);
}

TEST(CliBuild, BadCutLineIsNamed) {
  ScratchDir dir;
  const CliResult result = run_cli("build " + quoted((source_dir() / "examples/s2.toml").string()) + " -o " +
                                   quoted((dir.path() / "out").string()) + " --cut \"10,20;abc\"");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("'abc' is not a point"), std::string::npos) << result.err;
}

TEST(CliBuild, EveryExampleBuilds) {
  ScratchDir dir;
  for (const auto& entry : fs::directory_iterator(source_dir() / "examples")) {
    if (entry.path().extension() != ".toml") continue;
    const CliResult result = run_cli("build " + quoted(entry.path().string()) + " -o " +
                                     quoted((dir.path() / entry.path().stem()).string()) + " --no-3d");
    EXPECT_EQ(result.exit_code, 0) << entry.path() << result.out << result.err;
  }
}

}  // namespace
}  // namespace wlp::test
