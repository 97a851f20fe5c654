#include "process/export3d.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <numeric>
#include <ostream>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "design/atomic_file.h"

namespace wlp::process {
using layout::Nm;
using layout::Point;
using layout::Region;

namespace {

// --- trapezoid sweep --------------------------------------------------------------------------

// Widths below this (nm) are rounding noise: such a trapezoid side is a point (a triangle) and a
// trapezoid with both sides that small is a sliver of no area.
constexpr double kPointWidthNm = 1e-6;

/// A non-horizontal polygon edge, oriented upwards (lo.y < hi.y).
struct Edge {
  Point lo, hi;

  /// x where the edge crosses height y (lo.y <= y <= hi.y). Vertices come back exactly, and
  /// long double keeps the interpolation products (up to ~1e16 nm²) free of rounding.
  [[nodiscard]] double x_at(Nm y) const {
    if (y == lo.y) return static_cast<double>(lo.x);
    if (y == hi.y) return static_cast<double>(hi.x);
    const long double t = static_cast<long double>(y - lo.y) / static_cast<long double>(hi.y - lo.y);
    return static_cast<double>(static_cast<long double>(lo.x) + t * static_cast<long double>(hi.x - lo.x));
  }
};

/// Where one active edge crosses the bottom and the top of a slab.
struct Crossing {
  double x_lo = 0, x_hi = 0;
  [[nodiscard]] double x_mid() const { return 0.5 * (x_lo + x_hi); }
};

void add_ring_edges(const layout::Ring& ring, std::vector<Edge>& edges) {
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Point a = ring[i], b = ring[(i + 1) % ring.size()];
    // Horizontal edges lie on a slab boundary and never span a slab: the sweep ignores them.
    if (a.y == b.y) continue;
    edges.push_back(a.y < b.y ? Edge{a, b} : Edge{b, a});
  }
}

std::vector<Nm> distinct_vertex_ys(const Region& region) {
  std::vector<Nm> ys;
  for (const auto& polygon : region) {
    for (const auto& p : polygon.outer) ys.push_back(p.y);
    for (const auto& hole : polygon.holes)
      for (const auto& p : hole) ys.push_back(p.y);
  }
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  return ys;
}

/// Heights strictly inside (y_lo, y_hi), rounded to the nm grid, where two of the (mid-sorted)
/// crossings swap order: only edges of overlapping polygons cross inside a slab.
std::vector<Nm> swap_heights(const std::vector<Crossing>& crossings, Nm y_lo, Nm y_hi) {
  std::vector<Nm> heights;
  for (std::size_t i = 0; i < crossings.size(); ++i) {
    for (std::size_t j = i + 1; j < crossings.size(); ++j) {
      const double d_lo = crossings[j].x_lo - crossings[i].x_lo;
      const double d_hi = crossings[j].x_hi - crossings[i].x_hi;
      if ((d_lo < 0) == (d_hi < 0) || d_lo == 0 || d_hi == 0) continue;
      const double t = d_lo / (d_lo - d_hi);
      const Nm y = y_lo + std::llround(t * static_cast<double>(y_hi - y_lo));
      if (y > y_lo && y < y_hi) heights.push_back(y);
    }
  }
  std::sort(heights.begin(), heights.end());
  heights.erase(std::unique(heights.begin(), heights.end()), heights.end());
  return heights;
}

bool order_is_consistent(const std::vector<Crossing>& crossings) {
  for (std::size_t i = 0; i + 1 < crossings.size(); ++i)
    if (crossings[i].x_lo > crossings[i + 1].x_lo || crossings[i].x_hi > crossings[i + 1].x_hi) return false;
  return true;
}

/// Fixes the x interval of one side of a trapezoid: an inverted interval (left of two crossing
/// edges ending right of the other within half a nm of the slab boundary, after the slab was
/// split on the grid) and a near-zero one both become a single point.
void settle_side(double& x0, double& x1) {
  if (x1 - x0 <= kPointWidthNm) x0 = x1 = 0.5 * (x0 + x1);
}

void emit_pairs(const std::vector<Crossing>& crossings, Nm y_lo, Nm y_hi, std::vector<Trapezoid>& out) {
  // Even-odd: inside starts at every even crossing and ends at the next (a closed ring crosses a
  // line through the slab an even number of times, so the count is even).
  for (std::size_t i = 0; i + 1 < crossings.size(); i += 2) {
    Trapezoid t{y_lo, y_hi, crossings[i].x_lo, crossings[i + 1].x_lo, crossings[i].x_hi, crossings[i + 1].x_hi};
    settle_side(t.x0_lo, t.x1_lo);
    settle_side(t.x0_hi, t.x1_hi);
    if (t.x1_lo - t.x0_lo + t.x1_hi - t.x0_hi <= kPointWidthNm) continue;  // zero-area sliver
    out.push_back(t);
  }
}

/// Cuts the slab [y_lo, y_hi] crossed by `active` into trapezoids. `crossings` is scratch space
/// reused across slabs so the sweep does not allocate per slab.
void decompose_slab(const std::vector<const Edge*>& active, Nm y_lo, Nm y_hi, std::vector<Crossing>& crossings,
                    std::vector<Trapezoid>& out) {
  crossings.clear();
  for (const Edge* edge : active) crossings.push_back({edge->x_at(y_lo), edge->x_at(y_hi)});
  std::sort(crossings.begin(), crossings.end(), [](const Crossing& a, const Crossing& b) {
    return a.x_mid() != b.x_mid() ? a.x_mid() < b.x_mid() : a.x_lo < b.x_lo;
  });
  if (!order_is_consistent(crossings)) {
    // Edges of overlapping polygons cross inside the slab: cut it where they swap so that each
    // piece pairs the same edges from bottom to top (rare, hence the quadratic search).
    const std::vector<Nm> cuts = swap_heights(crossings, y_lo, y_hi);
    if (!cuts.empty()) {
      Nm bottom = y_lo;
      std::vector<Crossing> scratch;
      for (Nm cut : cuts) {
        decompose_slab(active, bottom, cut, scratch, out);
        bottom = cut;
      }
      decompose_slab(active, bottom, y_hi, scratch, out);
      return;
    }
  }
  emit_pairs(crossings, y_lo, y_hi, out);
}

// --- shared by the writers -------------------------------------------------------------------------

void check_prisms(const std::vector<Prism>& prisms, const std::vector<std::string>& material_names) {
  for (std::size_t i = 0; i < prisms.size(); ++i) {
    const Prism& prism = prisms[i];
    if (prism.region == nullptr) throw std::invalid_argument(fmt::format("3D export: prism {} has no region", i));
    if (prism.material < 0 || static_cast<std::size_t>(prism.material) >= material_names.size())
      throw std::invalid_argument(fmt::format("3D export: prism {} has material {} but there are {} material names", i,
                                              prism.material, material_names.size()));
    if (prism.z_top < prism.z_bottom)
      throw std::invalid_argument(fmt::format("3D export: prism {} has its top ({} nm) below its bottom ({} nm)", i,
                                              prism.z_top, prism.z_bottom));
  }
}

/// Buffered little-endian binary output (x86 and ARM Linux are little-endian; checked): values
/// are copied into a fixed buffer, which is written out when full.
class BinaryOut {
 public:
  explicit BinaryOut(std::ostream& stream) : stream_(stream), buffer_(kChunk) {}
  ~BinaryOut() { flush(); }
  BinaryOut(const BinaryOut&) = delete;
  BinaryOut& operator=(const BinaryOut&) = delete;
  template <typename T>
  void put(T value) {
    static_assert(std::endian::native == std::endian::little, "VTU and STL data are written little-endian");
    if (used_ + sizeof(T) > kChunk) flush();
    std::memcpy(buffer_.data() + used_, &value, sizeof(T));
    used_ += sizeof(T);
  }
  /// Bytes already laid out little-endian (an STL facet record).
  void put_bytes(const char* bytes, std::size_t count) {
    static_assert(std::endian::native == std::endian::little, "VTU and STL data are written little-endian");
    if (used_ + count > kChunk) flush();
    std::memcpy(buffer_.data() + used_, bytes, count);
    used_ += count;
  }
  void flush() {
    stream_.write(buffer_.data(), static_cast<std::streamsize>(used_));
    used_ = 0;
  }

 private:
  static constexpr std::size_t kChunk = std::size_t{1} << 20;
  std::ostream& stream_;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
};

// --- VTU ---------------------------------------------------------------------------------------

constexpr int kVtkHexahedron = 12;
constexpr int kVtkWedge = 13;

bool is_triangle(const Trapezoid& t) { return t.x0_lo == t.x1_lo || t.x0_hi == t.x1_hi; }

/// The distinct corners of a trapezoid in µm (x, y), counter-clockwise seen from above: four,
/// or three for a triangle (its repeated corner dropped).
int corners_um(const Trapezoid& t, std::array<std::array<double, 2>, 4>& corners) {
  const double y_lo = layout::to_um(t.y_lo), y_hi = layout::to_um(t.y_hi);
  const std::array<std::array<double, 2>, 4> ring{{{t.x0_lo * 1e-3, y_lo},
                                                   {t.x1_lo * 1e-3, y_lo},
                                                   {t.x1_hi * 1e-3, y_hi},
                                                   {t.x0_hi * 1e-3, y_hi}}};
  if (!is_triangle(t)) {
    corners = ring;
    return 4;
  }
  if (t.x0_lo == t.x1_lo)
    corners = {ring[0], ring[2], ring[3], ring[3]};
  else
    corners = {ring[0], ring[1], ring[2], ring[2]};
  return 3;
}

/// The prisms of one region (a column of the wafer model) and its distinct heights: the cells
/// of a column share their nodes, one per trapezoid corner and height, which halves the points
/// of a typical stack against a closed set of nodes per cell.
struct VtuColumn {
  const Region* region = nullptr;
  std::vector<const Prism*> prisms;  // of non-zero thickness, in input order
  std::vector<Nm> levels;            // the distinct z_bottom and z_top, ascending
};

std::vector<VtuColumn> vtu_columns(const std::vector<Prism>& prisms) {
  std::vector<VtuColumn> columns;
  std::unordered_map<const Region*, std::size_t> index;
  for (const Prism& prism : prisms) {
    // A film of zero thickness has no volume; its cells would be flat and degenerate.
    if (prism.z_top == prism.z_bottom) continue;
    const auto [it, inserted] = index.try_emplace(prism.region, columns.size());
    if (inserted) columns.push_back(VtuColumn{prism.region, {}, {}});
    VtuColumn& column = columns[it->second];
    column.prisms.push_back(&prism);
    column.levels.push_back(prism.z_bottom);
    column.levels.push_back(prism.z_top);
  }
  for (VtuColumn& column : columns) {
    std::sort(column.levels.begin(), column.levels.end());
    column.levels.erase(std::unique(column.levels.begin(), column.levels.end()), column.levels.end());
  }
  return columns;
}

std::size_t level_of(const VtuColumn& column, Nm z) {
  return static_cast<std::size_t>(std::lower_bound(column.levels.begin(), column.levels.end(), z) - column.levels.begin());
}

/// One cell as the writers see it: its trapezoid, prism, and the index of its trapezoid's first
/// node (nodes run corner-fastest, then level).
struct VtuCell {
  const VtuColumn& column;
  const Trapezoid& trapezoid;
  const Prism& prism;
  std::size_t first_node;
  int corners;
};

/// Visits the trapezoids of every column, then the columns' cells, in the file's order.
class VtuGrid {
 public:
  explicit VtuGrid(const std::vector<Prism>& prisms) : columns_(vtu_columns(prisms)) {
    pieces_.reserve(columns_.size());
    for (const VtuColumn& column : columns_) pieces_.push_back(trapezoids(*column.region));
  }
  template <typename Visit>
  void for_each_trapezoid(const Visit& visit) const {
    std::size_t first_node = 0;
    for (std::size_t c = 0; c < columns_.size(); ++c)
      for (const Trapezoid& t : pieces_[c]) {
        const std::size_t corners = is_triangle(t) ? 3 : 4;
        visit(columns_[c], t, first_node);
        first_node += corners * columns_[c].levels.size();
      }
  }
  template <typename Visit>
  void for_each_cell(const Visit& visit) const {
    for_each_trapezoid([&](const VtuColumn& column, const Trapezoid& t, std::size_t first_node) {
      for (const Prism* prism : column.prisms) visit(VtuCell{column, t, *prism, first_node, is_triangle(t) ? 3 : 4});
    });
  }

 private:
  std::vector<VtuColumn> columns_;
  std::vector<std::vector<Trapezoid>> pieces_;
};

/// The nodes of one cell in VTK order. A hexahedron has its bottom face counter-clockwise seen
/// from above, then the top face. A wedge (VTK_WEDGE) wants its base triangle (0,1,2) with the
/// right-hand normal pointing away from the opposite triangle (3,4,5): clockwise seen from
/// above, the reverse of the hexahedron.
int cell_nodes(const VtuCell& cell, std::array<std::size_t, 8>& nodes) {
  const auto corners = static_cast<std::size_t>(cell.corners);
  const std::size_t bottom = cell.first_node + corners * level_of(cell.column, cell.prism.z_bottom);
  const std::size_t top = cell.first_node + corners * level_of(cell.column, cell.prism.z_top);
  if (cell.corners == 3) {
    nodes = {bottom, bottom + 2, bottom + 1, top, top + 2, top + 1, 0, 0};
    return 6;
  }
  nodes = {bottom, bottom + 1, bottom + 2, bottom + 3, top, top + 1, top + 2, top + 3};
  return 8;
}

/// VTK's ASCII form of a string array: the bytes of every string as numbers, each string ended
/// by a 0 (as vtkXMLWriter writes it; no XML escaping needed, any name survives).
std::string ascii_string_array(const std::vector<std::string>& strings) {
  std::string text;
  for (const auto& s : strings) {
    for (char c : s) fmt::format_to(std::back_inserter(text), "{} ", static_cast<unsigned>(static_cast<unsigned char>(c)));
    text += "0\n";
  }
  return text;
}

/// One array of the appended block: its XML element, pointing at `offset` bytes into the block.
std::string appended_array(std::string_view type, std::string_view name, int components, std::size_t offset) {
  const std::string component_attribute = components > 1 ? fmt::format(" NumberOfComponents=\"{}\"", components) : "";
  return fmt::format("        <DataArray type=\"{}\" Name=\"{}\"{} format=\"appended\" offset=\"{}\"/>\n", type, name,
                     component_attribute, offset);
}

/// Writes node indices as Int32 when they fit (half the bytes), else Int64.
struct IndexType {
  bool wide = false;
  [[nodiscard]] std::string_view name() const { return wide ? "Int64" : "Int32"; }
  [[nodiscard]] std::size_t bytes() const { return wide ? 8 : 4; }
  void put(BinaryOut& out, std::size_t value) const {
    if (wide)
      out.put(static_cast<std::int64_t>(value));
    else
      out.put(static_cast<std::int32_t>(value));
  }
};

IndexType index_type_for(std::size_t largest) {
  return IndexType{largest > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())};
}

struct VtuSizes {
  std::size_t connectivity = 0;  // node references
};

std::string vtu_header(const Export3dStats& stats, const VtuSizes& sizes, const std::vector<std::string>& material_names,
                       IndexType node_index, IndexType offset_index) {
  std::size_t offset = 0;
  auto next = [&](std::size_t bytes) {
    const std::size_t at = offset;
    offset += 8 + bytes;
    return at;
  };
  std::string header =
      "<?xml version=\"1.0\"?>\n"
      "<!-- wlpkit 3D export. Coordinates in um. Cell data \"material\" indexes the field-data string array\n"
      "     \"material_names\"; \"film\" is the film number. Arrays are raw little-endian binary in the\n"
      "     appended block, each preceded by its byte count (UInt64). -->\n"
      "<VTKFile type=\"UnstructuredGrid\" version=\"0.1\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n"
      "  <UnstructuredGrid>\n";
  fmt::format_to(std::back_inserter(header),
                 "    <FieldData>\n"
                 "      <Array type=\"String\" Name=\"material_names\" NumberOfTuples=\"{}\" format=\"ascii\">\n"
                 "{}      </Array>\n"
                 "    </FieldData>\n",
                 material_names.size(), ascii_string_array(material_names));
  fmt::format_to(std::back_inserter(header), "    <Piece NumberOfPoints=\"{}\" NumberOfCells=\"{}\">\n", stats.points,
                 stats.cells);
  header += "      <Points>\n" + appended_array("Float64", "Points", 3, next(stats.points * 3 * sizeof(double))) +
            "      </Points>\n";
  header += "      <Cells>\n" +
            appended_array(node_index.name(), "connectivity", 1, next(sizes.connectivity * node_index.bytes()));
  header += appended_array(offset_index.name(), "offsets", 1, next(stats.cells * offset_index.bytes()));
  header += appended_array("UInt8", "types", 1, next(stats.cells)) + "      </Cells>\n";
  header += "      <CellData Scalars=\"material\">\n" + appended_array("Int32", "material", 1, next(stats.cells * 4));
  header += appended_array("Int32", "film", 1, next(stats.cells * 4)) + "      </CellData>\n";
  header += "    </Piece>\n  </UnstructuredGrid>\n  <AppendedData encoding=\"raw\">\n   _";
  return header;
}

void put_vtu_points(BinaryOut& out, const VtuGrid& grid, std::size_t count) {
  out.put<std::uint64_t>(count * 3 * sizeof(double));
  std::array<std::array<double, 2>, 4> corners{};
  grid.for_each_trapezoid([&](const VtuColumn& column, const Trapezoid& t, std::size_t) {
    const int n = corners_um(t, corners);
    for (Nm level : column.levels) {
      const double z_um = layout::to_um(level);
      for (int k = 0; k < n; ++k) {
        const auto& corner = corners[static_cast<std::size_t>(k)];
        out.put(corner[0]), out.put(corner[1]), out.put(z_um);
      }
    }
  });
}

void put_vtu_cells(BinaryOut& out, const VtuGrid& grid, const Export3dStats& stats, const VtuSizes& sizes,
                   IndexType node_index, IndexType offset_index) {
  std::array<std::size_t, 8> nodes{};
  out.put<std::uint64_t>(sizes.connectivity * node_index.bytes());
  grid.for_each_cell([&](const VtuCell& cell) {
    const int count = cell_nodes(cell, nodes);
    for (int i = 0; i < count; ++i) node_index.put(out, nodes[static_cast<std::size_t>(i)]);
  });
  out.put<std::uint64_t>(stats.cells * offset_index.bytes());
  std::size_t end = 0;
  grid.for_each_cell([&](const VtuCell& cell) { offset_index.put(out, end += cell.corners == 3 ? 6 : 8); });
  out.put<std::uint64_t>(stats.cells);
  grid.for_each_cell([&](const VtuCell& cell) {
    out.put(static_cast<std::uint8_t>(cell.corners == 3 ? kVtkWedge : kVtkHexahedron));
  });
  out.put<std::uint64_t>(stats.cells * 4);
  grid.for_each_cell([&](const VtuCell& cell) { out.put(static_cast<std::int32_t>(cell.prism.material)); });
  out.put<std::uint64_t>(stats.cells * 4);
  grid.for_each_cell([&](const VtuCell& cell) { out.put(static_cast<std::int32_t>(cell.prism.film)); });
}

// --- STL: the boundary of each material ----------------------------------------------------------
//
// The surface of a material is made of
//   - caps: where a column's run of the material starts (facing down) or ends (facing up),
//     over the column's region, cut into the region's trapezoids;
//   - walls: along the regions' outlines, over the heights where the material is on one side
//     and not on the other (void, another material, the window's edge).
// Faces inside the material (between stacked films, between cells with the same column) are
// never made. For the surface to be closed every face must end at the vertices of the faces
// beside it, so all geometry is named exactly: a trapezoid's slanted side lies on a line of
// the nm grid in canonical form, a point is its exact height with its x as its line computes
// it, and every face along a line takes every point that any face puts on that line. A
// trapezoid is triangulated with every point on its sides; a wall is cut at every point of its
// line, and its vertical sides at every height where another wall ends at that point.

using PointId = std::uint32_t;

/// Coordinates (nm) the exact line arithmetic accepts: the products below stay under 2^62.
constexpr Nm kMaxCoordinateNm = Nm{1} << 30;

/// A line through two points of the nm grid, in a canonical form that every edge on it gives
/// alike. Not horizontal: direction (dx, dy) reduced, dy > 0, and c = x·dy − y·dx; a point
/// on it is named by its y. Horizontal: dx = 1, dy = 0, c = y; a point is named by its x.
struct LineKey {
  Nm dx = 0, dy = 0, c = 0;
  friend auto operator<=>(const LineKey&, const LineKey&) = default;
  [[nodiscard]] bool horizontal() const { return dy == 0; }
  /// x (nm) of the point at parameter t: the same double for a point whichever edge names it.
  [[nodiscard]] double x_nm(Nm t) const {
    return horizontal() ? static_cast<double>(t) : static_cast<double>(c + t * dx) / static_cast<double>(dy);
  }
};

/// The line through a and b (a.y != b.y).
LineKey slanted_line(Point a, Point b) {
  Nm dx = b.x - a.x, dy = b.y - a.y;
  if (dy < 0) dx = -dx, dy = -dy;
  const Nm g = std::gcd(dx < 0 ? -dx : dx, dy);
  dx /= g, dy /= g;
  return LineKey{dx, dy, a.x * dy - a.y * dx};
}

/// One z-interval of a material in a column.
struct Slice {
  int material = 0;
  Nm z_bottom = 0, z_top = 0;
};

/// A slanted edge of a region on its line, from y0 to y1 (y0 < y1).
struct SlantedEdge {
  std::uint32_t line = 0;
  Nm y0 = 0, y1 = 0;
};

/// A trapezoid of a region: a slab between two heights and two slanted lines.
struct CapPiece {
  Nm y_lo = 0, y_hi = 0;
  std::uint32_t left = 0, right = 0;
};

/// A piece of a region's outline on a line, between parameters t0 < t1, and the side the
/// region lies on. Outlines are read off the trapezoids (their sides, and the parts of their
/// tops and bottoms that no trapezoid across meets), not off the rings: walls then bound the
/// same even-odd point set as the caps even where a ring touches or crosses itself at a slab
/// boundary (Clipper's rounding leaves such sub-nm spikes).
struct BoundarySegment {
  std::uint32_t line = 0;
  double t0 = 0, t1 = 0;
  std::uint32_t region = 0;
  bool region_left = false;  // left of the line's direction of growing parameter
};

/// A stretch of a line (between two of its points) with the same regions on each side.
struct Run {
  std::uint32_t line = 0;
  std::uint32_t first = 0, last = 0;  // indices of its end points among all line points
  std::uint32_t regions = 0;          // start in run_regions_: n_left, then n_right regions
  std::uint16_t n_left = 0, n_right = 0;
};

/// A wall of one material: along a run, from z_bottom to z_top, facing right (the material on
/// the left of the line's direction) or left. Where pieces overlap a wall may come twice.
struct Wall {
  std::uint32_t run = 0;
  Nm z_bottom = 0, z_top = 0;
  bool faces_right = false;
};

// Sides of a trapezoid, as bits: three points of a convex polygon are collinear exactly when
// they lie on one side, so the triangulation needs no floating-point test.
constexpr std::uint8_t kBottom = 1, kRight = 2, kTop = 4, kLeft = 8;

struct RingPoint {
  PointId id = 0;
  std::uint8_t sides = 0;
};

/// Triangulates a convex polygon (counter-clockwise) whose sides carry extra points, with no
/// new points and no flat triangle: a corner is cut off when it and its neighbours are not on
/// one side and what is left is not all on one side.
void triangulate_convex(const std::vector<RingPoint>& ring, std::vector<std::array<PointId, 3>>& out) {
  const std::size_t n = ring.size();
  if (n < 3) return;
  std::vector<std::size_t> prev(n), next(n);
  std::array<std::size_t, 4> on_side{};
  for (std::size_t i = 0; i < n; ++i) {
    prev[i] = (i + n - 1) % n, next[i] = (i + 1) % n;
    for (std::size_t s = 0; s < 4; ++s) on_side[s] += (ring[i].sides >> s) & 1u;
  }
  std::size_t left = n, i = 0, failures = 0;
  auto flat = [&](std::size_t a, std::size_t b, std::size_t c) { return (ring[a].sides & ring[b].sides & ring[c].sides) != 0; };
  while (left > 3) {
    bool rest_flat = false;
    for (std::size_t s = 0; s < 4; ++s) rest_flat |= on_side[s] - ((ring[i].sides >> s) & 1u) == left - 1;
    if (flat(prev[i], i, next[i]) || rest_flat) {
      if (++failures > left) throw std::logic_error("STL export: a trapezoid could not be triangulated");
      i = next[i];
      continue;
    }
    out.push_back({ring[prev[i]].id, ring[i].id, ring[next[i]].id});
    for (std::size_t s = 0; s < 4; ++s) on_side[s] -= (ring[i].sides >> s) & 1u;
    next[prev[i]] = next[i], prev[next[i]] = prev[i];
    i = prev[i], --left, failures = 0;
  }
  if (flat(prev[i], i, next[i])) throw std::logic_error("STL export: a trapezoid collapsed to a line");
  out.push_back({ring[prev[i]].id, ring[i].id, ring[next[i]].id});
}

/// z-intervals, each sorted and merged within one column.
using Intervals = std::vector<std::pair<Nm, Nm>>;

/// A stretch of heights where the material count differs across a line: `excess` is the
/// number of pieces on the left minus those on the right (±1 where the cells are a partition).
struct WallSpan {
  Nm z_bottom = 0, z_top = 0;
  int excess = 0;
};

/// The wall heights of a run from the intervals on each side (several per side where pieces
/// overlap). Counting rather than taking unions keeps the surface closed where two cells of
/// one material overlap (Clipper leaves sub-nm slivers): each is then bounded on its own.
void wall_spans(const Intervals& left, const Intervals& right, std::vector<std::pair<Nm, int>>& events,
                std::vector<WallSpan>& out) {
  out.clear();
  events.clear();
  for (const auto& [lo, hi] : left) events.emplace_back(lo, 1), events.emplace_back(hi, -1);
  for (const auto& [lo, hi] : right) events.emplace_back(lo, -1), events.emplace_back(hi, 1);
  std::sort(events.begin(), events.end());
  int excess = 0;
  for (std::size_t i = 0; i < events.size();) {
    const Nm z = events[i].first;
    for (; i < events.size() && events[i].first == z; ++i) excess += events[i].second;
    if (excess == 0 || i == events.size()) continue;
    if (!out.empty() && out.back().z_top == z && out.back().excess == excess)
      out.back().z_top = events[i].first;
    else
      out.push_back({z, events[i].first, excess});
  }
}

/// Little-endian binary STL facets, streamed; the count in the header is written at the end.
class StlWriter {
 public:
  StlWriter(std::ostream& stream, const std::string& material) : stream_(stream), out_(stream) {
    // The header must not start with "solid": some readers then take the file for ASCII STL.
    std::string header = fmt::format("wlpkit binary STL, material {}, units um", material);
    header.resize(80, ' ');
    stream_.write(header.data(), static_cast<std::streamsize>(header.size()));
    out_.put<std::uint32_t>(0);
  }
  using Corner = std::array<float, 3>;
  /// One facet, its corners counter-clockwise seen from outside, with its unit normal (known
  /// without a square root: up, down or level).
  void facet(const Corner& normal, const Corner& a, const Corner& b, const Corner& c) {
    // Corners that round to one float point make a facet of no area whose other two edges
    // cancel out: the surface stays closed without it.
    if (a == b || b == c || c == a) return;
    std::array<char, 50> record{};  // 12 floats, then the attribute byte count (unused, 0)
    std::size_t at = 0;
    for (const Corner* p : {&normal, &a, &b, &c}) {
      std::memcpy(record.data() + at, p->data(), sizeof(Corner));
      at += sizeof(Corner);
    }
    out_.put_bytes(record.data(), record.size());
    if (++count_ == 0) throw std::runtime_error("STL export: more than 2^32 facets in one file");
  }
  /// Writes the facet count into the header.
  void finish() {
    out_.flush();
    stream_.seekp(80);
    const std::uint32_t count = count_;
    stream_.write(reinterpret_cast<const char*>(&count), sizeof count);
    stream_.seekp(0, std::ios::end);
  }

 private:
  std::ostream& stream_;
  BinaryOut out_;
  std::uint32_t count_ = 0;
};

/// A piece of a region's outline on a horizontal line at height y, from x0 to x1 (nm).
struct HorizontalSegment {
  Nm y = 0;
  double x0 = 0, x1 = 0;
  PointId from = 0, to = 0;
  std::uint32_t region = 0;
  bool region_above = false;
};

/// The xy structure of all prisms, shared by every material's surface: columns, lines and their
/// points, the runs of each line, and each region's cap triangles.
class BoundaryMesh {
 public:
  explicit BoundaryMesh(const std::vector<Prism>& prisms) {
    group_columns(prisms);
    collect_slanted_edges();
    for (std::uint32_t r = 0; r < regions_.size(); ++r) sweep_region(r);
    piece_first_.push_back(static_cast<std::uint32_t>(pieces_.size()));
    name_corners();
    collect_outlines();
    build_runs();
    for (std::uint32_t r = 0; r < regions_.size(); ++r) triangulate_caps(r);
    cap_first_.push_back(static_cast<std::uint32_t>(caps_.size()));
  }

  /// Writes the surface of `material` as binary STL.
  void write(std::ostream& stream, int material, const std::string& name) const;

 private:
  void group_columns(const std::vector<Prism>& prisms);
  void collect_slanted_edges();
  void sweep_region(std::uint32_t region);
  void name_corners();
  void collect_outlines();
  void horizontal_outline(std::uint32_t region, std::vector<HorizontalSegment>& out) const;
  void build_runs();
  void triangulate_caps(std::uint32_t region);
  void chord_points(Nm y, double x0, double x1, std::vector<std::pair<double, PointId>>& out) const;

  [[nodiscard]] std::size_t point_index(std::uint32_t line, double t) const;
  [[nodiscard]] PointId corner(std::uint32_t line, Nm y) const {
    return line_point_[point_index(line, static_cast<double>(y))];
  }

  /// Per region, the range of its slices of one material in column_.
  using Spans = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
  /// One material's walls, and the heights where walls end at each point (sorted by point).
  struct MaterialWalls {
    std::vector<Wall> walls;
    std::vector<std::pair<PointId, Nm>> breaks;
    std::vector<char> has_breaks;  // per point: any entry in breaks
  };
  void material_intervals(int material, Spans& spans) const;
  void side_intervals(const std::uint32_t* regions, std::size_t count, const Spans& spans, Intervals& out) const;
  [[nodiscard]] MaterialWalls walls_of(const Spans& spans) const;
  void emit_wall(StlWriter& writer, const Wall& wall, const std::vector<std::pair<PointId, Nm>>& breaks,
                 const std::vector<char>& has_breaks) const;
  [[nodiscard]] float cap_normal_z(PointId a, PointId b, PointId c) const;
  void emit_caps(StlWriter& writer, const Spans& spans) const;

  std::vector<const Region*> regions_;
  std::vector<std::uint32_t> column_first_;  // per region, into column_
  std::vector<Slice> column_;                // sorted by material then height, merged
  std::vector<LineKey> lines_;               // slanted lines first, then horizontal ones
  std::uint32_t n_slanted_ = 0;
  std::vector<Nm> horizontal_y_;             // of lines n_slanted_ + k, ascending
  std::vector<std::uint32_t> slanted_first_;  // per region, into slanted_
  std::vector<SlantedEdge> slanted_;
  std::vector<std::uint32_t> piece_first_;  // per region, into pieces_
  std::vector<CapPiece> pieces_;
  std::vector<std::pair<std::uint32_t, Nm>> corners_;  // (slanted line, y) while they are gathered
  std::vector<std::uint32_t> line_first_;              // per line, into line_t_ and line_point_
  std::vector<double> line_t_;                         // parameter: y on a slanted line, x on a horizontal one
  std::vector<PointId> line_point_;
  std::vector<std::array<float, 2>> xy_um_;  // per point
  std::vector<BoundarySegment> segments_;    // until the runs are built
  std::vector<Run> runs_;
  std::vector<std::uint32_t> run_regions_;
  std::vector<std::tuple<Nm, double, PointId>> chord_;  // corners of one region's trapezoids by (y, x)
  std::vector<std::uint32_t> cap_first_;    // per region, into caps_
  std::vector<std::array<PointId, 3>> caps_;
};

void BoundaryMesh::group_columns(const std::vector<Prism>& prisms) {
  std::unordered_map<const Region*, std::uint32_t> index;
  std::vector<std::vector<Slice>> slices;
  for (const Prism& prism : prisms) {
    if (prism.z_top == prism.z_bottom) continue;  // no volume, no surface
    const auto [it, inserted] = index.try_emplace(prism.region, static_cast<std::uint32_t>(regions_.size()));
    if (inserted) regions_.push_back(prism.region), slices.emplace_back();
    slices[it->second].push_back({prism.material, prism.z_bottom, prism.z_top});
  }
  column_first_.push_back(0);
  for (auto& column : slices) {
    std::sort(column.begin(), column.end(), [](const Slice& a, const Slice& b) {
      return a.material != b.material ? a.material < b.material : a.z_bottom < b.z_bottom;
    });
    // Touching films of one material are one body: no face between them.
    const std::size_t start = column_.size();
    for (const Slice& s : column) {
      if (column_.size() > start && column_.back().material == s.material && s.z_bottom <= column_.back().z_top)
        column_.back().z_top = std::max(column_.back().z_top, s.z_top);
      else
        column_.push_back(s);
    }
    column_first_.push_back(static_cast<std::uint32_t>(column_.size()));
  }
}

void BoundaryMesh::collect_slanted_edges() {
  std::vector<std::pair<LineKey, SlantedEdge>> raw;
  auto add_ring = [&](const layout::Ring& ring) {
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const Point a = ring[i], b = ring[(i + 1) % ring.size()];
      for (Nm v : {a.x, a.y})
        if (v >= kMaxCoordinateNm || v <= -kMaxCoordinateNm)
          throw std::invalid_argument(fmt::format("STL export: coordinate {} nm is beyond the 2^30 nm the export takes", v));
      // Horizontal edges lie on slab boundaries: the outline there comes from the trapezoids.
      if (a.y != b.y) raw.emplace_back(slanted_line(a, b), SlantedEdge{0, std::min(a.y, b.y), std::max(a.y, b.y)});
    }
  };
  slanted_first_.push_back(0);
  for (const Region* region : regions_) {
    for (const auto& polygon : *region) {
      add_ring(polygon.outer);
      for (const auto& hole : polygon.holes) add_ring(hole);
    }
    slanted_first_.push_back(static_cast<std::uint32_t>(raw.size()));
  }
  // Number the lines: edges of different regions on one line must share its points.
  std::vector<std::uint32_t> order(raw.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return raw[a].first < raw[b].first; });
  for (std::uint32_t k : order) {
    if (lines_.empty() || lines_.back() != raw[k].first) lines_.push_back(raw[k].first);
    raw[k].second.line = static_cast<std::uint32_t>(lines_.size() - 1);
  }
  n_slanted_ = static_cast<std::uint32_t>(lines_.size());
  slanted_.reserve(raw.size());
  for (auto& [key, edge] : raw) slanted_.push_back(edge);
}

void BoundaryMesh::sweep_region(std::uint32_t region) {
  piece_first_.push_back(static_cast<std::uint32_t>(pieces_.size()));
  std::vector<const SlantedEdge*> edges;
  std::vector<Nm> ys;
  for (std::uint32_t e = slanted_first_[region]; e < slanted_first_[region + 1]; ++e) {
    edges.push_back(&slanted_[e]);
    ys.push_back(slanted_[e].y0), ys.push_back(slanted_[e].y1);
  }
  std::sort(edges.begin(), edges.end(), [](const SlantedEdge* a, const SlantedEdge* b) { return a->y0 < b->y0; });
  std::sort(ys.begin(), ys.end());
  ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
  struct EdgeAt {
    double x_lo, x_hi;
    std::uint32_t line;
  };
  std::vector<const SlantedEdge*> active;
  std::vector<EdgeAt> at;
  std::size_t next = 0;
  for (std::size_t k = 0; k + 1 < ys.size(); ++k) {
    const Nm y_lo = ys[k], y_hi = ys[k + 1];
    std::erase_if(active, [y_lo](const SlantedEdge* e) { return e->y1 <= y_lo; });
    for (; next < edges.size() && edges[next]->y0 <= y_lo; ++next) active.push_back(edges[next]);
    at.clear();
    for (const SlantedEdge* e : active) at.push_back({lines_[e->line].x_nm(y_lo), lines_[e->line].x_nm(y_hi), e->line});
    std::sort(at.begin(), at.end(), [](const EdgeAt& a, const EdgeAt& b) {
      return a.x_lo + a.x_hi != b.x_lo + b.x_hi ? a.x_lo + a.x_hi < b.x_lo + b.x_hi : a.x_lo < b.x_lo;
    });
    for (std::size_t i = 0; i + 1 < at.size(); ++i)
      if (at[i].x_lo > at[i + 1].x_lo || at[i].x_hi > at[i + 1].x_hi)
        throw std::invalid_argument(fmt::format("STL export: a region has edges crossing between y = {} and {} nm", y_lo, y_hi));
    // Even-odd, as the VTU's trapezoids: inside from every even edge to the next.
    for (std::size_t i = 0; i + 1 < at.size(); i += 2) {
      const EdgeAt &l = at[i], &r = at[i + 1];
      if (r.x_lo - l.x_lo + r.x_hi - l.x_hi <= 0) continue;  // two edges on top of each other
      pieces_.push_back({y_lo, y_hi, l.line, r.line});
      for (std::uint32_t line : {l.line, r.line}) corners_.emplace_back(line, y_lo), corners_.emplace_back(line, y_hi);
    }
  }
}

void BoundaryMesh::name_corners() {
  // A point is its exact height and its x as its line computes it: a point of the nm grid on
  // several lines (a corner of cells) gets one id whichever line names it.
  std::sort(corners_.begin(), corners_.end());
  corners_.erase(std::unique(corners_.begin(), corners_.end()), corners_.end());
  struct Named {
    Nm y;
    double x;
    std::uint32_t corner;
  };
  std::vector<Named> named;
  named.reserve(corners_.size());
  for (std::uint32_t k = 0; k < corners_.size(); ++k)
    named.push_back({corners_[k].second, lines_[corners_[k].first].x_nm(corners_[k].second), k});
  std::sort(named.begin(), named.end(), [](const Named& a, const Named& b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
  line_point_.assign(corners_.size(), 0);
  for (std::size_t k = 0; k < named.size(); ++k) {
    if (k == 0 || named[k].y != named[k - 1].y || named[k].x != named[k - 1].x)
      xy_um_.push_back({static_cast<float>(named[k].x * 1e-3), static_cast<float>(layout::to_um(named[k].y))});
    line_point_[named[k].corner] = static_cast<PointId>(xy_um_.size() - 1);
  }
  line_first_.assign(n_slanted_ + 1, 0);
  for (const auto& [line, y] : corners_) ++line_first_[line + 1];
  std::partial_sum(line_first_.begin(), line_first_.end(), line_first_.begin());
  line_t_.reserve(corners_.size());
  for (const auto& [line, y] : corners_) line_t_.push_back(static_cast<double>(y));
  corners_ = {};
}

void BoundaryMesh::horizontal_outline(std::uint32_t region, std::vector<HorizontalSegment>& out) const {
  // Where the trapezoids below a slab boundary and those above it do not both cover the line,
  // the region ends there: facing down if only the ones above cover it, up if only those below.
  struct Event {
    Nm y;
    double x;
    PointId id;
    int below, above;  // change of cover at x
  };
  std::vector<Event> events;
  for (std::uint32_t k = piece_first_[region]; k < piece_first_[region + 1]; ++k) {
    const CapPiece& p = pieces_[k];
    for (const bool bottom : {true, false}) {
      const Nm y = bottom ? p.y_lo : p.y_hi;
      const double x0 = lines_[p.left].x_nm(y), x1 = lines_[p.right].x_nm(y);
      if (x0 == x1) continue;  // the tip of a triangle
      const int above = bottom ? 1 : 0, below = bottom ? 0 : 1;
      events.push_back({y, x0, corner(p.left, y), below, above});
      events.push_back({y, x1, corner(p.right, y), -below, -above});
    }
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
  int below = 0, above = 0;
  for (std::size_t i = 0; i < events.size();) {
    const Event& at = events[i];
    for (; i < events.size() && events[i].y == at.y && events[i].x == at.x; ++i) below += events[i].below, above += events[i].above;
    if ((below > 0) == (above > 0) || i == events.size() || events[i].y != at.y) continue;
    out.push_back({at.y, at.x, events[i].x, at.id, events[i].id, region, above > 0});
  }
}

void BoundaryMesh::collect_outlines() {
  for (std::uint32_t r = 0; r < regions_.size(); ++r)
    for (std::uint32_t k = piece_first_[r]; k < piece_first_[r + 1]; ++k) {
      // A trapezoid lies right of its left side (the line runs upwards) and left of its right side.
      const CapPiece& p = pieces_[k];
      const auto y_lo = static_cast<double>(p.y_lo), y_hi = static_cast<double>(p.y_hi);
      segments_.push_back({p.left, y_lo, y_hi, r, false});
      segments_.push_back({p.right, y_lo, y_hi, r, true});
    }
  std::vector<HorizontalSegment> horizontal;
  for (std::uint32_t r = 0; r < regions_.size(); ++r) horizontal_outline(r, horizontal);
  for (const HorizontalSegment& h : horizontal) horizontal_y_.push_back(h.y);
  std::sort(horizontal_y_.begin(), horizontal_y_.end());
  horizontal_y_.erase(std::unique(horizontal_y_.begin(), horizontal_y_.end()), horizontal_y_.end());
  for (Nm y : horizontal_y_) lines_.push_back(LineKey{1, 0, y});
  // The points of a horizontal line are the ends of the outlines on it, from every region.
  std::vector<std::tuple<std::uint32_t, double, PointId>> points;
  for (const HorizontalSegment& h : horizontal) {
    const auto line = static_cast<std::uint32_t>(n_slanted_ + (std::lower_bound(horizontal_y_.begin(), horizontal_y_.end(), h.y) - horizontal_y_.begin()));
    points.emplace_back(line, h.x0, h.from), points.emplace_back(line, h.x1, h.to);
    segments_.push_back({line, h.x0, h.x1, h.region, h.region_above});
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());
  line_first_.resize(lines_.size() + 1, line_first_.back());
  for (const auto& [line, x, id] : points) ++line_first_[line + 1];
  for (std::size_t l = n_slanted_ + 1; l < line_first_.size(); ++l) line_first_[l] += line_first_[l - 1] - line_first_[n_slanted_];
  for (const auto& [line, x, id] : points) line_t_.push_back(x), line_point_.push_back(id);
}

void BoundaryMesh::build_runs() {
  std::sort(segments_.begin(), segments_.end(), [](const BoundarySegment& a, const BoundarySegment& b) {
    return a.line != b.line ? a.line < b.line : a.t0 < b.t0;
  });
  std::vector<const BoundarySegment*> active;
  std::vector<std::uint32_t> left, right;
  for (std::size_t k = 0; k < segments_.size();) {
    const std::uint32_t line = segments_[k].line;
    active.clear();
    bool open = false;
    for (std::uint32_t p = line_first_[line]; p + 1 < line_first_[line + 1]; ++p) {
      const double t = line_t_[p];
      std::erase_if(active, [t](const BoundarySegment* e) { return e->t1 <= t; });
      for (; k < segments_.size() && segments_[k].line == line && segments_[k].t0 <= t; ++k) active.push_back(&segments_[k]);
      left.clear(), right.clear();
      for (const BoundarySegment* e : active) (e->region_left ? left : right).push_back(e->region);
      for (auto* side : {&left, &right}) {
        std::sort(side->begin(), side->end());
        side->erase(std::unique(side->begin(), side->end()), side->end());
      }
      if (left.empty() && right.empty()) {
        open = false;
        continue;
      }
      if (open) {
        const Run& run = runs_.back();
        const auto* regions = run_regions_.data() + run.regions;
        if (std::equal(left.begin(), left.end(), regions, regions + run.n_left) &&
            std::equal(right.begin(), right.end(), regions + run.n_left, regions + run.n_left + run.n_right)) {
          runs_.back().last = p + 1;
          continue;
        }
      }
      runs_.push_back({line, p, p + 1, static_cast<std::uint32_t>(run_regions_.size()), static_cast<std::uint16_t>(left.size()),
                       static_cast<std::uint16_t>(right.size())});
      run_regions_.insert(run_regions_.end(), left.begin(), left.end());
      run_regions_.insert(run_regions_.end(), right.begin(), right.end());
      open = true;
    }
    while (k < segments_.size() && segments_[k].line == line) ++k;
  }
  segments_ = {};
}

std::size_t BoundaryMesh::point_index(std::uint32_t line, double t) const {
  const auto begin = line_t_.begin() + line_first_[line], end = line_t_.begin() + line_first_[line + 1];
  const auto it = std::lower_bound(begin, end, t);
  if (it == end || *it != t) throw std::logic_error("STL export: a trapezoid corner is not a point of its line");
  return static_cast<std::size_t>(it - line_t_.begin());
}

void BoundaryMesh::chord_points(Nm y, double x0, double x1, std::vector<std::pair<double, PointId>>& out) const {
  // Points strictly inside a trapezoid's top or bottom side: corners of the region's other
  // trapezoids at that height, and the points of the horizontal line there (ends of outlines).
  out.clear();
  for (auto it = std::upper_bound(chord_.begin(), chord_.end(), std::tuple{y, x0, std::numeric_limits<PointId>::max()});
       it != chord_.end() && std::get<0>(*it) == y && std::get<1>(*it) < x1; ++it)
    out.emplace_back(std::get<1>(*it), std::get<2>(*it));
  const auto h = std::lower_bound(horizontal_y_.begin(), horizontal_y_.end(), y);
  if (h != horizontal_y_.end() && *h == y) {
    const auto line = static_cast<std::uint32_t>(n_slanted_ + (h - horizontal_y_.begin()));
    const auto t_begin = line_t_.begin() + line_first_[line], t_end = line_t_.begin() + line_first_[line + 1];
    for (auto it = std::upper_bound(t_begin, t_end, x0); it != t_end && *it < x1; ++it)
      out.emplace_back(*it, line_point_[static_cast<std::size_t>(it - line_t_.begin())]);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second == b.second; }), out.end());
}

void BoundaryMesh::triangulate_caps(std::uint32_t region) {
  chord_.clear();
  for (std::uint32_t k = piece_first_[region]; k < piece_first_[region + 1]; ++k) {
    const CapPiece& p = pieces_[k];
    for (std::uint32_t line : {p.left, p.right})
      for (Nm y : {p.y_lo, p.y_hi}) chord_.emplace_back(y, lines_[line].x_nm(y), corner(line, y));
  }
  std::sort(chord_.begin(), chord_.end());
  chord_.erase(std::unique(chord_.begin(), chord_.end()), chord_.end());
  cap_first_.push_back(static_cast<std::uint32_t>(caps_.size()));
  std::vector<RingPoint> ring;
  std::vector<std::pair<double, PointId>> extra;
  auto push = [&](PointId id, std::uint8_t sides) {
    if (!ring.empty() && ring.back().id == id)
      ring.back().sides |= sides;
    else
      ring.push_back({id, sides});
  };
  for (std::uint32_t k = piece_first_[region]; k < piece_first_[region + 1]; ++k) {
    const CapPiece& p = pieces_[k];
    const LineKey &l = lines_[p.left], &r = lines_[p.right];
    const auto y_lo = static_cast<double>(p.y_lo), y_hi = static_cast<double>(p.y_hi);
    // Counter-clockwise from the bottom left corner, with every point that lies on a side.
    ring.clear();
    push(corner(p.left, p.y_lo), kBottom | kLeft);
    chord_points(p.y_lo, l.x_nm(p.y_lo), r.x_nm(p.y_lo), extra);
    for (const auto& [x, id] : extra) push(id, kBottom);
    push(corner(p.right, p.y_lo), kBottom | kRight);
    for (std::size_t i = point_index(p.right, y_lo) + 1; i < point_index(p.right, y_hi); ++i) push(line_point_[i], kRight);
    push(corner(p.right, p.y_hi), kTop | kRight);
    chord_points(p.y_hi, l.x_nm(p.y_hi), r.x_nm(p.y_hi), extra);
    for (auto it = extra.rbegin(); it != extra.rend(); ++it) push(it->second, kTop);
    push(corner(p.left, p.y_hi), kTop | kLeft);
    for (std::size_t i = point_index(p.left, y_hi); i > point_index(p.left, y_lo) + 1;) push(line_point_[--i], kLeft);
    if (ring.size() > 1 && ring.back().id == ring.front().id) ring.front().sides |= ring.back().sides, ring.pop_back();
    triangulate_convex(ring, caps_);
  }
}

void BoundaryMesh::material_intervals(int material, Spans& spans) const {
  spans.assign(regions_.size(), {0, 0});
  for (std::uint32_t r = 0; r < regions_.size(); ++r) {
    std::uint32_t i = column_first_[r];
    while (i < column_first_[r + 1] && column_[i].material < material) ++i;
    std::uint32_t j = i;
    while (j < column_first_[r + 1] && column_[j].material == material) ++j;
    spans[r] = {i, j};
  }
}

void BoundaryMesh::side_intervals(const std::uint32_t* regions, std::size_t count, const Spans& spans, Intervals& out) const {
  out.clear();
  for (std::size_t k = 0; k < count; ++k)
    for (std::uint32_t i = spans[regions[k]].first; i < spans[regions[k]].second; ++i)
      out.emplace_back(column_[i].z_bottom, column_[i].z_top);
}

void BoundaryMesh::emit_wall(StlWriter& writer, const Wall& wall, const std::vector<std::pair<PointId, Nm>>& breaks,
                             const std::vector<char>& has_breaks) const {
  const Run& run = runs_[wall.run];
  std::vector<Nm> chain_a, chain_b;
  // The heights on the vertical side of a wall at a point: its own ends and every end of
  // another wall at that point in between (where the faces beside it have a vertex).
  auto chain = [&](PointId point, std::vector<Nm>& out) {
    out.clear();
    out.push_back(wall.z_bottom);
    if (has_breaks[point] != 0) {
      auto it = std::upper_bound(breaks.begin(), breaks.end(), std::pair{point, wall.z_bottom});
      for (; it != breaks.end() && it->first == point && it->second < wall.z_top; ++it) out.push_back(it->second);
    }
    out.push_back(wall.z_top);
  };
  auto corner = [&](PointId point, Nm z) {
    return StlWriter::Corner{xy_um_[point][0], xy_um_[point][1], static_cast<float>(layout::to_um(z))};
  };
  for (std::uint32_t p = run.first; p < run.last; ++p) {
    // Seen from outside, counter-clockwise is along a→b at the bottom, with a→b the line's
    // direction when the wall faces right.
    const PointId a = line_point_[wall.faces_right ? p : p + 1], b = line_point_[wall.faces_right ? p + 1 : p];
    chain(a, chain_a), chain(b, chain_b);
    // Outward: right of a→b, level.
    const double ux = double{xy_um_[b][0]} - xy_um_[a][0], uy = double{xy_um_[b][1]} - xy_um_[a][1];
    const double length = std::hypot(ux, uy);
    if (length == 0) continue;  // both ends round to one float point: every facet would be flat
    const StlWriter::Corner normal{static_cast<float>(uy / length), static_cast<float>(-ux / length), 0};
    // Zip the two vertical sides from the bottom up: every facet spans both sides, none is flat.
    std::size_t i = 0, j = 0;
    while (i + 1 < chain_a.size() || j + 1 < chain_b.size()) {
      if (j + 1 < chain_b.size() && (i + 1 == chain_a.size() || chain_b[j + 1] <= chain_a[i + 1])) {
        writer.facet(normal, corner(a, chain_a[i]), corner(b, chain_b[j]), corner(b, chain_b[j + 1]));
        ++j;
      } else {
        writer.facet(normal, corner(a, chain_a[i]), corner(b, chain_b[j]), corner(a, chain_a[i + 1]));
        ++i;
      }
    }
  }
}

BoundaryMesh::MaterialWalls BoundaryMesh::walls_of(const Spans& spans) const {
  MaterialWalls out;
  out.has_breaks.assign(xy_um_.size(), 0);
  Intervals left, right;
  std::vector<std::pair<Nm, int>> events;
  std::vector<WallSpan> spans_of_run;
  for (std::uint32_t k = 0; k < runs_.size(); ++k) {
    const Run& run = runs_[k];
    const std::uint32_t* regions = run_regions_.data() + run.regions;
    side_intervals(regions, run.n_left, spans, left);
    side_intervals(regions + run.n_left, run.n_right, spans, right);
    if (left == right) continue;  // the same column on both sides (the common case)
    wall_spans(left, right, events, spans_of_run);
    for (const WallSpan& span : spans_of_run) {
      for (int copy = 0; copy < std::abs(span.excess); ++copy) out.walls.push_back({k, span.z_bottom, span.z_top, span.excess > 0});
      for (const std::uint32_t end : {run.first, run.last}) {
        const PointId point = line_point_[end];
        out.breaks.emplace_back(point, span.z_bottom), out.breaks.emplace_back(point, span.z_top);
        out.has_breaks[point] = 1;
      }
    }
  }
  std::sort(out.breaks.begin(), out.breaks.end());
  out.breaks.erase(std::unique(out.breaks.begin(), out.breaks.end()), out.breaks.end());
  return out;
}

float BoundaryMesh::cap_normal_z(PointId a, PointId b, PointId c) const {
  // The normal of the facet as stored, so that it always agrees with the corners' order: float
  // rounding may turn a sliver a fraction of a nm wide over (its normal then points in).
  const auto& [ax, ay] = xy_um_[a];
  const auto& [bx, by] = xy_um_[b];
  const auto& [cx, cy] = xy_um_[c];
  const double turn = (double{bx} - ax) * (double{cy} - ay) - (double{by} - ay) * (double{cx} - ax);
  return turn > 0 ? 1.0f : turn < 0 ? -1.0f : 0.0f;
}

void BoundaryMesh::emit_caps(StlWriter& writer, const Spans& spans) const {
  // The top of each run of the material in a column faces up, its bottom down.
  for (std::uint32_t r = 0; r < regions_.size(); ++r) {
    for (std::uint32_t i = spans[r].first; i < spans[r].second; ++i) {
      const auto z_top_um = static_cast<float>(layout::to_um(column_[i].z_top));
      const auto z_bottom_um = static_cast<float>(layout::to_um(column_[i].z_bottom));
      auto at = [&](PointId p, float z_um) { return StlWriter::Corner{xy_um_[p][0], xy_um_[p][1], z_um}; };
      for (std::uint32_t t = cap_first_[r]; t < cap_first_[r + 1]; ++t) {
        const auto& [a, b, c] = caps_[t];
        const float up = cap_normal_z(a, b, c);
        writer.facet({0, 0, up}, at(a, z_top_um), at(b, z_top_um), at(c, z_top_um));
        writer.facet({0, 0, -up}, at(a, z_bottom_um), at(c, z_bottom_um), at(b, z_bottom_um));
      }
    }
  }
}

void BoundaryMesh::write(std::ostream& stream, int material, const std::string& name) const {
  Spans spans;
  material_intervals(material, spans);
  const MaterialWalls walls = walls_of(spans);
  StlWriter writer(stream, name);
  for (const Wall& wall : walls.walls) emit_wall(writer, wall, walls.breaks, walls.has_breaks);
  emit_caps(writer, spans);
  writer.finish();
}

/// File name stem of a material: characters outside [A-Za-z0-9_-] become '_'.
std::string sanitised(const std::string& name, std::size_t index) {
  std::string stem;
  for (char c : name) {
    const bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    stem += keep ? c : '_';
  }
  return stem.empty() ? fmt::format("material_{}", index) : stem;
}

/// One distinct file name per material index: names that sanitise alike get "-<index>" appended
/// so one material never overwrites another.
std::vector<std::string> stl_stems(const std::vector<std::string>& material_names) {
  std::vector<std::string> stems;
  for (std::size_t i = 0; i < material_names.size(); ++i) {
    std::string stem = sanitised(material_names[i], i);
    if (std::find(stems.begin(), stems.end(), stem) != stems.end()) stem += fmt::format("-{}", i);
    stems.push_back(stem);
  }
  return stems;
}

}  // namespace

std::vector<Trapezoid> trapezoids(const Region& region) {
  std::vector<Edge> edges;
  for (const auto& polygon : region) {
    add_ring_edges(polygon.outer, edges);
    for (const auto& hole : polygon.holes) add_ring_edges(hole, edges);
  }
  std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.lo.y < b.lo.y; });
  const std::vector<Nm> ys = distinct_vertex_ys(region);

  // Every vertex height is a slab boundary, so an edge spans a whole slab or none of it: the
  // active list only gains edges starting at a slab's bottom and loses those ending there.
  std::vector<Trapezoid> out;
  std::vector<const Edge*> active;
  std::vector<Crossing> crossings;
  std::size_t next = 0;
  for (std::size_t k = 0; k + 1 < ys.size(); ++k) {
    const Nm y_lo = ys[k], y_hi = ys[k + 1];
    std::erase_if(active, [y_lo](const Edge* e) { return e->hi.y <= y_lo; });
    for (; next < edges.size() && edges[next].lo.y <= y_lo; ++next) active.push_back(&edges[next]);
    if (!active.empty()) decompose_slab(active, y_lo, y_hi, crossings, out);
  }
  return out;
}

double trapezoid_area_um2(const Trapezoid& t) {
  const double width_sum_nm = (t.x1_lo - t.x0_lo) + (t.x1_hi - t.x0_hi);
  return 0.5 * width_sum_nm * static_cast<double>(t.y_hi - t.y_lo) * 1e-6;
}

Export3dStats write_vtu(const std::filesystem::path& path, const std::vector<Prism>& prisms,
                        const std::vector<std::string>& material_names) {
  check_prisms(prisms, material_names);
  const VtuGrid grid(prisms);
  // First pass: the sizes, so that the header can give every array's offset before the data.
  Export3dStats stats;
  VtuSizes sizes;
  grid.for_each_trapezoid([&](const VtuColumn& column, const Trapezoid& t, std::size_t) {
    stats.points += (is_triangle(t) ? 3 : 4) * column.levels.size();
  });
  grid.for_each_cell([&](const VtuCell& cell) {
    ++stats.cells;
    sizes.connectivity += cell.corners == 3 ? 6 : 8;
    stats.volume_m3 += trapezoid_area_um2(cell.trapezoid) * layout::to_um(cell.prism.z_top - cell.prism.z_bottom) * 1e-18;
  });
  const IndexType node_index = index_type_for(stats.points), offset_index = index_type_for(sizes.connectivity);
  const std::string header = vtu_header(stats, sizes, material_names, node_index, offset_index);
  // Later passes stream one array each, so memory stays at the trapezoids whatever the size.
  design::write_file_atomically(path, [&](std::ostream& stream) {
    stream << header;
    {
      BinaryOut out(stream);
      put_vtu_points(out, grid, stats.points);
      put_vtu_cells(out, grid, stats, sizes, node_index, offset_index);
    }
    stream << "\n  </AppendedData>\n</VTKFile>\n";
  });
  return stats;
}

std::vector<std::filesystem::path> write_stl_per_material(const std::filesystem::path& folder,
                                                          const std::vector<Prism>& prisms,
                                                          const std::vector<std::string>& material_names) {
  check_prisms(prisms, material_names);
  std::set<int> used;  // only materials some prism uses get a file
  for (const Prism& prism : prisms) used.insert(prism.material);
  const BoundaryMesh mesh(prisms);
  std::filesystem::create_directories(folder);
  const std::vector<std::string> stems = stl_stems(material_names);
  std::vector<std::filesystem::path> written;
  // One material at a time, streamed: memory holds the shared xy structure and one material's
  // walls, never a file's facets.
  for (int material : used) {
    const auto index = static_cast<std::size_t>(material);
    const std::filesystem::path path = folder / (stems[index] + ".stl");
    design::write_file_atomically(path, [&](std::ostream& stream) { mesh.write(stream, material, material_names[index]); });
    written.push_back(path);
  }
  return written;
}

}  // namespace wlp::process
