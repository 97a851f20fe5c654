#include "fem/laws/isotropic_j2.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace wlp::fem::detail {

ShearBulk shear_bulk(double youngs_modulus_Pa, double poisson_ratio) {
  return ShearBulk{.shear_Pa = youngs_modulus_Pa / (2 * (1 + poisson_ratio)),
                   .bulk_Pa = youngs_modulus_Pa / (3 * (1 - 2 * poisson_ratio))};
}

double mean_stress(const Voigt6& stress) { return (stress[0] + stress[1] + stress[2]) / 3; }

Voigt6 deviator(const Voigt6& stress) {
  const double mean = mean_stress(stress);
  return Voigt6{stress[0] - mean, stress[1] - mean, stress[2] - mean, stress[3], stress[4], stress[5]};
}

double von_mises(const Voigt6& deviatoric_stress) {
  const Voigt6& s = deviatoric_stress;
  const double s_colon_s = s[0] * s[0] + s[1] * s[1] + s[2] * s[2] + 2 * (s[3] * s[3] + s[4] * s[4] + s[5] * s[5]);
  return std::sqrt(1.5 * s_colon_s);  // q = sqrt(3/2 s:s)
}

double contract(const Voigt6& stress, const Voigt6& strain) {
  double sum = 0;
  for (int i = 0; i < 6; ++i) sum += stress[i] * strain[i];
  return sum;
}

Voigt6 flow_strain_increment(const Voigt6& flow_deviator, double equivalent_Pa, double equivalent_increment) {
  Voigt6 strain{};
  if (equivalent_Pa <= 0 || equivalent_increment == 0) return strain;
  const double factor = 1.5 * equivalent_increment / equivalent_Pa;  // Δε = Δp·(3/2)·ξ/q
  for (int i = 0; i < 3; ++i) strain[i] = factor * flow_deviator[i];
  for (int i = 3; i < 6; ++i) strain[i] = 2 * factor * flow_deviator[i];  // engineering shear γ = 2ε
  return strain;
}

Matrix6 radial_return_tangent(const ShearBulk& moduli, const Voigt6& trial_flow_deviator, double trial_equivalent_Pa,
                              double equivalent_increment, double d_increment_d_trial_equivalent) {
  const double g = moduli.shear_Pa;
  const double k = moduli.bulk_Pa;
  double deviatoric_factor = 2 * g;  // 2G·θ, θ = 1 − 3GΔp/q_tr
  double rank_one_factor = 0;        // 9G²(Δp/q_tr − dΔp/dq_tr)/q_tr²
  if (trial_equivalent_Pa > 0) {
    deviatoric_factor = 2 * g * (1 - 3 * g * equivalent_increment / trial_equivalent_Pa);
    rank_one_factor = 9 * g * g * (equivalent_increment / trial_equivalent_Pa - d_increment_d_trial_equivalent) /
                      (trial_equivalent_Pa * trial_equivalent_Pa);
  }
  Matrix6 d{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) d[i * 6 + j] = k + deviatoric_factor * ((i == j ? 1.0 : 0.0) - 1.0 / 3.0);
  for (int i = 3; i < 6; ++i) d[i * 6 + i] = 0.5 * deviatoric_factor;  // I_dev shear diagonal ½ (engineering γ)
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) d[i * 6 + j] += rank_one_factor * trial_flow_deviator[i] * trial_flow_deviator[j];
  return d;
}

Voigt6 isotropic_thermal_strain(const TemperatureTable& cte_per_K, double temperature_K, double stress_free_K) {
  const double strain = cte_per_K.integral(stress_free_K, temperature_K);
  return Voigt6{strain, strain, strain, 0, 0, 0};
}

ElasticTrial elastic_trial(const IsotropicElasticData& elastic, const PointIncrement& increment,
                           std::span<const double> history_old) {
  const double youngs_modulus_Pa = elastic.youngs_modulus_Pa.at(increment.temperature_new_K);
  const Voigt6 thermal =
      isotropic_thermal_strain(elastic.cte_per_K, increment.temperature_new_K, increment.stress_free_temperature_K);
  Voigt6 elastic_strain{};
  for (int i = 0; i < 6; ++i)
    elastic_strain[i] = increment.strain_new[i] - thermal[i] - history_old[history::inelastic_strain + i];
  ElasticTrial trial;
  trial.moduli = shear_bulk(youngs_modulus_Pa, elastic.poisson_ratio);
  trial.stress = multiply(isotropic_stiffness(youngs_modulus_Pa, elastic.poisson_ratio), elastic_strain);
  trial.deviator = deviator(trial.stress);
  trial.mean_Pa = mean_stress(trial.stress);
  return trial;
}

void record_inelastic_increment(const InelasticIncrement& step, const Voigt6& stress_old, const Voigt6& stress_new,
                                std::span<const double> history_old, std::span<double> history_new) {
  if (history_new.data() != history_old.data()) std::copy(history_old.begin(), history_old.end(), history_new.begin());
  Voigt6 average_stress{};
  for (int i = 0; i < 6; ++i) average_stress[i] = 0.5 * (stress_old[i] + stress_new[i]);
  for (int i = 0; i < 6; ++i) history_new[history::inelastic_strain + i] += step.strain[i];
  history_new[history::equivalent_inelastic_strain] += step.equivalent_creep + step.equivalent_plastic;
  history_new[history::inelastic_work_J_per_m3] += contract(average_stress, step.strain);  // ½(σ_old+σ_new):Δε_in
  history_new[history::equivalent_creep_strain] += step.equivalent_creep;
  history_new[history::equivalent_plastic_strain] += step.equivalent_plastic;
}

void check_isotropic_elastic(const IsotropicElasticData& elastic, const std::string& law) {
  if (elastic.youngs_modulus_Pa.points.empty())
    throw MaterialDataError("", "youngs_modulus", fmt::format("{}: no Young's modulus given", law));
  for (const auto& [temperature_K, modulus_Pa] : elastic.youngs_modulus_Pa.points)
    if (!(modulus_Pa > 0))
      throw MaterialDataError("", "youngs_modulus",
                              fmt::format("{}: Young's modulus {} Pa at {} K is not positive", law, modulus_Pa, temperature_K));
  if (!(elastic.poisson_ratio > -1 && elastic.poisson_ratio < 0.5))
    throw MaterialDataError("", "poisson_ratio",
                            fmt::format("{}: Poisson ratio {} is outside (−1, 0.5)", law, elastic.poisson_ratio));
}

double log_sinh(double x) {
  if (x > 20) return x - std::log(2.0) + std::log1p(-std::exp(-2 * x));  // sinh x = e^x(1 − e^(−2x))/2
  return std::log(std::sinh(x));
}

double coth(double x) { return 1 / std::tanh(x); }

namespace {

bool is_usable_slope(double slope) { return std::isfinite(slope) && slope != 0; }

}  // namespace

ScalarRoot bracketed_newton(const std::function<std::pair<double, double>(double)>& value_and_slope, double low,
                            double high, double tolerance, int max_iterations) {
  const double value_low = value_and_slope(low).first;
  const double value_high = value_and_slope(high).first;
  if (value_low == 0) return ScalarRoot{.x = low, .n_iterations = 0, .is_converged = true};
  if (value_high == 0) return ScalarRoot{.x = high, .n_iterations = 0, .is_converged = true};
  if ((value_low > 0) == (value_high > 0)) return ScalarRoot{.x = low, .n_iterations = 0, .is_converged = false};
  // Orient the bracket so that f(negative_end) < 0 < f(positive_end).
  double negative_end = value_low < 0 ? low : high;
  double positive_end = value_low < 0 ? high : low;
  double x = 0.5 * (low + high);
  double step_before_last = std::abs(high - low);
  double last_step = step_before_last;
  auto [value, slope] = value_and_slope(x);
  for (int iteration = 1; iteration <= max_iterations; ++iteration) {
    const bool newton_leaves_bracket =
        !is_usable_slope(slope) || ((x - positive_end) * slope - value) * ((x - negative_end) * slope - value) > 0;
    const bool newton_too_slow = !newton_leaves_bracket && std::abs(2 * value) > std::abs(step_before_last * slope);
    step_before_last = last_step;
    if (newton_leaves_bracket || newton_too_slow || !std::isfinite(value)) {
      last_step = 0.5 * (positive_end - negative_end);  // bisection
      x = negative_end + last_step;
    } else {
      last_step = value / slope;  // Newton: x ← x − f/f'
      x -= last_step;
    }
    if (std::abs(last_step) < tolerance || std::abs(positive_end - negative_end) < tolerance)
      return ScalarRoot{.x = x, .n_iterations = iteration, .is_converged = true};
    std::tie(value, slope) = value_and_slope(x);
    if (value == 0) return ScalarRoot{.x = x, .n_iterations = iteration, .is_converged = true};
    (value < 0 ? negative_end : positive_end) = x;
  }
  return ScalarRoot{.x = x, .n_iterations = max_iterations, .is_converged = false};
}

CreepReturn creep_radial_return(double trial_equivalent_Pa, double shear_Pa, double time_step_s, const LogRate& rate,
                                const std::string& law) {
  if (!(trial_equivalent_Pa > 0) || !(time_step_s > 0))
    return CreepReturn{.equivalent_increment = 0, .equivalent_Pa = std::max(trial_equivalent_Pa, 0.0), .d_increment_d_trial = 0};
  const double three_g = 3 * shear_Pa;
  const double log_time_step = std::log(time_step_s);
  auto equivalent_at = [&](double y) { return trial_equivalent_Pa - three_g * std::exp(y); };  // q = q_tr − 3G·Δp
  auto residual = [&](double y) {
    const double q = equivalent_at(y);
    const double value = y - log_time_step - rate.value(q);               // R = ln Δp − ln Δt − ln f(q)
    const double slope = 1 + rate.slope(q) * three_g * std::exp(y);      // dR/dy
    return std::pair<double, double>{value, slope};
  };
  // Δp < q_tr/3G (q stays positive); the explicit Δp = Δt·f(q_tr) is an upper bound (f increases).
  const double y_stress_free = std::log(trial_equivalent_Pa / three_g) + std::log1p(-1e-12);
  const double y_explicit = log_time_step + rate.value(trial_equivalent_Pa);
  const double high = std::min(y_stress_free, y_explicit);
  double y = high;
  if (residual(high).first > 0) {
    double low = high - 1;
    for (int expansion = 0; residual(low).first > 0; ++expansion) {
      if (expansion > 60)
        throw LawError(fmt::format("{}: creep return found no lower bracket (q_tr = {} Pa, Δt = {} s)", law,
                                   trial_equivalent_Pa, time_step_s));
      low = high - 2 * (high - low);
    }
    const ScalarRoot root = bracketed_newton(residual, low, high, 1e-13, 200);
    if (!root.is_converged || !std::isfinite(root.x))
      throw LawError(fmt::format("{}: creep return did not converge in {} iterations (q_tr = {} Pa, Δt = {} s)", law,
                                 root.n_iterations, trial_equivalent_Pa, time_step_s));
    y = root.x;
  }
  // else: R(high) ≤ 0 at the bound itself — either the stress relaxes below 1e-12·q_tr within the
  // step, or the creep increment is below round-off of q_tr; the bound is the root either way.
  const double increment = std::exp(y);
  const double q = equivalent_at(y);
  const double log_slope = rate.slope(q);
  return CreepReturn{.equivalent_increment = increment,
                     .equivalent_Pa = q,
                     .d_increment_d_trial = increment * log_slope / (1 + three_g * increment * log_slope)};  // dΔp/dq_tr
}

}  // namespace wlp::fem::detail
