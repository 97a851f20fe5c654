#include "fem/laws/law_factory.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <functional>
#include <stdexcept>

#include "fem/laws/anand_viscoplastic.h"
#include "fem/laws/bilinear_kinematic.h"
#include "fem/laws/garofalo_creep_plasticity.h"
#include "fem/laws/isotropic_j2.h"
#include "fem/laws/norton_creep.h"
#include "fem/laws/orthotropic_elastic.h"

namespace wlp::fem {

namespace {

// Board defaults for constants FR4_370HR-like data leave out (docs/constitutive-laws.md).
constexpr double kBoardOutOfPlaneModulusRatio = 0.4;  // E_z = 0.4·E_in-plane (FR-4: 8–10 vs 17–24 GPa, §1.3)
constexpr double kBoardPoissonXz = 0.35;              // ν_xz = ν_yz (FR-4: 0.3–0.4, §1.3)

const design::PropertyValue& required(const design::Material& material, const std::string& key, const std::string& law) {
  const design::PropertyValue* value = material.property(key);
  if (!value)
    throw MaterialDataError(material.id, key,
                            fmt::format("material '{}' has no `{}`, which the {} law needs", material.id, key, law));
  return *value;
}

// Law constructors validate their data without knowing the material: add its id to their errors.
std::unique_ptr<MaterialLaw> with_material_id(const design::Material& material,
                                              const std::function<std::unique_ptr<MaterialLaw>()>& build) {
  try {
    return build();
  } catch (const MaterialDataError& error) {
    if (!error.material_id().empty()) throw;
    throw MaterialDataError(material.id, error.key(), fmt::format("material '{}': {}", material.id, error.what()));
  }
}

TemperatureTable cte_table(const design::Material& material, const LawOptions& options, const std::string& law) {
  const TemperatureTable below = table_of(required(material, "cte", law));
  const design::PropertyValue* above = material.property("cte_above_tg");
  const design::PropertyValue* tg = material.property("glass_transition_temperature");
  if (!above || !tg) return below;
  return glass_transition_table(below, table_of(*above), tg->nominal(), options.glass_transition_half_width_K);
}

IsotropicElasticData isotropic_data(const design::Material& material, const LawOptions& options, const std::string& law) {
  return IsotropicElasticData{.youngs_modulus_Pa = table_of(required(material, "youngs_modulus", law)),
                              .poisson_ratio = required(material, "poisson_ratio", law).nominal(),
                              .cte_per_K = cte_table(material, options, law)};
}

// E_t from the data, or ratio·E(25 °C) with the default stated in the note.
TemperatureTable tangent_table(const design::Material& material, double ratio, std::string& note) {
  if (const design::PropertyValue* tangent = material.property("tangent_modulus")) {
    note += "E_t from tangent_modulus";
    return table_of(*tangent);
  }
  const double youngs_Pa = material.property("youngs_modulus")->nominal();
  note += fmt::format("E_t = {}·E = {:.4g} GPa (default: no tangent_modulus)", ratio, ratio * youngs_Pa * 1e-9);
  return TemperatureTable::constant(ratio * youngs_Pa);
}

std::unique_ptr<MaterialLaw> make_bilinear_kinematic(const design::Material& material, const LawOptions& options) {
  const std::string law = "bilinear kinematic plasticity";
  BilinearKinematicData data;
  data.elastic = isotropic_data(material, options, law);
  data.yield_strength_Pa = table_of(required(material, "yield_strength", law));
  data.note = material.id + ": ";
  data.tangent_modulus_Pa = tangent_table(material, options.metal_tangent_ratio, data.note);
  return with_material_id(material, [&] { return std::make_unique<BilinearKinematicPlasticity>(std::move(data)); });
}

std::unique_ptr<MaterialLaw> make_anand(const design::Material& material, const LawOptions& options) {
  const std::string law = "Anand viscoplastic";
  if (!material.anand)
    throw MaterialDataError(material.id, "anand",
                            fmt::format("material '{}' has no [materials.{}.anand] constants for the {} law; add them or "
                                        "choose another solder law",
                                        material.id, material.id, law));
  const design::AnandConstants& c = *material.anand;
  AnandViscoplasticData data;
  data.elastic = isotropic_data(material, options, law);
  data.anand = AnandParameters{.s0_Pa = c.s0_Pa, .q_over_r_K = c.q_over_r_K, .a_per_s = c.a_per_s, .xi = c.xi, .m = c.m,
                               .h0_Pa = c.h0_Pa, .s_hat_Pa = c.s_hat_Pa, .n = c.n, .a = c.a_exp};
  data.note = material.id + ": " + c.source;
  return with_material_id(material, [&] { return std::make_unique<AnandViscoplastic>(std::move(data)); });
}

const design::GarofaloConstants& garofalo_of(const design::Material& material, const std::string& law) {
  if (!material.garofalo)
    throw MaterialDataError(material.id, "garofalo",
                            fmt::format("material '{}' has no [materials.{}.garofalo] constants for the {} law; add them "
                                        "or choose another solder law",
                                        material.id, material.id, law));
  return *material.garofalo;
}

GarofaloParameters garofalo_parameters(const design::GarofaloConstants& c) {
  return GarofaloParameters{.c1_per_s = c.c1_per_s, .c2_per_Pa = c.c2_per_Pa, .c3 = c.c3, .c4_K = c.c4_K};
}

std::unique_ptr<MaterialLaw> make_garofalo(const design::Material& material, const LawOptions& options) {
  const std::string law = "Garofalo creep";
  const design::GarofaloConstants& constants = garofalo_of(material, law);
  GarofaloCreepPlasticityData data;
  data.elastic = isotropic_data(material, options, law);
  data.garofalo = garofalo_parameters(constants);
  data.note = material.id + ": " + constants.source;
  if (options.solder_plasticity && material.property("yield_strength")) {
    data.note += "; plasticity: yield_strength, ";
    BilinearIsotropicPlasticity plastic;
    plastic.yield_strength_Pa = table_of(*material.property("yield_strength"));
    plastic.tangent_modulus_Pa = tangent_table(material, options.solder_tangent_ratio, data.note);
    data.plasticity = std::move(plastic);
  }
  return with_material_id(material, [&] { return std::make_unique<GarofaloCreepPlasticity>(std::move(data)); });
}

std::vector<double> default_norton_temperatures_K() {
  std::vector<double> temperatures_K;
  for (int celsius = -65; celsius <= 175; ++celsius) temperatures_K.push_back(celsius + 273.15);
  return temperatures_K;
}

std::unique_ptr<MaterialLaw> make_norton(const design::Material& material, const LawOptions& options) {
  const std::string law = "Norton creep";
  const design::GarofaloConstants& constants = garofalo_of(material, law);
  const std::vector<double> temperatures_K =
      options.norton_temperatures_K.empty() ? default_norton_temperatures_K() : options.norton_temperatures_K;
  NortonCreepData data =
      norton_low_stress_asymptote(garofalo_parameters(constants), temperatures_K, isotropic_data(material, options, law));
  data.note = material.id + ": " + data.note + " (" + constants.source + ")";
  return with_material_id(material, [&] { return std::make_unique<NortonCreep>(std::move(data)); });
}

std::unique_ptr<MaterialLaw> make_isotropic(const design::Material& material, const LawOptions& options) {
  IsotropicElasticData data = isotropic_data(material, options, "isotropic elastic");
  return with_material_id(material, [&]() -> std::unique_ptr<MaterialLaw> {
    detail::check_isotropic_elastic(data, "isotropic elastic");  // IsotropicElastic itself does not check
    return std::make_unique<IsotropicElastic>(std::move(data));
  });
}

std::unique_ptr<MaterialLaw> make_solder(const design::Material& material, const LawOptions& options) {
  switch (options.solder_law) {
    case SolderLaw::anand: return make_anand(material, options);
    case SolderLaw::garofalo: return make_garofalo(material, options);
    case SolderLaw::norton: return make_norton(material, options);
    case SolderLaw::elastic: return make_isotropic(material, options);
  }
  throw std::invalid_argument("unknown solder law");
}

// In-plane constants from the data; out-of-plane ones from the data or the stated defaults.
OrthotropicConstants board_constants(const design::Material& material, std::string& note) {
  const std::string law = "orthotropic elastic";
  const double in_plane_Pa = required(material, "youngs_modulus", law).nominal();
  const double poisson_xy = required(material, "poisson_ratio", law).nominal();
  std::vector<std::string> defaults;
  auto value_or = [&](const char* key, double fallback, const std::string& rule) {
    if (const std::optional<double> value = material.nominal(key)) return *value;
    defaults.push_back(rule);
    return fallback;
  };
  const double out_of_plane_Pa =
      value_or("youngs_modulus_z", kBoardOutOfPlaneModulusRatio * in_plane_Pa, "E_z = 0.4·E (no youngs_modulus_z)");
  const double poisson_xz = value_or("poisson_ratio_xz", kBoardPoissonXz, "ν_xz = ν_yz = 0.35 (no poisson_ratio_xz)");
  const double shear_xy_Pa =
      value_or("shear_modulus_xy", in_plane_Pa / (2 * (1 + poisson_xy)), "G_xy = E/(2(1+ν_xy)) (no shear_modulus_xy)");
  const double shear_out_of_plane_Pa = out_of_plane_Pa / (2 * (1 + poisson_xz));  // G_xz = G_yz = E_z/(2(1+ν_xz))
  defaults.push_back("G_xz = G_yz = E_z/(2(1+ν_xz))");
  note = material.id + ": defaults " + fmt::format("{}", fmt::join(defaults, "; "));
  return OrthotropicConstants{.youngs_x_Pa = in_plane_Pa, .youngs_y_Pa = in_plane_Pa, .youngs_z_Pa = out_of_plane_Pa,
                              .poisson_xy = poisson_xy, .poisson_xz = poisson_xz, .poisson_yz = poisson_xz,
                              .shear_xy_Pa = shear_xy_Pa, .shear_xz_Pa = shear_out_of_plane_Pa,
                              .shear_yz_Pa = shear_out_of_plane_Pa};
}

std::unique_ptr<MaterialLaw> make_board(const design::Material& material, const LawOptions& options) {
  OrthotropicElasticData data;
  data.constants = board_constants(material, data.note);
  const TemperatureTable in_plane = table_of(required(material, "cte", "orthotropic elastic"));
  const design::PropertyValue* through = material.property("cte_z");
  if (!through) data.note += "; α_z = α (no cte_z)";
  data.cte_per_K = {in_plane, in_plane, through ? table_of(*through) : in_plane};
  if (const design::PropertyValue* above = material.property("cte_above_tg"))
    data.cte_above_tg_per_K[0] = data.cte_above_tg_per_K[1] = table_of(*above);
  if (const design::PropertyValue* above_z = material.property("cte_z_above_tg"))
    data.cte_above_tg_per_K[2] = table_of(*above_z);
  if (const design::PropertyValue* tg = material.property("glass_transition_temperature"))
    data.glass_transition_K = tg->nominal();
  data.modulus_factor_above_tg = options.board_modulus_factor_above_tg;
  return with_material_id(material, [&] { return std::make_unique<OrthotropicElastic>(std::move(data)); });
}

}  // namespace

TemperatureTable table_of(const design::PropertyValue& property) {
  if (property.constant_si) return TemperatureTable::constant(*property.constant_si);
  if (!property.points.empty()) return TemperatureTable{property.points};
  throw std::invalid_argument("table_of: the property has neither a value nor points");
}

TemperatureTable glass_transition_table(const TemperatureTable& below, const TemperatureTable& above,
                                        double glass_transition_K, double half_width_K) {
  if (!(half_width_K > 0))
    throw std::invalid_argument(fmt::format("glass_transition_table: half-width {} K must be positive", half_width_K));
  const double start_K = glass_transition_K - half_width_K;
  const double end_K = glass_transition_K + half_width_K;
  TemperatureTable table;
  for (const auto& point : below.points)
    if (point.first < start_K) table.points.push_back(point);
  table.points.emplace_back(start_K, below.at(start_K));
  table.points.emplace_back(end_K, above.at(end_K));
  for (const auto& point : above.points)
    if (point.first > end_K) table.points.push_back(point);
  return table;
}

std::unique_ptr<MaterialLaw> make_material_law(const design::Material& material, const LawOptions& options) {
  if (material.material_class == "solder") return make_solder(material, options);
  if (material.material_class == "board") return make_board(material, options);
  if (material.material_class == "metal" && options.metal_plasticity && material.property("yield_strength"))
    return make_bilinear_kinematic(material, options);
  return make_isotropic(material, options);
}

}  // namespace wlp::fem
