#include "mesh/assembly.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numbers>
#include <set>

#include "mesh/mesh_error.h"

namespace wlp::mesh::detail {

namespace {

constexpr double kOnPlane_m = 1e-9;
// Joints of one device share one standoff; their own standoffs may differ by this much.
constexpr double kStandoffSpread = 0.01;

void require_board_and_bumps(const design::Design& design) {
  if (!design.bumps || design.bumps->sites.empty())
    throw MeshError(
        fmt::format("{}: the design has no bump array ([bumps]); there is no assembly to mesh", design.name));
  if (!design.board)
    throw MeshError(fmt::format("{}: the design has no board ([board]); there is no assembly to mesh", design.name));
  const design::Board& board = *design.board;
  if (board.pad_definition != "nsmd")
    throw MeshError(
        fmt::format("{}: board pads are '{}'; the mesher models NSMD pads only (solder mask opening larger "
                    "than the pad)",
                    design.name, board.pad_definition));
  if (board.solder_mask_thickness_m > board.copper_thickness_m)
    throw MeshError(
        fmt::format("{}: the solder mask ({:.1f} um) is thicker than the pad copper ({:.1f} um); the mesher "
                    "needs the mask below the pad top",
                    design.name, board.solder_mask_thickness_m * 1e6, board.copper_thickness_m * 1e6));
}

using Key = std::pair<long long, long long>;
Key key_of(double x, double y) { return {std::llround(x * 1e9), std::llround(y * 1e9)}; }

/// Quarter and eighth models stand for the whole package only if it is symmetric.
void require_symmetric(const design::Design& design, Symmetry symmetry) {
  if (symmetry == Symmetry::Full) return;
  const design::BumpArray& bumps = *design.bumps;
  std::set<Key> sites;
  for (const design::BumpSite& s : bumps.sites) sites.insert(key_of(s.x_m, s.y_m));
  for (const design::BumpSite& s : bumps.sites) {
    const bool mirrored = sites.count(key_of(-s.x_m, s.y_m)) && sites.count(key_of(s.x_m, -s.y_m));
    const bool diagonal = symmetry != Symmetry::Eighth || sites.count(key_of(s.y_m, s.x_m));
    if (!mirrored || !diagonal)
      throw MeshError(
          fmt::format("{}: a {} model needs a symmetric bump array, but site {} at ({:.1f}, {:.1f}) um has no "
                      "mirror image{} (depopulated sites must be symmetric too); use a full model",
                      design.name, to_string(symmetry), s.name, s.x_m * 1e6, s.y_m * 1e6,
                      symmetry == Symmetry::Eighth ? " about both axes and the diagonal" : " about both axes"));
  }
  if (symmetry == Symmetry::Eighth &&
      (std::abs(design.die.size_x_m - design.die.size_y_m) > kOnPlane_m || bumps.n_columns != bumps.n_rows))
    throw MeshError(
        fmt::format("{}: an eighth model needs a square die and array (die {:.1f} x {:.1f} um, array {} x {}); "
                    "use a quarter model",
                    design.name, design.die.size_x_m * 1e6, design.die.size_y_m * 1e6, bumps.n_columns, bumps.n_rows));
}

/// Joints of a symmetric model: the modelled part of a joint cut by symmetry planes and how
/// many joints of the package its orbit holds (the symmetry group has 4 or 8 elements).
void set_symmetry_weight(Joint& joint, Symmetry symmetry) {
  const bool on_x0 = std::abs(joint.x_m) < kOnPlane_m, on_y0 = std::abs(joint.y_m) < kOnPlane_m;
  const bool on_diagonal = std::abs(joint.x_m - joint.y_m) < kOnPlane_m;
  int stabiliser = 1, group = 1;
  if (symmetry == Symmetry::Quarter) group = 4, stabiliser = (on_x0 ? 2 : 1) * (on_y0 ? 2 : 1);
  if (symmetry == Symmetry::Eighth) group = 8, stabiliser = on_x0 && on_y0 ? 8 : (on_y0 || on_diagonal ? 2 : 1);
  joint.modelled_fraction = 1.0 / stabiliser;
  joint.symmetry_weight = static_cast<double>(group / stabiliser);
}

bool in_symmetric_part(Xy p, Symmetry symmetry) {
  const bool quarter = p.x > -kOnPlane_m && p.y > -kOnPlane_m;
  return symmetry == Symmetry::Full || (quarter && (symmetry != Symmetry::Eighth || p.y < p.x + kOnPlane_m));
}

layout::Box die_box_nm(const design::Design& design) {
  const layout::Nm hx = layout::to_nm(design.die.size_x_m / 2), hy = layout::to_nm(design.die.size_y_m / 2);
  return layout::Box{{-hx, -hy}, {hx, hy}};
}

std::string box_text(const layout::Box& b) {
  return fmt::format("({:.1f}, {:.1f}) to ({:.1f}, {:.1f}) um", layout::to_um(b.lo.x), layout::to_um(b.lo.y),
                     layout::to_um(b.hi.x), layout::to_um(b.hi.y));
}

bool covers(const layout::Box& outer, const layout::Box& inner) {
  return outer.lo.x <= inner.lo.x && outer.lo.y <= inner.lo.y && outer.hi.x >= inner.hi.x && outer.hi.y >= inner.hi.y;
}

/// The die part a Package model needs built: the die, or its quadrant x ≥ 0, y ≤ 0 (which
/// becomes x ≥ 0, y ≥ 0 of the model when the die is turned over).
void require_window_covers_die(const design::Design& design, const process::WaferModel& built, Symmetry symmetry) {
  layout::Box need = die_box_nm(design);
  if (symmetry != Symmetry::Full) need.lo.x = 0, need.hi.y = 0;
  if (!covers(built.window(), need))
    throw MeshError(
        fmt::format("{}: the build window {} does not cover the die part a {} model needs, {}; build on "
                    "build_window_for(design, layout, symmetry)",
                    design.name, box_text(built.window()), to_string(symmetry), box_text(need)));
}

struct Lattice {
  int n_columns = 0, n_rows = 0;
  double pitch_m = 0;
  [[nodiscard]] double x_of(int column) const { return (column - (n_columns - 1) / 2.0) * pitch_m; }
  [[nodiscard]] double y_of(int row) const { return (row - (n_rows - 1) / 2.0) * pitch_m; }
};

void set_footprint(Assembly& a, const design::Design& design, const process::WaferModel& built,
                   const MeshOptions& options) {
  a.die_half_x_m = design.die.size_x_m / 2, a.die_half_y_m = design.die.size_y_m / 2;
  a.board_margin_m = options.board_margin_m;
  if (options.extent == MeshExtent::Package) {
    a.x_hi_m = a.die_half_x_m + options.board_margin_m, a.x_lo_m = -a.x_hi_m;
    a.y_hi_m = a.die_half_y_m + options.board_margin_m, a.y_lo_m = -a.y_hi_m;
  } else {  // the window, turned over: die (x, y) → model (x, −y)
    const layout::Box& w = built.window();
    a.x_lo_m = layout::to_m(w.lo.x), a.x_hi_m = layout::to_m(w.hi.x);
    a.y_lo_m = -layout::to_m(w.hi.y), a.y_hi_m = -layout::to_m(w.lo.y);
  }
}

bool cell_inside_footprint(const Assembly& a, Xy c, double half_pitch) {
  return c.x - half_pitch > a.x_lo_m - kOnPlane_m && c.x + half_pitch < a.x_hi_m + kOnPlane_m &&
         c.y - half_pitch > a.y_lo_m - kOnPlane_m && c.y + half_pitch < a.y_hi_m + kOnPlane_m;
}

std::vector<ArrayCell> array_cells(const Assembly& a, const design::Design& design) {
  const design::BumpArray& bumps = *design.bumps;
  const Lattice lattice{bumps.n_columns, bumps.n_rows, bumps.pitch_m};
  std::set<std::string> populated;
  for (const design::BumpSite& s : bumps.sites) populated.insert(s.name);
  std::vector<ArrayCell> cells;
  for (int row = 0; row < lattice.n_rows; ++row)
    for (int column = 0; column < lattice.n_columns; ++column) {
      ArrayCell cell;
      cell.site = design::jedec_land_name(row, column);
      const double x = lattice.x_of(column), y = lattice.y_of(row);
      cell.centre = Xy{x, 0.0 - y};  // 0 − y: no −0 on the x axis
      cell.die_nm = layout::Point{layout::to_nm(x), layout::to_nm(y)};
      cell.has_pad = populated.count(cell.site) > 0;
      if (cell_inside_footprint(a, cell.centre, bumps.pitch_m / 2)) cells.push_back(cell);
    }
  return cells;
}

const process::SolderBody& body_of(const process::WaferModel& built, const ArrayCell& cell,
                                   const design::Design& design) {
  const process::SolderBody* body = nullptr;
  for (const process::SolderBody& b : built.bodies)
    if (b.site == cell.site && b.centre == cell.die_nm) body = &b;
  if (!body)
    throw MeshError(
        fmt::format("{}: site {} has no bump in the built model (was the window built through the "
                    "reflow step?)",
                    design.name, cell.site));
  if (body->shape != process::SolderBody::Shape::Cap)
    throw MeshError(
        fmt::format("{}: the bump at site {} is a placed ball that was not reflowed into a cap (S1 "
                    "metallized plastic balls in adhesive or paste); the mesher models reflowed solder "
                    "joints only",
                    design.name, cell.site));
  return *body;
}

void require_cell_built_whole(const process::WaferModel& built, const ArrayCell& cell, double pitch_m,
                              const design::Design& design) {
  const layout::Nm half = layout::to_nm(pitch_m / 2);
  const layout::Box need{{cell.die_nm.x - half, cell.die_nm.y - half}, {cell.die_nm.x + half, cell.die_nm.y + half}};
  if (!covers(built.window(), need))
    throw MeshError(
        fmt::format("{}: the cell of site {} ({}) is not inside the build window {}: its bump would be "
                    "clipped; build on build_window_for(design, layout, symmetry)",
                    design.name, cell.site, box_text(need), box_text(built.window())));
}

/// The sphere through both pad rims at a given standoff (the device is rigid: one standoff).
JointShape shape_at_standoff(double a, double b, double h) {
  JointShape shape;
  shape.upper_pad_radius_m = a, shape.lower_pad_radius_m = b, shape.standoff_m = h;
  shape.centre_above_lower_m = (a * a - b * b + h * h) / (2 * h);  // a² + (h − c)² = b² + c²
  shape.sphere_radius_m = std::hypot(b, shape.centre_above_lower_m);
  shape.volume_m3 = std::numbers::pi * h / 6 * (3 * a * a + 3 * b * b + h * h);
  return shape;
}

void reflow_joints(Assembly& a, const design::Design& design, const process::WaferModel& built,
                   const MeshOptions& options) {
  const double b = design.board->pad_diameter_m / 2;
  std::vector<double> standoffs;
  std::vector<const process::SolderBody*> bodies;
  for (ArrayCell& cell : a.cells) {
    const bool modelled = options.extent == MeshExtent::BuiltWindow || in_symmetric_part(cell.centre, options.symmetry);
    if (!cell.has_pad || !modelled) continue;
    require_cell_built_whole(built, cell, design.bumps->pitch_m, design);
    const process::SolderBody& body = body_of(built, cell, design);
    cell.device_ring_m = body.pad_radius_m;
    cell.solder = body.shells.empty() ? design.bumps->alloy : built.film(body.shells.front().first).material;
    cell.shape = reflowed_joint_shape({body.pad_radius_m, b, body.volume_m3 - body.dip_volume_m3});
    cell.joint = static_cast<int>(bodies.size());
    standoffs.push_back(cell.shape.standoff_m);
    bodies.push_back(&body);
  }
  if (bodies.empty()) throw MeshError(fmt::format("{}: no populated bump site lies in the modelled part", design.name));
  const auto [lo, hi] = std::minmax_element(standoffs.begin(), standoffs.end());
  if (*hi - *lo > kStandoffSpread * *hi)
    throw MeshError(
        fmt::format("{}: the joints' own standoffs range from {:.2f} to {:.2f} um; a rigid device has one "
                    "(bumps of different volumes or pads are not modelled)",
                    design.name, *lo * 1e6, *hi * 1e6));
  double sum = 0;
  for (double h : standoffs) sum += h;
  a.standoff_m = sum / static_cast<double>(standoffs.size());
  a.wetted_process_nm = bodies.front()->z_base;
  for (const process::SolderBody* body : bodies)
    if (std::abs(layout::to_m(body->z_base - a.wetted_process_nm)) > options.plane_merge_tolerance_m)
      throw MeshError(
          fmt::format("{}: bump {} is wetted at z = {:.3f} um, bump {} at {:.3f} um; the mesher needs one "
                      "wetted plane",
                      design.name, body->site, layout::to_um(body->z_base), bodies.front()->site,
                      layout::to_um(a.wetted_process_nm)));
}

void list_joints(Assembly& a, const design::Design& design, const MeshOptions& options) {
  const design::Board& board = *design.board;
  double ring_sum = 0;
  int n_rings = 0;
  for (ArrayCell& cell : a.cells) {
    if (!cell.is_joint()) continue;
    cell.shape = shape_at_standoff(cell.shape.upper_pad_radius_m, cell.shape.lower_pad_radius_m, a.standoff_m);
    Joint joint;
    joint.site = cell.site;
    joint.x_m = cell.centre.x, joint.y_m = cell.centre.y;
    joint.distance_to_neutral_point_m = std::hypot(cell.centre.x, cell.centre.y);
    if (options.extent == MeshExtent::Package) set_symmetry_weight(joint, options.symmetry);
    joint.lower_z_m = board.copper_thickness_m, joint.upper_z_m = board.copper_thickness_m + a.standoff_m;
    joint.lower_pad_radius_m = cell.shape.lower_pad_radius_m, joint.upper_pad_radius_m = cell.shape.upper_pad_radius_m;
    joint.sphere_radius_m = cell.shape.sphere_radius_m;
    joint.sphere_centre_z_m = joint.lower_z_m + cell.shape.centre_above_lower_m;
    joint.volume_m3 = cell.shape.volume_m3;
    cell.joint = static_cast<int>(a.joints.size());
    a.joints.push_back(joint);
    if (a.representative < 0) a.representative = static_cast<int>(&cell - a.cells.data());
    ring_sum += cell.device_ring_m, ++n_rings;
  }
  // Depopulated (or unmodelled) cells take the mean wetted radius: their rings do not move.
  for (ArrayCell& cell : a.cells)
    if (!cell.is_joint()) cell.device_ring_m = ring_sum / n_rings;
}

}  // namespace

Assembly assemble(const design::Design& design, const process::WaferModel& built, const MeshOptions& options) {
  if (options.refinement < 1 || options.refinement > 12)
    throw MeshError(fmt::format("refinement {} is outside 1..12", options.refinement));
  const std::pair<const char*, double> positive[] = {
      {"interface_layer_thickness_m", options.interface_layer_thickness_m},
      {"plane_merge_tolerance_m", options.plane_merge_tolerance_m},
      {"remote_plane_merge_tolerance_m", options.remote_plane_merge_tolerance_m},
      {"radius_merge_tolerance_m", options.radius_merge_tolerance_m}};
  for (const auto& [name, value] : positive)
    if (!(value > 0)) throw MeshError(fmt::format("MeshOptions::{} must be positive, got {}", name, value));
  if (!(options.board_margin_m >= 0))
    throw MeshError(fmt::format("MeshOptions::board_margin_m must not be negative, got {}", options.board_margin_m));
  require_board_and_bumps(design);
  if (options.extent == MeshExtent::BuiltWindow && options.symmetry != Symmetry::Full)
    throw MeshError("a mesh of the built window (MeshExtent::BuiltWindow) has no symmetry planes: use Symmetry::Full");
  require_symmetric(design, options.symmetry);
  if (options.extent == MeshExtent::Package) require_window_covers_die(design, built, options.symmetry);
  Assembly a;
  a.board_pad_radius_m = design.board->pad_diameter_m / 2;
  a.mask_opening_radius_m = design.board->solder_mask_opening_m / 2;
  set_footprint(a, design, built, options);
  a.cells = array_cells(a, design);
  reflow_joints(a, design, built, options);
  list_joints(a, design, options);
  return a;
}

}  // namespace wlp::mesh::detail
