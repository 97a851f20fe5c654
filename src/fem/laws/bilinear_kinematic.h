// Rate-independent von Mises plasticity with linear kinematic (Prager) hardening: the bilinear
// kinematic model used for the copper and aluminium of the package (Cu RDL, posts, UBM; Al pads).
//
// Uniaxially the law is bilinear: slope E up to σy, slope E_t after; on reversal it yields again
// at σ_max − 2σy (Bauschinger effect). The Prager modulus is H = E·E_t/(E − E_t), the backstress
// α evolves as Δα = (2/3)·H·Δε_p (Prager, J. Appl. Mech. 23 (1956) 493). E, E_t and σy may
// depend on temperature (evaluated at the end of the increment).
#pragma once

#include <string>

#include "fem/laws/material_law.h"

namespace wlp::fem {

struct BilinearKinematicData {
  IsotropicElasticData elastic;          // E(T), ν, α(T)
  TemperatureTable yield_strength_Pa;    // σy(T) > 0
  TemperatureTable tangent_modulus_Pa;   // E_t(T), 0 ≤ E_t < E(T)
  std::string note;                      // provenance for description(): source, defaults used
};

/// History entries after the common ones (history::n_common).
namespace kinematic_history {
inline constexpr int backstress_Pa = history::n_common;  // 6 entries, deviatoric α, tensor shears
inline constexpr int n_entries = history::n_common + 6;
}  // namespace kinematic_history

/// Radial return on ξ = s − α with the algorithmic tangent (Simo & Hughes, Computational
/// Inelasticity, 1998, Box 3.2 and §3.3). The plastic strain is history::equivalent_plastic_strain.
class BilinearKinematicPlasticity : public MaterialLaw {
 public:
  /// Throws MaterialDataError when E ≤ 0, ν ∉ (−1, ½), σy ≤ 0 or E_t ∉ [0, E).
  explicit BilinearKinematicPlasticity(BilinearKinematicData data);
  [[nodiscard]] std::string name() const override { return "bilinear kinematic plasticity"; }
  [[nodiscard]] std::string description() const override;
  [[nodiscard]] int n_history() const override { return kinematic_history::n_entries; }
  void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
              Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const override;
  [[nodiscard]] Matrix6 elastic_stiffness(double temperature_K) const override;
  [[nodiscard]] Voigt6 thermal_strain(double temperature_K, double stress_free_K) const override;
  [[nodiscard]] const BilinearKinematicData& data() const { return data_; }
  /// The Prager modulus H = E·E_t/(E − E_t) at a temperature.
  [[nodiscard]] double prager_modulus_Pa(double temperature_K) const;

 private:
  BilinearKinematicData data_;
};

}  // namespace wlp::fem
