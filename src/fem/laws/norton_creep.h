// Norton (power-law) creep, ε̇cr = A(T)·σ^n (Norton, The Creep of Steel at High Temperatures,
// 1929), with σ the von Mises stress.
//
// Stress unit convention: σ in Pa, so A is in Pa^(−n)·s^(−1). A table quoted with σ in MPa
// converts as A_Pa = A_MPa·(10^(−6))^n. The same numbers go into a CalculiX
// `*CREEP, LAW=NORTON` card of a model written in SI units (m, N, Pa, s).
//
// A(T) is a table interpolated linearly in T and held constant outside, exactly as CalculiX
// does with a temperature-dependent Norton table (ccx creeps.f interpolates the creep data
// linearly at the *ELASTIC temperatures; the material is then interpolated linearly between
// those): give *CREEP and *ELASTIC the same temperatures and both codes see the same A(T).
// The law exists to be compared with CalculiX on the same mesh.
#pragma once

#include <string>
#include <vector>

#include "fem/laws/garofalo_creep_plasticity.h"
#include "fem/laws/material_law.h"

namespace wlp::fem {

struct NortonCreepData {
  IsotropicElasticData elastic;
  TemperatureTable coefficient_per_Pa_n_per_s;  // A(T) in Pa^(−n)/s, > 0
  double exponent = 1;                          // n ≥ 1
  std::string note;                             // provenance for description()
};

/// Backward-Euler radial return in ln Δεcr (isotropic_j2.h, creep_radial_return): all inelastic
/// strain is creep (history::equivalent_creep_strain). A(T) at the end of the increment.
class NortonCreep : public MaterialLaw {
 public:
  /// Throws MaterialDataError for an empty or non-positive A table or n < 1.
  explicit NortonCreep(NortonCreepData data);
  [[nodiscard]] std::string name() const override { return "Norton creep"; }
  [[nodiscard]] std::string description() const override;
  /// Throws LawError when the local equation does not converge (cut the step).
  void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
              Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const override;
  [[nodiscard]] Matrix6 elastic_stiffness(double temperature_K) const override;
  [[nodiscard]] Voigt6 thermal_strain(double temperature_K, double stress_free_K) const override;
  [[nodiscard]] const NortonCreepData& data() const { return data_; }

 private:
  NortonCreepData data_;
};

/// The Norton law that a Garofalo law tends to at low stress (sinh x ≈ x):
/// A(T) = C1·C2^C3·exp(−C4/T), n = C3, tabulated at `temperatures_K` (ascending). Between the
/// points A is interpolated linearly, which over-estimates the Arrhenius factor by at most
/// about (C4·ΔT/T²)²/8 for a spacing ΔT (SAC305, 1 K spacing: 0.18 % at 233 K, 0.02 % at 398 K).
NortonCreepData norton_low_stress_asymptote(const GarofaloParameters& garofalo, const std::vector<double>& temperatures_K,
                                            const IsotropicElasticData& elastic);

}  // namespace wlp::fem
