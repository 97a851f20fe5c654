// The only door to Clipper (libpolyclipping): region booleans, offsets and path outlines.
// Kept out of geometry.h so that no other file includes clipper.hpp.
#pragma once

#include "layout/geometry.h"

namespace wlp::layout {

Region clipper_boolean(const Region& a, const Region& b, BoolOp op);
Region clipper_offset(const Region& region, Nm delta);
Polygon clipper_path_outline(const Path& path);

}  // namespace wlp::layout
