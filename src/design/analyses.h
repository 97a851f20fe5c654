// The analyses a design asks for: thermal cycling (the load), the fatigue-life model, and the
// options of the finite-element model that runs the cycling (docs/design-format.md, [analysis]).
//
// Pure data in SI (K, s, m). The profile arithmetic is in design/thermal_profile.h; the FE engine
// reads FeOptions and converts them to its own types.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wlp::design {

/// One breakpoint of a custom temperature cycle: time from the start of the cycle, temperature.
struct ProfilePoint {
  double time_s = 0;
  double temperature_K = 0;
  friend bool operator==(const ProfilePoint&, const ProfilePoint&) = default;
};

/// [analysis.thermal_cycling]. Two shapes:
/// - trapezoid (a named condition, or "custom" with t_min/t_max): dwell at each extreme, linear
///   ramps of ramp_s between them; `points` is empty;
/// - custom table: `points` is one closed cycle (first time 0, times ascending, first and last
///   temperature equal); t_min_K/t_max_K are its extremes, dwell_s and ramp_s are 0.
struct ThermalCycling {
  std::string profile;  // "JESD22-A104-G", "IPC-9701-TC3" or "custom"
  double t_min_K = 0, t_max_K = 0;
  double dwell_s = 0;  // at each extreme
  double ramp_s = 0;   // each ramp between the extremes (from `ramp`, or the span over `ramp_rate`)
  std::vector<ProfilePoint> points;
  double stress_free_K = 298.15;  // temperature at which the assembly is free of thermal stress
  int n_cycles = 3;
};

/// [analysis.life]
struct LifeModel {
  std::string model;
  double damage_layer_thickness_m = 25.4e-6;
  double weibull_shape = 8;
};

/// Which part of the package the FE model keeps. Auto: the highest symmetry the design allows
/// (design/model_symmetry.h). Quarter cuts at x = 0 and y = 0; Eighth also at x = y.
enum class ModelSymmetry { Auto, Full, Quarter, Eighth };

/// Hex8Incompatible: 8-node brick with incompatible (bubble) modes, free of shear locking in
/// bending (Wilson, Taylor, Doherty & Ghaboussi 1973; Taylor, Beresford & Wilson, IJNME 10 (1976) 1211).
enum class ElementKind { Hex8Incompatible, Hex8, Hex20 };

/// Solder constitutive law (physics-data.md §2): Anand unified viscoplasticity, Garofalo
/// (hyperbolic-sine) creep, Norton (power-law) creep, or linear elastic.
enum class SolderLaw { Anand, Garofalo, Norton, Elastic };

/// Direct (sparse LU/Cholesky) or algebraic multigrid-preconditioned Krylov solver.
enum class LinearSolver { Direct, Amg };

/// The design-file spelling of every option value, in documentation order (the first is the default).
inline constexpr std::array<std::pair<std::string_view, ModelSymmetry>, 4> kModelSymmetryNames{
    {{"auto", ModelSymmetry::Auto}, {"full", ModelSymmetry::Full}, {"quarter", ModelSymmetry::Quarter},
     {"eighth", ModelSymmetry::Eighth}}};
inline constexpr std::array<std::pair<std::string_view, ElementKind>, 3> kElementKindNames{
    {{"hex8i", ElementKind::Hex8Incompatible}, {"hex8", ElementKind::Hex8}, {"hex20", ElementKind::Hex20}}};
inline constexpr std::array<std::pair<std::string_view, SolderLaw>, 4> kSolderLawNames{
    {{"anand", SolderLaw::Anand}, {"garofalo", SolderLaw::Garofalo}, {"norton", SolderLaw::Norton},
     {"elastic", SolderLaw::Elastic}}};
inline constexpr std::array<std::pair<std::string_view, LinearSolver>, 2> kLinearSolverNames{
    {{"direct", LinearSolver::Direct}, {"amg", LinearSolver::Amg}}};

std::string to_string(ModelSymmetry symmetry);
std::string to_string(ElementKind element);
std::string to_string(SolderLaw law);
std::string to_string(LinearSolver solver);

/// The interface-layer thickness when neither [analysis.fe] nor [analysis.life] gives one:
/// 1 mil, the layer of Darveaux's calibration (ECTC 2000; physics-data.md §3.1).
inline constexpr double kDefaultInterfaceLayerThickness_m = 25.4e-6;

/// [analysis.fe]: how the thermo-mechanical FE model is built and solved. Every field has a default.
struct FeOptions {
  ModelSymmetry symmetry = ModelSymmetry::Auto;
  int refinement = 2;  // mesh density level, >= 1; higher is finer
  ElementKind element = ElementKind::Hex8Incompatible;
  SolderLaw solder_law = SolderLaw::Anand;
  bool has_metal_plasticity = true;  // Cu/Al/Ni yield (bilinear kinematic); false keeps metals elastic
  LinearSolver linear_solver = LinearSolver::Direct;
  /// Thickness of the joint layer at each interface where damage is averaged; default = the
  /// life model's damage_layer_thickness, else kDefaultInterfaceLayerThickness_m.
  double interface_layer_thickness_m = kDefaultInterfaceLayerThickness_m;
  /// How far the board reaches beyond the die edge in the model (the laminate, pads and mask
  /// around the device; the test board itself is larger).
  double board_margin_m = 1e-3;
  double max_temperature_step_K = 5.0;  // largest temperature change of one time increment
  /// Newton's relative residual tolerance. 1e-5 changes the corner joint's ΔW by 0.1 % against
  /// 1e-8 (half the error of the 5 K step) and halves the run time (bench/RESULTS.md, "FE").
  double newton_tolerance = 1e-5;
};

struct Analyses {
  std::optional<ThermalCycling> thermal_cycling;
  std::optional<LifeModel> life;
  FeOptions fe;  // always present: the defaults when [analysis.fe] is absent
};

}  // namespace wlp::design
