#include "cli_util.h"

#include <fstream>
#include <iostream>

#include <fmt/format.h>

namespace wlp::cli {

void print_input_error(const design::InputError& error) {
  for (const auto& diagnostic : error.diagnostics()) std::cerr << design::format_diagnostic(diagnostic) << "\n";
}

std::string write_atomically(const std::filesystem::path& path, const std::string& contents) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  std::error_code status;
  if (std::filesystem::is_directory(path, status)) return fmt::format("cannot write {}: it is a directory", path.string());
  {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    if (!stream) return fmt::format("cannot write {}: cannot create {}", path.string(), temporary.string());
    stream << contents;
    if (!stream.flush()) {
      std::filesystem::remove(temporary, status);
      return fmt::format("cannot write {}: writing {} failed", path.string(), temporary.string());
    }
  }
  std::filesystem::rename(temporary, path, status);
  if (status) {
    std::filesystem::remove(temporary, status);
    return fmt::format("cannot write {}: {}", path.string(), status.message());
  }
  return "";
}

design::Design load(const std::string& path, const std::string& library) {
  return library.empty() ? design::load_design(path) : design::load_design(path, library);
}

}  // namespace wlp::cli
