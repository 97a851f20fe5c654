#include "design/diagnostics.h"

#include <algorithm>
#include <fmt/format.h>

namespace wlp::design {

std::string SourcePos::to_string() const {
  if (!is_known()) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string text = fmt::format("{}: error: ", diagnostic.where.to_string());
  if (!diagnostic.key_path.empty()) text += fmt::format("{}: ", diagnostic.key_path);
  return text + diagnostic.message;
}

namespace {
std::string summary_of(const std::vector<Diagnostic>& found) {
  if (found.empty()) return "input error";
  std::string text = format_diagnostic(found.front());
  if (found.size() > 1) text += fmt::format(" (and {} more)", found.size() - 1);
  return text;
}
}  // namespace

InputError::InputError(std::vector<Diagnostic> found)
    : std::runtime_error(summary_of(found)), diagnostics_(std::move(found)) {}

void Diagnostics::add(const SourcePos& where, std::string key_path, std::string message) {
  found_.push_back(Diagnostic{where, std::move(key_path), std::move(message)});
}

void Diagnostics::throw_if_any() {
  if (found_.empty()) return;
  std::vector<Diagnostic> sorted = std::move(found_);
  found_.clear();
  std::stable_sort(sorted.begin(), sorted.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.where.file != b.where.file) return false;  // keep file order as found
    return a.where.line != b.where.line ? a.where.line < b.where.line : a.where.column < b.where.column;
  });
  throw InputError(std::move(sorted));
}

namespace {
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}
}  // namespace

std::string nearest_match(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string text;
  for (const std::string& item : items) {
    if (!text.empty()) text += separator;
    text += item;
  }
  return text;
}

}  // namespace wlp::design
