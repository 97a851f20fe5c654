// Shared machinery of the isotropic von Mises (J2) laws: elastic trial state, radial-return
// algebra, the algorithmic tangent and the bookkeeping of the common history entries.
//
// Used by BilinearKinematicPlasticity, AnandViscoplastic, GarofaloCreepPlasticity and
// NortonCreep; not part of the public law interface (namespace detail).
//
// Conventions (material_law.h): Voigt order xx yy zz xy xz yz, strains with engineering shears,
// stresses with tensor shears, so Σ σ_i·ε_i is the double contraction σ:ε.
#pragma once

#include <functional>
#include <span>

#include "fem/laws/material_law.h"

namespace wlp::fem::detail {

/// Shear and bulk moduli of isotropic elasticity: G = E/(2(1+ν)), K = E/(3(1−2ν)).
struct ShearBulk {
  double shear_Pa = 0;
  double bulk_Pa = 0;
};
ShearBulk shear_bulk(double youngs_modulus_Pa, double poisson_ratio);

/// Mean stress tr(σ)/3.
double mean_stress(const Voigt6& stress);
/// Deviator s = σ − tr(σ)/3·1 (tensor shears unchanged).
Voigt6 deviator(const Voigt6& stress);
/// Von Mises equivalent of a deviator: sqrt(3/2 s:s), the shears counted twice.
double von_mises(const Voigt6& deviatoric_stress);
/// σ:ε for a stress (tensor shears) and a strain (engineering shears).
double contract(const Voigt6& stress, const Voigt6& strain);

/// The flow-rule strain increment Δε = Δp·(3/2)·ξ/q (Prandtl–Reuss), engineering shears.
Voigt6 flow_strain_increment(const Voigt6& flow_deviator, double equivalent_Pa, double equivalent_increment);

/// The algorithmic tangent of a radial return on a deviator ξ (s for isotropic laws, s − α for
/// kinematic hardening) with trial equivalent q_tr, return Δp and its sensitivity dΔp/dq_tr:
///   D = K·1⊗1 + 2G(1 − 3GΔp/q_tr)·I_dev + 9G²(Δp/q_tr − dΔp/dq_tr)·ξ_tr⊗ξ_tr/q_tr²
/// (Simo & Hughes, Computational Inelasticity, 1998, §3.3, Box 3.2, written with the equivalent
/// stress; dΔp/dq_tr comes from linearising each law's local equations). In Voigt form with
/// engineering shear strains I_dev has 1/2 on the shear diagonal.
Matrix6 radial_return_tangent(const ShearBulk& moduli, const Voigt6& trial_flow_deviator, double trial_equivalent_Pa,
                              double equivalent_increment, double d_increment_d_trial_equivalent);

/// The elastic trial state of an increment: σ_tr = D(T_new)·(ε_new − ε_th(T_new) − ε_in,old).
struct ElasticTrial {
  ShearBulk moduli;
  Voigt6 stress{};      // trial stress
  Voigt6 deviator{};    // its deviator
  double mean_Pa = 0;   // its mean stress
};
ElasticTrial elastic_trial(const IsotropicElasticData& elastic, const PointIncrement& increment,
                           std::span<const double> history_old);

/// Thermal strain of an isotropic CTE table: ∫α dT from the stress-free temperature (material_law.h).
Voigt6 isotropic_thermal_strain(const TemperatureTable& cte_per_K, double temperature_K, double stress_free_K);

/// What one increment did to the inelastic strain, split into its rate-dependent (creep) and
/// rate-independent (plastic) equivalent parts.
struct InelasticIncrement {
  Voigt6 strain{};                    // Δε_in, engineering shears
  double equivalent_creep = 0;        // Δp of the creep part
  double equivalent_plastic = 0;      // Δp of the plastic part
};

/// Copies history_old into history_new (laws' own entries included) and advances the common
/// entries: ε_in += Δε_in; ε̄_in += Δp_creep + Δp_plastic; W_in += ½(σ_old + σ_new):Δε_in
/// (trapezoid rule over the increment); the creep and plastic parts separately. history_old and
/// history_new may be the same array.
void record_inelastic_increment(const InelasticIncrement& step, const Voigt6& stress_old, const Voigt6& stress_new,
                                std::span<const double> history_old, std::span<double> history_new);

/// Validates the elastic part of a law's data; throws MaterialDataError naming `law` and the key.
void check_isotropic_elastic(const IsotropicElasticData& elastic, const std::string& law);

/// ln sinh(x) for x > 0 without overflow: x − ln 2 + ln(1 − e^(−2x)) for large x.
double log_sinh(double x);
/// coth(x) for x > 0.
double coth(double x);

/// A safeguarded scalar root: Newton steps inside a sign-change bracket, bisection whenever a
/// Newton step leaves the bracket or does not shrink the residual fast enough (the "rtsafe"
/// strategy, Press et al., Numerical Recipes, 3rd ed., §9.4).
struct ScalarRoot {
  double x = 0;
  int n_iterations = 0;
  bool is_converged = false;
};
/// `value_and_slope(x)` returns (f(x), f'(x)); f(low)·f(high) ≤ 0 is required. Converges when
/// the bracket or the Newton step is below `tolerance` (absolute in x).
ScalarRoot bracketed_newton(const std::function<std::pair<double, double>(double)>& value_and_slope, double low,
                            double high, double tolerance, int max_iterations);

/// The backward-Euler radial return of a pure creep law ε̇ = f(q) (no yield surface): with
/// y = ln Δp and q = q_tr − 3G·Δp, solves  y − ln Δt − ln f(q) = 0  (increasing in y, bracketed
/// by Δp ∈ (0, q_tr/3G)). Working with ln Δp keeps tiny creep increments exact and large trial
/// stresses free of overflow. Returns Δp, q and dΔp/dq_tr = Δp·L'/(1 + 3GΔp·L'), L = ln f.
struct CreepReturn {
  double equivalent_increment = 0;
  double equivalent_Pa = 0;
  double d_increment_d_trial = 0;
};
struct LogRate {
  std::function<double(double)> value;  // ln f(q), f in 1/s, q in Pa
  std::function<double(double)> slope;  // d ln f / dq, 1/Pa
};
CreepReturn creep_radial_return(double trial_equivalent_Pa, double shear_Pa, double time_step_s, const LogRate& rate,
                                const std::string& law);

}  // namespace wlp::fem::detail
