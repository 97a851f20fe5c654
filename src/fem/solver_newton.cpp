// One increment: Newton iterations on r(u) = K_lin·u + f_p − Σ ε_th,k(T) f_k + F_nonlinear(u) = 0.
#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <thread>

#include "fem/solver_impl.h"

namespace wlp::fem {

using detail::check;

namespace {

void assemble(Vec vec) {
  check(VecAssemblyBegin(vec), "VecAssemblyBegin");
  check(VecAssemblyEnd(vec), "VecAssemblyEnd");
}

double norm(Vec vec) {
  PetscReal value = 0;
  check(VecNorm(vec, NORM_2, &value), "VecNorm");
  return value;
}

}  // namespace

// Linear elements: K_lin·u (assembled once) and the thermal load Σ ε_th,k(T)·f_k of their
// materials (Voigt components k), so that they cost one matrix-vector product per iteration.
void ThermoMechanicalSolver::Impl::assemble_linear_forces(double temperature, detail::Evaluation& evaluation) {
  if (linear_product) {
    linear_product->multiply(linear_stiffness.get(), trial_displacement.get(), linear_force.get());
  } else {
    check(MatMult(linear_stiffness.get(), trial_displacement.get(), linear_force.get()), "MatMult (K_lin u)");
  }
  check(VecSet(thermal_force.get(), 0.0), "VecSet");
  for (const detail::ThermalLoad& load : thermal_loads) {
    const double strain = thermal_strain(load.material, temperature)[static_cast<std::size_t>(load.component)];
    if (strain != 0) check(VecAXPY(thermal_force.get(), strain, load.load.get()), "VecAXPY (thermal load)");
  }
  evaluation.force_scale = std::max({norm(linear_force.get()), norm(thermal_force.get()), norm(prescribed_force.get())});
}

// Adds one evaluated element to the vectors, the tangent and the mode data.
void ThermoMechanicalSolver::Impl::add_nonlinear_element(std::size_t k, const detail::NonlinearElementOutput& output, bool with_tangent,
                                                         double& element_force_norm2, double& mode_residual_norm2) {
  const int n = shape.n_dofs();
  const auto n_mode_dofs = static_cast<std::size_t>(shape.n_mode_dofs());
  for (double f : output.residual) element_force_norm2 += f * f;  // Σ_e ‖∫Bᵀσ‖², reactions included
  if (!tangent_positions.empty()) {
    add_nonlinear_element_directly(k, output);
  } else {
    const std::vector<PetscInt> rows = element_rows(nonlinear_elements[k]);
    check(VecSetValues(nonlinear_force.get(), n, rows.data(), output.residual.data(), ADD_VALUES), "VecSetValues");
    check(VecSetValues(rhs.get(), n, rows.data(), output.condensed_residual.data(), ADD_VALUES), "VecSetValues");
    if (with_tangent)
      check(MatSetValues(tangent.get(), n, rows.data(), n, rows.data(), output.tangent.data(), ADD_VALUES), "MatSetValues");
  }
  if (n_mode_dofs == 0) return;
  if (with_tangent) {  // else the kept H and K_aa⁻¹ stay
    std::copy(output.mode_tangent.begin(), output.mode_tangent.end(),
              mode_tangents.begin() + static_cast<std::ptrdiff_t>(k * n_mode_dofs * static_cast<std::size_t>(n)));
    std::copy(output.mode_inverse.begin(), output.mode_inverse.end(),
              mode_inverses.begin() + static_cast<std::ptrdiff_t>(k * n_mode_dofs * n_mode_dofs));
  }
  std::copy(output.mode_residual.begin(), output.mode_residual.end(), mode_residuals.begin() + static_cast<std::ptrdiff_t>(k * n_mode_dofs));
  mode_residual_norm2 += output.mode_residual_norm2;
}

// One rank: the element's matrix and vectors added straight into the arrays (find_tangent_positions).
void ThermoMechanicalSolver::Impl::add_nonlinear_element_directly(std::size_t k, const detail::NonlinearElementOutput& output) {
  const auto n = static_cast<std::size_t>(shape.n_dofs());
  const std::int64_t* equations = dofs.element_equations.data() + nonlinear_elements[k] * n;
  for (std::size_t i = 0; i < n; ++i) {
    if (equations[i] < 0) continue;
    direct_targets.nonlinear_force[equations[i]] += output.residual[i];
    direct_targets.rhs[equations[i]] += output.condensed_residual[i];
  }
  if (output.tangent.empty()) return;  // a residual-only evaluation
  const PetscInt* positions = tangent_positions.data() + k * n * n;
  const double* values = output.tangent.data();
  for (std::size_t i = 0; i < n * n; ++i)
    if (positions[i] >= 0) direct_targets.tangent_values[positions[i]] += values[i];
}

// Evaluates nonlinear elements [first, last) into batch_outputs[k − batch_start]; stops at the
// first element whose law fails (the elements are independent, so a thread may run ahead of the
// failure of another: only the lowest failing index is reported).
void ThermoMechanicalSolver::Impl::evaluate_element_range(std::size_t first, std::size_t last, std::size_t batch_start,
                                                          const PointIncrement& increment, bool with_tangent,
                                                          const PetscScalar* local, detail::ElementFailure& failure) {
  const auto n_mode_dofs = static_cast<std::size_t>(shape.n_mode_dofs());
  std::vector<double> u;
  for (std::size_t k = first; k < last; ++k) {
    const std::size_t le = nonlinear_elements[k];
    element_displacements(le, local, u);
    detail::NonlinearElementInput input;
    input.geometry = &nonlinear_geometry[k];
    input.law = laws[static_cast<std::size_t>(material_of_local(le))].get();
    input.increment = increment;
    input.displacements = u;
    input.modes = std::span<const double>(trial_modes.data() + k * n_mode_dofs, n_mode_dofs);
    input.committed_points = committed_points.data() + point_offset[k];
    input.trial_points = trial_points.data() + point_offset[k];
    input.point_stride = point_stride[k];
    input.with_tangent = with_tangent;
    if (!with_tangent && n_mode_dofs > 0) {
      const std::size_t n = static_cast<std::size_t>(shape.n_dofs());
      input.kept_mode_tangent = std::span<const double>(mode_tangents.data() + k * n_mode_dofs * n, n_mode_dofs * n);
      input.kept_mode_inverse = std::span<const double>(mode_inverses.data() + k * n_mode_dofs * n_mode_dofs, n_mode_dofs * n_mode_dofs);
    }
    try {
      detail::evaluate_nonlinear_element(input, batch_outputs[k - batch_start]);
    } catch (const LawError& error) {
      failure = {k, error.what()};
      return;
    }
  }
}

// One batch of elements evaluated by the element threads, which take chunks of 32 elements in
// turn (solder and copper elements cost differently: fixed shares left one thread idle), then
// added in element order, so the assembled sums do not depend on the number of threads. Chunks
// are taken in increasing order, so once an element failed no chunk taken later can hold a lower
// one: the threads stop taking chunks.
void ThermoMechanicalSolver::Impl::evaluate_element_batch(std::size_t first, std::size_t last, const PointIncrement& increment,
                                                          bool with_tangent, const PetscScalar* local, detail::Evaluation& evaluation) {
  constexpr std::size_t chunk = 32;
  const auto n_threads = static_cast<std::size_t>(std::max(1, n_element_threads));
  std::vector<detail::ElementFailure> failures(n_threads);
  std::atomic<std::size_t> next{first};
  std::atomic<bool> has_failed{false};
  const auto work = [&, this](std::size_t t) {
    while (!has_failed.load(std::memory_order_relaxed)) {
      const std::size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= last) return;
      evaluate_element_range(begin, std::min(last, begin + chunk), first, increment, with_tangent, local, failures[t]);
      if (failures[t].k != static_cast<std::size_t>(-1)) has_failed = true;
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < n_threads; ++t) threads.emplace_back(work, t);
  work(0);
  for (std::thread& thread : threads) thread.join();
  std::size_t failed = last;
  for (const detail::ElementFailure& failure : failures)
    if (failure.k < failed) {
      failed = failure.k;
      evaluation.law_failed = true;
      evaluation.failed_element = dofs.local_elements[nonlinear_elements[failure.k]];
      evaluation.failure = failure.message;
    }
  for (std::size_t k = first; k < failed; ++k)
    add_nonlinear_element(k, batch_outputs[k - first], with_tangent, evaluation.element_force_norm2, evaluation.mode_residual_norm2);
}

void ThermoMechanicalSolver::Impl::evaluate_nonlinear_elements(const PointIncrement& increment, bool with_tangent,
                                                               detail::Evaluation& evaluation) {
  check(VecSet(nonlinear_force.get(), 0.0), "VecSet");
  check(VecSet(rhs.get(), 0.0), "VecSet");
  constexpr std::size_t batch_size = 2048;  // bounds the scratch (≈ 7 kB per Hex8 element) whatever the mesh
  const std::size_t n_elements = nonlinear_elements.size();
  if (batch_outputs.size() < std::min(batch_size, n_elements)) batch_outputs.resize(std::min(batch_size, n_elements));
  {
    const detail::VecReader local(local_values.get());  // read once here: PETSc's array access is not for threads
    const bool direct = !tangent_positions.empty();
    std::optional<detail::VecWriter> force_values, rhs_values;
    if (direct) {
      if (with_tangent) check(MatSeqAIJGetArray(tangent.get(), &direct_targets.tangent_values), "MatSeqAIJGetArray");
      direct_targets.nonlinear_force = force_values.emplace(nonlinear_force.get()).data();
      direct_targets.rhs = rhs_values.emplace(rhs.get()).data();
    }
    // the matrix and vectors are still assembled below after a failure: assembly is collective
    for (std::size_t first = 0; first < n_elements && !evaluation.law_failed; first += batch_size)
      evaluate_element_batch(first, std::min(n_elements, first + batch_size), increment, with_tangent, local.data(), evaluation);
    if (direct && with_tangent) check(MatSeqAIJRestoreArray(tangent.get(), &direct_targets.tangent_values), "MatSeqAIJRestoreArray");
    direct_targets = {};
  }
  if (with_tangent) {  // the same on every rank (attempt() decides from reduced norms): assembly is collective
    check(MatAssemblyBegin(tangent.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyBegin");
    check(MatAssemblyEnd(tangent.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyEnd");
  }
  assemble(nonlinear_force.get());
  assemble(rhs.get());
  // Every rank learns whether (and where: the lowest element index) a law failed.
  std::int64_t failed = evaluation.law_failed ? evaluation.failed_element : std::numeric_limits<std::int64_t>::max();
  MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT64_T, MPI_MIN, comm);
  std::array<double, 2> sums{evaluation.mode_residual_norm2, evaluation.element_force_norm2};
  MPI_Allreduce(MPI_IN_PLACE, sums.data(), 2, MPI_DOUBLE, MPI_SUM, comm);
  evaluation.mode_residual_norm2 = sums[0];
  evaluation.force_scale = std::max(evaluation.force_scale, std::sqrt(sums[1]));
  if (failed != std::numeric_limits<std::int64_t>::max()) {
    evaluation.law_failed = true;
    evaluation.failed_element = failed;
  }
}

// The residual at the trial state and, with `with_tangent`, the tangent there; without, the
// tangent of an earlier evaluation stays (chord iterations, NewtonOptions::tangent_refresh_ratio).
detail::Evaluation ThermoMechanicalSolver::Impl::evaluate(double temperature_old, double temperature_new, double time_step_s,
                                                          bool with_tangent) {
  const auto start = std::chrono::steady_clock::now();
  detail::Evaluation evaluation;
  check(VecScatterBegin(to_local.get(), trial_displacement.get(), local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterBegin");
  check(VecScatterEnd(to_local.get(), trial_displacement.get(), local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterEnd");
  if (with_tangent) check(MatCopy(linear_stiffness.get(), tangent.get(), SAME_NONZERO_PATTERN), "MatCopy (K_lin → tangent)");
  assemble_linear_forces(temperature_new, evaluation);
  PointIncrement increment;
  increment.temperature_old_K = temperature_old;
  increment.temperature_new_K = temperature_new;
  increment.stress_free_temperature_K = options.stress_free_temperature_K;
  increment.time_step_s = time_step_s;
  evaluate_nonlinear_elements(increment, with_tangent, evaluation);
  // r = K_lin u + f_p − f_th + F_nl (true residual); rhs = the same with the condensed F_nl.
  check(VecWAXPY(residual.get(), -1.0, thermal_force.get(), linear_force.get()), "VecWAXPY");
  check(VecAXPY(residual.get(), 1.0, prescribed_force.get()), "VecAXPY");
  check(VecAXPY(rhs.get(), 1.0, residual.get()), "VecAXPY");
  check(VecAXPY(residual.get(), 1.0, nonlinear_force.get()), "VecAXPY");
  const double residual_norm = norm(residual.get());
  evaluation.residual_norm = std::sqrt(residual_norm * residual_norm + evaluation.mode_residual_norm2);
  statistics.assembly_time_s += detail::seconds_since(start);
  return evaluation;
}

void ThermoMechanicalSolver::Impl::update_modes_after_correction() {
  if (shape.n_modes == 0) return;  // the same on every rank: the scatter below is collective
  check(VecScatterBegin(to_local.get(), correction.get(), local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterBegin");
  check(VecScatterEnd(to_local.get(), correction.get(), local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterEnd");
  const auto n = static_cast<std::size_t>(shape.n_dofs());
  const auto n_mode_dofs = static_cast<std::size_t>(shape.n_mode_dofs());
  detail::VecReader local(local_values.get());
  std::vector<double> du(n);
  for (std::size_t k = 0; k < nonlinear_elements.size(); ++k) {
    const std::size_t le = nonlinear_elements[k];
    for (std::size_t i = 0; i < n; ++i) {
      const int index = dofs.element_local_dofs[le * n + i];
      du[i] = index >= 0 ? local.data()[index] : 0.0;  // constrained values do not change
    }
    detail::apply_mode_update(std::span<const double>(mode_tangents.data() + k * n_mode_dofs * n, n_mode_dofs * n),
                              std::span<const double>(mode_residuals.data() + k * n_mode_dofs, n_mode_dofs), du,
                              std::span<double>(trial_modes.data() + k * n_mode_dofs, n_mode_dofs));
  }
}

std::int64_t ThermoMechanicalSolver::Impl::worst_residual_element() const {
  struct {
    double value;
    int index;
  } worst{-1.0, -1};
  {
    detail::VecReader values(residual.get());
    for (PetscInt i = 0; i < values.size(); ++i)
      if (std::abs(values.data()[i]) > worst.value) {
        worst.value = std::abs(values.data()[i]);
        worst.index = static_cast<int>(dofs.first_equation + i);
      }
  }
  MPI_Allreduce(MPI_IN_PLACE, &worst, 1, MPI_DOUBLE_INT, MPI_MAXLOC, comm);
  if (worst.index < 0) return -1;
  const std::int64_t node = dofs.representative_dof[static_cast<std::size_t>(worst.index)] / 3;
  const auto it = std::find(mesh.connectivity.begin(), mesh.connectivity.end(), node);
  return it == mesh.connectivity.end() ? -1 : (it - mesh.connectivity.begin()) / mesh::nodes_per_element(mesh.element_type);
}

double ThermoMechanicalSolver::Impl::max_inelastic_strain_increment() const {
  double largest = 0;
  for (std::size_t k = 0; k < nonlinear_elements.size(); ++k)
    for (int p = 0; p < shape.n_points; ++p) {
      const std::size_t at = point_offset[k] + static_cast<std::size_t>(p * point_stride[k] + detail::point_history +
                                                                        history::equivalent_inelastic_strain);
      largest = std::max(largest, trial_points[at] - committed_points[at]);
    }
  MPI_Allreduce(MPI_IN_PLACE, &largest, 1, MPI_DOUBLE, MPI_MAX, comm);
  return largest;
}

// Eisenstat & Walker (1996), choice 2 (α = 2, γ = 0.9) with their safeguard γη²_k−1 and
// Kelley's lower bound 0.5·tol/r_k (Iterative Methods for Linear and Nonlinear Equations, 1995, §6.3).
double ThermoMechanicalSolver::Impl::forcing_term(const std::vector<double>& residuals, double previous_forcing) const {
  const LinearSolverOptions& linear = options.linear;
  if (!linear.adaptive_tolerance) return linear.relative_tolerance;
  constexpr double gamma = 0.9;
  const double max_forcing = max_forcing_of(linear);
  double forcing = max_forcing;
  if (residuals.size() >= 2) {
    const double ratio = residuals.back() / residuals[residuals.size() - 2];
    forcing = gamma * ratio * ratio;
    if (gamma * previous_forcing * previous_forcing > 0.1) forcing = std::max(forcing, gamma * previous_forcing * previous_forcing);
  }
  forcing = std::max(forcing, 0.5 * options.newton.residual_tolerance / residuals.back());
  return std::clamp(forcing, linear.relative_tolerance, max_forcing);
}

detail::AttemptResult ThermoMechanicalSolver::Impl::attempt(double temperature_old, double temperature_new, double time_step_s,
                                                           bool allow_skipped_tangents) {
  detail::AttemptResult result;
  start_from_extrapolation(temperature_new - temperature_old, time_step_s);
  const double tolerance = options.newton.residual_tolerance;
  // The largest force seen in the run so far (reactions count, so prescribed motion converges too;
  // a stress-free state reached by extrapolation keeps the scale of the loads that led to it).
  double force_scale = force_reference;
  double previous_forcing = max_forcing_of(options.linear);
  bool with_tangent = true;  // the first evaluation of an attempt computes the tangent
  for (;;) {
    const detail::Evaluation evaluation = evaluate(temperature_old, temperature_new, time_step_s, with_tangent);
    ++(with_tangent ? statistics.n_tangent_evaluations : statistics.n_residual_evaluations);
    if (!with_tangent) result.skipped_a_tangent = true;
    force_scale = std::max(force_scale, evaluation.force_scale);
    if (evaluation.law_failed) {
      result.failure = {"the material law failed in element " + std::to_string(evaluation.failed_element) +
                            (evaluation.failure.empty() ? std::string() : " (" + evaluation.failure + ")"),
                        evaluation.failed_element};
      return result;
    }
    const double relative = force_scale > 0 ? evaluation.residual_norm / force_scale : 0.0;
    result.residual_norms.push_back(relative);
    // Chord iterations: the tangent of the attempt's first evaluation is kept while the residual
    // falls by at least the refresh ratio per iteration; after a slower iteration the next
    // evaluation computes it again. Ratio 0: at every iteration (Newton).
    const double refresh_ratio = allow_skipped_tangents ? options.newton.tangent_refresh_ratio : 0.0;
    const std::size_t n_norms = result.residual_norms.size();
    const bool was_with_tangent = with_tangent;
    with_tangent = refresh_ratio <= 0 || (n_norms >= 2 && relative > refresh_ratio * result.residual_norms[n_norms - 2]);
    // The evaluation that is likely to be the last, r_k·(r_k/r_k−1) ≤ tol (Newton's convergence
    // is faster than linear), computes the residual alone: its tangent would go unused. When the
    // guess is wrong, one chord step follows and the next evaluation computes the tangent.
    if (allow_skipped_tangents && options.newton.skip_predicted_last_tangent && was_with_tangent && n_norms >= 2 &&
        relative * relative / result.residual_norms[n_norms - 2] <= tolerance)
      with_tangent = false;
    if (relative <= tolerance) {
      result.converged = true;
      result.force_scale = force_scale;
      return result;
    }
    const bool diverged = !std::isfinite(relative) || (result.residual_norms.size() > 2 && relative > 1e3 * result.residual_norms.front());
    if (diverged || result.n_corrections >= options.newton.max_iterations) {
      result.failure = {(diverged ? "Newton diverged" : "Newton did not converge in " + std::to_string(result.n_corrections) + " iterations") +
                            std::string(" (relative residual ") + std::to_string(relative) + ")",
                        worst_residual_element()};
      return result;
    }
    check(VecScale(rhs.get(), -1.0), "VecScale");
    const double forcing = forcing_term(result.residual_norms, previous_forcing);
    previous_forcing = forcing;
    const detail::LinearSolveOutcome outcome = linear_solver->solve(tangent.get(), rhs.get(), correction.get(), forcing);
    result.n_krylov_iterations += outcome.n_iterations;
    ++statistics.n_newton_iterations;
    if (!outcome.converged) {
      result.failure = {"the linear solver failed (PETSc KSPConvergedReason " + std::to_string(static_cast<int>(outcome.reason)) + ")",
                        worst_residual_element()};
      return result;
    }
    ++result.n_corrections;
    check(VecAXPY(trial_displacement.get(), 1.0, correction.get()), "VecAXPY");  // u ← u + δu
    update_modes_after_correction();                                               // α ← α − h − H δu
  }
}

// How far along the last increment's direction this one starts: ΔT/ΔT_n on a ramp that goes on in
// the same direction (the response follows the temperature), Δt/Δt_n in a dwell that goes on (the
// response follows the creep rate); 0 where the profile turns, where nothing was run yet, or
// without IncrementOptions::extrapolate.
double ThermoMechanicalSolver::Impl::extrapolation_ratio(double temperature_change_K, double time_step_s) const {
  if (!options.increments.extrapolate || previous_time_step_s <= 0) return 0;
  if (temperature_change_K != 0 && previous_temperature_change_K != 0)
    return std::max(0.0, temperature_change_K / previous_temperature_change_K);
  if (temperature_change_K == 0 && previous_temperature_change_K == 0) return time_step_s / previous_time_step_s;
  return 0;
}

void ThermoMechanicalSolver::Impl::start_from_extrapolation(double temperature_change_K, double time_step_s) {
  check(VecCopy(displacement.get(), trial_displacement.get()), "VecCopy");
  trial_modes = committed_modes;
  const double ratio = extrapolation_ratio(temperature_change_K, time_step_s);
  if (!(ratio > 0)) return;
  check(VecAXPY(trial_displacement.get(), ratio, previous_increment.get()), "VecAXPY");  // u ← u_n + ratio·Δu_n
  // The elements' incompatible modes move with u: extrapolated alike, the start is the state
  // the last increment's rate leads to, not one with the modes left behind.
  for (std::size_t i = 0; i < trial_modes.size(); ++i) trial_modes[i] += ratio * previous_mode_increment[i];
}

void ThermoMechanicalSolver::Impl::commit(double temperature_change_K, double time_step_s) {
  std::swap(committed_points, trial_points);
  for (std::size_t i = 0; i < trial_modes.size(); ++i) previous_mode_increment[i] = trial_modes[i] - committed_modes[i];
  committed_modes = trial_modes;
  check(VecWAXPY(previous_increment.get(), -1.0, displacement.get(), trial_displacement.get()), "VecWAXPY");  // Δu_n
  check(VecCopy(trial_displacement.get(), displacement.get()), "VecCopy");
  previous_temperature_change_K = temperature_change_K;
  previous_time_step_s = time_step_s;
}

}  // namespace wlp::fem
