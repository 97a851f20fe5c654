// Plots of layout geometry: one drawing, written as SVG (vector) and PNG (raster) by cairo.
// World coordinates are nanometres, y up; the canvas fits a world box into the picture.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "layout/geometry.h"

namespace wlp::layout {

struct Colour {
  double r = 0, g = 0, b = 0, alpha = 1;
};

/// Colour from "#rrggbb" and an opacity.
Colour colour(const std::string& hex, double alpha = 1.0);

/// A position in picture pixels (x to the right, y down), for annotations outside the world.
struct Px {
  double x = 0, y = 0;
};

/// A rectangle in picture pixels.
struct PxRect {
  double left = 0, top = 0, right = 0, bottom = 0;
  [[nodiscard]] double width() const { return right - left; }
  [[nodiscard]] double height() const { return bottom - top; }
};

/// What is drawn over a fill's colour: nothing, diagonal lines, or a grid of dots.
enum class Texture { Solid, Hatch, Stipple };

struct FillStyle {
  Texture texture = Texture::Solid;
  Colour texture_colour{};
  double texture_spacing_px = 7;  // between hatch lines or dots
  bool dashed_outline = false;
};

/// Room a caller reserves around the drawing for its own annotations (all in pixels).
struct Frame {
  std::string caption;  // wrapped under the title
  double above_px = 0, below_px = 0, left_px = 0, right_px = 0;
  double legend_width_px = 270;
  double min_drawing_height_px = 0;  // a flatter drawing gets blank room above it (same scale)
  double max_drawing_height_px = 0;  // 0: no limit; a taller drawing is scaled down (narrower)
};

enum class TextAlign { Left, Centre, Right };

/// Width of `text` in the canvas font at `size_px` (to lay out labels before drawing).
double text_width_px(const std::string& text, double size_px);

class Canvas {
 public:
  /// A canvas `width_px` wide showing `world` (plus a margin), with a title line on top.
  Canvas(const Box& world, int width_px, const std::string& title);
  /// The same with room reserved around the drawing and a caption under the title.
  Canvas(const Box& world, int width_px, const std::string& title, const Frame& frame);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  /// Filled polygons (holes left open) with an outline `outline_px` wide (0: none).
  void fill(const Region& region, Colour fill_colour, Colour outline_colour, double outline_px = 0.6);
  /// The same with a texture over the colour and optionally a dashed outline.
  void fill(const Region& region, Colour fill_colour, Colour outline_colour, double outline_px,
            const FillStyle& style);
  /// A polyline (not closed) `width_px` wide in picture pixels.
  void line(const std::vector<Point>& points, Colour colour, double width_px);
  /// A label at a world point, `size_px` high, centred on it when `centred`.
  void label(Point at, const std::string& text, double size_px, Colour colour, bool centred = true);
  /// A legend entry (swatch + text) in the picture's right margin, one per call, top down.
  void legend(const std::string& text, Colour swatch);
  /// A legend entry whose swatch shows the fill style too.
  void legend(const std::string& text, Colour swatch, const FillStyle& style);
  /// A scale bar of `length` at the lower left, labelled e.g. "500 um".
  void scale_bar(Nm length, const std::string& text);

  // --- picture-pixel drawing (annotations in margins, insets); not clipped -------------------
  /// Picture position of a world point in the current view.
  [[nodiscard]] Px to_px(Point p) const;
  /// Pixels per nanometre of the current view.
  [[nodiscard]] double px_per_nm() const;
  /// The main drawing area (where the world box is shown).
  [[nodiscard]] PxRect drawing_px() const;
  /// Bottom of the title and caption: annotations may use the picture from here down.
  [[nodiscard]] double header_bottom_px() const;
  /// Left edge of the legend column.
  [[nodiscard]] double legend_left_px() const;
  /// A polyline in pixels; `dash_px` > 0 draws it dashed.
  void line_px(const std::vector<Px>& points, Colour colour, double width_px, double dash_px = 0);
  /// A rectangle in pixels, filled and outlined (outline_px 0: none).
  void rect_px(const PxRect& rect, Colour fill_colour, Colour outline_colour, double outline_px);
  /// A filled dot.
  void dot_px(Px centre, double radius_px, Colour colour);
  /// Text at a pixel position: `at.y` is the text's vertical centre, `align` sets x.
  void text_px(Px at, const std::string& text, double size_px, Colour colour, TextAlign align = TextAlign::Left);

  /// Draws into a second view until pop_view: `world` shown with its top-left corner at
  /// `top_left`, `px_per_nm` pixels per nm, clipped to that rectangle (a magnified inset).
  /// fill, line and label use the innermost view.
  void push_view(const Box& world, Px top_left, double px_per_nm);
  void pop_view();

  /// Every text drawn (title, caption, legend entries, labels), in drawing order. The SVG
  /// carries them in its <desc> so the figure can be searched: cairo writes glyphs as outlines.
  [[nodiscard]] const std::vector<std::string>& texts() const;

  /// Write atomically (temporary file renamed into place).
  void write_svg(const std::filesystem::path& path) const;
  void write_png(const std::filesystem::path& path) const;

  [[nodiscard]] int width_px() const;
  [[nodiscard]] int height_px() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wlp::layout
