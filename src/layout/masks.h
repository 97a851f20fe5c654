// Masks: what each mask named in a recipe draws, found from the steps that use it.
//
// A design's recipe names masks freely ("rdl", "post-openings", ...). The layout needs to know
// what each one patterns; wlpkit reads it from the steps that use the mask, in this order:
//   1. expose_develop of a stack layer L          → the openings of L
//   2. etch whose target is a stack layer L       → the openings of L; a sacrificial L → its
//                                                   pillars (S0); an etch with a depth → the
//                                                   strip-shaped recess (S0 line)
//   3. etch whose target is the pad metal         → the pads
//   4. etch whose target is a UBM film or the foil → the UBM
//   5. electroplate                               → the feature of that material whose
//                                                   thickness is nearest the plated one: RDL,
//                                                   posts (S3), UBM (S3), top pads (S2);
//                                                   the posts plated after the resin collars
//                                                   were patterned → the collar openings
//   6. print                                      → the stencil openings at the bump sites
// A mask that no rule explains is an error naming the mask and its steps.
#pragma once

#include <string>
#include <vector>

#include "design/design.h"

namespace wlp::layout {

/// What a mask draws.
enum class Feature {
  Pads,          // pad metal (kept where drawn)
  Openings,      // openings of a stack layer (over pads, lands or posts)
  Rdl,           // redistribution: wires, lands, pad captures
  Ubm,           // under-bump metal discs
  Posts,         // plated posts (S3)
  Stencil,       // print openings
  TopPads,       // thick top pads over the contact points (S2)
  Pillars,       // sacrificial pillars where the vias will be (S0)
  Recess,        // strip-shaped recess for the line (S0)
  Collars,       // S3 ring contact (FIG 3): resin rings from the post to the ring diameter
  CollarOpenings,  // S3 ring contact: discs of the ring diameter, a resist opening clearing a collar
};
std::string to_string(Feature feature);

/// Whether the resist must stay on the drawn shapes (etching around them) or open on them
/// (etching, plating or printing into them).
enum class Action { KeepDrawn, OpenDrawn };

struct MaskUse {
  std::string name;           // as written in the recipe
  Feature feature = Feature::Pads;
  std::string stack_layer;    // Openings / Pillars / Recess: the layer patterned
  Action action = Action::OpenDrawn;
  std::string tone;           // "positive", "negative", or "photosensitive layer"
  std::string field;          // "clear" (drawn shapes opaque) or "dark" (drawn shapes transparent)
  std::vector<int> steps;     // 1-based indices of the steps using the mask
  std::string explanation;    // "etch of layer 'insulator-106' (step 12)"
};

/// Every mask of the recipe, in order of first use. Throws design::InputError when a mask's
/// feature cannot be told, located at its first step.
std::vector<MaskUse> recipe_masks(const design::Design& design);

}  // namespace wlp::layout
