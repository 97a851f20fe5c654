#include "fem_test_support.h"

#include <sys/wait.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include "fem/laws/anand_viscoplastic.h"
#include "fem/laws/norton_creep.h"
#include "fem/petsc_session.h"

namespace wlp::fem::test {

void ensure_petsc() { static PetscSession session; }

std::shared_ptr<const MaterialLaw> elastic(double youngs_modulus_Pa, double poisson_ratio, double cte_per_K) {
  return std::make_shared<IsotropicElastic>(IsotropicElasticData{TemperatureTable::constant(youngs_modulus_Pa), poisson_ratio,
                                                                  TemperatureTable::constant(cte_per_K)});
}

std::shared_ptr<const MaterialLaw> elastic_nonlinear_path(double youngs_modulus_Pa, double poisson_ratio, double cte_per_K) {
  // E varies by 1e-12 over 1000 K: the law no longer claims a constant stiffness, the numbers stay.
  return std::make_shared<IsotropicElastic>(IsotropicElasticData{
      TemperatureTable{{{0.0, youngs_modulus_Pa}, {1000.0, youngs_modulus_Pa * (1 + 1e-12)}}}, poisson_ratio,
      TemperatureTable::constant(cte_per_K)});
}

std::shared_ptr<const MaterialLaw> norton(const NortonData& data) {
  return std::make_shared<NortonCreep>(NortonCreepData{
      IsotropicElasticData{TemperatureTable::constant(data.youngs_modulus_Pa), data.poisson_ratio, TemperatureTable::constant(data.cte_per_K)},
      TemperatureTable::constant(data.rate_per_s / std::pow(data.reference_stress_Pa, data.exponent)), data.exponent, "test"});
}

std::shared_ptr<const MaterialLaw> anand_sac305() {
  AnandViscoplasticData data;
  data.elastic = IsotropicElasticData{TemperatureTable::constant(50e9), 0.35, TemperatureTable::constant(22e-6)};
  data.anand = AnandParameters{21.0e6, 9320, 3501, 4, 0.25, 180000e6, 30.2e6, 0.01, 1.78};
  data.note = "Motalab et al. 2012";
  return std::make_shared<AnandViscoplastic>(data);
}

FailsOnLargeSteps::FailsOnLargeSteps(double youngs_modulus_Pa, double poisson_ratio, double cte_per_K, double max_step_K)
    : elastic_(IsotropicElasticData{TemperatureTable::constant(youngs_modulus_Pa), poisson_ratio, TemperatureTable::constant(cte_per_K)}),
      max_step_K_(max_step_K) {}

void FailsOnLargeSteps::update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
                               Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const {
  if (std::abs(increment.temperature_new_K - increment.temperature_old_K) > max_step_K_)
    throw LawError("test law: temperature step larger than " + std::to_string(max_step_K_) + " K");
  elastic_.update(increment, stress_old, history_old, stress_new, history_new, tangent);
}

Difference compare(const std::vector<std::array<double, 3>>& a, const std::vector<std::array<double, 3>>& b) {
  Difference difference;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i)
    for (int c = 0; c < 3; ++c) {
      difference.max_abs = std::max(difference.max_abs, std::abs(a[i][c] - b[i][c]));
      difference.scale = std::max(difference.scale, std::abs(b[i][c]));
    }
  if (a.size() != b.size()) difference.max_abs = std::numeric_limits<double>::infinity();
  return difference;
}

std::string shell_quoted(const std::string& argument) {
  std::string quoted = "'";
  for (char c : argument) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

CommandResult run_command(const std::string& command_line) {
  const std::filesystem::path log =
      std::filesystem::temp_directory_path() / ("wlpkit-fem-command-" + std::to_string(getpid()) + ".log");
  const int status = std::system((command_line + " >" + shell_quoted(log.string()) + " 2>&1").c_str());
  std::ifstream in(log);
  std::ostringstream text;
  text << in.rdbuf();
  std::filesystem::remove(log);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, text.str()};
}

std::string scientific(double value) {
  std::ostringstream text;
  text.precision(6);
  text << std::scientific << value;
  return text.str();
}

SolverOptions options_with(ElementFormulation formulation) {
  SolverOptions options;
  options.element = formulation;
  return options;
}

TemperatureHistory ramp(double start_K, double end_K, double duration_s) { return {{0.0, duration_s}, {start_K, end_K}, {}}; }

}  // namespace wlp::fem::test
