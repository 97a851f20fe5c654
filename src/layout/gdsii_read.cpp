// GDSII parsing. Records are checked as they are read (length, data type, payload size), elements
// accept their records in any order and skip the legal ones wlpkit does not model (properties,
// ELFLAGS, PLEX, NODE elements...), and cell names are resolved after the last structure, since a
// reference may come before the cell it names. Every error names the file, the byte offset of the
// record, the record and what was expected.
#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "design/diagnostics.h"
#include "layout/gdsii.h"

namespace wlp::layout::gds {
namespace {

using design::Diagnostic;
using design::InputError;
using design::SourcePos;

enum class DataType : std::uint8_t { None = 0, BitArray = 1, Int16 = 2, Int32 = 3, Real8 = 5, Ascii = 6 };

constexpr std::uint8_t code(RecordType type) { return static_cast<std::uint8_t>(type); }

// Records in the standard that wlpkit reads past without modelling them: library attributes,
// structure classes, element flags, properties, obsolete fields.
bool is_ignorable(std::uint8_t type) {
  switch (type) {
    case 0x14: case 0x18: case 0x1D: case 0x1E: case 0x1F: case 0x20: case 0x22: case 0x23: case 0x24: case 0x25:
    case 0x26: case 0x27: case 0x28: case 0x29: case 0x2A: case 0x2B: case 0x2C: case 0x2F: case 0x32: case 0x33:
    case 0x34: case 0x35: case 0x36: case 0x37: case 0x38: case 0x39: case 0x3A: case 0x3B:
      return true;
    default:
      return false;
  }
}

// The data type each interpreted record must carry (others are not checked).
std::optional<DataType> expected_data_type(std::uint8_t type) {
  switch (static_cast<RecordType>(type)) {
    case RecordType::Header: case RecordType::BgnLib: case RecordType::BgnStr: case RecordType::Layer:
    case RecordType::DataType: case RecordType::ColRow: case RecordType::TextType: case RecordType::PathType:
    case RecordType::BoxType:
      return DataType::Int16;
    case RecordType::LibName: case RecordType::StrName: case RecordType::SName: case RecordType::String:
      return DataType::Ascii;
    case RecordType::Units: case RecordType::Mag: case RecordType::Angle: return DataType::Real8;
    case RecordType::Width: case RecordType::XY: case RecordType::BgnExtn: case RecordType::EndExtn: return DataType::Int32;
    case RecordType::STrans: case RecordType::Presentation: return DataType::BitArray;
    case RecordType::EndLib: case RecordType::EndStr: case RecordType::Boundary: case RecordType::Path:
    case RecordType::SRef: case RecordType::ARef: case RecordType::Text: case RecordType::EndEl: case RecordType::Node:
    case RecordType::Box:
      return DataType::None;
  }
  return std::nullopt;
}

std::string_view data_type_name(DataType type) {
  switch (type) {
    case DataType::None: return "no data";
    case DataType::BitArray: return "a bit array";
    case DataType::Int16: return "int16";
    case DataType::Int32: return "int32";
    case DataType::Real8: return "8-byte reals";
    case DataType::Ascii: return "ASCII";
  }
  return "?";
}

struct Record {
  std::size_t offset = 0;
  std::uint8_t type = 0;
  std::string_view payload;
  [[nodiscard]] bool is(RecordType t) const { return type == code(t); }
  [[nodiscard]] std::string name() const { return record_name(type); }
};

std::uint16_t load16(const char* p) {
  return static_cast<std::uint16_t>(static_cast<std::uint8_t>(p[0]) << 8 | static_cast<std::uint8_t>(p[1]));
}
std::int32_t load32(const char* p) {
  const std::uint32_t u = std::uint32_t{static_cast<std::uint8_t>(p[0])} << 24 | std::uint32_t{static_cast<std::uint8_t>(p[1])} << 16 |
                          std::uint32_t{static_cast<std::uint8_t>(p[2])} << 8 | std::uint32_t{static_cast<std::uint8_t>(p[3])};
  return static_cast<std::int32_t>(u);
}

// Everything an element's records said, whatever the element kind.
struct ElementFields {
  std::optional<std::int16_t> layer, datatype;  // datatype holds DATATYPE, TEXTTYPE or BOXTYPE
  std::vector<Point> xy;
  bool has_xy = false;
  std::int16_t path_type = 0;
  Nm width = 0, begin_extension = 0, end_extension = 0;
  std::optional<std::string> sname, string;
  Transform transform;
  std::optional<std::pair<std::int16_t, std::int16_t>> colrow;
  std::optional<std::uint16_t> presentation;
};

// Records each element kind may hold besides the ignorable ones.
bool belongs(RecordType element, RecordType record) {
  using R = RecordType;
  switch (record) {
    case R::XY: return true;
    case R::Layer: return element != R::SRef && element != R::ARef;
    case R::DataType: return element == R::Boundary || element == R::Path;
    case R::PathType: case R::Width: return element == R::Path || element == R::Text;
    case R::BgnExtn: case R::EndExtn: return element == R::Path;
    case R::SName: return element == R::SRef || element == R::ARef;
    case R::STrans: case R::Mag: case R::Angle: return element == R::SRef || element == R::ARef || element == R::Text;
    case R::ColRow: return element == R::ARef;
    case R::TextType: case R::Presentation: case R::String: return element == R::Text;
    case R::BoxType: return element == R::Box;
    default: return false;
  }
}

bool is_element_start(std::uint8_t type) {
  switch (static_cast<RecordType>(type)) {
    case RecordType::Boundary: case RecordType::Path: case RecordType::SRef: case RecordType::ARef:
    case RecordType::Text: case RecordType::Node: case RecordType::Box:
      return true;
    default:
      return false;
  }
}

// A reference as read, for resolving names once every structure is known.
struct PendingRef {
  std::size_t cell = 0;
  std::string target;
  std::size_t offset = 0;  // of the SNAME record
};

class Parser {
 public:
  Parser(std::string_view bytes, std::string source) : bytes_(bytes), source_(std::move(source)) {}

  Library parse() {
    Library library;
    read_library_header(library);
    for (Record r = next("BGNSTR or ENDLIB");; r = next("BGNSTR or ENDLIB")) {
      if (r.is(RecordType::EndLib)) break;
      if (r.is(RecordType::BgnStr)) {
        library.cells.push_back(read_structure(r, library.cells.size()));
      } else if (!is_ignorable(r.type)) {
        fail(r, "expected BGNSTR (a cell) or ENDLIB");
      }
    }
    check_trailing_bytes();
    resolve(library);
    return library;
  }

 private:
  // --- records ----------------------------------------------------------------------------------

  [[noreturn]] void fail_at(std::size_t offset, std::string_view record, std::string_view message) const {
    std::string where = fmt::format("at byte {}", offset);
    if (!cell_.empty()) where += fmt::format(" in cell '{}'", cell_);
    if (element_offset_) where += fmt::format(" ({} from byte {})", element_name_, *element_offset_);
    throw InputError({Diagnostic{SourcePos{source_, 0, 0}, std::string(record), fmt::format("{}: {}", where, message)}});
  }
  [[noreturn]] void fail(const Record& r, std::string_view message) const { fail_at(r.offset, r.name(), message); }

  // The next record, checked for a sane length and, when wlpkit interprets it, its data type.
  Record next(std::string_view expecting) {
    const std::size_t remaining = bytes_.size() - pos_;
    if (remaining < 4)
      fail_at(pos_, "record", fmt::format("the file ends ({} bytes{}); expected {} (truncated file)", bytes_.size(),
                                           remaining ? fmt::format(", {} stray", remaining) : "", expecting));
    const std::size_t length = load16(bytes_.data() + pos_);
    Record r{pos_, static_cast<std::uint8_t>(bytes_[pos_ + 2]), {}};
    const auto data = static_cast<std::uint8_t>(bytes_[pos_ + 3]);
    if (length < 4) fail(r, fmt::format("record length {} is shorter than the 4-byte record header; expected {}", length, expecting));
    if (length % 2) fail(r, fmt::format("record length {} is odd; GDSII records have even lengths", length));
    if (length > remaining)
      fail(r, fmt::format("record of {} bytes but only {} remain (truncated file); expected {}", length, remaining, expecting));
    if (r.type > 0x3B) fail(r, fmt::format("unknown record type 0x{:02X}; expected {}", r.type, expecting));
    if (const auto want = expected_data_type(r.type); want && data != static_cast<std::uint8_t>(*want))
      fail(r, fmt::format("data type {} where {} carries {}", data, r.name(), data_type_name(*want)));
    r.payload = bytes_.substr(pos_ + 4, length - 4);
    pos_ += length;
    return r;
  }

  void expect_size(const Record& r, std::size_t unit, std::size_t count) const {
    if (r.payload.size() != unit * count)
      fail(r, fmt::format("payload of {} bytes, expected {} value(s) of {} bytes", r.payload.size(), count, unit));
  }
  std::int16_t int16(const Record& r) const {
    expect_size(r, 2, 1);
    return static_cast<std::int16_t>(load16(r.payload.data()));
  }
  std::uint16_t bits(const Record& r) const {
    expect_size(r, 2, 1);
    return load16(r.payload.data());
  }
  Nm int32(const Record& r) const {
    expect_size(r, 4, 1);
    return load32(r.payload.data());
  }
  double real8(const Record& r, std::size_t index) const {
    return decode_real8(reinterpret_cast<const std::uint8_t*>(r.payload.data() + 8 * index));
  }
  Timestamps dates(const Record& r) const {
    expect_size(r, 2, 12);
    Timestamps stamps{};
    for (std::size_t i = 0; i < 12; ++i) stamps[i] = static_cast<std::int16_t>(load16(r.payload.data() + 2 * i));
    return stamps;
  }
  // Trailing NULs are padding.
  std::string ascii(const Record& r) const {
    std::string_view text = r.payload;
    while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
    if (text.empty()) fail(r, "empty string; expected a name or text");
    return std::string(text);
  }
  void append_points(const Record& r, std::vector<Point>& points) const {
    if (r.payload.size() % 8) fail(r, fmt::format("payload of {} bytes, expected a multiple of 8 (x, y int32 pairs)", r.payload.size()));
    for (std::size_t i = 0; i < r.payload.size(); i += 8)
      points.push_back({load32(r.payload.data() + i), load32(r.payload.data() + i + 4)});
  }

  // --- library and structures -------------------------------------------------------------------

  void read_library_header(Library& library) {
    const Record header = next("HEADER");
    if (!header.is(RecordType::Header)) fail(header, "expected HEADER, the first record of a GDSII stream");
    library.version = int16(header);
    bool has_bgnlib = false, has_name = false, has_units = false;
    while (!(has_bgnlib && has_name && has_units)) {
      const Record r = next("BGNLIB, LIBNAME or UNITS");
      if (r.is(RecordType::BgnLib)) {
        library.timestamps = dates(r);
        has_bgnlib = true;
      } else if (r.is(RecordType::LibName)) {
        library.name = ascii(r);
        has_name = true;
      } else if (r.is(RecordType::Units)) {
        expect_size(r, 8, 2);
        library.user_units_per_dbu = real8(r, 0);
        library.metres_per_dbu = real8(r, 1);
        has_units = true;
      } else if (!is_ignorable(r.type)) {
        fail(r, fmt::format("expected {} before the first cell", !has_bgnlib ? "BGNLIB" : !has_name ? "LIBNAME" : "UNITS"));
      }
    }
  }

  Cell read_structure(const Record& bgnstr, std::size_t index) {
    Cell cell;
    cell.timestamps = dates(bgnstr);
    const Record name = next("STRNAME");
    if (!name.is(RecordType::StrName)) fail(name, "expected STRNAME after BGNSTR");
    cell.name = ascii(name);
    cell_ = cell.name;
    if (!cell_offsets_.emplace(cell.name, name.offset).second) fail(name, "a second cell with this name");
    for (Record r = next("an element or ENDSTR"); !r.is(RecordType::EndStr); r = next("an element or ENDSTR")) {
      if (is_element_start(r.type)) {
        read_element(r, cell, index);
      } else if (!is_ignorable(r.type)) {
        fail(r, "expected an element (BOUNDARY, PATH, SREF, AREF, TEXT, BOX, NODE) or ENDSTR");
      }
    }
    cell_.clear();
    return cell;
  }

  // --- elements ---------------------------------------------------------------------------------

  void read_element(const Record& start, Cell& cell, std::size_t cell_index) {
    const auto kind = static_cast<RecordType>(start.type);
    element_offset_ = start.offset;
    element_name_ = start.name();
    ElementFields f;
    std::size_t sname_offset = 0;
    Record r = next("ENDEL");
    for (; !r.is(RecordType::EndEl); r = next("ENDEL")) {
      if (is_ignorable(r.type)) continue;
      if (!belongs(kind, static_cast<RecordType>(r.type)))
        fail(r, fmt::format("{} does not belong in a {}; expected ENDEL", r.name(), element_name_));
      if (r.is(RecordType::SName)) sname_offset = r.offset;
      take_field(r, f);
    }
    build_element(kind, f, r, cell);
    if (f.sname) pending_.push_back({cell_index, *f.sname, sname_offset});
    element_offset_.reset();
  }

  void take_field(const Record& r, ElementFields& f) const {
    switch (static_cast<RecordType>(r.type)) {
      case RecordType::Layer: f.layer = int16(r); break;
      case RecordType::DataType: case RecordType::TextType: case RecordType::BoxType: f.datatype = int16(r); break;
      case RecordType::XY: append_points(r, f.xy); f.has_xy = true; break;  // a long element may split XY
      case RecordType::PathType: f.path_type = int16(r); break;
      case RecordType::Width: f.width = int32(r); break;
      case RecordType::BgnExtn: f.begin_extension = int32(r); break;
      case RecordType::EndExtn: f.end_extension = int32(r); break;
      case RecordType::SName: f.sname = ascii(r); break;
      case RecordType::String: f.string = ascii(r); break;
      // STRANS 0x8000 reflects; the absolute-MAG/ANGLE bits (0x0004, 0x0002) are not modelled: they
      // only differ from relative ones under a magnified or rotated parent.
      case RecordType::STrans: f.transform.reflect_x = (bits(r) & 0x8000) != 0; break;
      case RecordType::Mag: expect_size(r, 8, 1); f.transform.magnification = real8(r, 0); break;
      case RecordType::Angle: expect_size(r, 8, 1); f.transform.angle_deg = real8(r, 0); break;
      case RecordType::ColRow:
        expect_size(r, 2, 2);
        f.colrow = {static_cast<std::int16_t>(load16(r.payload.data())), static_cast<std::int16_t>(load16(r.payload.data() + 2))};
        break;
      case RecordType::Presentation: f.presentation = bits(r); break;
      default: break;  // belongs() admits nothing else
    }
  }

  // Required fields are checked at ENDEL, so the error points at the end of the element.
  LayerSpec layer_of(const ElementFields& f, const Record& endel, std::string_view datatype_record) const {
    if (!f.layer) fail(endel, fmt::format("{} ends without LAYER; expected LAYER", element_name_));
    if (!f.datatype) fail(endel, fmt::format("{} ends without {}; expected {}", element_name_, datatype_record, datatype_record));
    if (*f.layer < 0 || *f.datatype < 0)
      fail(endel, fmt::format("layer {}/{} is beyond 32767; expected 0..32767", static_cast<std::uint16_t>(*f.layer),
                              static_cast<std::uint16_t>(*f.datatype)));
    return {*f.layer, *f.datatype};
  }
  const std::vector<Point>& points_of(const ElementFields& f, const Record& endel, std::size_t min, std::size_t max) const {
    if (!f.has_xy) fail(endel, fmt::format("{} ends without XY; expected XY", element_name_));
    if (f.xy.size() < min || f.xy.size() > max)
      fail(endel, fmt::format("{} has {} points; expected {}", element_name_, f.xy.size(),
                              min == max ? fmt::format("{}", min) : fmt::format("{} or more", min)));
    return f.xy;
  }
  std::string name_of(const ElementFields& f, const Record& endel) const {
    if (!f.sname) fail(endel, fmt::format("{} ends without SNAME; expected SNAME", element_name_));
    return *f.sname;
  }

  // A closed ring (first point repeated) loses its closing point; an open one is kept as is.
  Ring ring_of(const ElementFields& f, const Record& endel) const {
    Ring ring = points_of(f, endel, 3, SIZE_MAX);
    if (ring.size() > 3 && ring.front() == ring.back()) ring.pop_back();
    if (ring.size() < 3) fail(endel, fmt::format("{} has {} distinct points; expected at least 3", element_name_, ring.size()));
    return ring;
  }

  void build_element(RecordType kind, ElementFields& f, const Record& endel, Cell& cell) const {
    switch (kind) {
      case RecordType::Boundary: cell.boundaries.push_back({layer_of(f, endel, "DATATYPE"), ring_of(f, endel)}); break;
      case RecordType::Box: cell.boundaries.push_back({layer_of(f, endel, "BOXTYPE"), ring_of(f, endel)}); break;
      case RecordType::Path: {
        if (f.path_type != 0 && f.path_type != 1 && f.path_type != 2 && f.path_type != 4)
          fail(endel, fmt::format("PATHTYPE {}; expected 0, 1, 2 or 4", f.path_type));
        const LayerSpec layer = layer_of(f, endel, "DATATYPE");
        cell.paths.push_back({layer, f.path_type, f.width, f.begin_extension, f.end_extension, points_of(f, endel, 1, SIZE_MAX)});
        break;
      }
      case RecordType::SRef: cell.refs.push_back({name_of(f, endel), points_of(f, endel, 1, 1).front(), f.transform}); break;
      case RecordType::ARef: cell.arrays.push_back(array_of(f, endel)); break;
      case RecordType::Text: {
        const LayerSpec layer = layer_of(f, endel, "TEXTTYPE");
        if (!f.string) fail(endel, "TEXT ends without STRING; expected STRING");
        cell.texts.push_back({layer, points_of(f, endel, 1, 1).front(), *f.string, f.transform, f.presentation});
        break;
      }
      default: break;  // NODE: electrical nets, nothing to draw
    }
  }

  CellArray array_of(const ElementFields& f, const Record& endel) const {
    CellArray array{name_of(f, endel), {}, 1, 1, {}, {}, f.transform};
    if (!f.colrow) fail(endel, "AREF ends without COLROW; expected COLROW");
    std::tie(array.columns, array.rows) = *f.colrow;
    if (array.columns < 1 || array.rows < 1)
      fail(endel, fmt::format("COLROW {} × {}; expected 1..32767 columns and rows", array.columns, array.rows));
    const std::vector<Point>& p = points_of(f, endel, 3, 3);
    array.origin = p[0];
    // P2 and P3 lie a whole number of steps away in files wlpkit or KLayout write; others round.
    auto step = [](Point from, Point to, std::int16_t n) {
      return Point{static_cast<Nm>(std::llround(static_cast<double>(to.x - from.x) / n)),
                   static_cast<Nm>(std::llround(static_cast<double>(to.y - from.y) / n))};
    };
    array.column_step = step(p[0], p[1], array.columns);
    array.row_step = step(p[0], p[2], array.rows);
    return array;
  }

  // --- after the last structure -----------------------------------------------------------------

  // Tape-era files pad the last block with zeros; anything else after ENDLIB is not GDSII.
  void check_trailing_bytes() const {
    const std::size_t garbage = bytes_.find_first_not_of('\0', pos_);
    if (garbage != std::string_view::npos) fail_at(garbage, "ENDLIB", "data after ENDLIB; expected the end of the file");
  }

  void resolve(const Library& library) const {
    std::vector<std::string> names;
    for (const Cell& cell : library.cells) names.push_back(cell.name);
    for (const PendingRef& ref : pending_)
      if (!cell_offsets_.contains(ref.target)) {
        const std::string near = design::nearest_match(ref.target, names);
        throw_at(ref, fmt::format("no cell named '{}' in the library; expected the name of a structure{}", ref.target,
                                  near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near)));
      }
    const std::vector<std::string> cycle = reference_cycle(library);
    if (cycle.empty()) return;
    const std::size_t from = cell_index_of(library, cycle[0]);
    const auto ref = std::find_if(pending_.begin(), pending_.end(),
                                  [&](const PendingRef& p) { return p.cell == from && p.target == cycle[1]; });
    throw_at(*ref, fmt::format("cell reference cycle {}; expected a hierarchy without cycles", design::joined(cycle, " -> ")));
  }

  [[noreturn]] void throw_at(const PendingRef& ref, const std::string& message) const {
    throw InputError({Diagnostic{SourcePos{source_, 0, 0}, "SNAME", fmt::format("at byte {}: {}", ref.offset, message)}});
  }

  static std::size_t cell_index_of(const Library& library, const std::string& name) {
    return static_cast<std::size_t>(std::find_if(library.cells.begin(), library.cells.end(),
                                                 [&](const Cell& c) { return c.name == name; }) -
                                    library.cells.begin());
  }

  std::string_view bytes_;
  std::string source_;
  std::size_t pos_ = 0;
  std::string cell_;                      // name of the structure being read, for messages
  std::optional<std::size_t> element_offset_;  // start of the element being read
  std::string element_name_;
  std::unordered_map<std::string, std::size_t> cell_offsets_;  // STRNAME offsets by name
  std::vector<PendingRef> pending_;
};

}  // namespace

Library read(std::string_view bytes, const std::string& source_name) { return Parser(bytes, source_name).parse(); }

Library read_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw InputError({Diagnostic{SourcePos{path.string(), 0, 0}, "", "cannot open the file for reading"}});
  std::ostringstream contents;
  contents << stream.rdbuf();
  return read(contents.str(), path.string());
}

}  // namespace wlp::layout::gds
