// `wlpkit layout` end to end: the files it promises, their formats, the routing report, and
// clear errors for designs that break rules and outputs that cannot be written.
#include <gtest/gtest.h>

#include "layout/gdsii.h"
#include "support/test_support.h"

namespace wlp::test {
namespace {

bool is_png(const std::filesystem::path& path) { return read_text(path).rfind("\x89PNG\r\n\x1a\n", 0) == 0; }

TEST(CliLayout, WritesGdsLayerMapDeckPlotsRoutingAndWafer) {
  ScratchDir dir;
  const auto out = dir.path() / "out";
  const CliResult result = run_cli("layout " + quoted((source_dir() / "examples/s3-fig1.toml").string()) + " -o " + quoted(out.string()) + " --wafer");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("RDL: 48/48 nets routed"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("gross dies"), std::string::npos) << result.out;
  for (const char* file : {"s3-fig1.gds", "s3-fig1.layers.txt", "s3-fig1.drc", "s3-fig1-routing.txt", "s3-fig1-routing.json",
                           "s3-fig1-die.svg", "s3-fig1-die.png", "s3-fig1-wafer.svg", "s3-fig1-wafer.png", "s3-fig1-wafer.txt",
                           "masks/18-rdl.svg", "masks/18-rdl.png"})
    EXPECT_TRUE(std::filesystem::exists(out / file)) << file;
  EXPECT_TRUE(is_png(out / "s3-fig1-die.png"));
  const layout::gds::Library library = layout::gds::read_file(out / "s3-fig1.gds");
  EXPECT_NE(library.find("s3_fig1_DIE"), nullptr);
  EXPECT_NE(library.find("s3_fig1_WAFER"), nullptr);
  EXPECT_NE(read_text(out / "s3-fig1-routing.txt").find("48/48 nets routed (100.0 %)"), std::string::npos);
  for (const auto& entry : std::filesystem::recursive_directory_iterator(out))
    EXPECT_NE(entry.path().extension(), ".tmp") << entry.path();  // nothing half-written left
}

TEST(CliLayout, RelativeOutputFolderAndDrcInKLayout) {
  ScratchDir dir;
  // KLayout resolves relative paths against its script's folder; the command must not.
  const CliResult result = run_command("cd " + quoted(dir.path().string()) + " && WLPKIT_DATA_DIR=" + quoted((source_dir() / "data").string()) +
                                       " " + quoted(WLPKIT_TEST_BINARY) + " layout " +
                                       quoted((source_dir() / "examples/s4-embodiment2.toml").string()) + " -o rel/out --drc");
  ASSERT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("DRC: 0 markers"), std::string::npos) << result.out;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "rel/out/s4-embodiment2.lyrdb"));
}

TEST(CliLayout, EveryExampleLaysOut) {
  ScratchDir dir;
  for (const auto& entry : std::filesystem::directory_iterator(source_dir() / "examples")) {
    if (entry.path().extension() != ".toml") continue;
    const CliResult result = run_cli("layout " + quoted(entry.path().string()) + " -o " + quoted((dir.path() / entry.path().stem()).string()));
    EXPECT_EQ(result.exit_code, 0) << entry.path() << result.out << result.err;
  }
}

TEST(CliLayout, DesignBreakingARuleStopsUnlessForced) {
  ScratchDir dir;
  std::filesystem::copy(source_dir() / "examples/common", dir.path() / "common");
  std::string text = read_text(source_dir() / "examples/b0.toml");
  const std::string from = "opening_size = \"200 um\"";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "opening_size = \"260 um\"");
  const auto design = dir.write("bad.toml", text);
  const CliResult stopped = run_cli("layout " + quoted(design.string()) + " -o " + quoted((dir.path() / "a").string()));
  EXPECT_EQ(stopped.exit_code, 1);
  EXPECT_NE(stopped.err.find("breaks"), std::string::npos) << stopped.err;
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "a" / "b0.gds"));
  const CliResult forced = run_cli("layout " + quoted(design.string()) + " -o " + quoted((dir.path() / "b").string()) + " --force");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "b" / "b0.gds"));
}

TEST(CliLayout, OutputThatIsAFileIsAClearError) {
  ScratchDir dir;
  const auto blocker = dir.write("blocker", "a file, not a folder");
  const CliResult result = run_cli("layout " + quoted((source_dir() / "examples/b0.toml").string()) + " -o " + quoted(blocker.string()));
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot write the output"), std::string::npos) << result.err;
  EXPECT_EQ(read_text(blocker), "a file, not a folder");
}

TEST(CliLayout, WaferOptionsAreChecked) {
  ScratchDir dir;
  const CliResult result = run_cli("layout " + quoted((source_dir() / "examples/b0.toml").string()) + " -o " +
                                   quoted(dir.path().string()) + " --wafer --wafer-diameter 250");
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("250"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace wlp::test
