// What each recipe mask of the bundled examples draws. The expected table is read off the
// seeds' figure sequences by hand (e.g. seed 003 FIG 4: RDL, then the post through a thick
// negative resist, then the UBM), not computed by wlpkit.
#include <gtest/gtest.h>

#include <map>

#include "layout/masks.h"
#include "support/test_support.h"

namespace wlp::layout {
namespace {

std::map<std::string, std::string> features_of(const std::string& example) {
  const design::Design design = test::load(test::source_dir() / "examples" / example);
  std::map<std::string, std::string> found;
  for (const MaskUse& mask : recipe_masks(design))
    found[mask.name] = to_string(mask.feature) + (mask.stack_layer.empty() ? "" : ":" + mask.stack_layer) + "/" + mask.field;
  return found;
}

TEST(Masks, BaselineB0) {
  // Pads etched under positive resist (resist stays on the pads: clear field); openings etched
  // through positive resist (dark field); UBM islands kept by positive resist (clear field).
  EXPECT_EQ(features_of("b0.toml"), (std::map<std::string, std::string>{
                                        {"pads", "pads/clear"},
                                        {"passivation-openings", "openings:passivation-nitride/dark"},
                                        {"ubm", "ubm/clear"}}));
}

TEST(Masks, S0SacrificialPillarAndRecess) {
  EXPECT_EQ(features_of("s0.toml"), (std::map<std::string, std::string>{
                                        {"lower-metal", "pads/clear"}, {"pillar", "pillars:pillar/clear"}, {"line", "recess:glass/dark"}}));
}

TEST(Masks, S1PhotosensitiveInsulatorsAndRdl) {
  // Photosensitive BCB/polyimide taken as negative-acting: openings opaque on the mask.
  EXPECT_EQ(features_of("s1-adhesive.toml"), (std::map<std::string, std::string>{
                                                 {"pads", "pads/clear"},
                                                 {"passivation-openings", "openings:passivation-nitride/dark"},
                                                 {"first-insulator-openings", "openings:first-insulator/clear"},
                                                 {"rdl", "rdl/dark"},
                                                 {"land-openings", "openings:second-insulator/clear"}}));
}

TEST(Masks, S2ViasAndTopPads) {
  EXPECT_EQ(features_of("s2.toml"), (std::map<std::string, std::string>{
                                        {"contact-points", "pads/clear"}, {"vias", "openings:polyimide/clear"}, {"top-pads", "top-pads/dark"}}));
}

TEST(Masks, S3Fig1PostThroughNegativeResistThenUbm) {
  // The post is plated through a thick negative resist: the post sites are opaque (clear field).
  EXPECT_EQ(features_of("s3-fig1.toml"), (std::map<std::string, std::string>{
                                             {"pads", "pads/clear"},
                                             {"passivation-openings", "openings:passivation-nitride/dark"},
                                             {"insulator-106-openings", "openings:insulator-106/dark"},
                                             {"rdl", "rdl/dark"},
                                             {"post", "posts/clear"},
                                             {"ubm", "ubm/dark"}}));
}

TEST(Masks, S3ProcessBPostOpeningsAndFoilUbm) {
  const auto found = features_of("s3-process-b.toml");
  EXPECT_EQ(found.at("post-openings"), "openings:resin/clear");  // exposed resin; then printed into
  EXPECT_EQ(found.at("ubm"), "ubm/clear");                       // Cu foil etched around the UBM islands
}

TEST(Masks, S3ProcessAStencil) { EXPECT_EQ(features_of("s3-process-a.toml").at("solder-stencil"), "stencil/dark"); }

TEST(Masks, S4FilmOpeningsAndRdl) {
  EXPECT_EQ(features_of("s4-embodiment1.toml"), (std::map<std::string, std::string>{
                                                    {"pads", "pads/clear"},
                                                    {"passivation-openings", "openings:passivation-nitride/dark"},
                                                    {"film-openings", "openings:insulating-film/dark"},
                                                    {"rdl", "rdl/dark"}}));
}

TEST(Masks, UnexplainedMaskIsALocatedError) {
  test::ScratchDir dir;
  const std::string base = test::read_text(test::source_dir() / "examples" / "b0.toml");
  // A lithography whose mask no later step uses for anything wlpkit can draw.
  std::string text = base;
  const auto path = dir.write("odd.toml", text + R"(
[[recipe.step]]
name = "lithography-mystery"
op = "lithography"
mask = "mystery"
resist = "photoresist"
thickness = "2 um"
tone = "positive"
)");
  std::filesystem::copy(test::source_dir() / "examples" / "common", dir.path() / "common");
  const design::Design design = test::load(path);
  try {
    recipe_masks(design);
    FAIL() << "expected an InputError";
  } catch (const design::InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    const auto& d = error.diagnostics().front();
    EXPECT_NE(d.message.find("mask 'mystery'"), std::string::npos) << d.message;
    EXPECT_EQ(std::filesystem::path(d.where.file).filename(), "odd.toml");
    EXPECT_GT(d.where.line, 100);  // at the appended step, not the top of the file
  }
}

}  // namespace
}  // namespace wlp::layout
