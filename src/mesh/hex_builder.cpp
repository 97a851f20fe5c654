#include "mesh/hex_builder.h"

#include <cmath>
#include <map>
#include <numbers>
#include <optional>

namespace wlp::mesh::detail {

namespace {

/// Where a quad's material is looked up: a point well inside it. Inside an O-grid cell the
/// mean of the corners' polar coordinates (a Cartesian centroid of a thin curved ring
/// element can fall outside the ring).
struct QuadProbe {
  Xy at;
  int cell = -1;      // O-grid cell, −1 outside the array cells
  double rho_m = -1;  // polar radius about the cell's centre (device planes)
  const process::Stack* column = nullptr;
};

struct ElementTag {
  std::string material;
  int joint = -1;
  JointZone zone = JointZone::None;
};

double wrapped(double angle) { return std::remainder(angle, 2 * std::numbers::pi); }

class Extruder {
 public:
  explicit Extruder(const HexInput& in) : in_(in), xy_(*in.footprint), cells_(in.assembly->cells) {}

  Mesh run() {
    probe_quads();
    node_ids_.assign(in_.stack->planes.size(), std::vector<std::int64_t>(xy_.nodes().size(), -1));
    for (std::size_t layer = 0; layer < in_.stack->layers.size(); ++layer)
      for (std::size_t quad = 0; quad < xy_.quads().size(); ++quad)
        if (const std::optional<ElementTag> tag = classify(layer, quad)) add_hex8(layer, quad, *tag);
    mesh_.joints = in_.assembly->joints;
    mesh_.interface_layer_thickness_m = in_.options->interface_layer_thickness_m;
    mesh_.symmetry = in_.options->symmetry;
    if (in_.options->element_type == ElementType::Hex20) upgrade_to_hex20();
    return std::move(mesh_);
  }

 private:
  // --- probes and materials ----------------------------------------------------------------
  void probe_quads() {
    const auto& nodes = xy_.nodes();
    for (const XyQuad& quad : xy_.quads()) {
      QuadProbe probe;
      bool all_tagged = quad.site >= 0;
      double x = 0, y = 0;
      for (int n : quad.nodes) {
        const XyNode& node = nodes[static_cast<std::size_t>(n)];
        all_tagged = all_tagged && node.site == quad.site;
        x += node.at.x / 4, y += node.at.y / 4;
      }
      probe.at = Xy{x, y};
      probe.cell = quad.site;
      if (all_tagged) {
        double rho = 0, cx = 0, cy = 0;
        for (int n : quad.nodes) {
          const XyNode& node = nodes[static_cast<std::size_t>(n)];
          rho += node.rho_m / 4, cx += std::cos(node.theta), cy += std::sin(node.theta);
        }
        const Xy c = cells_[static_cast<std::size_t>(quad.site)].centre;
        const double theta = std::atan2(cy, cx);
        probe.at = Xy{c.x + rho * std::cos(theta), c.y + rho * std::sin(theta)};
        probe.rho_m = rho;
      } else if (quad.site >= 0) {
        const Xy c = cells_[static_cast<std::size_t>(quad.site)].centre;
        probe.rho_m = std::hypot(x - c.x, y - c.y);
      }
      // The die frame is the model frame turned over about x: (x, y) → (x, −y).
      probe.column = in_.columns->stack_at(layout::Point{layout::to_nm(probe.at.x), layout::to_nm(-probe.at.y)});
      probes_.push_back(probe);
    }
  }

  [[nodiscard]] bool under_die(Xy p) const {
    return std::abs(p.x) < in_.assembly->die_half_x_m && std::abs(p.y) < in_.assembly->die_half_y_m;
  }

  /// Air between board and die: underfill when the design has one, else no element.
  [[nodiscard]] std::optional<ElementTag> gap(const QuadProbe& probe) const {
    const std::string& underfill = in_.design->board->underfill;
    if (underfill.empty() || !under_die(probe.at)) return std::nullopt;
    return ElementTag{underfill};
  }

  [[nodiscard]] std::optional<ElementTag> board_surface(const QuadProbe& probe, double z_mid) const {
    const design::Board& board = *in_.design->board;
    const bool below_mask_top = z_mid < board.solder_mask_thickness_m;
    if (probe.cell < 0)
      return below_mask_top ? std::optional<ElementTag>(ElementTag{in_.options->solder_mask_material}) : gap(probe);
    const ArrayCell& cell = cells_[static_cast<std::size_t>(probe.cell)];
    if (!cell.has_pad)
      return below_mask_top ? std::optional<ElementTag>(ElementTag{in_.options->solder_mask_material}) : gap(probe);
    if (probe.rho_m < cell.device_ring_m) return ElementTag{in_.options->board_pad_material};
    const double on_board = in_.rings->mapped_radius(probe.rho_m, cell.device_ring_m, in_.assembly->board_pad_radius_m);
    if (below_mask_top && on_board > in_.assembly->mask_opening_radius_m)
      return ElementTag{in_.options->solder_mask_material};
    return gap(probe);
  }

  [[nodiscard]] std::optional<ElementTag> joint(const QuadProbe& probe, LayerKind kind) const {
    if (probe.cell >= 0) {
      const ArrayCell& cell = cells_[static_cast<std::size_t>(probe.cell)];
      if (cell.is_joint() && probe.rho_m < cell.device_ring_m) {
        const JointZone zone = kind == LayerKind::JointBoardInterface    ? JointZone::BoardInterface
                               : kind == LayerKind::JointDeviceInterface ? JointZone::DeviceInterface
                                                                         : JointZone::Bulk;
        return ElementTag{cell.solder, cell.joint, zone};
      }
    }
    return gap(probe);
  }

  [[nodiscard]] std::optional<ElementTag> device(const QuadProbe& probe, double process_mid_nm) const {
    if (probe.column)
      for (const process::Interval& interval : *probe.column) {
        if (!(static_cast<double>(interval.z_bottom) <= process_mid_nm &&
              process_mid_nm < static_cast<double>(interval.z_top)))
          continue;
        ElementTag tag{in_.built->material_id(interval.material)};
        const process::FilmKind kind = in_.built->film(interval.film).kind;
        const bool is_solder = kind == process::FilmKind::Ball || kind == process::FilmKind::Solder;
        if (is_solder && probe.cell >= 0 && cells_[static_cast<std::size_t>(probe.cell)].is_joint()) {
          tag.joint = cells_[static_cast<std::size_t>(probe.cell)].joint;  // solder in the UBM's hollow
          tag.zone = JointZone::Bulk;
        }
        return tag;
      }
    if (process_mid_nm > 0) return gap(probe);
    return std::nullopt;
  }

  [[nodiscard]] std::optional<ElementTag> classify(std::size_t layer_index, std::size_t quad) const {
    const Layer& layer = in_.stack->layers[layer_index];
    const QuadProbe& probe = probes_[quad];
    switch (layer.kind) {
      case LayerKind::Laminate:
        return ElementTag{in_.design->board->material};
      case LayerKind::BoardSurface:
        return board_surface(probe,
                             0.5 * (in_.stack->planes[layer.bottom].z_m + in_.stack->planes[layer.bottom + 1].z_m));
      case LayerKind::JointBoardInterface:
      case LayerKind::JointBulk:
      case LayerKind::JointDeviceInterface:
        return joint(probe, layer.kind);
      case LayerKind::Device:
        return device(probe, layer.process_mid_nm);
    }
    return std::nullopt;
  }

  // --- node placement ------------------------------------------------------------------------
  /// Radius of a cell's joint ring on a plane of the given kind at height z.
  [[nodiscard]] double joint_ring(const ArrayCell& cell, PlaneKind kind, double z) const {
    if (!cell.is_joint()) return cell.device_ring_m;
    switch (kind) {
      case PlaneKind::Board:
        return cell.shape.lower_pad_radius_m;
      case PlaneKind::Device:
        return cell.device_ring_m;
      case PlaneKind::Joint:
        return cell.shape.radius_at(z - in_.stack->pad_top_z_m);
    }
    return cell.device_ring_m;
  }

  [[nodiscard]] std::array<double, 3> place(const XyNode& node, PlaneKind kind, double z) const {
    if (node.site < 0) return {node.at.x, node.at.y, z};
    const ArrayCell& cell = cells_[static_cast<std::size_t>(node.site)];
    const double rho = in_.rings->mapped_radius(node.rho_m, cell.device_ring_m, joint_ring(cell, kind, z));
    std::array<double, 3> p{cell.centre.x + rho * std::cos(node.theta), cell.centre.y + rho * std::sin(node.theta), z};
    // A radial map about a centre on a symmetry plane keeps the plane's nodes on it: exactly.
    if (node.at.x == 0) p[0] = 0;
    if (node.at.y == 0) p[1] = 0;
    if (in_.options->symmetry == Symmetry::Eighth && node.at.x == node.at.y) p[1] = p[0];
    return p;
  }

  std::int64_t node(std::size_t plane, int xy_node) {
    std::int64_t& id = node_ids_[plane][static_cast<std::size_t>(xy_node)];
    if (id < 0) {
      const Plane& p = in_.stack->planes[plane];
      mesh_.nodes_m.push_back(place(xy_.nodes()[static_cast<std::size_t>(xy_node)], p.kind, p.z_m));
      id = static_cast<std::int64_t>(mesh_.nodes_m.size() - 1);
    }
    return id;
  }

  int material_index(const std::string& id) {
    const auto [it, added] = material_of_.emplace(id, static_cast<int>(mesh_.materials.size()));
    if (added) mesh_.materials.push_back(id);
    return it->second;
  }

  void add_hex8(std::size_t layer, std::size_t quad, const ElementTag& tag) {
    const std::size_t lo = in_.stack->layers[layer].bottom;
    const auto& corners = xy_.quads()[quad].nodes;
    for (std::size_t plane : {lo, lo + 1})
      for (int n : corners) mesh_.connectivity.push_back(node(plane, n));
    mesh_.material_of_element.push_back(material_index(tag.material));
    mesh_.joint_of_element.push_back(tag.joint);
    mesh_.joint_zone_of_element.push_back(tag.zone);
    element_quad_.push_back(quad);
    element_layer_.push_back(layer);
  }

  // --- Hex20 ---------------------------------------------------------------------------------
  /// The mid-point of a horizontal edge in the device planes' geometry: on the circle when
  /// both ends lie on one circle of a cell, else the straight mid-point.
  [[nodiscard]] XyNode edge_middle(int a, int b) const {
    const XyNode& na = xy_.nodes()[static_cast<std::size_t>(a)];
    const XyNode& nb = xy_.nodes()[static_cast<std::size_t>(b)];
    XyNode mid{Xy{0.5 * (na.at.x + nb.at.x), 0.5 * (na.at.y + nb.at.y)}, -1, 0, 0};
    if (na.site < 0 || na.site != nb.site) return mid;
    const Xy c = cells_[static_cast<std::size_t>(na.site)].centre;
    mid.site = na.site;
    if (std::abs(na.rho_m - nb.rho_m) <= 1e-12 * na.rho_m && na.rho_m > 0) {
      mid.rho_m = na.rho_m;
      mid.theta = na.theta + 0.5 * wrapped(nb.theta - na.theta);
    } else {
      mid.rho_m = std::hypot(mid.at.x - c.x, mid.at.y - c.y);
      mid.theta = std::atan2(mid.at.y - c.y, mid.at.x - c.x);
    }
    return mid;
  }

  [[nodiscard]] static PlaneKind kind_inside(LayerKind layer) {
    switch (layer) {
      case LayerKind::Laminate:
      case LayerKind::BoardSurface:
        return PlaneKind::Board;
      case LayerKind::Device:
        return PlaneKind::Device;
      default:
        return PlaneKind::Joint;
    }
  }

  std::int64_t new_node(const std::array<double, 3>& p) {
    mesh_.nodes_m.push_back(p);
    return static_cast<std::int64_t>(mesh_.nodes_m.size() - 1);
  }

  std::int64_t horizontal_middle(std::size_t plane, int a, int b) {
    const auto key = std::make_tuple(plane, std::min(a, b), std::max(a, b));
    if (const auto it = horizontal_.find(key); it != horizontal_.end()) return it->second;
    const Plane& p = in_.stack->planes[plane];
    const XyNode mid = edge_middle(a, b);
    std::array<double, 3> at = place(mid, p.kind, p.z_m);
    if (mid.site < 0) {  // straight edge: the mean of the placed ends
      const auto pa = place(xy_.nodes()[static_cast<std::size_t>(a)], p.kind, p.z_m);
      const auto pb = place(xy_.nodes()[static_cast<std::size_t>(b)], p.kind, p.z_m);
      at = {0.5 * (pa[0] + pb[0]), 0.5 * (pa[1] + pb[1]), p.z_m};
    }
    return horizontal_[key] = new_node(at);
  }

  std::int64_t vertical_middle(std::size_t layer, int n) {
    const auto key = std::make_pair(layer, n);
    if (const auto it = vertical_.find(key); it != vertical_.end()) return it->second;
    const Layer& l = in_.stack->layers[layer];
    const double z = 0.5 * (in_.stack->planes[l.bottom].z_m + in_.stack->planes[l.bottom + 1].z_m);
    return vertical_[key] = new_node(place(xy_.nodes()[static_cast<std::size_t>(n)], kind_inside(l.kind), z));
  }

  void upgrade_to_hex20() {
    std::vector<std::int64_t> connectivity;
    const std::size_t n_elements = mesh_.material_of_element.size();
    connectivity.reserve(20 * n_elements);
    for (std::size_t e = 0; e < n_elements; ++e) {
      const auto& q = xy_.quads()[element_quad_[e]].nodes;
      const std::size_t layer = element_layer_[e], lo = in_.stack->layers[layer].bottom;
      for (int i = 0; i < 8; ++i) connectivity.push_back(mesh_.connectivity[8 * e + static_cast<std::size_t>(i)]);
      for (std::size_t plane : {lo, lo + 1})  // C3D20: bottom then top mid-edges, 1-2 2-3 3-4 4-1
        for (int i = 0; i < 4; ++i)
          connectivity.push_back(
              horizontal_middle(plane, q[static_cast<std::size_t>(i)], q[static_cast<std::size_t>((i + 1) % 4)]));
      for (int i = 0; i < 4; ++i) connectivity.push_back(vertical_middle(layer, q[static_cast<std::size_t>(i)]));
    }
    mesh_.connectivity = std::move(connectivity);
    mesh_.element_type = ElementType::Hex20;
  }

  const HexInput& in_;
  const XyMesh& xy_;
  const std::vector<ArrayCell>& cells_;
  std::vector<QuadProbe> probes_;
  std::vector<std::vector<std::int64_t>> node_ids_;
  std::map<std::string, int> material_of_;
  std::vector<std::size_t> element_quad_, element_layer_;
  std::map<std::tuple<std::size_t, int, int>, std::int64_t> horizontal_;
  std::map<std::pair<std::size_t, int>, std::int64_t> vertical_;
  Mesh mesh_;
};

}  // namespace

Mesh build_hexes(const HexInput& input) { return Extruder(input).run(); }

}  // namespace wlp::mesh::detail
