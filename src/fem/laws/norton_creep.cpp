#include "fem/laws/norton_creep.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

#include "fem/laws/isotropic_j2.h"

namespace wlp::fem {

NortonCreep::NortonCreep(NortonCreepData data) : data_(std::move(data)) {
  detail::check_isotropic_elastic(data_.elastic, name());
  if (data_.coefficient_per_Pa_n_per_s.points.empty())
    throw MaterialDataError("", "norton.a", "Norton creep: no coefficient A(T) given");
  for (const auto& [temperature_K, coefficient] : data_.coefficient_per_Pa_n_per_s.points)
    if (!(coefficient > 0))
      throw MaterialDataError("", "norton.a",
                              fmt::format("Norton creep: A = {} Pa^-n/s at {} K is not positive", coefficient, temperature_K));
  if (!(data_.exponent >= 1))
    throw MaterialDataError("", "norton.n", fmt::format("Norton creep: exponent n = {} must be at least 1", data_.exponent));
}

std::string NortonCreep::description() const { return data_.note.empty() ? name() : name() + " (" + data_.note + ")"; }

Matrix6 NortonCreep::elastic_stiffness(double temperature_K) const {
  return isotropic_stiffness(data_.elastic.youngs_modulus_Pa.at(temperature_K), data_.elastic.poisson_ratio);
}

Voigt6 NortonCreep::thermal_strain(double temperature_K, double stress_free_K) const {
  return detail::isotropic_thermal_strain(data_.elastic.cte_per_K, temperature_K, stress_free_K);
}

void NortonCreep::update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
                         Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const {
  if (increment.time_step_s < 0)
    throw std::invalid_argument(fmt::format("Norton creep: negative time step {} s", increment.time_step_s));
  const Voigt6 stress_start = stress_old;  // stress_old and stress_new may be the same array
  const detail::ElasticTrial trial = detail::elastic_trial(data_.elastic, increment, history_old);
  const double trial_equivalent_Pa = detail::von_mises(trial.deviator);
  const double log_coefficient = std::log(data_.coefficient_per_Pa_n_per_s.at(increment.temperature_new_K));
  const double exponent = data_.exponent;
  const detail::LogRate log_rate{.value = [&](double q) { return log_coefficient + exponent * std::log(q); },  // ln(A·q^n)
                                 .slope = [&](double q) { return exponent / q; }};
  const detail::CreepReturn creep =
      detail::creep_radial_return(trial_equivalent_Pa, trial.moduli.shear_Pa, increment.time_step_s, log_rate, name());
  const double deviator_scale = trial_equivalent_Pa > 0 ? creep.equivalent_Pa / trial_equivalent_Pa : 1.0;  // s = s_tr·q/q_tr
  for (int i = 0; i < 6; ++i) stress_new[i] = trial.deviator[i] * deviator_scale + (i < 3 ? trial.mean_Pa : 0.0);
  detail::InelasticIncrement step;
  step.strain = detail::flow_strain_increment(trial.deviator, trial_equivalent_Pa, creep.equivalent_increment);
  step.equivalent_creep = creep.equivalent_increment;
  detail::record_inelastic_increment(step, stress_start, stress_new, history_old, history_new);
  if (!std::all_of(stress_new.begin(), stress_new.end(), [](double value) { return std::isfinite(value); }))
    throw LawError(fmt::format("Norton creep: non-finite stress (q_tr = {} Pa)", trial_equivalent_Pa));
  tangent = detail::radial_return_tangent(trial.moduli, trial.deviator, trial_equivalent_Pa, creep.equivalent_increment,
                                          creep.d_increment_d_trial);
}

NortonCreepData norton_low_stress_asymptote(const GarofaloParameters& garofalo, const std::vector<double>& temperatures_K,
                                            const IsotropicElasticData& elastic) {
  if (temperatures_K.empty()) throw std::invalid_argument("Norton asymptote: no temperatures given");
  if (!std::is_sorted(temperatures_K.begin(), temperatures_K.end()) ||
      std::adjacent_find(temperatures_K.begin(), temperatures_K.end()) != temperatures_K.end())
    throw std::invalid_argument("Norton asymptote: temperatures must increase strictly");
  NortonCreepData norton;
  norton.elastic = elastic;
  norton.exponent = garofalo.c3;  // n = C3
  for (const double temperature_K : temperatures_K) {
    // sinh(C2σ) ≈ C2σ at low stress: ε̇ ≈ C1·C2^C3·e^(−C4/T)·σ^C3, evaluated through logarithms
    const double log_a = std::log(garofalo.c1_per_s) + garofalo.c3 * std::log(garofalo.c2_per_Pa) - garofalo.c4_K / temperature_K;
    norton.coefficient_per_Pa_n_per_s.points.emplace_back(temperature_K, std::exp(log_a));
  }
  norton.note = fmt::format("low-stress asymptote of a Garofalo law, n = {}, A tabulated at {} temperatures {}..{} K",
                            garofalo.c3, temperatures_K.size(), temperatures_K.front(), temperatures_K.back());
  return norton;
}

}  // namespace wlp::fem
