// GDSII against KLayout 0.28 (headless, Python macros in tests/layout/klayout/): KLayout reads
// what wlpkit writes and counts and measures the same shapes as flatten(); XOR of a round trip
// is empty; wlpkit reads what KLayout writes. Skipped when klayout is not installed.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <numbers>
#include <sstream>

#include "layout/gdsii.h"
#include "support/test_support.h"

namespace wlp::layout::gds {
namespace {

using LayerKey = std::pair<int, int>;

struct KlayoutLayer {
  std::size_t shapes = 0, texts = 0;
  long long area_dbu2 = 0;
};

std::filesystem::path script(const std::string& name) { return test::source_dir() / "tests" / "layout" / "klayout" / name; }

bool have_klayout() { return test::run_command("command -v klayout").exit_code == 0; }

// Runs a macro, requiring exit 0 and no Python error on either stream.
std::string run_macro(const std::string& name, const std::vector<std::pair<std::string, std::string>>& variables) {
  const test::CliResult result = test::run_klayout(script(name), variables);
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_EQ(result.out.find("ERROR"), std::string::npos) << result.out;
  EXPECT_EQ(result.err.find("Error"), std::string::npos) << result.err;
  return result.out;
}

// "LAYER l d shapes texts area" lines of gds_stats.py.
std::map<LayerKey, KlayoutLayer> klayout_stats(const std::filesystem::path& gds) {
  std::istringstream lines(run_macro("gds_stats.py", {{"in_gds", gds.string()}}));
  std::map<LayerKey, KlayoutLayer> stats;
  std::string word;
  bool saw_dbu = false;
  while (lines >> word) {
    if (word == "DBU") {
      double dbu = 0;
      lines >> dbu;
      EXPECT_DOUBLE_EQ(dbu, 0.001);
      saw_dbu = true;
    } else if (word == "LAYER") {
      int layer = 0, datatype = 0;
      KlayoutLayer entry;
      lines >> layer >> datatype >> entry.shapes >> entry.texts >> entry.area_dbu2;
      stats[{layer, datatype}] = entry;
    }
  }
  EXPECT_TRUE(saw_dbu);
  return stats;
}

// "XOR l d polygons area" lines of gds_xor.py: area in DBU² per layer.
std::map<LayerKey, long long> klayout_xor(const std::filesystem::path& a, const std::filesystem::path& b) {
  std::istringstream lines(run_macro("gds_xor.py", {{"a", a.string()}, {"b", b.string()}}));
  std::map<LayerKey, long long> areas;
  std::string word;
  bool done = false;
  while (lines >> word) {
    if (word == "XOR") {
      int layer = 0, datatype = 0;
      long long count = 0, area = 0;
      lines >> layer >> datatype >> count >> area;
      areas[{layer, datatype}] = area;
    }
    done = done || word == "DONE";
  }
  EXPECT_TRUE(done);
  return areas;
}

LayerKey key(LayerSpec layer) { return {layer.layer, layer.datatype}; }

double perimeter_nm(const Ring& ring) {
  double length = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const Point a = ring[i], b = ring[(i + 1) % ring.size()];
    length += std::hypot(static_cast<double>(b.x - a.x), static_cast<double>(b.y - a.y));
  }
  return length;
}

// Total outline perimeter (nm) of the paths on each layer under `cell`, every instance counted,
// scaled by the instance magnification. Rounding an outline vertex to the 1 nm grid moves it by
// at most √2/2 nm, so one tool's area moves by at most perimeter·√2/2 nm² from the exact
// outline; two tools differ by at most perimeter·√2 nm².
void add_path_perimeters(const Library& library, std::string_view cell_name, double magnification, double instances,
                         std::map<LayerKey, double>& perimeters) {
  const Cell* cell = library.find(cell_name);
  for (const PathElement& path : cell->paths) {
    Library single;
    single.cells.push_back({"P", {}, {}, {path}, {}, {}, {}});
    double length = 0;
    for (const FlatLayer& flat : flatten(single, "P"))
      for (const Polygon& polygon : flat.shapes) length += perimeter_nm(polygon.outer);
    perimeters[key(path.layer)] += length * magnification * instances;
  }
  for (const CellRef& ref : cell->refs)
    add_path_perimeters(library, ref.cell, magnification * ref.transform.magnification, instances, perimeters);
  for (const CellArray& array : cell->arrays)
    add_path_perimeters(library, array.cell, magnification * array.transform.magnification,
                        instances * array.columns * array.rows, perimeters);
}

std::map<LayerKey, double> path_area_tolerance_dbu2(const Library& library, std::string_view top) {
  std::map<LayerKey, double> perimeters;
  add_path_perimeters(library, top, 1.0, 1.0, perimeters);
  for (auto& [layer, perimeter] : perimeters) perimeter *= std::numbers::sqrt2;
  return perimeters;
}

// Our counts and merged areas per layer against KLayout's; `skip_area` layers are only counted.
void expect_same_as_klayout(const Library& library, std::string_view top, const std::map<LayerKey, KlayoutLayer>& klayout,
                            const std::vector<LayerKey>& skip_area = {}) {
  const auto tolerance = path_area_tolerance_dbu2(library, top);
  std::map<LayerKey, FlatCount> counts;
  for (const FlatCount& count : flat_counts(library, top)) counts[key(count.layer)] = count;
  ASSERT_EQ(counts.size(), klayout.size());
  std::map<LayerKey, double> areas;
  for (const FlatLayer& flat : flatten(library, top)) areas[key(flat.layer)] = area_um2(flat.shapes) * 1e6;  // µm² → nm²
  for (const auto& [layer, theirs] : klayout) {
    SCOPED_TRACE(::testing::Message() << "layer " << layer.first << "/" << layer.second);
    ASSERT_TRUE(counts.contains(layer));
    EXPECT_EQ(counts[layer].shapes, theirs.shapes);
    EXPECT_EQ(counts[layer].texts, theirs.texts);
    if (std::find(skip_area.begin(), skip_area.end(), layer) != skip_area.end()) continue;
    const double allowed = tolerance.contains(layer) ? tolerance.at(layer) : 0.5;  // boundaries: exact
    EXPECT_NEAR(areas[layer], static_cast<double>(theirs.area_dbu2), allowed);
  }
}

Ring regular_gon(Point centre, double radius, int n) {
  Ring ring;
  for (int k = 0; k < n; ++k) {
    const double a = 2 * std::numbers::pi * (k + 0.5) / n;
    ring.push_back({centre.x + std::llround(radius * std::cos(a)), centre.y + std::llround(radius * std::sin(a))});
  }
  return ring;
}

// Boundaries with and without holes, 45° doglegs with every end type wlpkit writes, an AREF of a
// 64-gon cell, SREFs reflected, rotated and magnified, texts.
Library test_library() {
  Library library;
  library.name = "KLTEST";
  library.timestamps = current_timestamps();
  Cell gon{"GON64", library.timestamps, {}, {}, {}, {}, {}};
  gon.boundaries.push_back({{1, 0}, regular_gon({0, 0}, 100'000, 64)});
  gon.boundaries.push_back({{2, 0}, regular_gon({0, 0}, 90'000, 64)});

  Cell asym{"ASYM", library.timestamps, {}, {}, {}, {}, {}};
  asym.boundaries.push_back({{5, 0}, {{0, 0}, {30'000, 0}, {30'000, 10'000}, {10'000, 10'000}, {10'000, 20'000}, {0, 20'000}}});
  asym.paths.push_back({{3, 0}, 0, 4'000, 0, 0, {{0, 30'000}, {20'000, 30'000}, {40'000, 50'000}, {40'000, 70'000}}});
  asym.texts.push_back({{10, 0}, {5'000, 5'000}, "ASYM", {}, {}});

  Cell top{"TOP", library.timestamps, {}, {}, {}, {}, {}};
  top.arrays.push_back({"GON64", {0, 0}, 10, 8, {400'000, 0}, {0, 400'000}, {}});
  top.refs.push_back({"ASYM", {-500'000, 0}, {}});
  top.refs.push_back({"ASYM", {-500'000, 200'000}, {false, 1.0, 90.0}});
  top.refs.push_back({"ASYM", {-500'000, 400'000}, {true, 1.0, 0.0}});
  top.refs.push_back({"ASYM", {-500'000, 800'000}, {true, 2.0, 270.0}});
  top.refs.push_back({"GON64", {-1'000'000, -1'000'000}, {true, 1.5, 180.0}});
  // A plate with two holes (cut into hole-free boundaries by add_polygon).
  const Region plate = region_not({box_polygon({{0, -600'000}, {1'000'000, -300'000}})},
                                  {box_polygon({{100'000, -500'000}, {300'000, -400'000}}),
                                   box_polygon({{600'000, -500'000}, {900'000, -350'000}})});
  add_polygon(top, {4, 0}, plate.at(0));
  const std::vector<Point> dogleg = {{0, -1'000'000}, {200'000, -1'000'000}, {300'000, -900'000}, {500'000, -900'000}};
  top.paths.push_back({{3, 0}, 0, 15'000, 0, 0, dogleg});
  top.paths.push_back({{3, 1}, 2, 10'000, 0, 0, {{0, -1'200'000}, {100'000, -1'200'000}, {150'000, -1'250'000}}});
  top.paths.push_back({{3, 2}, 4, 8'000, 2'000, 6'000, {{0, -1'400'000}, {100'000, -1'400'000}, {100'000, -1'300'000}, {150'000, -1'250'000}}});
  top.texts.push_back({{10, 0}, {0, 0}, "TOP", {}, {}});
  top.texts.push_back({{10, 1}, {0, 100'000}, "rotated", {true, 2.0, 45.0}, std::uint16_t{0x0005}});
  library.cells = {gon, asym, top};
  return library;
}

TEST(GdsKlayout, CountsAndMergedAreasMatchFlatten) {
  if (!have_klayout()) GTEST_SKIP() << "klayout not installed";
  test::ScratchDir scratch;
  const Library library = test_library();
  const auto path = scratch.path() / "ours.gds";
  write_file(library, path);
  const auto stats = klayout_stats(path);
  // By construction: 80 + 1 pads per pad layer; 4 L-shapes; 4 + 1 paths on 3/0; 4 texts on 10/0.
  ASSERT_TRUE(stats.contains({1, 0}));
  EXPECT_EQ(stats.at({1, 0}).shapes, 81u);
  EXPECT_EQ(stats.at({5, 0}).shapes, 4u);
  EXPECT_EQ(stats.at({3, 0}).shapes, 5u);
  EXPECT_EQ(stats.at({10, 0}).texts, 5u);
  EXPECT_EQ(stats.at({10, 1}).texts, 1u);
  EXPECT_EQ(stats.at({4, 0}).area_dbu2, 1'000'000LL * 300'000 - 200'000LL * 100'000 - 300'000LL * 150'000);
  expect_same_as_klayout(library, "TOP", stats);
}

TEST(GdsKlayout, RoundTripIsByteIdenticalAndXorEmpty) {
  if (!have_klayout()) GTEST_SKIP() << "klayout not installed";
  test::ScratchDir scratch;
  const Library library = test_library();
  const auto a = scratch.path() / "a.gds", b = scratch.path() / "b.gds", flat = scratch.path() / "flat.gds";
  write_file(library, a);
  write_file(read_file(a), b);
  EXPECT_EQ(test::read_text(a), test::read_text(b));
  for (const auto& [layer, area] : klayout_xor(a, b)) EXPECT_EQ(area, 0) << layer.first << "/" << layer.second;

  // Our flattened geometry, written as plain boundaries, against KLayout's own flattening of A:
  // boundary layers identical, path layers within the rounding of their outlines.
  Library flattened;
  flattened.cells.push_back({"FLAT", {}, {}, {}, {}, {}, {}});
  for (const FlatLayer& layer : flatten(library, "TOP"))
    for (const Polygon& polygon : layer.shapes) add_polygon(flattened.cells[0], layer.layer, polygon);
  write_file(flattened, flat);
  const auto tolerance = path_area_tolerance_dbu2(library, "TOP");
  const auto xor_areas = klayout_xor(a, flat);
  EXPECT_GE(xor_areas.size(), 7u);
  for (const auto& [layer, area] : xor_areas) {
    SCOPED_TRACE(::testing::Message() << "layer " << layer.first << "/" << layer.second);
    if (tolerance.contains(layer))
      EXPECT_LE(static_cast<double>(area), tolerance.at(layer));
    else
      EXPECT_EQ(area, 0);
  }
}

// Byte offset of the first record of `type` (walking the record lengths), or npos.
std::size_t find_record(const std::string& bytes, std::uint8_t type) {
  for (std::size_t at = 0; at + 4 <= bytes.size();) {
    const std::size_t length = static_cast<std::uint8_t>(bytes[at]) << 8 | static_cast<std::uint8_t>(bytes[at + 1]);
    if (static_cast<std::uint8_t>(bytes[at + 2]) == type) return at;
    if (length < 4) break;
    at += length;
  }
  return std::string::npos;
}

TEST(GdsKlayout, ReadsWhatKlayoutWrites) {
  if (!have_klayout()) GTEST_SKIP() << "klayout not installed";
  test::ScratchDir scratch;
  const auto theirs = scratch.path() / "klayout.gds", ours = scratch.path() / "ours.gds";
  EXPECT_NE(run_macro("gds_make.py", {{"out", theirs.string()}}).find("WROTE"), std::string::npos);
  const std::string bytes = test::read_text(theirs);

  // KLayout's UNITS record holds exactly our encodings of 0.001 and 1e-9.
  const std::size_t units = find_record(bytes, 0x03);
  ASSERT_NE(units, std::string::npos);
  std::string expected_units;
  for (const double v : {1e-3, 1e-9})
    for (const std::uint8_t byte : encode_real8(v)) expected_units += static_cast<char>(byte);
  EXPECT_EQ(bytes.substr(units + 4, 16), expected_units);

  const Library library = read_file(theirs);
  EXPECT_EQ(library.user_units_per_dbu, 1e-3);
  EXPECT_EQ(library.metres_per_dbu, 1e-9);
  // Round-ended paths (3/3) are drawn with half-width extensions by flatten(): counted only.
  expect_same_as_klayout(library, "TOP", klayout_stats(theirs), {{3, 3}});

  // Written back by wlpkit (elements regrouped by kind), KLayout sees the same geometry.
  write_file(library, ours);
  for (const auto& [layer, area] : klayout_xor(theirs, ours)) EXPECT_EQ(area, 0) << layer.first << "/" << layer.second;
  EXPECT_EQ(write(read_file(ours)), test::read_text(ours));
}

}  // namespace
}  // namespace wlp::layout::gds
