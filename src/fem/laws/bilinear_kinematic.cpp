#include "fem/laws/bilinear_kinematic.h"

#include <algorithm>
#include <fmt/format.h>

#include "fem/laws/isotropic_j2.h"

namespace wlp::fem {

BilinearKinematicPlasticity::BilinearKinematicPlasticity(BilinearKinematicData data) : data_(std::move(data)) {
  detail::check_isotropic_elastic(data_.elastic, name());
  if (data_.yield_strength_Pa.points.empty())
    throw MaterialDataError("", "yield_strength", fmt::format("{}: no yield strength given", name()));
  for (const auto& [temperature_K, yield_Pa] : data_.yield_strength_Pa.points)
    if (!(yield_Pa > 0))
      throw MaterialDataError("", "yield_strength",
                              fmt::format("{}: yield strength {} Pa at {} K is not positive", name(), yield_Pa, temperature_K));
  if (data_.tangent_modulus_Pa.points.empty())
    throw MaterialDataError("", "tangent_modulus", fmt::format("{}: no tangent modulus given", name()));
  // E_t must stay below E at every temperature where either table has a point.
  std::vector<double> temperatures_K;
  for (const auto& point : data_.tangent_modulus_Pa.points) temperatures_K.push_back(point.first);
  for (const auto& point : data_.elastic.youngs_modulus_Pa.points) temperatures_K.push_back(point.first);
  for (const double temperature_K : temperatures_K) {
    const double tangent_Pa = data_.tangent_modulus_Pa.at(temperature_K);
    const double youngs_Pa = data_.elastic.youngs_modulus_Pa.at(temperature_K);
    if (!(tangent_Pa >= 0 && tangent_Pa < youngs_Pa))
      throw MaterialDataError("", "tangent_modulus",
                              fmt::format("{}: tangent modulus {} Pa at {} K is not in [0, E = {} Pa)", name(), tangent_Pa,
                                          temperature_K, youngs_Pa));
  }
}

std::string BilinearKinematicPlasticity::description() const {
  return data_.note.empty() ? name() : name() + " (" + data_.note + ")";
}

double BilinearKinematicPlasticity::prager_modulus_Pa(double temperature_K) const {
  const double youngs_Pa = data_.elastic.youngs_modulus_Pa.at(temperature_K);
  const double tangent_Pa = data_.tangent_modulus_Pa.at(temperature_K);
  return youngs_Pa * tangent_Pa / (youngs_Pa - tangent_Pa);  // H = E·E_t/(E − E_t)
}

Matrix6 BilinearKinematicPlasticity::elastic_stiffness(double temperature_K) const {
  return isotropic_stiffness(data_.elastic.youngs_modulus_Pa.at(temperature_K), data_.elastic.poisson_ratio);
}

Voigt6 BilinearKinematicPlasticity::thermal_strain(double temperature_K, double stress_free_K) const {
  return detail::isotropic_thermal_strain(data_.elastic.cte_per_K, temperature_K, stress_free_K);
}

void BilinearKinematicPlasticity::update(const PointIncrement& increment, const Voigt6& stress_old,
                                         std::span<const double> history_old, Voigt6& stress_new,
                                         std::span<double> history_new, Matrix6& tangent) const {
  const Voigt6 stress_start = stress_old;  // stress_old and stress_new may be the same array
  const detail::ElasticTrial trial = detail::elastic_trial(data_.elastic, increment, history_old);
  Voigt6 backstress_old{};
  std::copy_n(history_old.begin() + kinematic_history::backstress_Pa, 6, backstress_old.begin());
  Voigt6 relative_trial{};  // ξ_tr = s_tr − α_old
  for (int i = 0; i < 6; ++i) relative_trial[i] = trial.deviator[i] - backstress_old[i];
  const double trial_equivalent_Pa = detail::von_mises(relative_trial);
  const double yield_Pa = data_.yield_strength_Pa.at(increment.temperature_new_K);
  const double overstress_Pa = trial_equivalent_Pa - yield_Pa;  // f = q(ξ_tr) − σy
  if (overstress_Pa <= 0) {
    stress_new = trial.stress;
    detail::record_inelastic_increment({}, stress_start, stress_new, history_old, history_new);
    tangent = elastic_stiffness(increment.temperature_new_K);
    return;
  }
  const double three_g = 3 * trial.moduli.shear_Pa;
  const double prager_Pa = prager_modulus_Pa(increment.temperature_new_K);
  const double equivalent_increment = overstress_Pa / (three_g + prager_Pa);  // Δp = f/(3G + H), exact (linear)
  const double direction_scale = equivalent_increment / trial_equivalent_Pa;
  for (int i = 0; i < 6; ++i) stress_new[i] = trial.stress[i] - three_g * direction_scale * relative_trial[i];  // s − 3GΔp·ξ/q
  detail::InelasticIncrement step;
  step.strain = detail::flow_strain_increment(relative_trial, trial_equivalent_Pa, equivalent_increment);
  step.equivalent_plastic = equivalent_increment;
  detail::record_inelastic_increment(step, stress_start, stress_new, history_old, history_new);
  for (int i = 0; i < 6; ++i)  // α ← α + H·Δp·ξ/q  (= α + (2/3)H·Δε_p)
    history_new[kinematic_history::backstress_Pa + i] = backstress_old[i] + prager_Pa * direction_scale * relative_trial[i];
  tangent = detail::radial_return_tangent(trial.moduli, relative_trial, trial_equivalent_Pa, equivalent_increment,
                                          1 / (three_g + prager_Pa));
}

}  // namespace wlp::fem
