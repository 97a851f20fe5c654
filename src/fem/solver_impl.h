// The state and stages of ThermoMechanicalSolver (internal to the FE engine; PETSc inside).
#pragma once

#include <array>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fem/dof_map.h"
#include "fem/element_kernels.h"
#include "fem/hex_element.h"
#include "fem/linear_solver.h"
#include "fem/petsc_wrappers.h"
#include "fem/threaded_product.h"
#include "fem/thermo_mechanical_solver.h"

namespace wlp::fem {

namespace detail {

/// The load of unit thermal strain component `component` of the linear elements of one material.
struct ThermalLoad {
  int material = 0;
  int component = 0;
  OwnedVec load;  // Σ_e f*_k over the material's linear elements (equation space)
};

/// One evaluation of every nonlinear element at the trial state.
struct Evaluation {
  bool law_failed = false;
  std::int64_t failed_element = -1;
  std::string failure;
  double force_scale = 0;        // largest of ‖K_lin u‖, ‖f_th‖, ‖f_prescribed‖ and (Σ_e ‖f_e‖²)^½ of the nonlinear elements
  double mode_residual_norm2 = 0;  // Σ‖r_a‖² over the elements' incompatible modes
  double element_force_norm2 = 0;  // Σ_e ‖f_e‖² of the nonlinear elements (this rank's, before the reduction)
  double residual_norm = 0;      // sqrt(‖r_u‖² + Σ‖r_a‖²)
};

/// The first element (lowest index) whose law failed in one thread's share of an element batch.
struct ElementFailure {
  std::size_t k = static_cast<std::size_t>(-1);  // index into nonlinear_elements; −1: none
  std::string message;
};

/// Why an increment attempt failed.
struct AttemptFailure {
  std::string reason;
  std::int64_t worst_element = -1;
};

struct AttemptResult {
  bool converged = false;
  AttemptFailure failure;
  int n_corrections = 0;
  int n_krylov_iterations = 0;
  std::vector<double> residual_norms;
  double force_scale = 0;
  bool skipped_a_tangent = false;  // some evaluation computed the residual alone
};

double seconds_since(std::chrono::steady_clock::time_point start);

/// Per-element records (`stride` doubles each, one per listed element of this rank) gathered on
/// rank 0 in mesh order (n_elements × stride, zeros for elements nobody sent); empty elsewhere.
std::vector<double> gather_element_records(MPI_Comm comm, const std::vector<long long>& elements, const std::vector<double>& values,
                                           int stride, std::size_t n_elements);

}  // namespace detail

struct ThermoMechanicalSolver::Impl {
  Impl(const mesh::Mesh& mesh, std::vector<std::shared_ptr<const MaterialLaw>> laws, SolverOptions options,
       std::vector<PrescribedDisplacement> prescribed);

  // --- set-up (solver_setup.cpp)
  void check_input() const;
  void create_vectors();
  void create_matrices();
  void classify_materials();
  void classify_elements();
  void assemble_linear_part();
  std::vector<std::array<int, 6>> create_thermal_loads();
  void add_prescribed_force(std::size_t local_element, const std::vector<double>& stiffness);
  void create_near_null_space();
  void find_tangent_positions();
  [[nodiscard]] std::vector<std::array<double, 3>> element_coordinates(std::int64_t element) const;
  [[nodiscard]] std::vector<PetscInt> element_rows(std::size_t local_element) const;
  void element_displacements(std::size_t local_element, const PetscScalar* local_values, std::vector<double>& u) const;
  [[nodiscard]] Mat new_matrix() const;

  // --- Newton (solver_newton.cpp)
  detail::Evaluation evaluate(double temperature_old_K, double temperature_new_K, double time_step_s, bool with_tangent);
  void assemble_linear_forces(double temperature_K, detail::Evaluation& evaluation);
  void evaluate_nonlinear_elements(const PointIncrement& increment, bool with_tangent, detail::Evaluation& evaluation);
  void evaluate_element_batch(std::size_t first, std::size_t last, const PointIncrement& increment, bool with_tangent,
                              const PetscScalar* local, detail::Evaluation& evaluation);
  void evaluate_element_range(std::size_t first, std::size_t last, std::size_t batch_start, const PointIncrement& increment,
                              bool with_tangent, const PetscScalar* local, detail::ElementFailure& failure);
  void add_nonlinear_element(std::size_t k, const detail::NonlinearElementOutput& output, bool with_tangent,
                             double& element_force_norm2, double& mode_residual_norm2);
  void add_nonlinear_element_directly(std::size_t k, const detail::NonlinearElementOutput& output);
  detail::AttemptResult attempt(double temperature_old_K, double temperature_new_K, double time_step_s, bool allow_skipped_tangents);
  void start_from_extrapolation(double temperature_change_K, double time_step_s);
  [[nodiscard]] double extrapolation_ratio(double temperature_change_K, double time_step_s) const;
  void update_modes_after_correction();
  [[nodiscard]] double forcing_term(const std::vector<double>& residuals, double previous_forcing) const;
  [[nodiscard]] std::int64_t worst_residual_element() const;
  [[nodiscard]] double max_inelastic_strain_increment() const;
  void commit(double temperature_change_K, double time_step_s);
  [[nodiscard]] Voigt6 thermal_strain(int material, double temperature_K) const;

  // --- run (solver_run.cpp)
  RunSummary run(const TemperatureHistory& history, double end_time_s, const IncrementObserver& observer);
  void check_within_temperature_range(const TemperatureHistory& history) const;

  // --- results (solver_results.cpp)
  [[nodiscard]] std::vector<std::array<double, 3>> gather_displacements(Vec equations) const;
  [[nodiscard]] ElementResults current_element_results() const;
  [[nodiscard]] ElementResults elastic_element_results(Vec equations, double temperature_K) const;
  ElasticSolution solve_elastic(double temperature_K);

  // --- checkpoint (solver_checkpoint.cpp)
  void save_checkpoint(const std::filesystem::path& path);
  void load_checkpoint(const std::filesystem::path& path);

  [[nodiscard]] int n_history(int material) const { return laws[static_cast<std::size_t>(material)]->n_history(); }
  [[nodiscard]] int material_of_local(std::size_t local_element) const {
    return mesh.material_of_element[static_cast<std::size_t>(dofs.local_elements[local_element])];
  }

  // inputs
  mesh::Mesh mesh;
  std::vector<std::shared_ptr<const MaterialLaw>> laws;
  SolverOptions options;
  std::vector<PrescribedDisplacement> prescribed;
  detail::ElementShape shape;
  MPI_Comm comm = MPI_COMM_NULL;
  int rank = 0, n_ranks = 1;
  detail::DofMap dofs;

  // this rank's elements, as indices into dofs.local_elements
  std::vector<std::size_t> linear_elements, nonlinear_elements;
  // Per material: its elements are linear (stiffness constant over the run), and the temperature
  // at which that stiffness is taken.
  std::vector<char> material_is_linear;
  double linear_stiffness_temperature_K = 0;
  std::vector<detail::ElementGeometry> nonlinear_geometry;   // per nonlinear element
  std::vector<std::size_t> point_offset;                     // per nonlinear element: first double of its points
  std::vector<int> point_stride;                             // per nonlinear element
  std::vector<double> committed_points, trial_points;        // point records (element_kernels.h)
  std::vector<double> committed_modes, trial_modes;          // 9 per nonlinear element (incompatible modes)
  std::vector<double> previous_mode_increment;               // Δα of the last converged increment
  std::vector<double> mode_tangents, mode_residuals;          // per nonlinear element: H (9 × n_dofs), h (9) of the last evaluation
  std::vector<double> mode_inverses;                          // per nonlinear element: K_aa⁻¹ (9 × 9) of the last tangent
  std::vector<detail::NonlinearElementOutput> batch_outputs;  // scratch: one per element of a batch
  int n_element_threads = 1;
  int n_product_threads = 1;  // of the sparse products: the element threads' cores on one rank, 1 under MPI
  // One rank: where entry (i, j) of nonlinear element k lands in the tangent's value array,
  // tangent_positions[(k·n + i)·n + j] (−1: a constrained row or column); empty under MPI.
  std::vector<PetscInt> tangent_positions;
  // The arrays the nonlinear elements are added to during one evaluation (direct assembly).
  struct DirectTargets {
    PetscScalar* tangent_values = nullptr;
    PetscScalar* nonlinear_force = nullptr;
    PetscScalar* rhs = nullptr;
  } direct_targets;

  // PETSc objects
  detail::OwnedMat linear_stiffness, tangent;
  detail::OwnedVec displacement, trial_displacement, correction;
  detail::OwnedVec previous_increment;  // Δu of the last converged increment (for the extrapolated start)
  detail::OwnedVec residual, rhs, linear_force, thermal_force, nonlinear_force, prescribed_force;
  detail::OwnedVec local_values;
  detail::OwnedScatter to_local;
  detail::OwnedNullSpace near_null_space;
  std::vector<detail::ThermalLoad> thermal_loads;
  std::unique_ptr<detail::LinearSolver> linear_solver;
  std::unique_ptr<detail::ThreadedProduct> linear_product;  // K_lin·u on several threads (one rank)

  // state
  bool has_started = false;
  double time_s = 0, temperature_K = 0;
  int increment_counter = 0;
  double proposed_time_step_s = 0;
  double previous_temperature_change_K = 0;  // ΔT of the last converged increment
  double previous_time_step_s = 0;           // Δt of the last converged increment (0: none yet)
  double force_reference = 0;                // the largest force scale of the converged increments
  SolverStatistics statistics;
};

}  // namespace wlp::fem
