// Cross-section figures: the wafer cut along a line after a process step, drawn like a patent
// figure: each material filled in its colour and outlined, reference numerals with leader
// lines, a legend, a scale bar, a break line where the substrate is cut short.
//
// The figure is described in the cut plane: s = distance along the cut line, z = height, both
// nm. The process stage fills a SectionFigure from the wafer model; this file only draws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "layout/geometry.h"
#include "layout/plot.h"

namespace wlp::process {

/// One film's part of the cut: polygons in the (s, z) plane (layout::Point{x = s, y = z}).
struct SectionPiece {
  std::string film;            // "insulating-film", "electroplate-rdl", "balls"
  std::string material;        // material id ("Cu_ED")
  std::string material_class;  // library class: metal solder dielectric polymer resist ...
  std::uint8_t flags = 0;      // process::StateFlag bits: liquid, exposed, paste
  layout::Region shape;
};

struct SectionFigure {
  std::string title;    // "s4-embodiment1 · step 12 electroplate-rdl"
  std::string caption;  // the step's note or what it did
  layout::Nm s_length = 0;       // length of the cut
  layout::Nm z_min = 0, z_max = 0;  // height range shown; the substrate below z_min is cut off
  std::vector<SectionPiece> pieces;
  /// Names along the cut (pads, lands, die edge), drawn as small ticks under the figure.
  std::vector<std::pair<layout::Nm, std::string>> marks;
  /// Optional magnified inset (a window of the cut plane), drawn in a corner with its frame
  /// marked on the main view; empty when width or height is 0.
  layout::Box inset;
};

/// The colour every wlpkit figure uses for a material (same id → same colour everywhere):
/// a fixed table for the common materials, else a colour derived from the class and the id.
layout::Colour material_colour(const std::string& material_id, const std::string& material_class);

/// Draws the figure and writes it as SVG and PNG (atomically). `width_px` is the picture width.
void plot_section(const SectionFigure& figure, const std::filesystem::path& svg_path,
                  const std::filesystem::path& png_path, int width_px = 1400);

}  // namespace wlp::process
