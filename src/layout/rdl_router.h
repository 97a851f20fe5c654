// Fan-in RDL router: one redistribution layer, peripheral die pads to the lands of an area
// array (the sites of the solder balls), without crossings, at the design's minimum width and
// spacing, with horizontal, vertical and 45° segments only.
//
// Method: pads are assigned to lands (given pairs, or a minimum-total-length assignment, which
// is planar for straight lines), then nets are routed on an octilinear track grid of pitch
// width + space with A* and negotiated congestion (rip-up and reroute until no two nets share
// a track); a diagonal step is allowed only when both cells it cuts past are free, so parallel
// 45° wires keep their spacing. Lands and pads of other nets are obstacles grown by the space
// plus half the width.
//
// Details (src/layout/rdl_*.cpp). Grid: the pitch is width + space rounded up to whole 10 nm
// plus 10 nm, stretched to a whole fraction of the land pitch when that holds more tracks
// between two lands, with the tracks centred in the gaps of the land array. Clearances are
// measured exactly from each grid segment to the true circle or square of every other net's
// land or pad (15 nm margin), with the reach of the mitred corners (45° turns w/2 / cos 22.5°,
// 90° turns w/√2) checked where the wire turns; wires turn by 45°, or by 90° between horizontal
// and vertical runs only. End stubs (one diagonal and one straight run from the exact pad/land
// centre to a grid node) bend only deep enough inside the own pad/land for the outline of any
// allowed turn to stay inside it, and a wire runs straight from there to 1.5 widths plus a space
// beyond the pad/land edge, where the die layout draws teardrops. Unused lands and pads without
// a net are obstacles to all.
// Negotiation: besides the sharing and history prices, each step costs extra in proportion to
// its distance from the net's straight pad → land line, entering another net's node across its
// direction costs more than running along it, and obstacles beside the straight line keep their
// side (walls from them away from the line), so nets keep the order of their non-crossing lines
// instead of tangling. Conflicts left after the last round: the nets with fewest conflicts are
// kept, the others rerouted around them, or routed after moving up to four nets in their way,
// or reported unrouted with a reason.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "layout/geometry.h"

namespace wlp::layout {

struct RouterPad {  // a die pad the RDL starts from
  std::string name;
  Point centre;
  Nm size = 0;  // side (square) or diameter (circle)
  bool is_circle = false;
};

struct RouterLand {  // a land (ball site) the RDL ends on
  std::string name;
  Point centre;
  Nm diameter = 0;
};

struct RouterInput {
  std::vector<RouterPad> pads;
  std::vector<RouterLand> lands;
  /// Pre-assigned (pad name, land name) pairs; empty means free assignment of every pad.
  std::vector<std::pair<std::string, std::string>> fixed_nets;
  Nm width = 0, space = 0;
  Box die;            // wires stay inside the die outline ...
  Nm edge_clearance = 0;  // ... by at least this much
  int max_iterations = 60;  // negotiation rounds before the remaining conflicts are given up
};

struct RoutedNet {
  std::string pad, land;
  std::vector<Point> centre_line;  // pad centre → land centre, octilinear between the end stubs
  double length_m = 0;             // centre-line length
};

struct UnroutedNet {
  std::string pad, land;  // land empty when no land was free for the pad
  std::string reason;     // e.g. "blocked between lands C4 and C5: gap 45.0 um holds 1 track, needs 2"
};

struct RouteResult {
  std::vector<RoutedNet> nets;
  std::vector<UnroutedNet> unrouted;
  double total_length_m = 0;
  int iterations = 0;  // negotiation rounds used
  Nm grid_pitch = 0;
  [[nodiscard]] bool is_complete() const { return unrouted.empty(); }
  [[nodiscard]] double routed_fraction() const;
};

/// Routes every pad (free assignment) or every fixed pair. Throws std::invalid_argument for
/// inconsistent input (unknown pad/land names, more pads than lands, width or space <= 0).
RouteResult route_rdl(const RouterInput& input);

/// Wire geometry of a routed net: the centre line as a path of the router's width.
Path wire_path(const RoutedNet& net, Nm width);

}  // namespace wlp::layout
