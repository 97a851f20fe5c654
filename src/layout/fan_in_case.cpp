#include "layout/fan_in_case.h"

#include <string>

namespace wlp::layout {

RouterInput fan_in_router_input(const FanInSpec& c) {
  RouterInput in;
  in.die = {{0, 0}, {c.die, c.die}};
  in.width = c.width;
  in.space = c.space;
  in.edge_clearance = c.edge;
  const Nm centre = c.die / 2;
  const Nm first = centre - (c.pads_per_side - 1) * c.pad_pitch / 2;
  for (int k = 0; k < c.pads_per_side; ++k) {
    const Nm along = first + k * c.pad_pitch;
    const std::string n = std::to_string(k + 1);
    in.pads.push_back({"B" + n, {along, c.pad_inset}, c.pad_size, false});
    in.pads.push_back({"R" + n, {c.die - c.pad_inset, along}, c.pad_size, false});
    in.pads.push_back({"T" + n, {c.die - along, c.die - c.pad_inset}, c.pad_size, false});
    in.pads.push_back({"L" + n, {c.pad_inset, c.die - along}, c.pad_size, false});
  }
  const Nm first_land = centre - (c.lands_per_side - 1) * c.land_pitch / 2;
  for (int row = 0; row < c.lands_per_side; ++row)
    for (int col = 0; col < c.lands_per_side; ++col)
      in.lands.push_back({std::string(1, static_cast<char>('A' + row)) + std::to_string(col + 1),
                          {first_land + col * c.land_pitch, first_land + row * c.land_pitch}, c.land_diameter});
  return in;
}

}  // namespace wlp::layout
