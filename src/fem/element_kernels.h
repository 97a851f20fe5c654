// Element matrices and forces of the hexahedra (internal to the FE engine). Strains are Voigt
// (xx, yy, zz, xy, xz, yz) with engineering shears, ε = B·u + G·α, where α are the incompatible
// modes (Hex8Incompatible) that every routine here condenses out at element level.
#pragma once

#include <span>
#include <vector>

#include "fem/hex_element.h"
#include "fem/laws/material_law.h"

namespace wlp::fem::detail {

/// A law-independent linear element: K* = K_uu − K_ua K_aa⁻¹ K_au and the condensed thermal
/// loads of unit thermal strains, f*_k = ∫Bᵀ D e_k dV − K_ua K_aa⁻¹ ∫Gᵀ D e_k dV, so that the
/// element's internal force is K*·u − Σ_k ε_th,k(T) f*_k.
struct LinearElementMatrices {
  std::vector<double> stiffness;           // n_dofs × n_dofs, row-major
  std::vector<double> unit_thermal_loads;  // 6 × n_dofs: row k is f*_k
};
void linear_element_matrices(const ElementGeometry& geometry, const Matrix6& stiffness, LinearElementMatrices& out);

/// The stresses of a linear-elastic element at its points, σ = D(B u + G α − ε_th), with the
/// modes from element equilibrium α = K_aa⁻¹(∫Gᵀ D ε_th dV − K_au u).
void elastic_point_stresses(const ElementGeometry& geometry, const Matrix6& stiffness, const Voigt6& thermal_strain,
                            std::span<const double> element_displacements, std::vector<Voigt6>& stresses);

/// A point record of a nonlinear element: total strain (6), stress (6), then the law's history.
inline constexpr int point_strain = 0;
inline constexpr int point_stress = 6;
inline constexpr int point_history = 12;

struct NonlinearElementInput {
  const ElementGeometry* geometry = nullptr;
  const MaterialLaw* law = nullptr;
  PointIncrement increment;                 // temperatures and time step (the strains are filled per point)
  std::span<const double> displacements;    // element dofs at the trial state
  std::span<const double> modes;            // α at the trial state (empty without incompatible modes)
  const double* committed_points = nullptr; // n_points records of `point_stride` doubles
  double* trial_points = nullptr;
  int point_stride = 0;
  // false: the residuals only, condensed with the mode data of an earlier evaluation of the same
  // element (H and K_aa⁻¹ below; NewtonOptions::skip_predicted_last_tangent, tangent_refresh_ratio).
  bool with_tangent = true;
  std::span<const double> kept_mode_tangent;  // H (n_mode_dofs × n_dofs), when !with_tangent
  std::span<const double> kept_mode_inverse;  // K_aa⁻¹ (n_mode_dofs²), when !with_tangent
};

struct NonlinearElementOutput {
  std::vector<double> residual;            // r_u = ∫Bᵀσ dV (n_dofs)
  std::vector<double> condensed_residual;  // r* = r_u − K_ua K_aa⁻¹ r_a
  std::vector<double> tangent;             // K* (n_dofs × n_dofs, row-major); empty without tangent
  std::vector<double> mode_tangent;        // H = K_aa⁻¹ K_au (n_mode_dofs × n_dofs): the Newton update of α
  std::vector<double> mode_inverse;        // K_aa⁻¹ (n_mode_dofs², symmetric); empty without tangent
  std::vector<double> mode_residual;       // h = K_aa⁻¹ r_a (n_mode_dofs);  α ← α − h − H·δu
  double mode_residual_norm2 = 0;          // ‖r_a‖²
};

/// Evaluates the element at its trial state: calls the law at every point (writing the trial
/// point records), integrates forces and the consistent tangent, condenses the modes. Without
/// tangent (input.with_tangent false) it integrates the forces only and condenses them with the
/// kept H and K_aa⁻¹: r* = r_u − Hᵀ r_a (Hᵀ = K_ua K_aa⁻¹, the element matrix being symmetric),
/// h = K_aa⁻¹ r_a. A LawError of a point passes on to the caller.
void evaluate_nonlinear_element(const NonlinearElementInput& input, NonlinearElementOutput& out);

/// The Newton update of the modes after a global correction δu of the element's dofs:
/// α ← α − h − H·δu (with H and h of the last evaluation).
void apply_mode_update(std::span<const double> mode_tangent, std::span<const double> mode_residual,
                       std::span<const double> displacement_correction, std::span<double> modes);

/// von Mises stress of a Voigt stress.
double element_von_mises(const Voigt6& stress);

}  // namespace wlp::fem::detail
