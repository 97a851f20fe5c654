// Virtual metrology of a built structure: film thicknesses, opening CDs, post / stud / column
// heights and diameters, bump shapes, volume per material, standoff.
#pragma once

#include <nlohmann/json.hpp>

#include "design/design.h"
#include "process/wafer_model.h"

namespace wlp::process {

/// Measures the model. Lengths in µm, volumes in µm³ (names say so).
nlohmann::json measure(const WaferModel& model, const design::Design& design);

}  // namespace wlp::process
