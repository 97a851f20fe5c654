// The z-planes of the assembled package (internal to the mesher), bottom up in the model frame
// (metres, z = 0 on the board laminate): the laminate, the board's pad and solder-mask level,
// the joints (a fixed-thickness interface layer at each pad, the bulk between) and the device
// flipped onto them. The device's planes are the interval boundaries of the built model's
// columns (merged when closer than a tolerance), so every film as built is ≥ 1 element thick;
// thick layers (die, laminate, joint bulk) are split so their elements are not much taller
// than wide, growing away from the thin films.
#pragma once

#include <vector>

#include "process/wafer_model.h"

namespace wlp::mesh::detail {

enum class PlaneKind { Board, Joint, Device };

struct Plane {
  double z_m = 0;
  PlaneKind kind = PlaneKind::Board;
};

enum class LayerKind { Laminate, BoardSurface, JointBoardInterface, JointBulk, JointDeviceInterface, Device };

/// The slab between planes `bottom` and `bottom + 1`.
struct Layer {
  std::size_t bottom = 0;
  LayerKind kind = LayerKind::Laminate;
  double process_mid_nm = 0;  // Device layers: mid-height in the build's frame (die surface 0, bumps up)
};

struct StackInput {
  double board_thickness_m = 0, copper_thickness_m = 0, mask_thickness_m = 0;
  double standoff_m = 0, interface_m = 0;
  std::vector<layout::Nm> device_planes_nm;  // ascending, build frame; front = die back, back = wetted plane
  double in_plane_size_m = 0;                // element size across the array: target for thick device layers
  double laminate_max_m = 0, die_max_m = 0;  // tallest elements of the laminate and of the die
  int joint_bulk_layers = 2;                 // element layers between the two interface layers
  double growth = 2;                         // ratio of neighbouring element heights in thick layers
};

struct StackPlan {
  std::vector<Plane> planes;  // ascending z
  std::vector<Layer> layers;  // one per pair of neighbouring planes
  double pad_top_z_m = 0, wetted_z_m = 0;
  /// The model-frame z of a build-frame height of the device.
  double wetted_process_nm = 0;
  [[nodiscard]] double device_z_m(double process_nm) const {
    return wetted_z_m + (wetted_process_nm - process_nm) * 1e-9;
  }
};

/// Throws MeshError when the joint is too short for its two interface layers.
StackPlan plan_stack(const StackInput& input);

/// Where the device planes come from and how close two may be.
struct DevicePlaneInput {
  layout::Nm die_back_nm = 0, z_cap_nm = 0;  // the die back and the wetted plane (build frame)
  layout::Box site_box;                      // a bump site's cell (die frame): its planes are kept
  layout::Nm merge_nm = 50;                  // planes of the site closer than this are one
  layout::Nm remote_merge_nm = 500;          // planes found only away from the site
};

/// The device planes of a built model, ascending: every interval boundary of the columns at
/// a bump site (merged when closer than merge_nm), then the boundaries found only elsewhere
/// (pads at the die edge, films over them, a resin surface that follows the traces) unless
/// one lies within remote_merge_nm of a plane already kept. The die back, the die surface and
/// the wetted plane are kept exactly.
std::vector<layout::Nm> device_planes(const process::WaferModel& model, const DevicePlaneInput& input);

}  // namespace wlp::mesh::detail
