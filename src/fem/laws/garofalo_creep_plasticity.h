// Partitioned solder model: Garofalo (hyperbolic-sine) steady-state creep plus rate-independent
// bilinear plasticity, the two inelastic strains kept apart.
//
//   creep       ε̇cr = C1·[sinh(C2·σ)]^C3·exp(−C4/T)        (Garofalo, Trans. Metall. Soc. AIME 227
//               (1963) 351; SAC constants: Schubert et al., ECTC 2003; ANSYS TB,CREEP,,,,8 order)
//   plasticity  von Mises yield σ = σy(T) + H·ε̄p with linear isotropic hardening,
//               H = E·E_t/(E − E_t) (bilinear isotropic, as ANSYS BISO), optional
//
// σ is the von Mises stress in Pa (C2 in 1/Pa), T in K. The creep equivalent strain goes to
// history::equivalent_creep_strain, the plastic one to history::equivalent_plastic_strain.
#pragma once

#include <optional>
#include <string>

#include "fem/laws/material_law.h"

namespace wlp::fem {

/// Garofalo constants, SI: ε̇ = c1·sinh(c2·σ)^c3·exp(−c4/T), ε̇ in 1/s, σ in Pa.
struct GarofaloParameters {
  double c1_per_s = 0;
  double c2_per_Pa = 0;
  double c3 = 0;
  double c4_K = 0;
};

/// The rate-independent part: initial yield σy(T) and tangent modulus E_t(T) (0 ≤ E_t < E).
struct BilinearIsotropicPlasticity {
  TemperatureTable yield_strength_Pa;
  TemperatureTable tangent_modulus_Pa;
};

struct GarofaloCreepPlasticityData {
  IsotropicElasticData elastic;
  GarofaloParameters garofalo;
  std::optional<BilinearIsotropicPlasticity> plasticity;  // none: creep only
  std::string note;                                        // provenance for description()
};

/// Backward Euler in the equivalent stress q (both flows along the trial deviator):
///   creep only:        ln Δεcr = ln(Δt·f(q)),  q = q_tr − 3G·Δεcr           (f = the Garofalo rate)
///   creep + plastic:   q = σy + H·(ε̄p + Δεp),  Δεcr = Δt·f(q),  q = q_tr − 3G(Δεcr + Δεp)
/// The plastic branch is taken when the creep-only q exceeds the current yield stress. Each branch
/// is one bracketed scalar equation; the tangent follows from its linearisation.
class GarofaloCreepPlasticity : public MaterialLaw {
 public:
  /// Throws MaterialDataError for non-positive constants or an inconsistent plasticity table.
  explicit GarofaloCreepPlasticity(GarofaloCreepPlasticityData data);
  [[nodiscard]] std::string name() const override;
  [[nodiscard]] std::string description() const override;
  /// Throws LawError when a local equation does not converge (cut the step).
  void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
              Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const override;
  [[nodiscard]] Matrix6 elastic_stiffness(double temperature_K) const override;
  [[nodiscard]] Voigt6 thermal_strain(double temperature_K, double stress_free_K) const override;
  [[nodiscard]] const GarofaloCreepPlasticityData& data() const { return data_; }

  /// The creep rate f(σ) at a temperature (1/s).
  [[nodiscard]] double creep_rate_per_s(double equivalent_stress_Pa, double temperature_K) const;
  /// The steady creep stress σ = asinh[(ε̇·e^(C4/T)/C1)^(1/C3)]/C2 (creep alone).
  [[nodiscard]] double steady_state_stress_Pa(double strain_rate_per_s, double temperature_K) const;

 private:
  GarofaloCreepPlasticityData data_;
};

}  // namespace wlp::fem
