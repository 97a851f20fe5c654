// Finding what each recipe mask draws (the rules are listed in masks.h).
#include "layout/masks.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace wlp::layout {

using design::Design;
using design::Step;

std::string to_string(Feature feature) {
  switch (feature) {
    case Feature::Pads: return "pads";
    case Feature::Openings: return "openings";
    case Feature::Rdl: return "rdl";
    case Feature::Ubm: return "ubm";
    case Feature::Posts: return "posts";
    case Feature::Stencil: return "stencil";
    case Feature::TopPads: return "top-pads";
    case Feature::Pillars: return "pillars";
    case Feature::Recess: return "recess";
    case Feature::Collars: return "collars";
    case Feature::CollarOpenings: return "collar-openings";
  }
  return "?";
}

namespace {

struct Finding {
  Feature feature;
  std::string stack_layer;
  Action action;
  std::string explanation;
};

std::set<std::string> ubm_materials(const Design& design) {
  std::set<std::string> materials;
  if (const auto* ubm = std::get_if<design::UbmBall>(&design.interconnect))
    for (const auto& film : ubm->ubm_layers) materials.insert(film.material);
  if (const auto* post = std::get_if<design::PostUbmResin>(&design.interconnect)) materials.insert(post->ubm_material);
  for (const Step& step : design.recipe.steps)
    if (step.op == "foil_laminate")
      if (auto material = step.text("material")) materials.insert(*material);
  return materials;
}

// Seed 003 FIG 3 (resin_contact = "ring"): the resin touches the UBM's underside only in a ring
// around the post, so patterning the S3 resin leaves a collar from the post hole out to the ring
// diameter, not a field pierced at the posts (a field would carry the UBM rim too).
bool is_collar_resin(const Design& design, const std::string& layer_name) {
  const auto* s3 = std::get_if<design::PostUbmResin>(&design.interconnect);
  const design::StackLayer* layer = design.layer_named(layer_name);
  return s3 && s3->resin_contact == "ring" && layer && layer->role == design::LayerRole::Resin;
}

// Whether a masked step before step `index` (1-based) patterns the resin into collars.
bool collars_before(const Design& design, int index) {
  for (const Step& step : design.recipe.steps) {
    if (step.index >= index) break;
    if (!step.has("mask") || (step.op != "expose_develop" && step.op != "etch")) continue;
    const auto layer = step.text(step.op == "etch" ? "target" : "layer");
    if (layer && is_collar_resin(design, *layer)) return true;
  }
  return false;
}

std::optional<Finding> from_layer_etch(const Design& design, const Step& step, const design::StackLayer& layer) {
  const std::string where = fmt::format("etch of layer '{}' ({})", layer.name, step.label());
  if (layer.role == design::LayerRole::Sacrificial) return Finding{Feature::Pillars, layer.name, Action::KeepDrawn, where};
  if (is_collar_resin(design, layer.name))
    return Finding{Feature::Collars, layer.name, Action::KeepDrawn, where + " into collars (resin_contact = \"ring\")"};
  if (layer.opening != "none") return Finding{Feature::Openings, layer.name, Action::OpenDrawn, where};
  if (step.has("depth") && std::holds_alternative<design::SacrificialVia>(design.interconnect))
    return Finding{Feature::Recess, layer.name, Action::OpenDrawn, where};
  return std::nullopt;
}

// Candidate plated features: (feature, material, thickness).
struct PlatedFeature {
  Feature feature;
  std::string material;
  double thickness_m;
};

std::vector<PlatedFeature> plated_features(const Design& design) {
  std::vector<PlatedFeature> features;
  if (design.redistribution)
    features.push_back({Feature::Rdl, design.redistribution->material, design.redistribution->thickness_m});
  if (const auto* s3 = std::get_if<design::PostUbmResin>(&design.interconnect)) {
    features.push_back({Feature::Posts, s3->post_material, s3->post_height_m});
    features.push_back({Feature::Ubm, s3->ubm_material, s3->ubm_thickness_m});
  }
  if (const auto* s2 = std::get_if<design::PolyimideVia>(&design.interconnect))
    features.push_back({Feature::TopPads, s2->top_pad_material, s2->top_pad_thickness_m});
  return features;
}

// `claimed`: features already drawn by earlier masks. A feature is plated once, so a later
// plating of the same material and thickness (UBM after RDL, both 5 µm Cu) is the next one.
std::optional<Finding> from_plating(const Design& design, const Step& step, const std::set<Feature>& claimed) {
  const std::string material = step.text("material").value_or("");
  const double plated_m = step.number("thickness").value_or(0);
  std::optional<Finding> best;
  double best_distance = std::numeric_limits<double>::infinity();
  for (const PlatedFeature& candidate : plated_features(design)) {
    if (candidate.material != material || candidate.thickness_m <= 0 || plated_m <= 0) continue;
    if (claimed.count(candidate.feature)) continue;
    // Compared on a log scale: 4.8 µm is nearer 5 µm (RDL) than 50 µm (post).
    const double distance = std::abs(std::log(plated_m / candidate.thickness_m));
    if (distance < best_distance) {
      best_distance = distance;
      best = Finding{candidate.feature, "", Action::OpenDrawn,
                     fmt::format("electroplate of {} {:.3g} um ({}), nearest the {} thickness {:.3g} um", material,
                                 plated_m * 1e6, step.label(), to_string(candidate.feature), candidate.thickness_m * 1e6)};
    }
  }
  // Posts plated after the resin collars exist grow in the collar holes: the resist must clear
  // the whole collar, or it would lie on the collar tops and the UBM could not rest on them.
  if (best && best->feature == Feature::Posts && collars_before(design, step.index)) {
    best->feature = Feature::CollarOpenings;
    best->explanation += "; the resin collars are patterned before it, so the opening clears each collar";
  }
  return best;
}

std::optional<Finding> finding_of(const Design& design, const Step& step, const std::set<std::string>& ubm,
                                  const std::set<Feature>& claimed) {
  if (step.op == "expose_develop")
    if (auto layer = step.text("layer")) {
      const std::string where = fmt::format("exposure of layer '{}' ({})", *layer, step.label());
      if (is_collar_resin(design, *layer))
        return Finding{Feature::Collars, *layer, Action::KeepDrawn, where + " into collars (resin_contact = \"ring\")"};
      return Finding{Feature::Openings, *layer, Action::OpenDrawn, where};
    }
  if (step.op == "etch") {
    const std::string target = step.text("target").value_or("");
    if (const auto* layer = design.layer_named(target)) return from_layer_etch(design, step, *layer);
    if (target == design.pads.material)
      return Finding{Feature::Pads, "", Action::KeepDrawn, fmt::format("etch of the pad metal {} ({})", target, step.label())};
    if (ubm.count(target))
      return Finding{Feature::Ubm, "", Action::KeepDrawn, fmt::format("etch of the UBM film {} ({})", target, step.label())};
  }
  if (step.op == "electroplate") return from_plating(design, step, claimed);
  if (step.op == "print")
    return Finding{Feature::Stencil, "", Action::OpenDrawn, fmt::format("print through a stencil ({})", step.label())};
  return std::nullopt;
}

// Rule order of masks.h: the first step kind in this list that explains the mask wins.
int priority(const std::string& op) {
  if (op == "expose_develop") return 0;
  if (op == "etch") return 1;
  if (op == "electroplate") return 2;
  if (op == "print") return 3;
  return 4;
}

std::string tone_of(const Design& design, const MaskUse& mask) {
  for (int index : mask.steps) {
    const Step& step = design.recipe.steps[static_cast<std::size_t>(index - 1)];
    if (step.op == "lithography") return step.text("tone").value_or("positive");
    if (step.op == "expose") {
      // resist_coat + expose + develop: the tone belongs to the resist being exposed, the last
      // one coated before this step (a lithography step develops its own resist at once), not
      // to a step that names the mask.
      for (std::size_t i = static_cast<std::size_t>(index - 1); i-- > 0;)
        if (design.recipe.steps[i].op == "resist_coat") return design.recipe.steps[i].text("tone").value_or("positive");
      return "positive";
    }
  }
  for (int index : mask.steps)
    if (design.recipe.steps[static_cast<std::size_t>(index - 1)].op == "expose_develop") return "photosensitive layer";
  return "stencil";  // only print steps use it
}

// Which way the mask must transmit, from the resist tone and what the step does with the drawn
// shapes. A photosensitive polymer (polyimide, BCB) is taken as negative-acting, like most; a
// stencil's drawn shapes are its apertures.
std::string field_of(const std::string& tone, Action action) {
  if (tone == "stencil") return "dark";
  const bool negative = tone != "positive";
  const bool drawn_transparent = (action == Action::OpenDrawn) != negative;
  return drawn_transparent ? "dark" : "clear";
}

}  // namespace

std::vector<MaskUse> recipe_masks(const Design& design) {
  std::vector<MaskUse> masks;
  for (const Step& step : design.recipe.steps) {
    const auto name = step.text("mask");
    if (!name) continue;
    auto it = std::find_if(masks.begin(), masks.end(), [&](const MaskUse& m) { return m.name == *name; });
    if (it == masks.end()) {
      masks.push_back(MaskUse{*name, Feature::Pads, "", Action::OpenDrawn, "", "", {}, ""});
      it = masks.end() - 1;
    }
    it->steps.push_back(step.index);
  }
  const std::set<std::string> ubm = ubm_materials(design);
  design::Diagnostics problems;
  std::set<Feature> claimed;
  for (MaskUse& mask : masks) {
    std::optional<Finding> found;
    int found_priority = 99;
    for (int index : mask.steps) {
      const Step& step = design.recipe.steps[static_cast<std::size_t>(index - 1)];
      if (priority(step.op) >= found_priority) continue;
      if (auto finding = finding_of(design, step, ubm, claimed)) {
        found = finding;
        found_priority = priority(step.op);
      }
    }
    const Step& first = design.recipe.steps[static_cast<std::size_t>(mask.steps.front() - 1)];
    if (!found) {
      problems.add(first.param_where.count("mask") ? first.param_where.at("mask") : first.where,
                   fmt::format("recipe.step[{}].mask", first.index - 1),
                   fmt::format("cannot tell what mask '{}' patterns: no step using it etches a stack layer, the pad "
                               "metal or a UBM film, exposes a photosensitive layer, plates the RDL/posts/UBM/top "
                               "pads or prints (steps {})",
                               mask.name, fmt::join(mask.steps, ", ")));
      continue;
    }
    mask.feature = found->feature;
    claimed.insert(found->feature);
    if (found->feature == Feature::CollarOpenings) claimed.insert(Feature::Posts);  // the posts are plated through it
    mask.stack_layer = found->stack_layer;
    mask.action = found->action;
    mask.explanation = found->explanation;
    mask.tone = tone_of(design, mask);
    mask.field = field_of(mask.tone, mask.action);
  }
  problems.throw_if_any();
  return masks;
}

}  // namespace wlp::layout
