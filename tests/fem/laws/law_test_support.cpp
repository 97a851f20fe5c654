#include "law_test_support.h"

#include <algorithm>
#include <cmath>
#include <gtest/gtest.h>
#include <stdexcept>

#include "support/test_support.h"

namespace wlp::fem::test {

const design::MaterialLibrary& library() {
  static const design::MaterialLibrary loaded = design::load_material_library(wlp::test::material_library());
  return loaded;
}

const design::Material& material(const std::string& id) {
  const design::Material* found = library().find(id);
  if (!found) throw std::invalid_argument("material not in the bundled library: " + id);
  return *found;
}

std::unique_ptr<MaterialLaw> law_for(const std::string& id, const LawOptions& options) {
  return make_material_law(material(id), options);
}

PointStart start_of(const PointSample& sample) {
  return PointStart{.strain = sample.strain, .stress = sample.stress, .history = sample.history,
                    .time_s = sample.time_s, .temperature_K = sample.temperature_K};
}

namespace {

PointIncrement increment_from(const PointStart& start, const Voigt6& strain_increment, double time_step_s,
                              double stress_free_K) {
  PointIncrement increment{.strain_old = start.strain, .strain_new = start.strain,
                           .temperature_old_K = start.temperature_K, .temperature_new_K = start.temperature_K,
                           .stress_free_temperature_K = stress_free_K, .time_step_s = time_step_s};
  for (int i = 0; i < 6; ++i) increment.strain_new[i] += strain_increment[i];
  return increment;
}

}  // namespace

double tangent_relative_error(const MaterialLaw& law, const PointStart& start, const Voigt6& strain_increment,
                              double time_step_s, double stress_free_K, double strain_step) {
  const PointIncrement base = increment_from(start, strain_increment, time_step_s, stress_free_K);
  std::vector<double> history_new(start.history.size());
  Voigt6 stress_new{};
  Matrix6 tangent{};
  law.update(base, start.stress, start.history, stress_new, history_new, tangent);
  double max_error = 0, max_entry = 0;
  for (int j = 0; j < 6; ++j) {
    PointIncrement plus = base, minus = base;
    plus.strain_new[j] += strain_step;
    minus.strain_new[j] -= strain_step;
    Voigt6 stress_plus{}, stress_minus{};
    Matrix6 unused{};
    law.update(plus, start.stress, start.history, stress_plus, history_new, unused);
    law.update(minus, start.stress, start.history, stress_minus, history_new, unused);
    for (int i = 0; i < 6; ++i) {
      const double finite_difference = (stress_plus[i] - stress_minus[i]) / (2 * strain_step);  // dσ_i/dε_j
      max_error = std::max(max_error, std::abs(finite_difference - tangent[static_cast<std::size_t>(i * 6 + j)]));
      max_entry = std::max(max_entry, std::abs(tangent[static_cast<std::size_t>(i * 6 + j)]));
    }
  }
  return max_error / max_entry;
}

std::vector<double> history_after(const MaterialLaw& law, const PointStart& start, const Voigt6& strain_increment,
                                  double time_step_s, double stress_free_K) {
  std::vector<double> history_new(start.history.size());
  Voigt6 stress_new{};
  Matrix6 tangent{};
  law.update(increment_from(start, strain_increment, time_step_s, stress_free_K), start.stress, start.history,
             stress_new, history_new, tangent);
  return history_new;
}

double isotropic_elastic_energy_J_per_m3(const Voigt6& stress, double youngs_modulus_Pa, double poisson_ratio) {
  // ½σ:S·σ with S: 1/E on the normal diagonal, −ν/E off it, 2(1+ν)/E for the shears
  const double normal = stress[0] * stress[0] + stress[1] * stress[1] + stress[2] * stress[2];
  const double cross = stress[0] * stress[1] + stress[1] * stress[2] + stress[0] * stress[2];
  const double shear = stress[3] * stress[3] + stress[4] * stress[4] + stress[5] * stress[5];
  return 0.5 * (normal - 2 * poisson_ratio * cross + 2 * (1 + poisson_ratio) * shear) / youngs_modulus_Pa;
}

}  // namespace wlp::fem::test
