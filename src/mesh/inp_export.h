// A mesh as an Abaqus / CalculiX input deck (.inp): nodes, elements grouped by material,
// materials (elastic, expansion, optional Norton creep and kinematic plasticity, with
// temperature tables), sections, the constraints (fixed dofs; the nodes of a diagonal symmetry
// plane tied by *EQUATION u_x − u_y = 0), an initial temperature, a temperature amplitude on
// every node, the steps (*STATIC or *VISCO) and output requests. Runs with `ccx -i job`.
//
// Units of the deck: mm, N, MPa, s, and kelvin (consistent: 1 N = 1 MPa·mm², ρ would be t/mm³).
// Lengths are multiplied by 1e3 and stresses by 1e-6 on the way out; a Norton constant A (SI,
// σ in Pa) becomes A·(1e6)^n (σ in MPa). Node and element numbers are the mesh's indices plus
// one. Element sets: M_<material> per material, EALL, and J<joint>_<zone> for the joints'
// zones (BULK, DEV, BRD); node sets NALL and NFIX (every constrained node).
#pragma once

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "mesh/mesh.h"

namespace wlp::mesh {

struct InpElasticRow {
  double youngs_modulus_Pa = 0, poisson_ratio = 0, temperature_K = 293.15;
};
struct InpExpansionRow {
  double cte_per_K = 0, temperature_K = 293.15;  // secant CTE from the ZERO temperature (Abaqus convention)
};
/// CalculiX *CREEP, LAW=NORTON: ε̇ = A·σ^n·t^m (σ in Pa for this struct, t in s).
struct InpNortonRow {
  double a = 0, n = 1, m = 0, temperature_K = 293.15;
};
/// Orthotropic elasticity in the model axes (x, y in the board plane, z up): Abaqus/CalculiX
/// *ELASTIC, TYPE=ENGINEERING CONSTANTS (FR-4: Ex = Ey ≫ Ez).
struct InpOrthotropicRow {
  double e1_Pa = 0, e2_Pa = 0, e3_Pa = 0, nu12 = 0, nu13 = 0, nu23 = 0, g12_Pa = 0, g13_Pa = 0, g23_Pa = 0;
  double temperature_K = 293.15;
};
/// *EXPANSION, TYPE=ORTHO: one secant CTE per model axis.
struct InpOrthotropicExpansionRow {
  double cte1_per_K = 0, cte2_per_K = 0, cte3_per_K = 0, temperature_K = 293.15;
};
struct InpPlasticRow {
  double stress_Pa = 0, plastic_strain = 0, temperature_K = 293.15;
};

struct InpMaterial {
  std::string name;                              // a Mesh::materials id
  std::vector<InpElasticRow> elastic;            // one row: constant
  std::vector<InpExpansionRow> expansion;        // may be empty (no thermal strain)
  std::vector<InpNortonRow> norton_creep;        // empty: no creep
  std::vector<InpPlasticRow> kinematic_plastic;  // empty: no plasticity
  std::vector<InpOrthotropicRow> orthotropic_elastic;              // when given, instead of `elastic`
  std::vector<InpOrthotropicExpansionRow> orthotropic_expansion;  // when given, instead of `expansion`
};

enum class InpProcedure { Static, Visco };

struct InpStep {
  InpProcedure procedure = InpProcedure::Static;
  double initial_increment_s = 1, period_s = 1, min_increment_s = 1e-5, max_increment_s = 1;
  double creep_tolerance = 1e-3;  // *VISCO, CETOL: the allowed creep strain error per increment
  bool nonlinear_geometry = false;
};

struct InpOutputs {
  bool print_displacements = true;    // *NODE PRINT U (.dat)
  bool print_stresses = true;         // *EL PRINT S at the integration points (.dat)
  bool print_reaction_totals = true;  // *NODE PRINT, NSET=NFIX, TOTALS=ONLY: RF
  bool print_volume_total = true;     // *EL PRINT, TOTALS=ONLY: EVOL
  bool write_result_file = true;      // *NODE FILE U, *EL FILE S, E (.frd for CalculiX GraphiX / ParaView)
};

struct InpDeck {
  std::string heading = "wlpkit package model";
  std::vector<InpMaterial> materials;         // every id of Mesh::materials, in any order
  double stress_free_temperature_K = 298.15;  // *EXPANSION, ZERO=
  double initial_temperature_K = 298.15;
  /// (total time s, temperature K), ascending in time; applied to every node in every step.
  std::vector<std::pair<double, double>> temperature_amplitude;
  std::vector<InpStep> steps;
  std::string hex8_type = "C3D8";    // or C3D8I (incompatible modes), C3D8R
  std::string hex20_type = "C3D20";  // or C3D20R
  InpOutputs outputs;
};

/// The deck's text. Throws std::invalid_argument: a mesh material without a definition, a
/// material without elastic rows (isotropic or orthotropic), no steps, an empty amplitude.
std::string inp_text(const Mesh& mesh, const InpDeck& deck);

/// Writes the deck atomically (temporary + rename). Throws as inp_text, and std::runtime_error
/// when the file cannot be written.
void write_inp(const Mesh& mesh, const InpDeck& deck, const std::filesystem::path& path);

}  // namespace wlp::mesh
