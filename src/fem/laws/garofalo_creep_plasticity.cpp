#include "fem/laws/garofalo_creep_plasticity.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

#include "fem/laws/isotropic_j2.h"

namespace wlp::fem {

namespace {

void check_positive(double value, const char* key) {
  if (!(value > 0) || !std::isfinite(value))
    throw MaterialDataError("", std::string("garofalo.") + key,
                            fmt::format("Garofalo creep: constant {} = {} must be positive", key, value));
}

// What the return found: the end equivalent stress, the creep and plastic increments and the
// sensitivity of the total increment to the trial equivalent stress.
struct PartitionedReturn {
  double equivalent_Pa = 0;
  double creep_increment = 0;
  double plastic_increment = 0;
  double d_total_d_trial = 0;
};

// ln f(q) = ln C1 − C4/T + C3·ln sinh(C2·q) and its slope C3·C2·coth(C2·q).
detail::LogRate garofalo_log_rate(const GarofaloParameters& g, double temperature_K) {
  return detail::LogRate{
      .value = [g, temperature_K](double q) {
        return std::log(g.c1_per_s) - g.c4_K / temperature_K + g.c3 * detail::log_sinh(g.c2_per_Pa * q);
      },
      .slope = [g](double q) { return g.c3 * g.c2_per_Pa * detail::coth(g.c2_per_Pa * q); }};
}

// The current yield stress σy(T) + H·ε̄p and the hardening modulus H = E·E_t/(E − E_t).
struct PlasticStage {
  double yield_now_Pa = 0;
  double hardening_Pa = 0;
};

PlasticStage plastic_stage(const BilinearIsotropicPlasticity& plastic, const IsotropicElasticData& elastic,
                           double temperature_K, double plastic_strain_old) {
  const double youngs_Pa = elastic.youngs_modulus_Pa.at(temperature_K);
  const double tangent_modulus_Pa = plastic.tangent_modulus_Pa.at(temperature_K);
  const double hardening_Pa = youngs_Pa * tangent_modulus_Pa / (youngs_Pa - tangent_modulus_Pa);
  return PlasticStage{.yield_now_Pa = plastic.yield_strength_Pa.at(temperature_K) + hardening_Pa * plastic_strain_old,
                      .hardening_Pa = hardening_Pa};
}

struct PlasticReturnInput {
  PlasticStage stage;
  double trial_equivalent_Pa = 0;
  double three_g_Pa = 0;
  double time_step_s = 0;
  const detail::LogRate& log_rate;
  std::string law;
};

// Creep and plasticity in one increment: solves the decreasing equation
//   h(Δεp) = q_tr − q_y − 3G·Δεp − 3G·Δt·f(q_y) = 0,  q_y = σy + H·(ε̄p + Δεp),
// bracketed by 0 ≤ Δεp ≤ (q_tr − σy − H·ε̄p)/(3G + H) (no creep); then Δεcr = Δt·f(q).
PartitionedReturn creep_plastic_return(const PlasticReturnInput& in) {
  const double yield_Pa = in.stage.yield_now_Pa, hardening_Pa = in.stage.hardening_Pa, three_g = in.three_g_Pa;
  const auto rate_of = [&](double q) { return std::exp(in.log_rate.value(q)); };  // f(q)
  const auto residual = [&](double plastic_increment) {
    const double q = yield_Pa + hardening_Pa * plastic_increment;
    const double rate = rate_of(q);
    return std::pair<double, double>{
        in.trial_equivalent_Pa - q - three_g * plastic_increment - three_g * in.time_step_s * rate,  // h
        -hardening_Pa - three_g - three_g * in.time_step_s * rate * in.log_rate.slope(q) * hardening_Pa};  // dh/dΔεp
  };
  const double upper = (in.trial_equivalent_Pa - yield_Pa) / (three_g + hardening_Pa);
  double plastic_increment = upper;  // Δt = 0: plasticity alone, exact
  if (in.time_step_s > 0) {
    const detail::ScalarRoot root = detail::bracketed_newton(residual, 0, upper, 1e-15 * upper, 200);
    if (!root.is_converged)
      throw LawError(fmt::format("{}: plastic return did not converge (q_tr = {} Pa, yield {} Pa, Δt = {} s)", in.law,
                                 in.trial_equivalent_Pa, yield_Pa, in.time_step_s));
    plastic_increment = root.x;
  }
  const double q = yield_Pa + hardening_Pa * plastic_increment;
  const double rate_slope = rate_of(q) * in.log_rate.slope(q);  // f'(q)
  // dΔεp/dq_tr = 1/((3G + H) + 3G·Δt·f'(q)·H); dq/dq_tr = H·dΔεp/dq_tr; dΔp_total/dq_tr = (1 − dq/dq_tr)/3G
  const double d_plastic = 1 / (three_g + hardening_Pa + three_g * in.time_step_s * rate_slope * hardening_Pa);
  const double creep_increment =
      in.time_step_s > 0 ? std::max(0.0, (in.trial_equivalent_Pa - q) / three_g - plastic_increment) : 0.0;
  return PartitionedReturn{.equivalent_Pa = q,
                           .creep_increment = creep_increment,
                           .plastic_increment = plastic_increment,
                           .d_total_d_trial = (1 - hardening_Pa * d_plastic) / three_g};
}

}  // namespace

GarofaloCreepPlasticity::GarofaloCreepPlasticity(GarofaloCreepPlasticityData data) : data_(std::move(data)) {
  detail::check_isotropic_elastic(data_.elastic, name());
  check_positive(data_.garofalo.c1_per_s, "c1");
  check_positive(data_.garofalo.c2_per_Pa, "c2");
  check_positive(data_.garofalo.c3, "c3");
  check_positive(data_.garofalo.c4_K, "c4");
  if (!data_.plasticity) return;
  const BilinearIsotropicPlasticity& plastic = *data_.plasticity;
  if (plastic.yield_strength_Pa.points.empty() || plastic.tangent_modulus_Pa.points.empty())
    throw MaterialDataError("", plastic.yield_strength_Pa.points.empty() ? "yield_strength" : "tangent_modulus",
                            "Garofalo creep + plasticity: the plastic part needs a yield strength and a tangent modulus");
  for (const auto& [temperature_K, yield_Pa] : plastic.yield_strength_Pa.points)
    if (!(yield_Pa > 0))
      throw MaterialDataError("", "yield_strength",
                              fmt::format("{}: yield strength {} Pa at {} K is not positive", name(), yield_Pa, temperature_K));
  for (const auto& [temperature_K, tangent_Pa] : plastic.tangent_modulus_Pa.points) {
    const double youngs_Pa = data_.elastic.youngs_modulus_Pa.at(temperature_K);
    if (!(tangent_Pa >= 0 && tangent_Pa < youngs_Pa))
      throw MaterialDataError("", "tangent_modulus",
                              fmt::format("{}: tangent modulus {} Pa at {} K is not in [0, E = {} Pa)", name(), tangent_Pa,
                                          temperature_K, youngs_Pa));
  }
}

std::string GarofaloCreepPlasticity::name() const {
  return data_.plasticity ? "Garofalo creep + bilinear plasticity" : "Garofalo creep";
}

std::string GarofaloCreepPlasticity::description() const {
  return data_.note.empty() ? name() : name() + " (" + data_.note + ")";
}

Matrix6 GarofaloCreepPlasticity::elastic_stiffness(double temperature_K) const {
  return isotropic_stiffness(data_.elastic.youngs_modulus_Pa.at(temperature_K), data_.elastic.poisson_ratio);
}

Voigt6 GarofaloCreepPlasticity::thermal_strain(double temperature_K, double stress_free_K) const {
  return detail::isotropic_thermal_strain(data_.elastic.cte_per_K, temperature_K, stress_free_K);
}

double GarofaloCreepPlasticity::creep_rate_per_s(double equivalent_stress_Pa, double temperature_K) const {
  const GarofaloParameters& g = data_.garofalo;
  if (!(equivalent_stress_Pa > 0)) return 0;
  // ε̇ = C1·sinh(C2σ)^C3·e^(−C4/T), evaluated through its logarithm (no overflow of sinh^C3 alone)
  return std::exp(std::log(g.c1_per_s) - g.c4_K / temperature_K + g.c3 * detail::log_sinh(g.c2_per_Pa * equivalent_stress_Pa));
}

double GarofaloCreepPlasticity::steady_state_stress_Pa(double strain_rate_per_s, double temperature_K) const {
  const GarofaloParameters& g = data_.garofalo;
  return std::asinh(std::pow(strain_rate_per_s * std::exp(g.c4_K / temperature_K) / g.c1_per_s, 1 / g.c3)) / g.c2_per_Pa;
}

void GarofaloCreepPlasticity::update(const PointIncrement& increment, const Voigt6& stress_old,
                                     std::span<const double> history_old, Voigt6& stress_new,
                                     std::span<double> history_new, Matrix6& tangent) const {
  if (increment.time_step_s < 0)
    throw std::invalid_argument(fmt::format("{}: negative time step {} s", name(), increment.time_step_s));
  const Voigt6 stress_start = stress_old;  // stress_old and stress_new may be the same array
  const detail::ElasticTrial trial = detail::elastic_trial(data_.elastic, increment, history_old);
  const double trial_equivalent_Pa = detail::von_mises(trial.deviator);
  const detail::LogRate log_rate = garofalo_log_rate(data_.garofalo, increment.temperature_new_K);

  // 1. Creep alone (backward Euler in ln Δεcr).
  const detail::CreepReturn creep =
      detail::creep_radial_return(trial_equivalent_Pa, trial.moduli.shear_Pa, increment.time_step_s, log_rate, name());
  PartitionedReturn result{.equivalent_Pa = creep.equivalent_Pa,
                           .creep_increment = creep.equivalent_increment,
                           .plastic_increment = 0,
                           .d_total_d_trial = creep.d_increment_d_trial};
  // 2. Creep and plasticity when the creep-only stress lies outside the current yield surface.
  if (data_.plasticity) {
    const PlasticStage stage = plastic_stage(*data_.plasticity, data_.elastic, increment.temperature_new_K,
                                             history_old[history::equivalent_plastic_strain]);
    if (creep.equivalent_Pa > stage.yield_now_Pa)
      result = creep_plastic_return(PlasticReturnInput{.stage = stage,
                                                       .trial_equivalent_Pa = trial_equivalent_Pa,
                                                       .three_g_Pa = 3 * trial.moduli.shear_Pa,
                                                       .time_step_s = increment.time_step_s,
                                                       .log_rate = log_rate,
                                                       .law = name()});
  }

  const double total_increment = result.creep_increment + result.plastic_increment;
  const double deviator_scale = trial_equivalent_Pa > 0 ? result.equivalent_Pa / trial_equivalent_Pa : 1.0;  // s = s_tr·q/q_tr
  for (int i = 0; i < 6; ++i) stress_new[i] = trial.deviator[i] * deviator_scale + (i < 3 ? trial.mean_Pa : 0.0);
  detail::InelasticIncrement step;
  step.strain = detail::flow_strain_increment(trial.deviator, trial_equivalent_Pa, total_increment);
  step.equivalent_creep = result.creep_increment;
  step.equivalent_plastic = result.plastic_increment;
  detail::record_inelastic_increment(step, stress_start, stress_new, history_old, history_new);
  if (!std::all_of(stress_new.begin(), stress_new.end(), [](double value) { return std::isfinite(value); }))
    throw LawError(fmt::format("{}: non-finite stress (q_tr = {} Pa)", name(), trial_equivalent_Pa));
  tangent = detail::radial_return_tangent(trial.moduli, trial.deviator, trial_equivalent_Pa, total_increment,
                                          result.d_total_d_trial);
}

}  // namespace wlp::fem
