// The 3D wafer model of the virtual fab: a window of the wafer cut into xy cells, each cell a
// column of z-intervals (one material each). Cells follow the mask edges exactly (their
// outlines are int64-nanometre polygons, the layout's own geometry), z is exact to 1 nm, and
// everything that is the same in xy shares one cell, so memory grows with the number of
// distinct columns and of their outlines' vertices, not with the window's area or volume.
//
//   - gaps between the intervals of a column are voids (air): overhangs (a mushroom of plating
//     over the resist, a ball above its equator) and enclosed cavities (the via a burnt-out
//     photoresist pillar leaves under spin-on glass) are ordinary columns;
//   - a stack (one column) is interned once in a pool; a cell is a stack id and the region
//     where the wafer has that column. Steps map stacks to stacks, inside or outside a mask
//     region, so a blanket step over a whole die costs one edit per distinct column;
//   - the window is cut into square tiles (a bump pitch by default) and a cell never crosses a
//     tile edge: every boolean works on one tile's polygons, so the cost of a step grows
//     linearly with the window's area instead of with the square of the largest polygon's
//     vertex count (a die-wide field with thousands of holes);
//   - curved solder (balls, reflowed caps) is kept twice: analytically (SolderBody, for
//     drawings and metrology) and as concentric rings of columns (for volumes and 3D output).
//
// docs/process-model.md describes the model and its limits.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "layout/geometry.h"

namespace wlp::process {

using layout::Box;
using layout::Nm;
using layout::Point;
using layout::Region;

using MaterialIndex = std::uint16_t;
using FilmIndex = std::uint16_t;
using StackId = std::uint32_t;

/// Flags of an interval's state.
enum StateFlag : std::uint8_t {
  kLiquid = 1,   // spin-coated, not yet cured (liquid glass, uncured polymer)
  kExposed = 2,  // resist or photosensitive layer that received light (latent image)
  kPaste = 4,    // printed paste: filler in an uncured binder, or solder paste before reflow
};

/// One piece of material in a column, from z_bottom to z_top (nm, z = 0 at the wafer's
/// original surface, silicon below).
struct Interval {
  Nm z_bottom = 0, z_top = 0;
  MaterialIndex material = 0;
  FilmIndex film = 0;
  std::uint8_t flags = 0;
  [[nodiscard]] Nm thickness() const { return z_top - z_bottom; }
  [[nodiscard]] bool has(StateFlag flag) const { return (flags & flag) != 0; }
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// A column: intervals in ascending z, not overlapping. Touching intervals of the same
/// material, film and state are merged (normalize_stack), so equal columns compare equal.
using Stack = std::vector<Interval>;

/// Merges touching equal intervals and drops empty ones.
void normalize_stack(Stack& stack);
/// Top of the highest interval (the column's surface), or `fallback` for an empty column.
Nm stack_top(const Stack& stack, Nm fallback = 0);

/// What made a film: a stack layer of the design, a resist, a plated feature, a ball...
enum class FilmKind { Substrate, Layer, Resist, Metal, Paste, Section, Ball, Solder };
std::string to_string(FilmKind kind);

/// One body of material put on the wafer by one step (a film, a plated feature, the balls).
struct Film {
  std::string name;      // stack layer name, or what the step made ("electroplate-rdl")
  std::string material;  // material id
  FilmKind kind = FilmKind::Layer;
  int step = 0;          // 1-based recipe step that made it (0: the substrate)
  bool negative_tone = false;  // resists: developer removes the unexposed part
  bool developed = false;      // resists and photosensitive layers: developed once
};

/// A region of one tile of the window where the wafer has one column.
struct Cell {
  StackId stack = 0;
  Region region;
  int tile = 0;  // index into WaferModel::tiles()
};

/// The square tiles the window is cut into: side `pitch`, edges on origin + k * pitch.
struct TileGrid {
  Nm pitch = 500'000;
  Point origin{};
};

/// An analytic solder or ball body at one site, for drawings and metrology.
struct SolderBody {
  enum class Shape {
    Sphere,  // a placed ball: sphere of `radius`, lowest point at z_base
    Cap,     // a reflowed bump: sphere of `radius` cut by the pad plane z_base, pinned on a
             // wetted disc of `pad_radius`, its top `height` above the plane
  };
  Shape shape = Shape::Sphere;
  std::string site;             // land name
  Point centre;                 // xy of the axis
  Nm z_base = 0;
  double radius_m = 0;
  double pad_radius_m = 0;      // Cap
  double height_m = 0;          // Cap: cap height; Sphere: diameter
  double volume_m3 = 0;          // all the solder: the cap plus what fills the pad's hollows
  Nm z_floor = 0;                // Cap: lowest point of the wetted pad (z_base on a flat pad)
  double dip_volume_m3 = 0;      // Cap: solder below the pad plane, in the pad's hollows
  /// Films from the core outwards with their outer radius (a metallized plastic ball: core,
  /// Ni, Au); a solder ball or cap has one.
  std::vector<std::pair<FilmIndex, double>> shells;
  /// Centre of the sphere (z, nm).
  [[nodiscard]] double centre_z_m() const;
};

class WaferModel {
 public:
  /// A window of the wafer (die coordinates, nm) holding `substrate` from z = -thickness to 0.
  WaferModel(const Box& window, const std::string& substrate_material, Nm substrate_thickness,
             const TileGrid& grid = {});

  [[nodiscard]] const Box& window() const { return window_; }
  [[nodiscard]] Region window_region() const;
  /// The tiles (window boxes) cells are confined to.
  [[nodiscard]] const std::vector<Box>& tiles() const { return tiles_; }

  // --- materials and films ----------------------------------------------------------------
  MaterialIndex material_index(const std::string& material_id);  // registered on first use
  [[nodiscard]] const std::string& material_id(MaterialIndex index) const { return materials_.at(index); }
  [[nodiscard]] std::size_t material_count() const { return materials_.size(); }
  FilmIndex add_film(Film film);
  [[nodiscard]] const Film& film(FilmIndex index) const { return films_.at(index); }
  Film& film_for_update(FilmIndex index) { return films_.at(index); }
  [[nodiscard]] std::size_t film_count() const { return films_.size(); }
  /// Films made from a stack layer of the design (by name), newest last.
  [[nodiscard]] std::vector<FilmIndex> films_named(const std::string& name) const;

  // --- columns -----------------------------------------------------------------------------
  StackId intern(Stack stack);  // normalizes, then returns the pool id
  [[nodiscard]] const Stack& stack(StackId id) const { return pool_.at(id); }
  [[nodiscard]] const std::vector<Cell>& cells() const { return cells_; }
  [[nodiscard]] std::size_t stack_pool_size() const { return pool_.size(); }

  using StackEdit = std::function<Stack(const Stack&)>;
  /// Applies `edit` to every column of the window.
  void edit(const StackEdit& edit);
  /// Applies `edit` to the columns inside `where` (clipped to the window); others unchanged.
  void edit_inside(const Region& where, const StackEdit& edit);
  /// One edit per zone; the zones must not overlap (each column is edited at most once, as it
  /// was before the call). One pass over the cells whatever the number of zones.
  struct EditZone {
    Region region;
    StackEdit edit;
  };
  /// `covered`, when given, is the union of the zones (the caller knows it: the outer disc of a
  /// ball's rings): the columns outside it are left by one subtraction instead of one per zone.
  void edit_zones(const std::vector<EditZone>& zones, const Region* covered = nullptr);
  /// The general form: `zones_of(tile box)` gives the (disjoint) zones to edit in that tile,
  /// built from what is near it only; zones may reach outside the tile (they are clipped).
  using TileZones = std::function<std::vector<EditZone>(const Box& tile)>;
  void edit_tiles(const TileZones& zones_of);
  /// Applies `edit` to the cells whose column satisfies `test`: whole cells, no geometry.
  void edit_where(const std::function<bool(const Stack&)>& test, const StackEdit& edit);
  /// The cells whose column satisfies `test`: disjoint polygons, not merged (touching pieces
  /// stay apart; call layout::merged to iterate over connected pieces).
  [[nodiscard]] Region region_where(const std::function<bool(const Stack&)>& test) const;
  /// The same, only the cell polygons whose bounding boxes overlap `near`.
  [[nodiscard]] Region region_where(const std::function<bool(const Stack&)>& test, const Box& near) const;
  /// The column at a point (the first cell containing it; an empty column outside the window).
  [[nodiscard]] const Stack& stack_at(Point p) const;
  /// Highest surface in the window, and lowest.
  [[nodiscard]] Nm highest_top() const;
  [[nodiscard]] Nm lowest_top() const;
  /// Area-weighted mean surface height over the window (nm).
  [[nodiscard]] double mean_top_nm() const;

  // --- measures ----------------------------------------------------------------------------
  /// Volume of each film, m³ (the column representation, so balls count as their rings).
  [[nodiscard]] std::vector<double> film_volumes_m3() const;
  /// Total memory held by cells and the stack pool (bytes, approximate).
  [[nodiscard]] std::size_t memory_bytes() const;
  /// Number of vertices of all cell outlines.
  [[nodiscard]] std::size_t vertex_count() const;

  std::vector<SolderBody> bodies;  // balls and caps, by site

 private:
  using Parts = std::vector<Region>;  // pieces of one future cell, each already merged
  using CellKey = std::pair<int, StackId>;  // (tile, stack)
  struct CellKeyHash {
    std::size_t operator()(const CellKey& k) const { return std::hash<std::uint64_t>()((std::uint64_t(k.first) << 32) ^ k.second); }
  };
  using PartsByCell = std::unordered_map<CellKey, Parts, CellKeyHash>;
  void set_cells(PartsByCell by_cell);
  /// A polygon of an edit zone within one tile, with its bounding box.
  struct ZonePiece {
    layout::Polygon polygon;
    Box box;
    std::size_t zone;
  };
  void edit_by_tile(const std::function<const std::vector<EditZone>&(const Box&)>& zones_of, const Region* covered);
  static std::vector<ZonePiece> pieces_in_tile(const std::vector<EditZone>& zones, const Box& tile);
  using EditMemo = std::map<std::pair<StackId, std::size_t>, StackId>;  // (stack, zone) -> edited
  void edit_cell(Cell& cell, const std::vector<EditZone>& zones, const std::vector<ZonePiece>& pieces,
                 const std::vector<ZonePiece>& covered, EditMemo& done, PartsByCell& by_cell);

  Box window_;
  std::vector<Box> tiles_;
  std::vector<std::string> materials_;
  std::vector<Film> films_;
  std::vector<Stack> pool_;
  std::unordered_map<std::size_t, std::vector<StackId>> pool_index_;  // hash → ids
  std::vector<Cell> cells_;
};

}  // namespace wlp::process
