// Seed 002 (S2): thick polyimide over the passivation, small contact points, pads on top.
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <vector>

#include "rules/rule_context.h"

namespace wlp::rules::detail {
namespace {
using design::dims::length;
constexpr double kMinPolymer_m = 2e-6, kMaxPolymer_m = 30e-6;    // "2 um to 30 um" after curing
constexpr double kMinContact_m = 0.5e-6, kMaxContact_m = 3e-6;   // "0.5 um to 3 um"
constexpr double kMaxAspectRatio = 5.0;                          // "an aspect ratio of about 5 is acceptable"
}  // namespace

void check_s2(RuleContext& c) {
  const design::Design& d = c.design;
  const auto* s2 = std::get_if<design::PolyimideVia>(&d.interconnect);
  if (!s2) return;
  c.applies("S2.POLYIMIDE.THICKNESS");
  const auto polymers = d.layers_with(design::LayerRole::Dielectric);
  if (polymers.empty()) {
    c.violation("S2.POLYIMIDE.THICKNESS", d.where("interconnect.type"),
                "S2 needs the thick polymer layer (role `dielectric`, opening = \"pads\") over the passivation");
    return;
  }
  const design::StackLayer& polymer = *polymers.front();
  if (polymer.thickness_m < kMinPolymer_m || polymer.thickness_m > kMaxPolymer_m)
    c.violation("S2.POLYIMIDE.THICKNESS", polymer.thickness_where,
                fmt::format("polymer layer '{}' is {} thick; the seed uses {} to {} after cure", polymer.name,
                            q(polymer.thickness_m, length), q(kMinPolymer_m, length), q(kMaxPolymer_m, length)),
                polymer.thickness_m, polymer.thickness_m < kMinPolymer_m ? kMinPolymer_m : kMaxPolymer_m, length);

  // Every contact point counts: listed pads may carry their own size.
  c.applies("S2.CONTACT.SIZE");
  auto size_where = [&](const design::Pad& pad) {
    const std::string own = pad.key_path + ".size";
    return d.positions.count(own) ? d.where(own) : d.where("pads.size");
  };
  const design::Pad* smallest = nullptr;
  const design::Pad* largest = nullptr;
  std::map<std::string, std::vector<const design::Pad*>> off_range;  // by where their size is written
  for (const design::Pad& pad : d.pads.pads) {
    if (!smallest || pad.size_m < smallest->size_m) smallest = &pad;
    if (!largest || pad.size_m > largest->size_m) largest = &pad;
    if (pad.size_m < kMinContact_m || pad.size_m > kMaxContact_m) off_range[size_where(pad).to_string()].push_back(&pad);
  }
  // One finding per written size: a ring of 40 generated pads shares one `size` key.
  for (const auto& [where, pads] : off_range) {
    const design::Pad& pad = *pads.front();
    const std::string names =
        pads.size() == 1 ? pad.name : fmt::format("{}..{} ({} pads)", pad.name, pads.back()->name, pads.size());
    c.violation("S2.CONTACT.SIZE", size_where(pad),
                fmt::format("contact point {} is {}; the seed keeps contact points {} to {} (a large pad over the thin "
                            "dielectric has a large capacitance and blocks routing)",
                            names, q(pad.size_m, length), q(kMinContact_m, length), q(kMaxContact_m, length)),
                pad.size_m, pad.size_m < kMinContact_m ? kMinContact_m : kMaxContact_m, length);
  }
  if (!smallest) return;

  // The smallest contact makes the deepest-looking via.
  c.applies("S2.VIA.ASPECT");
  const double contact = smallest->size_m;
  double passivation_m = 0;
  for (const design::StackLayer* layer : d.layers_with(design::LayerRole::Passivation)) passivation_m += layer->thickness_m;
  const double depth = polymer.thickness_m + passivation_m;
  const double aspect = depth / contact;
  if (aspect > kMaxAspectRatio)
    c.violation("S2.VIA.ASPECT", polymer.thickness_where,
                fmt::format("via aspect ratio {:.2f} (depth {} = polymer {} + passivation {}, over contact {} of {}) "
                            "exceeds about {:g}, the limit for via etching and filling",
                            aspect, q(depth, length), q(polymer.thickness_m, length), q(passivation_m, length),
                            q(contact, length), smallest->name, kMaxAspectRatio),
                aspect, kMaxAspectRatio);

  c.applies("S2.PASSIVATION");
  const auto passivation = d.layers_with(design::LayerRole::Passivation);
  const bool has_oxide = std::any_of(passivation.begin(), passivation.end(), [&](auto* l) {
    return l->applied == "pecvd" && l->material.find("SiO2") != std::string::npos;
  });
  const bool has_nitride = std::any_of(passivation.begin(), passivation.end(), [&](auto* l) {
    return l->applied == "pecvd" && l->material.find("Si3N4") != std::string::npos;
  });
  if (!has_oxide || !has_nitride)
    c.violation("S2.PASSIVATION", d.where("interconnect.type"),
                fmt::format("passivation lacks the PECVD {}: the seed uses ~0.2 um oxide + ~0.7 um nitride between the IC "
                            "and the polymer",
                            !has_oxide && !has_nitride ? "oxide and nitride" : !has_oxide ? "oxide" : "nitride"));

  c.applies("S2.TOP_PAD.COVERS_VIA");
  if (s2->top_pad_size_m < largest->size_m)
    c.violation("S2.TOP_PAD.COVERS_VIA", d.where("interconnect.top_pad_size"),
                fmt::format("top pad {} is smaller than the via on contact point {} ({})", q(s2->top_pad_size_m, length),
                            largest->name, q(largest->size_m, length)),
                s2->top_pad_size_m, largest->size_m, length);
}

}  // namespace wlp::rules::detail
