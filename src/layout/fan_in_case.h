// Generated fan-in routing problems: a square die with a ring of pads and a centred square
// array of lands. Used by the router's tests and benchmark (e.g. the 20 × 20 array with 400
// peripheral pads), and handy for sizing studies.
#pragma once

#include "layout/rdl_router.h"

namespace wlp::layout {

struct FanInSpec {
  Nm die = 0;  // die side; the die spans (0, 0) to (die, die)
  int pads_per_side = 0;
  Nm pad_pitch = 0, pad_size = 0, pad_inset = 0;  // inset: pad centre to die edge
  int lands_per_side = 0;
  Nm land_pitch = 0, land_diameter = 0;
  Nm width = 0, space = 0, edge = 0;  // wire width, space, clearance to the die edge
};

/// Pads named B/R/T/L + number (bottom, right, top, left; counter-clockwise), lands named
/// row letter (A, B, ... from the bottom) + column number; free assignment.
RouterInput fan_in_router_input(const FanInSpec& spec);

}  // namespace wlp::layout
