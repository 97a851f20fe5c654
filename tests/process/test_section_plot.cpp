// Cross-section figures: colours, true scale, states (liquid, exposed), legend text, and a
// realistic redistribution-layer section rendered end to end.
//
// Set WLPKIT_KEEP_PLOTS=<folder> to keep the example figure there for a look.
#include "process/section_plot.h"

#include <cairo/cairo.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "process/wafer_model.h"
#include "support/test_support.h"

namespace wlp::process {
namespace {

using layout::Box;
using layout::box_polygon;
using layout::Nm;
using layout::Region;

constexpr Nm kUm = 1000;

Region box_um(double s0, double z0, double s1, double z1) {
  const auto nm = [](double um) { return static_cast<Nm>(std::llround(um * 1000)); };
  return {box_polygon(Box{{nm(s0), nm(z0)}, {nm(s1), nm(z1)}})};
}

SectionPiece piece(const std::string& film, const std::string& material, const std::string& material_class,
                   Region shape, std::uint8_t flags = 0) {
  return SectionPiece{film, material, material_class, flags, std::move(shape)};
}

// A PNG read back through cairo; pixels as 0-255 RGB.
struct Rgb {
  int r = 0, g = 0, b = 0;
  [[nodiscard]] double luminance() const { return 0.2126 * r + 0.7152 * g + 0.0722 * b; }
};

class Png {
 public:
  explicit Png(const std::filesystem::path& path) : surface_(cairo_image_surface_create_from_png(path.c_str())) {
    if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cannot read " + path.string());
    cairo_surface_flush(surface_);
  }
  ~Png() { cairo_surface_destroy(surface_); }
  Png(const Png&) = delete;
  Png& operator=(const Png&) = delete;
  [[nodiscard]] int width() const { return cairo_image_surface_get_width(surface_); }
  [[nodiscard]] int height() const { return cairo_image_surface_get_height(surface_); }
  [[nodiscard]] Rgb at(int x, int y) const {
    const unsigned char* row = cairo_image_surface_get_data(surface_) + static_cast<std::ptrdiff_t>(y) * cairo_image_surface_get_stride(surface_);
    std::uint32_t pixel = 0;  // ARGB32, native order; opaque figures, so no unpremultiplying
    std::copy_n(row + static_cast<std::ptrdiff_t>(x) * 4, 4, reinterpret_cast<unsigned char*>(&pixel));
    return Rgb{static_cast<int>((pixel >> 16) & 0xff), static_cast<int>((pixel >> 8) & 0xff), static_cast<int>(pixel & 0xff)};
  }

 private:
  cairo_surface_t* surface_;
};

Rgb rgb_of(layout::Colour c) {
  return Rgb{static_cast<int>(std::lround(c.r * 255)), static_cast<int>(std::lround(c.g * 255)), static_cast<int>(std::lround(c.b * 255))};
}
bool near(Rgb a, Rgb b, int tolerance = 3) {
  return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}
double distance(Rgb a, Rgb b) { return std::hypot(a.r - b.r, a.g - b.g, a.b - b.b); }

// Pixels of a column (or row) that have a colour.
int count_in_column(const Png& png, int x, Rgb colour) {
  int count = 0;
  for (int y = 0; y < png.height(); ++y) count += near(png.at(x, y), colour) ? 1 : 0;
  return count;
}
int count_in_row(const Png& png, int y, Rgb colour, int x_limit) {
  int count = 0;
  for (int x = 0; x < std::min(x_limit, png.width()); ++x) count += near(png.at(x, y), colour) ? 1 : 0;
  return count;
}

// Bounding box (pixels) of the pixels of a colour left of `x_limit` (the legend is right).
struct PixelBox {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
};
PixelBox find_colour(const Png& png, Rgb colour, int x_limit) {
  PixelBox box;
  for (int y = 0; y < png.height(); ++y)
    for (int x = 0; x < std::min(x_limit, png.width()); ++x)
      if (near(png.at(x, y), colour))
        box = PixelBox{std::min(box.x0, x), std::min(box.y0, y), std::max(box.x1, x), std::max(box.y1, y)};
  return box;
}

// The texts the SVG carries in its <desc> (cairo writes glyphs as outlines).
std::string svg_description(const std::filesystem::path& svg) {
  const std::string text = test::read_text(svg);
  const std::size_t begin = text.find("<desc>"), end = text.find("</desc>");
  if (begin == std::string::npos || end == std::string::npos) return "";
  return text.substr(begin + 6, end - begin - 6);
}

// Every film's numeral is drawn (the SVG lists each text drawn on a line of its own).
void expect_numerals(const std::string& desc, int count) {
  for (int numeral = 1; numeral <= count; ++numeral)
    EXPECT_NE(desc.find("\n" + std::to_string(numeral) + "\n"), std::string::npos) << "numeral " << numeral;
}

// A plain two-film figure: substrate below z = 0, a film above, true scale 1 : 1 in um.
SectionFigure two_films(std::uint8_t top_flags = 0, const std::string& top_material = "Cu_ED") {
  SectionFigure figure;
  figure.title = "test figure";
  figure.caption = "two films";
  figure.s_length = 1000 * kUm;
  figure.z_min = -300 * kUm;
  figure.z_max = 300 * kUm;
  figure.pieces.push_back(piece("substrate", "Si", "semiconductor", box_um(0, -400, 1000, 0)));
  figure.pieces.push_back(piece("top-film", top_material, "metal", box_um(0, 0, 1000, 250), top_flags));
  return figure;
}

// The realistic example: an Al pad under oxide/nitride/polyimide, a Ti + Cu seed + 5 um Cu
// redistribution line to a land, a Cu stud, liquid buffer resin and a solder ball.
SectionFigure rdl_example() {
  using layout::region_and;
  using layout::region_not;
  using layout::region_or;
  using layout::sized;
  SectionFigure figure;
  figure.title = "s4-embodiment1 \u00b7 step 14 coat-buffer-resin";
  figure.caption =
      "Liquid buffer resin spin-coated over the studs to their tops; the polyimide opening over pad A1 is filled by "
      "the electroplated redistribution line, which runs 300 um to land B1 carrying a 60 um Cu stud and the ball.";
  figure.s_length = 500 * kUm;
  figure.z_min = -40 * kUm;
  const Region si = box_um(0, -60, 500, 0);
  const Region oxide = box_um(0, 0, 500, 0.5);
  const Region pad = box_um(25, 0.5, 75, 1.5);
  const Region nitride =
      region_not(region_not(region_or(box_um(0, 0.5, 500, 1.2), box_um(24.3, 0.5, 75.7, 2.2)), pad), box_um(35, 1.5, 65, 3));
  const Region below_pi = region_or(region_or(si, oxide), region_or(pad, nitride));
  const Region pi = region_not(region_not(box_um(0, 0, 500, 6.2), below_pi), box_um(42, 1.5, 58, 7));
  const Region ground = region_or(below_pi, pi);
  const Region footprint = box_um(30, -1, 365, 100);
  const auto shell = [&](double inner_um, double outer_um) {
    const Region outer = region_and(sized(ground, static_cast<Nm>(outer_um * 1000)), footprint);
    return inner_um <= 0 ? region_not(outer, ground) : region_not(outer, sized(ground, static_cast<Nm>(inner_um * 1000)));
  };
  const Region ti = shell(0, 0.1), seed = shell(0.1, 0.4), rdl = shell(0.4, 5.4);
  const Region stud = box_um(320, 11.6, 360, 71.6);
  const Region solids = region_or(region_or(ground, region_or(ti, seed)), region_or(rdl, stud));
  const Region resin = region_not(box_um(0, 6.2, 500, 71.6), solids);
  const Region ball = region_not({layout::circle({340 * kUm, 71600 + 117 * kUm}, 125 * kUm, 50)}, box_um(0, 0, 500, 71.6));
  figure.z_max = layout::bounding_box(ball).hi.y + 25 * kUm;
  figure.pieces = {
      piece("substrate", "Si", "semiconductor", si),
      piece("field-oxide", "SiO2_PECVD", "dielectric", oxide),
      piece("pad-metal", "Al", "metal", pad),
      piece("passivation", "Si3N4_PECVD", "dielectric", nitride),
      piece("insulating-film", "PI2611", "polymer", pi),
      piece("barrier", "Ti", "metal", ti),
      piece("seed", "Cu_ED", "metal", seed),
      piece("electroplate-rdl", "Cu_ED", "metal", rdl),
      piece("stud", "Cu_ED", "metal", stud),
      piece("buffer-resin", "buffer_resin", "polymer", resin, kLiquid),
      piece("balls", "SAC305", "solder", ball),
  };
  figure.marks = {{50 * kUm, "pad A1"}, {340 * kUm, "land B1"}, {500 * kUm, "die edge"}};
  figure.inset = Box{{28 * kUm, -3 * kUm}, {72 * kUm, 14 * kUm}};
  return figure;
}

TEST(SectionPlot, MaterialColoursAreFixedDistinctAndDeterministic) {
  const std::vector<std::pair<std::string, std::string>> common{
      {"Si", "semiconductor"}, {"SiO2_PECVD", "dielectric"}, {"Si3N4_PECVD", "dielectric"}, {"Al", "metal"},
      {"AlCu", "metal"},       {"Cu_ED", "metal"},           {"Cu_foil", "metal"},         {"Ti", "metal"},
      {"TiW", "metal"},        {"TaN", "metal"},             {"Cr", "metal"},              {"Ni", "metal"},
      {"NiP", "metal"},        {"Au", "metal"},              {"Ag", "metal"},              {"SAC305", "solder"},
      {"Sn63Pb37", "solder"},  {"PI2611", "polymer"},        {"HD4100", "polymer"},        {"PI2730", "polymer"},
      {"BCB", "polymer"},      {"PBO", "polymer"},           {"buffer_resin", "polymer"},  {"epoxy_unfilled", "polymer"},
      {"epoxy_filled", "composite"}, {"silicone", "polymer"}, {"photoresist", "resist"},  {"spin_on_glass", "dielectric"},
      {"dielectric_resin", "polymer"}, {"Ag_epoxy", "composite"}, {"DVB", "polymer"},     {"FR4", "board"},
      {"solder_mask", "polymer"}};
  std::vector<Rgb> colours;
  for (const auto& [id, material_class] : common) {
    const Rgb colour = rgb_of(material_colour(id, material_class));
    // The table decides, not the class: the same id under another class keeps its colour.
    EXPECT_TRUE(near(colour, rgb_of(material_colour(id, "other")), 0)) << id;
    colours.push_back(colour);
  }
  for (std::size_t i = 0; i < colours.size(); ++i)
    for (std::size_t j = i + 1; j < colours.size(); ++j)
      EXPECT_GT(distance(colours[i], colours[j]), 12.0) << common[i].first << " vs " << common[j].first;
  // Families as engineers expect them: copper orange, gold yellow, polyimide amber.
  const Rgb cu = rgb_of(material_colour("Cu_ED", "metal")), au = rgb_of(material_colour("Au", "metal"));
  EXPECT_GT(cu.r, cu.g + 60);
  EXPECT_GT(cu.g, cu.b);
  EXPECT_GT(au.r, au.b + 120);
  EXPECT_GT(au.g, au.b + 100);
}

TEST(SectionPlot, DerivedColoursAreStablePerIdAndFollowTheClass) {
  const Rgb a = rgb_of(material_colour("polymer_xyz", "polymer"));
  EXPECT_TRUE(near(a, rgb_of(material_colour("polymer_xyz", "polymer")), 0));
  EXPECT_GT(distance(a, rgb_of(material_colour("polymer_abc", "polymer"))), 3.0);
  // A polymer is warm (red over blue), an unknown metal a low-saturation grey.
  EXPECT_GT(a.r, a.b);
  const Rgb metal = rgb_of(material_colour("Mo_sputter", "metal"));
  EXPECT_LT(std::max({metal.r, metal.g, metal.b}) - std::min({metal.r, metal.g, metal.b}), 50);
}

TEST(SectionPlot, WritesSvgAndPngOfTheRequestedWidth) {
  const test::ScratchDir dir;
  const auto svg = dir.path() / "section.svg", png = dir.path() / "section.png";
  plot_section(two_films(), svg, png, 900);
  ASSERT_TRUE(std::filesystem::exists(svg));
  ASSERT_TRUE(std::filesystem::exists(png));
  EXPECT_NE(test::read_text(svg).find("<svg"), std::string::npos);
  const std::string header = test::read_text(png).substr(0, 8);
  EXPECT_EQ(header, std::string("\x89PNG\r\n\x1a\n", 8));
  const Png image(png);
  EXPECT_EQ(image.width(), 900);
  EXPECT_GE(image.height(), 300);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "section.png.tmp"));
}

TEST(SectionPlot, BigPiecesShowTheirMaterialColourAtTrueScale) {
  const test::ScratchDir dir;
  SectionFigure figure = two_films();
  // A 200 x 100 um block of gold in the Cu film: its pixel box must keep the 2 : 1 aspect.
  figure.pieces[1].shape = layout::region_not(figure.pieces[1].shape, box_um(400, 50, 600, 150));
  figure.pieces.push_back(piece("block", "Au", "metal", box_um(400, 50, 600, 150)));
  plot_section(figure, dir.path() / "f.svg", dir.path() / "f.png");
  const Png png(dir.path() / "f.png");
  const Rgb si = rgb_of(material_colour("Si", "semiconductor")), cu = rgb_of(material_colour("Cu_ED", "metal"));
  const Rgb au = rgb_of(material_colour("Au", "metal"));
  const PixelBox block = find_colour(png, au, png.width() * 3 / 5);
  ASSERT_GE(block.x1, 0) << "no gold pixel in the drawing";
  const int block_w = block.x1 - block.x0 + 1, block_h = block.y1 - block.y0 + 1;
  EXPECT_NEAR(static_cast<double>(block_w) / block_h, 2.0, 0.06);
  // The block's centre pixel is gold; a column beside it is Cu above Si, 250 : 300 um as drawn
  // (minus the break line at the bottom).
  EXPECT_TRUE(near(png.at((block.x0 + block.x1) / 2, (block.y0 + block.y1) / 2), au));
  const double px_per_um = block_w / 200.0;
  const int column = block.x0 - static_cast<int>(150 * px_per_um);
  EXPECT_NEAR(count_in_column(png, column, cu), 250 * px_per_um, 8);
  EXPECT_NEAR(count_in_column(png, column, si), 300 * px_per_um, 20);
  // The block's row is Au across 200 um.
  EXPECT_NEAR(count_in_row(png, (block.y0 + block.y1) / 2, au, png.width() * 3 / 5), 200 * px_per_um, 3);
}

TEST(SectionPlot, LegendListsEveryFilmWithItsNumeralBottomUp) {
  const test::ScratchDir dir;
  const SectionFigure figure = rdl_example();
  plot_section(figure, dir.path() / "f.svg", dir.path() / "f.png");
  const std::string desc = svg_description(dir.path() / "f.svg");
  ASSERT_FALSE(desc.empty());
  for (const SectionPiece& p : figure.pieces) EXPECT_NE(desc.find(p.film), std::string::npos) << p.film;
  // Numerals bottom-up: the substrate first, the ball (highest) last.
  EXPECT_NE(desc.find("1  substrate \u2014 Si\n"), std::string::npos);
  EXPECT_NE(desc.find("2  field-oxide \u2014 SiO2_PECVD\n"), std::string::npos);
  EXPECT_NE(desc.find("11  balls \u2014 SAC305\n"), std::string::npos);
  EXPECT_NE(desc.find("buffer-resin \u2014 buffer_resin (liquid)"), std::string::npos);
  EXPECT_NE(desc.find(figure.title), std::string::npos);
  EXPECT_NE(desc.find("pad A1"), std::string::npos);
  EXPECT_NE(desc.find(" um\n"), std::string::npos);  // the scale bar
  expect_numerals(desc, 11);
}

// Median luminance of the drawing's mid column, white background and ink left out.
double column_luminance(const std::filesystem::path& path) {
  const Png png(path);
  std::vector<double> values;
  for (int y = 0; y < png.height(); ++y) {
    const Rgb c = png.at(png.width() / 4, y);
    if (c.luminance() < 60 || (c.r > 250 && c.g > 250 && c.b > 250)) continue;
    values.push_back(c.luminance());
  }
  if (values.empty()) return 0;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
  return values[values.size() / 2];
}

TEST(SectionPlot, LiquidIsDrawnLighterAndExposedDarker) {
  const test::ScratchDir dir;
  // The Cu film covers most of the column at a quarter of the picture's width; Si is below.
  const auto render = [&](std::uint8_t flags, const std::string& name) {
    SectionFigure figure = two_films(flags);
    figure.z_min = -20 * kUm;  // the column is mostly the top film
    plot_section(figure, dir.path() / (name + ".svg"), dir.path() / (name + ".png"));
    return column_luminance(dir.path() / (name + ".png"));
  };
  const double solid = render(0, "solid"), liquid = render(kLiquid, "liquid"), exposed = render(kExposed, "exposed");
  EXPECT_NEAR(solid, rgb_of(material_colour("Cu_ED", "metal")).luminance(), 3);
  EXPECT_GT(liquid, solid + 40);
  EXPECT_LT(exposed, solid - 20);
  EXPECT_NE(svg_description(dir.path() / "liquid.svg").find("top-film \u2014 Cu_ED (liquid)"), std::string::npos);
  EXPECT_NE(svg_description(dir.path() / "exposed.svg").find("(exposed)"), std::string::npos);
}

TEST(SectionPlot, ThinFilmStillShowsAndGetsANumeral) {
  const test::ScratchDir dir;
  SectionFigure figure = two_films();
  figure.pieces[1].shape = box_um(0, 0.1, 1000, 250);
  // 0.1 um of Ti is 0.1 px here: drawn as a line of its own colour along half the cut.
  figure.pieces.insert(figure.pieces.begin() + 1, piece("barrier", "Ti", "metal", box_um(0, 0, 500, 0.1)));
  figure.pieces[2].shape = layout::region_not(figure.pieces[2].shape, box_um(0, 0, 500, 0.1));
  plot_section(figure, dir.path() / "f.svg", dir.path() / "f.png");
  const Png png(dir.path() / "f.png");
  const Rgb ti = rgb_of(material_colour("Ti", "metal"));
  int purple = 0;  // dark bluish-purple pixels in the drawing (the legend is further right)
  for (int y = 0; y < png.height(); ++y)
    for (int x = 0; x < png.width() / 2; ++x) {
      const Rgb c = png.at(x, y);
      purple += (distance(c, ti) < 45 && c.b > c.g + 15) ? 1 : 0;
    }
  EXPECT_GT(purple, 200);  // ~ 400 px of line, 1-2 px thick
  EXPECT_NE(svg_description(dir.path() / "f.svg").find("2  barrier \u2014 Ti"), std::string::npos);
}

TEST(SectionPlot, RejectsAnEmptyExtent) {
  const test::ScratchDir dir;
  SectionFigure figure = two_films();
  figure.z_max = figure.z_min;
  EXPECT_THROW(plot_section(figure, dir.path() / "f.svg", dir.path() / "f.png"), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "f.png"));
}

TEST(SectionPlot, FlatFigureKeepsTrueScaleAndAMinimumHeight) {
  const test::ScratchDir dir;
  SectionFigure figure = two_films();
  figure.z_min = -5 * kUm;
  figure.z_max = 10 * kUm;  // 1000 x 15 um: 15 px of structure at ~1 px/um
  figure.pieces[1].shape = box_um(0, 0, 1000, 5);
  plot_section(figure, dir.path() / "f.svg", dir.path() / "f.png");
  const Png png(dir.path() / "f.png");
  EXPECT_GE(png.height(), 300);
  const Rgb cu = rgb_of(material_colour("Cu_ED", "metal"));
  const PixelBox film = find_colour(png, cu, png.width() * 3 / 5);
  ASSERT_GE(film.x1, 0);
  // The drawing is 720 to 1080 px wide for 1000 um: 5 um of film is 3.6 to 5.4 px high.
  EXPECT_GE(film.y1 - film.y0 + 1, 3);
  EXPECT_LE(film.y1 - film.y0 + 1, 7) << "the film is stretched vertically";
}

// Longest horizontal run of a colour in the picture: {row, first x, last x}.
std::array<int, 3> longest_row_run(const Png& png, Rgb colour) {
  std::array<int, 3> best{-1, 0, -1};
  for (int y = 0; y < png.height(); ++y)
    for (int x = 0, start = 0; x <= png.width(); ++x) {
      if (x < png.width() && near(png.at(x, y), colour)) continue;
      if (x - start > best[2] - best[1] + 1) best = {y, start, x - 1};
      start = x + 1;
    }
  return best;
}

// Longest vertical run of a colour in a column: {first y, last y}.
std::array<int, 2> longest_column_run(const Png& png, int x, Rgb colour) {
  std::array<int, 2> best{0, -1};
  for (int y = 0, start = 0; y <= png.height(); ++y) {
    if (y < png.height() && near(png.at(x, y), colour)) continue;
    if (y - start > best[1] - best[0] + 1) best = {start, y - 1};
    start = y + 1;
  }
  return best;
}

// Where a test writes the figure it renders: the scratch folder, or WLPKIT_KEEP_PLOTS.
std::filesystem::path output_dir(const test::ScratchDir& dir) {
  const char* keep = std::getenv("WLPKIT_KEEP_PLOTS");
  if (keep == nullptr || *keep == '\0') return dir.path();
  std::filesystem::create_directories(keep);
  return keep;
}

// The realistic example end to end: files, size, and the colours where the parts are. The
// picture's transform is found from the substrate: its widest run spans s = 0..500 um, its
// top is z = 0.
TEST(SectionPlot, RdlExampleRendersLikeAPatentFigure) {
  const test::ScratchDir dir;
  const std::filesystem::path out = output_dir(dir);
  const SectionFigure figure = rdl_example();
  plot_section(figure, out / "rdl-section.svg", out / "rdl-section.png");
  ASSERT_TRUE(std::filesystem::exists(out / "rdl-section.svg"));
  const Png png(out / "rdl-section.png");
  EXPECT_EQ(png.width(), 1400);
  const Rgb si = rgb_of(material_colour("Si", "semiconductor"));
  const std::array<int, 3> si_row = longest_row_run(png, si);
  const double px_per_um = (si_row[2] - si_row[1] + 1) / 500.0;
  ASSERT_GT(px_per_um, 1.5);  // ~2 px/um: 500 um over ~1000 px
  const int si_top = longest_column_run(png, si_row[1] + static_cast<int>(200 * px_per_um), si)[0];
  const auto at = [&](double s_um, double z_um) {
    return png.at(si_row[1] + static_cast<int>(std::lround(s_um * px_per_um)), si_top - static_cast<int>(std::lround(z_um * px_per_um)));
  };
  const Rgb solder = rgb_of(material_colour("SAC305", "solder")), cu = rgb_of(material_colour("Cu_ED", "metal"));
  EXPECT_TRUE(near(at(340, 71.6 + 117), solder));
  EXPECT_TRUE(near(at(340, 40), cu));                                       // stud
  EXPECT_TRUE(near(at(200, 9), cu));                                        // redistribution line
  EXPECT_TRUE(near(at(200, 3.7), rgb_of(material_colour("PI2611", "polymer"))));  // polyimide
  EXPECT_TRUE(near(at(100, -20), si));
  // The ball is 250 um across at its widest row (true scale), the resin beside the stud pale.
  const int ball_y = si_top - static_cast<int>(std::lround((71.6 + 117) * px_per_um));
  int ball_px = 0;
  for (int x = 0; x < png.width() * 4 / 5; ++x) ball_px += near(png.at(x, ball_y), solder) ? 1 : 0;
  EXPECT_NEAR(ball_px / px_per_um, 250, 3);
  const Rgb resin = at(280, 40), resin_solid = rgb_of(material_colour("buffer_resin", "polymer"));
  EXPECT_GT(resin.luminance(), resin_solid.luminance() + 30);
  EXPECT_GT(resin.g, resin.b);
  // Substrate colour in a column under the line over 40 um, less the break line.
  EXPECT_NEAR(longest_column_run(png, si_row[1] + static_cast<int>(200 * px_per_um), si)[1] - si_top + 1, 40 * px_per_um, 14);
}

// Solder paste printed through a resist stencil on three lands: paste is stippled, the
// exposed resist darker than the rest; every state has its legend line.
TEST(SectionPlot, PasteAndExposedResistAcrossSeveralLands) {
  const test::ScratchDir dir;
  const std::filesystem::path out = output_dir(dir);
  SectionFigure figure;
  figure.title = "s2-example \u00b7 step 7 print-paste";
  figure.caption = "Solder paste squeegeed into the resist openings over the lands.";
  figure.s_length = 1200 * kUm;
  figure.z_min = -30 * kUm;
  figure.z_max = 150 * kUm;
  Region lands, openings;
  for (const double centre : {250.0, 600.0, 950.0}) {
    layout::append(lands, box_um(centre - 110, 8, centre + 110, 18));
    layout::append(openings, box_um(centre - 100, 18, centre + 100, 118));
  }
  const Region resist = layout::region_not(box_um(0, 8, 1200, 118), layout::region_or(lands, openings));
  const Region exposed = layout::region_and(resist, box_um(0, 0, 120, 200));
  figure.pieces = {
      piece("substrate", "Si", "semiconductor", box_um(0, -50, 1200, 0)),
      piece("insulating-film", "HD4100", "polymer", box_um(0, 0, 1200, 8)),
      piece("lands", "Cu_ED", "metal", lands),
      piece("stencil-resist", "photoresist", "resist", layout::region_not(resist, exposed)),
      piece("stencil-resist", "photoresist", "resist", exposed, kExposed),
      piece("paste", "SAC305", "solder", openings, kPaste),
  };
  figure.marks = {{250 * kUm, "L1"}, {600 * kUm, "L2"}, {950 * kUm, "L3"}, {120 * kUm, "exposure edge"}};
  plot_section(figure, out / "paste-section.svg", out / "paste-section.png");
  const std::string desc = svg_description(out / "paste-section.svg");
  EXPECT_NE(desc.find("4  stencil-resist \u2014 photoresist\n"), std::string::npos);
  EXPECT_NE(desc.find("4  stencil-resist \u2014 photoresist (exposed)"), std::string::npos);
  EXPECT_NE(desc.find("5  paste \u2014 SAC305 (paste)"), std::string::npos);
  const Png png(out / "paste-section.png");
  const Rgb resist_colour = rgb_of(material_colour("photoresist", "resist"));
  const std::array<int, 3> run = longest_row_run(png, resist_colour);
  EXPECT_GT(run[2] - run[1], 100);  // the unexposed resist between two openings
}

// No free corner: the inset goes to a band under the title; the picture grows by it.
TEST(SectionPlot, InsetWithoutAFreeCornerGoesUnderTheTitle) {
  const test::ScratchDir dir;
  const std::filesystem::path out = output_dir(dir);
  SectionFigure figure = two_films();
  figure.title = "inset in a band";
  figure.z_max = 250 * kUm;  // the film fills the drawing to its top
  figure.pieces.push_back(piece("pad-metal", "Al", "metal", box_um(480, 250 - 3, 520, 250)));
  figure.pieces[1].shape = layout::region_not(figure.pieces[1].shape, box_um(480, 247, 520, 250));
  plot_section(figure, out / "no-inset.svg", out / "no-inset.png");
  figure.inset = Box{{470 * kUm, 240 * kUm}, {530 * kUm, 250 * kUm}};
  plot_section(figure, out / "band-inset.svg", out / "band-inset.png");
  const Png plain(out / "no-inset.png"), banded(out / "band-inset.png");
  EXPECT_GT(banded.height(), plain.height() + 50);  // the 60 x 10 um window, x6
  EXPECT_NE(svg_description(out / "band-inset.svg").find("x"), std::string::npos);
  // The magnified Al (3 um high, 30 x as high in the inset) shows in the band.
  const PixelBox al = find_colour(banded, rgb_of(material_colour("Al", "metal")), banded.width() * 3 / 5);
  ASSERT_GE(al.y1, 0);
  EXPECT_GT(al.y1 - al.y0, 20);
}

// A figure showing only a few pixels of substrate: the break line stays inside the substrate
// (the film on it is not whitened) and every film keeps its numeral.
TEST(SectionPlot, ThinSubstrateStripKeepsFilmsAndNumerals) {
  const test::ScratchDir dir;
  const std::filesystem::path out = output_dir(dir);
  SectionFigure figure = two_films();
  figure.z_min = -3 * kUm;
  figure.z_max = 20 * kUm;
  figure.pieces[1].shape = box_um(0, 0, 1000, 8);
  figure.pieces.push_back(piece("passivation", "Si3N4_PECVD", "dielectric", box_um(0, 8, 1000, 8.7)));
  plot_section(figure, out / "thin-substrate.svg", out / "thin-substrate.png");
  const Png png(out / "thin-substrate.png");
  const int column = png.width() / 4;
  // 8 um of Cu at 0.7 to 1.1 px/um, whole.
  const std::array<int, 2> cu = longest_column_run(png, column, rgb_of(material_colour("Cu_ED", "metal")));
  EXPECT_GE(cu[1] - cu[0] + 1, 5);
  int si_px = 0;  // a strip of about 1.5 px of substrate over the break line
  for (int x = 0; x < png.width() / 2; ++x) si_px += count_in_column(png, x, rgb_of(material_colour("Si", "semiconductor"))) > 0 ? 1 : 0;
  EXPECT_GT(si_px, png.width() / 4);
  expect_numerals(svg_description(out / "thin-substrate.svg"), 3);
}

// Marks too close for one row are spread over several rows under the drawing.
TEST(SectionPlot, CrowdedMarksTakeMoreRows) {
  const test::ScratchDir dir;
  SectionFigure figure = two_films();
  plot_section(figure, dir.path() / "plain.svg", dir.path() / "plain.png");
  for (int i = 0; i < 4; ++i) figure.marks.emplace_back((500 + 5 * i) * kUm, "pad " + std::to_string(i));
  plot_section(figure, dir.path() / "marks.svg", dir.path() / "marks.png");
  const Png plain(dir.path() / "plain.png"), marked(dir.path() / "marks.png");
  EXPECT_GE(marked.height(), plain.height() + 3 * 14);  // four rows of 14 px instead of one
  const std::string desc = svg_description(dir.path() / "marks.svg");
  for (int i = 0; i < 4; ++i) EXPECT_NE(desc.find("pad " + std::to_string(i)), std::string::npos);
}

// A tall narrow cut keeps true scale: the drawing is held to 1400 px high and gets narrower.
TEST(SectionPlot, TallFigureIsHeldToAMaximumHeightAtTrueScale) {
  const test::ScratchDir dir;
  const std::filesystem::path out = output_dir(dir);
  SectionFigure figure;
  figure.title = "tall";
  figure.s_length = 100 * kUm;
  figure.z_min = -20 * kUm;
  figure.z_max = 600 * kUm;
  figure.pieces = {piece("substrate", "Si", "semiconductor", box_um(0, -30, 100, 0)),
                   piece("pillar", "Cu_ED", "metal", box_um(30, 0, 70, 550))};
  plot_section(figure, out / "tall.svg", out / "tall.png");
  const Png png(out / "tall.png");
  EXPECT_LT(png.height(), 1400 + 400);
  const PixelBox pillar = find_colour(png, rgb_of(material_colour("Cu_ED", "metal")), png.width() / 2);
  ASSERT_GE(pillar.x1, 0);
  EXPECT_NEAR(static_cast<double>(pillar.y1 - pillar.y0 + 1) / (pillar.x1 - pillar.x0 + 1), 550.0 / 40.0, 0.6);
}

}  // namespace
}  // namespace wlp::process
