// GDSII writer and reader. Oracles: 8-byte reals worked out by hand or with exact rational
// arithmetic (and 0.001 as KLayout writes it, survey §2.1); streams spelled out byte by byte from
// the record table; areas and transformed vertices in closed form. KLayout cross-checks are in
// test_gdsii_klayout.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include <fmt/format.h>

#include "design/diagnostics.h"
#include "layout/gdsii.h"
#include "support/test_support.h"

namespace wlp::layout::gds {
namespace {

using Bytes = std::vector<std::uint8_t>;

// "3E 41 89" → bytes; spaces ignored.
Bytes hex(std::string_view text) {
  Bytes bytes;
  std::string digits;
  for (const char c : text)
    if (c != ' ') digits += c;
  for (std::size_t i = 0; i + 1 < digits.size(); i += 2)
    bytes.push_back(static_cast<std::uint8_t>(std::stoi(digits.substr(i, 2), nullptr, 16)));
  return bytes;
}

Bytes as_bytes(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string as_string(const Bytes& b) { return std::string(b.begin(), b.end()); }
Bytes encoded(double value) {
  const auto a = encode_real8(value);
  return Bytes(a.begin(), a.end());
}

// One record framed by hand: 2-byte length, type, data type, payload.
Bytes record(std::uint8_t type, std::uint8_t data_type, const Bytes& payload = {}) {
  const std::size_t length = payload.size() + 4;
  Bytes r = {static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length & 0xFF), type, data_type};
  r.insert(r.end(), payload.begin(), payload.end());
  return r;
}
Bytes i16(std::initializer_list<int> values) {
  Bytes b;
  for (const int v : values) {
    const auto u = static_cast<std::uint16_t>(v);
    b.push_back(static_cast<std::uint8_t>(u >> 8));
    b.push_back(static_cast<std::uint8_t>(u & 0xFF));
  }
  return b;
}
Bytes i32(std::initializer_list<long long> values) {
  Bytes b;
  for (const long long v : values) {
    const auto u = static_cast<std::uint32_t>(static_cast<std::int32_t>(v));
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(u >> shift & 0xFF));
  }
  return b;
}
Bytes text(std::string_view s) {
  Bytes b(s.begin(), s.end());
  if (b.size() % 2) b.push_back(0);
  return b;
}
Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes all;
  for (const Bytes& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

// The message of the InputError thrown by reading `bytes`, or "" when it reads.
std::string read_error(const Bytes& bytes, const std::string& name = "probe.gds") {
  try {
    (void)read(as_string(bytes), name);
  } catch (const design::InputError& error) {
    return error.what();
  }
  return "";
}

std::string write_error(const Library& library) {
  try {
    (void)write(library);
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "";
}

// --- 8-byte reals ---------------------------------------------------------------------------------

TEST(GdsReal8, KnownEncodings) {
  // 0.001 as KLayout writes it (survey §2.1); the rest: value = 0.mantissa(hex) × 16^(e − 64).
  EXPECT_EQ(encoded(0.001), hex("3E 41 89 37 4B C6 A7 F0"));
  // 1e-9 = 0.268435456e-9·16^7 … exact hex digits of the double nearest 1e-9, by rational arithmetic.
  EXPECT_EQ(encoded(1e-9), hex("39 44 B8 2F A0 9B 5A 54"));
  EXPECT_EQ(encoded(1.0), hex("41 10 00 00 00 00 00 00"));    // 1 = 0x0.1 × 16^1
  EXPECT_EQ(encoded(0.0), hex("00 00 00 00 00 00 00 00"));
  EXPECT_EQ(encoded(-0.0), hex("00 00 00 00 00 00 00 00"));
  EXPECT_EQ(encoded(-1.0), hex("C1 10 00 00 00 00 00 00"));   // sign bit
  EXPECT_EQ(encoded(-2.5), hex("C1 28 00 00 00 00 00 00"));   // 2.5 = 0x0.28 × 16
  EXPECT_EQ(encoded(90.0), hex("42 5A 00 00 00 00 00 00"));   // 90 = 0x5A = 0x0.5A × 16²
  EXPECT_EQ(encoded(0.5), hex("40 80 00 00 00 00 00 00"));
  EXPECT_EQ(encoded(-0.1), hex("C0 19 99 99 99 99 99 9A"));   // 0.1 = 0x0.1999…
  EXPECT_EQ(encoded(std::ldexp(1.0, -260)), hex("00 10 00 00 00 00 00 00"));  // 16^-65: smallest exponent
}

TEST(GdsReal8, DecodesKnownBytes) {
  EXPECT_EQ(decode_real8(hex("3E 41 89 37 4B C6 A7 F0").data()), 0.001);
  EXPECT_EQ(decode_real8(hex("39 44 B8 2F A0 9B 5A 54").data()), 1e-9);
  EXPECT_EQ(decode_real8(hex("41 10 00 00 00 00 00 00").data()), 1.0);
  EXPECT_EQ(decode_real8(hex("00 00 00 00 00 00 00 00").data()), 0.0);
  EXPECT_EQ(decode_real8(hex("80 00 00 00 00 00 00 00").data()), 0.0);  // "negative zero"
  EXPECT_EQ(decode_real8(hex("C1 28 00 00 00 00 00 00").data()), -2.5);
  // Unnormalised mantissas (some writers): 0x0.01 × 16^1 = 1/16.
  EXPECT_EQ(decode_real8(hex("41 01 00 00 00 00 00 00").data()), 0.0625);
  // A full 56-bit mantissa has 3 more bits than a double: 1 − 2^-56 rounds to the nearest double, 1.
  EXPECT_EQ(decode_real8(hex("40 FF FF FF FF FF FF FF").data()), 1.0);
  // Truncated (not rounded) encoding of 0.001 by other writers: within one 56-bit ulp of 0.001.
  EXPECT_NEAR(decode_real8(hex("3E 41 89 37 4B C6 A7 EF").data()), 0.001, std::ldexp(1.0, -56) * std::pow(16.0, -2));
}

TEST(GdsReal8, DecodeOfEncodeIsWithinOneUlp) {
  // A double's 53 bits fit the 56-bit mantissa, so the round trip is exact: well within 1 ulp of
  // the 56-bit mantissa (value × 2^-52 at worst, when the leading hex digit is 1).
  std::mt19937_64 random(20240611);
  std::uniform_real_distribution<double> mantissa(0.5, 1.0);
  std::uniform_int_distribution<int> exponent(-250, 250);
  for (int i = 0; i < 20000; ++i) {
    double x = std::ldexp(mantissa(random), exponent(random));
    if (i % 2) x = -x;
    const auto bytes = encode_real8(x);
    const double back = decode_real8(bytes.data());
    ASSERT_EQ(back, x) << "x = " << x;
    ASSERT_LE(std::fabs(back - x), std::fabs(x) * std::ldexp(1.0, -52));
    ASSERT_EQ(encode_real8(back), bytes);  // stable bytes
  }
  for (const double x : {1e-3, 1e-9, 0.1, 1.0 / 3, 123456.789, 1e70, -1e-70, 2.5e-7})
    EXPECT_EQ(decode_real8(encode_real8(x).data()), x);
}

TEST(GdsReal8, RejectsWhatItCannotRepresent) {
  EXPECT_THROW(encode_real8(std::numeric_limits<double>::infinity()), std::invalid_argument);
  EXPECT_THROW(encode_real8(std::numeric_limits<double>::quiet_NaN()), std::invalid_argument);
  EXPECT_THROW(encode_real8(1e80), std::invalid_argument);        // > 16^63 ≈ 7.2e75
  // Below 16^-65 the mantissa is denormalised (exponent field 0, unit 16^-64·2^-56 = 2^-312 ≈ 1.2e-94)
  // and rounded to that unit; below half a unit it is zero.
  EXPECT_EQ(encoded(1e-100), hex("00 00 00 00 00 00 00 00"));
  const auto tiny = encode_real8(1e-90);
  EXPECT_EQ(tiny[0], 0);
  EXPECT_NEAR(decode_real8(tiny.data()), 1e-90, std::ldexp(1.0, -313));
}

// --- writing: bytes -------------------------------------------------------------------------------

Timestamps stamps() { return {2024, 1, 2, 3, 4, 5, 2024, 1, 2, 3, 4, 5}; }

Library tiny_library() {
  Library library;
  library.name = "LIB";
  library.timestamps = stamps();
  Cell a{"A", stamps(), {{{1, 0}, {{0, 0}, {10, 0}, {10, 20}, {0, 20}}}}, {}, {}, {}, {}};
  Cell top{"TOP", stamps(), {}, {}, {}, {}, {}};
  top.refs.push_back({"A", {100, -200}, {true, 1.0, 90.0}});
  top.texts.push_back({{2, 0}, {5, 5}, "hi", {}, {}});
  library.cells = {a, top};
  return library;
}

TEST(GdsWrite, TinyLibraryMatchesHandComputedBytes) {
  const std::string dates = "07E8 0001 0002 0003 0004 0005 07E8 0001 0002 0003 0004 0005";  // 2024-01-02 03:04:05
  const Bytes expected = hex(
      "0006 0002 0258"                                       // HEADER int16 600
      "001C 0102" + dates +                                  // BGNLIB, 12 × int16
      "0008 0206 4C49 4200"                                  // LIBNAME "LIB" + NUL pad
      "0014 0305 3E41 8937 4BC6 A7F0 3944 B82F A09B 5A54"    // UNITS 0.001, 1e-9
      "001C 0502" + dates +                                  // BGNSTR
      "0006 0606 4100"                                       // STRNAME "A" + pad
      "0004 0800"                                            // BOUNDARY
      "0006 0D02 0001"                                       // LAYER 1
      "0006 0E02 0000"                                       // DATATYPE 0
      "002C 1003 00000000 00000000 0000000A 00000000 0000000A 00000014 00000000 00000014 00000000 00000000"
      "0004 1100"                                            // ENDEL
      "0004 0700"                                            // ENDSTR
      "001C 0502" + dates +
      "0008 0606 544F 5000"                                  // STRNAME "TOP" + pad
      "0004 0A00"                                            // SREF
      "0006 1206 4100"                                       // SNAME "A"
      "0006 1A01 8000"                                       // STRANS reflect
      "000C 1C05 425A 0000 0000 0000"                        // ANGLE 90 (no MAG: it is 1)
      "000C 1003 00000064 FFFFFF38"                          // XY (100, -200)
      "0004 1100"
      "0004 0C00"                                            // TEXT
      "0006 0D02 0002"                                       // LAYER 2
      "0006 1602 0000"                                       // TEXTTYPE 0
      "000C 1003 00000005 00000005"                          // XY
      "0006 1906 6869"                                       // STRING "hi" (even: no pad)
      "0004 1100"
      "0004 0700"
      "0004 0400");                                          // ENDLIB
  EXPECT_EQ(as_bytes(write(tiny_library())), expected);
}

// --- round trip -----------------------------------------------------------------------------------

Ring octagon(Point c, double r) {
  Ring ring;
  for (int k = 0; k < 8; ++k) {
    const double a = (k + 0.5) * std::acos(-1.0) / 4;
    ring.push_back({c.x + std::llround(r * std::cos(a)), c.y + std::llround(r * std::sin(a))});
  }
  return ring;
}

Library rich_library() {
  Library library;
  library.name = "ROUNDTRIP";
  library.timestamps = {2023, 12, 31, 23, 59, 58, 2024, 2, 29, 0, 0, 1};
  Cell pad{"PAD", stamps(), {}, {}, {}, {}, {}};
  pad.boundaries.push_back({{1, 0}, octagon({0, 0}, 50'000)});
  pad.boundaries.push_back({{2, 7}, octagon({0, 0}, 40'000)});
  Cell top{"TOP", library.timestamps, {}, {}, {}, {}, {}};
  top.paths.push_back({{3, 0}, 0, 15'000, 0, 0, {{0, 0}, {100'000, 0}, {150'000, 50'000}}});
  top.paths.push_back({{3, 1}, 1, 8'000, 0, 0, {{0, 0}, {0, 80'000}}});
  top.paths.push_back({{3, 2}, 2, 10'000, 0, 0, {{0, 0}, {-50'000, 50'000}, {-50'000, 90'000}}});
  top.paths.push_back({{3, 4}, 4, 12'000, 3'000, -2'000, {{0, 0}, {60'000, 0}}});
  top.refs.push_back({"PAD", {1'000'000, 0}, {}});
  top.refs.push_back({"PAD", {-1'000'000, 5}, {true, 2.5, 33.75}});
  top.arrays.push_back({"PAD", {0, 2'000'000}, 4, 3, {400'000, 0}, {0, 400'000}, {}});
  top.arrays.push_back({"PAD", {0, -2'000'000}, 2, 2, {300'000, 100'000}, {-100'000, 300'000}, {false, 1.0, 270.0}});
  top.texts.push_back({{10, 0}, {0, 0}, "VDD", {}, {}});
  top.texts.push_back({{10, 3}, {5, -5}, "A1 odd", {true, 0.5, 45.0}, std::uint16_t{0x000A}});
  // Parent before child: readers resolve names after all structures.
  library.cells = {top, pad};
  return library;
}

TEST(GdsRoundTrip, WriteReadWriteIsByteIdentical) {
  const Library original = rich_library();
  const std::string first = write(original);
  const Library back = read(first, "first.gds");
  EXPECT_EQ(write(back), first);

  ASSERT_EQ(back.cells.size(), 2u);
  EXPECT_EQ(back.name, "ROUNDTRIP");
  EXPECT_EQ(back.timestamps, original.timestamps);
  EXPECT_EQ(back.user_units_per_dbu, 1e-3);
  EXPECT_EQ(back.metres_per_dbu, 1e-9);
  const Cell& top = back.cells[0];
  ASSERT_EQ(top.paths.size(), 4u);
  EXPECT_EQ(top.paths[3].path_type, 4);
  EXPECT_EQ(top.paths[3].begin_extension, 3'000);
  EXPECT_EQ(top.paths[3].end_extension, -2'000);
  EXPECT_EQ(top.paths[0].points, original.cells[0].paths[0].points);
  ASSERT_EQ(top.refs.size(), 2u);
  EXPECT_TRUE(top.refs[1].transform.reflect_x);
  EXPECT_EQ(top.refs[1].transform.magnification, 2.5);
  EXPECT_EQ(top.refs[1].transform.angle_deg, 33.75);
  ASSERT_EQ(top.arrays.size(), 2u);
  EXPECT_EQ(top.arrays[1].column_step, (Point{300'000, 100'000}));
  EXPECT_EQ(top.arrays[1].row_step, (Point{-100'000, 300'000}));
  EXPECT_EQ(top.arrays[1].transform.angle_deg, 270.0);
  ASSERT_EQ(top.texts.size(), 2u);
  EXPECT_EQ(top.texts[1].text, "A1 odd");
  EXPECT_EQ(top.texts[1].presentation, std::uint16_t{0x000A});
  EXPECT_FALSE(top.texts[0].presentation.has_value());
  EXPECT_EQ(back.cells[1].boundaries[1].points, original.cells[1].boundaries[1].points);
  EXPECT_EQ(back.cells[1].boundaries[1].layer, (LayerSpec{2, 7}));
}

TEST(GdsRoundTrip, WriteFileIsAtomicAndReadable) {
  test::ScratchDir scratch;
  const auto path = scratch.path() / "lib.gds";
  write_file(rich_library(), path);
  EXPECT_EQ(test::read_text(path), write(rich_library()));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(scratch.path()), {}), 1);  // no temporary left
  EXPECT_EQ(write(read_file(path)), test::read_text(path));
  // An unwritable place: nothing is created, the error names the target.
  const auto nowhere = scratch.path() / "missing-dir" / "lib.gds";
  EXPECT_THROW(write_file(rich_library(), nowhere), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(nowhere.parent_path()));
  // An invalid library leaves the previous file untouched.
  Library broken = rich_library();
  broken.cells[0].refs[0].cell = "NOPE";
  EXPECT_THROW(write_file(broken, path), std::invalid_argument);
  EXPECT_EQ(test::read_text(path), write(rich_library()));
}

// --- writing: refusals ----------------------------------------------------------------------------

TEST(GdsWrite, RefusesWhatGdsiiCannotHold) {
  Library two_points = tiny_library();
  two_points.cells[0].boundaries[0].points.resize(2);
  EXPECT_NE(write_error(two_points).find("cell 'A', BOUNDARY #0: has 2 points, expected 3 to 8190"), std::string::npos);

  Library too_many = tiny_library();
  too_many.cells[0].boundaries[0].points = Ring(8191, Point{0, 0});
  EXPECT_NE(write_error(too_many).find("has 8191 points"), std::string::npos);

  Library far = tiny_library();
  far.cells[0].boundaries[0].points[2] = {Nm{1} << 31, 0};
  EXPECT_NE(write_error(far).find("outside the int32 range"), std::string::npos);

  Library dangling = tiny_library();
  dangling.cells[1].refs[0].cell = "B";
  EXPECT_NE(write_error(dangling).find("cell 'TOP', SREF #0: references cell 'B'"), std::string::npos);

  Library long_name = tiny_library();
  long_name.cells[0].name = std::string(32001, 'x');
  long_name.cells[1].refs[0].cell = long_name.cells[0].name;
  EXPECT_NE(write_error(long_name).find("cell name of 32001 bytes"), std::string::npos);

  Library cyclic = tiny_library();
  cyclic.cells[0].refs.push_back({"TOP", {}, {}});
  EXPECT_NE(write_error(cyclic).find("cycle A -> TOP -> A"), std::string::npos);

  Library twice = tiny_library();
  twice.cells[1].name = "A";
  twice.cells[1].refs.clear();
  EXPECT_NE(write_error(twice).find("a second cell with this name"), std::string::npos);

  Library empty_array = tiny_library();
  empty_array.cells[1].arrays.push_back({"A", {}, 0, 3, {1, 0}, {0, 1}, {}});
  EXPECT_NE(write_error(empty_array).find("AREF #0: 0 columns"), std::string::npos);

  Library bad_mag = tiny_library();
  bad_mag.cells[1].refs[0].transform.magnification = 0;
  EXPECT_NE(write_error(bad_mag).find("magnification 0"), std::string::npos);

  Library negative_layer = tiny_library();
  negative_layer.cells[0].boundaries[0].layer.layer = -1;
  EXPECT_NE(write_error(negative_layer).find("layer -1/0"), std::string::npos);
}

// --- reading what other writers produce ------------------------------------------------------------

TEST(GdsRead, AcceptsOtherRecordOrdersAndSkipsLegalExtras) {
  const Bytes dates = i16({2020, 5, 6, 7, 8, 9, 2021, 1, 1, 0, 0, 0});
  const Bytes stream = cat({
      record(0x00, 2, i16({5})),                                    // HEADER, version 5
      record(0x01, 2, dates),                                       // BGNLIB
      record(0x02, 6, text("OTHER")),
      record(0x1F, 6, text("REFLIB")),                              // REFLIBS: skipped
      record(0x03, 5, cat({encoded(1e-3), encoded(1e-9)})),
      record(0x22, 2, i16({3})),                                    // GENERATIONS: skipped
      record(0x05, 2, dates),                                       // TOP first: forward reference
      record(0x06, 6, text("TOP")),
      record(0x34, 1, i16({0})),                                    // STRCLASS: skipped
      record(0x0A, 0),                                              // SREF with XY before SNAME
      record(0x26, 1, i16({0})),                                    // ELFLAGS: skipped
      record(0x10, 3, i32({7, -8})),
      record(0x1B, 5, encoded(2.0)),                                // MAG without STRANS
      record(0x12, 6, text("LEAF")),
      record(0x11, 0),
      record(0x15, 0),                                              // NODE: skipped element
      record(0x0D, 2, i16({4})), record(0x2A, 2, i16({0})), record(0x10, 3, i32({0, 0})), record(0x11, 0),
      record(0x07, 0),
      record(0x05, 2, dates),
      record(0x06, 6, text("LEAF")),
      record(0x08, 0),                                              // BOUNDARY: DATATYPE, XY split, LAYER last
      record(0x2F, 3, i32({1})),                                    // PLEX: skipped
      record(0x0E, 2, i16({9})),
      record(0x10, 3, i32({0, 0, 100, 0})),
      record(0x10, 3, i32({100, 50, 0, 50, 0, 0})),
      record(0x2B, 2, i16({1})), record(0x2C, 6, text("prop")),     // PROPATTR / PROPVALUE: skipped
      record(0x0D, 2, i16({6})),
      record(0x11, 0),
      record(0x2D, 0),                                              // BOX → boundary with BOXTYPE as datatype
      record(0x0D, 2, i16({7})), record(0x2E, 2, i16({1})),
      record(0x10, 3, i32({0, 0, 10, 0, 10, 10, 0, 10, 0, 0})),
      record(0x11, 0),
      record(0x09, 0),                                              // PATH without PATHTYPE: flush
      record(0x0D, 2, i16({8})), record(0x0E, 2, i16({0})), record(0x0F, 3, i32({20})),
      record(0x10, 3, i32({0, 0, 200, 0})),
      record(0x11, 0),
      record(0x07, 0),
      record(0x04, 0),
      Bytes(40, 0),                                                 // zero padding of the last block
  });
  const Library library = read(as_string(stream), "other.gds");
  EXPECT_EQ(library.version, 5);
  EXPECT_EQ(library.name, "OTHER");
  ASSERT_EQ(library.cells.size(), 2u);
  const Cell& top = library.cells[0];
  ASSERT_EQ(top.refs.size(), 1u);
  EXPECT_EQ(top.refs[0].cell, "LEAF");
  EXPECT_EQ(top.refs[0].origin, (Point{7, -8}));
  EXPECT_EQ(top.refs[0].transform.magnification, 2.0);
  EXPECT_TRUE(top.boundaries.empty());
  const Cell& leaf = library.cells[1];
  ASSERT_EQ(leaf.boundaries.size(), 2u);
  EXPECT_EQ(leaf.boundaries[0].layer, (LayerSpec{6, 9}));
  EXPECT_EQ(leaf.boundaries[0].points, (Ring{{0, 0}, {100, 0}, {100, 50}, {0, 50}}));
  EXPECT_EQ(leaf.boundaries[1].layer, (LayerSpec{7, 1}));
  ASSERT_EQ(leaf.paths.size(), 1u);
  EXPECT_EQ(leaf.paths[0].path_type, 0);
  EXPECT_EQ(leaf.paths[0].width, 20);
  // Flattened: the boundary magnified 2× at (7, −8): 200 × 100 nm, and the path 400 × 40 nm.
  const auto flat = flatten(library, "TOP");
  ASSERT_EQ(flat.size(), 3u);
  EXPECT_DOUBLE_EQ(area_um2(flat[0].shapes), 200 * 100 * 1e-6);
  EXPECT_EQ(bounding_box(flat[0].shapes).lo, (Point{7, -8}));
  EXPECT_DOUBLE_EQ(area_um2(flat[1].shapes), 20 * 20 * 1e-6);
  EXPECT_DOUBLE_EQ(area_um2(flat[2].shapes), 400 * 40 * 1e-6);
}

// --- reading damaged input ---------------------------------------------------------------------------

TEST(GdsRead, EveryTruncationIsAnInputError) {
  const Bytes whole = as_bytes(write(tiny_library()));
  for (std::size_t length = 0; length < whole.size(); ++length) {
    const std::string message = read_error(Bytes(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(length)));
    ASSERT_FALSE(message.empty()) << "prefix of " << length << " bytes was accepted";
    ASSERT_NE(message.find("probe.gds"), std::string::npos) << message;
  }
  // Cut inside the XY record of A's boundary: BOUNDARY starts at 6+28+8+20+28+6 = 96, XY at 96+4+6+6 = 112.
  const std::string cut = read_error(Bytes(whole.begin(), whole.begin() + 130));
  EXPECT_NE(cut.find("XY: at byte 112 in cell 'A' (BOUNDARY from byte 96)"), std::string::npos) << cut;
  EXPECT_NE(cut.find("record of 44 bytes but only 18 remain (truncated file)"), std::string::npos) << cut;
  // Cut between records: the file ends where ENDEL was expected.
  const std::string between = read_error(Bytes(whole.begin(), whole.begin() + 156));
  EXPECT_NE(between.find("at byte 156"), std::string::npos) << between;
  EXPECT_NE(between.find("expected ENDEL"), std::string::npos) << between;
}

TEST(GdsRead, GarbageAndMalformedRecordsNameTheOffset) {
  EXPECT_NE(read_error(as_bytes("%PDF-1.4 this is not a stream")).find("at byte 0"), std::string::npos);
  EXPECT_NE(read_error(as_bytes("\x00\x06\x01\x02\x00\x00")).find("expected HEADER"), std::string::npos);

  const Bytes whole = as_bytes(write(tiny_library()));
  Bytes odd = whole;
  odd[97] = 0x05;  // BOUNDARY (byte 96) says 5 bytes long
  EXPECT_NE(read_error(odd).find("BOUNDARY: at byte 96 in cell 'A': record length 5 is odd"), std::string::npos)
      << read_error(odd);

  Bytes short_record = whole;
  short_record[97] = 0x02;
  EXPECT_NE(read_error(short_record).find("shorter than the 4-byte record header"), std::string::npos);

  Bytes wrong_type = whole;
  wrong_type[115] = 0x02;  // XY (byte 112) claims int16
  EXPECT_NE(read_error(wrong_type).find("XY: at byte 112"), std::string::npos) << read_error(wrong_type);
  EXPECT_NE(read_error(wrong_type).find("data type 2 where XY carries int32"), std::string::npos);

  Bytes unknown = whole;
  unknown[98] = 0x70;
  EXPECT_NE(read_error(unknown).find("unknown record type 0x70"), std::string::npos);

  Bytes trailing = whole;
  trailing.insert(trailing.end(), {0, 0, 'x', 'y'});
  EXPECT_NE(read_error(trailing).find(fmt::format("at byte {}: data after ENDLIB", whole.size() + 2)), std::string::npos)
      << read_error(trailing);
}

TEST(GdsRead, CorruptedBytesReadOrRaiseInputError) {
  // Any byte may be damaged: the reader either accepts the stream or throws InputError — no
  // other exception, no crash (the ASan build runs this too).
  const std::string whole = write(rich_library());
  std::mt19937 random(7);
  std::uniform_int_distribution<std::size_t> where(0, whole.size() - 1);
  std::uniform_int_distribution<int> value(0, 255);
  int rejected = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    std::string damaged = whole;
    for (int k = 0; k < 1 + trial % 3; ++k) damaged[where(random)] = static_cast<char>(value(random));
    try {
      (void)read(damaged, "damaged.gds");
    } catch (const design::InputError& error) {
      ++rejected;
      ASSERT_NE(std::string(error.what()).find("damaged.gds: error: "), std::string::npos) << error.what();
      ASSERT_NE(std::string(error.what()).find("byte "), std::string::npos) << error.what();
    }
  }
  EXPECT_GT(rejected, 100);  // many damages are caught (a changed coordinate is not)
}

TEST(GdsRead, MissingFieldsAndMisplacedRecords) {
  const Bytes head = cat({record(0x00, 2, i16({600})), record(0x01, 2, i16({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})),
                          record(0x02, 6, text("L")), record(0x03, 5, cat({encoded(1e-3), encoded(1e-9)})),
                          record(0x05, 2, i16({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), record(0x06, 6, text("C"))});
  const std::size_t at = head.size();
  const Bytes tail = cat({record(0x07, 0), record(0x04, 0)});
  // BOUNDARY without XY: the error points at its ENDEL (element start + 4 + 6 + 6).
  const Bytes no_xy = cat({head, record(0x08, 0), record(0x0D, 2, i16({1})), record(0x0E, 2, i16({0})), record(0x11, 0), tail});
  EXPECT_NE(read_error(no_xy).find(fmt::format("ENDEL: at byte {} in cell 'C' (BOUNDARY from byte {}): BOUNDARY ends without XY",
                                               at + 16, at)),
            std::string::npos)
      << read_error(no_xy);
  // COLROW inside a BOUNDARY.
  const Bytes misplaced = cat({head, record(0x08, 0), record(0x13, 2, i16({1, 1})), record(0x11, 0), tail});
  EXPECT_NE(read_error(misplaced).find("COLROW does not belong in a BOUNDARY"), std::string::npos);
  // ENDSTR before ENDEL.
  const Bytes unfinished = cat({head, record(0x08, 0), tail});
  EXPECT_NE(read_error(unfinished).find(fmt::format("ENDSTR: at byte {}", at + 4)), std::string::npos);
  // Reference to a missing cell, and a cycle: reported at the SNAME record.
  const Bytes dangling = cat({head, record(0x0A, 0), record(0x12, 6, text("D")), record(0x10, 3, i32({0, 0})), record(0x11, 0), tail});
  EXPECT_NE(read_error(dangling).find(fmt::format("SNAME: at byte {}: no cell named 'D'", at + 4)), std::string::npos)
      << read_error(dangling);
  const Bytes self = cat({head, record(0x0A, 0), record(0x12, 6, text("C")), record(0x10, 3, i32({0, 0})), record(0x11, 0), tail});
  EXPECT_NE(read_error(self).find(fmt::format("SNAME: at byte {}: cell reference cycle C -> C", at + 4)), std::string::npos)
      << read_error(self);
  // AREF with zero rows.
  const Bytes no_rows = cat({head, record(0x0B, 0), record(0x12, 6, text("C")), record(0x13, 2, i16({2, 0})),
                             record(0x10, 3, i32({0, 0, 10, 0, 0, 0})), record(0x11, 0), tail});
  EXPECT_NE(read_error(no_rows).find("COLROW 2 × 0"), std::string::npos);
  // Two cells with one name.
  const Bytes twice = cat({head, record(0x07, 0), record(0x05, 2, i16({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0})), record(0x06, 6, text("C")), tail});
  EXPECT_NE(read_error(twice).find("a second cell with this name"), std::string::npos);
}

TEST(GdsRead, MissingFileIsAnInputErrorNamingIt) {
  try {
    (void)read_file("/nonexistent/dir/x.gds");
    FAIL() << "no error";
  } catch (const design::InputError& error) {
    EXPECT_NE(std::string(error.what()).find("/nonexistent/dir/x.gds"), std::string::npos);
  }
}

// --- polygons, flattening -------------------------------------------------------------------------

TEST(GdsAddPolygon, HolesAreCutAndBigRingsSplit) {
  Cell cell{"C", {}, {}, {}, {}, {}, {}};
  const Region frame = region_not({box_polygon({{0, 0}, {30'000, 30'000}})}, {box_polygon({{10'000, 10'000}, {20'000, 20'000}})});
  ASSERT_EQ(frame[0].holes.size(), 1u);
  add_polygon(cell, {1, 0}, frame[0]);
  EXPECT_GE(cell.boundaries.size(), 2u);
  const Polygon big = circle({0, 0}, 20'000'000, 1);
  ASSERT_GT(big.outer.size(), 8190u);
  add_polygon(cell, {2, 0}, big);
  add_polygon(cell, {3, 0}, square({0, 0}, 1000));  // a plain polygon stays one boundary
  Region layer1, layer2;
  std::size_t layer3 = 0;
  for (const Boundary& b : cell.boundaries) {
    EXPECT_LE(b.points.size(), 8190u);
    if (b.layer.layer == 1) layer1.push_back({b.points, {}});
    if (b.layer.layer == 2) layer2.push_back({b.points, {}});
    if (b.layer.layer == 3) ++layer3;
  }
  EXPECT_TRUE(region_xor(layer1, frame).empty());
  EXPECT_TRUE(region_xor(layer2, {big}).empty());
  EXPECT_EQ(layer3, 1u);
  // And the pieces are writable and read back.
  Library library;
  library.cells = {cell};
  EXPECT_NO_THROW((void)read(write(library), "big.gds"));
}

// An L-shape whose orientation shows every transform: (0,0) (3,0) (3,1) (1,1) (1,2) (0,2), in µm.
Ring l_shape() { return {{0, 0}, {3000, 0}, {3000, 1000}, {1000, 1000}, {1000, 2000}, {0, 2000}}; }

TEST(GdsFlatten, TransformsReflectThenMagnifyRotateTranslate) {
  Library library;
  Cell leaf{"L", {}, {{{1, 0}, l_shape()}}, {}, {}, {}, {}};
  Cell top{"TOP", {}, {}, {}, {}, {}, {}};
  // Reflect about x: (x, y) → (x, −y); magnify 2: (2x, −2y); rotate 90° ccw: (2y, 2x); then + (10 µm, 0).
  top.refs.push_back({"L", {10'000, 0}, {true, 2.0, 90.0}});
  library.cells = {leaf, top};
  const auto flat = flatten(library, "TOP");
  ASSERT_EQ(flat.size(), 1u);
  Ring expected;
  for (const Point& p : l_shape()) expected.push_back({10'000 + 2 * p.y, 2 * p.x});
  EXPECT_TRUE(region_xor(flat[0].shapes, {{expected, {}}}).empty());
  EXPECT_DOUBLE_EQ(area_um2(flat[0].shapes), 4 * 4.0);  // L area 4 µm², ×2²
  // The leaf's corner (3,0) lands at (10, 6); the notch corner (1,1) at (12, 2).
  EXPECT_TRUE(contains(flat[0].shapes, {10'000, 6'000}));
  EXPECT_FALSE(contains(flat[0].shapes, {13'000, 3'000}));  // inside the notch
}

TEST(GdsFlatten, ArraysAndPathEnds) {
  Library library;
  Cell leaf{"SQ", {}, {{{1, 0}, square({0, 0}, 2000).outer}}, {}, {}, {}, {}};
  Cell top{"TOP", {}, {}, {}, {}, {}, {}};
  top.arrays.push_back({"SQ", {0, 0}, 5, 3, {10'000, 0}, {1'000, 10'000}, {false, 1.0, 180.0}});
  // 20 µm long, 2 µm wide: flush 40, extended (20+2)·2 = 44, round drawn as extended 44,
  // custom +3 −1 µm: (20+2)·2 = 44 as well but shifted.
  top.paths.push_back({{2, 0}, 0, 2000, 0, 0, {{0, 50'000}, {20'000, 50'000}}});
  top.paths.push_back({{2, 2}, 2, 2000, 0, 0, {{0, 50'000}, {20'000, 50'000}}});
  top.paths.push_back({{2, 1}, 1, 2000, 0, 0, {{0, 50'000}, {20'000, 50'000}}});
  top.paths.push_back({{2, 4}, 4, 2000, 3000, -1000, {{0, 50'000}, {20'000, 50'000}}});
  library.cells = {leaf, top};
  const auto flat = flatten(library, "TOP");
  ASSERT_EQ(flat.size(), 5u);
  EXPECT_EQ(flat[0].layer, (LayerSpec{1, 0}));
  EXPECT_EQ(flat[0].shapes.size(), 15u);  // disjoint squares stay separate polygons
  EXPECT_DOUBLE_EQ(area_um2(flat[0].shapes), 15 * 4.0);
  EXPECT_TRUE(contains(flat[0].shapes, {4 * 10'000 + 2 * 1'000, 2 * 10'000}));  // last column, last row
  EXPECT_DOUBLE_EQ(area_um2(flat[1].shapes), 40.0);
  EXPECT_DOUBLE_EQ(area_um2(flat[2].shapes), 44.0);  // datatype 1: round ends drawn as extended
  EXPECT_DOUBLE_EQ(area_um2(flat[3].shapes), 44.0);
  EXPECT_DOUBLE_EQ(area_um2(flat[4].shapes), 44.0);
  EXPECT_EQ(bounding_box(flat[4].shapes).lo, (Point{-3000, 49'000}));
  EXPECT_EQ(bounding_box(flat[4].shapes).hi, (Point{19'000, 51'000}));

  const auto counts = flat_counts(library, "TOP");
  ASSERT_EQ(counts.size(), 5u);
  EXPECT_EQ(counts[0].shapes, 15u);
  EXPECT_EQ(counts[1].shapes, 1u);
}

TEST(GdsFlatten, RefusesCyclesAndUnknownCells) {
  Library library = tiny_library();
  EXPECT_THROW((void)flatten(library, "NOPE"), std::invalid_argument);
  library.cells[0].refs.push_back({"TOP", {}, {}});
  EXPECT_EQ(reference_cycle(library), (std::vector<std::string>{"A", "TOP", "A"}));
  EXPECT_THROW((void)flatten(library, "TOP"), std::invalid_argument);
  EXPECT_THROW((void)flat_counts(library, "TOP"), std::invalid_argument);
}

}  // namespace
}  // namespace wlp::layout::gds
