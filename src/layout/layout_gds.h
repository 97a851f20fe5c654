// A die layout (and optionally its wafer) as a GDSII library with hierarchy:
//   <name>_PAD_<size>  shapes at one pad, placed by SREF at every pad
//   <name>_SITE        shapes at one ball site, placed by AREF (a full array: one AREF; a
//                      depopulated one: an AREF per run of sites in a row, SREF for singles)
//   <name>_DIE         the die: instances above, RDL wires (PATH), die-level shapes, labels
//   <name>_WAFER       with a wafer map: the die cell stepped by AREF per row, wafer outline
#pragma once

#include "layout/die_layout.h"
#include "layout/gdsii.h"
#include "layout/wafer_map.h"

namespace wlp::layout {

/// GDSII cell names allow A–Z a–z 0–9 _ ? $; other characters of the design name become '_'.
std::string gds_cell_name(const std::string& design_name, const std::string& suffix);

gds::Library layout_library(const DieLayout& layout, const WaferMap* wafer = nullptr);

/// The wafer outline layer (1/1) and the GDS layer of the die outline (1/0).
inline constexpr gds::LayerSpec kWaferOutlineLayer{1, 1};

}  // namespace wlp::layout
