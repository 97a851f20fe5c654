// Linear orthotropic elasticity with material axes = global axes (x, y in the board plane, z
// through the thickness), for laminates such as FR-4, with a glass transition: above Tg the CTEs
// switch to their above-Tg values and the moduli may drop by a factor.
//
// Engineering constants follow the Abaqus/CalculiX *ELASTIC, TYPE=ENGINEERING CONSTANTS
// convention: ν_ij = −ε_j/ε_i under uniaxial stress σ_i, so ν_ji = ν_ij·E_j/E_i, and the
// compliance is (Voigt xx yy zz xy xz yz, engineering shears; e.g. Jones, Mechanics of
// Composite Materials, 2nd ed., 1999, eq. 2.60):
//
//   S = [ 1/Ex  −νxy/Ex −νxz/Ex                 ]
//       [ −νxy/Ex 1/Ey  −νyz/Ey                 ]
//       [ −νxz/Ex −νyz/Ey 1/Ez                  ]
//       [                      1/Gxy            ]
//       [                           1/Gxz       ]
//       [                                1/Gyz  ]
//
// Thermal strain ε_th,i(T) = ∫ α_i(τ) dτ from the stress-free temperature, with α_i the
// below-Tg table under Tg and the above-Tg table over it (material_law.h convention).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "fem/laws/material_law.h"

namespace wlp::fem {

/// The nine engineering constants (below Tg).
struct OrthotropicConstants {
  double youngs_x_Pa = 0, youngs_y_Pa = 0, youngs_z_Pa = 0;
  double poisson_xy = 0, poisson_xz = 0, poisson_yz = 0;
  double shear_xy_Pa = 0, shear_xz_Pa = 0, shear_yz_Pa = 0;
};

struct OrthotropicElasticData {
  OrthotropicConstants constants;
  std::array<TemperatureTable, 3> cte_per_K;           // α_x, α_y, α_z (below Tg, or everywhere without Tg)
  std::array<TemperatureTable, 3> cte_above_tg_per_K;  // above Tg; an empty table keeps the below-Tg one
  std::optional<double> glass_transition_K;            // none: no transition
  double modulus_factor_above_tg = 1;                  // E_i and G_ij × factor above Tg (ν unchanged); 1 = no drop
  std::string note;                                    // provenance for description(): defaults filled in
};

/// The compliance S of the engineering constants (above). Throws MaterialDataError when a
/// modulus is not positive or S is not positive definite (no strain energy bound).
Matrix6 orthotropic_compliance(const OrthotropicConstants& constants);

class OrthotropicElastic : public MaterialLaw {
 public:
  /// Throws MaterialDataError for inadmissible constants, a factor ≤ 0 or missing CTEs.
  explicit OrthotropicElastic(OrthotropicElasticData data);
  [[nodiscard]] std::string name() const override { return "orthotropic elastic"; }
  [[nodiscard]] std::string description() const override;
  void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
              Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const override;
  /// D(T) = S⁻¹ below Tg, factor·S⁻¹ at and above it.
  [[nodiscard]] Matrix6 elastic_stiffness(double temperature_K) const override;
  [[nodiscard]] Voigt6 thermal_strain(double temperature_K, double stress_free_K) const override;
  [[nodiscard]] bool has_constant_stiffness() const override;
  /// Also true when the whole range lies on one side of Tg.
  [[nodiscard]] bool has_constant_stiffness_between(double low_K, double high_K) const override;
  /// S(T) = D(T)⁻¹.
  [[nodiscard]] Matrix6 compliance(double temperature_K) const;
  [[nodiscard]] const OrthotropicElasticData& data() const { return data_; }

 private:
  [[nodiscard]] double modulus_factor(double temperature_K) const;
  [[nodiscard]] double axis_thermal_strain(int axis, double from_K, double to_K) const;

  OrthotropicElasticData data_;
  Matrix6 compliance_below_tg_{};
  Matrix6 stiffness_below_tg_{};
};

}  // namespace wlp::fem
