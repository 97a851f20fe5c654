// Wafer map: the array of dies stepped on a 150, 200 or 300 mm wafer, with edge exclusion,
// a flat or a notch, and the dicing street between dies; gross dies per wafer.
#pragma once

#include <filesystem>
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

// Conventions of wafer_map() (the wafer centre is the origin, y up):
// - The flat and the notch are at the bottom (−y). The flat is the chord of flat_length; the
//   usable area ends at that chord moved inward by the edge exclusion.
// - The notch is the SEMI M1 90° V of depth notch_depth, moved inward by the edge exclusion
//   like the flat: dies may not enter the V with its tip at y = −(D/2 − edge_exclusion −
//   notch_depth), i.e. the open region y + |x| < tip. (A true inward offset of the V would
//   round its tip; the translated V is the simpler, slightly smaller keep-out.) notch_depth 0
//   leaves the usable area a plain circle.
// - Die (column, row) has its centre at grid_offset + (column, row) × step; its box starts at
//   centre − die/2 (integer division) and is die_x × die_y. The grid offsets tried, in order:
//   (0, 0) die centred, (step_x/2, step_y/2) street crossing centred, (step_x/2, 0), (0,
//   step_y/2); half steps are rounded down to whole nm. Equal counts keep the earlier offset.
//   Die (0, 0) thus has the centre nearest the wafer centre; when a half-step offset puts two
//   at the same distance, it is the one on the +x / +y side.
// - Dies are listed by row (bottom up), then column (left to right).

/// Places the die grid (step = die + street) to maximise whole dies inside the usable area:
/// the circle of radius diameter/2 − edge exclusion, minus the flat or notch region. Tries
/// the grid centred on a die, on a street crossing, and the two mixed offsets.
/// Throws std::invalid_argument for a diameter other than 150/200/300 mm or a die too large.
WaferMap wafer_map(const WaferSpec& spec);

/// Outline of the wafer (circle with flat or notch) as a polygon, for plots and GDS.
Polygon wafer_outline(const WaferSpec& spec, Nm max_chord_error = 1000);

/// The usable area (circle of radius D/2 − edge exclusion, without the flat or notch region)
/// as a polygon region, for plots.
Region usable_area(const WaferSpec& spec, Nm max_chord_error = 1000);

/// The box of grid site (column, row) of the map, whether or not it holds a whole die.
Box die_site_box(const WaferMap& map, int column, int row);

/// Plot of the map (SVG and PNG): wafer outline with flat or notch, edge-exclusion ring,
/// whole dies filled, partial dies at the rim outlined, legend and scale bar.
void plot_wafer_map(const WaferMap& map, const std::string& title, const std::filesystem::path& svg,
                    const std::filesystem::path& png);

}  // namespace wlp::layout
