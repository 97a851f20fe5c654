// The user documentation stays complete: every rule, recipe op, material property and design
// key the program knows is documented.
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

#include "design/materials.h"
#include "design/recipe.h"
#include "rules/rules.h"
#include "support/test_support.h"

namespace wlp {
namespace {

std::string read_doc(const char* name) {
  std::ifstream stream(test::source_dir() / "docs" / name);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

TEST(Docs, every_rule_is_in_rules_md) {
  const std::string doc = read_doc("rules.md");
  for (const rules::RuleInfo& rule : rules::rule_catalog())
    EXPECT_NE(doc.find("`" + rule.id + "`"), std::string::npos) << rule.id << " is missing from docs/rules.md";
}

TEST(Docs, every_recipe_op_is_in_design_format_md) {
  const std::string doc = read_doc("design-format.md");
  for (const design::OpSpec& op : design::step_registry()) {
    EXPECT_NE(doc.find("| `" + op.name + "` |"), std::string::npos) << op.name << " is missing";
    for (const design::ParamSpec& param : op.params)
      EXPECT_NE(doc.find(param.name), std::string::npos) << op.name << "." << param.name << " is missing";
  }
}

TEST(Docs, every_material_property_is_in_materials_md) {
  const std::string doc = read_doc("materials.md");
  for (const auto& [key, dimension] : design::material_property_schema())
    EXPECT_NE(doc.find("`" + key + "`"), std::string::npos) << key << " is missing from docs/materials.md";
}

}  // namespace
}  // namespace wlp

namespace wlp {
namespace {

// The complete design shown in docs/design-format.md loads and passes every rule.
TEST(Docs, the_design_format_example_is_a_valid_design) {
  const std::string doc = read_doc("design-format.md");
  const std::string begin_marker = "<!-- design-example:begin -->\n```toml\n";
  const std::size_t begin = doc.find(begin_marker);
  ASSERT_NE(begin, std::string::npos);
  const std::size_t end = doc.find("```\n<!-- design-example:end -->", begin);
  ASSERT_NE(end, std::string::npos);
  test::ScratchDir dir;
  const auto file = dir.write("doc-example.toml", doc.substr(begin + begin_marker.size(), end - begin - begin_marker.size()));
  const design::Design loaded = test::load(file);
  const rules::CheckReport report = rules::check_design(loaded);
  EXPECT_EQ(report.n_errors(), 0);
  EXPECT_EQ(report.n_warnings(), 0);
  EXPECT_EQ(loaded.structure, design::Structure::B0);
  EXPECT_EQ(loaded.bumps->sites.size(), 81u);
}

}  // namespace
}  // namespace wlp
