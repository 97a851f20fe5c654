// `wlpkit cycle` end to end on a 2 x 2 B0 package with a short cycle (tests/cli/designs/
// b0-2x2-quick.toml): the outputs, a resumed run against the uninterrupted one, and the
// refusal of a design that has no board.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "fem/blas_start.h"
#include "support/test_support.h"

namespace wlp::test {
namespace {

namespace fs = std::filesystem;

const fs::path quick_design() { return source_dir() / "tests" / "cli" / "designs" / "b0-2x2-quick.toml"; }

/// A scratch folder of this test process: ctest runs the tests of this file in parallel
/// processes, each with its own runs.
fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / (name + "-" + std::to_string(static_cast<long>(getpid())));
}

nlohmann::json results_in(const fs::path& folder) { return nlohmann::json::parse(read_text(folder / "results.json")); }

/// Runs the quick design once per test binary for 2 cycles and keeps the folder.
const fs::path& two_cycle_run() {
  static const fs::path folder = [] {
    const fs::path out = scratch("wlpkit-cycle-two");
    fs::remove_all(out);
    const CliResult run = run_cli("cycle " + quoted(quick_design().string()) + " -o " + quoted(out.string()));
    EXPECT_EQ(run.exit_code, 0) << run.out << run.err;
    return out;
  }();
  return folder;
}

// OpenBLAS 0.3.21 falls back to its generic SSE3 kernels ("Prescott") on CPUs newer than it;
// wlpkit then starts itself again with the kernels of the CPU's instruction set
// (fem/blas_start.h). OpenBLAS names the kernels it loaded on stderr at OPENBLAS_VERBOSE=2; the
// last name is the one the run uses, and the command's own output comes once.
TEST(CliBlasKernels, wlpkit_runs_on_the_blas_kernels_of_this_cpu) {
  const CliResult run = run_command("env -u OPENBLAS_CORETYPE OPENBLAS_VERBOSE=2 " + quoted(WLPKIT_TEST_BINARY) + " --version");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("wlpkit "), run.out.rfind("wlpkit ")) << run.out;
  const std::size_t last = run.err.rfind("Core: ");
  ASSERT_NE(last, std::string::npos) << "OpenBLAS named no kernels:\n" << run.err;
  const std::string loaded = run.err.substr(last + 6, run.err.find('\n', last) - last - 6);
  if (fem::blas_core_for_this_cpu() != nullptr) {
    EXPECT_NE(loaded, "Prescott") << run.err;
  }
}

TEST(CliCycle, writes_results_fields_and_checkpoint_per_cycle) {
  const fs::path& out = two_cycle_run();
  for (const char* file : {"results.json", "mesh.vtu", "cycle-1.vtu", "cycle-2.vtu", "checkpoint/state.bin",
                           "checkpoint/progress.json"})
    EXPECT_TRUE(fs::exists(out / file)) << file;
  const nlohmann::json r = results_in(out);
  EXPECT_TRUE(r.at("completed").get<bool>());
  ASSERT_EQ(r.at("cycles").size(), 2u);
  EXPECT_EQ(r.at("mesh").at("symmetry"), "eighth");  // auto: the 2 x 2 array on a square die
  EXPECT_DOUBLE_EQ(r.at("mesh").at("interface_layer_thickness_um").get<double>(), 25.4);
  // The cycles tile the schedule: 2 min ramps, 1 min dwells, a 6 min period.
  const nlohmann::json& c1 = r.at("cycles")[0];
  const nlohmann::json& c2 = r.at("cycles")[1];
  EXPECT_NEAR(c1.at("end_s").get<double>() - c1.at("start_s").get<double>(), 360.0, 1e-9);
  EXPECT_DOUBLE_EQ(c2.at("start_s").get<double>(), c1.at("end_s").get<double>());
  // Dissipation is non-negative in every joint and interface (second law), and a viscoplastic
  // joint cycled over 165 K dissipates: the critical joint's ΔW is positive.
  for (const nlohmann::json& cycle : r.at("cycles"))
    for (const nlohmann::json& joint : cycle.at("joints")) {
      EXPECT_GE(joint.at("delta_w_device_interface_MPa").get<double>(), 0.0);
      EXPECT_GE(joint.at("delta_w_board_interface_MPa").get<double>(), 0.0);
      EXPECT_GE(joint.at("creep_strain_increment").get<double>(), 0.0);
    }
  EXPECT_GT(r.at("critical_joint").at("delta_w_MPa").get<double>(), 0.0);
  // The solver's counters are consistent: every Newton iteration is one linear solve.
  EXPECT_EQ(r.at("solver").at("newton_iterations"), r.at("solver").at("linear_solves"));
}

TEST(CliCycle, resumed_run_equals_the_uninterrupted_run) {
  const fs::path out = scratch("wlpkit-cycle-resumed");
  fs::remove_all(out);
  const std::string design = quoted(quick_design().string());
  const CliResult first = run_cli("cycle " + design + " -o " + quoted(out.string()) + " --cycles 1 --no-fields");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const CliResult resumed = run_cli("cycle " + design + " -o " + quoted(out.string()) + " --cycles 2 --resume --no-fields");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  // Oracle: the 2-cycle run that never stopped. The checkpoint holds the complete state, so the
  // second cycle is the same to the last digit printed.
  const nlohmann::json whole = results_in(two_cycle_run()), pieced = results_in(out);
  ASSERT_EQ(pieced.at("cycles").size(), 2u);
  for (int c = 0; c < 2; ++c) {
    const nlohmann::json& a = whole.at("cycles")[c].at("joints");
    const nlohmann::json& b = pieced.at("cycles")[c].at("joints");
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t j = 0; j < a.size(); ++j)
      for (const char* key : {"delta_w_device_interface_MPa", "delta_w_board_interface_MPa", "creep_strain",
                              "max_von_mises_MPa"})
        EXPECT_DOUBLE_EQ(a[j].at(key).get<double>(), b[j].at(key).get<double>()) << "cycle " << c + 1 << " " << key;
  }
}

TEST(CliCycle, a_design_without_a_board_is_refused_with_the_missing_tables_named) {
  const CliResult run = run_cli("cycle " + quoted((source_dir() / "examples" / "s0.toml").string()) + " -o " +
                                quoted(scratch("wlpkit-cycle-s0").string()));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("a [board] table"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("[bumps]"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("s0.toml"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace wlp::test
