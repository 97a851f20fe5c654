// The symmetry a design allows for its FE model ([analysis.fe] symmetry, docs/design-format.md).
//
// The test looks at what the FE model of an assembly is built from in the die frame: the die
// outline, the populated bump sites and the chip's pads (position and size). Quarter needs
// mirror symmetry about x = 0 and y = 0, eighth also about the diagonal x = y. Positions are
// compared to 1 nm, the layout database unit.
#pragma once

#include <string>

#include "design/design.h"

namespace wlp::design {

/// Full, Quarter or Eighth: the largest symmetry the design has (never Auto).
ModelSymmetry highest_symmetry(const Design& design);

/// `design.analyses.fe.symmetry` with Auto replaced by highest_symmetry().
ModelSymmetry resolved_symmetry(const Design& design);

/// The first feature that breaks `symmetry` ("populated site A1 at (-1.6 mm, -1.6 mm) has no
/// mirror image at (1.6 mm, -1.6 mm)"), or "" when the design has it. Full and Auto are always "".
std::string symmetry_breaker(const Design& design, ModelSymmetry symmetry);

}  // namespace wlp::design
