// Helpers shared by the constitutive-law tests: the bundled material library, laws made from it,
// and the finite-difference check of a consistent tangent.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "design/materials.h"
#include "fem/laws/law_factory.h"
#include "fem/laws/material_law.h"
#include "fem/laws/point_driver.h"

namespace wlp::fem::test {

/// data/materials.toml, loaded once.
const design::MaterialLibrary& library();
/// A material of the bundled library (fails the test when missing).
const design::Material& material(const std::string& id);
/// make_material_law on a bundled material.
std::unique_ptr<MaterialLaw> law_for(const std::string& id, const LawOptions& options = {});

constexpr double kelvin(double celsius) { return celsius + 273.15; }

/// The start of an increment: the state a driver run left at its last sample.
struct PointStart {
  Voigt6 strain{};
  Voigt6 stress{};
  std::vector<double> history;
  double time_s = 0;
  double temperature_K = 298.15;
};
PointStart start_of(const PointSample& sample);

/// max_ij |D_fd − D|_ij / max_ij |D|_ij, where D is the law's tangent for the increment from
/// `start` to start.strain + `strain_increment` over `time_step_s`, and D_fd the central finite
/// difference of the new stress with step `strain_step` on each strain component.
double tangent_relative_error(const MaterialLaw& law, const PointStart& start, const Voigt6& strain_increment,
                              double time_step_s, double stress_free_K, double strain_step = 1e-8);

/// The history at the end of the increment (to tell elastic, creep and plastic states apart).
std::vector<double> history_after(const MaterialLaw& law, const PointStart& start, const Voigt6& strain_increment,
                                  double time_step_s, double stress_free_K);

/// Elastic strain energy density ½σ:S·σ with the compliance S = D⁻¹ of an isotropic law.
double isotropic_elastic_energy_J_per_m3(const Voigt6& stress, double youngs_modulus_Pa, double poisson_ratio);

}  // namespace wlp::fem::test
