// Helpers shared by the test suites: scratch folders, writing design files, running the CLI.
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "design/design.h"
#include "rules/rules.h"

namespace wlp::test {

/// A fresh folder under the system temp dir, removed when the object dies.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  /// Writes `contents` to `name` inside the folder and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& contents) const;

 private:
  std::filesystem::path path_;
};

/// The repository root and the bundled material library.
std::filesystem::path source_dir();
std::filesystem::path material_library();

/// Loads a design file with the bundled material library.
design::Design load(const std::filesystem::path& path);

/// Result of running the wlpkit binary.
struct CliResult {
  int exit_code = -1;
  std::string out;  // standard output
  std::string err;  // standard error
};

/// Runs the built wlpkit with the given argument string (already shell-quoted).
CliResult run_cli(const std::string& arguments);

/// Runs a shell command line, capturing its output.
CliResult run_command(const std::string& command_line);

/// Runs KLayout headless (`klayout -b -r SCRIPT -rd name=value ...`): DRC decks (.drc), Ruby or
/// Python macros (.rb/.py). KLayout exits 0 even when a DRC finds violations; read its report.
CliResult run_klayout(const std::filesystem::path& script,
                      const std::vector<std::pair<std::string, std::string>>& variables);

/// Reads a whole file.
std::string read_text(const std::filesystem::path& path);

/// Shell-quotes one argument.
std::string quoted(const std::string& argument);

}  // namespace wlp::test
