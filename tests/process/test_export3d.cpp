// 3D export: the trapezoid sweep against Clipper's area (an independent measure), the VTU read
// back by Python's XML parser with cell volumes recomputed from VTK's own face lists and opened
// by VTK itself (python3-vtk9); each STL checked from its facets alone (every directed edge met
// by its reverse, every part enclosing a positive volume, by the divergence theorem), against
// closed-form areas, a voxel count and a built model's volumes, and by ADMesh (admesh).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <numbers>
#include <numeric>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "layout/die_layout.h"
#include "process/build.h"
#include "process/export3d.h"
#include "support/test_support.h"

namespace wlp::process {
namespace {

using layout::Box;
using layout::Nm;
using layout::Point;
using layout::Polygon;
using layout::Region;
using layout::Ring;

// --- shapes -----------------------------------------------------------------------------------

/// Regular n-gon on a circle, counter-clockwise, with a vertex at angle 0 (so, for n a multiple
/// of 4, vertices at the top and bottom: the sweep then makes triangles there).
Ring ngon(Point centre, Nm radius, int n) {
  Ring ring;
  for (int k = 0; k < n; ++k) {
    const double angle = 2 * std::numbers::pi * k / n;
    ring.push_back({centre.x + std::llround(static_cast<double>(radius) * std::cos(angle)),
                    centre.y + std::llround(static_cast<double>(radius) * std::sin(angle))});
  }
  return ring;
}

Ring reversed(Ring ring) {
  std::reverse(ring.begin(), ring.end());
  return ring;
}

Polygon box_nm(Nm x0, Nm y0, Nm x1, Nm y1) { return layout::box_polygon(Box{{x0, y0}, {x1, y1}}); }

Region box_with_square_hole() {
  Polygon p = box_nm(0, 0, 100'000, 80'000);
  p.holes.push_back(reversed(box_nm(30'000, 20'000, 60'000, 50'000).outer));
  return {p};
}

Region circle_256() { return {Polygon{ngon({12'345, -6'789}, 150'000, 256), {}}}; }

Region polygon_with_circular_holes() {
  Polygon p = box_nm(-500'000, -400'000, 500'000, 400'000);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j)
      p.holes.push_back(reversed(ngon({-360'000 + i * 240'000 + j * 7'001, -250'000 + j * 250'000}, 90'000, 64)));
  return {p};
}

/// A 4 × 4 mm die field with 81 round openings (256 vertices each) on a 400 µm pitch, built by
/// Clipper as the wafer model builds its films.
Region die_field_81_holes() {
  Region holes;
  for (int i = 0; i < 9; ++i)
    for (int j = 0; j < 9; ++j)
      holes.push_back(Polygon{ngon({400'000 + i * 400'000, 400'000 + j * 400'000}, 100'000, 256), {}});
  return layout::region_not({box_nm(0, 0, 4'000'000, 4'000'000)}, holes);
}

double area_sum_um2(const std::vector<Trapezoid>& pieces) {
  double sum = 0;
  for (const auto& t : pieces) sum += trapezoid_area_um2(t);
  return sum;
}

/// The sweep's pieces add up to Clipper's area and stay inside the bounding box, well formed.
void expect_decomposes(const Region& region) {
  const std::vector<Trapezoid> pieces = trapezoids(region);
  const double expected = layout::area_um2(region);
  ASSERT_GT(expected, 0);
  EXPECT_NEAR(area_sum_um2(pieces), expected, 1e-9 * expected);
  const Box box = layout::bounding_box(region);
  const auto x_min = static_cast<double>(box.lo.x), x_max = static_cast<double>(box.hi.x);
  for (const auto& t : pieces) {
    ASSERT_LT(t.y_lo, t.y_hi);
    ASSERT_GE(t.y_lo, box.lo.y);
    ASSERT_LE(t.y_hi, box.hi.y);
    for (double x : {t.x0_lo, t.x1_lo, t.x0_hi, t.x1_hi}) {
      ASSERT_GE(x, x_min);
      ASSERT_LE(x, x_max);
    }
    ASSERT_LE(t.x0_lo, t.x1_lo);
    ASSERT_LE(t.x0_hi, t.x1_hi);
    ASSERT_GT(trapezoid_area_um2(t), 0);
  }
}

// --- trapezoids --------------------------------------------------------------------------------

TEST(Trapezoids, BoxIsOneRectangle) {
  const Region region{box_nm(-1'000, 2'000, 5'000, 9'000)};
  expect_decomposes(region);
  const auto pieces = trapezoids(region);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].y_lo, 2'000);
  EXPECT_EQ(pieces[0].y_hi, 9'000);
  EXPECT_EQ(pieces[0].x0_lo, -1'000);
  EXPECT_EQ(pieces[0].x1_hi, 5'000);
  EXPECT_DOUBLE_EQ(trapezoid_area_um2(pieces[0]), 6.0 * 7.0);
}

TEST(Trapezoids, BoxWithSquareHole) {
  expect_decomposes(box_with_square_hole());
  // Below, beside (left and right of) and above the hole.
  EXPECT_EQ(trapezoids(box_with_square_hole()).size(), 4u);
}

TEST(Trapezoids, Circle256Vertices) {
  const Region region = circle_256();
  ASSERT_EQ(layout::vertex_count(region), 256u);
  expect_decomposes(region);
}

TEST(Trapezoids, CircleFromGeometryHelper) { expect_decomposes({layout::circle({0, 0}, 120'000)}); }

TEST(Trapezoids, TwoDisjointPolygons) {
  expect_decomposes({box_nm(0, 0, 10'000, 10'000), Polygon{ngon({50'000, 5'000}, 20'000, 40), {}}});
}

TEST(Trapezoids, PolygonWithCircularHoles) { expect_decomposes(polygon_with_circular_holes()); }

TEST(Trapezoids, TriangleHasAPointedPiece) {
  const Region region{Polygon{{{0, 0}, {10'000, 0}, {4'000, 6'000}}, {}}};
  expect_decomposes(region);
  const auto pieces = trapezoids(region);
  ASSERT_EQ(pieces.size(), 1u);
  EXPECT_EQ(pieces[0].x0_hi, pieces[0].x1_hi);
  EXPECT_EQ(pieces[0].x0_hi, 4'000);
}

TEST(Trapezoids, EmptyAndDegenerateRegionsGiveNothing) {
  EXPECT_TRUE(trapezoids({}).empty());
  EXPECT_TRUE(trapezoids({Polygon{{{0, 0}, {10, 0}, {20, 0}}, {}}}).empty());  // collinear
}

/// Area (µm²) of the intersection of two convex counter-clockwise polygons, clipped in double
/// precision (Sutherland–Hodgman): exact up to rounding, unlike a boolean on the nm grid.
double convex_overlap_um2(const Ring& subject, const Ring& clip) {
  using P = std::array<double, 2>;
  std::vector<P> poly;
  for (const auto& p : subject) poly.push_back({static_cast<double>(p.x), static_cast<double>(p.y)});
  for (std::size_t i = 0; i < clip.size(); ++i) {
    const P a{static_cast<double>(clip[i].x), static_cast<double>(clip[i].y)};
    const P b{static_cast<double>(clip[(i + 1) % clip.size()].x), static_cast<double>(clip[(i + 1) % clip.size()].y)};
    auto side = [&](const P& p) { return (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]); };
    std::vector<P> kept;
    for (std::size_t k = 0; k < poly.size(); ++k) {
      const P& p = poly[k];
      const P& q = poly[(k + 1) % poly.size()];
      const double sp = side(p), sq = side(q);
      if (sp >= 0) kept.push_back(p);
      if ((sp >= 0) != (sq >= 0)) {
        const double t = sp / (sp - sq);
        kept.push_back({p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])});
      }
    }
    poly = kept;
  }
  double twice = 0;
  for (std::size_t k = 0; k < poly.size(); ++k) {
    const P& p = poly[k];
    const P& q = poly[(k + 1) % poly.size()];
    twice += p[0] * q[1] - q[0] * p[1];
  }
  return twice / 2 * 1e-6;
}

TEST(Trapezoids, OverlappingPolygonsCountEvenOdd) {
  // Two diamonds whose slanted edges cross between vertex heights, off the nm grid: the sweep
  // must cut the slabs where they cross. Even-odd counts the overlap out: A + B - 2 (A and B).
  const Polygon a{{{0, 50'000}, {50'000, 0}, {100'000, 50'000}, {50'000, 100'000}}, {}};
  const Polygon b{{{30'000, 41'000}, {90'000, -20'000}, {150'000, 41'000}, {90'000, 103'000}}, {}};
  const auto pieces = trapezoids({a, b});
  const double overlap = convex_overlap_um2(a.outer, b.outer);
  ASSERT_GT(overlap, 1000);
  const double expected = layout::area_um2(a) + layout::area_um2(b) - 2 * overlap;
  // Cuts land on the nm grid, leaving sub-nm² slivers where edges cross near a cut.
  EXPECT_NEAR(area_sum_um2(pieces), expected, 1e-9 * expected);
  for (const auto& t : pieces) {
    EXPECT_LE(t.x0_lo, t.x1_lo);
    EXPECT_LE(t.x0_hi, t.x1_hi);
  }
}

TEST(Trapezoids, DieFieldWith81HolesIsFast) {
  const Region field = die_field_81_holes();
  ASSERT_GT(layout::vertex_count(field), 81u * 256u);
  const auto start = std::chrono::steady_clock::now();
  const auto pieces = trapezoids(field);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << fmt::format("[ measured ] {} vertices -> {} trapezoids in {:.2f} ms\n", layout::vertex_count(field),
                           pieces.size(), seconds * 1e3);
  (void)seconds;  // speed is a benchmark (bench/), not a test
  expect_decomposes(field);
}

// --- VTU ----------------------------------------------------------------------------------------

bool have_python() { return std::filesystem::exists("/usr/bin/python3"); }

/// Reads a VTU with Python's XML parser and recomputes each cell's volume by the divergence
/// theorem over the faces VTK defines for the cell type (vtkHexahedron / vtkWedge face lists,
/// outward for a correctly ordered cell), so a wrong node order shows as a negative volume.
constexpr const char* kVtuReader = R"PY(
import struct, sys, xml.etree.ElementTree as ET
data = open(sys.argv[1], 'rb').read()
# The XML part ends where the raw appended block begins ('_' marks its first byte).
mark = data.index(b'<AppendedData encoding="raw">')
block = data.index(b'_', mark) + 1
root = ET.fromstring(data[:mark] + b'</VTKFile>')
assert root.tag == 'VTKFile' and root.get('type') == 'UnstructuredGrid'
assert root.get('byte_order') == 'LittleEndian' and root.get('header_type') == 'UInt64'
grid = root.find('UnstructuredGrid')
piece = grid.find('Piece')
CODES = {'Float64': 'd', 'Int64': 'q', 'Int32': 'i', 'UInt8': 'B'}
def array(parent, name):
    found = [a for a in parent.findall('DataArray') if a.get('Name') == name]
    assert len(found) == 1, name
    assert found[0].get('format') == 'appended'
    at = block + int(found[0].get('offset'))
    (size,) = struct.unpack_from('<Q', data, at)
    code = CODES[found[0].get('type')]
    return struct.unpack_from('<%d%s' % (size // struct.calcsize(code), code), data, at + 8)
n_points, n_cells = int(piece.get('NumberOfPoints')), int(piece.get('NumberOfCells'))
xyz = [float(v) for v in array(piece.find('Points'), 'Points')]
assert len(xyz) == 3 * n_points
P = [xyz[3 * i:3 * i + 3] for i in range(n_points)]
cells = piece.find('Cells')
conn = [int(v) for v in array(cells, 'connectivity')]
offsets = [int(v) for v in array(cells, 'offsets')]
types = [int(v) for v in array(cells, 'types')]
material = [int(v) for v in array(piece.find('CellData'), 'material')]
film = [int(v) for v in array(piece.find('CellData'), 'film')]
assert len(offsets) == len(types) == len(material) == len(film) == n_cells
assert (offsets[-1] if offsets else 0) == len(conn)
FACES = {12: [(0, 4, 7, 3), (1, 2, 6, 5), (0, 1, 5, 4), (3, 7, 6, 2), (0, 3, 2, 1), (4, 5, 6, 7)],
         13: [(0, 1, 2), (3, 5, 4), (0, 3, 4, 1), (1, 4, 5, 2), (2, 5, 3, 0)]}
SIZE = {12: 8, 13: 6}
def sub(a, b): return [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
def triple(a, b, c): return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0])
total, smallest, start, counts = 0.0, float('inf'), 0, {12: 0, 13: 0}
for cell in range(n_cells):
    t = types[cell]
    nodes = conn[start:offsets[cell]]
    start = offsets[cell]
    assert len(nodes) == SIZE[t]
    counts[t] += 1
    o = P[nodes[0]]
    volume = 0.0
    for face in FACES[t]:
        q = [sub(P[nodes[k]], o) for k in face]
        for k in range(1, len(q) - 1):
            volume += triple(q[0], q[k], q[k + 1]) / 6
    total += volume
    smallest = min(smallest, volume)
codes = [int(v) for v in grid.find('FieldData').find('Array').text.split()]
names = bytes(codes).split(b'\0')[:-1]
print('points', n_points)
print('cells', n_cells)
print('hexahedra', counts[12])
print('wedges', counts[13])
print('volume_um3', repr(total))
print('smallest_um3', repr(smallest))
print('names', '|'.join(n.decode() for n in names))
for m in sorted(set(material)):
    print('material_cells_%d' % m, material.count(m))
for f in sorted(set(film)):
    print('film_cells_%d' % f, film.count(f))
)PY";

/// "key value" lines into a map.
std::map<std::string, std::string> key_values(const std::string& text) {
  std::map<std::string, std::string> values;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto space = line.find(' ');
    if (space != std::string::npos) values[line.substr(0, space)] = line.substr(space + 1);
  }
  return values;
}

std::map<std::string, std::string> read_vtu_with_python(const test::ScratchDir& scratch, const std::filesystem::path& vtu) {
  const auto script = scratch.write("read_vtu.py", kVtuReader);
  const test::CliResult result = test::run_command("/usr/bin/python3 " + test::quoted(script.string()) + " " + test::quoted(vtu.string()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return key_values(result.out);
}

/// Volume of the prisms in µm³, from Clipper's area (independent of the sweep).
double prism_volume_um3(const std::vector<Prism>& prisms) {
  double volume = 0;
  for (const auto& p : prisms) volume += layout::area_um2(*p.region) * layout::to_um(p.z_top - p.z_bottom);
  return volume;
}

std::size_t trapezoid_count(const Region& region) { return trapezoids(region).size(); }

TEST(ExportVtu, BoxPrismParsesBack) {
  ASSERT_TRUE(have_python()) << "no /usr/bin/python3: run scripts/setup.sh";
  test::ScratchDir scratch;
  const Region box{box_nm(0, 0, 200'000, 100'000)};
  const std::vector<Prism> prisms{{&box, 0, 5'000, 0, 1}};
  const auto path = scratch.path() / "box.vtu";
  const Export3dStats stats = write_vtu(path, prisms, {"Cu"});
  EXPECT_EQ(stats.cells, 1u);
  EXPECT_EQ(stats.points, 8u);
  EXPECT_NEAR(stats.volume_m3, 200e-6 * 100e-6 * 5e-6, 1e-24);
  const auto vtu = read_vtu_with_python(scratch, path);
  EXPECT_EQ(vtu.at("points"), "8");
  EXPECT_EQ(vtu.at("cells"), "1");
  EXPECT_EQ(vtu.at("hexahedra"), "1");
  EXPECT_NEAR(std::stod(vtu.at("volume_um3")), 200.0 * 100.0 * 5.0, 1e-9);
  EXPECT_GT(std::stod(vtu.at("smallest_um3")), 0);
  EXPECT_EQ(vtu.at("names"), "Cu");
  EXPECT_EQ(vtu.at("film_cells_1"), "1");
}

TEST(ExportVtu, StackedColumnSharesItsNodes) {
  ASSERT_TRUE(have_python()) << "no /usr/bin/python3: run scripts/setup.sh";
  test::ScratchDir scratch;
  // Three films on one box and one on a triangle: a column's cells share the nodes of each
  // height (4 corners x 5 heights, 3 corners x 2), and every cell keeps a positive volume.
  const Region box{box_nm(0, 0, 200'000, 100'000)}, triangle{Polygon{{{0, 0}, {10'000, 0}, {4'000, 6'000}}, {}}};
  const std::vector<Prism> prisms{{&box, 0, 2'000, 0, 0}, {&box, 2'000, 5'000, 1, 1}, {&box, 7'000, 8'000, 0, 2},
                                  {&triangle, 0, 1'000, 1, 3}};
  const auto path = scratch.path() / "stack.vtu";
  const Export3dStats stats = write_vtu(path, prisms, {"Cu", "PI"});
  EXPECT_EQ(stats.cells, 4u);
  EXPECT_EQ(stats.points, 4u * 5u + 3u * 2u);
  const auto vtu = read_vtu_with_python(scratch, path);
  EXPECT_EQ(vtu.at("points"), std::to_string(stats.points));
  EXPECT_EQ(vtu.at("hexahedra"), "3");
  EXPECT_EQ(vtu.at("wedges"), "1");
  const double volume_um3 = prism_volume_um3(prisms);
  EXPECT_NEAR(std::stod(vtu.at("volume_um3")), volume_um3, 1e-9 * volume_um3);
  EXPECT_NEAR(std::stod(vtu.at("smallest_um3")), 0.5 * 10.0 * 6.0 * 1.0, 1e-9);
  EXPECT_EQ(vtu.at("material_cells_0"), "2");
  EXPECT_EQ(vtu.at("film_cells_3"), "1");
}

TEST(ExportVtu, RegionWithHoleAndWedgesParsesBack) {
  ASSERT_TRUE(have_python()) << "no /usr/bin/python3: run scripts/setup.sh";
  test::ScratchDir scratch;
  const Region holed = box_with_square_hole(), round = circle_256(), holes = polygon_with_circular_holes();
  const std::vector<Prism> prisms{{&holed, 0, 3'000, 1, 0}, {&round, 3'000, 10'500, 0, 1}, {&holes, -2'000, 0, 2, 2}};
  const std::vector<std::string> names{"Cu", "polyimide (PI)", "SnAg"};
  const auto path = scratch.path() / "films.vtu";
  const Export3dStats stats = write_vtu(path, prisms, names);

  const std::size_t expected_cells = trapezoid_count(holed) + trapezoid_count(round) + trapezoid_count(holes);
  EXPECT_EQ(stats.cells, expected_cells);
  const double volume_um3 = prism_volume_um3(prisms);
  EXPECT_NEAR(stats.volume_m3, volume_um3 * 1e-18, 1e-9 * volume_um3 * 1e-18);

  const auto vtu = read_vtu_with_python(scratch, path);
  EXPECT_EQ(vtu.at("points"), std::to_string(stats.points));
  EXPECT_EQ(vtu.at("cells"), std::to_string(expected_cells));
  // The circle has a vertex at its top and bottom: those slabs are triangles, hence wedges.
  EXPECT_GE(std::stoul(vtu.at("wedges")), 2u);
  EXPECT_EQ(std::stoul(vtu.at("hexahedra")) + std::stoul(vtu.at("wedges")), expected_cells);
  EXPECT_EQ(std::stoul(vtu.at("hexahedra")) * 8 + std::stoul(vtu.at("wedges")) * 6, stats.points);
  EXPECT_NEAR(std::stod(vtu.at("volume_um3")), volume_um3, 1e-9 * volume_um3);
  EXPECT_GT(std::stod(vtu.at("smallest_um3")), 0);
  EXPECT_EQ(vtu.at("names"), "Cu|polyimide (PI)|SnAg");
  EXPECT_EQ(vtu.at("material_cells_1"), std::to_string(trapezoid_count(holed)));
  EXPECT_EQ(vtu.at("material_cells_0"), std::to_string(trapezoid_count(round)));
  EXPECT_EQ(vtu.at("film_cells_2"), std::to_string(trapezoid_count(holes)));
}

TEST(ExportVtu, RejectsBadPrisms) {
  test::ScratchDir scratch;
  const Region box{box_nm(0, 0, 10, 10)};
  EXPECT_THROW(write_vtu(scratch.path() / "a.vtu", {{&box, 0, 10, 1, 0}}, {"Cu"}), std::invalid_argument);
  EXPECT_THROW(write_vtu(scratch.path() / "b.vtu", {{nullptr, 0, 10, 0, 0}}, {"Cu"}), std::invalid_argument);
  EXPECT_THROW(write_vtu(scratch.path() / "c.vtu", {{&box, 10, 0, 0, 0}}, {"Cu"}), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "a.vtu"));
}

/// Opens the VTU with VTK's own reader (python3-vtk9): prints "novtk" when VTK is not installed.
constexpr const char* kVtkCheck = R"PY(
import sys
try:
    from vtkmodules.vtkIOXML import vtkXMLUnstructuredGridReader
    from vtkmodules.vtkFiltersVerdict import vtkCellSizeFilter, vtkMeshQuality
    from vtkmodules.vtkCommonCore import vtkFileOutputWindow, vtkOutputWindow
except ImportError:
    print('novtk')
    sys.exit(0)
reader = vtkXMLUnstructuredGridReader()
reader.SetFileName(sys.argv[1])
reader.Update()
grid = reader.GetOutput()
sizes = vtkCellSizeFilter()
sizes.SetInputData(grid)
sizes.Update()
volume = sizes.GetOutput().GetCellData().GetArray('Volume')
values = [volume.GetValue(i) for i in range(volume.GetNumberOfTuples())]
quality = vtkMeshQuality()
quality.SetInputData(grid)
quality.SetHexQualityMeasureToVolume()
quality.Update()
q = quality.GetOutput().GetCellData().GetArray('Quality')
hex_volumes = [q.GetValue(i) for i in range(grid.GetNumberOfCells()) if grid.GetCellType(i) == 12]
names = grid.GetFieldData().GetAbstractArray('material_names')
print('cells', grid.GetNumberOfCells())
print('points', grid.GetNumberOfPoints())
print('smallest_um3', repr(min(values)))
print('volume_um3', repr(sum(values)))
print('smallest_hex_um3', repr(min(hex_volumes)))
print('names', '|'.join(names.GetValue(i) for i in range(names.GetNumberOfValues())))
print('material_range', '%d-%d' % tuple(grid.GetCellData().GetArray('material').GetRange()))
)PY";

TEST(ExportVtu, OpensInVtk) {
  ASSERT_TRUE(have_python()) << "no /usr/bin/python3: run scripts/setup.sh";
  test::ScratchDir scratch;
  const Region holed = box_with_square_hole(), round = circle_256();
  // A column of three films on the holed box shares its nodes between the cells.
  const std::vector<Prism> prisms{{&holed, 0, 3'000, 0, 0}, {&holed, 3'000, 4'000, 1, 2}, {&holed, 4'000, 9'000, 0, 3},
                                  {&round, 3'000, 10'500, 1, 1}};
  const auto path = scratch.path() / "films.vtu";
  const Export3dStats stats = write_vtu(path, prisms, {"Cu", "PI"});
  EXPECT_EQ(stats.cells, 3 * trapezoid_count(holed) + trapezoid_count(round));
  const auto script = scratch.write("vtk_check.py", kVtkCheck);
  const test::CliResult result = test::run_command("/usr/bin/python3 " + test::quoted(script.string()) + " " + test::quoted(path.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_FALSE(result.out.starts_with("novtk")) << "python3-vtk9 is not installed: run scripts/setup.sh";
  EXPECT_EQ(result.err, "");  // VTK reports read errors on stderr
  const auto vtk = key_values(result.out);
  EXPECT_EQ(vtk.at("cells"), std::to_string(stats.cells));
  EXPECT_EQ(vtk.at("points"), std::to_string(stats.points));
  EXPECT_GT(std::stod(vtk.at("smallest_um3")), 0);
  EXPECT_GT(std::stod(vtk.at("smallest_hex_um3")), 0);
  const double volume_um3 = prism_volume_um3(prisms);
  EXPECT_NEAR(std::stod(vtk.at("volume_um3")), volume_um3, 1e-9 * volume_um3);
  EXPECT_EQ(vtk.at("names"), "Cu|PI");
  EXPECT_EQ(vtk.at("material_range"), "0-1");
}

// --- STL ----------------------------------------------------------------------------------------

struct Vec3f {
  float x = 0, y = 0, z = 0;
  auto operator<=>(const Vec3f&) const = default;
};

struct Facet {
  Vec3f normal;
  std::array<Vec3f, 3> corners;
};

float float_at(const std::string& bytes, std::size_t offset) {
  std::uint32_t bits = 0;
  for (std::size_t k = 0; k < 4; ++k) bits |= std::uint32_t{static_cast<unsigned char>(bytes[offset + k])} << (8 * k);
  return std::bit_cast<float>(bits);
}

/// A binary STL reader: 80-byte header, little-endian count, 50 bytes per facet.
std::vector<Facet> read_stl(const std::filesystem::path& path) {
  const std::string bytes = test::read_text(path);
  if (bytes.size() < 84) throw std::runtime_error("STL too short");
  std::uint32_t count = 0;
  for (std::size_t k = 0; k < 4; ++k) count |= std::uint32_t{static_cast<unsigned char>(bytes[80 + k])} << (8 * k);
  if (bytes.size() != 84 + 50 * std::size_t{count}) throw std::runtime_error("STL size does not match its count");
  std::vector<Facet> facets(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t at = 84 + 50 * i;
    auto vec = [&](std::size_t k) { return Vec3f{float_at(bytes, at + 12 * k), float_at(bytes, at + 12 * k + 4), float_at(bytes, at + 12 * k + 8)}; };
    facets[i] = {vec(0), {vec(1), vec(2), vec(3)}};
  }
  return facets;
}

/// Signed volume of the tetrahedron (origin, a, b, c) in µm³: positive when the facet turns
/// counter-clockwise seen from outside a body around the origin (divergence theorem).
double signed_volume(const Facet& f) {
  const auto& [a, b, c] = f.corners;
  const double ax = a.x, ay = a.y, az = a.z, bx = b.x, by = b.y, bz = b.z, cx = c.x, cy = c.y, cz = c.z;
  return (ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx)) / 6;
}

/// Twice the area vector of a facet, from its corners as stored (right-hand rule).
std::array<double, 3> twice_area_vector(const Facet& f) {
  const auto& [a, b, c] = f.corners;
  const double ux = double{b.x} - a.x, uy = double{b.y} - a.y, uz = double{b.z} - a.z;
  const double vx = double{c.x} - a.x, vy = double{c.y} - a.y, vz = double{c.z} - a.z;
  return {uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx};
}

/// What the facets of one file are, found from the facets alone.
struct StlCheck {
  std::size_t facets = 0;
  std::size_t unmatched_edges = 0;      // directed edges (a→b) not met by as many (b→a)
  std::size_t edges_over_two = 0;       // undirected edges shared by more than two facets
  std::size_t normals_against_winding = 0;
  std::size_t flat_facets = 0;          // no area as stored
  std::size_t components = 0;           // groups of facets joined by shared edges
  double smallest_component_um3 = INFINITY;
  double volume_um3 = 0;
  double area_um2 = 0;
};

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

/// The oracle: every directed edge must be met by the same edge reversed as often (a closed,
/// consistently oriented surface, with no T-junction: an edge ending at a vertex in the middle
/// of another edge finds no partner); each connected part must then enclose a positive volume
/// (outward normals), computed by the divergence theorem.
StlCheck check_stl(const std::vector<Facet>& facets) {
  StlCheck check;
  check.facets = facets.size();
  std::map<std::pair<Vec3f, Vec3f>, std::vector<std::size_t>> by_edge;  // directed edge → facets
  for (std::size_t i = 0; i < facets.size(); ++i) {
    const Facet& f = facets[i];
    const auto n = twice_area_vector(f);
    const double length = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
    if (length == 0) ++check.flat_facets;
    if (n[0] * f.normal.x + n[1] * f.normal.y + n[2] * f.normal.z <= 0) ++check.normals_against_winding;
    check.area_um2 += length / 2;
    for (std::size_t k = 0; k < 3; ++k) by_edge[{f.corners[k], f.corners[(k + 1) % 3]}].push_back(i);
  }
  std::vector<std::size_t> parent(facets.size());
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  for (const auto& [edge, users] : by_edge) {
    const auto reverse = by_edge.find({edge.second, edge.first});
    const std::size_t back = reverse == by_edge.end() ? 0 : reverse->second.size();
    if (back != users.size()) ++check.unmatched_edges;
    if (edge.first < edge.second && users.size() + back > 2) ++check.edges_over_two;
    for (std::size_t u : users) parent[find_root(parent, u)] = find_root(parent, users.front());
    if (reverse != by_edge.end()) parent[find_root(parent, reverse->second.front())] = find_root(parent, users.front());
  }
  std::map<std::size_t, double> part_volume;
  for (std::size_t i = 0; i < facets.size(); ++i) {
    const double v = signed_volume(facets[i]);
    part_volume[find_root(parent, i)] += v;
    check.volume_um3 += v;
  }
  check.components = part_volume.size();
  for (const auto& [root, v] : part_volume) check.smallest_component_um3 = std::min(check.smallest_component_um3, v);
  return check;
}

/// A closed, outward, manifold surface of the expected volume and number of parts.
StlCheck expect_closed_surface(const std::filesystem::path& path, double expected_um3, std::size_t expected_parts) {
  const StlCheck check = check_stl(read_stl(path));
  EXPECT_EQ(check.unmatched_edges, 0u) << path;
  EXPECT_EQ(check.edges_over_two, 0u) << path;
  EXPECT_EQ(check.normals_against_winding, 0u) << path;
  EXPECT_EQ(check.flat_facets, 0u) << path;
  EXPECT_EQ(check.components, expected_parts) << path;
  EXPECT_GT(check.smallest_component_um3, 0) << path;
  EXPECT_NEAR(check.volume_um3, expected_um3, 1e-6 * expected_um3) << path;
  return check;
}

/// Area (µm²) of the surface of a prism of `region` and height `h_um`: two faces and the sides.
double prism_surface_um2(const Region& region, double h_um) {
  double perimeter_um = 0;
  auto add = [&](const Ring& ring) {
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const Point a = ring[i], b = ring[(i + 1) % ring.size()];
      perimeter_um += std::hypot(layout::to_um(b.x - a.x), layout::to_um(b.y - a.y));
    }
  };
  for (const auto& polygon : region) {
    add(polygon.outer);
    for (const auto& hole : polygon.holes) add(hole);
  }
  return 2 * layout::area_um2(region) + perimeter_um * h_um;
}

TEST(ExportStl, BoxPrismIsAClosedOutwardBox) {
  test::ScratchDir scratch;
  const Region box{box_nm(10'000, 20'000, 110'000, 70'000)};
  const auto files = write_stl_per_material(scratch.path(), {{&box, 1'000, 6'000, 0, 0}}, {"Cu"});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0], scratch.path() / "Cu.stl");
  EXPECT_EQ(read_stl(files[0]).size(), 12u);
  EXPECT_FALSE(test::read_text(files[0]).starts_with("solid"));
  const StlCheck check = expect_closed_surface(files[0], 100.0 * 50.0 * 5.0, 1);
  EXPECT_NEAR(check.area_um2, prism_surface_um2(box, 5.0), 1e-6);
}

TEST(ExportStl, PrismWithHoleIsOneBody) {
  test::ScratchDir scratch;
  const Region holed = box_with_square_hole();
  const std::vector<Prism> prisms{{&holed, 0, 7'000, 0, 0}};
  const auto files = write_stl_per_material(scratch.path() / "stl", prisms, {"Cu"});
  ASSERT_EQ(files.size(), 1u);
  const StlCheck check = expect_closed_surface(files[0], prism_volume_um3(prisms), 1);
  EXPECT_NEAR(check.area_um2, prism_surface_um2(holed, 7.0), 1e-6 * check.area_um2);
}

TEST(ExportStl, CirclesAndHolesWithTriangles) {
  // The circle lies over the field and its holes, below it with a gap: two bodies.
  test::ScratchDir scratch;
  const Region round = circle_256(), holes = polygon_with_circular_holes();
  const std::vector<Prism> prisms{{&round, 0, 2'500, 0, 0}, {&holes, 3'000, 9'000, 0, 1}};
  const auto files = write_stl_per_material(scratch.path(), prisms, {"SnAg"});
  ASSERT_EQ(files.size(), 1u);
  const StlCheck check = expect_closed_surface(files[0], prism_volume_um3(prisms), 2);
  EXPECT_NEAR(check.area_um2, prism_surface_um2(round, 2.5) + prism_surface_um2(holes, 6.0), 1e-6 * check.area_um2);
}

TEST(ExportStl, OneFilePerUsedMaterialWithSanitisedNames) {
  test::ScratchDir scratch;
  const Region a{box_nm(0, 0, 1'000, 1'000)}, b = circle_256();
  const std::vector<std::string> names{"Cu", "unused", "poly imide/PI", "poly imide:PI"};
  const std::vector<Prism> prisms{{&a, 0, 1'000, 0, 0}, {&b, 0, 2'000, 2, 1}, {&a, 2'000, 3'000, 3, 2}, {&a, 5'000, 6'000, 0, 3}};
  const auto files = write_stl_per_material(scratch.path(), prisms, names);
  // "poly imide:PI" sanitises like "poly imide/PI": it gets its index so neither overwrites the other.
  const std::vector<std::filesystem::path> expected{scratch.path() / "Cu.stl", scratch.path() / "poly_imide_PI.stl",
                                                    scratch.path() / "poly_imide_PI-3.stl"};
  EXPECT_EQ(files, expected);
  EXPECT_FALSE(std::filesystem::exists(scratch.path() / "unused.stl"));
  expect_closed_surface(expected[0], 2 * 1.0 * 1.0 * 1.0, 2);
  expect_closed_surface(expected[1], prism_volume_um3({prisms[1]}), 1);
  expect_closed_surface(expected[2], 1.0, 1);
}

TEST(ExportStl, StackedFilmsOfOneMaterialAreOneBody) {
  // A seed, the plating on it and a film of no thickness: one box, no face between the films.
  test::ScratchDir scratch;
  const Region box{box_nm(0, 0, 40'000, 30'000)};
  const std::vector<Prism> prisms{{&box, 0, 2'000, 0, 0}, {&box, 2'000, 5'000, 0, 1}, {&box, 5'000, 5'000, 0, 2}};
  const auto files = write_stl_per_material(scratch.path(), prisms, {"Cu"});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(read_stl(files[0]).size(), 12u);
  const StlCheck check = expect_closed_surface(files[0], 40.0 * 30.0 * 5.0, 1);
  EXPECT_NEAR(check.area_um2, prism_surface_um2(box, 5.0), 1e-6 * check.area_um2);
}

TEST(ExportStl, CellsWithOneColumnHaveNoFaceBetweenThem) {
  // A box cut into three cells whose edges do not share vertices (the left cell's right edge
  // meets the corner of the two right cells midway): the surface is the box's, with the long
  // edge split where the right cells meet (else a T-junction leaves it open).
  test::ScratchDir scratch;
  const Region left{box_nm(0, 0, 50'000, 40'000)}, right_low{box_nm(50'000, 0, 90'000, 15'000)},
      right_high{box_nm(50'000, 15'000, 90'000, 40'000)}, whole{box_nm(0, 0, 90'000, 40'000)};
  std::vector<Prism> prisms;
  for (const Region* r : {&left, &right_low, &right_high}) {
    prisms.push_back({r, 0, 3'000, 0, 0});
    prisms.push_back({r, 3'000, 8'000, 1, 1});
  }
  const auto files = write_stl_per_material(scratch.path(), prisms, {"Cu", "PI"});
  ASSERT_EQ(files.size(), 2u);
  const StlCheck cu = expect_closed_surface(files[0], 90.0 * 40.0 * 3.0, 1);
  EXPECT_NEAR(cu.area_um2, prism_surface_um2(whole, 3.0), 1e-6 * cu.area_um2);
  const StlCheck pi = expect_closed_surface(files[1], 90.0 * 40.0 * 5.0, 1);
  EXPECT_NEAR(pi.area_um2, prism_surface_um2(whole, 5.0), 1e-6 * pi.area_um2);
}

/// An independent measure of a union of boxes on the µm lattice: occupied unit voxels, and the
/// voxel faces between an occupied voxel and an empty one (the boundary's area).
struct VoxelMeasure {
  double volume_um3 = 0, area_um2 = 0;
};

VoxelMeasure voxel_measure(const std::vector<Prism>& prisms, int material, int nx, int ny, int nz) {
  auto filled = [&](int x, int y, int z) {
    if (x < 0 || y < 0 || z < 0 || x >= nx || y >= ny || z >= nz) return false;
    const Point centre{x * 1'000 + 500, y * 1'000 + 500};
    const Nm z_nm = z * 1'000 + 500;
    for (const Prism& p : prisms)
      if (p.material == material && p.z_bottom < z_nm && z_nm < p.z_top && layout::contains(*p.region, centre)) return true;
    return false;
  };
  VoxelMeasure m;
  for (int x = -1; x <= nx; ++x)
    for (int y = -1; y <= ny; ++y)
      for (int z = -1; z <= nz; ++z) {
        const bool here = filled(x, y, z);
        m.volume_um3 += here ? 1 : 0;
        m.area_um2 += (here != filled(x + 1, y, z)) + (here != filled(x, y + 1, z)) + (here != filled(x, y, z + 1));
      }
  return m;
}

Region um_polygon(std::initializer_list<std::pair<int, int>> corners_um) {
  Polygon p;
  for (const auto& [x, y] : corners_um) p.outer.push_back({x * 1'000, y * 1'000});
  return {p};
}

TEST(ExportStl, MixedCellsMatchAVoxelCount) {
  // Cells of different columns on the µm lattice, with T-junctions everywhere (E's bottom edge
  // meets A, B and D; C and D split A's right edge), a void in B, a floating film in E, and
  // two films of one material stacked in D.
  test::ScratchDir scratch;
  const Region a = um_polygon({{0, 0}, {6, 0}, {6, 3}, {3, 3}, {3, 6}, {0, 6}}), b = um_polygon({{3, 3}, {6, 3}, {6, 6}, {3, 6}}),
               c = um_polygon({{6, 0}, {10, 0}, {10, 2}, {6, 2}}), d = um_polygon({{6, 2}, {10, 2}, {10, 6}, {6, 6}}),
               e = um_polygon({{0, 6}, {10, 6}, {10, 8}, {0, 8}});
  const int cu = 0, pi = 1;
  const std::vector<Prism> prisms{{&a, 0, 2'000, cu, 0},     {&a, 2'000, 5'000, pi, 1}, {&b, 0, 4'000, cu, 0},
                                  {&b, 6'000, 7'000, cu, 2}, {&c, 0, 5'000, pi, 1},     {&d, 0, 2'000, cu, 0},
                                  {&d, 2'000, 3'000, cu, 3}, {&d, 3'000, 5'000, pi, 1}, {&e, 1'000, 2'000, cu, 4},
                                  {&e, 2'000, 6'000, pi, 1}};
  const auto files = write_stl_per_material(scratch.path(), prisms, {"Cu", "PI"});
  ASSERT_EQ(files.size(), 2u);
  for (const int material : {cu, pi}) {
    const VoxelMeasure voxels = voxel_measure(prisms, material, 10, 8, 7);
    const StlCheck check = check_stl(read_stl(files[static_cast<std::size_t>(material)]));
    EXPECT_EQ(check.unmatched_edges, 0u) << material;
    EXPECT_EQ(check.edges_over_two, 0u) << material;
    EXPECT_EQ(check.flat_facets, 0u) << material;
    EXPECT_EQ(check.normals_against_winding, 0u) << material;
    EXPECT_GT(check.smallest_component_um3, 0) << material;
    EXPECT_NEAR(check.volume_um3, voxels.volume_um3, 1e-9 * voxels.volume_um3) << material;
    // Equal areas: no face inside the material, none missing.
    EXPECT_NEAR(check.area_um2, voxels.area_um2, 1e-9 * voxels.area_um2) << material;
  }
  // Cu: B's upper film floats apart; the rest (A, B's lower part, D, E's film) is one body.
  EXPECT_EQ(check_stl(read_stl(files[0])).components, 2u);
}

TEST(ExportStl, PiecesTouchingAlongALineShareItsEdge) {
  // One cell's copper ends where its neighbour's begins: the two bodies meet along a line only.
  // Every edge is still met by its reverse, and that line is the one edge with four facets.
  test::ScratchDir scratch;
  const Region low{box_nm(0, 0, 10'000, 10'000)}, high{box_nm(10'000, 0, 20'000, 10'000)};
  const auto files = write_stl_per_material(scratch.path(), {{&low, 0, 5'000, 0, 0}, {&high, 5'000, 10'000, 0, 1}}, {"Cu"});
  const StlCheck check = check_stl(read_stl(files[0]));
  EXPECT_EQ(check.unmatched_edges, 0u);
  EXPECT_EQ(check.edges_over_two, 1u);
  EXPECT_EQ(check.components, 1u);  // joined at that edge
  EXPECT_NEAR(check.volume_um3, 2 * 10.0 * 10.0 * 5.0, 1e-9);
}

TEST(ExportStl, SubNanometreSpikeAndOverlapStayClosed) {
  // What Clipper's rounding leaves in a wafer model: a ring whose edge runs 0.3 nm past a
  // vertex of the same ring (a spike that touches itself at a slab boundary), and a neighbour
  // overlapping it by a sliver. Each cell is bounded on its own: the surface stays closed and
  // holds the sum of the cells' volumes (as the model's film volumes count them).
  test::ScratchDir scratch;
  const Region spiky{Polygon{{{662'663, -1'858'285}, {663'176, -1'858'960}, {664'086, -1'858'960}, {664'212, -1'858'960},
                              {653'640, -1'844'999}, {653'640, -1'800'000}, {653'540, -1'800'000}, {653'540, -1'845'033},
                              {664'079, -1'858'951}, {663'575, -1'858'285}},
                             {}}};
  const Region above{box_nm(650'000, -1'858'285, 663'575, -1'850'000)};
  const std::vector<Prism> prisms{{&spiky, 0, 4'000, 0, 0}, {&above, 0, 4'000, 0, 1}};
  const auto files = write_stl_per_material(scratch.path(), prisms, {"Si"});
  const StlCheck check = check_stl(read_stl(files[0]));
  EXPECT_EQ(check.unmatched_edges, 0u);
  EXPECT_EQ(check.flat_facets, 0u);
  EXPECT_EQ(check.normals_against_winding, 0u);
  const double expected_um3 = (layout::disjoint_area_um2(spiky) + layout::area_um2(above)) * 4.0;
  // Float corners near 1 860 µm move by up to 6e-5 µm: the volume by up to that times the area.
  EXPECT_NEAR(check.volume_um3, expected_um3, 6e-5 * check.area_um2);
}

TEST(ExportStl, RejectsRegionsWithCrossingEdges) {
  test::ScratchDir scratch;
  const Region bow_tie{Polygon{{{0, 0}, {10'000, 10'000}, {10'000, 0}, {0, 10'000}}, {}}};
  EXPECT_THROW(write_stl_per_material(scratch.path(), {{&bow_tie, 0, 1'000, 0, 0}}, {"Cu"}), std::invalid_argument);
}

/// ADMesh (Debian's admesh) on one STL: exact edge matching, normal directions and values.
std::map<std::string, std::string> admesh_report(const std::filesystem::path& stl) {
  const test::CliResult result = test::run_command("admesh --exact --normal-directions --normal-values " + test::quoted(stl.string()));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::map<std::string, std::string> report;
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    // "Number of parts       :     2        Volume   :  11600.002930": pairs of "name : value".
    std::size_t at = 0;
    while (true) {
      const std::size_t colon = line.find(':', at);
      if (colon == std::string::npos) break;
      std::string name = line.substr(at, colon - at);
      name.erase(0, name.find_first_not_of(' '));
      name.erase(name.find_last_not_of(' ') + 1);
      std::istringstream value(line.substr(colon + 1));
      std::string word;
      value >> word;
      report[name] = word;
      at = line.find_first_not_of(' ', colon + 1);
      at = at == std::string::npos ? line.size() : line.find(' ', at);
      if (at == std::string::npos) break;
    }
  }
  return report;
}

TEST(ExportStl, AdmeshFindsNothingToFix) {
  ASSERT_EQ(test::run_command("command -v admesh").exit_code, 0) << "admesh is not installed: run scripts/setup.sh";
  test::ScratchDir scratch;
  const Region holed = box_with_square_hole(), round = circle_256(), beside{box_nm(100'000, 0, 180'000, 80'000)};
  const std::vector<Prism> prisms{{&holed, 0, 3'000, 0, 0}, {&holed, 3'000, 6'000, 1, 1}, {&beside, 0, 6'000, 0, 2},
                                  {&round, 10'000, 12'000, 0, 3}};
  const auto files = write_stl_per_material(scratch.path(), prisms, {"Cu", "PI"});
  const auto cu = admesh_report(files[0]);
  for (const char* fixed : {"Degenerate facets", "Edges fixed", "Facets removed", "Facets added", "Facets reversed",
                            "Backwards edges", "Normals fixed", "Total disconnected facets"})
    EXPECT_EQ(cu.at(fixed), "0") << fixed;
  EXPECT_EQ(cu.at("Number of parts"), "2");  // the holed box with the box beside it, and the disc
  const double cu_um3 = layout::area_um2(holed) * 3.0 + 80.0 * 80.0 * 6.0 + layout::area_um2(round) * 2.0;
  // ADMesh adds the volume in float.
  EXPECT_NEAR(std::stod(cu.at("Volume")), cu_um3, 1e-5 * cu_um3);
  const auto pi = admesh_report(files[1]);
  EXPECT_EQ(pi.at("Backwards edges"), "0");
  EXPECT_EQ(pi.at("Number of parts"), "1");
}

// --- a built model --------------------------------------------------------------------------------

TEST(ExportStl, BuiltModelEveryMaterialIsClosedWithTheModelsVolume) {
  // S4 embodiment 1 on its cut window (112 cells in 6 tiles after 34 steps): each material's
  // surface is closed and encloses the model's volume of that material.
  const design::Design design = test::load(test::source_dir() / "examples" / "s4-embodiment1.toml");
  const layout::DieLayout die = layout::build_die_layout(design);
  const CutLine cut = default_cut(design, die);
  WaferModel model = make_model(design, die, build_window(design, die, cut, WindowKind::Cut));
  BuildOptions options;
  options.cut = cut;
  run_recipe(model, design, die, options, [](const StepReport&, const WaferModel&) {});
  std::vector<Prism> prisms;
  for (const Cell& cell : model.cells())
    for (const Interval& p : model.stack(cell.stack)) prisms.push_back({&cell.region, p.z_bottom, p.z_top, p.material, p.film});
  std::vector<std::string> names;
  for (std::size_t i = 0; i < model.material_count(); ++i) names.push_back(model.material_id(static_cast<MaterialIndex>(i)));
  std::vector<double> expected_um3(names.size(), 0.0);
  const std::vector<double> film_m3 = model.film_volumes_m3();
  for (std::size_t f = 0; f < film_m3.size(); ++f) {
    const auto material = std::find(names.begin(), names.end(), model.film(static_cast<FilmIndex>(f)).material);
    ASSERT_NE(material, names.end());
    expected_um3[static_cast<std::size_t>(material - names.begin())] += film_m3[f] * 1e18;
  }
  test::ScratchDir scratch;
  const auto files = write_stl_per_material(scratch.path(), prisms, names);
  ASSERT_GE(files.size(), 8u);
  const double largest_um = std::max({std::abs(layout::to_um(model.window().lo.x)), std::abs(layout::to_um(model.window().hi.x)),
                                      std::abs(layout::to_um(model.window().lo.y)), std::abs(layout::to_um(model.window().hi.y))});
  for (const auto& file : files) {
    const std::string material = file.stem().string();
    const auto index = static_cast<std::size_t>(std::find(names.begin(), names.end(), material) - names.begin());
    ASSERT_LT(index, names.size()) << material;
    const StlCheck check = check_stl(read_stl(file));
    EXPECT_EQ(check.unmatched_edges, 0u) << material;
    EXPECT_EQ(check.normals_against_winding, 0u) << material;
    EXPECT_GT(check.smallest_component_um3, 0) << material;
    // Float corners move by half an ulp of the largest coordinate: the volume by at most that
    // times the surface's area.
    const double rounding_um = largest_um * std::numeric_limits<float>::epsilon();
    EXPECT_NEAR(check.volume_um3, expected_um3[index], rounding_um * check.area_um2) << material;
  }
}

// --- a die field ----------------------------------------------------------------------------------

TEST(ExportField, DieFieldWith81HolesWritesQuickly) {
  test::ScratchDir scratch;
  const Region field = die_field_81_holes();
  const std::vector<Prism> prisms{{&field, 0, 5'000, 0, 0}, {&field, 5'000, 12'000, 1, 1}};
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  const std::size_t pieces = trapezoid_count(field);
  const auto t1 = Clock::now();
  const Export3dStats stats = write_vtu(scratch.path() / "field.vtu", prisms, {"PI", "Cu"});
  const auto t2 = Clock::now();
  const auto files = write_stl_per_material(scratch.path(), prisms, {"PI", "Cu"});
  const auto t3 = Clock::now();
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  std::cout << fmt::format("[ measured ] 4x4 mm field, 81 holes: {} vertices, {} trapezoids: sweep {:.1f} ms, "
                           "VTU {:.1f} ms ({} cells, {:.1f} MB), STL {:.1f} ms ({} files)\n",
                           layout::vertex_count(field), pieces, ms(t0, t1), ms(t1, t2), stats.cells,
                           static_cast<double>(std::filesystem::file_size(scratch.path() / "field.vtu")) / 1e6,
                           ms(t2, t3), files.size());
  EXPECT_EQ(stats.cells, 2 * pieces);
  const double volume_um3 = prism_volume_um3(prisms);
  EXPECT_NEAR(stats.volume_m3, volume_um3 * 1e-18, 1e-9 * volume_um3 * 1e-18);
  ASSERT_EQ(files.size(), 2u);
  // Coordinates up to 4000 µm in float32 move by up to ~1e-4 µm: a looser bound than the others.
  const StlCheck check = check_stl(read_stl(files[1]));
  EXPECT_EQ(check.unmatched_edges, 0u);
  EXPECT_EQ(check.edges_over_two, 0u);
  EXPECT_EQ(check.components, 1u);
  EXPECT_GT(check.smallest_component_um3, 0);
  EXPECT_NEAR(check.volume_um3, prism_volume_um3({prisms[1]}), 1e-5 * volume_um3);
  EXPECT_NEAR(check.area_um2, prism_surface_um2(field, 7.0), 1e-6 * check.area_um2);
}

}  // namespace
}  // namespace wlp::process
