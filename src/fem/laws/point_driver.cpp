#include "fem/laws/point_driver.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>
#include <stdexcept>

namespace wlp::fem {

namespace {

using SmallMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, 0, 6, 6>;
using SmallVector = Eigen::Matrix<double, Eigen::Dynamic, 1, 0, 6, 1>;

constexpr int kMaxNewtonIterations = 50;

// The state carried from one increment to the next.
struct PointState {
  double time_s = 0;
  double temperature_K = 0;
  Voigt6 strain{};
  Voigt6 stress{};
  std::vector<double> history;
};

std::vector<int> stress_controlled(const PointTarget& target) {
  std::vector<int> indices;
  for (int i = 0; i < 6; ++i)
    if (target.control[static_cast<std::size_t>(i)] == Control::stress) indices.push_back(i);
  return indices;
}

// Residual tolerance of the stress-controlled components: 1e-10 of the stress scale, at least 1 µPa.
double stress_tolerance_Pa(const Voigt6& stress, const PointTarget& target) {
  double scale = 0;
  for (int i = 0; i < 6; ++i) scale = std::max({scale, std::abs(stress[i]), std::abs(target.value[i])});
  return 1e-6 + 1e-10 * scale;
}

// One increment: Newton on the stress-controlled strains with the law's tangent D_uu.
PointState advance(const MaterialLaw& law, const PointState& old, const PointTarget& target, double stress_free_K,
                   int increment_index, int& n_iterations) {
  const std::vector<int> unknowns = stress_controlled(target);
  PointIncrement increment{.strain_old = old.strain,
                           .strain_new = old.strain,
                           .temperature_old_K = old.temperature_K,
                           .temperature_new_K = target.temperature_K,
                           .stress_free_temperature_K = stress_free_K,
                           .time_step_s = target.time_s - old.time_s};
  for (int i = 0; i < 6; ++i)
    if (target.control[static_cast<std::size_t>(i)] == Control::strain) increment.strain_new[i] = target.value[i];
  PointState next{.time_s = target.time_s, .temperature_K = target.temperature_K, .strain = {}, .stress = {},
                  .history = old.history};
  Matrix6 tangent{};
  const auto n_unknowns = static_cast<Eigen::Index>(unknowns.size());
  for (n_iterations = 0;; ++n_iterations) {
    law.update(increment, old.stress, old.history, next.stress, next.history, tangent);
    SmallVector residual(n_unknowns);
    for (Eigen::Index u = 0; u < n_unknowns; ++u) {
      const int i = unknowns[static_cast<std::size_t>(u)];
      residual(u) = next.stress[i] - target.value[i];  // r = σ_u − σ_target
    }
    if (n_unknowns == 0 || residual.cwiseAbs().maxCoeff() <= stress_tolerance_Pa(next.stress, target)) break;
    if (n_iterations == kMaxNewtonIterations)
      throw LawError(fmt::format("point driver: stress control did not converge in increment {} ({} iterations, "
                                 "residual {:.3e} Pa, law {})",
                                 increment_index, n_iterations, residual.cwiseAbs().maxCoeff(), law.name()));
    SmallMatrix jacobian(n_unknowns, n_unknowns);  // D_uu
    for (Eigen::Index u = 0; u < n_unknowns; ++u)
      for (Eigen::Index v = 0; v < n_unknowns; ++v)
        jacobian(u, v) = tangent[static_cast<std::size_t>(unknowns[static_cast<std::size_t>(u)] * 6 +
                                                          unknowns[static_cast<std::size_t>(v)])];
    const SmallVector correction = jacobian.partialPivLu().solve(-residual);  // D_uu·Δε_u = −r
    for (Eigen::Index u = 0; u < n_unknowns; ++u) increment.strain_new[unknowns[static_cast<std::size_t>(u)]] += correction(u);
  }
  next.strain = increment.strain_new;
  return next;
}

PointSample sample_of(const PointState& state, int n_iterations) {
  return PointSample{.time_s = state.time_s, .temperature_K = state.temperature_K, .strain = state.strain,
                     .stress = state.stress, .history = state.history, .n_newton_iterations = n_iterations};
}

void check_history(const std::vector<TimeValue>& points, const char* what) {
  if (points.empty()) throw std::invalid_argument(fmt::format("point driver: empty {} history", what));
  for (std::size_t k = 1; k < points.size(); ++k)
    if (points[k].time_s < points[k - 1].time_s)
      throw std::invalid_argument(fmt::format("point driver: {} history goes back in time at point {}", what, k));
}

// Increments along a piecewise-linear history, written through `set_value(target, value)`.
void append_segments(const std::vector<TimeValue>& points, int n_per_segment, const PointTarget& prototype,
                     const std::function<void(PointTarget&, double)>& set_value, std::vector<PointTarget>& increments) {
  for (std::size_t k = 1; k < points.size(); ++k) {
    const TimeValue& start = points[k - 1];
    const TimeValue& end = points[k];
    const int n_steps = end.time_s == start.time_s ? 1 : std::max(1, n_per_segment);
    for (int step = 1; step <= n_steps; ++step) {
      const double fraction = static_cast<double>(step) / n_steps;
      PointTarget target = prototype;
      target.time_s = start.time_s + fraction * (end.time_s - start.time_s);
      set_value(target, start.value + fraction * (end.value - start.value));
      increments.push_back(target);
    }
  }
}

PointTarget uniaxial_prototype(int axis, Control axial_control, double temperature_K) {
  if (axis < 0 || axis > 2) throw std::invalid_argument(fmt::format("point driver: uniaxial axis {} is not 0, 1 or 2", axis));
  PointTarget target;
  target.temperature_K = temperature_K;
  target.control.fill(Control::stress);  // lateral and shear stresses held at zero
  target.control[static_cast<std::size_t>(axis)] = axial_control;
  return target;
}

}  // namespace

PointCurve drive_point(const MaterialLaw& law, const PointLoading& loading) {
  PointState state{.time_s = loading.start_time_s,
                   .temperature_K = loading.initial_temperature_K, .strain = {}, .stress = {},
                   .history = std::vector<double>(static_cast<std::size_t>(law.n_history()))};
  law.initialise(state.history);
  PointTarget initial;
  initial.time_s = state.time_s;
  initial.temperature_K = loading.initial_temperature_K;
  initial.value = loading.initial_strain;
  int n_iterations = 0;
  state = advance(law, state, initial, loading.stress_free_temperature_K, 0, n_iterations);
  PointCurve curve{sample_of(state, n_iterations)};
  curve.reserve(loading.increments.size() + 1);
  for (std::size_t k = 0; k < loading.increments.size(); ++k) {
    if (loading.increments[k].time_s < state.time_s)
      throw std::invalid_argument(fmt::format("point driver: increment {} goes back in time", k + 1));
    state = advance(law, state, loading.increments[k], loading.stress_free_temperature_K, static_cast<int>(k + 1),
                    n_iterations);
    curve.push_back(sample_of(state, n_iterations));
  }
  return curve;
}

PointCurve uniaxial_constant_strain_rate(const MaterialLaw& law, const UniaxialStrainRate& test) {
  if (!(test.strain_rate_per_s > 0) || test.n_increments < 1)
    throw std::invalid_argument("point driver: uniaxial strain rate and increment count must be positive");
  const double duration_s = std::abs(test.final_strain) / test.strain_rate_per_s;
  return uniaxial_history(law, UniaxialHistory{.axial = {{0, 0}, {duration_s, test.final_strain}},
                                               .control = Control::strain,
                                               .n_increments_per_segment = test.n_increments,
                                               .temperature_K = test.temperature_K,
                                               .axis = test.axis});
}

PointCurve uniaxial_history(const MaterialLaw& law, const UniaxialHistory& test) {
  check_history(test.axial, "uniaxial");
  PointLoading loading{.stress_free_temperature_K = test.temperature_K, .initial_temperature_K = test.temperature_K,
                       .initial_strain = {}, .start_time_s = test.axial.front().time_s, .increments = {}};
  const PointTarget prototype = uniaxial_prototype(test.axis, test.control, test.temperature_K);
  const auto axis = static_cast<std::size_t>(test.axis);
  const auto set_axial = [axis](PointTarget& target, double value) { target.value[axis] = value; };
  std::vector<TimeValue> points = test.axial;
  if (points.front().value != 0) points.insert(points.begin(), TimeValue{points.front().time_s, 0});  // instantaneous load
  append_segments(points, test.n_increments_per_segment, prototype, set_axial, loading.increments);
  return drive_point(law, loading);
}

PointCurve simple_shear(const MaterialLaw& law, const SimpleShearHistory& test) {
  check_history(test.shear_strain, "shear strain");
  PointLoading loading{.stress_free_temperature_K = test.temperature_K, .initial_temperature_K = test.temperature_K,
                       .initial_strain = {}, .start_time_s = test.shear_strain.front().time_s, .increments = {}};
  PointTarget prototype;  // every component strain-controlled, zero except γ_xy
  prototype.temperature_K = test.temperature_K;
  std::vector<TimeValue> points = test.shear_strain;
  if (points.front().value != 0) points.insert(points.begin(), TimeValue{points.front().time_s, 0});
  append_segments(points, test.n_increments_per_segment, prototype,
                  [](PointTarget& target, double value) { target.value[3] = value; }, loading.increments);
  return drive_point(law, loading);
}

PointCurve thermal_history_at_fixed_strain(const MaterialLaw& law, const ThermalHistory& test) {
  check_history(test.temperature_K, "temperature");
  PointLoading loading{.stress_free_temperature_K = test.stress_free_temperature_K,
                       .initial_temperature_K = test.temperature_K.front().value,
                       .initial_strain = test.strain, .start_time_s = test.temperature_K.front().time_s,
                       .increments = {}};
  PointTarget prototype;
  prototype.value = test.strain;
  append_segments(test.temperature_K, test.n_increments_per_segment, prototype,
                  [](PointTarget& target, double value) { target.temperature_K = value; }, loading.increments);
  return drive_point(law, loading);
}

double stress_work_J_per_m3(const PointCurve& curve, std::size_t first_sample, std::size_t last_sample) {
  if (last_sample >= curve.size() || first_sample > last_sample)
    throw std::out_of_range(fmt::format("stress_work: samples {}..{} outside a curve of {}", first_sample, last_sample,
                                        curve.size()));
  double work = 0;
  for (std::size_t k = first_sample; k < last_sample; ++k)
    for (int i = 0; i < 6; ++i)
      work += 0.5 * (curve[k].stress[i] + curve[k + 1].stress[i]) * (curve[k + 1].strain[i] - curve[k].strain[i]);
  return work;
}

}  // namespace wlp::fem
