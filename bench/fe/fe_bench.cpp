// FE benchmark (bench/fe/run.sh): one design through N thermal cycles with the engine, timed, with
// the work counters of the solver, the time of one linear-elastic solve from scratch (the unit of
// "linear-solve equivalents"), and optionally CalculiX on the same exported mesh and load.
//
//   fe_bench DESIGN [--refinement R] [--symmetry S] [--solder-law L] [--cycles N]
//            [--max-increments K] [--ccx] [--ccx-threads T] [--ccx-dir DIR] [--no-elastic]
//            [--element-threads T]
//
// Prints one JSON object on stdout. The device is built and meshed as `wlpkit cycle` does
// (fem/cycle_analysis.cpp, build_and_mesh); the laws and the history are the pipeline's own
// (laws_for, history_of). The corner joint is the joint farthest from the neutral point; its ΔW is
// the increment of the inelastic work density over the last cycle, volume-averaged over its
// device-side interface layer (as results.json reports it).
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "design/design.h"
#include "design/model_symmetry.h"
#include "design/thermal_profile.h"
#include "fem/ccx_deck.h"
#include "fem/ccx_results.h"
#include "fem/cycle_analysis.h"
#include "fem/blas_start.h"
#include "fem/petsc_session.h"
#include "layout/die_layout.h"
#include "mesh/package_mesh.h"
#include "process/build.h"

namespace {

using Clock = std::chrono::steady_clock;
using wlp::fem::ElementResults;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct BenchOptions {
  std::string design_path;
  int refinement = 1;
  std::string symmetry = "quarter";
  std::string solder_law;  // empty: the design's
  int n_cycles = 3;
  int max_increments = 0;  // 0: no limit (a short profiling run stops after this many)
  bool run_ccx = false;
  int ccx_threads = 2;
  std::string ccx_dir;
  bool run_elastic = true;
  int element_threads = 0;  // 0: the solver's default
  int refactor_excess = -1;  // −1: the solver's default
  double newton_tolerance = 0;  // 0: the solver's default
  double tangent_refresh_ratio = -1;  // < 0: the solver's default
  double max_forcing = 0;       // 0: the solver's default
  double max_temperature_step_K = 0;  // 0: the design's
  std::string increment_log;  // a CSV of every increment's report, when given
};

template <std::size_t N, typename E>
E named(const std::array<std::pair<std::string_view, E>, N>& names, const std::string& text) {
  for (const auto& [name, value] : names)
    if (name == text) return value;
  throw std::invalid_argument("unknown name: " + text);
}

wlp::mesh::PackageMesh build_and_mesh(const wlp::design::Design& design) {
  namespace mesh = wlp::mesh;
  const wlp::design::FeOptions& fe = design.analyses.fe;
  mesh::MeshOptions mesh_options;
  const auto symmetry = wlp::design::resolved_symmetry(design);
  mesh_options.symmetry = symmetry == wlp::design::ModelSymmetry::Quarter ? mesh::Symmetry::Quarter
                          : symmetry == wlp::design::ModelSymmetry::Eighth ? mesh::Symmetry::Eighth
                                                                           : mesh::Symmetry::Full;
  mesh_options.refinement = fe.refinement;
  mesh_options.element_type = fe.element == wlp::design::ElementKind::Hex20 ? mesh::ElementType::Hex20 : mesh::ElementType::Hex8;
  mesh_options.interface_layer_thickness_m = fe.interface_layer_thickness_m;
  mesh_options.board_margin_m = fe.board_margin_m;
  const wlp::layout::DieLayout die = wlp::layout::build_die_layout(design);
  const wlp::layout::Box window = mesh::build_window_for(design, die, mesh_options.symmetry);
  wlp::process::WaferModel model = wlp::process::make_model(design, die, window);
  wlp::process::BuildOptions build_options;
  build_options.resolution = wlp::layout::to_nm(2e-6);
  build_options.window = wlp::process::WindowKind::Die;
  build_options.cut = wlp::process::default_cut(design, die);
  wlp::process::run_recipe(model, design, die, build_options, {});
  return mesh::mesh_package(design, model, mesh_options);
}

std::size_t corner_joint(const wlp::mesh::Mesh& mesh) {
  std::size_t corner = 0;
  for (std::size_t j = 0; j < mesh.joints.size(); ++j)
    if (mesh.joints[j].distance_to_neutral_point_m > mesh.joints[corner].distance_to_neutral_point_m) corner = j;
  return corner;
}

// ΔW of `joint` between two states, volume-averaged over its device-side interface layer.
double device_delta_w(const wlp::mesh::Mesh& mesh, std::size_t joint, const ElementResults& start, const ElementResults& end) {
  double work = 0, volume = 0;
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    if (mesh.joint_of_element[e] != static_cast<int>(joint) || mesh.joint_zone_of_element[e] != wlp::mesh::JointZone::DeviceInterface) continue;
    work += (end.inelastic_work_J_per_m3[e] - start.inelastic_work_J_per_m3[e]) * end.volume_m3[e];
    volume += end.volume_m3[e];
  }
  return volume > 0 ? work / volume : 0.0;
}

double max_displacement_m(const std::vector<std::array<double, 3>>& u) {
  double largest = 0;
  for (const auto& v : u) largest = std::max(largest, std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]));
  return largest;
}

nlohmann::json statistics_json(const wlp::fem::SolverStatistics& s) {
  return {{"increments", s.n_increments},         {"newton_iterations", s.n_newton_iterations},
          {"cutbacks", s.n_cutbacks},             {"accuracy_retries", s.n_accuracy_retries},
          {"factorizations", s.n_factorizations}, {"linear_solves", s.n_linear_solves},
          {"krylov_iterations", s.n_krylov_iterations}, {"assembly_s", s.assembly_time_s},
          {"factorization_s", s.factorization_time_s},  {"solve_s", s.solve_time_s},
          {"run_s", s.run_time_s},               {"nonlinear_elements", s.n_nonlinear_elements},
          {"tangent_evaluations", s.n_tangent_evaluations}, {"residual_evaluations", s.n_residual_evaluations},
          {"newton_fallbacks", s.n_newton_fallbacks}};
}

struct EngineRun {
  nlohmann::json json;
  std::vector<std::array<double, 3>> displacements_m;
  ElementResults elements;
};

EngineRun run_engine(const wlp::mesh::Mesh& mesh, const std::vector<std::shared_ptr<const wlp::fem::MaterialLaw>>& laws,
                     const wlp::fem::SolverOptions& options, const wlp::design::TemperatureSchedule& schedule,
                     const BenchOptions& bench) {
  wlp::fem::ThermoMechanicalSolver solver(mesh, laws, options);
  EngineRun run;
  run.json["dof"] = solver.n_equations();
  if (bench.run_elastic) {
    // The unit is the faster of the two direct packages for this one solve (MUMPS's PORD ordering
    // is cheaper to compute, CHOLMOD's METIS ordering gives the sparser factor), each timed on a
    // solver of its own: a LSE is never measured against a slow unit.
    double fastest_s = 1e300;
    for (const auto& [name, package] : {std::pair{"mumps", wlp::fem::DirectSolverPackage::Mumps},
                                        std::pair{"cholmod", wlp::fem::DirectSolverPackage::Cholmod}}) {
      wlp::fem::SolverOptions elastic_options = options;
      elastic_options.linear.package = package;
      wlp::fem::ThermoMechanicalSolver probe(mesh, laws, elastic_options);
      const double seconds = probe.solve_elastic(options.stress_free_temperature_K - 65.0).wall_time_s;
      run.json["elastic_solve_s_by_package"][name] = seconds;
      fastest_s = std::min(fastest_s, seconds);
    }
    run.json["elastic_solve_s"] = fastest_s;
  }
  const wlp::fem::TemperatureHistory history = wlp::fem::history_of(schedule);
  const std::size_t corner = corner_joint(mesh);
  const auto started = Clock::now();
  int n_increments = 0;
  std::FILE* log = bench.increment_log.empty() ? nullptr : std::fopen(bench.increment_log.c_str(), "w");
  if (log) std::fprintf(log, "increment,time_s,step_s,temperature_K,newton,krylov,cutbacks,inelastic_increment,wall_s,residuals\n");
  const auto observer = [&](const wlp::fem::IncrementReport& r) {
    if (log) {
      std::string residuals;
      for (double norm : r.residual_norms) {
        std::array<char, 32> text{};
        std::snprintf(text.data(), text.size(), "%.2e", norm);
        residuals += (residuals.empty() ? "" : ";") + std::string(text.data());
      }
      std::fprintf(log, "%d,%.3f,%.4g,%.3f,%d,%d,%d,%.4g,%.3f,%s\n", r.increment, r.time_s, r.time_step_s, r.temperature_K,
                   r.n_newton_iterations, r.n_krylov_iterations, r.n_cutbacks, r.max_inelastic_strain_increment, seconds_since(started),
                   residuals.c_str());
    }
    return bench.max_increments <= 0 || ++n_increments < bench.max_increments;
  };
  ElementResults cycle_start;
  nlohmann::json delta_w = nlohmann::json::array();
  bool reached_end = true;
  for (std::size_t c = 0; c < schedule.n_cycles() && reached_end; ++c) {
    cycle_start = solver.element_results();
    reached_end = solver.run(history, schedule.cycle_end_s[c], observer).reached_end;
    if (reached_end) delta_w.push_back(device_delta_w(mesh, corner, cycle_start, solver.element_results()));
  }
  run.json["wall_s"] = seconds_since(started);
  if (log) std::fclose(log);
  run.json["completed"] = reached_end;
  run.json["corner_joint"] = mesh.joints[corner].site;
  run.json["corner_delta_w_device_MPa_per_cycle"] = delta_w;
  run.json["statistics"] = statistics_json(solver.statistics());
  run.displacements_m = solver.nodal_displacements_m();
  run.elements = solver.element_results();
  run.json["max_displacement_um"] = max_displacement_m(run.displacements_m) * 1e6;
  if (run.json.contains("elastic_solve_s"))
    run.json["linear_solve_equivalents"] = run.json["wall_s"].get<double>() / run.json["elastic_solve_s"].get<double>();
  for (auto& w : run.json["corner_delta_w_device_MPa_per_cycle"]) w = w.get<double>() * 1e-6;
  return run;
}

// CalculiX on the same mesh, laws and history; compared by the largest displacement and the
// von Mises stress of the corner joint's elements (volume-weighted mean over the joint).
nlohmann::json run_calculix(const wlp::mesh::Mesh& mesh, const std::vector<std::shared_ptr<const wlp::fem::MaterialLaw>>& laws,
                            const wlp::fem::SolverOptions& options, const wlp::design::TemperatureSchedule& schedule,
                            const BenchOptions& bench, const EngineRun& engine) {
  wlp::fem::CcxDeckOptions deck_options;
  deck_options.element = options.element;
  deck_options.stress_free_temperature_K = options.stress_free_temperature_K;
  deck_options.history = wlp::fem::history_of(schedule);
  // ccx gets the engine's increment limits (its own CETOL then governs the creep steps): the same
  // work asked of both, not ccx's 10 s default cap.
  deck_options.increments.max_s = options.increments.max_time_step_s;
  deck_options.increments.max_temperature_change_K = options.increments.max_temperature_change_K;
  const wlp::mesh::InpDeck deck = wlp::fem::ccx_deck(mesh, laws, deck_options);
  wlp::fem::CcxRunOptions run_options;
  run_options.n_threads = bench.ccx_threads;
  run_options.work_directory = bench.ccx_dir;
  const wlp::fem::CcxResults ccx = wlp::fem::run_ccx(mesh, deck, run_options);
  const wlp::fem::CcxElementStresses stresses = wlp::fem::ccx_element_averages(mesh, ccx);
  const std::size_t corner = corner_joint(mesh);
  double ours = 0, theirs = 0, volume = 0;
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    if (mesh.joint_of_element[e] != static_cast<int>(corner)) continue;
    ours += engine.elements.von_mises_Pa[e] * engine.elements.volume_m3[e];
    theirs += stresses.von_mises_Pa[e] * engine.elements.volume_m3[e];
    volume += engine.elements.volume_m3[e];
  }
  double largest_difference = 0;
  for (std::size_t n = 0; n < mesh.n_nodes(); ++n)
    for (int i = 0; i < 3; ++i)
      largest_difference = std::max(largest_difference, std::abs(ccx.displacements_m[n][static_cast<std::size_t>(i)] -
                                                                 engine.displacements_m[n][static_cast<std::size_t>(i)]));
  return {{"wall_s", ccx.wall_time_s},
          {"increments", ccx.increments.n_increments},
          {"iterations", ccx.increments.n_iterations},
          {"cutbacks", ccx.increments.n_cutbacks},
          {"max_displacement_um", max_displacement_m(ccx.displacements_m) * 1e6},
          {"max_displacement_difference_um", largest_difference * 1e6},
          {"corner_joint_mean_von_mises_MPa", {{"wlpkit", ours / volume * 1e-6}, {"ccx", theirs / volume * 1e-6}}}};
}

}  // namespace

int run_bench(const BenchOptions& bench);

int main(int argc, char** argv) {
  wlp::fem::configure_blas_at_start(argv);  // may start the program again: before anything else
  BenchOptions bench;
  CLI::App app{"FE benchmark: N thermal cycles, counters, elastic-solve unit, optional CalculiX comparison"};
  app.add_option("design", bench.design_path)->required()->check(CLI::ExistingFile);
  app.add_option("--refinement", bench.refinement);
  app.add_option("--symmetry", bench.symmetry);
  app.add_option("--solder-law", bench.solder_law);
  app.add_option("--cycles", bench.n_cycles);
  app.add_option("--max-increments", bench.max_increments);
  app.add_flag("--ccx", bench.run_ccx);
  app.add_option("--ccx-threads", bench.ccx_threads);
  app.add_option("--ccx-dir", bench.ccx_dir);
  app.add_option("--element-threads", bench.element_threads);
  app.add_option("--refactor-excess", bench.refactor_excess, "LinearSolverOptions::refactor_excess_iterations");
  app.add_option("--newton-tolerance", bench.newton_tolerance, "NewtonOptions::residual_tolerance");
  app.add_option("--tangent-refresh-ratio", bench.tangent_refresh_ratio, "NewtonOptions::tangent_refresh_ratio (0: Newton)");
  app.add_option("--max-forcing", bench.max_forcing, "LinearSolverOptions::max_forcing (Krylov tolerance of a Newton step, at most)");
  app.add_option("--max-temperature-step", bench.max_temperature_step_K, "IncrementOptions::max_temperature_change_K (K)");
  app.add_option("--increment-log", bench.increment_log, "CSV of every increment (time, step, T, Newton, Krylov, cutbacks, dε_in)");
  bool no_elastic = false;
  app.add_flag("--no-elastic", no_elastic);
  CLI11_PARSE(app, argc, argv);
  bench.run_elastic = !no_elastic;
  try {
    return run_bench(bench);
  } catch (const std::exception& error) {  // a bad design or option: the message, not an abort
    std::cerr << "fe_bench: " << error.what() << '\n';
    return 2;
  }
}

int run_bench(const BenchOptions& bench) {
  wlp::fem::PetscSession session;
  wlp::design::Design design = wlp::design::load_design(bench.design_path);
  wlp::design::FeOptions& fe = design.analyses.fe;
  fe.refinement = bench.refinement;
  fe.symmetry = named(wlp::design::kModelSymmetryNames, bench.symmetry);
  if (!bench.solder_law.empty()) fe.solder_law = named(wlp::design::kSolderLawNames, bench.solder_law);

  nlohmann::json out;
  out["design"] = design.name;
  out["refinement"] = bench.refinement;
  out["symmetry"] = bench.symmetry;
  out["solder_law"] = std::string(wlp::design::to_string(fe.solder_law));
  out["cycles"] = bench.n_cycles;
  for (const char* variable : {"OPENBLAS_CORETYPE", "OPENBLAS_THREAD_TIMEOUT", "OPENBLAS_NUM_THREADS"}) {
    const char* value = std::getenv(variable);  // set by configure_blas_at_start or the user
    out["environment"][variable] = value != nullptr ? value : "(unset: OpenBLAS's default)";
  }
  const auto build_started = Clock::now();
  const wlp::mesh::PackageMesh package = build_and_mesh(design);
  out["build_and_mesh_s"] = seconds_since(build_started);
  const wlp::mesh::Mesh& mesh = package.mesh;
  out["nodes"] = mesh.n_nodes();
  out["elements"] = mesh.n_elements();
  out["joints"] = mesh.joints.size();
  const wlp::design::TemperatureSchedule schedule = wlp::design::temperature_schedule(*design.analyses.thermal_cycling, bench.n_cycles);
  const auto laws = wlp::fem::laws_for(design, mesh);
  wlp::fem::SolverOptions options = wlp::fem::solver_options_for(design, schedule);
  options.n_element_threads = bench.element_threads;
  if (bench.refactor_excess >= 0) options.linear.refactor_excess_iterations = bench.refactor_excess;
  if (bench.newton_tolerance > 0) options.newton.residual_tolerance = bench.newton_tolerance;
  if (bench.tangent_refresh_ratio >= 0) options.newton.tangent_refresh_ratio = bench.tangent_refresh_ratio;
  if (bench.max_forcing > 0) options.linear.max_forcing = bench.max_forcing;
  if (bench.max_temperature_step_K > 0) options.increments.max_temperature_change_K = bench.max_temperature_step_K;
  const EngineRun engine = run_engine(mesh, laws, options, schedule, bench);
  out["wlpkit"] = engine.json;
  std::cout << out.dump(2) << std::endl;  // the engine's figures first: a ccx run can take hours
  if (bench.run_ccx) {
    out["ccx"] = run_calculix(mesh, laws, options, schedule, bench, engine);
    out["ccx"]["speedup"] = out["ccx"]["wall_s"].get<double>() / engine.json["wall_s"].get<double>();
    std::cout << out.dump(2) << std::endl;
  }
  return 0;
}
