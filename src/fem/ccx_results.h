// Running CalculiX (`ccx`, Debian calculix-ccx) on a deck of the engine's mesh and reading its
// answer back in the engine's units and order: nodal displacements and integration-point
// stresses at the last output time (.dat), and the increments and iterations ccx used (.sta).
//
// Units: the deck is in mm–N–MPa–s–K (mesh/inp_export.h); everything returned here is SI (m, Pa).
// Node n and element e of the mesh are ccx's n + 1 and e + 1.
//
// Integration points: CalculiX numbers the Gauss points of C3D8 and C3D8I (2×2×2) and of C3D20
// (3×3×3) lexicographically, ξ fastest, then η, then ζ, at ±1/√3 (C3D8) and 0, ±√(3/5)
// (C3D20) (CalculiX 2.20 manual, section 6.2 "Element types", C3D8 and C3D20; checked with a
// single element under a trilinear displacement field) — the engine's order too (hex_element.cpp). The element
// averages below weight each point by its Gauss weight × det J, as ElementResults does.
//
// Level: advanced. Related: ccx_deck (ccx_deck.h), ThermoMechanicalSolver::element_results.
#pragma once

#include <array>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "fem/laws/material_law.h"
#include "mesh/inp_export.h"
#include "mesh/mesh.h"

namespace wlp::fem {

/// ccx missing, failed or unreadable output. The message names the cause and, for a failed run,
/// quotes the last lines ccx printed.
class CcxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct CcxRunOptions {
  /// OMP_NUM_THREADS and CCX_NPROC_EQUATION_SOLVER. Small models run faster on one: ccx starts
  /// its threads for every element loop and SPOOLES factorization (a 175-node creep run with 120
  /// increments took 3.4 s on one thread and 13.7 s on two on a busy 2-core machine).
  int n_threads = 1;
  std::string executable = "ccx";         // a path, or a name looked up on PATH
  /// Where the job runs; empty: a fresh folder under the system temp dir, removed afterwards.
  /// A given folder is kept (job.inp, job.dat, job.sta, job.cvg, ccx.log).
  std::filesystem::path work_directory;
  /// Print (.dat) and file (.frd) output only at the end of every step, not at every increment
  /// (FREQUENCY added to the output requests): the answer is read at the end, and the .dat of a
  /// creep run with hundreds of increments would otherwise be hundreds of times larger.
  bool output_at_step_ends_only = true;
  int n_tail_lines = 15;                  // lines of ccx's output quoted in a CcxError
};

/// How ccx advanced (.sta file: one row per converged increment).
struct CcxIncrementLog {
  int n_increments = 0;
  int n_iterations = 0;   // equilibrium iterations, summed over the converged increments
  int n_cutbacks = 0;     // failed attempts (attempt number − 1, summed)
  std::vector<double> end_times_s;  // total time at the end of every increment
};

struct CcxResults {
  double time_s = 0;                                   // total time of the blocks read
  std::vector<std::array<double, 3>> displacements_m;  // per node, mesh order
  int n_points_per_element = 0;                        // 8 (C3D8, C3D8I) or 27 (C3D20)
  std::vector<Voigt6> point_stress_Pa;                 // [element · n_points + point], ccx point order
  CcxIncrementLog increments;
  double wall_time_s = 0;                              // the ccx process, start to exit
  std::string output;                                  // what ccx printed (stdout and stderr)
};

/// Writes the deck, runs `ccx -i job` in the work directory and reads job.dat and job.sta.
/// Throws CcxError when ccx cannot be started (not installed: "run scripts/setup.sh"), exits
/// with a non-zero status, writes no .dat, stops before the end of the deck's last step, or
/// when the .dat lacks a node or an element.
CcxResults run_ccx(const mesh::Mesh& mesh, const mesh::InpDeck& deck, const CcxRunOptions& options = {});

/// The last displacement block of set NALL and the last stress block of set EALL of a .dat file
/// (the latest time), converted to SI. Throws CcxError when a block is missing or incomplete,
/// or the two blocks are at different times.
CcxResults read_ccx_dat(const std::string& dat_text, const mesh::Mesh& mesh);

/// The increments of a .sta file (an empty log for an empty file).
CcxIncrementLog read_ccx_sta(const std::string& sta_text);

/// The deck text with FREQUENCY=n_increments on every *NODE PRINT, *EL PRINT, *NODE FILE and
/// *EL FILE request (ccx then writes every n-th increment and the last increment of each step).
std::string with_output_frequency(const std::string& deck_text, int n_increments);

/// Element averages of ccx's point stresses, weighted by Gauss weight × det J at each point:
/// the stress and the average of the points' von Mises stress, as ElementResults holds them.
struct CcxElementStresses {
  std::vector<Voigt6> stress_Pa;
  std::vector<double> von_mises_Pa;
};
CcxElementStresses ccx_element_averages(const mesh::Mesh& mesh, const CcxResults& results);

}  // namespace wlp::fem
