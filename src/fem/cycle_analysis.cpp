#include "fem/cycle_analysis.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include <fmt/format.h>

#include "design/atomic_file.h"
#include "design/design_json.h"
#include "design/model_symmetry.h"
#include "design/thermal_profile.h"
#include "fem/ccx_deck.h"
#include "fem/laws/law_factory.h"
#include "layout/die_layout.h"
#include "mesh/inp_export.h"
#include "mesh/vtu_export.h"
#include "process/build.h"

namespace wlp::fem {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

mesh::Symmetry mesh_symmetry(design::ModelSymmetry symmetry) {
  switch (symmetry) {
    case design::ModelSymmetry::Quarter: return mesh::Symmetry::Quarter;
    case design::ModelSymmetry::Eighth: return mesh::Symmetry::Eighth;
    default: return mesh::Symmetry::Full;
  }
}

mesh::ElementType mesh_element(design::ElementKind kind) {
  return kind == design::ElementKind::Hex20 ? mesh::ElementType::Hex20 : mesh::ElementType::Hex8;
}

ElementFormulation formulation_of(design::ElementKind kind) {
  switch (kind) {
    case design::ElementKind::Hex8: return ElementFormulation::Hex8;
    case design::ElementKind::Hex20: return ElementFormulation::Hex20;
    default: return ElementFormulation::Hex8Incompatible;
  }
}

/// The design must describe a board-level thermal-cycling analysis.
void require_cycling_inputs(const design::Design& design) {
  std::vector<std::string> missing;
  if (!design.board) missing.push_back("a [board] table");
  if (!design.bumps) missing.push_back("a [bumps] array");
  if (!design.analyses.thermal_cycling) missing.push_back("an [analysis.thermal_cycling] table");
  if (missing.empty()) return;
  std::string list;
  for (std::size_t i = 0; i < missing.size(); ++i) list += (i ? (i + 1 == missing.size() ? " and " : ", ") : "") + missing[i];
  design::Diagnostics diagnostics;
  diagnostics.add(design.where("analysis.thermal_cycling"), "analysis.thermal_cycling",
                  fmt::format("thermal cycling needs {} (design '{}' is a {} structure without them)", list, design.name,
                              design::to_string(design.structure)));
  diagnostics.throw_if_any();
}

mesh::PackageMesh build_and_mesh(const design::Design& design, const CycleRunOptions& options,
                                 const CycleProgressObserver& progress, Clock::time_point started) {
  const design::FeOptions& fe = design.analyses.fe;
  mesh::MeshOptions mesh_options;
  mesh_options.symmetry = mesh_symmetry(design::resolved_symmetry(design));
  mesh_options.refinement = fe.refinement;
  mesh_options.element_type = mesh_element(fe.element);
  mesh_options.interface_layer_thickness_m = fe.interface_layer_thickness_m;
  mesh_options.board_margin_m = fe.board_margin_m;
  auto announce = [&](const char* stage) {
    if (!progress) return;
    CycleProgress p;
    p.stage = stage;
    p.elapsed_s = seconds_since(started);
    progress(p);
  };
  announce("build");
  const layout::DieLayout die = layout::build_die_layout(design);
  const layout::Box window = mesh::build_window_for(design, die, mesh_options.symmetry);
  process::WaferModel model = process::make_model(design, die, window);
  process::BuildOptions build_options;
  build_options.resolution = layout::to_nm(options.build_resolution_m);
  build_options.window = process::WindowKind::Die;
  build_options.cut = process::default_cut(design, die);
  process::run_recipe(model, design, die, build_options, {});
  announce("mesh");
  return mesh::mesh_package(design, model, mesh_options);
}

/// The nodes of a horizontal face of the model (the die's back, the board's bottom).
std::vector<std::int64_t> nodes_at_height(const mesh::Mesh& mesh, double z_m) {
  std::vector<std::int64_t> nodes;
  const double tolerance_m = 1e-9;
  for (std::size_t n = 0; n < mesh.n_nodes(); ++n)
    if (std::abs(mesh.nodes_m[n][2] - z_m) < tolerance_m) nodes.push_back(static_cast<std::int64_t>(n));
  return nodes;
}

/// Warpage of a face: peak to valley of u_z, and u_z at the node nearest the package centre
/// minus u_z at the node farthest from it (> 0: the centre bulges up, a crown).
Warpage warpage_of(const mesh::Mesh& mesh, const std::vector<std::int64_t>& face,
                   const std::vector<std::array<double, 3>>& displacement_m) {
  Warpage w;
  if (face.empty() || displacement_m.empty()) return w;
  double lowest = std::numeric_limits<double>::max(), highest = -lowest;
  double nearest_r = lowest, farthest_r = -1, centre_uz = 0, corner_uz = 0;
  for (const std::int64_t node : face) {
    const double uz = displacement_m[node][2];
    lowest = std::min(lowest, uz);
    highest = std::max(highest, uz);
    const double r = std::hypot(mesh.nodes_m[node][0], mesh.nodes_m[node][1]);
    if (r < nearest_r) nearest_r = r, centre_uz = uz;
    if (r > farthest_r) farthest_r = r, corner_uz = uz;
  }
  w.peak_to_valley_m = highest - lowest;
  w.centre_minus_corner_m = centre_uz - corner_uz;
  return w;
}

/// Volume-weighted averages of an element field over each joint's zones.
struct JointSums {
  std::vector<double> device_volume, board_volume, joint_volume;
};

JointSums joint_volumes(const mesh::Mesh& mesh, const std::vector<double>& volume_m3) {
  JointSums sums{std::vector<double>(mesh.joints.size()), std::vector<double>(mesh.joints.size()),
                 std::vector<double>(mesh.joints.size())};
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const int joint = mesh.joint_of_element[e];
    if (joint < 0) continue;
    sums.joint_volume[joint] += volume_m3[e];
    if (mesh.joint_zone_of_element[e] == mesh::JointZone::DeviceInterface) sums.device_volume[joint] += volume_m3[e];
    if (mesh.joint_zone_of_element[e] == mesh::JointZone::BoardInterface) sums.board_volume[joint] += volume_m3[e];
  }
  return sums;
}

/// Per-joint results of a cycle from the element results at its start and end and the largest
/// von Mises stress seen during it.
std::vector<JointCycleResult> joint_results(const mesh::Mesh& mesh, const ElementResults& start, const ElementResults& end,
                                            const std::vector<double>& max_von_mises_Pa) {
  const JointSums volumes = joint_volumes(mesh, end.volume_m3);
  std::vector<JointCycleResult> joints(mesh.joints.size());
  for (std::size_t j = 0; j < joints.size(); ++j) {
    joints[j].site = mesh.joints[j].site;
    joints[j].max_von_mises_Pa = max_von_mises_Pa[j];
  }
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const int joint = mesh.joint_of_element[e];
    if (joint < 0) continue;
    JointCycleResult& r = joints[joint];
    const double v = end.volume_m3[e];
    const double delta_w = end.inelastic_work_J_per_m3[e] - start.inelastic_work_J_per_m3[e];  // ΔW = W(end) − W(start)
    if (mesh.joint_zone_of_element[e] == mesh::JointZone::DeviceInterface)
      r.delta_w_device_J_per_m3 += delta_w * v / volumes.device_volume[joint];
    if (mesh.joint_zone_of_element[e] == mesh::JointZone::BoardInterface)
      r.delta_w_board_J_per_m3 += delta_w * v / volumes.board_volume[joint];
    const double weight = v / volumes.joint_volume[joint];
    r.creep_strain += end.equivalent_creep_strain[e] * weight;
    r.plastic_strain += end.equivalent_plastic_strain[e] * weight;
    r.creep_strain_increment += (end.equivalent_creep_strain[e] - start.equivalent_creep_strain[e]) * weight;
    r.plastic_strain_increment += (end.equivalent_plastic_strain[e] - start.equivalent_plastic_strain[e]) * weight;
  }
  return joints;
}

std::vector<double> joint_max_von_mises(const mesh::Mesh& mesh, const ElementResults& results,
                                        std::vector<double> so_far) {
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const int joint = mesh.joint_of_element[e];
    if (joint >= 0) so_far[joint] = std::max(so_far[joint], results.von_mises_Pa[e]);
  }
  return so_far;
}

/// The fields at a cycle's end for ParaView: displacement, von Mises stress, the cycle's ΔW
/// and the accumulated inelastic strains per element.
void write_cycle_fields(const mesh::Mesh& mesh, const std::vector<std::array<double, 3>>& displacement_m,
                        const ElementResults& start, const ElementResults& end, const fs::path& path) {
  mesh::VtuFields fields;
  mesh::VtuField u{"displacement_m", 3, {}};
  u.values.reserve(3 * displacement_m.size());
  for (const auto& d : displacement_m) u.values.insert(u.values.end(), d.begin(), d.end());
  fields.point_data.push_back(std::move(u));
  mesh::VtuField von_mises{"von_mises_MPa", 1, {}}, delta_w{"delta_w_cycle_MPa", 1, {}}, work{"inelastic_work_MPa", 1, {}};
  mesh::VtuField creep{"equivalent_creep_strain", 1, end.equivalent_creep_strain};
  mesh::VtuField plastic{"equivalent_plastic_strain", 1, end.equivalent_plastic_strain};
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    von_mises.values.push_back(end.von_mises_Pa[e] * 1e-6);
    delta_w.values.push_back((end.inelastic_work_J_per_m3[e] - start.inelastic_work_J_per_m3[e]) * 1e-6);
    work.values.push_back(end.inelastic_work_J_per_m3[e] * 1e-6);
  }
  for (mesh::VtuField* f : {&von_mises, &delta_w, &work, &creep, &plastic}) fields.cell_data.push_back(std::move(*f));
  mesh::write_vtu(mesh, path, fields);
}

/// FNV-1a of a text: identifies the design a checkpoint belongs to (stable across builds).
std::string fingerprint(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (const unsigned char c : text) hash = (hash ^ c) * 1099511628211ULL;
  return fmt::format("{:016x}", hash);
}

nlohmann::json record_json(const CycleRecord& record) {
  auto warp = [](const Warpage& w) {
    return nlohmann::json{{"peak_to_valley_um", w.peak_to_valley_m * 1e6}, {"centre_minus_corner_um", w.centre_minus_corner_m * 1e6}};
  };
  nlohmann::json joints = nlohmann::json::array();
  for (const JointCycleResult& j : record.joints)
    joints.push_back({{"site", j.site},
                      {"delta_w_device_interface_MPa", j.delta_w_device_J_per_m3 * 1e-6},
                      {"delta_w_board_interface_MPa", j.delta_w_board_J_per_m3 * 1e-6},
                      {"creep_strain", j.creep_strain},
                      {"plastic_strain", j.plastic_strain},
                      {"creep_strain_increment", j.creep_strain_increment},
                      {"plastic_strain_increment", j.plastic_strain_increment},
                      {"max_von_mises_MPa", j.max_von_mises_Pa * 1e-6}});
  return {{"cycle", record.cycle},
          {"start_s", record.start_s},
          {"end_s", record.end_s},
          {"increments", record.n_increments},
          {"wall_time_s", record.wall_time_s},
          {"warpage", {{"die_hot", warp(record.die_hot)}, {"die_cold", warp(record.die_cold)},
                       {"board_hot", warp(record.board_hot)}, {"board_cold", warp(record.board_cold)}}},
          {"joints", joints}};
}

CycleRecord record_from_json(const nlohmann::json& json) {
  auto warp = [](const nlohmann::json& w) {
    return Warpage{w.at("peak_to_valley_um").get<double>() * 1e-6, w.at("centre_minus_corner_um").get<double>() * 1e-6};
  };
  CycleRecord record;
  record.cycle = json.at("cycle").get<int>();
  record.start_s = json.at("start_s").get<double>();
  record.end_s = json.at("end_s").get<double>();
  record.n_increments = json.at("increments").get<int>();
  record.wall_time_s = json.at("wall_time_s").get<double>();
  const nlohmann::json& w = json.at("warpage");
  record.die_hot = warp(w.at("die_hot"));
  record.die_cold = warp(w.at("die_cold"));
  record.board_hot = warp(w.at("board_hot"));
  record.board_cold = warp(w.at("board_cold"));
  for (const nlohmann::json& j : json.at("joints"))
    record.joints.push_back(JointCycleResult{j.at("site").get<std::string>(), j.at("delta_w_device_interface_MPa").get<double>() * 1e6,
                                             j.at("delta_w_board_interface_MPa").get<double>() * 1e6, j.at("creep_strain").get<double>(),
                                             j.at("plastic_strain").get<double>(), j.at("creep_strain_increment").get<double>(),
                                             j.at("plastic_strain_increment").get<double>(), j.at("max_von_mises_MPa").get<double>() * 1e6});
  return record;
}

}  // namespace

std::vector<std::shared_ptr<const MaterialLaw>> laws_for(const design::Design& design, const mesh::Mesh& mesh) {
  const design::FeOptions& fe = design.analyses.fe;
  LawOptions options;
  switch (fe.solder_law) {
    case design::SolderLaw::Anand: options.solder_law = SolderLaw::anand; break;
    case design::SolderLaw::Garofalo: options.solder_law = SolderLaw::garofalo; break;
    case design::SolderLaw::Norton: options.solder_law = SolderLaw::norton; break;
    case design::SolderLaw::Elastic: options.solder_law = SolderLaw::elastic; break;
  }
  options.metal_plasticity = fe.has_metal_plasticity;
  std::vector<std::shared_ptr<const MaterialLaw>> laws;
  for (const std::string& id : mesh.materials) {
    const design::Material* material = design.material(id);
    if (material == nullptr) throw std::invalid_argument(fmt::format("the mesh has material '{}' that the library lacks", id));
    laws.push_back(make_material_law(*material, options));
  }
  return laws;
}

TemperatureHistory history_of(const design::TemperatureSchedule& schedule) {
  TemperatureHistory history;
  history.time_s = schedule.time_s;
  history.temperature_K = schedule.temperature_K;
  history.breakpoints_s = schedule.cycle_end_s;
  history.breakpoints_s.insert(history.breakpoints_s.end(), schedule.cycle_start_s.begin(), schedule.cycle_start_s.end());
  return history;
}

SolverOptions solver_options_for(const design::Design& design, const design::TemperatureSchedule& schedule) {
  const design::FeOptions& fe = design.analyses.fe;
  SolverOptions options;
  const auto [coldest, hottest] = std::minmax_element(schedule.temperature_K.begin(), schedule.temperature_K.end());
  options.temperature_range = TemperatureRange{.low_K = *coldest, .high_K = *hottest};
  options.element = formulation_of(fe.element);
  options.stress_free_temperature_K = design.analyses.thermal_cycling->stress_free_K;
  options.increments.max_temperature_change_K = fe.max_temperature_step_K;
  options.newton.residual_tolerance = fe.newton_tolerance;
  options.linear.kind = fe.linear_solver == design::LinearSolver::Amg ? LinearSolverKind::AmgGamg
                                                                       : LinearSolverKind::FrozenFactorization;
  return options;
}

}  // namespace wlp::fem

namespace wlp::fem {

namespace {

/// The last breakpoint of cycle `c` (0-based) at the cycle's highest (or lowest) temperature:
/// the end of the hot (cold) dwell of a trapezoid profile.
double extreme_time_s(const design::TemperatureSchedule& schedule, std::size_t c, bool hottest) {
  double best_time = schedule.cycle_end_s[c], best_K = hottest ? -1 : 1e9;
  for (std::size_t i = 0; i < schedule.time_s.size(); ++i) {
    const double t = schedule.time_s[i], temperature = schedule.temperature_K[i];
    if (t <= schedule.cycle_start_s[c] || t > schedule.cycle_end_s[c]) continue;
    if (hottest ? temperature >= best_K : temperature <= best_K) best_K = temperature, best_time = t;
  }
  return best_time;
}


void write_text(const fs::path& path, const std::string& text) { design::write_file_atomically(path, text); }

nlohmann::json statistics_json(const SolverStatistics& s) {
  return {{"increments", s.n_increments},         {"newton_iterations", s.n_newton_iterations},
          {"cutbacks", s.n_cutbacks},             {"accuracy_retries", s.n_accuracy_retries},
          {"factorizations", s.n_factorizations}, {"linear_solves", s.n_linear_solves},
          {"krylov_iterations", s.n_krylov_iterations}, {"nonlinear_elements", s.n_nonlinear_elements},
          {"tangent_evaluations", s.n_tangent_evaluations}, {"residual_evaluations", s.n_residual_evaluations},
          {"newton_fallbacks", s.n_newton_fallbacks},
          {"time_s", {{"assembly", s.assembly_time_s}, {"factorization", s.factorization_time_s},
                      {"solve", s.solve_time_s}, {"run", s.run_time_s}}}};
}

/// Everything a reader of results.json needs to trust and reproduce the numbers.
struct RunContext {
  const design::Design& design;
  const mesh::PackageMesh& package;
  const mesh::MeshQuality& quality;
  const design::TemperatureSchedule& schedule;
  const std::vector<std::shared_ptr<const MaterialLaw>>& laws;
  const SolverOptions& solver_options;
  const CycleRunOptions& options;
  std::string fingerprint;
  int n_ranks = 1;
};

nlohmann::json mesh_json(const RunContext& context) {
  const mesh::Mesh& mesh = context.package.mesh;
  const design::FeOptions& fe = context.design.analyses.fe;
  nlohmann::json materials = nlohmann::json::array();
  for (std::size_t m = 0; m < mesh.materials.size(); ++m)
    materials.push_back({{"material", mesh.materials[m]},
                         {"law", context.laws[m]->description()},
                         {"elements", context.quality.materials[m].n_elements},
                         {"volume_mm3", context.quality.materials[m].volume_m3 * 1e9}});
  nlohmann::json joints = nlohmann::json::array();
  for (const mesh::Joint& j : mesh.joints)
    joints.push_back({{"site", j.site}, {"x_mm", j.x_m * 1e3}, {"y_mm", j.y_m * 1e3},
                      {"dnp_mm", j.distance_to_neutral_point_m * 1e3}, {"symmetry_weight", j.symmetry_weight}});
  return {{"symmetry", mesh::to_string(mesh.symmetry)},
          {"refinement", fe.refinement},
          {"element", design::to_string(fe.element)},
          {"nodes", mesh.n_nodes()},
          {"elements", mesh.n_elements()},
          {"dofs", mesh.n_dofs()},
          {"interface_layer_thickness_um", mesh.interface_layer_thickness_m * 1e6},
          {"board_margin_mm", fe.board_margin_m * 1e3},
          {"min_scaled_jacobian", context.quality.min_scaled_jacobian},
          {"max_aspect_ratio", context.quality.max_aspect_ratio},
          {"standoff_um", (context.package.frame.wetted_z_m - context.package.frame.pad_top_z_m) * 1e6},
          {"materials", materials},
          {"joints", joints}};
}

nlohmann::json profile_json(const design::ThermalCycling& cycling, const design::TemperatureSchedule& schedule) {
  return {{"profile", cycling.profile},
          {"t_min_C", cycling.t_min_K - 273.15},
          {"t_max_C", cycling.t_max_K - 273.15},
          {"dwell_min", cycling.dwell_s / 60},
          {"ramp_min", cycling.ramp_s / 60},
          {"stress_free_C", cycling.stress_free_K - 273.15},
          {"cycles", schedule.n_cycles()},
          {"cycle_end_s", schedule.cycle_end_s}};
}

/// The joint with the largest ΔW (either interface) in the last cycle, and which interface.
nlohmann::json critical_joint_json(const std::vector<CycleRecord>& cycles) {
  if (cycles.empty() || cycles.back().joints.empty()) return nullptr;
  const CycleRecord& last = cycles.back();
  const JointCycleResult* worst = &last.joints.front();
  for (const JointCycleResult& j : last.joints)
    if (std::max(j.delta_w_device_J_per_m3, j.delta_w_board_J_per_m3) >
        std::max(worst->delta_w_device_J_per_m3, worst->delta_w_board_J_per_m3))
      worst = &j;
  const bool device = worst->delta_w_device_J_per_m3 >= worst->delta_w_board_J_per_m3;
  return {{"site", worst->site},
          {"interface", device ? "device" : "board"},
          {"cycle", last.cycle},
          {"delta_w_MPa", std::max(worst->delta_w_device_J_per_m3, worst->delta_w_board_J_per_m3) * 1e-6}};
}

nlohmann::json results_json(const RunContext& context, const CycleRunResult& result, const SolverStatistics& statistics,
                            double elapsed_s) {
  nlohmann::json cycles = nlohmann::json::array();
  for (const CycleRecord& r : result.cycles) cycles.push_back(record_json(r));
  return {{"wlpkit", "cycle"},
          {"design", context.design.name},
          {"design_file", context.design.file.string()},
          {"fingerprint", context.fingerprint},
          {"command", context.options.command_line},
          {"completed", result.completed},
          {"stop_message", result.stop_message},
          {"ranks", context.n_ranks},
          {"profile", profile_json(*context.design.analyses.thermal_cycling, context.schedule)},
          {"mesh", mesh_json(context)},
          {"solder_law", design::to_string(context.design.analyses.fe.solder_law)},
          {"stress_free_temperature_C", context.solver_options.stress_free_temperature_K - 273.15},
          {"units", {{"delta_w", "MPa = MJ/m^3, inelastic work density per cycle, volume average over the interface layer"},
                     {"strain", "equivalent (von Mises) strain, volume average over the joint"},
                     {"warpage", "um, u_z peak to valley over the face; centre minus corner > 0 is a crown"}}},
          {"cycles", cycles},
          {"critical_joint", critical_joint_json(result.cycles)},
          {"solver", statistics_json(statistics)},
          {"wall_time_s", elapsed_s}};
}

}  // namespace

CycleRunResult run_thermal_cycling(const design::Design& design, const CycleRunOptions& options,
                                   const CycleProgressObserver& progress) {
  require_cycling_inputs(design);
  const auto started = Clock::now();
  const mesh::PackageMesh package = build_and_mesh(design, options, progress, started);
  const mesh::Mesh& mesh = package.mesh;
  CycleRunResult result;
  result.quality = mesh::measure_quality(mesh);

  const design::ThermalCycling& cycling = *design.analyses.thermal_cycling;
  const int n_cycles = options.n_cycles > 0 ? options.n_cycles : cycling.n_cycles;
  const design::TemperatureSchedule schedule = design::temperature_schedule(cycling, n_cycles);
  const TemperatureHistory history = history_of(schedule);
  const auto laws = laws_for(design, mesh);
  const SolverOptions solver_options = solver_options_for(design, schedule);
  ThermoMechanicalSolver solver(mesh, laws, solver_options);
  const bool writes = solver.rank() == 0;  // only rank 0 writes files
  const fs::path out = options.output_dir, checkpoint_dir = out / "checkpoint";
  if (writes) fs::create_directories(checkpoint_dir);
  const RunContext context{design, package, result.quality, schedule, laws, solver_options, options,
                           // The cycle count is left out: a finished run can be resumed for more cycles.
                           fingerprint(design::design_to_json(design).dump() +
                                       fmt::format("|{}|{}", mesh.n_nodes(), mesh.n_elements())),
                           solver.n_ranks()};
  auto write_results = [&] {
    if (writes)
      write_text(out / "results.json",
                 results_json(context, result, solver.statistics(), seconds_since(started)).dump(2) + "\n");
  };
  if (writes) mesh::write_vtu(mesh, out / "mesh.vtu");
  if (options.write_inp && writes) {
    // The CalculiX deck of this very model: a law CalculiX cannot express stops here, named.
    CcxDeckOptions deck_options;
    deck_options.element = solver_options.element;
    deck_options.stress_free_temperature_K = solver_options.stress_free_temperature_K;
    deck_options.history = history;
    try {
      mesh::write_inp(mesh, ccx_deck(mesh, laws, deck_options), out / "model.inp");
    } catch (const CcxDeckError& error) {
      throw CcxDeckError(error.material_id(), fmt::format("model.inp: {} (on the command line: --solder-law norton; in the "
                                                          "design: [analysis.fe] solder_law = \"norton\")",
                                                          error.what()));
    }
  }
  if (options.mesh_only) {
    result.completed = true;
    return result;
  }
  const std::vector<std::int64_t> die_face = nodes_at_height(mesh, package.frame.die_back_z_m);
  const std::vector<std::int64_t> board_face = nodes_at_height(mesh, package.frame.board_bottom_z_m);

  std::size_t first_cycle = 0;
  if (options.resume) {
    std::ifstream in(checkpoint_dir / "progress.json");
    if (!in) throw CheckpointError(fmt::format("--resume: no checkpoint in {}", checkpoint_dir.string()));
    const nlohmann::json saved = nlohmann::json::parse(in, nullptr, false);
    if (saved.is_discarded() || saved.value("fingerprint", "") != context.fingerprint)
      throw CheckpointError(fmt::format("--resume: the checkpoint in {} belongs to another design or mesh",
                                        checkpoint_dir.string()));
    for (const nlohmann::json& record : saved.at("cycles"))
      if (record.at("cycle").get<int>() <= n_cycles) result.cycles.push_back(record_from_json(record));
    if (result.cycles.size() < saved.at("cycles").size())
      throw CheckpointError(fmt::format("--resume: the checkpoint in {} has {} cycles, more than the {} asked for",
                                        checkpoint_dir.string(), saved.at("cycles").size(), n_cycles));
    solver.load_checkpoint(checkpoint_dir / "state.bin");
    first_cycle = result.cycles.size();
  }
  const double solve_started_s = seconds_since(started);
  const double start_time_s = solver.time_s(), end_time_s = schedule.cycle_end_s.back();
  int current_cycle = static_cast<int>(first_cycle) + 1;
  auto report_progress = [&](const IncrementReport& report) {
    if (!progress) return;
    CycleProgress p;
    p.stage = "cycle";
    p.cycle = current_cycle;
    p.n_cycles = n_cycles;
    p.increment = report;
    p.fraction_done = (report.time_s - start_time_s) / std::max(end_time_s - start_time_s, 1e-9);
    p.elapsed_s = seconds_since(started);
    const double solving_s = p.elapsed_s - solve_started_s;
    p.remaining_s = p.fraction_done > 0 ? solving_s * (1 - p.fraction_done) / p.fraction_done : 0;
    progress(p);
  };
  try {
    if (first_cycle == 0 && solver.time_s() < schedule.cycle_start_s.front())
      solver.run(history, schedule.cycle_start_s.front(), [&](const IncrementReport& report) {
        report_progress(report);  // the start ramp from the stress-free temperature
        return true;
      });
    for (std::size_t c = first_cycle; c < static_cast<std::size_t>(n_cycles); ++c) {
      current_cycle = static_cast<int>(c) + 1;
      const auto cycle_started = Clock::now();
      const int increments_before = solver.statistics().n_increments;
      const ElementResults at_start = solver.element_results();
      std::vector<double> max_von_mises(mesh.joints.size(), 0.0);
      CycleRecord record;
      record.cycle = current_cycle;
      record.start_s = schedule.cycle_start_s[c];
      record.end_s = schedule.cycle_end_s[c];
      const double hot_s = extreme_time_s(schedule, c, true), cold_s = extreme_time_s(schedule, c, false);
      solver.run(history, schedule.cycle_end_s[c], [&](const IncrementReport& report) {
        const ElementResults now = solver.element_results();
        if (writes) max_von_mises = joint_max_von_mises(mesh, now, max_von_mises);
        if (report.time_s == hot_s || report.time_s == cold_s) {
          const auto u = solver.nodal_displacements_m();
          const bool hot = report.time_s == hot_s;
          (hot ? record.die_hot : record.die_cold) = warpage_of(mesh, die_face, u);
          (hot ? record.board_hot : record.board_cold) = warpage_of(mesh, board_face, u);
        }
        report_progress(report);
        return true;
      });
      const ElementResults at_end = solver.element_results();
      const auto displacement_m = solver.nodal_displacements_m();
      record.n_increments = solver.statistics().n_increments - increments_before;
      record.wall_time_s = seconds_since(cycle_started);
      if (writes) record.joints = joint_results(mesh, at_start, at_end, max_von_mises);
      result.cycles.push_back(record);
      // The cycle's outputs in order: fields, the solver state, then the progress file that
      // names the state (a crash between them leaves the previous, consistent checkpoint).
      if (writes && options.write_fields)
        write_cycle_fields(mesh, displacement_m, at_start, at_end, out / fmt::format("cycle-{}.vtu", current_cycle));
      solver.save_checkpoint(checkpoint_dir / "state.bin");
      if (writes) {
        nlohmann::json cycles = nlohmann::json::array();
        for (const CycleRecord& r : result.cycles) cycles.push_back(record_json(r));
        write_text(checkpoint_dir / "progress.json",
                   nlohmann::json{{"fingerprint", context.fingerprint}, {"cycles", cycles}}.dump(1));
      }
      write_results();
    }
    result.completed = true;
  } catch (const ConvergenceError& error) {
    result.stop_message = error.what();
  }
  result.statistics = solver.statistics();
  write_results();
  return result;
}

}  // namespace wlp::fem
