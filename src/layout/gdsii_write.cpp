// GDSII serialisation. Each cell's elements are written grouped by kind (boundaries, paths,
// SREFs, AREFs, texts) in their vector order; the reader appends them to the same vectors, so
// write → read → write reproduces the bytes.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <unordered_set>

#include <fmt/format.h>

#include "design/diagnostics.h"
#include "layout/gdsii.h"

#include "design/atomic_file.h"

namespace wlp::layout::gds {
namespace {

enum class DataType : std::uint8_t { None = 0, BitArray = 1, Int16 = 2, Int32 = 3, Real8 = 5, Ascii = 6 };

bool fits_int32(Nm v) { return v >= std::numeric_limits<std::int32_t>::min() && v <= std::numeric_limits<std::int32_t>::max(); }

constexpr std::size_t max_record_bytes = 65534;  // even, and the 2-byte length field fits
constexpr std::size_t max_name_bytes = 32000;
constexpr std::size_t max_boundary_points = 8190;  // + closing point = 8191 pairs = 65 532 bytes
constexpr std::size_t max_path_points = (max_record_bytes - 4) / 8;

// Where an element is, for error messages: "cell 'PAD', PATH #3".
struct Where {
  std::string_view cell;
  std::string_view element;
  std::size_t index = 0;
  [[nodiscard]] std::string to_string() const {
    if (element.empty()) return fmt::format("cell '{}'", cell);
    return fmt::format("cell '{}', {} #{}", cell, element, index);
  }
};

[[noreturn]] void fail(const Where& where, std::string_view problem) {
  throw std::invalid_argument(fmt::format("GDSII write: {}: {}", where.to_string(), problem));
}

class StreamWriter {
 public:
  explicit StreamWriter(std::size_t expected_bytes) { out_.reserve(expected_bytes); }
  std::string take() { return std::move(out_); }

  void empty(RecordType type) { header(type, DataType::None, 0); }

  void int16s(RecordType type, std::initializer_list<std::int16_t> values) {
    header(type, DataType::Int16, 2 * values.size());
    for (const std::int16_t v : values) put16(static_cast<std::uint16_t>(v));
  }
  void int16s(RecordType type, const Timestamps& values) {
    header(type, DataType::Int16, 2 * values.size());
    for (const std::int16_t v : values) put16(static_cast<std::uint16_t>(v));
  }
  void bits(RecordType type, std::uint16_t value) {
    header(type, DataType::BitArray, 2);
    put16(value);
  }
  void int32(RecordType type, std::int32_t value) {
    header(type, DataType::Int32, 4);
    put32(static_cast<std::uint32_t>(value));
  }
  void reals(RecordType type, std::initializer_list<double> values) {
    header(type, DataType::Real8, 8 * values.size());
    for (const double v : values)
      for (const std::uint8_t b : encode_real8(v)) out_.push_back(static_cast<char>(b));
  }
  // ASCII payloads are padded with one NUL to an even length.
  void ascii(RecordType type, std::string_view text) {
    header(type, DataType::Ascii, text.size() + text.size() % 2);
    out_.append(text);
    if (text.size() % 2) out_.push_back('\0');
  }
  // `close` repeats the first point. Returns false when a coordinate is outside int32 (checked
  // while writing: coordinates are most of a stream, so they are walked once).
  [[nodiscard]] bool xy(const std::vector<Point>& points, bool close) {
    const std::size_t count = points.size() + (close ? 1 : 0);
    header(RecordType::XY, DataType::Int32, 8 * count);
    // Coordinates are most of a stream: fill them in place rather than byte by byte.
    const std::size_t start = out_.size();
    out_.resize(start + 8 * count);
    char* cursor = out_.data() + start;
    bool fits = true;
    for (const Point& p : points) {
      fits &= fits_int32(p.x) & fits_int32(p.y);
      cursor = put_point(cursor, p);
    }
    if (close) put_point(cursor, points.front());
    return fits;
  }

 private:
  void header(RecordType type, DataType data, std::size_t payload) {
    // Callers check sizes against the element rules first; this guards the 16-bit length field.
    if (payload + 4 > max_record_bytes)
      throw std::invalid_argument(fmt::format("GDSII write: {} record of {} bytes exceeds {}",
                                              record_name(static_cast<std::uint8_t>(type)), payload + 4, max_record_bytes));
    put16(static_cast<std::uint16_t>(payload + 4));
    out_.push_back(static_cast<char>(type));
    out_.push_back(static_cast<char>(data));
  }
  void put16(std::uint16_t v) {
    out_.push_back(static_cast<char>(v >> 8));
    out_.push_back(static_cast<char>(v & 0xFF));
  }
  void put32(std::uint32_t v) {
    char bytes[4];
    store32(bytes, v);
    out_.append(bytes, 4);
  }
  static char* store32(char* at, std::uint32_t v) {
    at[0] = static_cast<char>(v >> 24);
    at[1] = static_cast<char>(v >> 16 & 0xFF);
    at[2] = static_cast<char>(v >> 8 & 0xFF);
    at[3] = static_cast<char>(v & 0xFF);
    return at + 4;
  }
  static char* put_point(char* at, Point p) {
    at = store32(at, static_cast<std::uint32_t>(static_cast<std::int32_t>(p.x)));
    return store32(at, static_cast<std::uint32_t>(static_cast<std::int32_t>(p.y)));
  }

  std::string out_;
};

// --- checks -------------------------------------------------------------------------------------

void check_point(const Where& where, Point p) {
  if (!fits_int32(p.x) || !fits_int32(p.y))
    fail(where, fmt::format("coordinate ({}, {}) nm is outside the int32 range of GDSII", p.x, p.y));
}

void check_count(const Where& where, const std::vector<Point>& points, std::size_t min, std::size_t max) {
  if (points.size() < min || points.size() > max)
    fail(where, fmt::format("has {} points, expected {} to {}", points.size(), min, max));
}

// After StreamWriter::xy reported a coordinate out of range: name the first one.
void fail_on_range(const Where& where, const std::vector<Point>& points) {
  for (const Point& p : points) check_point(where, p);
}

void write_xy(StreamWriter& w, const Where& where, const std::vector<Point>& points, bool close) {
  if (!w.xy(points, close)) fail_on_range(where, points);
}

// NUL would be taken for padding when read back, and the record length is 16 bits.
void check_text(const Where& where, std::string_view what, std::string_view text, std::size_t max_bytes) {
  if (text.empty()) fail(where, fmt::format("empty {}", what));
  if (text.size() > max_bytes) fail(where, fmt::format("{} of {} bytes, expected at most {}", what, text.size(), max_bytes));
  if (text.find('\0') != std::string_view::npos) fail(where, fmt::format("{} contains a NUL byte", what));
}

void check_layer(const Where& where, LayerSpec layer) {
  if (layer.layer < 0 || layer.datatype < 0)
    fail(where, fmt::format("layer {}/{} is negative, expected 0..32767", layer.layer, layer.datatype));
}

void check_transform(const Where& where, const Transform& transform) {
  if (!std::isfinite(transform.magnification) || transform.magnification <= 0)
    fail(where, fmt::format("magnification {} is not a positive number", transform.magnification));
  if (!std::isfinite(transform.angle_deg)) fail(where, "angle is not a finite number");
}

// --- elements -----------------------------------------------------------------------------------

// STRANS, MAG, ANGLE: only the parts that differ from identity.
void write_transform(StreamWriter& w, const Transform& transform) {
  if (transform.is_identity()) return;
  w.bits(RecordType::STrans, transform.reflect_x ? 0x8000 : 0);
  if (transform.magnification != 1.0) w.reals(RecordType::Mag, {transform.magnification});
  if (transform.angle_deg != 0.0) w.reals(RecordType::Angle, {transform.angle_deg});
}

void write_layer(StreamWriter& w, LayerSpec layer, RecordType datatype_record) {
  w.int16s(RecordType::Layer, {layer.layer});
  w.int16s(datatype_record, {layer.datatype});
}

void write_boundary(StreamWriter& w, const Boundary& boundary, const Where& where) {
  check_layer(where, boundary.layer);
  check_count(where, boundary.points, 3, max_boundary_points);
  w.empty(RecordType::Boundary);
  write_layer(w, boundary.layer, RecordType::DataType);
  write_xy(w, where, boundary.points, true);
  w.empty(RecordType::EndEl);
}

void write_path(StreamWriter& w, const PathElement& path, const Where& where) {
  check_layer(where, path.layer);
  check_count(where, path.points, 1, max_path_points);
  if (path.path_type != 0 && path.path_type != 1 && path.path_type != 2 && path.path_type != 4)
    fail(where, fmt::format("path type {}, expected 0, 1, 2 or 4", path.path_type));
  for (const Nm v : {path.width, path.begin_extension, path.end_extension})
    if (!fits_int32(v)) fail(where, fmt::format("width or extension {} nm is outside the int32 range", v));
  w.empty(RecordType::Path);
  write_layer(w, path.layer, RecordType::DataType);
  w.int16s(RecordType::PathType, {path.path_type});
  w.int32(RecordType::Width, static_cast<std::int32_t>(path.width));
  if (path.path_type == 4) {
    w.int32(RecordType::BgnExtn, static_cast<std::int32_t>(path.begin_extension));
    w.int32(RecordType::EndExtn, static_cast<std::int32_t>(path.end_extension));
  }
  write_xy(w, where, path.points, false);
  w.empty(RecordType::EndEl);
}

void write_ref(StreamWriter& w, const CellRef& ref, const Where& where) {
  check_transform(where, ref.transform);
  w.empty(RecordType::SRef);
  w.ascii(RecordType::SName, ref.cell);
  write_transform(w, ref.transform);
  write_xy(w, where, {ref.origin}, false);
  w.empty(RecordType::EndEl);
}

void write_array(StreamWriter& w, const CellArray& array, const Where& where) {
  if (array.columns < 1 || array.rows < 1)
    fail(where, fmt::format("{} columns × {} rows, expected 1..32767 each", array.columns, array.rows));
  check_transform(where, array.transform);
  for (const Point step : {array.column_step, array.row_step}) check_point(where, step);  // keeps the products below in range
  const Point p1 = array.origin;
  const Point p2{p1.x + array.columns * array.column_step.x, p1.y + array.columns * array.column_step.y};
  const Point p3{p1.x + array.rows * array.row_step.x, p1.y + array.rows * array.row_step.y};
  const std::vector<Point> lattice = {p1, p2, p3};
  w.empty(RecordType::ARef);
  w.ascii(RecordType::SName, array.cell);
  write_transform(w, array.transform);
  w.int16s(RecordType::ColRow, {array.columns, array.rows});
  write_xy(w, where, lattice, false);
  w.empty(RecordType::EndEl);
}

void write_text(StreamWriter& w, const Text& text, const Where& where) {
  check_layer(where, text.layer);
  check_transform(where, text.transform);
  check_text(where, "string", text.text, max_record_bytes - 4);
  w.empty(RecordType::Text);
  write_layer(w, text.layer, RecordType::TextType);
  if (text.presentation) w.bits(RecordType::Presentation, *text.presentation);
  write_transform(w, text.transform);
  write_xy(w, where, {text.origin}, false);
  w.ascii(RecordType::String, text.text);
  w.empty(RecordType::EndEl);
}

void write_cell(StreamWriter& w, const Cell& cell, const std::unordered_set<std::string_view>& names) {
  const Where where{cell.name, "", 0};
  check_text(where, "cell name", cell.name, max_name_bytes);
  w.int16s(RecordType::BgnStr, cell.timestamps);
  w.ascii(RecordType::StrName, cell.name);
  for (std::size_t i = 0; i < cell.boundaries.size(); ++i) write_boundary(w, cell.boundaries[i], {cell.name, "BOUNDARY", i});
  for (std::size_t i = 0; i < cell.paths.size(); ++i) write_path(w, cell.paths[i], {cell.name, "PATH", i});
  auto check_target = [&](const Where& at, const std::string& target) {
    check_text(at, "referenced cell name", target, max_name_bytes);
    if (!names.contains(target)) fail(at, fmt::format("references cell '{}', which is not in the library", target));
  };
  for (std::size_t i = 0; i < cell.refs.size(); ++i) {
    const Where at{cell.name, "SREF", i};
    check_target(at, cell.refs[i].cell);
    write_ref(w, cell.refs[i], at);
  }
  for (std::size_t i = 0; i < cell.arrays.size(); ++i) {
    const Where at{cell.name, "AREF", i};
    check_target(at, cell.arrays[i].cell);
    write_array(w, cell.arrays[i], at);
  }
  for (std::size_t i = 0; i < cell.texts.size(); ++i) write_text(w, cell.texts[i], {cell.name, "TEXT", i});
  w.empty(RecordType::EndStr);
}

// A generous estimate of the stream size, so the buffer grows once.
std::size_t estimated_bytes(const Library& library) {
  std::size_t bytes = 256;
  for (const Cell& cell : library.cells) {
    bytes += 64 + cell.name.size();
    for (const Boundary& b : cell.boundaries) bytes += 32 + 8 * b.points.size();
    for (const PathElement& p : cell.paths) bytes += 56 + 8 * p.points.size();
    bytes += 80 * (cell.refs.size() + cell.arrays.size());
    for (const Text& t : cell.texts) bytes += 80 + t.text.size();
  }
  return bytes;
}

void check_library(const Library& library, std::unordered_set<std::string_view>& names) {
  check_text({"(library)", "LIBNAME", 0}, "library name", library.name, max_name_bytes);
  for (const double unit : {library.user_units_per_dbu, library.metres_per_dbu})
    if (!std::isfinite(unit) || unit <= 0)
      throw std::invalid_argument(fmt::format("GDSII write: library '{}': unit {} is not a positive number", library.name, unit));
  for (const Cell& cell : library.cells)
    if (!names.insert(cell.name).second) fail({cell.name, "", 0}, "a second cell with this name");
  if (const auto cycle = reference_cycle(library); !cycle.empty())
    throw std::invalid_argument(fmt::format("GDSII write: cell reference cycle {}", design::joined(cycle, " -> ")));
}

}  // namespace

std::string write(const Library& library) {
  std::unordered_set<std::string_view> names;
  check_library(library, names);
  StreamWriter w(estimated_bytes(library));
  w.int16s(RecordType::Header, {library.version});
  w.int16s(RecordType::BgnLib, library.timestamps);
  w.ascii(RecordType::LibName, library.name);
  w.reals(RecordType::Units, {library.user_units_per_dbu, library.metres_per_dbu});
  for (const Cell& cell : library.cells) write_cell(w, cell, names);
  w.empty(RecordType::EndLib);
  return w.take();
}

void write_file(const Library& library, const std::filesystem::path& path) {
  design::write_file_atomically(path, write(library));  // serialise first: a failure leaves no file behind
}

}  // namespace wlp::layout::gds
