// Writing a whole file so that a reader never sees half of it: the bytes go to a temporary next
// to the target, which is then renamed into place. On failure nothing is left behind.
#pragma once

#include <filesystem>
#include <functional>
#include <iosfwd>
#include <string_view>

namespace wlp::design {

/// Throws std::runtime_error "cannot write PATH: reason" when the file cannot be written.
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

/// The same for a file too large to hold in memory: `write` streams it. If `write` throws, the
/// temporary is removed and the exception passes on.
void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write);

}  // namespace wlp::design
