#include "cli_util.h"

#include <iostream>
#include <stdexcept>

#include <fmt/format.h>

#include "design/atomic_file.h"

namespace wlp::cli {

void print_input_error(const design::InputError& error) {
  for (const auto& diagnostic : error.diagnostics()) std::cerr << design::format_diagnostic(diagnostic) << "\n";
}

std::string write_atomically(const std::filesystem::path& path, const std::string& contents) {
  try {
    design::write_file_atomically(path, contents);
    return "";
  } catch (const std::runtime_error& error) {
    return error.what();
  }
}

design::Design load(const std::string& path, const std::string& library) {
  return library.empty() ? design::load_design(path) : design::load_design(path, library);
}

}  // namespace wlp::cli
