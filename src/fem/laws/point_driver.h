// A material-point driver: runs one law through a loading history at a single point and returns
// the stress–strain–time curve. Used by the law tests and for documentation plots.
//
// Each increment prescribes, per Voigt component, either the strain (engineering shears) or the
// stress (Pa) at its end; the unknown strains are found by Newton's method with the law's own
// consistent tangent (so a wrong tangent shows as slow or failed convergence). Small strain:
// a "constant true strain rate" is ε(t) = ε̇·t.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "fem/laws/material_law.h"

namespace wlp::fem {

enum class Control : std::uint8_t { strain, stress };

/// The state prescribed at the end of one increment.
struct PointTarget {
  double time_s = 0;
  double temperature_K = 298.15;
  std::array<Control, 6> control{};  // strain everywhere by default
  Voigt6 value{};                    // strain (engineering shears) or stress (Pa) per component
};

struct PointLoading {
  double stress_free_temperature_K = 298.15;
  double initial_temperature_K = 298.15;
  Voigt6 initial_strain{};             // applied at the start in a first zero-time increment
  double start_time_s = 0;
  std::vector<PointTarget> increments;  // in time order
};

/// One point of the curve: the state at the end of an increment (sample 0: the initial state).
struct PointSample {
  double time_s = 0;
  double temperature_K = 0;
  Voigt6 strain{};
  Voigt6 stress{};
  std::vector<double> history;
  int n_newton_iterations = 0;  // of the mixed-control Newton (0 when fully strain-controlled)
};

using PointCurve = std::vector<PointSample>;

/// Runs the loading from a fresh point (law.initialise). Throws LawError when the law fails or
/// the mixed-control Newton does not converge (residual, iteration count, increment in the message).
PointCurve drive_point(const MaterialLaw& law, const PointLoading& loading);

/// A piecewise-linear history: value at the given times (the first time is the start).
struct TimeValue {
  double time_s = 0;
  double value = 0;
};

/// Uniaxial stress along `axis` (0 x, 1 y, 2 z) under a constant strain rate, isothermal, the
/// other stresses held at zero; the point starts stress-free at the test temperature.
struct UniaxialStrainRate {
  double strain_rate_per_s = 1e-3;
  double final_strain = 0.01;
  double temperature_K = 298.15;
  int n_increments = 100;
  int axis = 0;
};
PointCurve uniaxial_constant_strain_rate(const MaterialLaw& law, const UniaxialStrainRate& test);

/// Uniaxial stress with the axial strain (Control::strain) or the axial stress (Control::stress)
/// following a piecewise-linear history, the other stresses zero, isothermal. A segment of zero
/// duration is one instantaneous (Δt = 0) increment.
struct UniaxialHistory {
  std::vector<TimeValue> axial;  // strain or stress (Pa) against time
  Control control = Control::strain;
  int n_increments_per_segment = 10;
  double temperature_K = 298.15;
  int axis = 0;
};
PointCurve uniaxial_history(const MaterialLaw& law, const UniaxialHistory& test);

/// Simple shear: γ_xy follows a piecewise-linear history (a strain-rate history), every other
/// strain component zero, isothermal.
struct SimpleShearHistory {
  std::vector<TimeValue> shear_strain;  // engineering γ_xy against time
  int n_increments_per_segment = 10;
  double temperature_K = 298.15;
};
PointCurve simple_shear(const MaterialLaw& law, const SimpleShearHistory& test);

/// A temperature history at a fixed total strain (applied at t = 0).
struct ThermalHistory {
  Voigt6 strain{};
  std::vector<TimeValue> temperature_K;  // temperature against time
  int n_increments_per_segment = 10;
  double stress_free_temperature_K = 298.15;
};
PointCurve thermal_history_at_fixed_strain(const MaterialLaw& law, const ThermalHistory& test);

/// ∮σ:dε of a curve by the trapezoid rule, Σ ½(σ_k + σ_k+1):(ε_k+1 − ε_k), in J/m³.
double stress_work_J_per_m3(const PointCurve& curve, std::size_t first_sample, std::size_t last_sample);

}  // namespace wlp::fem
