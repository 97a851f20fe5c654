// GDSII stream format, written and read by wlpkit itself (records per the Calma GDSII stream
// format manual, release 6; summary in the project's process-layout survey §2.1).
//
// Coordinates are integer database units; wlpkit writes 1 DBU = 1 nm (UNITS 0.001 µm per DBU,
// 1e-9 m per DBU). A library read back and written again gives the same bytes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "layout/geometry.h"

namespace wlp::layout::gds {

/// Layer and datatype (or texttype) of an element.
struct LayerSpec {
  std::int16_t layer = 0, datatype = 0;
  friend bool operator==(const LayerSpec&, const LayerSpec&) = default;
};

/// Placement transform of SREF/AREF/TEXT (STRANS, MAG, ANGLE): reflect about x first,
/// then magnify, rotate counter-clockwise, translate.
struct Transform {
  bool reflect_x = false;
  double magnification = 1.0;
  double angle_deg = 0.0;
  [[nodiscard]] bool is_identity() const { return !reflect_x && magnification == 1.0 && angle_deg == 0.0; }
};

struct Boundary {  // BOUNDARY: a hole-free polygon, at most 8190 vertices (closing point implied)
  LayerSpec layer;
  Ring points;
};

struct PathElement {  // PATH
  LayerSpec layer;
  std::int16_t path_type = 0;  // 0 flush, 1 round, 2 half-width extension, 4 custom
  Nm width = 0;
  Nm begin_extension = 0, end_extension = 0;  // path_type 4 only
  std::vector<Point> points;
};

struct CellRef {  // SREF
  std::string cell;
  Point origin;
  Transform transform;
};

struct CellArray {  // AREF: columns × rows instances; P2 = origin + columns·column_step, P3 = origin + rows·row_step
  std::string cell;
  Point origin;
  std::int16_t columns = 1, rows = 1;
  Point column_step, row_step;
  Transform transform;
};

struct Text {  // TEXT
  LayerSpec layer;  // datatype holds TEXTTYPE
  Point origin;
  std::string text;
  Transform transform;
};

/// BGNLIB / BGNSTR date fields: modification then access, each year month day hour minute second.
using Timestamps = std::array<std::int16_t, 12>;

struct Cell {
  std::string name;
  Timestamps timestamps{};
  std::vector<Boundary> boundaries;
  std::vector<PathElement> paths;
  std::vector<CellRef> refs;
  std::vector<CellArray> arrays;
  std::vector<Text> texts;
};

struct Library {
  std::string name = "WLPKIT";
  std::int16_t version = 600;
  Timestamps timestamps{};
  double user_units_per_dbu = 1e-3;  // µm per nm
  double metres_per_dbu = 1e-9;
  std::vector<Cell> cells;  // written in this order (children before parents is customary)

  [[nodiscard]] const Cell* find(std::string_view cell_name) const;
};

/// 8-byte GDSII real (excess-64, base-16 exponent, 56-bit mantissa; not IEEE).
std::array<std::uint8_t, 8> encode_real8(double value);
double decode_real8(const std::uint8_t* bytes);

/// Adds a polygon (with holes, any size) to a cell as BOUNDARY elements: holes cut open and
/// rings over 8190 vertices fractured (geometry.h fractured()).
void add_polygon(Cell& cell, LayerSpec layer, const Polygon& polygon);

/// Serialises a library. Throws std::invalid_argument naming the cell and element when a
/// value cannot be written (a boundary of < 3 or > 8190 points, a name over 32 000 bytes,
/// coordinates outside int32, an AREF without its cell...).
std::string write(const Library& library);
/// Writes to `path` atomically (a temporary file renamed into place).
void write_file(const Library& library, const std::filesystem::path& path);

/// Parses a stream. Throws wlp::design::InputError naming the file, byte offset, record and
/// what was expected when the stream is truncated, malformed or references a missing cell.
Library read(std::string_view bytes, const std::string& source_name);
Library read_file(const std::filesystem::path& path);

/// Shapes of a cell with every SREF/AREF expanded, per layer, as polygons (paths outlined with
/// path_polygon, texts omitted). For tests and plots of small libraries.
struct FlatLayer {
  LayerSpec layer;
  Region shapes;
};
std::vector<FlatLayer> flatten(const Library& library, std::string_view top_cell);

}  // namespace wlp::layout::gds
