// The resolved design as JSON, in SI (the design.json of every run folder).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "design/design.h"

namespace wlp::design {

nlohmann::json design_to_json(const Design& design);

}  // namespace wlp::design
