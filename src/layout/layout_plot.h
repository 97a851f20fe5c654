// Pictures of a die layout: the routed die (every layer in its colour) and each mask alone.
#pragma once

#include <filesystem>
#include <string>

#include "layout/die_layout.h"

namespace wlp::layout {

/// The die: outline, street, pads, RDL wires and lands, UBM/posts/studs, ball sites, cut line.
void plot_die(const DieLayout& layout, const std::filesystem::path& svg, const std::filesystem::path& png);

/// One layer drawn alone (shapes dark on the die outline), titled with mask name, tone, field
/// and steps.
void plot_layer(const DieLayout& layout, int layer, const std::filesystem::path& svg, const std::filesystem::path& png);

}  // namespace wlp::layout
