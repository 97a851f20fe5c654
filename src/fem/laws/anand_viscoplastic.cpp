#include "fem/laws/anand_viscoplastic.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <optional>
#include <stdexcept>

#include "fem/laws/isotropic_j2.h"

namespace wlp::fem {

namespace {

// The local equations of one increment in the unknowns y = ln Δεp and s (see the header).
class AnandLocalProblem {
 public:
  AnandLocalProblem(const AnandParameters& constants, double trial_equivalent_Pa, double shear_Pa, double time_step_s,
                    double temperature_K, double resistance_old_Pa)
      : c_(constants),
        trial_equivalent_Pa_(trial_equivalent_Pa),
        three_g_(3 * shear_Pa),
        // ln(Δt·A·e^(−Q/RT)): the increment Δεp a unit flow function would give
        log_reference_(std::log(time_step_s) + std::log(constants.a_per_s) - constants.q_over_r_K / temperature_K),
        resistance_old_Pa_(resistance_old_Pa) {}

  struct Jacobian {
    double r1_y = 0, r1_s = 0, r2_y = 0, r2_s = 0;
    double r1_trial = 0;  // ∂R1/∂q_tr (∂R2/∂q_tr = 0)
  };

  // y above which q would fall below 1e-12·q_tr (q must stay positive).
  [[nodiscard]] double y_cap() const { return std::log(trial_equivalent_Pa_ / three_g_) + std::log1p(-1e-12); }
  [[nodiscard]] double equivalent_Pa(double y) const { return trial_equivalent_Pa_ - three_g_ * std::exp(y); }
  // s* = ŝ·[Δεp/(Δt·A·e^(−Q/RT))]^n
  [[nodiscard]] double saturation_Pa(double y) const { return c_.s_hat_Pa * std::exp(c_.n * (y - log_reference_)); }
  [[nodiscard]] double resistance_old_Pa() const { return resistance_old_Pa_; }
  // The explicit estimate of y at the trial stress (an upper bound of the root at fixed s).
  [[nodiscard]] double y_explicit(double resistance_Pa) const {
    return log_reference_ + detail::log_sinh(c_.xi * trial_equivalent_Pa_ / resistance_Pa) / c_.m;
  }

  [[nodiscard]] double flow_residual(double y, double resistance_Pa) const {
    return y - log_reference_ - detail::log_sinh(c_.xi * equivalent_Pa(y) / resistance_Pa) / c_.m;  // R1
  }
  [[nodiscard]] double evolution_residual(double y, double resistance_Pa) const {
    const double b = 1 - resistance_Pa / saturation_Pa(y);  // B = 1 − s/s*
    return resistance_Pa - resistance_old_Pa_ - c_.h0_Pa * signed_power(b) * std::exp(y);  // R2
  }

  [[nodiscard]] Jacobian jacobian(double y, double resistance_Pa) const {
    const double increment = std::exp(y);
    const double q = equivalent_Pa(y);
    const double x = c_.xi * q / resistance_Pa;
    const double coth_over_m = detail::coth(x) / c_.m;
    const double saturation = saturation_Pa(y);
    const double b = 1 - resistance_Pa / saturation;
    const double power_slope = c_.a * std::pow(std::abs(b), c_.a - 1);  // d(|B|^a·sign B)/dB
    Jacobian j;
    j.r1_y = 1 + coth_over_m * c_.xi * three_g_ * increment / resistance_Pa;
    j.r1_s = coth_over_m * c_.xi * q / (resistance_Pa * resistance_Pa);
    j.r1_trial = -coth_over_m * c_.xi / resistance_Pa;
    j.r2_y = -c_.h0_Pa * increment * (signed_power(b) + power_slope * c_.n * resistance_Pa / saturation);  // dB/dy = n·s/s*
    j.r2_s = 1 + c_.h0_Pa * power_slope * increment / saturation;  // dB/ds = −1/s*
    return j;
  }

 private:
  [[nodiscard]] double signed_power(double b) const { return std::copysign(std::pow(std::abs(b), c_.a), b); }

  const AnandParameters& c_;
  double trial_equivalent_Pa_, three_g_, log_reference_, resistance_old_Pa_;
};

struct AnandSolution {
  double y = 0;
  double resistance_Pa = 0;
};

constexpr double kStepTolerance = 1e-12;

// Newton on (y, s); the step is shortened to keep q > 0 and s > 0, and |Δy| ≤ 2 per iteration.
std::optional<AnandSolution> solve_by_newton(const AnandLocalProblem& problem) {
  const double scale_Pa = problem.resistance_old_Pa();
  double resistance_Pa = problem.resistance_old_Pa();
  double y = std::min(problem.y_explicit(resistance_Pa), problem.y_cap() - std::log(2.0));
  for (int iteration = 0; iteration < 40; ++iteration) {
    const double r1 = problem.flow_residual(y, resistance_Pa);
    const double r2 = problem.evolution_residual(y, resistance_Pa);
    const AnandLocalProblem::Jacobian j = problem.jacobian(y, resistance_Pa);
    const double determinant = j.r1_y * j.r2_s - j.r1_s * j.r2_y;
    if (!std::isfinite(r1) || !std::isfinite(r2) || !std::isfinite(determinant) || determinant == 0) return std::nullopt;
    double dy = -(j.r2_s * r1 - j.r1_s * r2) / determinant;  // [dy, ds] = −J⁻¹·[R1, R2]
    double ds = -(-j.r2_y * r1 + j.r1_y * r2) / determinant;
    double fraction = 1;
    if (std::abs(dy) > 2) fraction = 2 / std::abs(dy);
    if (y + fraction * dy > problem.y_cap()) fraction = 0.5 * (problem.y_cap() - y) / dy;
    if (resistance_Pa + fraction * ds <= 0) fraction = std::min(fraction, 0.5 * resistance_Pa / std::abs(ds));
    dy *= fraction;
    ds *= fraction;
    y += dy;
    resistance_Pa += ds;
    if (fraction == 1 && std::abs(dy) < kStepTolerance && std::abs(ds) < kStepTolerance * scale_Pa)
      return AnandSolution{.y = y, .resistance_Pa = resistance_Pa};
  }
  return std::nullopt;
}

// s for a given y: R2 is increasing in s (∂R2/∂s > 0 for a ≥ 1), with its root between s_old and s*.
std::optional<double> resistance_for(const AnandLocalProblem& problem, double y) {
  const double saturation = problem.saturation_Pa(y);
  const double low = std::min(problem.resistance_old_Pa(), saturation);
  const double high = std::max(problem.resistance_old_Pa(), saturation);
  if (high == low) return low;
  const auto residual = [&](double resistance_Pa) {
    return std::pair<double, double>{problem.evolution_residual(y, resistance_Pa), problem.jacobian(y, resistance_Pa).r2_s};
  };
  const detail::ScalarRoot root = detail::bracketed_newton(residual, low, high, kStepTolerance * high, 200);
  if (!root.is_converged) return std::nullopt;
  return root.x;
}

// The bracketed fall-back: bisection-safeguarded Newton on the reduced residual R1(y, s(y)),
// whose slope is the Schur complement ∂R1/∂y − ∂R1/∂s·(∂R2/∂y)/(∂R2/∂s).
std::optional<AnandSolution> solve_by_bracketing(const AnandLocalProblem& problem) {
  bool inner_failed = false;
  const auto reduced = [&](double y) {
    const std::optional<double> resistance_Pa = resistance_for(problem, y);
    if (!resistance_Pa) {
      inner_failed = true;
      return std::pair<double, double>{0.0, 1.0};
    }
    const AnandLocalProblem::Jacobian j = problem.jacobian(y, *resistance_Pa);
    return std::pair<double, double>{problem.flow_residual(y, *resistance_Pa), j.r1_y - j.r1_s * j.r2_y / j.r2_s};
  };
  const double high = problem.y_cap();
  if (reduced(high).first <= 0) {  // the stress relaxes below 1e-12·q_tr: the relaxed state
    const std::optional<double> resistance_Pa = resistance_for(problem, high);
    if (!resistance_Pa) return std::nullopt;
    return AnandSolution{.y = high, .resistance_Pa = *resistance_Pa};
  }
  double low = std::min(high, problem.y_explicit(problem.resistance_old_Pa())) - 1;
  for (int expansion = 0; reduced(low).first > 0; ++expansion) {
    if (expansion > 60 || inner_failed) return std::nullopt;
    low = high - 2 * (high - low);
  }
  const detail::ScalarRoot root = detail::bracketed_newton(reduced, low, high, kStepTolerance, 300);
  if (!root.is_converged || inner_failed) return std::nullopt;
  const std::optional<double> resistance_Pa = resistance_for(problem, root.x);
  if (!resistance_Pa) return std::nullopt;
  return AnandSolution{.y = root.x, .resistance_Pa = *resistance_Pa};
}

void check_positive(double value, const char* key) {
  if (!(value > 0) || !std::isfinite(value))
    throw MaterialDataError("", std::string("anand.") + key,
                            fmt::format("Anand viscoplastic: constant {} = {} must be positive", key, value));
}

}  // namespace

AnandViscoplastic::AnandViscoplastic(AnandViscoplasticData data) : data_(std::move(data)) {
  detail::check_isotropic_elastic(data_.elastic, name());
  const AnandParameters& c = data_.anand;
  check_positive(c.s0_Pa, "s0");
  check_positive(c.q_over_r_K, "q_over_r");
  check_positive(c.a_per_s, "a");
  check_positive(c.xi, "xi");
  check_positive(c.m, "m");
  check_positive(c.h0_Pa, "h0");
  check_positive(c.s_hat_Pa, "s_hat");
  check_positive(c.n, "n");
  if (!(c.a >= 1))
    throw MaterialDataError("", "anand.a_exp",
                            fmt::format("Anand viscoplastic: hardening exponent a = {} must be at least 1", c.a));
}

std::string AnandViscoplastic::description() const {
  return data_.note.empty() ? name() : name() + " (" + data_.note + ")";
}

void AnandViscoplastic::initialise(std::span<double> history) const {
  MaterialLaw::initialise(history);
  history[anand_history::deformation_resistance_Pa] = data_.anand.s0_Pa;  // s(0) = s0
}

Matrix6 AnandViscoplastic::elastic_stiffness(double temperature_K) const {
  return isotropic_stiffness(data_.elastic.youngs_modulus_Pa.at(temperature_K), data_.elastic.poisson_ratio);
}

Voigt6 AnandViscoplastic::thermal_strain(double temperature_K, double stress_free_K) const {
  return detail::isotropic_thermal_strain(data_.elastic.cte_per_K, temperature_K, stress_free_K);
}

double AnandViscoplastic::steady_state_stress_Pa(double strain_rate_per_s, double temperature_K) const {
  const AnandParameters& c = data_.anand;
  const double z = strain_rate_per_s / c.a_per_s * std::exp(c.q_over_r_K / temperature_K);  // Z = (ε̇/A)·e^(Q/RT)
  return c.s_hat_Pa / c.xi * std::pow(z, c.n) * std::asinh(std::pow(z, c.m));          // σ* = (ŝ/ξ)·Z^n·asinh(Z^m)
}

void AnandViscoplastic::update(const PointIncrement& increment, const Voigt6& stress_old,
                               std::span<const double> history_old, Voigt6& stress_new, std::span<double> history_new,
                               Matrix6& tangent) const {
  if (increment.time_step_s < 0)
    throw std::invalid_argument(fmt::format("Anand viscoplastic: negative time step {} s", increment.time_step_s));
  const Voigt6 stress_start = stress_old;  // stress_old and stress_new may be the same array
  const double resistance_old_Pa = history_old[anand_history::deformation_resistance_Pa];
  if (!(resistance_old_Pa > 0))
    throw std::invalid_argument(fmt::format("Anand viscoplastic: deformation resistance s = {} Pa in the history; a "
                                            "fresh point needs initialise() (s = s0)",
                                            resistance_old_Pa));
  const detail::ElasticTrial trial = detail::elastic_trial(data_.elastic, increment, history_old);
  const double trial_equivalent_Pa = detail::von_mises(trial.deviator);
  if (!(trial_equivalent_Pa > 0) || increment.time_step_s == 0) {  // no time or no deviator: no flow
    stress_new = trial.stress;
    detail::record_inelastic_increment({}, stress_start, stress_new, history_old, history_new);
    tangent = elastic_stiffness(increment.temperature_new_K);
    return;
  }
  const AnandLocalProblem problem(data_.anand, trial_equivalent_Pa, trial.moduli.shear_Pa, increment.time_step_s,
                                  increment.temperature_new_K, resistance_old_Pa);
  std::optional<AnandSolution> solution;
  if (data_.local_solver == AnandLocalSolver::newton_with_bracketed_fallback) solution = solve_by_newton(problem);
  if (!solution) solution = solve_by_bracketing(problem);
  if (!solution || !std::isfinite(solution->y) || !(solution->resistance_Pa > 0))
    throw LawError(fmt::format("Anand viscoplastic: local equations not solved (q_tr = {} Pa, s_old = {} Pa, "
                               "Δt = {} s, T = {} K)",
                               trial_equivalent_Pa, resistance_old_Pa, increment.time_step_s, increment.temperature_new_K));
  const double equivalent_increment = std::exp(solution->y);
  const double three_g = 3 * trial.moduli.shear_Pa;
  const double deviator_scale = 1 - three_g * equivalent_increment / trial_equivalent_Pa;  // s = s_tr·(1 − 3GΔεp/q_tr)
  for (int i = 0; i < 6; ++i) stress_new[i] = trial.deviator[i] * deviator_scale + (i < 3 ? trial.mean_Pa : 0.0);
  detail::InelasticIncrement step;
  step.strain = detail::flow_strain_increment(trial.deviator, trial_equivalent_Pa, equivalent_increment);
  step.equivalent_creep = equivalent_increment;
  detail::record_inelastic_increment(step, stress_start, stress_new, history_old, history_new);
  history_new[anand_history::deformation_resistance_Pa] = solution->resistance_Pa;
  if (!std::all_of(stress_new.begin(), stress_new.end(), [](double value) { return std::isfinite(value); }))
    throw LawError(fmt::format("Anand viscoplastic: non-finite stress (q_tr = {} Pa, Δεp = {})", trial_equivalent_Pa,
                               equivalent_increment));
  // dy/dq_tr from J·[dy, ds] = −[∂R1/∂q_tr, 0]; dΔεp/dq_tr = Δεp·dy/dq_tr.
  const AnandLocalProblem::Jacobian j = problem.jacobian(solution->y, solution->resistance_Pa);
  const double determinant = j.r1_y * j.r2_s - j.r1_s * j.r2_y;
  const double dy_d_trial = -j.r2_s * j.r1_trial / determinant;
  tangent = detail::radial_return_tangent(trial.moduli, trial.deviator, trial_equivalent_Pa, equivalent_increment,
                                          equivalent_increment * dy_d_trial);
}

}  // namespace wlp::fem
