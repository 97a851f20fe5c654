#include "fem/ccx_results.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "fem/hex_element.h"

extern char** environ;  // POSIX: the process environment, handed on to ccx

namespace wlp::fem {

namespace {

constexpr double kMPerMm = 1e-3, kPaPerMpa = 1e6;
constexpr const char* kJob = "job";
constexpr const char* kLogName = "ccx.log";

// ---------------------------------------------------------------------------------------------
// Files and folders

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) throw CcxError(fmt::format("cannot write the CalculiX deck {}", path.string()));
}

/// The job folder: the caller's, or a fresh one under the temp dir that is removed afterwards.
class JobFolder {
 public:
  explicit JobFolder(const std::filesystem::path& given) {
    if (!given.empty()) {
      std::filesystem::create_directories(given);
      path_ = given;
      return;
    }
    std::string pattern = (std::filesystem::temp_directory_path() / "wlpkit-ccx-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr)
      throw CcxError(fmt::format("cannot create a folder for the CalculiX job ({})", std::strerror(errno)));
    path_ = pattern;
    owned_ = true;
  }
  ~JobFolder() {
    std::error_code ignored;
    if (owned_) std::filesystem::remove_all(path_, ignored);
  }
  JobFolder(const JobFolder&) = delete;
  JobFolder& operator=(const JobFolder&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool owned_ = false;
};

// ---------------------------------------------------------------------------------------------
// The process

/// The environment of the parent with the thread counts replaced.
std::vector<std::string> child_environment(int n_threads) {
  std::vector<std::string> out;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string variable(*entry);
    if (variable.rfind("OMP_NUM_THREADS=", 0) == 0 || variable.rfind("CCX_NPROC_EQUATION_SOLVER=", 0) == 0) continue;
    out.push_back(variable);
  }
  out.push_back(fmt::format("OMP_NUM_THREADS={}", n_threads));
  out.push_back(fmt::format("CCX_NPROC_EQUATION_SOLVER={}", n_threads));
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string last_lines(const std::string& text, int n_lines) {
  std::deque<std::string> tail;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    tail.push_back(line);
    if (static_cast<int>(tail.size()) > n_lines) tail.pop_front();
  }
  std::string out;
  for (const std::string& l : tail) out += "\n  | " + l;
  return out;
}

/// posix_spawn (not fork: the caller may hold MPI and PETSc state) of `ccx -i job` in the folder,
/// output to ccx.log. Returns the exit status (−1: killed by a signal).
int spawn_and_wait(const CcxRunOptions& options, const std::filesystem::path& folder) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  const std::string log_path = (folder / kLogName).string(), folder_path = folder.string();
  posix_spawn_file_actions_addchdir_np(&actions, folder_path.c_str());
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<std::string> arguments{options.executable, "-i", kJob};
  std::vector<std::string> environment = child_environment(options.n_threads);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, options.executable.c_str(), &actions, nullptr, c_strings(arguments).data(),
                                   c_strings(environment).data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned == ENOENT)
    throw CcxError(fmt::format("CalculiX '{}' was not found on PATH: run scripts/setup.sh (it installs the Debian package "
                               "calculix-ccx)",
                               options.executable));
  if (spawned != 0) throw CcxError(fmt::format("cannot start CalculiX '{}': {}", options.executable, std::strerror(spawned)));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) throw CcxError(fmt::format("waiting for CalculiX failed: {}", std::strerror(errno)));
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// ---------------------------------------------------------------------------------------------
// The .dat file

/// A number as ccx writes it: "1.234567E-03", or Fortran's "0.1234567-100" when the exponent
/// has three digits (the E is dropped).
std::optional<double> parse_number(const std::string& word) {
  const char* begin = word.c_str();
  char* end = nullptr;
  double value = std::strtod(begin, &end);
  if (end == begin) return std::nullopt;
  if (*end == '\0') return value;
  if ((*end == '-' || *end == '+') && end > begin && std::isdigit(static_cast<unsigned char>(end[-1])) != 0) {
    char* exponent_end = nullptr;
    const long exponent = std::strtol(end, &exponent_end, 10);
    if (*exponent_end == '\0') return value * std::pow(10.0, static_cast<double>(exponent));
  }
  return std::nullopt;
}

/// The numbers of a data line; empty when any word is not a number.
std::vector<double> numbers_of(const std::string& line) {
  std::istringstream words(line);
  std::vector<double> out;
  std::string word;
  while (words >> word) {
    const std::optional<double> number = parse_number(word);
    if (!number) return {};
    out.push_back(*number);
  }
  return out;
}

struct DatBlock {
  double time_s = 0;
  std::vector<std::vector<double>> rows;
  bool is_found = false;
};

/// "... and time  0.1000000E+01" → 1.
double header_time(const std::string& header) {
  const std::size_t at = header.rfind("time");
  if (at == std::string::npos) return std::nan("");
  std::istringstream words(header.substr(at + 4));
  std::string word;
  words >> word;
  return parse_number(word).value_or(std::nan(""));
}

/// The last block of each of the two kinds the comparison needs.
struct DatBlocks {
  DatBlock displacements, stresses;
};

DatBlocks last_blocks(const std::string& dat_text) {
  DatBlocks blocks;
  DatBlock* current = nullptr;
  std::istringstream in(dat_text);
  std::string line;
  while (std::getline(in, line)) {
    const bool is_displacements = line.find("displacements (vx,vy,vz) for set NALL") != std::string::npos;
    const bool is_stresses = line.find("stresses (elem, integ.pnt.,sxx,syy,szz,sxy,sxz,syz) for set EALL") != std::string::npos;
    if (is_displacements || is_stresses) {
      current = is_displacements ? &blocks.displacements : &blocks.stresses;
      *current = DatBlock{header_time(line), {}, true};
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines frame the blocks
    std::vector<double> row = numbers_of(line);
    if (row.empty()) current = nullptr;  // another kind of block
    else if (current != nullptr) current->rows.push_back(std::move(row));
  }
  return blocks;
}

/// A 1-based id of a row as a 0-based index below `count`, or nothing.
std::optional<std::size_t> index_of(double id, std::size_t count) {
  if (!(id >= 1) || id > static_cast<double>(count) || id != std::floor(id)) return std::nullopt;
  return static_cast<std::size_t>(id) - 1;
}

std::vector<std::array<double, 3>> displacements_of(const DatBlock& block, std::size_t n_nodes) {
  std::vector<std::array<double, 3>> out(n_nodes);
  std::vector<bool> seen(n_nodes, false);
  for (const auto& row : block.rows) {
    const std::optional<std::size_t> node = row.size() == 4 ? index_of(row[0], n_nodes) : std::nullopt;
    if (!node) throw CcxError(fmt::format("CalculiX .dat: a displacement row with {} numbers, first {} (nodes 1..{})", row.size(),
                                          row.empty() ? 0.0 : row[0], n_nodes));
    for (std::size_t k = 0; k < 3; ++k) out[*node][k] = row[k + 1] * kMPerMm;
    seen[*node] = true;
  }
  const auto missing = std::find(seen.begin(), seen.end(), false);
  if (missing != seen.end())
    throw CcxError(fmt::format("CalculiX .dat: no displacement of node {} at time {} (the mesh has {} nodes)",
                               missing - seen.begin() + 1, block.time_s, n_nodes));
  return out;
}

int points_per_element(mesh::ElementType type) { return type == mesh::ElementType::Hex20 ? 27 : 8; }

std::vector<Voigt6> stresses_of(const DatBlock& block, std::size_t n_elements, int n_points) {
  const std::size_t per = static_cast<std::size_t>(n_points);
  std::vector<Voigt6> out(n_elements * per);
  std::vector<bool> seen(out.size(), false);
  for (const auto& row : block.rows) {
    const std::optional<std::size_t> element = row.size() == 8 ? index_of(row[0], n_elements) : std::nullopt;
    const std::optional<std::size_t> point = row.size() == 8 ? index_of(row[1], per) : std::nullopt;
    if (!element || !point)
      throw CcxError(fmt::format("CalculiX .dat: a stress row with {} numbers, element {} point {} (elements 1..{}, points 1..{})",
                                 row.size(), row.empty() ? 0.0 : row[0], row.size() > 1 ? row[1] : 0.0, n_elements, n_points));
    const std::size_t slot = *element * per + *point;
    for (std::size_t k = 0; k < 6; ++k) out[slot][k] = row[k + 2] * kPaPerMpa;
    seen[slot] = true;
  }
  const auto missing = std::find(seen.begin(), seen.end(), false);
  if (missing != seen.end()) {
    const auto slot = static_cast<std::size_t>(missing - seen.begin());
    throw CcxError(fmt::format("CalculiX .dat: no stress at element {} point {} at time {} ({} points per element expected)",
                               slot / per + 1, slot % per + 1, block.time_s, n_points));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Element averages

double von_mises_Pa(const Voigt6& s) {
  const double normal = (s[0] - s[1]) * (s[0] - s[1]) + (s[1] - s[2]) * (s[1] - s[2]) + (s[2] - s[0]) * (s[2] - s[0]);
  return std::sqrt(0.5 * normal + 3 * (s[3] * s[3] + s[4] * s[4] + s[5] * s[5]));  // √(3 J2)
}

/// ccx's total time at the end of the deck's last step (the steps follow each other from 0).
double deck_end_time_s(const mesh::InpDeck& deck) {
  double end_s = 0;
  for (const mesh::InpStep& step : deck.steps) end_s += step.period_s;
  return end_s;
}

}  // namespace

std::string with_output_frequency(const std::string& deck_text, int n_increments) {
  static const std::vector<std::string> requests{"*NODE PRINT", "*EL PRINT", "*NODE FILE", "*EL FILE"};
  std::istringstream in(deck_text);
  std::string out, line;
  while (std::getline(in, line)) {
    for (const std::string& request : requests)
      if (line.rfind(request, 0) == 0 && line.find("FREQUENCY") == std::string::npos) {
        line += fmt::format(", FREQUENCY={}", n_increments);
        break;
      }
    out += line + "\n";
  }
  return out;
}

CcxIncrementLog read_ccx_sta(const std::string& sta_text) {
  // Rows: STEP INC ATT ITRS TOT-TIME STEP-TIME INC-TIME, one per converged increment.
  CcxIncrementLog log;
  std::istringstream in(sta_text);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<double> row = numbers_of(line);
    if (row.size() != 7) continue;
    ++log.n_increments;
    log.n_cutbacks += static_cast<int>(row[2]) - 1;
    log.n_iterations += static_cast<int>(row[3]);
    log.end_times_s.push_back(row[4]);
  }
  return log;
}

CcxResults read_ccx_dat(const std::string& dat_text, const mesh::Mesh& mesh) {
  const DatBlocks blocks = last_blocks(dat_text);
  if (!blocks.displacements.is_found) throw CcxError("CalculiX .dat: no displacement block for set NALL (*NODE PRINT, NSET=NALL / U)");
  if (!blocks.stresses.is_found) throw CcxError("CalculiX .dat: no stress block for set EALL (*EL PRINT, ELSET=EALL / S)");
  const double t_u = blocks.displacements.time_s, t_s = blocks.stresses.time_s;
  if (!(std::abs(t_u - t_s) <= 1e-6 * std::max(std::abs(t_u), 1.0)))
    throw CcxError(fmt::format("CalculiX .dat: the last displacements are at time {} but the last stresses at {}", t_u, t_s));
  CcxResults results;
  results.time_s = t_u;
  results.displacements_m = displacements_of(blocks.displacements, mesh.n_nodes());
  results.n_points_per_element = points_per_element(mesh.element_type);
  results.point_stress_Pa = stresses_of(blocks.stresses, mesh.n_elements(), results.n_points_per_element);
  return results;
}

CcxResults run_ccx(const mesh::Mesh& mesh, const mesh::InpDeck& deck, const CcxRunOptions& options) {
  const JobFolder folder(options.work_directory);
  std::string text = mesh::inp_text(mesh, deck);
  if (options.output_at_step_ends_only) text = with_output_frequency(text, 1000000000);
  write_file(folder.path() / (std::string(kJob) + ".inp"), text);

  const auto start = std::chrono::steady_clock::now();
  const int status = spawn_and_wait(options, folder.path());
  const double wall_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const std::string output = read_file(folder.path() / kLogName);
  const std::filesystem::path dat = folder.path() / (std::string(kJob) + ".dat");
  const std::string where = options.work_directory.empty() ? "a temporary folder (set CcxRunOptions::work_directory to keep it)"
                                                            : folder.path().string();
  if (status != 0 || !std::filesystem::exists(dat))
    throw CcxError(fmt::format("CalculiX failed (exit status {}{}) in {}; its last lines:{}", status,
                               std::filesystem::exists(dat) ? "" : ", no .dat written", where,
                               last_lines(output, options.n_tail_lines)));
  CcxResults results = read_ccx_dat(read_file(dat), mesh);
  const double end_s = deck_end_time_s(deck);
  if (!(std::abs(results.time_s - end_s) <= 1e-6 * std::max(end_s, 1.0)))
    throw CcxError(fmt::format("CalculiX stopped at time {} s of {} s in {}; its last lines:{}", results.time_s, end_s, where,
                               last_lines(output, options.n_tail_lines)));
  results.increments = read_ccx_sta(read_file(folder.path() / (std::string(kJob) + ".sta")));
  results.wall_time_s = wall_time_s;
  results.output = output;
  return results;
}

CcxElementStresses ccx_element_averages(const mesh::Mesh& mesh, const CcxResults& results) {
  // The engine's geometry gives Gauss weight × det J in the same point order as ccx (header).
  const ElementFormulation formulation =
      mesh.element_type == mesh::ElementType::Hex20 ? ElementFormulation::Hex20 : ElementFormulation::Hex8;
  const int per = nodes_per_element(mesh.element_type);
  const auto n_points = static_cast<std::size_t>(results.n_points_per_element);
  if (results.point_stress_Pa.size() != mesh.n_elements() * n_points)
    throw CcxError(fmt::format("ccx_element_averages: {} point stresses for {} elements of {} points", results.point_stress_Pa.size(),
                               mesh.n_elements(), n_points));
  CcxElementStresses out;
  out.stress_Pa.resize(mesh.n_elements());
  out.von_mises_Pa.resize(mesh.n_elements());
  detail::ElementGeometry geometry;
  std::vector<std::array<double, 3>> corners(static_cast<std::size_t>(per));
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const std::int64_t* nodes = mesh.element_nodes(e);
    for (int a = 0; a < per; ++a) corners[static_cast<std::size_t>(a)] = mesh.nodes_m[static_cast<std::size_t>(nodes[a])];
    detail::compute_element_geometry(formulation, corners, static_cast<long>(e), geometry);
    double volume = 0;
    for (std::size_t p = 0; p < n_points; ++p) {
      const double w = geometry.point_volumes_m3[p];
      const Voigt6& s = results.point_stress_Pa[e * n_points + p];
      volume += w;
      for (std::size_t k = 0; k < 6; ++k) out.stress_Pa[e][k] += w * s[k];
      out.von_mises_Pa[e] += w * von_mises_Pa(s);
    }
    for (double& component : out.stress_Pa[e]) component /= volume;
    out.von_mises_Pa[e] /= volume;
  }
  return out;
}

}  // namespace wlp::fem
