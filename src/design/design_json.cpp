// The resolved design as JSON (design.json of every run folder): what was read, in SI.
#include "design/design_json.h"

#include <nlohmann/json.hpp>

#include "design/model_symmetry.h"
#include "design/thermal_profile.h"

namespace wlp::design {
namespace {

nlohmann::json films_json(const std::vector<MetalFilm>& films) {
  nlohmann::json result = nlohmann::json::array();
  for (const MetalFilm& film : films)
    result.push_back({{"name", film.name}, {"material", film.material}, {"thickness_m", film.thickness_m}});
  return result;
}

struct InterconnectJson {
  nlohmann::json operator()(std::monostate) const { return nullptr; }
  nlohmann::json operator()(const UbmBall& x) const {
    return {{"type", "ubm_ball"}, {"ubm_diameter_m", x.ubm_diameter_m}, {"ubm_layers", films_json(x.ubm_layers)}};
  }
  nlohmann::json operator()(const SacrificialVia& x) const {
    return {{"type", "sacrificial_via"},      {"via_size_m", x.via_size_m},
            {"line_width_m", x.line_width_m}, {"line_length_m", x.line_length_m},
            {"recess_depth_m", x.recess_depth_m}, {"via_offset_m", x.via_offset_m},
            {"conductor", x.conductor},       {"barrier_material", x.barrier_material},
            {"barrier_thickness_m", x.barrier_thickness_m}};
  }
  nlohmann::json operator()(const AdhesiveCylinder& x) const {
    return {{"type", "adhesive_cylinder"}, {"fill", x.fill}, {"fill_material", x.fill_material},
            {"opening_diameter_m", x.opening_diameter_m}, {"ball_diameter_m", x.ball_diameter_m},
            {"ball_core", x.ball_core}, {"ball_coating", films_json(x.ball_coating)}};
  }
  nlohmann::json operator()(const PolyimideVia& x) const {
    return {{"type", "polyimide_via"}, {"via_fill", x.via_fill}, {"top_pad_size_m", x.top_pad_size_m},
            {"top_pad_thickness_m", x.top_pad_thickness_m}, {"top_pad_material", x.top_pad_material},
            {"contact_dielectric_material", x.contact_dielectric_material},
            {"contact_dielectric_thickness_m", x.contact_dielectric_thickness_m}};
  }
  nlohmann::json operator()(const PostUbmResin& x) const {
    return {{"type", "post_ubm_resin"}, {"post_material", x.post_material}, {"post_diameter_m", x.post_diameter_m},
            {"post_height_m", x.post_height_m}, {"ubm_material", x.ubm_material},
            {"ubm_diameter_m", x.ubm_diameter_m}, {"ubm_thickness_m", x.ubm_thickness_m},
            {"resin_contact", x.resin_contact}, {"resin_ring_diameter_m", x.resin_ring_diameter_m},
            {"adhesive_material", x.adhesive_material}, {"adhesive_thickness_m", x.adhesive_thickness_m}};
  }
  nlohmann::json operator()(const EmbeddedSection& x) const {
    nlohmann::json tiers = nlohmann::json::array();
    for (const BufferTier& t : x.tiers)
      tiers.push_back({{"name", t.name}, {"section_material", t.section_material},
                       {"section_diameter_m", t.section_diameter_m}, {"section_height_m", t.section_height_m},
                       {"buffer_material", t.buffer_material}, {"buffer_thickness_m", t.buffer_thickness_m}});
    return {{"type", "embedded_section"}, {"section", x.section}, {"column_adhesive", x.column_adhesive},
            {"column_adhesive_thickness_m", x.column_adhesive_thickness_m}, {"land_finish", x.land_finish},
            {"tiers", tiers}};
  }
};

nlohmann::json cycling_json(const ThermalCycling& tc) {
  nlohmann::json points = nlohmann::json::array();
  for (const ProfilePoint& point : tc.points) points.push_back({point.time_s, point.temperature_K});
  return {{"profile", tc.profile}, {"t_min_K", tc.t_min_K},   {"t_max_K", tc.t_max_K},
          {"dwell_s", tc.dwell_s}, {"ramp_s", tc.ramp_s},     {"points_s_K", points},
          {"period_s", cycle_period_s(tc)}, {"cycles", tc.n_cycles}, {"stress_free_K", tc.stress_free_K}};
}

// The FE options as resolved: `symmetry` as written, `symmetry_resolved` what the model uses.
nlohmann::json fe_json(const Design& design) {
  const FeOptions& fe = design.analyses.fe;
  return {{"symmetry", to_string(fe.symmetry)},
          {"symmetry_resolved", to_string(resolved_symmetry(design))},
          {"refinement", fe.refinement},
          {"element", to_string(fe.element)},
          {"solder_law", to_string(fe.solder_law)},
          {"metal_plasticity", fe.has_metal_plasticity},
          {"linear_solver", to_string(fe.linear_solver)},
          {"interface_layer_thickness_m", fe.interface_layer_thickness_m},
          {"board_margin_m", fe.board_margin_m},
          {"max_temperature_step_K", fe.max_temperature_step_K},
          {"newton_tolerance", fe.newton_tolerance}};
}

nlohmann::json param_json(const ParamValue& value) {
  return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

}  // namespace

nlohmann::json design_to_json(const Design& design) {
  nlohmann::json pads = nlohmann::json::array();
  for (const Pad& pad : design.pads.pads)
    pads.push_back({{"name", pad.name}, {"x_m", pad.x_m}, {"y_m", pad.y_m}, {"size_m", pad.size_m}});
  nlohmann::json stack = nlohmann::json::array();
  for (const StackLayer& layer : design.stack)
    stack.push_back({{"name", layer.name}, {"role", to_string(layer.role)}, {"material", layer.material},
                     {"thickness_m", layer.thickness_m}, {"applied", layer.applied}, {"opening", layer.opening},
                     {"opening_size_m", layer.opening_size_m}, {"photosensitive", layer.is_photosensitive}});
  nlohmann::json steps = nlohmann::json::array();
  for (const Step& step : design.recipe.steps) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [key, value] : step.params) params[key] = param_json(value);
    steps.push_back({{"index", step.index}, {"name", step.name}, {"op", step.op}, {"params", params}});
  }
  nlohmann::json result{
      {"name", design.name},
      {"structure", to_string(design.structure)},
      {"variant", design.variant},
      {"description", design.description},
      {"die", {{"size_x_m", design.die.size_x_m}, {"size_y_m", design.die.size_y_m},
               {"thickness_m", design.die.thickness_m}, {"material", design.die.material},
               {"keep_out_m", design.die.keep_out_m}}},
      {"pads", {{"material", design.pads.material}, {"thickness_m", design.pads.thickness_m},
                {"shape", design.pads.shape == PadShape::Circle ? "circle" : "square"},
                {"arrangement", design.pads.arrangement}, {"pads", pads}}},
      {"stack", stack},
      {"interconnect", std::visit(InterconnectJson{}, design.interconnect)},
      {"recipe", steps},
  };
  if (design.redistribution) {
    const Redistribution& rdl = *design.redistribution;
    nlohmann::json nets = nlohmann::json::array();
    for (const Net& net : rdl.nets) nets.push_back({{"pad", net.pad}, {"land", net.land}});
    result["redistribution"] = {{"material", rdl.material}, {"thickness_m", rdl.thickness_m},
                                {"width_m", rdl.width_m},   {"min_space_m", rdl.min_space_m},
                                {"land_diameter_m", rdl.land_diameter_m}, {"routing", rdl.routing},
                                {"underlayers", films_json(rdl.underlayers)}, {"nets", nets}};
  }
  if (design.bumps) {
    const BumpArray& bumps = *design.bumps;
    nlohmann::json sites = nlohmann::json::array();
    for (const BumpSite& site : bumps.sites) sites.push_back({{"name", site.name}, {"x_m", site.x_m}, {"y_m", site.y_m}});
    result["bumps"] = {{"columns", bumps.n_columns}, {"rows", bumps.n_rows}, {"pitch_m", bumps.pitch_m},
                       {"ball_diameter_m", bumps.ball_diameter_m}, {"alloy", bumps.alloy},
                       {"depopulated", bumps.depopulated}, {"sites", sites}};
  }
  if (design.board) {
    const Board& board = *design.board;
    result["board"] = {{"material", board.material}, {"thickness_m", board.thickness_m},
                       {"pad_diameter_m", board.pad_diameter_m}, {"pad_definition", board.pad_definition},
                       {"solder_mask_opening_m", board.solder_mask_opening_m},
                       {"solder_mask_thickness_m", board.solder_mask_thickness_m},
                       {"copper_thickness_m", board.copper_thickness_m}, {"underfill", board.underfill}};
  }
  if (design.analyses.thermal_cycling) result["analysis"]["thermal_cycling"] = cycling_json(*design.analyses.thermal_cycling);
  if (design.analyses.life) {
    const LifeModel& life = *design.analyses.life;
    result["analysis"]["life"] = {{"model", life.model}, {"damage_layer_thickness_m", life.damage_layer_thickness_m},
                                  {"weibull_shape", life.weibull_shape}};
  }
  result["analysis"]["fe"] = fe_json(design);
  return result;
}

}  // namespace wlp::design
