#include "process/wafer_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

namespace wlp::process {

using layout::region_and;
using layout::region_not;
using layout::region_or;

void normalize_stack(Stack& stack) {
  std::sort(stack.begin(), stack.end(), [](const Interval& a, const Interval& b) { return a.z_bottom < b.z_bottom; });
  Stack out;
  out.reserve(stack.size());
  for (const Interval& piece : stack) {
    if (piece.z_top <= piece.z_bottom) continue;
    if (!out.empty()) {
      Interval& last = out.back();
      const bool same = last.material == piece.material && last.film == piece.film && last.flags == piece.flags;
      if (same && last.z_top == piece.z_bottom) {
        last.z_top = piece.z_top;
        continue;
      }
    }
    out.push_back(piece);
  }
  stack = std::move(out);
}

Nm stack_top(const Stack& stack, Nm fallback) { return stack.empty() ? fallback : stack.back().z_top; }

std::string to_string(FilmKind kind) {
  switch (kind) {
    case FilmKind::Substrate: return "substrate";
    case FilmKind::Layer: return "layer";
    case FilmKind::Resist: return "resist";
    case FilmKind::Metal: return "metal";
    case FilmKind::Paste: return "paste";
    case FilmKind::Section: return "section";
    case FilmKind::Ball: return "ball";
    case FilmKind::Solder: return "solder";
  }
  return "?";
}

double SolderBody::centre_z_m() const {
  const double base_m = layout::to_m(z_base);
  if (shape == Shape::Sphere) return base_m + radius_m;
  return base_m + height_m - radius_m;
}

namespace {

std::size_t hash_stack(const Stack& stack) {
  std::size_t h = 1469598103934665603ULL;
  auto mix = [&h](std::uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  };
  for (const Interval& piece : stack) {
    mix(static_cast<std::uint64_t>(piece.z_bottom));
    mix(static_cast<std::uint64_t>(piece.z_top));
    mix((static_cast<std::uint64_t>(piece.material) << 24) | (static_cast<std::uint64_t>(piece.film) << 8) | piece.flags);
  }
  return h;
}

}  // namespace

WaferModel::WaferModel(const Box& window, const std::string& substrate_material, Nm substrate_thickness,
                       const TileGrid& grid)
    : window_(window) {
  if (window.width() <= 0 || window.height() <= 0) throw std::invalid_argument("wafer model: empty window");
  if (grid.pitch <= 0) throw std::invalid_argument("wafer model: tile pitch must be positive");
  const MaterialIndex si = material_index(substrate_material);
  const FilmIndex film = add_film(Film{"substrate", substrate_material, FilmKind::Substrate, 0});
  const StackId id = intern(Stack{Interval{-substrate_thickness, 0, si, film, 0}});
  // Tile edges at origin + k * pitch, clipped to the window.
  auto first_edge = [&](Nm lo, Nm origin) {
    const Nm k = (lo - origin) / grid.pitch - ((lo - origin) % grid.pitch < 0 ? 1 : 0);
    return origin + k * grid.pitch;
  };
  for (Nm y = first_edge(window.lo.y, grid.origin.y); y < window.hi.y; y += grid.pitch)
    for (Nm x = first_edge(window.lo.x, grid.origin.x); x < window.hi.x; x += grid.pitch) {
      const Box tile{{std::max(x, window.lo.x), std::max(y, window.lo.y)},
                     {std::min(x + grid.pitch, window.hi.x), std::min(y + grid.pitch, window.hi.y)}};
      if (tile.width() <= 0 || tile.height() <= 0) continue;
      tiles_.push_back(tile);
      cells_.push_back(Cell{id, Region{layout::box_polygon(tile)}, static_cast<int>(tiles_.size() - 1)});
    }
}

Region WaferModel::window_region() const { return Region{layout::box_polygon(window_)}; }

MaterialIndex WaferModel::material_index(const std::string& material_id) {
  for (std::size_t i = 0; i < materials_.size(); ++i)
    if (materials_[i] == material_id) return static_cast<MaterialIndex>(i);
  if (materials_.size() >= std::numeric_limits<MaterialIndex>::max()) throw std::length_error("too many materials");
  materials_.push_back(material_id);
  return static_cast<MaterialIndex>(materials_.size() - 1);
}

FilmIndex WaferModel::add_film(Film film) {
  if (films_.size() >= std::numeric_limits<FilmIndex>::max()) throw std::length_error("too many films");
  films_.push_back(std::move(film));
  return static_cast<FilmIndex>(films_.size() - 1);
}

std::vector<FilmIndex> WaferModel::films_named(const std::string& name) const {
  std::vector<FilmIndex> found;
  for (std::size_t i = 0; i < films_.size(); ++i)
    if (films_[i].name == name) found.push_back(static_cast<FilmIndex>(i));
  return found;
}

StackId WaferModel::intern(Stack stack) {
  normalize_stack(stack);
  const std::size_t h = hash_stack(stack);
  auto& bucket = pool_index_[h];
  for (StackId id : bucket)
    if (pool_[id] == stack) return id;
  pool_.push_back(std::move(stack));
  const auto id = static_cast<StackId>(pool_.size() - 1);
  bucket.push_back(id);
  return id;
}

void WaferModel::set_cells(PartsByCell by_cell) {
  cells_.clear();
  for (auto& [key, parts] : by_cell) {
    Region region;
    if (parts.size() == 1) {
      region = std::move(parts.front());  // one piece: already merged, nothing to union
    } else {
      for (Region& part : parts) layout::append(region, part);
      region = layout::merged(region);
    }
    if (region.empty()) continue;
    cells_.push_back(Cell{key.second, std::move(region), key.first});
  }
  // A stable order (by tile, then stack id) keeps every output reproducible and groups the
  // cells of a tile.
  std::sort(cells_.begin(), cells_.end(),
            [](const Cell& a, const Cell& b) { return a.tile != b.tile ? a.tile < b.tile : a.stack < b.stack; });
}

void WaferModel::edit(const StackEdit& edit_fn) {
  edit_where([](const Stack&) { return true; }, edit_fn);
}

void WaferModel::edit_inside(const Region& where, const StackEdit& edit_fn) { edit_zones({EditZone{where, edit_fn}}); }

void WaferModel::edit_where(const std::function<bool(const Stack&)>& test, const StackEdit& edit_fn) {
  PartsByCell by_cell;
  std::unordered_map<StackId, StackId> done;
  for (Cell& cell : cells_) {
    StackId id = cell.stack;
    if (test(pool_[cell.stack])) {
      auto it = done.find(cell.stack);
      if (it == done.end()) it = done.emplace(cell.stack, intern(edit_fn(pool_[cell.stack]))).first;
      id = it->second;
    }
    by_cell[{cell.tile, id}].push_back(std::move(cell.region));
  }
  set_cells(std::move(by_cell));
}

namespace {

bool box_inside(const Box& inner, const Box& outer) {
  return inner.lo.x >= outer.lo.x && inner.lo.y >= outer.lo.y && inner.hi.x <= outer.hi.x && inner.hi.y <= outer.hi.y;
}

}  // namespace

/// The zones' polygons within a tile: those inside it as they are, those across its edge
/// clipped to it.
std::vector<WaferModel::ZonePiece> WaferModel::pieces_in_tile(const std::vector<EditZone>& zones, const Box& tile) {
  std::vector<ZonePiece> pieces;
  const Region tile_region{layout::box_polygon(tile)};
  for (std::size_t z = 0; z < zones.size(); ++z)
    for (const layout::Polygon& polygon : zones[z].region) {
      if (polygon.outer.size() < 3) continue;
      const Box box = layout::bounding_box(polygon.outer);
      if (!box.overlaps(tile)) continue;
      if (box_inside(box, tile)) {
        pieces.push_back(ZonePiece{polygon, box, z});
        continue;
      }
      for (layout::Polygon& clipped : region_and(Region{polygon}, tile_region)) {
        const Box clipped_box = layout::bounding_box(clipped.outer);
        pieces.push_back(ZonePiece{std::move(clipped), clipped_box, z});
      }
    }
  return pieces;
}

void WaferModel::edit_zones(const std::vector<EditZone>& zones, const Region* covered) {
  if (zones.empty()) return;
  edit_by_tile([&](const Box&) -> const std::vector<EditZone>& { return zones; }, covered);
}

void WaferModel::edit_tiles(const TileZones& zones_of) {
  std::vector<EditZone> zones;
  edit_by_tile([&](const Box& tile) -> const std::vector<EditZone>& { return zones = zones_of(tile); }, nullptr);
}

void WaferModel::edit_by_tile(const std::function<const std::vector<EditZone>&(const Box&)>& zones_of,
                              const Region* covered) {
  const std::vector<EditZone> covered_zone = covered ? std::vector<EditZone>{EditZone{*covered, {}}} : std::vector<EditZone>{};
  PartsByCell by_cell;
  EditMemo done;
  std::size_t begin = 0;
  while (begin < cells_.size()) {  // cells are sorted by tile
    const int tile = cells_[begin].tile;
    std::size_t end = begin;
    while (end < cells_.size() && cells_[end].tile == tile) ++end;
    const std::vector<EditZone>& zones = zones_of(tiles_[static_cast<std::size_t>(tile)]);
    const std::vector<ZonePiece> pieces = pieces_in_tile(zones, tiles_[static_cast<std::size_t>(tile)]);
    const std::vector<ZonePiece> covered_pieces =
        pieces.empty() ? std::vector<ZonePiece>{} : pieces_in_tile(covered_zone, tiles_[static_cast<std::size_t>(tile)]);
    done.clear();  // zones may differ from tile to tile
    for (std::size_t c = begin; c < end; ++c) {
      if (pieces.empty()) by_cell[{tile, cells_[c].stack}].push_back(std::move(cells_[c].region));
      else edit_cell(cells_[c], zones, pieces, covered_pieces, done, by_cell);
    }
    begin = end;
  }
  set_cells(std::move(by_cell));
}

void WaferModel::edit_cell(Cell& cell, const std::vector<EditZone>& zones, const std::vector<ZonePiece>& pieces,
                           const std::vector<ZonePiece>& covered, EditMemo& done, PartsByCell& by_cell) {
  auto edited = [&](std::size_t zone) {
    auto it = done.find({cell.stack, zone});
    if (it == done.end()) it = done.emplace(std::pair{cell.stack, zone}, intern(zones[zone].edit(pool_[cell.stack]))).first;
    return it->second;
  };
  std::vector<Region> near(zones.size());
  Region untouched;
  for (layout::Polygon& polygon : cell.region) {
    // Only the zone polygons whose boxes overlap this polygon's take part in its booleans.
    const Box box = layout::bounding_box(polygon.outer);
    for (Region& r : near) r.clear();
    bool any = false;
    for (const ZonePiece& piece : pieces)
      if (piece.box.overlaps(box)) near[piece.zone].push_back(piece.polygon), any = true;
    if (!any) {
      untouched.push_back(std::move(polygon));
      continue;
    }
    const Region alone{polygon};
    Region out = alone;
    bool changed = false, unchanged_zone = false;
    for (std::size_t z = 0; z < zones.size(); ++z) {
      if (near[z].empty()) continue;
      Region in = region_and(alone, near[z]);
      if (in.empty()) continue;
      const StackId id = edited(z);
      if (id == cell.stack) {  // the edit changes nothing here: the piece stays with the rest
        unchanged_zone = true;
        continue;
      }
      by_cell[{cell.tile, id}].push_back(std::move(in));
      changed = true;
      // Without the zones' union, subtract zone by zone: one clip made of many touching
      // zones (concentric rings) sends Clipper into quadratic edge joining.
      if (covered.empty()) out = region_not(out, near[z]);
    }
    if (!changed) {
      untouched.push_back(std::move(polygon));
      continue;
    }
    if (!covered.empty()) {
      if (unchanged_zone) {  // the unchanged zones' parts stay: subtract only the changed ones
        for (std::size_t z = 0; z < zones.size(); ++z)
          if (!near[z].empty() && edited(z) != cell.stack) out = region_not(out, near[z]);
      } else {
        Region hull;
        for (const ZonePiece& piece : covered)
          if (piece.box.overlaps(box)) hull.push_back(piece.polygon);
        out = region_not(alone, hull);
      }
    }
    layout::append(untouched, std::move(out));
  }
  if (!untouched.empty()) by_cell[{cell.tile, cell.stack}].push_back(std::move(untouched));
}

Region WaferModel::region_where(const std::function<bool(const Stack&)>& test) const {
  Region found;
  for (const Cell& cell : cells_)
    if (test(pool_[cell.stack])) layout::append(found, cell.region);
  return found;  // cells are disjoint: a valid region for booleans and areas without a union
}

Region WaferModel::region_where(const std::function<bool(const Stack&)>& test, const Box& near) const {
  Region found;
  for (const Cell& cell : cells_) {
    if (!tiles_[static_cast<std::size_t>(cell.tile)].overlaps(near) || !test(pool_[cell.stack])) continue;
    for (const layout::Polygon& polygon : cell.region)
      if (layout::bounding_box(polygon.outer).overlaps(near)) found.push_back(polygon);
  }
  return found;
}

const Stack& WaferModel::stack_at(Point p) const {
  static const Stack empty;
  for (const Cell& cell : cells_) {
    if (!tiles_[static_cast<std::size_t>(cell.tile)].contains(p)) continue;
    for (const layout::Polygon& polygon : cell.region)
      if (layout::bounding_box(polygon.outer).contains(p) && layout::contains(polygon, p)) return pool_[cell.stack];
  }
  return empty;
}

Nm WaferModel::highest_top() const {
  Nm top = std::numeric_limits<Nm>::min();
  for (const Cell& cell : cells_) top = std::max(top, stack_top(pool_[cell.stack], top));
  return top;
}

Nm WaferModel::lowest_top() const {
  Nm low = std::numeric_limits<Nm>::max();
  for (const Cell& cell : cells_) {
    const Stack& s = pool_[cell.stack];
    if (!s.empty()) low = std::min(low, s.back().z_top);
  }
  return low;
}

double WaferModel::mean_top_nm() const {
  double sum = 0, area = 0;
  for (const Cell& cell : cells_) {
    const Stack& s = pool_[cell.stack];
    if (s.empty()) continue;
    const double a = layout::area_um2(cell.region);
    sum += a * static_cast<double>(s.back().z_top);
    area += a;
  }
  return area > 0 ? sum / area : 0.0;
}

std::vector<double> WaferModel::film_volumes_m3() const {
  std::vector<double> volume(films_.size(), 0.0);
  for (const Cell& cell : cells_) {
    const double area_m2 = layout::area_um2(cell.region) * 1e-12;
    for (const Interval& piece : pool_[cell.stack]) volume[piece.film] += area_m2 * layout::to_m(piece.thickness());
  }
  return volume;
}

std::size_t WaferModel::memory_bytes() const {
  std::size_t bytes = 0;
  for (const Stack& s : pool_) bytes += sizeof(Stack) + s.capacity() * sizeof(Interval);
  for (const Cell& cell : cells_) {
    bytes += sizeof(Cell);
    for (const auto& polygon : cell.region) {
      bytes += sizeof(polygon) + polygon.outer.capacity() * sizeof(Point);
      for (const auto& hole : polygon.holes) bytes += sizeof(hole) + hole.capacity() * sizeof(Point);
    }
  }
  return bytes;
}

std::size_t WaferModel::vertex_count() const {
  std::size_t n = 0;
  for (const Cell& cell : cells_) n += layout::vertex_count(cell.region);
  return n;
}

}  // namespace wlp::process
