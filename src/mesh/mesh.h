// The finite-element mesh of an assembled package (or of a test block): nodes, hexahedra with a
// material per element, the joints and their interface layers, and the displacement constraints.
//
// Frame: metres; z up; z = 0 at the top of the board laminate (the board below, the device
// flipped above it, bump side down). Symmetric models cut the package at x = 0 and/or y = 0
// (and the diagonal x = y for one-eighth models) and keep x ≥ 0, y ≥ 0 (y ≤ x).
//
// Element node order is the Abaqus/CalculiX order (C3D8: bottom face 1-2-3-4 counter-clockwise
// seen from above, then the top face; C3D20: the 8 corners, the 4 bottom mid-edges, the 4 top
// mid-edges, the 4 vertical mid-edges), which is also VTK's order for VTK_HEXAHEDRON (12) and
// VTK_QUADRATIC_HEXAHEDRON (25).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace wlp::mesh {

enum class ElementType { Hex8, Hex20 };
int nodes_per_element(ElementType type);

enum class Symmetry { Full, Quarter, Eighth };
std::string to_string(Symmetry symmetry);

/// Where an element sits in its joint: the bulk, or the fixed-thickness layer at one interface.
enum class JointZone : std::uint8_t { None = 0, Bulk = 1, DeviceInterface = 2, BoardInterface = 3 };

/// A solder joint (or other board-level interconnect) of the model.
struct Joint {
  std::string site;          // JEDEC land name, e.g. "A1"
  double x_m = 0, y_m = 0;   // centre in the model frame
  double distance_to_neutral_point_m = 0;
  double symmetry_weight = 1;  // how many joints of the full package this one stands for (1, 2, 4 or 8)
                               // ... counted in the modelled part: a joint cut by a symmetry plane is partly modelled
  // Added by the package mesher (zero for meshes that have no reflowed joints):
  double modelled_fraction = 1;  // the part of this joint inside the model: 1, 1/2, 1/4 or 1/8
  double lower_z_m = 0, upper_z_m = 0;          // board pad plane and the device's wetted plane
  double lower_pad_radius_m = 0;                // b, the board pad
  double upper_pad_radius_m = 0;                // a, the wetted UBM / land circle
  double sphere_radius_m = 0, sphere_centre_z_m = 0;  // the free surface (centre on the joint's axis)
  double volume_m3 = 0;                         // the whole joint between its planes (closed form)
};

/// One displacement component held at zero.
struct FixedDof {
  std::int64_t node = 0;
  int component = 0;  // 0 x, 1 y, 2 z
};

struct Mesh {
  ElementType element_type = ElementType::Hex8;
  Symmetry symmetry = Symmetry::Full;
  std::vector<std::array<double, 3>> nodes_m;
  std::vector<std::int64_t> connectivity;      // nodes_per_element entries per element
  std::vector<std::string> materials;          // material ids of the library, indexed by material_of_element
  std::vector<int> material_of_element;
  std::vector<int> joint_of_element;           // index into joints, −1 outside every joint
  std::vector<JointZone> joint_zone_of_element;
  std::vector<Joint> joints;
  std::vector<FixedDof> fixed_dofs;            // symmetry planes and rigid-body supports
  std::vector<std::int64_t> diagonal_nodes;    // one-eighth models: nodes on x = y, held to u_x = u_y
  double interface_layer_thickness_m = 25.4e-6;

  [[nodiscard]] std::size_t n_nodes() const { return nodes_m.size(); }
  [[nodiscard]] std::size_t n_elements() const { return material_of_element.size(); }
  [[nodiscard]] std::size_t n_dofs() const { return 3 * nodes_m.size(); }
  /// The nodes of element `element`.
  [[nodiscard]] const std::int64_t* element_nodes(std::size_t element) const {
    return connectivity.data() + element * static_cast<std::size_t>(nodes_per_element(element_type));
  }
};

}  // namespace wlp::mesh
