#include "process/export3d.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <ostream>
#include <set>
#include <stdexcept>

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

// --- prism geometry shared by the writers -------------------------------------------------------

struct Vec3 {
  double x = 0, y = 0, z = 0;
};

/// A trapezoid's corners in µm, counter-clockwise seen from above: (x0,y_lo) (x1,y_lo)
/// (x1,y_hi) (x0,y_hi). On a triangle two consecutive corners coincide exactly.
std::array<Vec3, 4> ring_um(const Trapezoid& t, double z_um) {
  const double y_lo = layout::to_um(t.y_lo), y_hi = layout::to_um(t.y_hi);
  return {Vec3{t.x0_lo * 1e-3, y_lo, z_um}, Vec3{t.x1_lo * 1e-3, y_lo, z_um}, Vec3{t.x1_hi * 1e-3, y_hi, z_um},
          Vec3{t.x0_hi * 1e-3, y_hi, z_um}};
}

bool is_triangle(const Trapezoid& t) { return t.x0_lo == t.x1_lo || t.x0_hi == t.x1_hi; }

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

/// Trapezoids of each distinct region: the columns of a wafer model share regions between films.
class TrapezoidCache {
 public:
  const std::vector<Trapezoid>& of(const Region* region) {
    auto [it, inserted] = cache_.try_emplace(region);
    if (inserted) it->second = trapezoids(*region);
    return it->second;
  }

 private:
  std::map<const Region*, std::vector<Trapezoid>> cache_;
};

// --- VTU ---------------------------------------------------------------------------------------

constexpr int kVtkHexahedron = 12;
constexpr int kVtkWedge = 13;

/// Three corners of a triangle's ring, counter-clockwise seen from above (the repeated corner
/// dropped).
std::array<Vec3, 3> triangle_corners(const Trapezoid& t, const std::array<Vec3, 4>& ring) {
  if (t.x0_lo == t.x1_lo) return {ring[0], ring[2], ring[3]};
  return {ring[0], ring[1], ring[2]};
}

/// The nodes of one extruded trapezoid in VTK order; returns the VTK cell type. A hexahedron
/// has its bottom face counter-clockwise seen from above, then the top face. A wedge
/// (VTK_WEDGE) wants its base triangle (0,1,2) with the right-hand normal pointing away from
/// the opposite triangle (3,4,5): clockwise seen from above, the reverse of the hexahedron.
int cell_nodes(const Trapezoid& t, double z_bottom_um, double z_top_um, std::array<Vec3, 8>& nodes, int& count) {
  const auto bottom = ring_um(t, z_bottom_um), top = ring_um(t, z_top_um);
  if (is_triangle(t)) {
    const auto b = triangle_corners(t, bottom), u = triangle_corners(t, top);
    nodes = {b[0], b[2], b[1], u[0], u[2], u[1], Vec3{}, Vec3{}};
    count = 6;
    return kVtkWedge;
  }
  nodes = {bottom[0], bottom[1], bottom[2], bottom[3], top[0], top[1], top[2], top[3]};
  count = 8;
  return kVtkHexahedron;
}

/// Buffered little-endian binary output (x86 and ARM Linux are little-endian; checked).
class BinaryOut {
 public:
  explicit BinaryOut(std::ostream& stream) : stream_(stream) { buffer_.reserve(kChunk); }
  ~BinaryOut() { flush(); }
  BinaryOut(const BinaryOut&) = delete;
  BinaryOut& operator=(const BinaryOut&) = delete;
  template <typename T>
  void put(T value) {
    static_assert(std::endian::native == std::endian::little, "VTU appended data is written little-endian");
    const auto* bytes = reinterpret_cast<const char*>(&value);
    buffer_.insert(buffer_.end(), bytes, bytes + sizeof(T));
    if (buffer_.size() >= kChunk) flush();
  }
  void flush() {
    stream_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

 private:
  static constexpr std::size_t kChunk = 1 << 20;
  std::ostream& stream_;
  std::vector<char> buffer_;
};

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

// --- STL ---------------------------------------------------------------------------------------

struct Vec3f {
  float x = 0, y = 0, z = 0;
  friend bool operator==(const Vec3f&, const Vec3f&) = default;
};

Vec3f to_float(const Vec3& p) { return {static_cast<float>(p.x), static_cast<float>(p.y), static_cast<float>(p.z)}; }

/// Binary STL is little-endian whatever the host: bytes are laid out explicitly.
void put_u32(std::string& out, std::uint32_t value) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>((value >> shift) & 0xffu);
}
void put_float(std::string& out, float value) { put_u32(out, std::bit_cast<std::uint32_t>(value)); }
void put_vec(std::string& out, const Vec3f& v) {
  put_float(out, v.x);
  put_float(out, v.y);
  put_float(out, v.z);
}

/// Unit normal of the triangle as stored (float corners), by the right-hand rule.
Vec3f facet_normal(const Vec3f& a, const Vec3f& b, const Vec3f& c) {
  const double ux = double{b.x} - a.x, uy = double{b.y} - a.y, uz = double{b.z} - a.z;
  const double vx = double{c.x} - a.x, vy = double{c.y} - a.y, vz = double{c.z} - a.z;
  const double nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
  const double length = std::sqrt(nx * nx + ny * ny + nz * nz);
  if (length == 0) return {};
  return to_float({nx / length, ny / length, nz / length});
}

/// Facets of one material: the bytes after the STL header and count.
struct StlBody {
  std::string facets;
  std::uint32_t count = 0;
};

void add_facet(StlBody& body, const Vec3& pa, const Vec3& pb, const Vec3& pc) {
  const Vec3f a = to_float(pa), b = to_float(pb), c = to_float(pc);
  // The collapsed side of a triangle makes facets with repeated corners: they have no area and
  // their edges cancel out, so the shell stays closed without them.
  if (a == b || b == c || c == a) return;
  put_vec(body.facets, facet_normal(a, b, c));
  put_vec(body.facets, a);
  put_vec(body.facets, b);
  put_vec(body.facets, c);
  body.facets += std::string(2, '\0');  // attribute byte count, unused
  ++body.count;
}

/// A planar quad given counter-clockwise seen from outside, as two facets.
void add_quad(StlBody& body, const Vec3& a, const Vec3& b, const Vec3& c, const Vec3& d) {
  add_facet(body, a, b, c);
  add_facet(body, a, c, d);
}

/// The closed surface of one extruded trapezoid, every facet counter-clockwise seen from outside.
void add_shell(StlBody& body, const Trapezoid& t, double z_bottom_um, double z_top_um) {
  const auto b = ring_um(t, z_bottom_um), u = ring_um(t, z_top_um);
  add_quad(body, u[0], u[1], u[2], u[3]);  // top: the ring is counter-clockwise from above
  add_quad(body, b[0], b[3], b[2], b[1]);  // bottom: reversed, seen from below
  for (std::size_t i = 0; i < 4; ++i) {
    // The ring runs counter-clockwise, so the outside of edge i→j is on its right; going
    // along the bottom edge then up makes the side counter-clockwise seen from there.
    const std::size_t j = (i + 1) % 4;
    add_quad(body, b[i], b[j], u[j], u[i]);
  }
}

std::string stl_file(const std::string& material, const StlBody& body) {
  // The header must not start with "solid": some readers then take the file for ASCII STL.
  std::string header = fmt::format("wlpkit binary STL, material {}, units um", material);
  header.resize(80, ' ');
  std::string bytes = header;
  put_u32(bytes, body.count);
  bytes += body.facets;
  return bytes;
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
  TrapezoidCache cache;
  // A film of zero thickness has no volume; its cells would be flat and degenerate.
  auto for_each_cell = [&](const auto& visit) {
    for (const Prism& prism : prisms) {
      if (prism.z_top == prism.z_bottom) continue;
      const double z_bottom_um = layout::to_um(prism.z_bottom), z_top_um = layout::to_um(prism.z_top);
      for (const Trapezoid& t : cache.of(prism.region)) visit(prism, t, z_bottom_um, z_top_um);
    }
  };
  // First pass: the sizes, so that the header can give every array's offset before the data.
  Export3dStats stats;
  for_each_cell([&](const Prism&, const Trapezoid& t, double z_bottom_um, double z_top_um) {
    ++stats.cells;
    stats.points += is_triangle(t) ? 6 : 8;
    stats.volume_m3 += trapezoid_area_um2(t) * (z_top_um - z_bottom_um) * 1e-18;
  });
  // Raw appended blocks, each a UInt64 byte count then the values.
  const std::size_t points_bytes = stats.points * 3 * sizeof(double), connectivity_bytes = stats.points * 8,
                    offsets_bytes = stats.cells * 8, types_bytes = stats.cells, int_bytes = stats.cells * 4;
  std::size_t offset = 0;
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
  auto next = [&](std::size_t bytes) {
    const std::size_t at = offset;
    offset += 8 + bytes;
    return at;
  };
  header += "      <Points>\n" + appended_array("Float64", "Points", 3, next(points_bytes)) + "      </Points>\n";
  header += "      <Cells>\n" + appended_array("Int64", "connectivity", 1, next(connectivity_bytes));
  header += appended_array("Int64", "offsets", 1, next(offsets_bytes));
  header += appended_array("UInt8", "types", 1, next(types_bytes)) + "      </Cells>\n";
  header += "      <CellData Scalars=\"material\">\n" + appended_array("Int32", "material", 1, next(int_bytes));
  header += appended_array("Int32", "film", 1, next(int_bytes)) + "      </CellData>\n";
  header += "    </Piece>\n  </UnstructuredGrid>\n  <AppendedData encoding=\"raw\">\n   _";
  // Later passes stream one array each, so memory stays at the trapezoids whatever the size.
  design::write_file_atomically(path, [&](std::ostream& stream) {
    stream << header;
    BinaryOut out(stream);
    std::array<Vec3, 8> nodes{};
    int count = 0;
    out.put<std::uint64_t>(points_bytes);
    for_each_cell([&](const Prism&, const Trapezoid& t, double zb, double zt) {
      cell_nodes(t, zb, zt, nodes, count);
      for (int i = 0; i < count; ++i) {
        const Vec3& n = nodes[static_cast<std::size_t>(i)];
        out.put(n.x), out.put(n.y), out.put(n.z);
      }
    });
    out.put<std::uint64_t>(connectivity_bytes);
    for (std::size_t i = 0; i < stats.points; ++i) out.put(static_cast<std::int64_t>(i));  // no shared nodes
    out.put<std::uint64_t>(offsets_bytes);
    std::int64_t end = 0;
    for_each_cell([&](const Prism&, const Trapezoid& t, double, double) { out.put(end += is_triangle(t) ? 6 : 8); });
    out.put<std::uint64_t>(types_bytes);
    for_each_cell([&](const Prism&, const Trapezoid& t, double, double) {
      out.put(static_cast<std::uint8_t>(is_triangle(t) ? kVtkWedge : kVtkHexahedron));
    });
    out.put<std::uint64_t>(int_bytes);
    for_each_cell([&](const Prism& prism, const Trapezoid&, double, double) { out.put(static_cast<std::int32_t>(prism.material)); });
    out.put<std::uint64_t>(int_bytes);
    for_each_cell([&](const Prism& prism, const Trapezoid&, double, double) { out.put(static_cast<std::int32_t>(prism.film)); });
    out.flush();
    stream << "\n  </AppendedData>\n</VTKFile>\n";
  });
  return stats;
}

std::vector<std::filesystem::path> write_stl_per_material(const std::filesystem::path& folder,
                                                          const std::vector<Prism>& prisms,
                                                          const std::vector<std::string>& material_names) {
  check_prisms(prisms, material_names);
  TrapezoidCache cache;
  std::set<int> used;  // only materials some prism uses get a file
  for (const Prism& prism : prisms) used.insert(prism.material);
  std::filesystem::create_directories(folder);
  const std::vector<std::string> stems = stl_stems(material_names);
  std::vector<std::filesystem::path> written;
  // One material at a time: memory holds one file's facets, not all of them.
  for (int material : used) {
    StlBody body;
    for (const Prism& prism : prisms) {
      if (prism.material != material || prism.z_top == prism.z_bottom) continue;
      const double z_bottom_um = layout::to_um(prism.z_bottom), z_top_um = layout::to_um(prism.z_top);
      for (const Trapezoid& t : cache.of(prism.region)) add_shell(body, t, z_bottom_um, z_top_um);
    }
    const auto index = static_cast<std::size_t>(material);
    const std::filesystem::path path = folder / (stems[index] + ".stl");
    design::write_file_atomically(path, stl_file(material_names[index], body));
    written.push_back(path);
  }
  return written;
}

}  // namespace wlp::process
