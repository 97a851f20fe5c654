// Reading the [analysis] table of a design file (internal to the loader, load_design.cpp).
#pragma once

#include "design/design.h"

namespace wlp::design::detail {

/// Reads [analysis] (thermal_cycling, life, fe) into design.analyses. Call after the die, the
/// bumps and the pads are read: an explicit FE symmetry is checked against them. Problems go
/// to the table's diagnostics; the caller finishes nothing (this finishes `table`).
void read_analysis(TableReader table, Design& design);

}  // namespace wlp::design::detail
