#include "mesh/z_planes.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "mesh/mesh_error.h"

namespace wlp::mesh::detail {

namespace {

/// Interior cut positions of [z0, z1]: element heights start near `first_lo` at z0 and
/// `first_hi` at z1 and grow by `growth` towards the middle, capped at `max_size` (the usual
/// two-sided geometric grading), scaled to fit the slab exactly.
std::vector<double> graded_cuts(double z0, double z1, double first_lo, double first_hi, double max_size,
                                double growth) {
  const double length = z1 - z0;
  std::vector<double> from_lo, from_hi;
  double next_lo = std::min(first_lo, max_size), next_hi = std::min(first_hi, max_size), used = 0;
  while (true) {
    const double next = std::min(next_lo, next_hi);
    if (used + 0.5 * next >= length) break;
    if (next_lo <= next_hi)
      from_lo.push_back(next_lo), next_lo = std::min(next_lo * growth, max_size);
    else
      from_hi.push_back(next_hi), next_hi = std::min(next_hi * growth, max_size);
    used += next;
  }
  std::vector<double> sizes = from_lo;
  sizes.insert(sizes.end(), from_hi.rbegin(), from_hi.rend());
  if (sizes.empty()) return {};
  double sum = 0;
  for (double s : sizes) sum += s;
  std::vector<double> cuts;
  double at = z0;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) cuts.push_back(at += sizes[i] * length / sum);
  return cuts;
}

struct Builder {
  StackPlan plan;
  void plane(double z, PlaneKind kind) { plan.planes.push_back(Plane{z, kind}); }
  /// Adds the layers from the last plane up to `z_top`, cut at `cuts`.
  void slab(const std::vector<double>& cuts, double z_top, PlaneKind kind, LayerKind layer, double mid_nm = 0) {
    for (double z : cuts) {
      plan.layers.push_back(Layer{plan.planes.size() - 1, layer, mid_nm});
      plane(z, kind);
    }
    plan.layers.push_back(Layer{plan.planes.size() - 1, layer, mid_nm});
    plane(z_top, kind);
  }
};

void add_board(Builder& b, const StackInput& in) {
  const double h = in.in_plane_size_m;
  const double surface = std::max(in.copper_thickness_m, in.mask_thickness_m);
  b.plane(-in.board_thickness_m, PlaneKind::Board);
  const double top = std::min(in.laminate_max_m, std::max(in.growth * surface, h / 4));
  b.slab(graded_cuts(-in.board_thickness_m, 0, in.laminate_max_m, top, in.laminate_max_m, in.growth), 0,
         PlaneKind::Board, LayerKind::Laminate);
  std::vector<double> levels{in.mask_thickness_m, in.copper_thickness_m};
  std::sort(levels.begin(), levels.end());
  if (levels[0] > 0 && levels[1] - levels[0] > 1e-9) b.slab({}, levels[0], PlaneKind::Board, LayerKind::BoardSurface);
  b.slab({}, levels[1], PlaneKind::Board, LayerKind::BoardSurface);
}

void add_joint(Builder& b, const StackInput& in) {
  const double bottom = in.copper_thickness_m, top = bottom + in.standoff_m, d = in.interface_m;
  const double bulk = in.standoff_m - 2 * d;
  if (!(bulk > 0.1 * d))
    throw MeshError(
        fmt::format("the joint's standoff {:.2f} um leaves no bulk between its two {:.2f} um interface layers "
                    "(interface_layer_thickness_m too large for this joint)",
                    in.standoff_m * 1e6, d * 1e6));
  b.slab({}, bottom + d, PlaneKind::Joint, LayerKind::JointBoardInterface);
  const int n_bulk = std::max(1, in.joint_bulk_layers);
  std::vector<double> cuts;
  for (int i = 1; i < n_bulk; ++i) cuts.push_back(bottom + d + bulk * i / n_bulk);
  b.slab(cuts, top - d, PlaneKind::Joint, LayerKind::JointBulk);
  b.slab({}, top, PlaneKind::Joint, LayerKind::JointDeviceInterface);
}

/// Device layers downwards in the build frame = upwards in the model frame.
void add_device(Builder& b, const StackInput& in) {
  const std::vector<layout::Nm>& p = in.device_planes_nm;
  const double h = in.in_plane_size_m;
  for (std::size_t i = p.size() - 1; i > 0; --i) {
    const double z0 = b.plan.device_z_m(static_cast<double>(p[i])),
                 z1 = b.plan.device_z_m(static_cast<double>(p[i - 1]));
    const double mid_nm = 0.5 * static_cast<double>(p[i] + p[i - 1]);
    const double below = i + 1 < p.size() ? static_cast<double>(p[i + 1] - p[i]) * 1e-9 : h;
    const double above = i >= 2 ? static_cast<double>(p[i - 1] - p[i - 2]) * 1e-9 : 2 * h;
    const double thickness = z1 - z0, largest = i == 1 ? in.die_max_m : h;  // i == 1: the die
    std::vector<double> cuts;
    if (thickness > largest)
      cuts = graded_cuts(z0, z1, std::min(largest, std::max(in.growth * below, h / 4)),
                         std::min(largest, std::max(in.growth * above, h / 4)), largest, in.growth);
    b.slab(cuts, z1, PlaneKind::Device, LayerKind::Device, mid_nm);
  }
}

}  // namespace

StackPlan plan_stack(const StackInput& in) {
  Builder b;
  b.plan.pad_top_z_m = in.copper_thickness_m;
  b.plan.wetted_z_m = in.copper_thickness_m + in.standoff_m;
  b.plan.wetted_process_nm = static_cast<double>(in.device_planes_nm.back());
  add_board(b, in);
  add_joint(b, in);
  b.plan.planes.back().kind = PlaneKind::Device;  // the wetted plane carries the device's circles
  add_device(b, in);
  return b.plan;
}

namespace {

std::set<layout::Nm> boundaries(const process::WaferModel& model, const DevicePlaneInput& in, const layout::Box* near) {
  std::set<layout::Nm> all;
  for (const process::Cell& cell : model.cells()) {
    if (near && !layout::bounding_box(cell.region).overlaps(*near)) continue;
    for (const process::Interval& interval : model.stack(cell.stack))
      for (layout::Nm z : {interval.z_bottom, interval.z_top})
        if (z >= in.die_back_nm && z <= in.z_cap_nm) all.insert(z);
  }
  return all;
}

/// Sorted values chained into clusters (neighbours closer than `tolerance`), one value each:
/// a value of `exact` when the cluster holds one, else its median.
std::vector<layout::Nm> clustered(const std::set<layout::Nm>& values, layout::Nm tolerance,
                                  const std::set<layout::Nm>& exact) {
  std::vector<layout::Nm> kept, cluster;
  auto close_cluster = [&] {
    if (cluster.empty()) return;
    auto hit = std::find_if(cluster.begin(), cluster.end(), [&](layout::Nm z) { return exact.count(z) > 0; });
    kept.push_back(hit != cluster.end() ? *hit : cluster[cluster.size() / 2]);
    cluster.clear();
  };
  for (layout::Nm z : values) {
    if (!cluster.empty() && z - cluster.back() >= tolerance) close_cluster();
    cluster.push_back(z);
  }
  close_cluster();
  return kept;
}

bool near_any(layout::Nm z, const std::vector<layout::Nm>& planes, layout::Nm tolerance) {
  return std::any_of(planes.begin(), planes.end(), [&](layout::Nm p) { return std::abs(p - z) < tolerance; });
}

}  // namespace

std::vector<layout::Nm> device_planes(const process::WaferModel& model, const DevicePlaneInput& in) {
  const std::set<layout::Nm> exact{in.die_back_nm, 0, in.z_cap_nm};
  std::set<layout::Nm> at_site = boundaries(model, in, &in.site_box);
  at_site.insert(exact.begin(), exact.end());
  std::vector<layout::Nm> planes = clustered(at_site, in.merge_nm, exact);
  std::set<layout::Nm> remote;
  for (layout::Nm z : boundaries(model, in, nullptr))
    if (!near_any(z, planes, in.remote_merge_nm)) remote.insert(z);
  for (layout::Nm z : clustered(remote, in.remote_merge_nm, exact)) planes.push_back(z);
  std::sort(planes.begin(), planes.end());
  return planes;
}

}  // namespace wlp::mesh::detail
