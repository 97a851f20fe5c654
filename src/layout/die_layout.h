// The layout of one die, built from a design: every mask layer of its recipe plus reference
// layers (die outline, bump sites, stud/column sites, dicing street, cut line, labels), with
// the RDL routed. Shapes that repeat at every pad or ball site are kept once, relative to the
// site, so the GDSII output can instance them (SREF/AREF).
//
// Layer numbers are fixed per feature (docs/layout.md has the table), so one DRC deck or
// viewer set-up works for every design:
//    1 DIE outline          2 PAD pad metal          10+i openings of stack layer i
//   30 RDL                 31 TOP_PAD (S2)           40 UBM      41 POST     42 STENCIL
//   20 PILLAR (S0)         21 RECESS (S0)            50 SECTION (S4 stud/column, datatype = tier)
//   51 BUMP ball sites     60 STREET half street     61 CUT cross-section line    63 LABEL
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "design/design.h"
#include "layout/geometry.h"
#include "layout/gdsii.h"
#include "layout/masks.h"
#include "layout/rdl_router.h"

namespace wlp::layout {

struct LayerDef {
  std::string name;        // "RDL", "OPEN_insulator-106"
  gds::LayerSpec gds;
  std::string description; // what is drawn
  std::string mask;        // recipe mask drawn on this layer ("" for reference layers)
  std::vector<int> steps;  // recipe steps using the mask
  std::string tone, field; // of the mask (see masks.h)
};

/// A shape on a layer (index into DieLayout::layers).
struct LayerShape {
  int layer = 0;
  Polygon polygon;
};

struct LayoutOptions {
  Nm max_chord_error = 10;  // circles become polygons with at most this chord error
};

struct DieLayout {
  std::string name;                  // design name
  Box die;                           // die outline (die centre at the origin)
  Nm street = 0;                     // dicing street width (from the recipe's dice step)
  std::vector<LayerDef> layers;
  std::vector<MaskUse> masks;

  // Shapes at every pad (relative to the pad centre), one group per distinct pad size.
  struct PadGroup {
    Nm size = 0;
    std::vector<LayerShape> shapes;
    std::vector<Point> centres;
    std::vector<std::string> names;
  };
  std::vector<PadGroup> pad_groups;

  // Shapes at every populated ball site (relative to the site centre).
  std::vector<LayerShape> site_shapes;
  std::vector<design::BumpSite> sites;
  Nm pitch = 0;
  int n_columns = 0, n_rows = 0;

  // Shapes drawn once in the die (absolute): outline, street, pillars, recess, cut line.
  std::vector<LayerShape> die_shapes;
  std::vector<std::pair<int, Path>> die_paths;  // RDL wires and the cut line (width 0)

  std::vector<std::pair<Point, std::string>> labels;  // pad and land names (LABEL layer)

  std::optional<RouteResult> routing;

  /// Index of a layer by name, or -1.
  [[nodiscard]] int layer_index(const std::string& layer_name) const;
  /// Every shape of a layer in die coordinates, merged (paths outlined).
  [[nodiscard]] Region flat(int layer) const;
  [[nodiscard]] Region flat(const std::string& layer_name) const;
};

/// Builds the die layout of a design: masks of its recipe, reference layers, RDL routing.
/// Throws design::InputError when a mask cannot be drawn.
DieLayout build_die_layout(const design::Design& design, const LayoutOptions& options = {});

/// The layer map as text: "layer/datatype name tone field steps description", one per line.
std::string layer_map_text(const DieLayout& layout);

}  // namespace wlp::layout
