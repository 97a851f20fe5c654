#include "fem/ccx_deck.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "fem/laws/anand_viscoplastic.h"
#include "fem/laws/bilinear_kinematic.h"
#include "fem/laws/garofalo_creep_plasticity.h"
#include "fem/laws/norton_creep.h"
#include "fem/laws/orthotropic_elastic.h"

namespace wlp::fem {

namespace {

/// Plastic strain of the second *PLASTIC row: CalculiX (like Abaqus) holds the stress constant
/// beyond the last row, so the row must lie beyond any strain a package reaches (100 %).
constexpr double kLastPlasticStrain = 1.0;

/// Temperatures closer than this are one row.
constexpr double kSameTemperatureK = 1e-9;

std::vector<double> unique_sorted(std::vector<double> temperatures_K) {
  std::sort(temperatures_K.begin(), temperatures_K.end());
  std::vector<double> out;
  for (double t : temperatures_K)
    if (out.empty() || t - out.back() > kSameTemperatureK) out.push_back(t);
  return out;
}

/// The table's temperatures from the last one at or below the range to the first one at or above
/// it: linear interpolation over the range is then the table's own (both codes hold the ends).
std::vector<double> points_covering(const TemperatureTable& table, const CcxMaterialRows& rows) {
  const auto& p = table.points;
  if (p.empty()) return {};
  std::size_t first = 0, last = p.size() - 1;
  while (first + 1 < p.size() && p[first + 1].first <= rows.min_temperature_K) ++first;
  while (last > first && p[last - 1].first >= rows.max_temperature_K) --last;
  std::vector<double> out;
  for (std::size_t i = first; i <= last; ++i) out.push_back(p[i].first);
  return out;
}

/// The union of several tables' covering points (the rows of materials whose cards must share
/// their temperatures). A constant table adds no temperature; all constant: one row at the
/// stress-free temperature.
std::vector<double> shared_points(const std::vector<const TemperatureTable*>& tables, const CcxMaterialRows& rows) {
  std::vector<double> all;
  for (const TemperatureTable* table : tables) {
    if (table->is_constant()) continue;
    const std::vector<double> own = points_covering(*table, rows);
    all.insert(all.end(), own.begin(), own.end());
  }
  if (all.empty()) all.push_back(rows.stress_free_temperature_K);
  return unique_sorted(all);
}

std::vector<mesh::InpElasticRow> elastic_rows(const IsotropicElasticData& elastic, const std::vector<double>& temperatures_K) {
  std::vector<mesh::InpElasticRow> out;
  for (double t : temperatures_K) out.push_back({elastic.youngs_modulus_Pa.at(t), elastic.poisson_ratio, t});
  return out;
}

/// α_sec(T) = ε_th(T)/(T − T0) with ε_th = ∫α dτ from T0 (material_law.h); α(T0) at T0 itself
/// (the limit). CalculiX then computes ε_th = α_sec(T)·(T − T0) (Abaqus convention, ZERO = T0,
/// initial temperature T0), the engine's value at every row.
double secant_cte_per_K(const TemperatureTable& cte_per_K, double temperature_K, double stress_free_K) {
  const double delta_K = temperature_K - stress_free_K;
  if (std::abs(delta_K) <= kSameTemperatureK) return cte_per_K.at(stress_free_K);
  return cte_per_K.integral(stress_free_K, temperature_K) / delta_K;
}

std::vector<double> expansion_temperatures(const TemperatureTable& cte_per_K, const CcxMaterialRows& rows) {
  std::vector<double> out = rows.expansion_temperatures_K;
  out.push_back(rows.min_temperature_K);
  out.push_back(rows.max_temperature_K);
  out.push_back(rows.stress_free_temperature_K);
  for (const auto& point : cte_per_K.points)
    if (point.first > rows.min_temperature_K && point.first < rows.max_temperature_K) out.push_back(point.first);
  const double span_K = rows.max_temperature_K - rows.min_temperature_K;
  if (rows.expansion_row_spacing_K > 0 && span_K > 0) {
    const int n_rows = static_cast<int>(std::ceil(span_K / rows.expansion_row_spacing_K));
    for (int i = 1; i < n_rows; ++i) out.push_back(rows.min_temperature_K + span_K * i / n_rows);
  }
  return unique_sorted(out);
}

std::vector<mesh::InpExpansionRow> expansion_rows(const TemperatureTable& cte_per_K, const CcxMaterialRows& rows) {
  if (cte_per_K.is_constant()) return {{cte_per_K.at(rows.stress_free_temperature_K), rows.stress_free_temperature_K}};
  std::vector<mesh::InpExpansionRow> out;
  for (double t : expansion_temperatures(cte_per_K, rows))
    out.push_back({secant_cte_per_K(cte_per_K, t, rows.stress_free_temperature_K), t});
  return out;
}

mesh::InpMaterial isotropic_material(const std::string& id, const IsotropicElasticData& elastic, const CcxMaterialRows& rows) {
  mesh::InpMaterial material;
  material.name = id;
  material.elastic = elastic_rows(elastic, shared_points({&elastic.youngs_modulus_Pa}, rows));
  material.expansion = expansion_rows(elastic.cte_per_K, rows);
  return material;
}

/// Orthotropic elasticity (FR-4) as *ELASTIC, TYPE=ENGINEERING CONSTANTS and *EXPANSION,
/// TYPE=ORTHO: the secant CTE of each axis is the law's own thermal strain over T − T_zero, so the
/// two codes share the thermal strain at every row (including across a glass transition, where
/// the rows run at the spacing and at Tg ± 1 K).
mesh::InpMaterial orthotropic_material(const std::string& id, const OrthotropicElastic& law, const CcxMaterialRows& rows) {
  const OrthotropicElasticData& data = law.data();
  if (data.modulus_factor_above_tg != 1)
    throw CcxDeckError(id, fmt::format("material '{}': the modulus drop above Tg (factor {}) has no CalculiX conversion here",
                                       id, data.modulus_factor_above_tg));
  mesh::InpMaterial material;
  material.name = id;
  const OrthotropicConstants& c = data.constants;
  material.orthotropic_elastic.push_back({c.youngs_x_Pa, c.youngs_y_Pa, c.youngs_z_Pa, c.poisson_xy, c.poisson_xz, c.poisson_yz,
                                          c.shear_xy_Pa, c.shear_xz_Pa, c.shear_yz_Pa, rows.stress_free_temperature_K});
  TemperatureTable knots;  // only its points matter: where the CTE table bends
  for (const auto& table : data.cte_per_K)
    for (const auto& point : table.points) knots.points.push_back(point);
  if (data.glass_transition_K)
    for (double offset_K : {-1.0, 1.0}) knots.points.push_back({*data.glass_transition_K + offset_K, 0});
  std::sort(knots.points.begin(), knots.points.end());
  const double zero_K = rows.stress_free_temperature_K;
  for (double t : expansion_temperatures(knots, rows)) {
    // At T_zero the secant is the limit: the instantaneous CTE (from a 1 mK difference).
    const double at_K = std::abs(t - zero_K) < 1e-6 ? zero_K + 1e-3 : t;
    const Voigt6 strain = law.thermal_strain(at_K, zero_K);
    material.orthotropic_expansion.push_back(
        {strain[0] / (at_K - zero_K), strain[1] / (at_K - zero_K), strain[2] / (at_K - zero_K), t});
  }
  return material;
}

/// *ELASTIC and *CREEP, LAW=NORTON at the same temperatures: ccx interpolates the creep constants
/// at the elastic temperatures, so sharing them keeps A(T) the engine's piecewise-linear table.
mesh::InpMaterial norton_material(const std::string& id, const NortonCreep& law, const CcxMaterialRows& rows) {
  const NortonCreepData& data = law.data();
  mesh::InpMaterial material = isotropic_material(id, data.elastic, rows);
  const std::vector<double> temperatures =
      shared_points({&data.elastic.youngs_modulus_Pa, &data.coefficient_per_Pa_n_per_s}, rows);
  material.elastic = elastic_rows(data.elastic, temperatures);
  for (double t : temperatures) material.norton_creep.push_back({data.coefficient_per_Pa_n_per_s.at(t), data.exponent, 0, t});
  return material;
}

/// Bilinear kinematic hardening as the two-row curve σ = σy + H·ε_p (Prager, J. Appl. Mech. 23
/// (1956) 493: uniaxially the backstress grows by H·ε_p), H = E·E_t/(E − E_t).
mesh::InpMaterial kinematic_material(const std::string& id, const BilinearKinematicPlasticity& law, const CcxMaterialRows& rows) {
  const BilinearKinematicData& data = law.data();
  mesh::InpMaterial material = isotropic_material(id, data.elastic, rows);
  const std::vector<double> temperatures =
      shared_points({&data.elastic.youngs_modulus_Pa, &data.yield_strength_Pa, &data.tangent_modulus_Pa}, rows);
  material.elastic = elastic_rows(data.elastic, temperatures);
  for (double t : temperatures) {
    const double yield_Pa = data.yield_strength_Pa.at(t);
    material.kinematic_plastic.push_back({yield_Pa, 0, t});
    material.kinematic_plastic.push_back({yield_Pa + law.prager_modulus_Pa(t) * kLastPlasticStrain, kLastPlasticStrain, t});
  }
  return material;
}

[[noreturn]] void throw_no_equivalent(const std::string& id, const MaterialLaw& law) {
  throw CcxDeckError(id, fmt::format("material '{}' uses the {} law, which CalculiX cannot express (ccx *CREEP has only "
                                     "LAW=NORTON and user subroutines): for a comparison with CalculiX give the solder the "
                                     "Norton law (LawOptions::solder_law = SolderLaw::norton, the low-stress asymptote of its "
                                     "Garofalo law, norton_low_stress_asymptote)",
                                     id, law.name()));
}

void check_history(const CcxDeckOptions& options) {
  options.history.validate();
  const double start_K = options.history.temperature_K.front();
  if (std::abs(start_K - options.stress_free_temperature_K) > 1e-9)
    throw std::invalid_argument(fmt::format("ccx_deck: the history starts at {} K, not at the stress-free temperature {} K "
                                            "(the engine and the deck both start stress-free)",
                                            start_K, options.stress_free_temperature_K));
  const double start_s = options.history.time_s.front();
  if (options.end_time_s && !(*options.end_time_s > start_s))
    throw std::invalid_argument(fmt::format("ccx_deck: end time {} s is not after the history's start {} s", *options.end_time_s, start_s));
}

double end_time(const CcxDeckOptions& options) { return options.end_time_s.value_or(options.history.time_s.back()); }

/// The temperature range the history visits up to the end time.
std::pair<double, double> temperature_range(const TemperatureHistory& history, double end_s) {
  double low = history.temperature_at(end_s), high = low;
  for (std::size_t i = 0; i < history.time_s.size() && history.time_s[i] <= end_s; ++i) {
    low = std::min(low, history.temperature_K[i]);
    high = std::max(high, history.temperature_K[i]);
  }
  return {low, high};
}

/// (time, temperature) pairs of the history up to the end time, the end included, on ccx's clock:
/// its total time starts at 0, so the times are counted from the history's start.
std::vector<std::pair<double, double>> amplitude(const TemperatureHistory& history, double end_s) {
  const double start_s = history.time_s.front();
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < history.time_s.size() && history.time_s[i] < end_s; ++i)
    out.emplace_back(history.time_s[i] - start_s, history.temperature_K[i]);
  out.emplace_back(end_s - start_s, history.temperature_at(end_s));
  return out;
}

mesh::InpStep step_between(const TemperatureHistory& history, double from_s, double to_s, mesh::InpProcedure procedure,
                           const CcxIncrementLimits& limits) {
  const double length_s = to_s - from_s;
  double max_s = std::min(limits.max_s, length_s);
  const double change_K = std::abs(history.temperature_at(to_s) - history.temperature_at(from_s));
  if (limits.max_temperature_change_K > 0 && change_K > limits.max_temperature_change_K)
    max_s = std::min(max_s, length_s * limits.max_temperature_change_K / change_K);
  mesh::InpStep step;
  step.procedure = procedure;
  step.period_s = length_s;
  step.initial_increment_s = std::min(limits.initial_s, max_s);
  step.max_increment_s = max_s;
  step.min_increment_s = std::min(limits.min_s, step.initial_increment_s);
  step.creep_tolerance = limits.creep_tolerance;
  return step;
}

struct ModelKind {
  bool creeps = false, yields = false;
};

ModelKind model_kind(const std::vector<std::shared_ptr<const MaterialLaw>>& laws) {
  ModelKind kind;
  for (const auto& law : laws) {
    kind.creeps = kind.creeps || dynamic_cast<const NortonCreep*>(law.get()) != nullptr;
    kind.yields = kind.yields || dynamic_cast<const BilinearKinematicPlasticity*>(law.get()) != nullptr;
  }
  return kind;
}

/// One step for an elastic model (path independent); otherwise one per history segment.
std::vector<mesh::InpStep> steps(const CcxDeckOptions& options, ModelKind kind) {
  const double start_s = options.history.time_s.front(), end_s = end_time(options);
  if (!kind.creeps && !kind.yields) {
    mesh::InpStep step;
    step.period_s = step.initial_increment_s = step.max_increment_s = end_s - start_s;
    step.min_increment_s = step.period_s * 1e-6;
    return {step};
  }
  const mesh::InpProcedure procedure = kind.creeps ? mesh::InpProcedure::Visco : mesh::InpProcedure::Static;
  std::vector<mesh::InpStep> out;
  double from_s = start_s;
  for (double to_s : options.history.landing_times(start_s, end_s)) {
    out.push_back(step_between(options.history, from_s, to_s, procedure, options.increments));
    from_s = to_s;
  }
  return out;
}

void check_formulation(const mesh::Mesh& mesh, ElementFormulation formulation) {
  const bool quadratic_mesh = mesh.element_type == mesh::ElementType::Hex20;
  if (quadratic_mesh != (formulation == ElementFormulation::Hex20))
    throw std::invalid_argument(fmt::format("ccx_deck: element formulation {} does not fit a {} mesh", ccx_element_type(formulation),
                                            quadratic_mesh ? "Hex20" : "Hex8"));
}

}  // namespace

std::string ccx_element_type(ElementFormulation formulation) {
  switch (formulation) {
    case ElementFormulation::Hex8: return "C3D8";
    case ElementFormulation::Hex8Incompatible: return "C3D8I";
    case ElementFormulation::Hex20: return "C3D20";
  }
  return "C3D8";
}

mesh::InpMaterial ccx_material(const std::string& material_id, const MaterialLaw& law, const CcxMaterialRows& rows) {
  if (const auto* norton = dynamic_cast<const NortonCreep*>(&law)) return norton_material(material_id, *norton, rows);
  if (const auto* kinematic = dynamic_cast<const BilinearKinematicPlasticity*>(&law))
    return kinematic_material(material_id, *kinematic, rows);
  if (const auto* elastic = dynamic_cast<const IsotropicElastic*>(&law)) return isotropic_material(material_id, elastic->data(), rows);
  if (dynamic_cast<const AnandViscoplastic*>(&law) != nullptr || dynamic_cast<const GarofaloCreepPlasticity*>(&law) != nullptr)
    throw_no_equivalent(material_id, law);
  if (const auto* orthotropic = dynamic_cast<const OrthotropicElastic*>(&law))
    return orthotropic_material(material_id, *orthotropic, rows);
  throw CcxDeckError(material_id, fmt::format("material '{}': the law '{}' has no CalculiX conversion", material_id, law.name()));
}

mesh::InpDeck ccx_deck(const mesh::Mesh& mesh, const std::vector<std::shared_ptr<const MaterialLaw>>& law_of_material,
                       const CcxDeckOptions& options) {
  if (law_of_material.size() != mesh.materials.size())
    throw std::invalid_argument(fmt::format("ccx_deck: {} laws for {} mesh materials", law_of_material.size(), mesh.materials.size()));
  check_formulation(mesh, options.element);
  check_history(options);
  const double end_s = end_time(options);
  const auto [low_K, high_K] = temperature_range(options.history, end_s);

  mesh::InpDeck deck;
  deck.heading = options.heading;
  deck.stress_free_temperature_K = deck.initial_temperature_K = options.stress_free_temperature_K;
  deck.temperature_amplitude = amplitude(options.history, end_s);
  deck.hex8_type = ccx_element_type(options.element == ElementFormulation::Hex20 ? ElementFormulation::Hex8 : options.element);
  deck.hex20_type = ccx_element_type(ElementFormulation::Hex20);
  deck.outputs = options.outputs;

  CcxMaterialRows rows{options.stress_free_temperature_K, low_K, high_K, {}, options.expansion_row_spacing_K};
  for (const auto& [time_s, temperature_K] : deck.temperature_amplitude) rows.expansion_temperatures_K.push_back(temperature_K);
  for (std::size_t m = 0; m < mesh.materials.size(); ++m) {
    if (!law_of_material[m]) throw std::invalid_argument(fmt::format("ccx_deck: no law for material '{}'", mesh.materials[m]));
    deck.materials.push_back(ccx_material(mesh.materials[m], *law_of_material[m], rows));
  }
  deck.steps = steps(options, model_kind(law_of_material));
  return deck;
}

}  // namespace wlp::fem
