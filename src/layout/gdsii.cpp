// GDSII pieces shared by the writer and the reader: the 8-byte real, record names, the cell
// hierarchy (lookup, cycles) and flattening. Serialisation is in gdsii_write.cpp, parsing in
// gdsii_read.cpp.
#include "layout/gdsii.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <map>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "design/diagnostics.h"

namespace wlp::layout::gds {

// --- 8-byte real --------------------------------------------------------------------------------

namespace {

// ceil(a / 4) for negative a too (C++ division truncates toward zero).
int ceil_div4(int a) { return a >= 0 ? (a + 3) / 4 : -((-a) / 4); }

}  // namespace

std::array<std::uint8_t, 8> encode_real8(double value) {
  if (!std::isfinite(value)) throw std::invalid_argument("GDSII real: cannot encode a NaN or infinity");
  std::array<std::uint8_t, 8> bytes{};
  if (value == 0) return bytes;  // -0 too: GDSII has one zero, all bits clear
  int exponent2 = 0;
  const double fraction = std::frexp(std::fabs(value), &exponent2);  // |value| = fraction·2^e, fraction in [0.5, 1)
  int exponent16 = ceil_div4(exponent2);
  // |value| = mantissa·2^-56·16^exponent16 with the mantissa in [2^52, 2^56): a double's 53-bit
  // significand shifted left by 53..56 places, so the integer is exact and decoding gives it back.
  auto mantissa = static_cast<std::uint64_t>(std::ldexp(fraction, exponent2 - 4 * exponent16 + 56));
  int biased = exponent16 + 64;
  if (biased > 127) throw std::invalid_argument(fmt::format("GDSII real: {} is beyond the range of 16^63", value));
  if (biased < 0) {  // below 16^-64: denormalise, rounding to nearest, or flush to zero
    const int shift = 4 * -biased;
    mantissa = shift >= 60 ? 0 : (mantissa + (std::uint64_t{1} << (shift - 1))) >> shift;
    biased = 0;
    if (mantissa == 0) return bytes;
  }
  bytes[0] = static_cast<std::uint8_t>((value < 0 ? 0x80 : 0) | biased);
  for (int i = 7; i >= 1; --i, mantissa >>= 8) bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(mantissa & 0xFF);
  return bytes;
}

double decode_real8(const std::uint8_t* bytes) {
  std::uint64_t mantissa = 0;
  for (int i = 1; i < 8; ++i) mantissa = mantissa << 8 | bytes[i];
  const int exponent16 = (bytes[0] & 0x7F) - 64;
  // A 56-bit mantissa rounds to the nearest double here (within half an ulp); the power of two is exact.
  const double magnitude = std::ldexp(static_cast<double>(mantissa), 4 * exponent16 - 56);
  return (bytes[0] & 0x80) ? -magnitude : magnitude;
}

// --- records, dates, lookup ---------------------------------------------------------------------

std::string record_name(std::uint8_t record_type) {
  static constexpr std::array<const char*, 0x3C> names = {
      "HEADER",   "BGNLIB",      "LIBNAME",  "UNITS",     "ENDLIB",   "BGNSTR",     "STRNAME",    "ENDSTR",
      "BOUNDARY", "PATH",        "SREF",     "AREF",      "TEXT",     "LAYER",      "DATATYPE",   "WIDTH",
      "XY",       "ENDEL",       "SNAME",    "COLROW",    "TEXTNODE", "NODE",       "TEXTTYPE",   "PRESENTATION",
      "SPACING",  "STRING",      "STRANS",   "MAG",       "ANGLE",    "UINTEGER",   "USTRING",    "REFLIBS",
      "FONTS",    "PATHTYPE",    "GENERATIONS", "ATTRTABLE", "STYPTABLE", "STRTYPE", "ELFLAGS",   "ELKEY",
      "LINKTYPE", "LINKKEYS",    "NODETYPE", "PROPATTR",  "PROPVALUE", "BOX",       "BOXTYPE",    "PLEX",
      "BGNEXTN",  "ENDEXTN",     "TAPENUM",  "TAPECODE",  "STRCLASS", "RESERVED",   "FORMAT",     "MASK",
      "ENDMASKS", "LIBDIRSIZE",  "SRFNAME",  "LIBSECUR"};
  if (record_type < names.size()) return names[record_type];
  return fmt::format("record 0x{:02X}", record_type);
}

Timestamps current_timestamps() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  const std::array<int, 6> date = {local.tm_year + 1900, local.tm_mon + 1, local.tm_mday,
                                   local.tm_hour,        local.tm_min,     local.tm_sec};
  Timestamps stamps{};
  for (std::size_t i = 0; i < 12; ++i) stamps[i] = static_cast<std::int16_t>(date[i % 6]);
  return stamps;
}

const Cell* Library::find(std::string_view cell_name) const {
  const auto it = std::find_if(cells.begin(), cells.end(), [&](const Cell& cell) { return cell.name == cell_name; });
  return it == cells.end() ? nullptr : &*it;
}

void add_polygon(Cell& cell, LayerSpec layer, const Polygon& polygon) {
  if (polygon.holes.empty() && polygon.outer.size() <= 8190) {
    cell.boundaries.push_back({layer, polygon.outer});
    return;
  }
  for (Ring& ring : fractured(polygon, 8190)) cell.boundaries.push_back({layer, std::move(ring)});
}

// --- hierarchy ----------------------------------------------------------------------------------

namespace {

using CellIndex = std::unordered_map<std::string_view, std::size_t>;

CellIndex index_cells(const Library& library) {
  CellIndex index;
  for (std::size_t i = 0; i < library.cells.size(); ++i) index.emplace(library.cells[i].name, i);
  return index;
}

// Children of a cell by index, SREFs then AREFs, skipping names not in the library.
std::vector<std::size_t> children_of(const Cell& cell, const CellIndex& index) {
  std::vector<std::size_t> children;
  auto add = [&](const std::string& name) {
    if (const auto it = index.find(name); it != index.end()) children.push_back(it->second);
  };
  for (const CellRef& ref : cell.refs) add(ref.cell);
  for (const CellArray& array : cell.arrays) add(array.cell);
  return children;
}

enum class Mark { Unvisited, OnStack, Done };

// Depth-first search; on finding a back edge, fills `cycle` with the cells from the repeated one on.
bool find_cycle_from(std::size_t cell, const Library& library, const CellIndex& index, std::vector<Mark>& marks,
                     std::vector<std::size_t>& stack, std::vector<std::string>& cycle) {
  marks[cell] = Mark::OnStack;
  stack.push_back(cell);
  for (const std::size_t child : children_of(library.cells[cell], index)) {
    if (marks[child] == Mark::OnStack) {
      const auto start = std::find(stack.begin(), stack.end(), child);
      for (auto it = start; it != stack.end(); ++it) cycle.push_back(library.cells[*it].name);
      cycle.push_back(library.cells[child].name);
      return true;
    }
    if (marks[child] == Mark::Unvisited && find_cycle_from(child, library, index, marks, stack, cycle)) return true;
  }
  stack.pop_back();
  marks[cell] = Mark::Done;
  return false;
}

}  // namespace

std::vector<std::string> reference_cycle(const Library& library) {
  const CellIndex index = index_cells(library);
  std::vector<Mark> marks(library.cells.size(), Mark::Unvisited);
  std::vector<std::size_t> stack;
  std::vector<std::string> cycle;
  for (std::size_t i = 0; i < library.cells.size(); ++i)
    if (marks[i] == Mark::Unvisited && find_cycle_from(i, library, index, marks, stack, cycle)) break;
  return cycle;
}

// --- flattening ---------------------------------------------------------------------------------

namespace {

// x' = xx·x + xy·y + dx, y' = yx·x + yy·y + dy.
struct Affine {
  double xx = 1, xy = 0, yx = 0, yy = 1, dx = 0, dy = 0;

  [[nodiscard]] Point apply(Point p) const {
    const auto x = static_cast<double>(p.x), y = static_cast<double>(p.y);
    return {std::llround(xx * x + xy * y + dx), std::llround(yx * x + yy * y + dy)};
  }
  [[nodiscard]] Affine then(const Affine& outer) const {  // outer ∘ this
    return {outer.xx * xx + outer.xy * yx, outer.xx * xy + outer.xy * yy, outer.yx * xx + outer.yy * yx,
            outer.yx * xy + outer.yy * yy, outer.xx * dx + outer.xy * dy + outer.dx,
            outer.yx * dx + outer.yy * dy + outer.dy};
  }
};

// cos and sin of an angle in degrees, exact for multiples of 90° so that orthogonal placements
// move vertices by whole nanometres without rounding.
std::pair<double, double> cos_sin_deg(double degrees) {
  const double turns = degrees / 90.0;
  if (turns == std::round(turns)) {
    static constexpr std::array<std::pair<double, double>, 4> quadrant = {{{1, 0}, {0, 1}, {-1, 0}, {0, -1}}};
    const long long q = ((std::llround(turns) % 4) + 4) % 4;
    return quadrant[static_cast<std::size_t>(q)];
  }
  const double radians = degrees * std::acos(-1.0) / 180.0;
  return {std::cos(radians), std::sin(radians)};
}

// Reflect about x, magnify, rotate, translate (GDSII STRANS order).
Affine placement(const Transform& transform, Point origin) {
  const auto [c, s] = cos_sin_deg(transform.angle_deg);
  const double m = transform.magnification, f = transform.reflect_x ? -1.0 : 1.0;
  return {m * c, -m * s * f, m * s, m * c * f, static_cast<double>(origin.x), static_cast<double>(origin.y)};
}

Polygon transformed(const Polygon& polygon, const Affine& affine) {
  Polygon out;
  out.outer.reserve(polygon.outer.size());
  for (const Point& p : polygon.outer) out.outer.push_back(affine.apply(p));
  for (const Ring& hole : polygon.holes) {
    Ring& ring = out.holes.emplace_back();
    for (const Point& p : hole) ring.push_back(affine.apply(p));
  }
  return out;
}

// Moves an end point along its segment by `extension` (negative shortens), rounded to the grid.
Point extended_end(Point end, Point neighbour, Nm extension) {
  const double ux = static_cast<double>(end.x - neighbour.x), uy = static_cast<double>(end.y - neighbour.y);
  const double length = std::hypot(ux, uy);
  if (length == 0 || extension == 0) return end;
  const double k = static_cast<double>(extension) / length;
  return {end.x + std::llround(ux * k), end.y + std::llround(uy * k)};
}

// PATHTYPE 0 flush, 2 half-width extension, 4 custom extensions (moved end points, then flush).
// PATHTYPE 1 (round ends) is drawn as 2: the half-width square covers the half disc, so the
// outline is larger by (1 − π/4)·w²/2 per end — small for thin wires, and wlpkit writes no type 1.
Polygon path_outline(const PathElement& element) {
  Path path{element.points, element.width < 0 ? -element.width : element.width, PathEnds::Flush};
  if (element.path_type == 1 || element.path_type == 2) path.ends = PathEnds::Extended;
  if (path.points.size() == 1) {  // a single point: a square for extended ends, nothing when flush
    if (path.ends == PathEnds::Flush || path.width == 0) return {};
    return square(path.points.front(), path.width);
  }
  if (element.path_type == 4 && path.points.size() >= 2) {
    auto& p = path.points;
    p.front() = extended_end(p[0], p[1], element.begin_extension);
    p.back() = extended_end(p[p.size() - 1], p[p.size() - 2], element.end_extension);
  }
  return path_polygon(path);
}

struct LayerOrder {
  bool operator()(const LayerSpec& a, const LayerSpec& b) const {
    return a.layer != b.layer ? a.layer < b.layer : a.datatype < b.datatype;
  }
};

using LayerShapes = std::map<LayerSpec, Region, LayerOrder>;

// Resolves names once and caches each cell's own polygons (path outlines included), so an
// array of 10 000 instances outlines its cell's paths once.
class Flattener {
 public:
  explicit Flattener(const Library& library) : library_(library), index_(index_cells(library)) {
    if (const auto cycle = reference_cycle(library); !cycle.empty())
      throw std::invalid_argument(fmt::format("GDSII flatten: cell reference cycle {}", design::joined(cycle, " -> ")));
  }

  std::size_t cell_index(std::string_view name) const {
    const auto it = index_.find(name);
    if (it == index_.end()) throw std::invalid_argument(fmt::format("GDSII flatten: no cell named '{}'", name));
    return it->second;
  }

  void emit(std::size_t cell, const Affine& affine, LayerShapes& out) {
    for (const auto& [layer, polygons] : own_shapes(cell))
      for (const Polygon& polygon : polygons) out[layer].push_back(transformed(polygon, affine));
    const Cell& c = library_.cells[cell];
    for (const CellRef& ref : c.refs) emit(cell_index(ref.cell), placement(ref.transform, ref.origin).then(affine), out);
    for (const CellArray& array : c.arrays) {
      const std::size_t child = cell_index(array.cell);
      for (Nm row = 0; row < array.rows; ++row)
        for (Nm column = 0; column < array.columns; ++column) {
          const Point origin{array.origin.x + column * array.column_step.x + row * array.row_step.x,
                             array.origin.y + column * array.column_step.y + row * array.row_step.y};
          emit(child, placement(array.transform, origin).then(affine), out);
        }
    }
  }

 private:
  const LayerShapes& own_shapes(std::size_t cell) {
    if (const auto it = cache_.find(cell); it != cache_.end()) return it->second;
    LayerShapes shapes;
    const Cell& c = library_.cells[cell];
    for (const Boundary& boundary : c.boundaries) shapes[boundary.layer].push_back({boundary.points, {}});
    for (const PathElement& path : c.paths)
      if (Polygon outline = path_outline(path); !outline.outer.empty()) shapes[path.layer].push_back(std::move(outline));
    return cache_.emplace(cell, std::move(shapes)).first->second;
  }

  const Library& library_;
  CellIndex index_;
  std::unordered_map<std::size_t, LayerShapes> cache_;
};

}  // namespace

std::vector<FlatLayer> flatten(const Library& library, std::string_view top_cell) {
  Flattener flattener(library);
  LayerShapes shapes;
  flattener.emit(flattener.cell_index(top_cell), Affine{}, shapes);
  std::vector<FlatLayer> layers;
  for (auto& [layer, region] : shapes) layers.push_back({layer, merged(region)});
  return layers;
}

namespace {

using LayerCounts = std::map<LayerSpec, FlatCount, LayerOrder>;

// Counts per cell, memoised: a parent adds each child's counts times its number of instances.
const LayerCounts& counts_of(std::size_t cell, const Library& library, const CellIndex& index,
                             std::unordered_map<std::size_t, LayerCounts>& memo) {
  if (const auto it = memo.find(cell); it != memo.end()) return it->second;
  LayerCounts counts;
  const Cell& c = library.cells[cell];
  auto entry = [&](LayerSpec layer) -> FlatCount& { return counts.try_emplace(layer, FlatCount{layer}).first->second; };
  for (const Boundary& boundary : c.boundaries) ++entry(boundary.layer).shapes;
  for (const PathElement& path : c.paths) ++entry(path.layer).shapes;
  for (const Text& text : c.texts) ++entry(text.layer).texts;
  auto add_child = [&](const std::string& name, std::size_t instances) {
    const auto it = index.find(name);
    if (it == index.end()) throw std::invalid_argument(fmt::format("GDSII flatten: no cell named '{}'", name));
    for (const auto& [layer, count] : counts_of(it->second, library, index, memo)) {
      entry(layer).shapes += count.shapes * instances;
      entry(layer).texts += count.texts * instances;
    }
  };
  for (const CellRef& ref : c.refs) add_child(ref.cell, 1);
  for (const CellArray& array : c.arrays)
    add_child(array.cell, static_cast<std::size_t>(array.columns) * static_cast<std::size_t>(array.rows));
  return memo.emplace(cell, std::move(counts)).first->second;
}

}  // namespace

std::vector<FlatCount> flat_counts(const Library& library, std::string_view top_cell) {
  if (const auto cycle = reference_cycle(library); !cycle.empty())
    throw std::invalid_argument(fmt::format("GDSII flatten: cell reference cycle {}", design::joined(cycle, " -> ")));
  const CellIndex index = index_cells(library);
  const auto top = index.find(top_cell);
  if (top == index.end()) throw std::invalid_argument(fmt::format("GDSII flatten: no cell named '{}'", top_cell));
  std::unordered_map<std::size_t, LayerCounts> memo;
  std::vector<FlatCount> counts;
  for (const auto& [layer, count] : counts_of(top->second, library, index, memo)) counts.push_back(count);
  return counts;
}

}  // namespace wlp::layout::gds
