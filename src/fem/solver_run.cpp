// Time stepping: increments that land on every knot and breakpoint of the temperature history,
// grow after easy convergence, are limited in temperature change and inelastic strain, and are
// halved on failure.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <sstream>
#include <stdexcept>

#include "fem/solver_impl.h"

namespace wlp::fem {

namespace {

// The step that reaches `remaining` in equal steps no longer than `wanted`.
double landing_step(double wanted, double remaining) {
  if (wanted >= remaining * (1 - 1e-12)) return remaining;
  return remaining / std::ceil(remaining / wanted);
}

// Limits the step so that |ΔT| ≤ max_change on the linear segment up to `landing`.
double temperature_limited_step(const TemperatureHistory& history, double time, double landing, double wanted, double max_change_K) {
  const double slope = (history.temperature_at(landing) - history.temperature_at(time)) / (landing - time);
  if (slope == 0 || max_change_K <= 0) return wanted;
  return std::min(wanted, max_change_K / std::abs(slope));
}

std::string describe_failure(int increment, double start_s, double end_s, double temperature_K, int n_cutbacks,
                             const detail::AttemptFailure& failure) {
  std::ostringstream text;
  text << "increment " << increment << " from t = " << start_s << " s to " << end_s << " s (T = " << temperature_K
       << " K) did not converge after " << n_cutbacks << " cutbacks: " << failure.reason;
  if (failure.worst_element >= 0) text << "; worst element " << failure.worst_element;
  return text.str();
}

}  // namespace

// Elements classified as linear over the declared range would be wrong outside it.
void ThermoMechanicalSolver::Impl::check_within_temperature_range(const TemperatureHistory& history) const {
  if (!options.temperature_range) return;
  const TemperatureRange& range = *options.temperature_range;
  for (std::size_t i = 0; i < history.temperature_K.size(); ++i) {
    const double temperature = history.temperature_K[i];
    if (temperature < range.low_K - 1e-9 || temperature > range.high_K + 1e-9)
      throw std::invalid_argument(fmt::format("the temperature history reaches {} K at t = {} s, outside the solver's declared "
                                              "temperature range [{}, {}] K (SolverOptions::temperature_range)",
                                              temperature, history.time_s[i], range.low_K, range.high_K));
  }
}

RunSummary ThermoMechanicalSolver::Impl::run(const TemperatureHistory& history, double end_time_s, const IncrementObserver& observer) {
  history.validate();
  check_within_temperature_range(history);
  const auto run_start = std::chrono::steady_clock::now();
  const IncrementOptions& control = options.increments;
  if (!has_started) {
    const double start_temperature = history.temperature_K.front();
    if (std::abs(start_temperature - options.stress_free_temperature_K) > 1e-9 * options.stress_free_temperature_K)
      throw std::invalid_argument("the temperature history starts at " + std::to_string(start_temperature) +
                                  " K but the stress-free temperature is " + std::to_string(options.stress_free_temperature_K) + " K");
    time_s = history.time_s.front();
    temperature_K = start_temperature;
    has_started = true;
  } else if (std::abs(history.temperature_at(time_s) - temperature_K) > 1e-9 * temperature_K) {
    throw std::invalid_argument("the temperature history gives " + std::to_string(history.temperature_at(time_s)) + " K at t = " +
                                std::to_string(time_s) + " s, where the state is at " + std::to_string(temperature_K) + " K");
  }
  RunSummary summary;
  const std::vector<double> landings = history.landing_times(time_s, end_time_s);
  std::size_t next_landing = 0;
  while (time_s < end_time_s) {
    while (landings[next_landing] <= time_s) ++next_landing;
    const double landing = landings[next_landing];
    double wanted = std::clamp(proposed_time_step_s, control.min_time_step_s, control.max_time_step_s);
    wanted = temperature_limited_step(history, time_s, landing, wanted, control.max_temperature_change_K);
    int n_cutbacks = 0;
    bool was_retried = false;  // cut back or shortened for accuracy
    bool allow_skipped_tangents = true;  // residual-only evaluations (NewtonOptions) until an attempt failed with them
    for (;;) {
      const double step = landing_step(wanted, landing - time_s);
      const double new_time = step == landing - time_s ? landing : time_s + step;
      const double new_temperature = history.temperature_at(new_time);
      detail::AttemptResult result = attempt(temperature_K, new_temperature, new_time - time_s, allow_skipped_tangents);
      if (!result.converged && result.skipped_a_tangent) {  // the same step again with Newton before any cutback
        allow_skipped_tangents = false;
        ++statistics.n_newton_fallbacks;
        continue;
      }
      double inelastic_increment = 0;
      if (result.converged) inelastic_increment = max_inelastic_strain_increment();
      const double strain_limit = control.max_inelastic_strain_increment;
      if (result.converged && strain_limit > 0 && inelastic_increment > strain_limit && step > control.min_time_step_s) {
        wanted = std::max(control.min_time_step_s, step * std::max(0.2, 0.8 * strain_limit / inelastic_increment));
        ++statistics.n_accuracy_retries;
        was_retried = true;
        continue;
      }
      if (!result.converged) {
        ++n_cutbacks;
        ++statistics.n_cutbacks;
        if (n_cutbacks > control.max_cutbacks || step / 2 < control.min_time_step_s) {
          statistics.run_time_s += detail::seconds_since(run_start);
          throw ConvergenceError(describe_failure(increment_counter + 1, time_s, new_time, new_temperature, n_cutbacks - 1, result.failure),
                                 {increment_counter + 1, time_s, new_time, new_temperature, result.failure.worst_element});
        }
        wanted = step / 2;
        was_retried = true;
        continue;
      }
      commit(new_temperature - temperature_K, new_time - time_s);
      force_reference = result.force_scale;
      ++increment_counter;
      ++statistics.n_increments;
      ++summary.n_increments;
      IncrementReport report{increment_counter, new_time, new_time - time_s, new_temperature, result.n_corrections,
                             result.n_krylov_iterations, n_cutbacks, inelastic_increment, result.residual_norms};
      time_s = new_time;
      temperature_K = new_temperature;
      // Next step: grow after an easy increment, shrink towards the inelastic-strain limit.
      double factor = result.n_corrections <= control.easy_newton_iterations ? control.growth_factor : 1.0;
      if (strain_limit > 0 && inelastic_increment > 0) factor = std::min(factor, 0.9 * strain_limit / inelastic_increment);
      const double base = was_retried ? step : std::max(step, wanted);  // a landing that shortened the step does not shrink the next
      proposed_time_step_s = std::clamp(base * std::max(factor, 0.5), control.min_time_step_s, control.max_time_step_s);
      int keep_going = observer ? (observer(report) ? 1 : 0) : 1;
      MPI_Allreduce(MPI_IN_PLACE, &keep_going, 1, MPI_INT, MPI_MIN, comm);
      if (!keep_going) {
        summary.time_s = time_s;
        statistics.run_time_s += detail::seconds_since(run_start);
        return summary;
      }
      break;
    }
  }
  summary.reached_end = true;
  summary.time_s = time_s;
  statistics.run_time_s += detail::seconds_since(run_start);
  return summary;
}

}  // namespace wlp::fem
