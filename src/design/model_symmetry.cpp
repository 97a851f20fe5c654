// Symmetry of a design's die outline, bump sites and pads (design/model_symmetry.h).
#include "design/model_symmetry.h"

#include <cmath>
#include <cstdint>
#include <fmt/format.h>
#include <functional>
#include <set>
#include <tuple>

namespace wlp::design {
namespace {

// A feature reduced to integer nanometres, so that mirrored positions compare exactly.
struct Feature {
  std::string label;  // "populated site A1", "pad P3"
  double x_m = 0, y_m = 0, size_m = 0;
};

using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t>;

std::int64_t nanometres(double length_m) { return std::llround(length_m * 1e9); }

Key key_of(double x_m, double y_m, double size_m) { return {nanometres(x_m), nanometres(y_m), nanometres(size_m)}; }

using Mirror = std::function<std::pair<double, double>(double, double)>;

struct Plane {
  std::string name;  // "x = 0"
  Mirror image;
};

const std::vector<Plane>& planes_of(ModelSymmetry symmetry) {
  static const std::vector<Plane> kQuarter{
      {"x = 0", [](double x, double y) { return std::pair{-x, y}; }},
      {"y = 0", [](double x, double y) { return std::pair{x, -y}; }}};
  static const std::vector<Plane> kEighth{kQuarter[0], kQuarter[1],
                                          {"x = y", [](double x, double y) { return std::pair{y, x}; }}};
  static const std::vector<Plane> kNone;
  if (symmetry == ModelSymmetry::Quarter) return kQuarter;
  if (symmetry == ModelSymmetry::Eighth) return kEighth;
  return kNone;
}

std::string point_text(double x_m, double y_m) {
  return fmt::format("({}, {})", format_quantity(x_m, dims::length), format_quantity(y_m, dims::length));
}

// The first feature of a set whose mirror image about `plane` is not in the set.
std::string unmatched_feature(const std::vector<Feature>& features, const Plane& plane) {
  std::set<Key> present;
  for (const Feature& feature : features) present.insert(key_of(feature.x_m, feature.y_m, feature.size_m));
  for (const Feature& feature : features) {
    const auto [x_m, y_m] = plane.image(feature.x_m, feature.y_m);
    if (!present.count(key_of(x_m, y_m, feature.size_m)))
      return fmt::format("{} at {} has no mirror image about {} at {}", feature.label,
                         point_text(feature.x_m, feature.y_m), plane.name, point_text(x_m, y_m));
  }
  return "";
}

std::vector<Feature> bump_features(const Design& design) {
  std::vector<Feature> features;
  if (!design.bumps) return features;
  for (const BumpSite& site : design.bumps->sites)
    features.push_back(Feature{"populated site " + site.name, site.x_m, site.y_m, 0.0});
  return features;
}

std::vector<Feature> pad_features(const Design& design) {
  std::vector<Feature> features;
  for (const Pad& pad : design.pads.pads) features.push_back(Feature{"pad " + pad.name, pad.x_m, pad.y_m, pad.size_m});
  return features;
}

std::string die_breaker(const Design& design, const Plane& plane) {
  if (plane.name != "x = y" || nanometres(design.die.size_x_m) == nanometres(design.die.size_y_m)) return "";
  return fmt::format("the die is {} x {}, not square, so it has no mirror symmetry about x = y",
                     format_quantity(design.die.size_x_m, dims::length), format_quantity(design.die.size_y_m, dims::length));
}

}  // namespace

std::string symmetry_breaker(const Design& design, ModelSymmetry symmetry) {
  const std::vector<Feature> bumps = bump_features(design);
  const std::vector<Feature> pads = pad_features(design);
  for (const Plane& plane : planes_of(symmetry)) {
    for (const std::string& found : {die_breaker(design, plane), unmatched_feature(bumps, plane),
                                     unmatched_feature(pads, plane)})
      if (!found.empty()) return found;
  }
  return "";
}

ModelSymmetry highest_symmetry(const Design& design) {
  for (const ModelSymmetry candidate : {ModelSymmetry::Eighth, ModelSymmetry::Quarter})
    if (symmetry_breaker(design, candidate).empty()) return candidate;
  return ModelSymmetry::Full;
}

ModelSymmetry resolved_symmetry(const Design& design) {
  const ModelSymmetry chosen = design.analyses.fe.symmetry;
  return chosen == ModelSymmetry::Auto ? highest_symmetry(design) : chosen;
}

}  // namespace wlp::design
