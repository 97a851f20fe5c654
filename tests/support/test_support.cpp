#include "support/test_support.h"

#include <array>
#include <atomic>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace wlp::test {

ScratchDir::ScratchDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          fmt::format("wlpkit-test-{}-{}", static_cast<long>(::getpid()), counter++);
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::filesystem::path ScratchDir::write(const std::string& name, const std::string& contents) const {
  const std::filesystem::path file = path_ / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream stream(file, std::ios::binary);
  stream << contents;
  return file;
}

std::filesystem::path source_dir() { return WLPKIT_TEST_SOURCE_DIR; }
std::filesystem::path material_library() { return source_dir() / "data" / "materials.toml"; }

design::Design load(const std::filesystem::path& path) { return design::load_design(path, material_library()); }

std::string quoted(const std::string& argument) {
  std::string result = "'";
  for (const char c : argument) result += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return result + "'";
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

CliResult run_command(const std::string& command_line) {
  ScratchDir scratch;
  const auto out = scratch.path() / "out.txt";
  const auto err = scratch.path() / "err.txt";
  const std::string command = fmt::format("{} >{} 2>{}", command_line, quoted(out.string()), quoted(err.string()));
  const int status = std::system(command.c_str());
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = read_text(out);
  result.err = read_text(err);
  return result;
}

CliResult run_klayout(const std::filesystem::path& script,
                      const std::vector<std::pair<std::string, std::string>>& variables) {
  std::string command = "klayout -b -r " + quoted(script.string());
  for (const auto& [name, value] : variables) command += " -rd " + quoted(name + "=" + value);
  return run_command(command);
}

CliResult run_cli(const std::string& arguments) {
  return run_command(fmt::format("WLPKIT_DATA_DIR={} {} {}", quoted((source_dir() / "data").string()),
                                 quoted(WLPKIT_TEST_BINARY), arguments));
}

}  // namespace wlp::test
