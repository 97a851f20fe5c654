// Input errors with their location: file:line:column, key path, value, expectation.
//
// Loading a design collects every problem it finds (not just the first), then throws one
// InputError carrying them all. The CLI maps InputError to exit code 2.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace wlp::design {

/// A place in an input file. line/column are 1-based; 0 means unknown.
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;
  [[nodiscard]] bool is_known() const { return line > 0; }
  /// "file:line:column", or just "file" when the position is unknown.
  [[nodiscard]] std::string to_string() const;
};

/// One problem found in an input file.
struct Diagnostic {
  SourcePos where;
  std::string key_path;  // e.g. "interconnect.post_height"; empty for file-level problems
  std::string message;   // what is wrong and what was expected
};

/// "file:line:col: error: key: message".
std::string format_diagnostic(const Diagnostic& diagnostic);

/// Thrown when an input cannot be used. Carries every problem found.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> found);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// Collects diagnostics while reading; throws them together at the end.
class Diagnostics {
 public:
  void add(const SourcePos& where, std::string key_path, std::string message);
  [[nodiscard]] bool has_errors() const { return !found_.empty(); }
  [[nodiscard]] std::size_t n_errors() const { return found_.size(); }
  /// Throws InputError if anything was collected.
  void throw_if_any();

 private:
  std::vector<Diagnostic> found_;
};

/// The candidate closest to `word` by edit distance, or "" when none is close enough to be a
/// plausible typo (distance <= max(2, length/3)).
std::string nearest_match(std::string_view word, const std::vector<std::string>& candidates);

/// Joins candidates for messages: "a, b, c".
std::string joined(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace wlp::design
