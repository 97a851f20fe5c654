// The hexahedra of the package (internal to the mesher): the footprint's quads repeated on
// every slab between neighbouring z-planes, each element given the material found at its
// centre (the built model's column for the device, the board's layout below, the joint between),
// and nodes placed by the radial maps of the O-grid cells so the joint's surface lies on its
// sphere on every plane. Hex20 adds the mid-edge nodes, placed by the same maps (on the sphere
// for the joint's surface).
#pragma once

#include "mesh/assembly.h"
#include "mesh/column_index.h"
#include "mesh/mesh.h"
#include "mesh/ring_plan.h"
#include "mesh/z_planes.h"

namespace wlp::mesh::detail {

struct HexInput {
  const design::Design* design = nullptr;
  const process::WaferModel* built = nullptr;
  const MeshOptions* options = nullptr;
  const Assembly* assembly = nullptr;
  const XyMesh* footprint = nullptr;
  const RingPlan* rings = nullptr;
  const StackPlan* stack = nullptr;
  const ColumnIndex* columns = nullptr;
};

/// Elements, nodes, materials, joints and zones (no constraints yet).
Mesh build_hexes(const HexInput& input);

}  // namespace wlp::mesh::detail
