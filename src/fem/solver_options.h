// The choices of a thermo-mechanical run: element formulation, linear solver, Newton and
// increment control (docs/fe-engine.md explains each and its default).
#pragma once

#include <optional>

#include "mesh/mesh.h"

namespace wlp::fem {

enum class ElementFormulation {
  Hex8,               // full 2×2×2 Gauss integration (= CalculiX C3D8)
  Hex8Incompatible,   // Wilson–Taylor incompatible modes, 9 internal dofs condensed per element (≈ C3D8I)
  Hex20,              // serendipity, full 3×3×3 Gauss integration (= C3D20)
};

/// Hex8Incompatible for Hex8 meshes, Hex20 for Hex20 meshes.
ElementFormulation default_formulation(mesh::ElementType type);

enum class LinearSolverKind {
  FrozenFactorization,  // direct factorization (MUMPS) of a reference tangent, reused as the
                        // preconditioner of a Krylov method on the current tangent; refactored
                        // when the Krylov iteration count passes `refactor_iterations`
  Direct,               // factorize the current tangent at every Newton iteration (the baseline)
  AmgGamg,              // Krylov + PETSc GAMG with the rigid-body near-null space (large meshes, MPI)
  AmgHypre,             // Krylov + hypre BoomerAMG
};

enum class KrylovMethod { CG, GMRES };
enum class Factorization { Cholesky, LU };
// The package of the direct factorizations. CHOLMOD (SuiteSparse; supernodal Cholesky with the
// METIS/AMD orderings) is sequential and Cholesky only (asked for elsewhere, MUMPS is used).
// Automatic is CHOLMOD on one rank with Cholesky, else MUMPS (bench/RESULTS.md "FE" compares them).
enum class DirectSolverPackage { Automatic, Mumps, Cholmod };

struct LinearSolverOptions {
  LinearSolverKind kind = LinearSolverKind::FrozenFactorization;
  KrylovMethod krylov = KrylovMethod::CG;           // CG needs a symmetric tangent (every law of the library has one)
  Factorization factorization = Factorization::Cholesky;
  DirectSolverPackage package = DirectSolverPackage::Automatic;
  double relative_tolerance = 1e-10;                // Krylov: ‖b − A x‖ ≤ tol·‖b‖ (the tightest tolerance used)
  // Inexact Newton (Eisenstat & Walker, SIAM J. Sci. Comput. 17 (1996) 16, choice 2 with α = 2,
  // γ = 0.9): the Krylov tolerance of Newton iteration k is η_k = 0.9 (r_k/r_k−1)², at most
  // `max_forcing`, at least 0.5·(Newton tolerance)/r_k; the order of Newton stays 2 and the
  // converged answer is unchanged (it is set by the Newton tolerance on the true residual).
  bool adaptive_tolerance = true;
  // 0: automatic, max_forcing_of(). With the frozen factorization 0.3: on B0 (one cycle) 0.01 /
  // 0.1 / 0.3 / 0.5 / 0.9 took 1 208 / 735 / 649 / 619 / 619 Krylov and 178 / 202 / 228 / 287 /
  // 410 Newton iterations, 60.0 / 52.5 / 51.0 / 54.4 / 64.8 s, the corner ΔW the same to 4e-6 up
  // to 0.3 (bench/RESULTS.md, "FE"). With AMG 1e-2: its weaker corrections at 0.3 took more
  // Newton iterations, which changed the increments.
  double max_forcing = 0;
  int max_iterations = 400;
  int refactor_iterations = 25;                     // FrozenFactorization: refactor once a solve needs more
  // FrozenFactorization: also refactor once the solves since the last factorization needed, in
  // total, this many Krylov iterations more than one each (a solve with a fresh factor of the
  // current tangent needs one): the drift has then cost about one numeric factorization. A
  // count, not a time, so that a run and its resumed copy take the same path. 0: off.
  int refactor_excess_iterations = 0;
  // FrozenFactorization with CHOLMOD on one rank: CHOLMOD factorizes, and the factor is applied
  // in single precision on the element threads' cores (SinglePrecisionCholesky: half the bytes
  // read, both cores' bandwidth). false: CHOLMOD's own double-precision solve through PETSc.
  bool single_precision_factor = true;
};

/// The largest Krylov tolerance of a Newton step: `max_forcing`, or when 0 the automatic value
/// (0.3 with the frozen factorization, 1e-2 otherwise).
inline double max_forcing_of(const LinearSolverOptions& linear) {
  if (linear.max_forcing > 0) return linear.max_forcing;
  return linear.kind == LinearSolverKind::FrozenFactorization ? 0.3 : 1e-2;
}

struct NewtonOptions {
  // Converged when ‖r‖ ≤ tol · force scale; the scale is the largest, over every iteration of the
  // run so far, of ‖K_lin u‖, ‖f_th‖, ‖f_prescribed‖ and (Σ_e ‖f_e‖²)^½ of the nonlinear elements.
  double residual_tolerance = 1e-8;
  int max_iterations = 15;
  // Chord iterations: the first evaluation of an increment attempt computes the residual and
  // the consistent tangent; the next ones compute the residual alone (≈ 40 % of the cost: no
  // element matrices, no assembly) and keep that tangent and its mode condensation, as long as
  // each iteration cuts the residual by at least this factor; after a slower one the next
  // evaluation computes the tangent again. 0: off. The converged answer is the one of the same
  // tolerance (the residual is exact). Off by default: on B0 (one cycle) 0.5 took 303 instead of
  // 228 Newton iterations and 49.8 instead of 60.3 s, but on S3 FIG 1, whose solder creeps fast
  // at 125 °C, the kept tangents stalled (40 increments: 259 against 86 iterations; bench/RESULTS.md, "FE").
  double tangent_refresh_ratio = 0;
  // The evaluation predicted to be an attempt's last (r_k·(r_k/r_k−1) ≤ tol after a Newton step)
  // computes the residual alone; a wrong guess costs one chord step (bench/RESULTS.md, "FE").
  bool skip_predicted_last_tangent = true;
};

struct IncrementOptions {
  double initial_time_step_s = 10;
  double min_time_step_s = 1e-4;
  double max_time_step_s = 600;
  double max_temperature_change_K = 10;         // per increment
  double max_inelastic_strain_increment = 0.005;  // largest Δ(equivalent inelastic strain) of any point; 0: no limit
  double growth_factor = 1.5;                   // after an easy increment
  // "easy": converged with at most this many Newton corrections. 3 stays: at 5 the B0 run grew
  // its steps into the steep part of the Anand creep near 85 °C and paid with cutbacks and
  // 6–7-iteration increments (bench/RESULTS.md, "FE").
  int easy_newton_iterations = 3;
  int max_cutbacks = 8;                         // halvings of one increment before ConvergenceError
  // Start Newton from u_n + ratio·Δu_n (and the elements' modes alike): ratio = ΔT_n+1/ΔT_n when
  // both increments change the temperature in the same direction (ramps), Δt_n+1/Δt_n when
  // neither does (dwells): the first residual is then only the change of the response's rate.
  bool extrapolate = true;
};

// The temperatures a run will visit, when known beforehand (a cycle profile).
struct TemperatureRange {
  double low_K = 0;
  double high_K = 0;
};

struct SolverOptions {
  ElementFormulation element = ElementFormulation::Hex8Incompatible;
  // Threads of the nonlinear element loop (law updates, element tangents) of each rank; 0: the
  // machine's hardware threads when the run has one rank, 1 under MPI (the ranks fill the cores).
  // The answer does not depend on it: every element is evaluated alone and assembled in order.
  int n_element_threads = 0;
  double stress_free_temperature_K = 298.15;
  // With a range, elements whose law has a constant stiffness over it (a board that stays below
  // its Tg) are assembled once instead of at every Newton iteration; run() then refuses a
  // temperature history that leaves the range. Without one, only laws constant at every
  // temperature are.
  std::optional<TemperatureRange> temperature_range;
  LinearSolverOptions linear;
  NewtonOptions newton;
  IncrementOptions increments;
};

}  // namespace wlp::fem
