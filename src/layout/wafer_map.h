// Wafer map: the array of dies stepped on a 150, 200 or 300 mm wafer, with edge exclusion,
// a flat or a notch, and the dicing street between dies; gross dies per wafer.
#pragma once

#include <string>
#include <vector>

#include "layout/geometry.h"

namespace wlp::layout {

enum class WaferOrientation { Notch, Flat };

struct WaferSpec {
  Nm diameter = 300'000'000;      // 150, 200 or 300 mm
  Nm edge_exclusion = 3'000'000;  // ring at the rim where no die may lie
  WaferOrientation orientation = WaferOrientation::Notch;
  Nm flat_length = 0;    // flat: chord length (SEMI M1: 57.5 mm at 150 mm, 0 → standard value)
  Nm notch_depth = 1'000'000;  // notch: depth of the excluded notch region (SEMI M1: 1 mm)
  Nm die_x = 0, die_y = 0;  // die size (without street)
  Nm street = 0;            // dicing street width
};

struct DieSite {
  int column = 0, row = 0;  // grid index, (0, 0) the die whose centre is nearest the wafer centre
  Box box;                  // the die, without its street
};

struct WaferMap {
  WaferSpec spec;
  Point grid_offset;          // offset of the die grid from the wafer centre chosen by wafer_map()
  std::vector<DieSite> dies;  // whole dies inside the usable area (gross dies)
  [[nodiscard]] int gross_dies() const { return static_cast<int>(dies.size()); }
};

/// Standard flat length of SEMI M1 for the diameter (150 mm: 57.5 mm; 200 mm uses a notch).
Nm standard_flat_length(Nm diameter);

/// Places the die grid (step = die + street) to maximise whole dies inside the usable area:
/// the circle of radius diameter/2 − edge exclusion, minus the flat or notch region. Tries
/// the grid centred on a die, on a street crossing, and the two mixed offsets.
/// Throws std::invalid_argument for a diameter other than 150/200/300 mm or a die too large.
WaferMap wafer_map(const WaferSpec& spec);

/// Outline of the wafer (circle with flat or notch) as a polygon, for plots and GDS.
Polygon wafer_outline(const WaferSpec& spec, Nm max_chord_error = 1000);

}  // namespace wlp::layout
