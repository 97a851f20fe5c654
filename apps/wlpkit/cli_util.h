// Helpers shared by the wlpkit subcommands.
#pragma once

#include <filesystem>
#include <string>

#include "design/design.h"

namespace wlp::cli {

inline constexpr int kExitClean = 0;
inline constexpr int kExitViolations = 1;
inline constexpr int kExitUnusable = 2;

/// Prints every diagnostic of an input error to standard error.
void print_input_error(const design::InputError& error);

/// Writes a file atomically: a temporary next to it, then a rename, so a reader never sees half.
/// Returns an error message, empty on success; never leaves the temporary behind.
std::string write_atomically(const std::filesystem::path& path, const std::string& contents);

/// Loads a design with the bundled material library, or with `library` when not empty.
design::Design load(const std::string& path, const std::string& library);

}  // namespace wlp::cli
