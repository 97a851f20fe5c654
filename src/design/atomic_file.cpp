#include "design/atomic_file.h"

#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace wlp::design {

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  write_file_atomically(path, [&](std::ostream& stream) {
    stream.write(contents.data(), static_cast<std::streamsize>(contents.size()));
  });
}

void write_file_atomically(const std::filesystem::path& path, const std::function<void(std::ostream&)>& write) {
  std::error_code status;
  if (std::filesystem::is_directory(path, status)) throw std::runtime_error(fmt::format("cannot write {}: it is a directory", path.string()));
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    if (!stream) throw std::runtime_error(fmt::format("cannot write {}: cannot create {}", path.string(), temporary.string()));
    try {
      write(stream);
    } catch (...) {
      stream.close();
      std::filesystem::remove(temporary, status);
      throw;
    }
    if (!stream.flush()) {
      stream.close();
      std::filesystem::remove(temporary, status);
      throw std::runtime_error(fmt::format("cannot write {}: writing {} failed", path.string(), temporary.string()));
    }
  }
  std::filesystem::rename(temporary, path, status);
  if (status) {
    const std::string reason = status.message();
    std::filesystem::remove(temporary, status);
    throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), reason));
  }
}

}  // namespace wlp::design
