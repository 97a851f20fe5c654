// Plots of layout geometry: one drawing, written as SVG (vector) and PNG (raster) by cairo.
// World coordinates are nanometres, y up; the canvas fits a world box into the picture.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "layout/geometry.h"

namespace wlp::layout {

struct Colour {
  double r = 0, g = 0, b = 0, alpha = 1;
};

/// Colour from "#rrggbb" and an opacity.
Colour colour(const std::string& hex, double alpha = 1.0);

class Canvas {
 public:
  /// A canvas `width_px` wide showing `world` (plus a margin), with a title line on top.
  Canvas(const Box& world, int width_px, const std::string& title);
  ~Canvas();
  Canvas(const Canvas&) = delete;
  Canvas& operator=(const Canvas&) = delete;

  /// Filled polygons (holes left open) with an outline `outline_px` wide (0: none).
  void fill(const Region& region, Colour fill_colour, Colour outline_colour, double outline_px = 0.6);
  /// A polyline (not closed) `width_px` wide in picture pixels.
  void line(const std::vector<Point>& points, Colour colour, double width_px);
  /// A label at a world point, `size_px` high, centred on it when `centred`.
  void label(Point at, const std::string& text, double size_px, Colour colour, bool centred = true);
  /// A legend entry (swatch + text) in the picture's right margin, one per call, top down.
  void legend(const std::string& text, Colour swatch);
  /// A scale bar of `length` at the lower left, labelled e.g. "500 um".
  void scale_bar(Nm length, const std::string& text);

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
