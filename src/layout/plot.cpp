// Drawing goes to a cairo recording surface; write_svg/write_png replay it onto an SVG or an
// image surface, so both files show the same picture.
#include "layout/plot.h"

#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace wlp::layout {

Colour colour(const std::string& hex, double alpha) {
  unsigned value = 0;
  if (hex.size() == 7 && hex[0] == '#') value = static_cast<unsigned>(std::stoul(hex.substr(1), nullptr, 16));
  return Colour{((value >> 16) & 0xff) / 255.0, ((value >> 8) & 0xff) / 255.0, (value & 0xff) / 255.0, alpha};
}

struct Canvas::Impl {
  Box world;
  int width = 0, height = 0;
  int legend_rows = 0;
  double scale = 1;  // pixels per nm
  double left = 0, top = 0;
  cairo_surface_t* recording = nullptr;
  cairo_t* cr = nullptr;

  static constexpr double kMargin = 24, kTitle = 34, kLegendWidth = 270;

  [[nodiscard]] double px_x(Nm x) const { return left + static_cast<double>(x - world.lo.x) * scale; }
  [[nodiscard]] double px_y(Nm y) const { return top + static_cast<double>(world.hi.y - y) * scale; }
  void set(Colour c) const { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.alpha); }
  // Shapes are clipped to the drawing area so a detail view leaves title and legend clean.
  void clip_to_drawing() const {
    cairo_save(cr);
    cairo_rectangle(cr, left, top, static_cast<double>(world.width()) * scale, static_cast<double>(world.height()) * scale);
    cairo_clip(cr);
  }
  void ring_path(const Ring& ring) const {
    if (ring.empty()) return;
    cairo_move_to(cr, px_x(ring.front().x), px_y(ring.front().y));
    for (std::size_t i = 1; i < ring.size(); ++i) cairo_line_to(cr, px_x(ring[i].x), px_y(ring[i].y));
    cairo_close_path(cr);
  }
};

Canvas::Canvas(const Box& world, int width_px, const std::string& title) : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.world = world;
  m.width = width_px;
  const double drawing_width = width_px - 2 * Impl::kMargin - Impl::kLegendWidth;
  const Nm world_width = std::max<Nm>(world.width(), 1), world_height = std::max<Nm>(world.height(), 1);
  m.scale = drawing_width / static_cast<double>(world_width);
  m.height = static_cast<int>(static_cast<double>(world_height) * m.scale + 2 * Impl::kMargin + Impl::kTitle + 0.5);
  m.left = Impl::kMargin;
  m.top = Impl::kMargin + Impl::kTitle;
  const cairo_rectangle_t extents{0, 0, static_cast<double>(m.width), static_cast<double>(m.height)};
  m.recording = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents);
  m.cr = cairo_create(m.recording);
  cairo_set_source_rgb(m.cr, 1, 1, 1);
  cairo_paint(m.cr);
  cairo_select_font_face(m.cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size(m.cr, 16);
  cairo_set_source_rgb(m.cr, 0.1, 0.1, 0.1);
  cairo_move_to(m.cr, Impl::kMargin, Impl::kMargin + 12);
  cairo_show_text(m.cr, title.c_str());
  cairo_select_font_face(m.cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
}

Canvas::~Canvas() {
  cairo_destroy(impl_->cr);
  cairo_surface_destroy(impl_->recording);
}

int Canvas::width_px() const { return impl_->width; }
int Canvas::height_px() const { return impl_->height; }

void Canvas::fill(const Region& region, Colour fill_colour, Colour outline_colour, double outline_px) {
  const Impl& m = *impl_;
  m.clip_to_drawing();
  cairo_set_fill_rule(m.cr, CAIRO_FILL_RULE_EVEN_ODD);  // holes stay open
  for (const Polygon& polygon : region) {
    cairo_new_path(m.cr);
    m.ring_path(polygon.outer);
    for (const Ring& hole : polygon.holes) m.ring_path(hole);
    m.set(fill_colour);
    if (outline_px > 0) {
      cairo_fill_preserve(m.cr);
      m.set(outline_colour);
      cairo_set_line_width(m.cr, outline_px);
      cairo_stroke(m.cr);
    } else {
      cairo_fill(m.cr);
    }
  }
  cairo_restore(m.cr);
}

void Canvas::line(const std::vector<Point>& points, Colour c, double width_px) {
  const Impl& m = *impl_;
  if (points.size() < 2) return;
  m.clip_to_drawing();
  cairo_new_path(m.cr);
  cairo_move_to(m.cr, m.px_x(points.front().x), m.px_y(points.front().y));
  for (std::size_t i = 1; i < points.size(); ++i) cairo_line_to(m.cr, m.px_x(points[i].x), m.px_y(points[i].y));
  m.set(c);
  cairo_set_line_width(m.cr, width_px);
  cairo_set_line_join(m.cr, CAIRO_LINE_JOIN_MITER);
  cairo_stroke(m.cr);
  cairo_restore(m.cr);
}

void Canvas::label(Point at, const std::string& text, double size_px, Colour c, bool centred) {
  const Impl& m = *impl_;
  cairo_set_font_size(m.cr, size_px);
  cairo_text_extents_t extents;
  cairo_text_extents(m.cr, text.c_str(), &extents);
  double x = m.px_x(at.x), y = m.px_y(at.y);
  if (centred) {
    x -= extents.width / 2 + extents.x_bearing;
    y -= extents.height / 2 + extents.y_bearing;
  }
  m.set(c);
  cairo_move_to(m.cr, x, y);
  cairo_show_text(m.cr, text.c_str());
}

void Canvas::legend(const std::string& text, Colour swatch) {
  Impl& m = *impl_;
  const double x = m.width - Impl::kLegendWidth + 8, y = m.top + 22.0 * m.legend_rows++;
  cairo_rectangle(m.cr, x, y, 16, 14);
  m.set(swatch);
  cairo_fill_preserve(m.cr);
  cairo_set_source_rgb(m.cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(m.cr, 0.8);
  cairo_stroke(m.cr);
  cairo_set_font_size(m.cr, 13);
  cairo_set_source_rgb(m.cr, 0.1, 0.1, 0.1);
  cairo_move_to(m.cr, x + 22, y + 12);
  cairo_show_text(m.cr, text.c_str());
}

void Canvas::scale_bar(Nm length, const std::string& text) {
  const Impl& m = *impl_;
  const double x = Impl::kMargin, y = m.height - 8.0;
  const double w = static_cast<double>(length) * m.scale;
  cairo_set_source_rgb(m.cr, 0.1, 0.1, 0.1);
  cairo_set_line_width(m.cr, 2);
  cairo_move_to(m.cr, x, y);
  cairo_line_to(m.cr, x + w, y);
  cairo_stroke(m.cr);
  cairo_set_font_size(m.cr, 12);
  cairo_move_to(m.cr, x + w + 6, y + 4);
  cairo_show_text(m.cr, text.c_str());
}

namespace {

std::filesystem::path temp_path_for(const std::filesystem::path& path) {
  std::filesystem::path temp = path;
  temp += ".tmp";
  return temp;
}

void replay(cairo_surface_t* recording, cairo_surface_t* target) {
  cairo_t* cr = cairo_create(target);
  cairo_set_source_surface(cr, recording, 0, 0);
  cairo_paint(cr);
  cairo_destroy(cr);
}

void commit(const std::filesystem::path& temp, const std::filesystem::path& path, cairo_status_t status) {
  if (status != CAIRO_STATUS_SUCCESS) {
    std::error_code ignored;
    std::filesystem::remove(temp, ignored);
    throw std::runtime_error(fmt::format("cannot write {}: {}", path.string(), cairo_status_to_string(status)));
  }
  std::filesystem::rename(temp, path);
}

}  // namespace

void Canvas::write_svg(const std::filesystem::path& path) const {
  const std::filesystem::path temp = temp_path_for(path);
  cairo_surface_t* svg = cairo_svg_surface_create(temp.c_str(), impl_->width, impl_->height);
  replay(impl_->recording, svg);
  cairo_surface_finish(svg);
  const cairo_status_t status = cairo_surface_status(svg);
  cairo_surface_destroy(svg);
  commit(temp, path, status);
}

void Canvas::write_png(const std::filesystem::path& path) const {
  const std::filesystem::path temp = temp_path_for(path);
  cairo_surface_t* image = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, impl_->width, impl_->height);
  replay(impl_->recording, image);
  const cairo_status_t status = cairo_surface_write_to_png(image, temp.c_str());
  cairo_surface_destroy(image);
  commit(temp, path, status);
}

}  // namespace wlp::layout
