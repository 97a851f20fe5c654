#include "fem/laws/orthotropic_elastic.h"

#include <Eigen/Dense>
#include <algorithm>
#include <fmt/format.h>

namespace wlp::fem {

namespace {

using EigenMatrix6 = Eigen::Matrix<double, 6, 6, Eigen::RowMajor>;

EigenMatrix6 to_eigen(const Matrix6& matrix) { return Eigen::Map<const EigenMatrix6>(matrix.data()); }

Matrix6 from_eigen(const EigenMatrix6& matrix) {
  Matrix6 out{};
  Eigen::Map<EigenMatrix6>(out.data()) = matrix;
  return out;
}

void check_positive(double value, const char* key) {
  if (!(value > 0))
    throw MaterialDataError("", key, fmt::format("orthotropic elastic: {} = {} must be positive", key, value));
}

Matrix6 scaled(const Matrix6& matrix, double factor) {
  Matrix6 out = matrix;
  for (double& entry : out) entry *= factor;
  return out;
}

}  // namespace

Matrix6 orthotropic_compliance(const OrthotropicConstants& c) {
  check_positive(c.youngs_x_Pa, "youngs_modulus_x");
  check_positive(c.youngs_y_Pa, "youngs_modulus_y");
  check_positive(c.youngs_z_Pa, "youngs_modulus_z");
  check_positive(c.shear_xy_Pa, "shear_modulus_xy");
  check_positive(c.shear_xz_Pa, "shear_modulus_xz");
  check_positive(c.shear_yz_Pa, "shear_modulus_yz");
  Matrix6 s{};
  s[0 * 6 + 0] = 1 / c.youngs_x_Pa;
  s[1 * 6 + 1] = 1 / c.youngs_y_Pa;
  s[2 * 6 + 2] = 1 / c.youngs_z_Pa;
  s[0 * 6 + 1] = s[1 * 6 + 0] = -c.poisson_xy / c.youngs_x_Pa;  // −ν_xy/E_x = −ν_yx/E_y
  s[0 * 6 + 2] = s[2 * 6 + 0] = -c.poisson_xz / c.youngs_x_Pa;
  s[1 * 6 + 2] = s[2 * 6 + 1] = -c.poisson_yz / c.youngs_y_Pa;
  s[3 * 6 + 3] = 1 / c.shear_xy_Pa;
  s[4 * 6 + 4] = 1 / c.shear_xz_Pa;
  s[5 * 6 + 5] = 1 / c.shear_yz_Pa;
  if (to_eigen(s).llt().info() != Eigen::Success)
    throw MaterialDataError("", "poisson_ratio",
                            fmt::format("orthotropic elastic: the Poisson ratios ν_xy {}, ν_xz {}, ν_yz {} with E = {}, {}, "
                                        "{} Pa give a compliance that is not positive definite",
                                        c.poisson_xy, c.poisson_xz, c.poisson_yz, c.youngs_x_Pa, c.youngs_y_Pa, c.youngs_z_Pa));
  return s;
}

OrthotropicElastic::OrthotropicElastic(OrthotropicElasticData data) : data_(std::move(data)) {
  compliance_below_tg_ = orthotropic_compliance(data_.constants);
  stiffness_below_tg_ = from_eigen(to_eigen(compliance_below_tg_).inverse());
  if (!(data_.modulus_factor_above_tg > 0))
    throw MaterialDataError("", "modulus_factor_above_tg",
                            fmt::format("orthotropic elastic: modulus factor above Tg {} must be positive",
                                        data_.modulus_factor_above_tg));
  for (int axis = 0; axis < 3; ++axis)
    if (data_.cte_per_K[static_cast<std::size_t>(axis)].points.empty())
      throw MaterialDataError("", axis == 2 ? "cte_z" : "cte",
                              fmt::format("orthotropic elastic: no CTE for axis {}", "xyz"[axis]));
}

std::string OrthotropicElastic::description() const {
  return data_.note.empty() ? name() : name() + " (" + data_.note + ")";
}

double OrthotropicElastic::modulus_factor(double temperature_K) const {
  const bool above_tg = data_.glass_transition_K && temperature_K >= *data_.glass_transition_K;
  return above_tg ? data_.modulus_factor_above_tg : 1.0;
}

Matrix6 OrthotropicElastic::elastic_stiffness(double temperature_K) const {
  return scaled(stiffness_below_tg_, modulus_factor(temperature_K));
}

Matrix6 OrthotropicElastic::compliance(double temperature_K) const {
  return scaled(compliance_below_tg_, 1 / modulus_factor(temperature_K));
}

bool OrthotropicElastic::has_constant_stiffness() const {
  return !data_.glass_transition_K || data_.modulus_factor_above_tg == 1;
}

bool OrthotropicElastic::has_constant_stiffness_between(double low_K, double high_K) const {
  return has_constant_stiffness() || modulus_factor(low_K) == modulus_factor(high_K);
}

double OrthotropicElastic::axis_thermal_strain(int axis, double from_K, double to_K) const {
  if (to_K < from_K) return -axis_thermal_strain(axis, to_K, from_K);
  const auto index = static_cast<std::size_t>(axis);
  const TemperatureTable& below = data_.cte_per_K[index];
  const TemperatureTable& above =
      data_.cte_above_tg_per_K[index].points.empty() ? below : data_.cte_above_tg_per_K[index];
  if (!data_.glass_transition_K) return below.integral(from_K, to_K);
  const double tg_K = *data_.glass_transition_K;
  double strain = 0;
  if (from_K < tg_K) strain += below.integral(from_K, std::min(to_K, tg_K));  // ∫ α_below up to Tg
  if (to_K > tg_K) strain += above.integral(std::max(from_K, tg_K), to_K);   // ∫ α_above beyond Tg
  return strain;
}

Voigt6 OrthotropicElastic::thermal_strain(double temperature_K, double stress_free_K) const {
  return Voigt6{axis_thermal_strain(0, stress_free_K, temperature_K), axis_thermal_strain(1, stress_free_K, temperature_K),
                axis_thermal_strain(2, stress_free_K, temperature_K), 0, 0, 0};
}

void OrthotropicElastic::update(const PointIncrement& increment, const Voigt6& /*stress_old*/,
                                std::span<const double> history_old, Voigt6& stress_new, std::span<double> history_new,
                                Matrix6& tangent) const {
  linear_elastic_update(*this, increment, history_old, stress_new, history_new, tangent);
}

}  // namespace wlp::fem
