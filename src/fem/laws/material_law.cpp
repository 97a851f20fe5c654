#include "fem/laws/material_law.h"

#include <algorithm>

namespace wlp::fem {

double TemperatureTable::at(double temperature_K) const {
  if (points.empty()) return 0;
  if (temperature_K <= points.front().first) return points.front().second;
  if (temperature_K >= points.back().first) return points.back().second;
  const auto upper = std::upper_bound(points.begin(), points.end(), temperature_K,
                                      [](double t, const std::pair<double, double>& p) { return t < p.first; });
  const auto lower = upper - 1;
  const double weight = (temperature_K - lower->first) / (upper->first - lower->first);
  return lower->second + weight * (upper->second - lower->second);
}

bool TemperatureTable::is_constant() const {
  return std::all_of(points.begin(), points.end(), [&](const auto& p) { return p.second == points.front().second; });
}

bool TemperatureTable::is_constant_between(double low_K, double high_K) const {
  const double value = at(low_K);
  if (at(high_K) != value) return false;
  return std::all_of(points.begin(), points.end(),
                     [&](const auto& p) { return p.first <= low_K || p.first >= high_K || p.second == value; });
}

double TemperatureTable::integral(double from_K, double to_K) const {
  if (points.empty() || from_K == to_K) return 0;
  if (to_K < from_K) return -integral(to_K, from_K);
  // Breakpoints of the piecewise-linear table inside (from, to): on each piece the trapezoid rule is exact.
  std::vector<double> knots{from_K};
  for (const auto& [t, value] : points)
    if (t > from_K && t < to_K) knots.push_back(t);
  knots.push_back(to_K);
  double sum = 0;
  for (std::size_t i = 1; i < knots.size(); ++i) sum += 0.5 * (at(knots[i - 1]) + at(knots[i])) * (knots[i] - knots[i - 1]);
  return sum;
}

void MaterialLaw::initialise(std::span<double> history) const { std::fill(history.begin(), history.end(), 0.0); }

Matrix6 isotropic_stiffness(double youngs_modulus_Pa, double poisson_ratio) {
  // Hooke's law: λ = Eν/((1+ν)(1−2ν)), μ = E/(2(1+ν)); engineering shears → shear rows carry μ.
  const double lambda = youngs_modulus_Pa * poisson_ratio / ((1 + poisson_ratio) * (1 - 2 * poisson_ratio));
  const double mu = youngs_modulus_Pa / (2 * (1 + poisson_ratio));
  Matrix6 d{};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) d[i * 6 + j] = lambda;
    d[i * 6 + i] = lambda + 2 * mu;
    d[(i + 3) * 6 + (i + 3)] = mu;
  }
  return d;
}

Voigt6 multiply(const Matrix6& stiffness, const Voigt6& strain) {
  Voigt6 out{};
  for (int i = 0; i < 6; ++i)
    for (int j = 0; j < 6; ++j) out[i] += stiffness[i * 6 + j] * strain[j];
  return out;
}

Matrix6 IsotropicElastic::elastic_stiffness(double temperature_K) const {
  return isotropic_stiffness(data_.youngs_modulus_Pa.at(temperature_K), data_.poisson_ratio);
}

Voigt6 IsotropicElastic::thermal_strain(double temperature_K, double stress_free_K) const {
  const double strain = data_.cte_per_K.integral(stress_free_K, temperature_K);
  return Voigt6{strain, strain, strain, 0, 0, 0};
}

void IsotropicElastic::update(const PointIncrement& increment, const Voigt6& /*stress_old*/,
                              std::span<const double> history_old, Voigt6& stress_new, std::span<double> history_new,
                              Matrix6& tangent) const {
  linear_elastic_update(*this, increment, history_old, stress_new, history_new, tangent);
}

void linear_elastic_update(const MaterialLaw& law, const PointIncrement& increment, std::span<const double> history_old,
                           Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) {
  if (history_new.data() != history_old.data()) std::copy(history_old.begin(), history_old.end(), history_new.begin());
  tangent = law.elastic_stiffness(increment.temperature_new_K);
  const Voigt6 thermal = law.thermal_strain(increment.temperature_new_K, increment.stress_free_temperature_K);
  Voigt6 elastic{};
  for (int i = 0; i < 6; ++i) elastic[i] = increment.strain_new[i] - thermal[i] - history_old[history::inelastic_strain + i];
  stress_new = multiply(tangent, elastic);  // σ = D(T)·(ε − ε_th − ε_in)
}

}  // namespace wlp::fem
