// Anand's unified viscoplasticity for solders: one internal variable, the deformation
// resistance s, no yield surface (Anand, Int. J. Plasticity 1 (1985) 213–231; Brown, Kim &
// Anand, Int. J. Plasticity 5 (1989) 95–130):
//
//   flow       ε̇p = A·exp(−Q/RT)·[sinh(ξσ/s)]^(1/m)                       (σ: von Mises stress)
//   evolution  ṡ = h0·|1 − s/s*|^a·sign(1 − s/s*)·ε̇p,   s* = ŝ·[ε̇p·exp(Q/RT)/A]^n,   s(0) = s0
//
// Under a constant strain rate the stress saturates at σ* = (ŝ/ξ)·Z^n·asinh(Z^m),
// Z = (ε̇/A)·exp(Q/RT) (Brown, Kim & Anand 1989). The constants are the ANSYS TB,ANAND C1..C9
// (s0, Q/R, A, ξ, m, h0, ŝ, n, a), in SI here (Pa, K, 1/s).
#pragma once

#include <string>

#include "fem/laws/material_law.h"

namespace wlp::fem {

/// Anand's nine constants, SI (names are the symbols of Brown, Kim & Anand 1989).
struct AnandParameters {
  double s0_Pa = 0;        // initial deformation resistance
  double q_over_r_K = 0;   // activation energy / gas constant
  double a_per_s = 0;      // pre-exponential factor A
  double xi = 0;           // stress multiplier ξ
  double m = 0;            // strain-rate sensitivity
  double h0_Pa = 0;        // hardening constant
  double s_hat_Pa = 0;     // saturation coefficient ŝ
  double n = 0;            // saturation strain-rate exponent
  double a = 0;            // hardening exponent (≥ 1)
};

/// How the local (point) equations are solved: Newton on the coupled pair with a bracketed
/// fall-back, or the bracketed solver alone (tests check that both give the same state).
enum class AnandLocalSolver { newton_with_bracketed_fallback, bracketed_only };

struct AnandViscoplasticData {
  IsotropicElasticData elastic;  // E(T), ν, α(T) of the solder
  AnandParameters anand;
  AnandLocalSolver local_solver = AnandLocalSolver::newton_with_bracketed_fallback;
  std::string note;  // provenance for description()
};

/// History entries after the common ones (history::n_common).
namespace anand_history {
inline constexpr int deformation_resistance_Pa = history::n_common;  // s
inline constexpr int n_entries = history::n_common + 1;
}  // namespace anand_history

/// Backward-Euler radial return: with y = ln Δεp and s at the end of the increment,
///   R1 = y − ln(Δt·A·e^(−Q/RT)) − (1/m)·ln sinh(ξ(q_tr − 3G·Δεp)/s) = 0
///   R2 = s − s_old − h0·|1 − s/s*|^a·sign(1 − s/s*)·Δεp = 0
/// solved by Newton on (y, s), with a bracketed fall-back (s eliminated by its own monotone
/// equation, y bisected-or-Newton on the reduced residual). The tangent follows from the
/// linearisation of (R1, R2) with respect to q_tr. All inelastic strain is creep
/// (history::equivalent_creep_strain). Temperature enters at the end of the increment.
class AnandViscoplastic : public MaterialLaw {
 public:
  /// Throws MaterialDataError for non-positive constants or a < 1.
  explicit AnandViscoplastic(AnandViscoplasticData data);
  [[nodiscard]] std::string name() const override { return "Anand viscoplastic"; }
  [[nodiscard]] std::string description() const override;
  [[nodiscard]] int n_history() const override { return anand_history::n_entries; }
  void initialise(std::span<double> history) const override;
  /// Throws LawError when the local equations have no converged solution (cut the step).
  void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
              Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const override;
  [[nodiscard]] Matrix6 elastic_stiffness(double temperature_K) const override;
  [[nodiscard]] Voigt6 thermal_strain(double temperature_K, double stress_free_K) const override;
  [[nodiscard]] const AnandViscoplasticData& data() const { return data_; }

  /// The closed-form saturation stress σ* at a constant equivalent inelastic strain rate.
  [[nodiscard]] double steady_state_stress_Pa(double strain_rate_per_s, double temperature_K) const;

 private:
  AnandViscoplasticData data_;
};

}  // namespace wlp::fem
