// GDSII stream format, written and read by wlpkit itself (records per the Calma GDSII stream
// format manual, release 6; summary in the project's process-layout survey §2.1).
//
// Coordinates are integer database units; wlpkit writes 1 DBU = 1 nm (UNITS 0.001 µm per DBU,
// 1e-9 m per DBU). A library read back and written again gives the same bytes.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
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
  std::optional<std::uint16_t> presentation;  // PRESENTATION bits (font, justification) when given
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

/// The current local time as one BGNLIB/BGNSTR date (full year, month 1-12), for both fields.
Timestamps current_timestamps();

/// Record types wlpkit writes or interprets (the byte after a record's length).
enum class RecordType : std::uint8_t {
  Header = 0x00, BgnLib = 0x01, LibName = 0x02, Units = 0x03, EndLib = 0x04, BgnStr = 0x05,
  StrName = 0x06, EndStr = 0x07, Boundary = 0x08, Path = 0x09, SRef = 0x0A, ARef = 0x0B,
  Text = 0x0C, Layer = 0x0D, DataType = 0x0E, Width = 0x0F, XY = 0x10, EndEl = 0x11,
  SName = 0x12, ColRow = 0x13, Node = 0x15, TextType = 0x16, Presentation = 0x17,
  String = 0x19, STrans = 0x1A, Mag = 0x1B, Angle = 0x1C, PathType = 0x21, BgnExtn = 0x30,
  EndExtn = 0x31, Box = 0x2D, BoxType = 0x2E,
};
/// "BOUNDARY", "XY"...; "record 0x3F" for a number outside the standard's table.
std::string record_name(std::uint8_t record_type);

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
/// PATHTYPE 4 moves the end points by BGNEXTN/ENDEXTN and draws flush ends; PATHTYPE 1 (round
/// ends) is drawn as 2 (half-width square ends, which cover the half discs). Instance vertices are
/// rounded to the nanometre after the transform; multiples of 90° are exact.
struct FlatLayer {
  LayerSpec layer;
  Region shapes;
};
std::vector<FlatLayer> flatten(const Library& library, std::string_view top_cell);

/// Number of elements under a cell with every SREF/AREF expanded, per layer: boundaries and
/// paths as shapes, texts apart (KLayout's RecursiveShapeIterator counts the same way).
struct FlatCount {
  LayerSpec layer;
  std::size_t shapes = 0, texts = 0;
};
std::vector<FlatCount> flat_counts(const Library& library, std::string_view top_cell);

/// A chain of cell names A, B, ..., A in which each references the next; empty when the
/// hierarchy has no cycle. References to missing cells are ignored here.
std::vector<std::string> reference_cycle(const Library& library);

}  // namespace wlp::layout::gds
