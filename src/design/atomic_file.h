// Writing a whole file so that a reader never sees half of it: the bytes go to a temporary next
// to the target, which is then renamed into place. On failure nothing is left behind.
#pragma once

#include <filesystem>
#include <string_view>

namespace wlp::design {

/// Throws std::runtime_error "cannot write PATH: reason" when the file cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace wlp::design
