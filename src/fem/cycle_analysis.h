// Thermal cycling of an assembled package, the `wlpkit cycle` stage: the design built on the
// window its FE model needs, meshed with its board, one law per material, the temperature
// schedule of [analysis.thermal_cycling], and the solver run cycle by cycle. After every cycle
// the results per joint (results.json), the fields (cycle-N.vtu) and a checkpoint are written,
// each atomically, so a stopped run keeps every finished cycle and `--resume` continues it.
//
// Per joint and cycle (docs/fe-engine.md, "Results"):
// - ΔW: the increment over the cycle of the inelastic work density ∫σ:dε_in, volume-averaged
//   over the joint's interface layer at the device side and at the board side (Darveaux, ECTC
//   2000: the 25.4 µm layer; physics-data.md §3.1), in J/m³ (= Pa; 1 MPa = 1 MJ/m³);
// - the accumulated equivalent creep and plastic strain (volume average over the joint) at the
//   cycle's end and their increments over the cycle;
// - the largest element von Mises stress of the joint during the cycle.
// Per cycle: the warpage of the die's back face and of the board's bottom face at the ends of
// the hot and the cold dwell (peak to valley of u_z, and centre minus corner: > 0 is a crown).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "design/design.h"
#include "design/thermal_profile.h"
#include "fem/thermo_mechanical_solver.h"
#include "mesh/package_mesh.h"
#include "mesh/quality.h"

namespace wlp::fem {

struct CycleRunOptions {
  std::filesystem::path output_dir;
  int n_cycles = 0;                  // 0: the design's [analysis.thermal_cycling] cycles
  bool resume = false;               // continue from output_dir/checkpoint
  double build_resolution_m = 2e-6;  // lateral resolution of the virtual fab before meshing
  bool write_fields = true;          // cycle-N.vtu after every cycle
  bool write_inp = false;            // model.inp: the same mesh, laws and history for CalculiX (Norton solder only)
  bool mesh_only = false;            // stop after the mesh (and the deck): no solve
  std::string command_line;          // recorded in results.json
};

/// What the progress display shows.
struct CycleProgress {
  std::string stage;  // "build", "mesh", "cycle"
  int cycle = 0, n_cycles = 0;
  IncrementReport increment;
  double fraction_done = 0;  // of the simulated time
  double elapsed_s = 0, remaining_s = 0;  // wall clock; remaining estimated from the rate so far
};
using CycleProgressObserver = std::function<void(const CycleProgress&)>;

struct JointCycleResult {
  std::string site;
  double delta_w_device_J_per_m3 = 0, delta_w_board_J_per_m3 = 0;
  double creep_strain = 0, plastic_strain = 0;                      // accumulated, volume average
  double creep_strain_increment = 0, plastic_strain_increment = 0;  // over the cycle
  double max_von_mises_Pa = 0;
};

struct Warpage {
  double peak_to_valley_m = 0;
  double centre_minus_corner_m = 0;
};

struct CycleRecord {
  int cycle = 0;
  double start_s = 0, end_s = 0;
  Warpage die_hot, die_cold, board_hot, board_cold;
  std::vector<JointCycleResult> joints;  // in Mesh::joints order
  int n_increments = 0;
  double wall_time_s = 0;
};

struct CycleRunResult {
  mesh::MeshQuality quality;
  std::vector<CycleRecord> cycles;
  bool completed = false;
  std::string stop_message;  // why a run ended early (non-convergence), with the increment and time
  SolverStatistics statistics;
};

/// Runs the thermal cycling of `design` and writes its outputs to options.output_dir:
/// results.json, cycle-N.vtu, mesh.vtu, checkpoint/ (and model.inp on request). Throws design::InputError for a design
/// without a board, bumps or thermal cycling, mesh::MeshError for a package the mesher cannot
/// model, CheckpointError when --resume finds no usable checkpoint; a run that stops on
/// non-convergence returns completed = false with every finished cycle written.
CycleRunResult run_thermal_cycling(const design::Design& design, const CycleRunOptions& options,
                                   const CycleProgressObserver& progress = {});

/// One law per mesh material from the library and [analysis.fe] (solder law, metal plasticity).
std::vector<std::shared_ptr<const MaterialLaw>> laws_for(const design::Design& design, const mesh::Mesh& mesh);

/// The design's temperature schedule as the solver's history (cycle ends are breakpoints).
TemperatureHistory history_of(const design::TemperatureSchedule& schedule);

/// The solver options of [analysis.fe] for this schedule (element, increment limits, linear
/// solver, the temperature range the schedule visits).
SolverOptions solver_options_for(const design::Design& design, const design::TemperatureSchedule& schedule);

}  // namespace wlp::fem
