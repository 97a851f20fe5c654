// Includes and overrides (docs/design-format.md): tables merge, scalars replace, named arrays
// merge by name with insert_after/insert_before/remove, and every value keeps its position.
#include <gtest/gtest.h>

#include "design/config_tree.h"
#include "support/test_support.h"

namespace wlp::design {
namespace {

using test::ScratchDir;

std::vector<std::string> names_of(const ConfigNode& array) {
  std::vector<std::string> names;
  for (const ConfigNode& item : array.items) names.push_back(item.find("name")->text);
  return names;
}

TEST(Includes, override_replaces_a_scalar_and_keeps_the_rest) {
  ScratchDir dir;
  dir.write("base.toml", "[die]\nsize_x = \"4 mm\"\nsize_y = \"4 mm\"\n");
  const auto top = dir.write("top.toml", "include = \"base.toml\"\n[die]\nsize_x = \"5 mm\"\n");
  const ConfigNode merged = load_with_includes(top);
  const ConfigNode* die = merged.find("die");
  ASSERT_NE(die, nullptr);
  EXPECT_EQ(die->find("size_x")->text, "5 mm");
  EXPECT_EQ(die->find("size_y")->text, "4 mm");
  // The override remembers that it was written in top.toml, line 3.
  EXPECT_EQ(die->find("size_x")->where.file, top.string());
  EXPECT_EQ(die->find("size_x")->where.line, 3);
  EXPECT_EQ(die->find("size_y")->where.line, 3);  // line 3 of base.toml
  EXPECT_NE(die->find("size_y")->where.file.find("base.toml"), std::string::npos);
}

TEST(Includes, named_array_elements_merge_insert_and_remove) {
  ScratchDir dir;
  dir.write("base.toml",
            "[[recipe.step]]\nname = \"a\"\nop = \"clean\"\n"
            "[[recipe.step]]\nname = \"b\"\nop = \"clean\"\n"
            "[[recipe.step]]\nname = \"c\"\nop = \"clean\"\n");
  const auto top = dir.write("top.toml",
                             "include = \"base.toml\"\n"
                             "[[recipe.step]]\nname = \"b\"\nop = \"anneal\"\n"
                             "[[recipe.step]]\nname = \"x\"\nop = \"polish\"\ninsert_after = \"a\"\n"
                             "[[recipe.step]]\nname = \"y\"\nop = \"dice\"\ninsert_before = \"a\"\n"
                             "[[recipe.step]]\nname = \"c\"\nremove = true\n"
                             "[[recipe.step]]\nname = \"z\"\nop = \"flux\"\n");
  const ConfigNode merged = load_with_includes(top);
  const ConfigNode& steps = *merged.find("recipe")->find("step");
  EXPECT_EQ(names_of(steps), (std::vector<std::string>{"y", "a", "x", "b", "z"}));
  EXPECT_EQ(steps.items[3].find("op")->text, "anneal");
  EXPECT_EQ(steps.items[0].find("insert_before"), nullptr);  // directives are consumed
}

TEST(Includes, unnamed_arrays_are_replaced_whole) {
  ScratchDir dir;
  dir.write("base.toml", "[bumps]\ndepopulate = [\"A1\", \"B2\"]\n");
  const auto top = dir.write("top.toml", "include = \"base.toml\"\n[bumps]\ndepopulate = [\"C3\"]\n");
  const ConfigNode merged = load_with_includes(top);
  const ConfigNode& list = *merged.find("bumps")->find("depopulate");
  ASSERT_EQ(list.items.size(), 1u);
  EXPECT_EQ(list.items[0].text, "C3");
}

TEST(Includes, insert_after_an_unknown_name_is_a_located_error) {
  ScratchDir dir;
  dir.write("base.toml", "[[recipe.step]]\nname = \"polish-1\"\nop = \"clean\"\n");
  const auto top = dir.write("top.toml", "include = \"base.toml\"\n[[recipe.step]]\nname = \"x\"\nop = \"clean\"\n"
                                         "insert_after = \"polish_1\"\n");
  try {
    load_with_includes(top);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    const Diagnostic& found = error.diagnostics().front();
    EXPECT_EQ(found.where.line, 5);
    EXPECT_NE(found.message.find("did you mean \"polish-1\""), std::string::npos) << found.message;
  }
}

TEST(Includes, a_cycle_is_reported_at_the_include_key) {
  ScratchDir dir;
  const auto first = dir.write("first.toml", "# first\ninclude = \"second.toml\"\n");
  dir.write("second.toml", "include = \"first.toml\"\n");
  try {
    load_with_includes(first);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    const Diagnostic& found = error.diagnostics().front();
    EXPECT_NE(found.message.find("include cycle: first.toml -> second.toml -> first.toml"), std::string::npos)
        << found.message;
    EXPECT_NE(found.where.file.find("second.toml"), std::string::npos);
    EXPECT_EQ(found.where.line, 1);
  }
}

TEST(Includes, a_missing_include_names_the_file_and_line) {
  ScratchDir dir;
  const auto top = dir.write("top.toml", "\n\ninclude = [\"nowhere.toml\"]\n");
  try {
    load_with_includes(top);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    const Diagnostic& found = error.diagnostics().front();
    EXPECT_EQ(found.where.line, 3);
    EXPECT_NE(found.message.find("\"nowhere.toml\" does not exist"), std::string::npos) << found.message;
  }
}

TEST(Includes, syntax_error_position_comes_from_the_parser) {
  ScratchDir dir;
  const auto top = dir.write("top.toml", "[die]\nsize_x = \"4 mm\n");
  try {
    load_with_includes(top);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    EXPECT_EQ(error.diagnostics().front().where.line, 2);
    EXPECT_NE(error.diagnostics().front().message.find("TOML syntax error"), std::string::npos);
  }
}

}  // namespace
}  // namespace wlp::design

namespace wlp::design {
namespace {

// A base included along two paths (a diamond) merges to the same result as one include, and
// each later file still overrides it.
TEST(Includes, diamond_includes_merge_like_a_single_include) {
  ScratchDir dir;
  dir.write("level0.toml", "[die]\nsize_x = \"4 mm\"\nthickness = \"400 um\"\n");
  for (int level = 1; level <= 12; ++level)
    dir.write("level" + std::to_string(level) + ".toml",
              "include = [\"level" + std::to_string(level - 1) + ".toml\", \"level" + std::to_string(level - 1) +
                  ".toml\"]\n[die]\nsize_y = \"" + std::to_string(level) + " mm\"\n");
  const ConfigNode merged = load_with_includes(dir.path() / "level12.toml");
  const ConfigNode& die = *merged.find("die");
  EXPECT_EQ(die.find("size_x")->text, "4 mm");
  EXPECT_EQ(die.find("size_y")->text, "12 mm");
  EXPECT_EQ(die.members.size(), 3u);
}

// Past the nesting limit the error is reported once, at the include that crosses it, however
// many paths lead there.
TEST(Includes, too_deep_diamond_reports_one_located_error) {
  ScratchDir dir;
  dir.write("level0.toml", "[die]\nsize_x = \"4 mm\"\n");
  for (int level = 1; level <= 20; ++level)
    dir.write("level" + std::to_string(level) + ".toml",
              "include = [\"level" + std::to_string(level - 1) + ".toml\", \"level" + std::to_string(level - 1) +
                  ".toml\"]\n");
  try {
    load_with_includes(dir.path() / "level20.toml");
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    ASSERT_EQ(error.diagnostics().size(), 1u);
    EXPECT_NE(error.diagnostics().front().message.find("nested deeper than 16 files"), std::string::npos);
    EXPECT_EQ(error.diagnostics().front().where.line, 1);
  }
}

}  // namespace
}  // namespace wlp::design
