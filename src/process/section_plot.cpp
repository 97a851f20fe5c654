// Cross-section figures in the style of a patent drawing. The figure is laid out in picture
// pixels on a layout::Canvas (true scale: one px_per_nm for s and z):
//
//   - pieces are filled in their material's colour, outlined thinly; films thinner than ~2 px
//     are drawn last as lines of their own (darkened) colour so they stay visible;
//   - every film gets a reference numeral (bottom-up) with a leader line from a point in its
//     largest piece to free space: above the structure or in the side margins. Candidate
//     positions are searched along rays from candidate anchor points, scored by leader length,
//     material crossed and clashes with leaders and numerals already placed;
//   - a zig-zag break line where the substrate is cut off at z_min, marks under the drawing, a
//     legend (numeral, film, material, state) and a round scale bar;
//   - an optional magnified inset in a free top corner (or in a band under the title).
#include "process/section_plot.h"

#include <cairo.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <string_view>

#include <fmt/format.h>

#include "process/wafer_model.h"

namespace wlp::process {

namespace {

using layout::Canvas;
using layout::Colour;
using layout::FillStyle;
using layout::Nm;
using layout::Polygon;
using layout::Px;
using layout::PxRect;
using layout::Region;

// --- colours ----------------------------------------------------------------------------------

struct TableColour {
  std::string_view id;
  const char* hex;
};

// Fixed colours of the common materials: families share a hue (polyimides amber, solders
// blue-grey, barrier metals dark grey-purple) and members differ enough to tell apart.
constexpr std::array kMaterialColours{
    TableColour{"Si", "#a3a5a8"},          TableColour{"SiO2_PECVD", "#a9d3f2"},
    TableColour{"Si3N4_PECVD", "#3fa79a"}, TableColour{"spin_on_glass", "#cfeaf4"},
    TableColour{"Al", "#c9ced6"},          TableColour{"AlCu", "#aeb6c4"},
    TableColour{"Cu_ED", "#d8742f"},       TableColour{"Cu_foil", "#b8612f"},
    TableColour{"Ti", "#5b4f78"},          TableColour{"TiW", "#7a6aa0"},
    TableColour{"TiN", "#8d7a3c"},         TableColour{"Ta", "#4b4f63"},
    TableColour{"TaN", "#3b3650"},         TableColour{"Cr", "#34414f"},
    TableColour{"Ni", "#8f9a90"},          TableColour{"NiP", "#6f7f74"},
    TableColour{"Au", "#e6b422"},          TableColour{"Ag", "#e3e6ea"},
    TableColour{"Sn", "#bcc7d3"},          TableColour{"In", "#a7aec8"},
    TableColour{"Cu6Sn5", "#8c6f4c"},      TableColour{"Ni3Sn4", "#6e6656"},
    TableColour{"SAC305", "#9bb0c8"},      TableColour{"SAC305_T", "#a9bccf"},
    TableColour{"SAC387", "#8ea4bc"},      TableColour{"SAC405", "#b4c3d8"},
    TableColour{"Sn63Pb37", "#8593a8"},    TableColour{"Sn60Pb40", "#77869c"},
    TableColour{"PI2611", "#eaa73a"},      TableColour{"HD4100", "#f3c263"},
    TableColour{"PI2730", "#d98f2b"},      TableColour{"dielectric_resin", "#d9a86c"},
    TableColour{"BCB", "#a8bd5e"},         TableColour{"PBO", "#c9c86a"},
    TableColour{"buffer_resin", "#86bf7a"}, TableColour{"epoxy_unfilled", "#b3d59b"},
    TableColour{"epoxy_filled", "#6f9657"}, TableColour{"silicone", "#cde8b5"},
    TableColour{"Ag_epoxy", "#a6ab96"},    TableColour{"DVB", "#f0dcb0"},
    TableColour{"photoresist", "#e46aa8"}, TableColour{"FR4", "#4f8f3a"},
    TableColour{"FR4_370HR", "#5e9c44"},   TableColour{"solder_mask", "#1f5a3a"},
};

// FNV-1a: stable across platforms and runs (std::hash is not), so derived colours never change.
std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t hash = 1469598103934665603ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

Colour from_hsl(double hue_deg, double saturation, double lightness) {
  // Each channel from its own offset on the hue circle (the usual closed form of HSL).
  const auto channel = [&](double n) {
    const double k = std::fmod(n + std::fmod(hue_deg + 360.0, 360.0) / 30.0, 12.0);
    const double a = saturation * std::min(lightness, 1 - lightness);
    return lightness - a * std::max(-1.0, std::min({k - 3, 9 - k, 1.0}));
  };
  return Colour{channel(0), channel(8), channel(4), 1};
}

// Unknown materials keep the look of their class (metals grey, polymers warm...) with a hue
// and lightness offset from the id, so two unknown polymers still differ.
Colour derived_colour(const std::string& id, const std::string& material_class) {
  struct ClassLook {
    std::string_view name;
    double hue, saturation, lightness;
  };
  static constexpr std::array kClasses{
      ClassLook{"metal", 215, 0.10, 0.66},      ClassLook{"solder", 212, 0.22, 0.68},
      ClassLook{"intermetallic", 33, 0.22, 0.45}, ClassLook{"dielectric", 200, 0.55, 0.78},
      ClassLook{"polymer", 38, 0.65, 0.62},     ClassLook{"resist", 325, 0.62, 0.66},
      ClassLook{"composite", 90, 0.25, 0.55},   ClassLook{"board", 105, 0.42, 0.40},
      ClassLook{"semiconductor", 220, 0.03, 0.64},
  };
  ClassLook look{"", 0, 0.45, 0.62};
  for (const ClassLook& known : kClasses)
    if (known.name == material_class) look = known;
  const std::uint64_t hash = stable_hash(id);
  const double hue_offset = static_cast<double>(hash % 61) - 30.0;  // ±30°
  const double lightness_offset = static_cast<double>((hash >> 8) % 21) / 100.0 - 0.10;
  if (look.name.empty()) look.hue = static_cast<double>((hash >> 16) % 360);  // unknown class
  return from_hsl(look.hue + hue_offset, look.saturation, std::clamp(look.lightness + lightness_offset, 0.3, 0.85));
}

Colour mixed(Colour a, Colour b, double t) {
  return Colour{a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t, 1};
}
const Colour kWhite{1, 1, 1, 1}, kBlack{0, 0, 0, 1}, kInk{0.12, 0.12, 0.12, 1};
const Colour kOutline{0.16, 0.16, 0.16, 1};

// --- pieces -----------------------------------------------------------------------------------

// How a piece is drawn: its material colour changed by its state.
struct Look {
  Colour fill, edge;  // edge: the colour of a thin film's line
  FillStyle style;
  std::string state;  // " (liquid)" ...
};

Look look_of(const SectionPiece& piece) {
  const Colour base = material_colour(piece.material, piece.material_class);
  Look look{base, mixed(base, kBlack, 0.3), FillStyle{}, ""};
  if ((piece.flags & kExposed) != 0) {
    // A latent image: the same resist, visibly darker.
    look.fill = mixed(base, kBlack, 0.32);
    look.edge = mixed(base, kBlack, 0.5);
    look.state += " (exposed)";
  }
  if ((piece.flags & kLiquid) != 0) {
    // Uncured: pale, hatched in the material's own colour, dashed outline.
    look.style = FillStyle{layout::Texture::Hatch, mixed(look.fill, kWhite, 0.15), 9, true};
    look.fill = mixed(look.fill, kWhite, 0.55);
    look.state += " (liquid)";
  }
  if ((piece.flags & kPaste) != 0) {
    look.style = FillStyle{layout::Texture::Stipple, mixed(look.fill, kBlack, 0.45), 6, (piece.flags & kLiquid) != 0};
    look.fill = mixed(look.fill, kWhite, 0.25);
    look.state += " (paste)";
  }
  return look;
}

// Mean thickness of a polygon in pixels: area over its longer extent (a conformal liner or a
// sidewall film is thin either way).
double thickness_px(const Polygon& polygon, double px_per_nm) {
  const layout::Box box = layout::bounding_box(polygon.outer);
  const double length_nm = static_cast<double>(std::max<Nm>({box.width(), box.height(), 1}));
  return layout::area_um2(polygon) * 1e6 / length_nm * px_per_nm;
}

constexpr double kThinPx = 2.0;

// Thick pieces first, thin ones over them as coloured lines, in the current view.
void draw_pieces(Canvas& canvas, const SectionFigure& figure) {
  const double scale = canvas.px_per_nm();
  for (const bool thin_pass : {false, true})
    for (const SectionPiece& piece : figure.pieces) {
      const Look look = look_of(piece);
      for (const Polygon& polygon : piece.shape) {
        const bool thin = thickness_px(polygon, scale) < kThinPx;
        if (thin != thin_pass) continue;
        if (thin) {
          FillStyle solid = look.style;
          solid.texture = layout::Texture::Solid;
          canvas.fill({polygon}, look.fill, look.edge, 1.4, solid);
        } else {
          canvas.fill({polygon}, look.fill, kOutline, 0.6, look.style);
        }
      }
    }
}

// --- films, numerals, legend ----------------------------------------------------------------

struct FilmInfo {
  std::string name;
  int numeral = 0;
  const Polygon* largest = nullptr;  // the leader points into it
};

// Films numbered bottom-up (lowest point of the film), ties in order of first appearance.
std::vector<FilmInfo> number_films(const SectionFigure& figure) {
  struct Seen {
    std::string name;
    Nm bottom;
    const Polygon* largest;
    double largest_area;
  };
  std::vector<Seen> seen;  // in order of first appearance; the stable sort keeps it for ties
  for (const SectionPiece& piece : figure.pieces) {
    for (const Polygon& polygon : piece.shape) {
      if (polygon.outer.size() < 3) continue;
      auto it = std::find_if(seen.begin(), seen.end(), [&](const Seen& s) { return s.name == piece.film; });
      if (it == seen.end()) it = seen.insert(seen.end(), Seen{piece.film, std::numeric_limits<Nm>::max(), nullptr, -1});
      it->bottom = std::min(it->bottom, layout::bounding_box(polygon.outer).lo.y);
      const double area = layout::area_um2(polygon);
      if (area > it->largest_area) it->largest = &polygon, it->largest_area = area;
    }
  }
  std::stable_sort(seen.begin(), seen.end(), [](const Seen& a, const Seen& b) { return a.bottom < b.bottom; });
  std::vector<FilmInfo> films;
  for (const Seen& s : seen) films.push_back(FilmInfo{s.name, static_cast<int>(films.size()) + 1, s.largest});
  return films;
}

int numeral_of(const std::vector<FilmInfo>& films, const std::string& film) {
  for (const FilmInfo& info : films)
    if (info.name == film) return info.numeral;
  return 0;
}

struct LegendEntry {
  std::string text;
  Colour swatch;
  FillStyle style;
};

// One entry per film and state ("4  resist — photoresist (exposed)"), in numeral order.
std::vector<LegendEntry> legend_entries(const SectionFigure& figure, const std::vector<FilmInfo>& films) {
  std::vector<std::pair<int, LegendEntry>> entries;
  for (const SectionPiece& piece : figure.pieces) {
    const int numeral = numeral_of(films, piece.film);
    if (numeral == 0) continue;
    const Look look = look_of(piece);
    std::string text = fmt::format("{}  {} \u2014 {}{}", numeral, piece.film, piece.material, look.state);
    const bool known = std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.second.text == text; });
    if (!known) entries.emplace_back(numeral, LegendEntry{std::move(text), look.fill, look.style});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<LegendEntry> out;
  for (auto& entry : entries) out.push_back(std::move(entry.second));
  return out;
}

// --- raster of films (for placing numerals) ----------------------------------------------------

// Which film covers each picture pixel (-1: none), rendered without antialiasing (outlines
// stroked too, so films thinner than a pixel still register), and which free pixels are
// reachable from the picture's border: numerals go there, never into an enclosed void.
class FilmRaster {
 public:
  FilmRaster(const Canvas& canvas, const SectionFigure& figure, const std::vector<FilmInfo>& films)
      : width_(canvas.width_px()), height_(canvas.height_px()), film_(cell_count(), -1) {
    cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_, height_);
    cairo_t* cr = cairo_create(surface);
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
    cairo_set_source_rgb(cr, 0, 0, 0);
    cairo_paint(cr);
    const PxRect drawing = canvas.drawing_px();
    cairo_rectangle(cr, drawing.left, drawing.top, drawing.width(), drawing.height());
    cairo_clip(cr);
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_width(cr, 1.5);
    for (const SectionPiece& piece : figure.pieces) {
      const int code = numeral_of(films, piece.film);  // 1-based: 0 stays "no film"
      cairo_set_source_rgb(cr, (code & 0xff) / 255.0, ((code >> 8) & 0xff) / 255.0, 0);
      for (const Polygon& polygon : piece.shape) {
        cairo_new_path(cr);
        add_ring(cr, canvas, polygon.outer);
        for (const layout::Ring& hole : polygon.holes) add_ring(cr, canvas, hole);
        cairo_fill_preserve(cr);
        cairo_stroke(cr);
      }
    }
    cairo_surface_flush(surface);
    read_back(surface);
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
    find_outside();
  }

  /// Film index (numeral - 1) at a pixel, -1 for none or outside the picture.
  [[nodiscard]] int film_at(double x, double y) const {
    const int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
    if (ix < 0 || iy < 0 || ix >= width_ || iy >= height_) return -1;
    return film_[index(ix, iy)];
  }
  /// Every pixel of the rectangle is free and open to the outside.
  [[nodiscard]] bool open_space(const PxRect& rect) const {
    const int x0 = std::max(0, static_cast<int>(std::floor(rect.left))), y0 = std::max(0, static_cast<int>(std::floor(rect.top)));
    const int x1 = std::min(width_, static_cast<int>(std::ceil(rect.right))), y1 = std::min(height_, static_cast<int>(std::ceil(rect.bottom)));
    if (x1 <= x0 || y1 <= y0) return true;
    const auto sum = [&](int x, int y) { return closed_sum_[static_cast<std::size_t>(y) * static_cast<std::size_t>(width_ + 1) + static_cast<std::size_t>(x)]; };
    return sum(x1, y1) - sum(x0, y1) - sum(x1, y0) + sum(x0, y0) == 0;
  }
  /// Nothing drawn inside the rectangle.
  [[nodiscard]] bool empty(const PxRect& rect) const {
    for (int y = std::max(0, static_cast<int>(rect.top)); y <= std::min(height_ - 1, static_cast<int>(rect.bottom)); ++y)
      for (int x = std::max(0, static_cast<int>(rect.left)); x <= std::min(width_ - 1, static_cast<int>(rect.right)); ++x)
        if (film_at(x, y) >= 0) return false;
    return true;
  }

 private:
  static void add_ring(cairo_t* cr, const Canvas& canvas, const layout::Ring& ring) {
    if (ring.empty()) return;
    const Px first = canvas.to_px(ring.front());
    cairo_move_to(cr, first.x, first.y);
    for (std::size_t i = 1; i < ring.size(); ++i) {
      const Px p = canvas.to_px(ring[i]);
      cairo_line_to(cr, p.x, p.y);
    }
    cairo_close_path(cr);
  }

  [[nodiscard]] std::size_t cell_count() const { return static_cast<std::size_t>(width_) * static_cast<std::size_t>(height_); }
  [[nodiscard]] std::size_t index(int x, int y) const {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(width_) + static_cast<std::size_t>(x);
  }

  void read_back(cairo_surface_t* surface) {
    const unsigned char* data = cairo_image_surface_get_data(surface);
    const int stride = cairo_image_surface_get_stride(surface);
    for (int y = 0; y < height_; ++y)
      for (int x = 0; x < width_; ++x) {
        std::uint32_t pixel = 0;  // RGB24: 0x00RRGGBB in native byte order
        std::memcpy(&pixel, data + static_cast<std::ptrdiff_t>(y) * stride + static_cast<std::ptrdiff_t>(x) * 4, 4);
        const int code = static_cast<int>(((pixel >> 16) & 0xff) | (((pixel >> 8) & 0xff) << 8));
        if (code != 0) film_[index(x, y)] = code - 1;
      }
  }

  // Flood fill of the free pixels from the border, then a summed-area table of the rest so
  // a numeral's box is tested in constant time.
  void find_outside() {
    std::vector<char> outside(cell_count(), 0);
    std::vector<std::pair<int, int>> stack;
    const auto visit = [&](int x, int y) {
      if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
      const std::size_t i = index(x, y);
      if (outside[i] != 0 || film_[i] >= 0) return;
      outside[i] = 1;
      stack.emplace_back(x, y);
    };
    for (int x = 0; x < width_; ++x) visit(x, 0), visit(x, height_ - 1);
    for (int y = 0; y < height_; ++y) visit(0, y), visit(width_ - 1, y);
    while (!stack.empty()) {
      const auto [x, y] = stack.back();
      stack.pop_back();
      visit(x + 1, y), visit(x - 1, y), visit(x, y + 1), visit(x, y - 1);
    }
    const std::size_t row = static_cast<std::size_t>(width_ + 1);
    closed_sum_.assign(row * static_cast<std::size_t>(height_ + 1), 0);
    for (int y = 0; y < height_; ++y)
      for (int x = 0; x < width_; ++x) {
        const std::size_t at = static_cast<std::size_t>(y + 1) * row + static_cast<std::size_t>(x + 1);
        closed_sum_[at] = (outside[index(x, y)] == 0 ? 1 : 0) + closed_sum_[at - 1] + closed_sum_[at - row] - closed_sum_[at - row - 1];
      }
  }

  int width_, height_;
  std::vector<int> film_;
  std::vector<int> closed_sum_;
};

// --- numerals and leader lines ------------------------------------------------------------------

struct Callout {
  int numeral = 0;
  Px anchor, centre, leader_end;
  PxRect box;
};

constexpr double kNumeralSizePx = 13;

PxRect grown(const PxRect& r, double by) { return PxRect{r.left - by, r.top - by, r.right + by, r.bottom + by}; }
bool overlaps(const PxRect& a, const PxRect& b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
bool inside(const PxRect& r, Px p) { return p.x >= r.left && p.x <= r.right && p.y >= r.top && p.y <= r.bottom; }

double cross(Px o, Px a, Px b) { return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x); }
// Proper crossing of two segments (touching ends do not count: leaders may share an anchor).
bool segments_cross(Px a, Px b, Px c, Px d) {
  const double d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}
bool segment_hits_rect(Px a, Px b, const PxRect& r) {
  if (inside(r, a) || inside(r, b)) return true;
  const Px tl{r.left, r.top}, tr{r.right, r.top}, bl{r.left, r.bottom}, br{r.right, r.bottom};
  return segments_cross(a, b, tl, tr) || segments_cross(a, b, tr, br) || segments_cross(a, b, br, bl) ||
         segments_cross(a, b, bl, tl);
}

// Candidate anchors in a polygon (pixels): at several positions across it, the middle of the
// polygon's tallest vertical run there, and for thick runs also points just under its top and
// over its bottom, so a leader can be short. Kept inside `drawing` and out of `avoid`.
std::vector<Px> anchor_candidates(const Canvas& canvas, const Polygon& polygon, const PxRect& drawing,
                                  const PxRect& avoid) {
  std::vector<std::pair<Px, Px>> edges;
  const auto add_edges = [&](const layout::Ring& ring) {
    for (std::size_t i = 0; i < ring.size(); ++i)
      edges.emplace_back(canvas.to_px(ring[i]), canvas.to_px(ring[(i + 1) % ring.size()]));
  };
  add_edges(polygon.outer);
  for (const layout::Ring& hole : polygon.holes) add_edges(hole);
  double x_lo = std::numeric_limits<double>::max(), x_hi = -x_lo;
  for (const auto& edge : edges) x_lo = std::min(x_lo, edge.first.x), x_hi = std::max(x_hi, edge.first.x);
  x_lo = std::max(x_lo, drawing.left + 1), x_hi = std::min(x_hi, drawing.right - 1);
  if (x_hi < x_lo) return {};  // the polygon lies outside the figure
  std::vector<double> fractions{0.01, 0.03, 0.97, 0.99};
  for (int i = 0; i < 16; ++i) fractions.push_back((i + 0.5) / 16);
  std::vector<Px> anchors;
  for (const double f : fractions) {
    const double x = x_lo + f * (x_hi - x_lo);
    std::vector<double> ys;
    for (const auto& [p, q] : edges)
      if ((p.x <= x && x < q.x) || (q.x <= x && x < p.x)) ys.push_back(p.y + (x - p.x) / (q.x - p.x) * (q.y - p.y));
    std::sort(ys.begin(), ys.end());
    double best_top = 0, best_bottom = -1;
    for (std::size_t i = 0; i + 1 < ys.size(); i += 2) {
      // The visible part of the run: the break line covers the last few pixels of a tall
      // substrate (over a thin one it is drawn smaller).
      const double top = std::max(ys[i], drawing.top + 1);
      const double bottom = std::min(ys[i + 1], drawing.bottom - (drawing.bottom - top > 30 ? 12 : 0.5));
      if (bottom - top > best_bottom - best_top) best_top = top, best_bottom = bottom;
    }
    if (best_bottom < best_top) continue;
    std::vector<Px> here{{x, (best_top + best_bottom) / 2}};
    if (best_bottom - best_top > 36) here.push_back({x, best_top + 10}), here.push_back({x, best_bottom - 10});
    for (const Px& p : here)
      if (!inside(grown(avoid, 2), p)) anchors.push_back(p);
  }
  return anchors;
}

struct PlacementArea {
  PxRect allowed;               // where a numeral may go
  PxRect drawing;               // the main view
  std::vector<PxRect> blocked;  // inset
};

double distance_to_segment(Px p, Px a, Px b) {
  const double dx = b.x - a.x, dy = b.y - a.y, length2 = dx * dx + dy * dy;
  const double t = length2 <= 0 ? 0 : std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / length2, 0.0, 1.0);
  return std::hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

class CalloutPlacer {
 public:
  static constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

  CalloutPlacer(const FilmRaster& raster, PlacementArea area) : raster_(raster), area_(std::move(area)) {}

  /// Best callout for a film, given those already placed (nullopt: no free spot found).
  [[nodiscard]] std::optional<Callout> best(int numeral, const std::vector<Px>& anchors) const {
    std::optional<Callout> best;
    double best_cost = std::numeric_limits<double>::max();
    for (const Px& anchor : anchors)
      for (int angle_deg = 0; angle_deg < 360; angle_deg += 15) {
        const double angle = angle_deg * std::numbers::pi / 180;
        const Px direction{std::cos(angle), -std::sin(angle)};
        int found = 0;
        for (double distance = 8; distance < 560 && found < 2; distance += 3) {
          const Callout callout = make(numeral, anchor, {anchor.x + direction.x * distance, anchor.y + direction.y * distance});
          if (!fits(callout.box)) continue;
          ++found;
          const double cost = cost_of(callout);
          if (cost < best_cost) best_cost = cost, best = callout;
        }
      }
    return best;
  }

  [[nodiscard]] double cost(const Callout& callout) const { return cost_of(callout); }
  void place(const Callout& callout) { placed_.push_back(callout); }
  [[nodiscard]] const std::vector<Callout>& placed() const { return placed_; }

  /// Where two leaders cross, the two numerals trade places when that costs less (greedy
  /// placement can leave a crossing fan beside a stack of thin films).
  void uncross() {
    for (int pass = 0; pass < 4; ++pass) {
      bool changed = false;
      for (std::size_t i = 0; i < placed_.size(); ++i)
        for (std::size_t j = i + 1; j < placed_.size(); ++j) {
          const Callout& a = placed_[i];
          const Callout& b = placed_[j];
          if (!segments_cross(a.anchor, a.leader_end, b.anchor, b.leader_end)) continue;
          const Callout a2 = make(a.numeral, a.anchor, b.centre), b2 = make(b.numeral, b.anchor, a.centre);
          if (!fits(a2.box, i, j) || !fits(b2.box, i, j) || overlaps(grown(a2.box, 2), b2.box)) continue;
          const double before = cost_of(a, i, j) + cost_of(b, i, j) + kCrossingCost;
          const double after = cost_of(a2, i, j) + cost_of(b2, i, j) +
                               (segments_cross(a2.anchor, a2.leader_end, b2.anchor, b2.leader_end) ? kCrossingCost : 0);
          if (after < before) placed_[i] = a2, placed_[j] = b2, changed = true;
        }
      if (!changed) break;
    }
  }

 private:
  static constexpr double kCrossingCost = 250, kClashCost = 400, kCrowdingCost = 120;

  // Half the width of a numeral's box; measured once per numeral (measuring is slow).
  [[nodiscard]] double half_width(int numeral) const {
    auto it = half_widths_.find(numeral);
    if (it == half_widths_.end())
      it = half_widths_.emplace(numeral, layout::text_width_px(std::to_string(numeral), kNumeralSizePx) / 2 + 2).first;
    return it->second;
  }

  // A numeral centred at `centre` with its leader from `anchor` to the box (plus a gap).
  [[nodiscard]] Callout make(int numeral, Px anchor, Px centre) const {
    const double half_w = half_width(numeral), half_h = 7.5;
    const PxRect box{centre.x - half_w, centre.y - half_h, centre.x + half_w, centre.y + half_h};
    const double dx = anchor.x - centre.x, dy = anchor.y - centre.y;
    const double gap = 2;
    const double t = std::min({std::abs(dx) > 1e-9 ? (half_w + gap) / std::abs(dx) : 1e9,
                               std::abs(dy) > 1e-9 ? (half_h + gap) / std::abs(dy) : 1e9, 1.0});
    return Callout{numeral, anchor, centre, Px{centre.x + dx * t, centre.y + dy * t}, box};
  }

  [[nodiscard]] bool fits(const PxRect& box, std::size_t skip_a = kNone, std::size_t skip_b = kNone) const {
    const PxRect& a = area_.allowed;
    if (box.left < a.left || box.right > a.right || box.top < a.top || box.bottom > a.bottom) return false;
    const PxRect padded = grown(box, 3);
    if (!raster_.open_space(padded)) return false;
    for (const PxRect& blocked : area_.blocked)
      if (overlaps(padded, blocked)) return false;
    for (std::size_t i = 0; i < placed_.size(); ++i)
      if (i != skip_a && i != skip_b && overlaps(padded, grown(placed_[i].box, 1))) return false;
    return true;
  }

  // Leader length, plus other films crossed (a leader through a thick ball is hard to
  // follow), plus clashes with what is placed: crossing leaders, a leader through a numeral,
  // anchors so close (or a leader so close to another's anchor) that a reader cannot tell
  // which dot a numeral means; plus a little for pointing down.
  [[nodiscard]] double cost_of(const Callout& c, std::size_t skip_a = kNone, std::size_t skip_b = kNone) const {
    const double dx = c.leader_end.x - c.anchor.x, dy = c.leader_end.y - c.anchor.y;
    const double length = std::hypot(dx, dy);
    double crossed = 0;
    const int steps = static_cast<int>(length);
    for (int i = 0; i <= steps; ++i) {
      const double t = steps == 0 ? 0 : static_cast<double>(i) / steps;
      const int film = raster_.film_at(c.anchor.x + dx * t, c.anchor.y + dy * t);
      if (film >= 0 && film != c.numeral - 1) crossed += 1;
    }
    double cost = length + 2.5 * crossed + (dy > 0 ? 1.2 * dy + 0.3 * length : 0);
    for (std::size_t i = 0; i < placed_.size(); ++i) {
      if (i == skip_a || i == skip_b) continue;
      const Callout& other = placed_[i];
      if (segments_cross(c.anchor, c.leader_end, other.anchor, other.leader_end)) cost += kCrossingCost;
      if (segment_hits_rect(c.anchor, c.leader_end, grown(other.box, 2))) cost += kClashCost;
      if (segment_hits_rect(other.anchor, other.leader_end, grown(c.box, 2))) cost += kClashCost;
      if (std::hypot(c.anchor.x - other.anchor.x, c.anchor.y - other.anchor.y) < 7) cost += kCrowdingCost;
      if (distance_to_segment(other.anchor, c.anchor, c.leader_end) < 4) cost += kCrowdingCost;
      if (distance_to_segment(c.anchor, other.anchor, other.leader_end) < 4) cost += kCrowdingCost;
    }
    for (const PxRect& blocked : area_.blocked)
      if (segment_hits_rect(c.anchor, c.leader_end, blocked)) cost += kClashCost;
    return cost;
  }

  const FilmRaster& raster_;
  PlacementArea area_;
  std::vector<Callout> placed_;
  mutable std::map<int, double> half_widths_;
};

// Places every film's numeral: the films whose best spot is dearest first (buried films have
// few good spots; the substrate and the top films have many), then untangles crossings.
std::vector<Callout> place_callouts(const Canvas& canvas, const std::vector<FilmInfo>& films,
                                    const FilmRaster& raster, const PlacementArea& area) {
  struct Want {
    const FilmInfo* film;
    std::vector<Px> anchors;
    double alone_cost;
  };
  CalloutPlacer placer(raster, area);
  const PxRect avoid = area.blocked.empty() ? PxRect{-1, -1, -1, -1} : area.blocked.front();
  std::vector<Want> wants;
  for (const FilmInfo& film : films) {
    if (film.largest == nullptr) continue;
    Want want{&film, anchor_candidates(canvas, *film.largest, area.drawing, avoid), 0};
    if (want.anchors.empty()) continue;
    const std::optional<Callout> alone = placer.best(film.numeral, want.anchors);
    want.alone_cost = alone ? placer.cost(*alone) : 1e9;
    wants.push_back(std::move(want));
  }
  std::stable_sort(wants.begin(), wants.end(), [](const Want& a, const Want& b) { return a.alone_cost > b.alone_cost; });
  for (const Want& want : wants) {
    std::optional<Callout> callout = placer.best(want.film->numeral, want.anchors);
    if (!callout) {
      // No free spot: the numeral goes over the drawing's top edge above its anchor.
      const Px anchor = want.anchors.front();
      const Px centre{anchor.x, area.drawing.top - 10};
      callout = Callout{want.film->numeral, anchor, centre, Px{centre.x, centre.y + 8}, PxRect{centre.x - 8, centre.y - 7, centre.x + 8, centre.y + 7}};
    }
    placer.place(*callout);
  }
  placer.uncross();
  return placer.placed();
}

void draw_callouts(Canvas& canvas, const std::vector<Callout>& callouts) {
  for (const Callout& c : callouts) {
    canvas.line_px({c.anchor, c.leader_end}, kInk, 0.75);
    canvas.dot_px(c.anchor, 1.6, kInk);
  }
  for (const Callout& c : callouts) canvas.text_px(c.centre, std::to_string(c.numeral), kNumeralSizePx, kInk, layout::TextAlign::Centre);
}

// --- break line, marks, scale -------------------------------------------------------------------

// The largest 1, 2 or 5 x 10^n not above `value`.
double round_down_125(double value) {
  if (value <= 0) return 1;
  const double decade = std::pow(10.0, std::floor(std::log10(value)));
  for (const double step : {5.0, 2.0, 1.0})
    if (step * decade <= value * (1 + 1e-9)) return step * decade;
  return decade;
}

// Where the figure cuts the substrate off: the spans (nm) of the pieces reaching below z_min,
// merged, with the lowest top among them (how much substrate shows) and their union.
struct CutSpan {
  Nm s0 = 0, s1 = 0;
  Nm top = 0;
  Region shape;
};

std::vector<CutSpan> cut_spans(const SectionFigure& figure) {
  std::vector<CutSpan> spans;
  for (const SectionPiece& piece : figure.pieces)
    for (const Polygon& polygon : piece.shape) {
      const layout::Box box = layout::bounding_box(polygon.outer);
      if (box.lo.y <= figure.z_min && box.hi.y > figure.z_min)
        spans.push_back(CutSpan{std::max<Nm>(box.lo.x, 0), std::min(box.hi.x, figure.s_length), box.hi.y, {polygon}});
    }
  std::sort(spans.begin(), spans.end(), [](const CutSpan& a, const CutSpan& b) { return a.s0 < b.s0; });
  std::vector<CutSpan> merged;
  for (CutSpan& span : spans) {
    if (span.s1 <= span.s0) continue;
    if (!merged.empty() && span.s0 <= merged.back().s1) {
      CutSpan& last = merged.back();
      last.s1 = std::max(last.s1, span.s1);
      last.top = std::min(last.top, span.top);
      layout::append(last.shape, span.shape);
    } else {
      merged.push_back(std::move(span));
    }
  }
  return merged;
}

// A zig-zag across the cut substrate near the bottom edge, white below it: the substrate
// goes on further than drawn. It stays inside the substrate however little of it shows, and
// only the substrate is whitened.
void draw_break_line(Canvas& canvas, const SectionFigure& figure) {
  const double scale = canvas.px_per_nm();
  const PxRect drawing = canvas.drawing_px();
  const auto to_nm_x = [&](double x) { return static_cast<Nm>(std::llround((x - drawing.left) / scale)); };
  const auto to_nm_z = [&](double y) { return figure.z_max - static_cast<Nm>(std::llround((y - drawing.top) / scale)); };
  for (const CutSpan& span : cut_spans(figure)) {
    const double x0 = canvas.to_px({span.s0, 0}).x, x1 = canvas.to_px({span.s1, 0}).x;
    const double shown_px = static_cast<double>(std::min(span.top, figure.z_max) - figure.z_min) * scale;
    // Inside a tall enough substrate; under a thin strip, hanging below the drawing's edge
    // so the strip stays visible.
    const bool roomy = shown_px >= 14;
    const double amplitude = roomy ? 3.2 : 1.6, mid_y = roomy ? drawing.bottom - 7 : drawing.bottom + 0.4;
    const double period = 16;
    std::vector<Px> zigzag;
    for (double x = x0; x < x1; x += period / 2) zigzag.push_back({x, mid_y + ((zigzag.size() % 2 == 0) ? -amplitude : amplitude)});
    zigzag.push_back({x1, mid_y});
    Polygon below;
    for (const Px& p : zigzag) below.outer.push_back({to_nm_x(p.x), to_nm_z(p.y)});
    below.outer.push_back({to_nm_x(x1), to_nm_z(drawing.bottom + 2)});
    below.outer.push_back({to_nm_x(x0), to_nm_z(drawing.bottom + 2)});
    std::reverse(below.outer.begin(), below.outer.end());
    canvas.fill(layout::region_and({below}, span.shape), kWhite, kWhite, 0);
    // The clipped fills leave an antialiased seam on the drawing's edge: cover it.
    if (roomy) canvas.rect_px(PxRect{x0 - 1, drawing.bottom - 0.5, x1 + 1, drawing.bottom + 1.5}, kWhite, kWhite, 0);
    canvas.line_px(zigzag, kInk, 1.0);
  }
}

constexpr double kMarkSizePx = 11, kMarkRowPx = 14;

// Rows for the mark texts so neighbours do not overlap (greedy, left to right).
std::vector<int> mark_rows(const Canvas& canvas, const SectionFigure& figure) {
  std::vector<std::size_t> order(figure.marks.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return figure.marks[a].first < figure.marks[b].first; });
  std::vector<double> row_ends;
  std::vector<int> rows(figure.marks.size(), 0);
  for (const std::size_t i : order) {
    const auto& [s, text] = figure.marks[i];
    const double x = canvas.to_px({s, 0}).x, half = layout::text_width_px(text, kMarkSizePx) / 2;
    std::size_t row = 0;
    while (row < row_ends.size() && row_ends[row] > x - half - 6) ++row;
    if (row == row_ends.size()) row_ends.push_back(0);
    row_ends[row] = x + half;
    rows[i] = static_cast<int>(row);
  }
  return rows;
}

// Room under the drawing: the mark rows and the scale bar.
double below_px(const Canvas& canvas, const SectionFigure& figure) {
  const std::vector<int> rows = mark_rows(canvas, figure);
  const int row_count = rows.empty() ? 0 : *std::max_element(rows.begin(), rows.end()) + 1;
  return 12 + kMarkRowPx * row_count + 26;
}

void draw_marks(Canvas& canvas, const SectionFigure& figure) {
  const PxRect drawing = canvas.drawing_px();
  const std::vector<int> rows = mark_rows(canvas, figure);
  for (std::size_t i = 0; i < figure.marks.size(); ++i) {
    const auto& [s, text] = figure.marks[i];
    if (s < 0 || s > figure.s_length) continue;
    const double x = canvas.to_px({s, 0}).x;
    const double text_y = drawing.bottom + 16 + kMarkRowPx * rows[i];
    canvas.line_px({{x, drawing.bottom + 1}, {x, text_y - 7}}, kInk, 0.8);
    canvas.text_px({x, text_y}, text, kMarkSizePx, kInk, layout::TextAlign::Centre);
  }
}

std::string length_text(double length_um) { return fmt::format("{:g} um", length_um); }

// --- inset --------------------------------------------------------------------------------------

struct InsetPlan {
  layout::Box window;
  double magnification = 1;
  PxRect rect;
  bool needs_band = false;  // no free corner: a band under the title holds it
};

bool has_inset(const SectionFigure& figure) { return figure.inset.width() > 0 && figure.inset.height() > 0; }

// The largest "round" magnification not above `value`: 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^n
// (1-2-5 steps alone would waste up to 60 % of the room).
double round_magnification(double value) {
  if (value <= 1) return 1;
  const double decade = std::pow(10.0, std::floor(std::log10(value)));
  double best = decade;
  for (const double step : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0})
    if (step * decade <= value * (1 + 1e-9)) best = step * decade;
  return best;
}

// Magnification making the inset about 40 % of the drawing wide at most.
InsetPlan plan_inset(const SectionFigure& figure, const Canvas& canvas, const FilmRaster& raster, bool in_band) {
  InsetPlan plan;
  plan.window = figure.inset;
  const PxRect drawing = canvas.drawing_px();
  const double scale = canvas.px_per_nm();
  const double window_w = static_cast<double>(figure.inset.width()) * scale, window_h = static_cast<double>(figure.inset.height()) * scale;
  const double max_w = 0.42 * drawing.width(), max_h = std::max(0.45 * drawing.height(), 150.0);
  plan.magnification = round_magnification(std::min(max_w / window_w, max_h / window_h));
  const double w = window_w * plan.magnification, h = window_h * plan.magnification;
  const Px mark_lo = canvas.to_px({figure.inset.lo.x, figure.inset.hi.y}), mark_hi = canvas.to_px({figure.inset.hi.x, figure.inset.lo.y});
  const PxRect mark{mark_lo.x, mark_lo.y, mark_hi.x, mark_hi.y};
  const double gap = 12;
  for (const double left : {drawing.left + gap, drawing.right - w - gap}) {
    if (in_band) break;
    const PxRect rect{left, drawing.top + gap, left + w, drawing.top + gap + h};
    // Free of structure with room left for leaders and numerals under it.
    if (raster.empty(grown(rect, 40)) && !overlaps(grown(rect, 20), mark) && rect.bottom < drawing.bottom) {
      plan.rect = rect;
      return plan;
    }
  }
  plan.needs_band = true;
  plan.rect = PxRect{drawing.left + gap, canvas.header_bottom_px() + 8, drawing.left + gap + w, canvas.header_bottom_px() + 8 + h};
  return plan;
}

void draw_inset(Canvas& canvas, const SectionFigure& figure, const InsetPlan& plan) {
  const Px lo = canvas.to_px({plan.window.lo.x, plan.window.hi.y}), hi = canvas.to_px({plan.window.hi.x, plan.window.lo.y});
  const PxRect mark{lo.x, lo.y, hi.x, hi.y};
  // The window on the main view and a connector from its nearest corner to the inset's.
  canvas.line_px({{mark.left, mark.top}, {mark.right, mark.top}, {mark.right, mark.bottom}, {mark.left, mark.bottom}, {mark.left, mark.top}},
                 kInk, 0.9, 4);
  const std::array<Px, 4> mark_corners{Px{mark.left, mark.top}, Px{mark.right, mark.top}, Px{mark.left, mark.bottom}, Px{mark.right, mark.bottom}};
  const PxRect& r = plan.rect;
  const std::array<Px, 4> inset_corners{Px{r.left, r.top}, Px{r.right, r.top}, Px{r.left, r.bottom}, Px{r.right, r.bottom}};
  std::pair<Px, Px> nearest{mark_corners[0], inset_corners[0]};
  double nearest_px = std::numeric_limits<double>::max();
  for (const Px& a : mark_corners)
    for (const Px& b : inset_corners)
      if (const double d = std::hypot(a.x - b.x, a.y - b.y); d < nearest_px) nearest_px = d, nearest = {a, b};
  canvas.line_px({nearest.first, nearest.second}, Colour{0.3, 0.3, 0.3, 1}, 0.7, 3);

  canvas.rect_px(r, kWhite, kWhite, 0);
  canvas.push_view(plan.window, Px{r.left, r.top}, canvas.px_per_nm() * plan.magnification);
  draw_pieces(canvas, figure);
  canvas.pop_view();
  canvas.rect_px(r, Colour{0, 0, 0, 0}, kInk, 1.2);
  const std::string text = fmt::format("x{:g}", plan.magnification);
  const double text_w = layout::text_width_px(text, 12);
  canvas.rect_px(PxRect{r.left + 1, r.top + 1, r.left + text_w + 9, r.top + 17}, kWhite, kInk, 0.6);
  canvas.text_px({r.left + 5, r.top + 9}, text, 12, kInk);
}

// --- figure ---------------------------------------------------------------------------------------

layout::Frame frame_for(const SectionFigure& figure, const std::vector<LegendEntry>& legend, int width_px) {
  layout::Frame frame;
  frame.caption = figure.caption;
  double legend_text_px = 120;
  for (const LegendEntry& entry : legend) legend_text_px = std::max(legend_text_px, layout::text_width_px(entry.text, 13));
  frame.legend_width_px = std::clamp(legend_text_px + 48, 200.0, 0.4 * width_px);
  frame.left_px = 36, frame.right_px = 36;  // numerals beside the drawing
  frame.above_px = 34;                      // numerals over the tallest part
  frame.below_px = 38;  // one row of marks and the scale bar; lay_out adds rows as needed
  // At least 300 px, and room for the legend beside the drawing.
  frame.min_drawing_height_px = std::max(300.0, 22.0 * static_cast<double>(legend.size()) - frame.above_px);
  frame.max_drawing_height_px = 1400;
  return frame;
}

// The canvas and what depends on its scale. Made again (at most twice) when the marks need
// more rows than reserved or the inset finds no free corner and needs a band under the title;
// neither changes the scale, so what was planned still holds.
struct FigureLayout {
  std::unique_ptr<Canvas> canvas;
  std::unique_ptr<FilmRaster> raster;
  std::optional<InsetPlan> inset;
};

FigureLayout lay_out(const SectionFigure& figure, const std::vector<FilmInfo>& films,
                     const std::vector<LegendEntry>& legend, int width_px) {
  const layout::Box world{{0, figure.z_min}, {figure.s_length, figure.z_max}};
  layout::Frame frame = frame_for(figure, legend, width_px);
  bool inset_in_band = false;
  for (int attempt = 0;; ++attempt) {
    FigureLayout out;
    out.canvas = std::make_unique<Canvas>(world, width_px, figure.title, frame);
    const bool last = attempt >= 2;
    if (const double below = below_px(*out.canvas, figure); below > frame.below_px && !last) {
      frame.below_px = below;
      continue;
    }
    out.raster = std::make_unique<FilmRaster>(*out.canvas, figure, films);
    if (has_inset(figure)) {
      out.inset = plan_inset(figure, *out.canvas, *out.raster, inset_in_band);
      if (out.inset->needs_band && !inset_in_band && !last) {
        frame.above_px += out.inset->rect.height() + 16;
        inset_in_band = true;
        continue;
      }
    }
    return out;
  }
}

}  // namespace

layout::Colour material_colour(const std::string& material_id, const std::string& material_class) {
  for (const TableColour& entry : kMaterialColours)
    if (entry.id == material_id) return layout::colour(entry.hex);
  return derived_colour(material_id, material_class);
}

void plot_section(const SectionFigure& figure, const std::filesystem::path& svg_path,
                  const std::filesystem::path& png_path, int width_px) {
  if (figure.s_length <= 0 || figure.z_max <= figure.z_min)
    throw std::invalid_argument(fmt::format("section figure '{}': empty extent (s {} nm, z {}..{} nm)", figure.title,
                                            figure.s_length, figure.z_min, figure.z_max));
  if (width_px < 400) throw std::invalid_argument(fmt::format("section figure '{}': width {} px is too small", figure.title, width_px));
  const std::vector<FilmInfo> films = number_films(figure);
  const std::vector<LegendEntry> legend = legend_entries(figure, films);
  const FigureLayout laid_out = lay_out(figure, films, legend, width_px);
  Canvas& canvas = *laid_out.canvas;
  const std::optional<InsetPlan>& inset = laid_out.inset;

  draw_pieces(canvas, figure);
  draw_break_line(canvas, figure);
  PlacementArea area{PxRect{4, canvas.header_bottom_px() + 2, canvas.legend_left_px() - 4, canvas.drawing_px().bottom},
                     canvas.drawing_px(), {}};
  if (inset) {
    draw_inset(canvas, figure, *inset);
    area.blocked.push_back(grown(inset->rect, 4));
  }
  draw_callouts(canvas, place_callouts(canvas, films, *laid_out.raster, area));
  draw_marks(canvas, figure);
  for (const LegendEntry& entry : legend) canvas.legend(entry.text, entry.swatch, entry.style);
  const double bar_um = round_down_125(layout::to_um(figure.s_length) * 0.2);
  canvas.scale_bar(static_cast<Nm>(std::llround(bar_um * 1000)), length_text(bar_um));
  canvas.write_svg(svg_path);
  canvas.write_png(png_path);
}

}  // namespace wlp::process
