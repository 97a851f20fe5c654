// Helpers of the FE solver tests: the PETSc session, the laws they use, and one law written for
// these tests only (an elastic law that fails on large temperature steps, to exercise cutbacks).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "fem/laws/material_law.h"
#include "fem/thermo_mechanical_solver.h"
#include "mesh/mesh.h"

namespace wlp::fem::test {

/// Initialises PETSc once for the test process.
void ensure_petsc();

/// Isotropic elastic law with constant E, ν and CTE (a "linear" element material).
std::shared_ptr<const MaterialLaw> elastic(double youngs_modulus_Pa, double poisson_ratio, double cte_per_K);
/// The same law with an E that changes by 1e-12 over 1000 K: the numbers are those of the
/// constant law, but its elements take the solver's nonlinear path (law update at every point).
std::shared_ptr<const MaterialLaw> elastic_nonlinear_path(double youngs_modulus_Pa, double poisson_ratio, double cte_per_K);

/// Norton creep (laws/norton_creep.h) with ε̇ = rate·(σ/σ_ref)^n, i.e. A = rate/σ_ref^n.
struct NortonData {
  double youngs_modulus_Pa = 50e9, poisson_ratio = 0.35, cte_per_K = 22e-6;
  double rate_per_s = 1e-4, reference_stress_Pa = 50e6, exponent = 4;
};
std::shared_ptr<const MaterialLaw> norton(const NortonData& data);

/// Anand viscoplasticity (laws/anand_viscoplastic.h) with the SAC305 constants of Motalab, Cai,
/// Suhling & Lall, ITherm 2012 (physics-data.md §2.1), E = 50 GPa, ν = 0.35, α = 22 ppm/K.
std::shared_ptr<const MaterialLaw> anand_sac305();

/// Elastic, but throws LawError when an increment changes the temperature by more than the limit.
class FailsOnLargeSteps : public MaterialLaw {
 public:
  FailsOnLargeSteps(double youngs_modulus_Pa, double poisson_ratio, double cte_per_K, double max_step_K);
  [[nodiscard]] std::string name() const override { return "fails on large steps (test)"; }
  void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old, Voigt6& stress_new,
              std::span<double> history_new, Matrix6& tangent) const override;
  [[nodiscard]] Matrix6 elastic_stiffness(double temperature_K) const override { return elastic_.elastic_stiffness(temperature_K); }
  [[nodiscard]] Voigt6 thermal_strain(double temperature_K, double stress_free_K) const override {
    return elastic_.thermal_strain(temperature_K, stress_free_K);
  }

 private:
  IsotropicElastic elastic_;
  double max_step_K_;
};

/// Largest |a − b| over all components, and the largest |b|.
struct Difference {
  double max_abs = 0, scale = 0;
  [[nodiscard]] double relative() const { return scale > 0 ? max_abs / scale : max_abs; }
};
Difference compare(const std::vector<std::array<double, 3>>& a, const std::vector<std::array<double, 3>>& b);

/// Runs a shell command, capturing its standard output and error together.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult run_command(const std::string& command_line);
std::string shell_quoted(const std::string& argument);

/// A number for RecordProperty, in scientific notation with 6 significant digits.
std::string scientific(double value);

/// Default options with the given element formulation.
SolverOptions options_with(ElementFormulation formulation);

/// The temperature history T(t) linear from (0, T0) to (end, T1).
TemperatureHistory ramp(double start_K, double end_K, double duration_s);

}  // namespace wlp::fem::test
