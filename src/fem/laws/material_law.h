// The constitutive laws of the thermo-mechanical FE engine: one material point at a time.
//
// A law maps an increment of total strain and temperature, with the old stress and the old
// history of a point, to the new stress, the new history and the consistent tangent dσ/dε.
// The law keeps no state of its own (the history lives in the caller's per-point arrays), so
// one law object serves every integration point of a material and can be driven on a single
// point by tests (docs/fe-engine.md).
//
// Conventions, fixed for the whole engine:
// - SI units: Pa, K, s; strains are dimensionless.
// - Symmetric tensors in Voigt form, Abaqus order (xx, yy, zz, xy, xz, yz); strains carry
//   engineering shears (γ_xy = 2 ε_xy), stresses the tensor shears. Tangents are 6×6 row-major.
// - Total strain ε = ε_elastic + ε_thermal + ε_inelastic (small strain, additive split).
// - Thermal strain ε_th(T) = ∫ α(τ) dτ from the stress-free temperature to T, with α the
//   instantaneous CTE interpolated linearly in T (constant outside its table).
#pragma once

#include <array>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace wlp::fem {

using Voigt6 = std::array<double, 6>;
using Matrix6 = std::array<double, 36>;  // row-major

/// A property as a function of temperature: linear between points, constant outside.
struct TemperatureTable {
  std::vector<std::pair<double, double>> points;  // (temperature K, value SI), ascending in T

  static TemperatureTable constant(double value) { return TemperatureTable{{{293.15, value}}}; }
  [[nodiscard]] double at(double temperature_K) const;
  /// ∫ value dT from `from_K` to `to_K` (exact for the piecewise-linear table).
  [[nodiscard]] double integral(double from_K, double to_K) const;
  [[nodiscard]] bool is_constant() const;
  /// True when the value does not change between `low_K` and `high_K` (inclusive).
  [[nodiscard]] bool is_constant_between(double low_K, double high_K) const;
};

/// One increment at one material point.
struct PointIncrement {
  Voigt6 strain_old{}, strain_new{};  // total strain at the start and end of the increment
  double temperature_old_K = 293.15, temperature_new_K = 293.15;
  double stress_free_temperature_K = 298.15;
  double time_step_s = 0;
};

/// The first entries of every law's history array; laws append their own variables after.
namespace history {
inline constexpr int inelastic_strain = 0;              // 6 entries, Voigt (engineering shears)
inline constexpr int equivalent_inelastic_strain = 6;   // accumulated ∫ sqrt(2/3 dε_in:dε_in)
inline constexpr int inelastic_work_J_per_m3 = 7;       // accumulated ∫ σ : dε_in
inline constexpr int equivalent_creep_strain = 8;       // the rate-dependent part (Anand: all of it)
inline constexpr int equivalent_plastic_strain = 9;     // the rate-independent part
inline constexpr int n_common = 10;
}  // namespace history

class MaterialLaw {
 public:
  virtual ~MaterialLaw() = default;

  /// Short name for reports ("isotropic elastic", "Anand viscoplastic", ...).
  [[nodiscard]] virtual std::string name() const = 0;
  /// One line for reports: the name, the constants' source and any default the factory filled in
  /// (docs/constitutive-laws.md). Defaults to name().
  [[nodiscard]] virtual std::string description() const { return name(); }
  /// Number of history variables per point (at least history::n_common).
  [[nodiscard]] virtual int n_history() const { return history::n_common; }
  /// Sets the history of a fresh point (zeros; Anand sets its deformation resistance s0).
  virtual void initialise(std::span<double> history) const;

  /// The stress at the end of the increment, the new history and the consistent tangent
  /// dσ_new/dε_new. Throws LawError when the local integration does not converge (the caller
  /// cuts the time step back).
  virtual void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
                      Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const = 0;

  /// The elastic stiffness at a temperature (reference matrices, elastic solves).
  [[nodiscard]] virtual Matrix6 elastic_stiffness(double temperature_K) const = 0;
  /// The thermal strain from the stress-free temperature to `temperature_K`.
  [[nodiscard]] virtual Voigt6 thermal_strain(double temperature_K, double stress_free_K) const = 0;
  /// True when σ = D·(ε − ε_th(T)) with D independent of temperature and history: the solver
  /// may assemble such elements once and only rescale their thermal load.
  [[nodiscard]] virtual bool has_constant_stiffness() const { return false; }
  /// The same, for a run whose temperatures stay within [low_K, high_K]: a board below its Tg
  /// or an E(T) table flat over the cycle range is linear for that run.
  [[nodiscard]] virtual bool has_constant_stiffness_between(double low_K, double high_K) const {
    (void)low_K;
    (void)high_K;
    return has_constant_stiffness();
  }
};

/// A failure of a law's local (point) integration: too large a step, no convergence.
class LawError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Material data a law cannot be built from: a missing key or a value out of range. Not a step
/// failure (no time-step cut helps): the message names the material (when known), the key and
/// the value.
class MaterialDataError : public std::invalid_argument {
 public:
  MaterialDataError(std::string material_id, std::string key, const std::string& message)
      : std::invalid_argument(message), material_id_(std::move(material_id)), key_(std::move(key)) {}
  [[nodiscard]] const std::string& material_id() const { return material_id_; }
  [[nodiscard]] const std::string& key() const { return key_; }

 private:
  std::string material_id_, key_;
};

/// Linear isotropic elasticity with temperature-dependent E and CTE (ν constant).
struct IsotropicElasticData {
  TemperatureTable youngs_modulus_Pa;
  double poisson_ratio = 0.3;
  TemperatureTable cte_per_K;
};

class IsotropicElastic : public MaterialLaw {
 public:
  explicit IsotropicElastic(IsotropicElasticData data) : data_(std::move(data)) {}
  [[nodiscard]] std::string name() const override { return "isotropic elastic"; }
  void update(const PointIncrement& increment, const Voigt6& stress_old, std::span<const double> history_old,
              Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent) const override;
  [[nodiscard]] Matrix6 elastic_stiffness(double temperature_K) const override;
  [[nodiscard]] Voigt6 thermal_strain(double temperature_K, double stress_free_K) const override;
  [[nodiscard]] bool has_constant_stiffness() const override { return data_.youngs_modulus_Pa.is_constant(); }
  [[nodiscard]] bool has_constant_stiffness_between(double low_K, double high_K) const override {
    return data_.youngs_modulus_Pa.is_constant_between(low_K, high_K);
  }
  [[nodiscard]] const IsotropicElasticData& data() const { return data_; }

 private:
  IsotropicElasticData data_;
};

/// The isotropic elastic stiffness (Voigt, engineering shears).
Matrix6 isotropic_stiffness(double youngs_modulus_Pa, double poisson_ratio);

/// The update of a linear elastic law: σ = D(T)·(ε − ε_th(T) − ε_in), the history copied
/// unchanged, the tangent D(T). Shared by IsotropicElastic and OrthotropicElastic.
void linear_elastic_update(const MaterialLaw& law, const PointIncrement& increment, std::span<const double> history_old,
                           Voigt6& stress_new, std::span<double> history_new, Matrix6& tangent);

/// σ = D·ε for 6×6 row-major D.
Voigt6 multiply(const Matrix6& stiffness, const Voigt6& strain);

}  // namespace wlp::fem
