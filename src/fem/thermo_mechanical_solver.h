// The thermo-mechanical FE engine: small-strain quasi-static equilibrium of a hexahedral mesh
// under a uniform temperature history, implicit (backward Euler) in time, Newton with the laws'
// consistent tangents, automatic increments with cutback, PETSc linear algebra, serial or MPI.
//
// Usage (docs/fe-engine.md):
//   PetscSession session;                                   // once per process
//   ThermoMechanicalSolver solver(mesh, laws, options);      // laws[m] for mesh.materials[m]
//   solver.run(thermal_cycles({}), end_time_s, observer);   // observer after every increment
//   auto results = solver.element_results();                // rank 0 holds every element
//
// Under `mpirun -n N` every rank constructs the solver from the same mesh; the elements are
// partitioned by coordinate bisection and each rank assembles its own. Every member function is
// collective (all ranks call it); gathered results are complete on rank 0 and empty elsewhere.
// Units: SI (m, Pa, K, s). Displacements and element results are in mesh order.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "fem/fem_errors.h"
#include "fem/laws/material_law.h"
#include "fem/solver_options.h"
#include "fem/temperature_history.h"
#include "mesh/mesh.h"

namespace wlp::fem {

/// A displacement held at a non-zero value for the whole analysis (patch tests); the mesh's own
/// fixed dofs hold zero.
struct PrescribedDisplacement {
  std::int64_t node = 0;
  int component = 0;  // 0 x, 1 y, 2 z
  double value_m = 0;
};

/// What the observer learns after every converged increment.
struct IncrementReport {
  int increment = 0;  // 1-based, counted over the solver's life (continues after a checkpoint)
  double time_s = 0, time_step_s = 0, temperature_K = 0;
  int n_newton_iterations = 0;   // linear solves of this increment (residual evaluations − 1)
  int n_krylov_iterations = 0;
  int n_cutbacks = 0;            // failed attempts of this increment before it converged
  double max_inelastic_strain_increment = 0;
  std::vector<double> residual_norms;  // ‖r‖/force scale at every residual evaluation of the converged attempt
};

/// Return false to stop the run after this increment.
using IncrementObserver = std::function<bool(const IncrementReport&)>;

struct RunSummary {
  bool reached_end = false;  // false: the observer stopped the run
  double time_s = 0;
  int n_increments = 0;      // converged in this call
};

/// Per-element values, averaged over the element's integration points with their volume weights.
struct ElementResults {
  std::vector<double> volume_m3;
  std::vector<Voigt6> stress_Pa;                 // volume-averaged stress (Abaqus Voigt order)
  std::vector<double> von_mises_Pa;              // volume average of the points' von Mises stress
  std::vector<double> inelastic_work_J_per_m3;   // accumulated ∫ σ:dε_in
  std::vector<double> equivalent_inelastic_strain, equivalent_creep_strain, equivalent_plastic_strain;
};

/// Work counters of the solver's life (each rank its own; timings in wall-clock seconds).
struct SolverStatistics {
  int n_increments = 0, n_newton_iterations = 0, n_cutbacks = 0, n_accuracy_retries = 0;
  int n_factorizations = 0, n_linear_solves = 0;
  long n_krylov_iterations = 0;
  double assembly_time_s = 0;       // element loops and matrix assembly
  double factorization_time_s = 0;  // numeric (and symbolic) factorizations / AMG set-ups
  double solve_time_s = 0;          // Krylov iterations and triangular solves
  double run_time_s = 0;            // inside run()
  std::int64_t n_nonlinear_elements = 0;  // re-evaluated at every Newton iteration (all ranks)
  int n_tangent_evaluations = 0;          // evaluations of the residual and the tangent
  int n_residual_evaluations = 0;         // evaluations of the residual alone (NewtonOptions, §4 of docs/fe-engine.md)
  int n_newton_fallbacks = 0;             // attempts with residual-only evaluations that failed and were repeated with Newton
};

struct ElasticSolution {
  std::vector<std::array<double, 3>> displacements_m;  // rank 0
  ElementResults elements;                             // rank 0
  double wall_time_s = 0;  // assembly + factorization + solve from scratch: one "linear-solve equivalent"
};

class ThermoMechanicalSolver {
 public:
  /// `law_of_material[m]` is the law of the mesh's material m. Needs a live PetscSession.
  /// Throws std::invalid_argument on a mesh/law/option mismatch (with the offending numbers).
  ThermoMechanicalSolver(const mesh::Mesh& mesh, std::vector<std::shared_ptr<const MaterialLaw>> law_of_material,
                         SolverOptions options = {}, std::vector<PrescribedDisplacement> prescribed = {});
  ~ThermoMechanicalSolver();
  ThermoMechanicalSolver(const ThermoMechanicalSolver&) = delete;
  ThermoMechanicalSolver& operator=(const ThermoMechanicalSolver&) = delete;

  /// One linear-elastic solve at a uniform temperature, from scratch (every element assembled
  /// with its law's elastic stiffness, a fresh factorization), timed. The run state is unchanged.
  ElasticSolution solve_elastic(double temperature_K);

  /// Advances the state from its current time to `end_time_s` through `history`. The first run
  /// starts at history.time_s.front(), where the temperature must equal the stress-free
  /// temperature; a later run continues from the current time. Throws ConvergenceError when an
  /// increment fails after the allowed cutbacks (the state stays at the last converged increment).
  RunSummary run(const TemperatureHistory& history, double end_time_s, const IncrementObserver& observer = {});

  [[nodiscard]] double time_s() const;
  [[nodiscard]] double temperature_K() const;
  /// Nodal displacements of the current state (rank 0; constrained components included).
  [[nodiscard]] std::vector<std::array<double, 3>> nodal_displacements_m() const;
  /// Per-element results of the current state (rank 0).
  [[nodiscard]] ElementResults element_results() const;
  [[nodiscard]] const SolverStatistics& statistics() const;

  /// The complete state (time, temperature, displacements, every point's strain, stress and
  /// history, the elements' internal modes, the increment counter and next step) in one file,
  /// in mesh order, so it loads on any number of ranks. Saving marks the frozen factorization
  /// stale, so a run that continues and a run resumed from the file take the same path.
  void save_checkpoint(const std::filesystem::path& path);
  /// Throws CheckpointError when the file is unreadable or does not fit this mesh and these laws.
  void load_checkpoint(const std::filesystem::path& path);

  [[nodiscard]] int rank() const;
  [[nodiscard]] int n_ranks() const;
  [[nodiscard]] std::int64_t n_equations() const;

 private:
  struct Impl;  // solver_impl.h
  std::unique_ptr<Impl> impl_;
};

}  // namespace wlp::fem
