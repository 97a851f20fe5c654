// The FE engine's model as a CalculiX (Abaqus-format) deck, so that `ccx` solves the same mesh
// under the same load with the same material data: the independent oracle of the engine
// (docs/fe-engine.md, "Verification against CalculiX").
//
// What is converted (the deck itself is written by mesh::inp_text, units mm–N–MPa–s–K):
// - IsotropicElastic              → *ELASTIC rows E(T), ν at the law's table temperatures
// - BilinearKinematicPlasticity   → *ELASTIC rows and *PLASTIC, HARDENING=KINEMATIC rows
//                                   (σy(T), 0) and (σy(T) + H(T)·1, 1) with H = E·E_t/(E − E_t)
//                                   (the Abaqus meaning; ccx 2.20 itself departs from the closed
//                                   form once H > 0, docs/fe-engine.md)
// - NortonCreep                   → *ELASTIC and *CREEP, LAW=NORTON rows at the same temperatures
//                                   (CalculiX interpolates the creep data at the elastic
//                                   temperatures, so both tables must share them)
// - every law's expansion         → *EXPANSION rows of the SECANT CTE from the stress-free
//                                   temperature (Abaqus convention, Abaqus Analysis User's Guide
//                                   §26.1.2 "Thermal expansion", eq. for ε_th = α(T)(T − T0)):
//                                   α_sec(T) = ∫α dτ (T0 → T) / (T − T0), so at every row
//                                   temperature CalculiX has exactly the engine's thermal strain
// - AnandViscoplastic, GarofaloCreepPlasticity: no CalculiX equivalent (ccx 2.20 *CREEP knows
//   NORTON and USER only) → CcxDeckError suggesting the Norton law
// - OrthotropicElastic: mesh::InpDeck has no *ELASTIC, TYPE=ENGINEERING CONSTANTS card yet →
//   CcxDeckError
// The temperature history becomes the amplitude (TIME=TOTAL TIME, counted from the history's
// start: ccx's total time starts at 0) and the steps: one *STATIC
// step for elastic models (the answer depends on the end temperature only), otherwise one step
// per history segment (between knots and breakpoints, where the engine's increments land too),
// *VISCO when a material creeps, *STATIC when it is only plastic.
//
// Level: advanced. Related: run_ccx and read_ccx_dat (ccx_results.h), mesh::write_inp.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "fem/laws/material_law.h"
#include "fem/solver_options.h"
#include "fem/temperature_history.h"
#include "mesh/inp_export.h"
#include "mesh/mesh.h"

namespace wlp::fem {

/// A law or model CalculiX cannot be given: names the material, says why and what to use instead.
class CcxDeckError : public std::invalid_argument {
 public:
  CcxDeckError(std::string material_id, const std::string& message)
      : std::invalid_argument(message), material_id_(std::move(material_id)) {}
  [[nodiscard]] const std::string& material_id() const { return material_id_; }

 private:
  std::string material_id_;
};

/// Increment control of every non-elastic step (CalculiX's automatic incrementation).
struct CcxIncrementLimits {
  double initial_s = 1;          // first increment of a step (capped at the step's length)
  double min_s = 1e-6;
  double max_s = 10;             // capped at the step's length
  double creep_tolerance = 1e-4; // *VISCO, CETOL: the creep strain error allowed per increment
  /// Largest temperature change of one increment on a ramp, as the engine's
  /// IncrementOptions::max_temperature_change_K (ccx has no such control: the step's largest
  /// increment becomes its length × this / its temperature change); 0: none.
  double max_temperature_change_K = 0;
};

/// The temperatures at which a material's rows are written.
struct CcxMaterialRows {
  double stress_free_temperature_K = 298.15;
  /// The range the analysis visits; table points beyond it are dropped except the nearest one on
  /// each side, so the linear interpolation inside the range is the law's own.
  double min_temperature_K = 298.15, max_temperature_K = 298.15;
  /// Secant-CTE rows: at these temperatures (e.g. the history's knots), at the law's CTE table
  /// points inside the range and every `expansion_row_spacing_K` across the range. Between rows
  /// CalculiX interpolates α_sec linearly: exact for a constant α or a linear α(T), otherwise a
  /// second-order error in the spacing.
  std::vector<double> expansion_temperatures_K;
  double expansion_row_spacing_K = 5;
};

struct CcxDeckOptions {
  ElementFormulation element = ElementFormulation::Hex8;  // Hex8 → C3D8, Hex8Incompatible → C3D8I, Hex20 → C3D20
  double stress_free_temperature_K = 298.15;              // *EXPANSION, ZERO= and the initial temperature
  TemperatureHistory history;                             // must start at the stress-free temperature
  std::optional<double> end_time_s;                       // none: the history's last time
  CcxIncrementLimits increments;
  double expansion_row_spacing_K = 5;                     // see CcxMaterialRows
  mesh::InpOutputs outputs{.print_displacements = true,
                           .print_stresses = true,
                           .print_reaction_totals = false,
                           .print_volume_total = false,
                           .write_result_file = false};
  std::string heading = "wlpkit model for CalculiX (fem::ccx_deck)";
};

/// The deck of `mesh` with `law_of_material[m]` for mesh.materials[m] under options.history.
/// Throws CcxDeckError for a law CalculiX cannot express (the material is named), and
/// std::invalid_argument for a law count that does not match the mesh, a formulation that does
/// not fit the mesh's element type, a history that does not start at the stress-free temperature
/// or an end time outside it.
mesh::InpDeck ccx_deck(const mesh::Mesh& mesh, const std::vector<std::shared_ptr<const MaterialLaw>>& law_of_material,
                       const CcxDeckOptions& options);

/// One material's CalculiX cards. Throws CcxDeckError as ccx_deck.
mesh::InpMaterial ccx_material(const std::string& material_id, const MaterialLaw& law, const CcxMaterialRows& rows);

/// "C3D8", "C3D8I" or "C3D20".
std::string ccx_element_type(ElementFormulation formulation);

}  // namespace wlp::fem
