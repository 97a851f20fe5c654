// The factory that turns a material of the library (data/materials.toml, or a design's own
// [materials] table) into the constitutive law the FE engine uses for it.
//
// Choices (docs/constitutive-laws.md, "The factory"):
//   class "solder"                    → AnandViscoplastic (default), or Garofalo creep (+ bilinear
//                                       plasticity when the solder has a yield_strength), Norton
//                                       creep (low-stress asymptote of the Garofalo law) or
//                                       isotropic elastic, by LawOptions::solder_law
//   class "metal" with yield_strength → BilinearKinematicPlasticity (LawOptions::metal_plasticity
//                                       = false makes it isotropic elastic)
//   class "board"                     → OrthotropicElastic, missing constants filled by stated defaults
//   everything else                   → IsotropicElastic with E(T), ν, CTE(T)
// Missing data throw MaterialDataError naming the material and the key.
#pragma once

#include <memory>
#include <vector>

#include "design/materials.h"
#include "fem/laws/material_law.h"

namespace wlp::fem {

enum class SolderLaw { anand, garofalo, norton, elastic };

struct LawOptions {
  SolderLaw solder_law = SolderLaw::anand;
  /// Metals with a yield strength are elastic-plastic; false: elastic.
  bool metal_plasticity = true;
  /// E_t = ratio·E(25 °C) for a metal without tangent_modulus (Cu: E_t 0.5–2 GPa ≈ 1 % of E,
  /// physics-data.md §1.1).
  double metal_tangent_ratio = 0.01;
  /// Garofalo solders: add bilinear isotropic plasticity when the solder has a yield_strength.
  bool solder_plasticity = true;
  /// E_t = ratio·E(25 °C) of that plasticity when the solder has no tangent_modulus ("small").
  double solder_tangent_ratio = 0.001;
  /// Temperatures of the Norton A(T) table; empty: every 1 K from −65 °C to 175 °C.
  std::vector<double> norton_temperatures_K{};
  /// Boards: E_i and G_ij are multiplied by this factor above Tg (1: no drop; FR-4 loses 30–50 %,
  /// physics-data.md §1.3).
  double board_modulus_factor_above_tg = 1;
  /// Isotropic materials with cte_above_tg: the CTE steps from α to α_above over Tg ± this
  /// half-width (the integral is exact outside the ramp when α and α_above are constant).
  double glass_transition_half_width_K = 0.5;
};

/// The law for a material. Throws MaterialDataError (material id, key) when data are missing or
/// out of range: no youngs_modulus / poisson_ratio / cte, no anand or garofalo constants for the
/// chosen solder law.
std::unique_ptr<MaterialLaw> make_material_law(const design::Material& material, const LawOptions& options = {});

/// A property as a temperature table: a constant gives a one-point table, points are copied.
/// Throws std::invalid_argument when the property has neither.
TemperatureTable table_of(const design::PropertyValue& property);

/// The CTE table of a material with a glass transition: `below` up to Tg − half-width, `above`
/// from Tg + half-width, linear in between.
TemperatureTable glass_transition_table(const TemperatureTable& below, const TemperatureTable& above,
                                        double glass_transition_K, double half_width_K);

}  // namespace wlp::fem
