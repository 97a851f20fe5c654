// Drawing goes to a cairo recording surface; write_svg/write_png replay it onto an SVG or an
// image surface, so both files show the same picture.
#include "layout/plot.h"

#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <system_error>

#include <fmt/format.h>

namespace wlp::layout {

Colour colour(const std::string& hex, double alpha) {
  unsigned value = 0;
  if (hex.size() == 7 && hex[0] == '#') value = static_cast<unsigned>(std::stoul(hex.substr(1), nullptr, 16));
  return Colour{((value >> 16) & 0xff) / 255.0, ((value >> 8) & 0xff) / 255.0, (value & 0xff) / 255.0, alpha};
}

namespace {

constexpr double kCaptionSizePx = 13, kCaptionLinePx = 17;

// A scratch context for measuring text before (or without) a canvas.
struct Measure {
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  cairo_t* cr = cairo_create(surface);
  Measure() { cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL); }
  ~Measure() {
    cairo_destroy(cr);
    cairo_surface_destroy(surface);
  }
  Measure(const Measure&) = delete;
  Measure& operator=(const Measure&) = delete;
  double width(const std::string& text, double size_px) const {
    cairo_set_font_size(cr, size_px);
    cairo_text_extents_t extents;
    cairo_text_extents(cr, text.c_str(), &extents);
    return extents.x_advance;
  }
};

// Greedy word wrap; a word longer than the line gets a line of its own.
std::vector<std::string> wrapped(const std::string& text, double size_px, double max_width_px) {
  const Measure measure;
  std::vector<std::string> lines;
  std::string line, word;
  const auto flush_word = [&] {
    if (word.empty()) return;
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (!line.empty() && measure.width(candidate, size_px) > max_width_px) {
      lines.push_back(line);
      line = word;
    } else {
      line = candidate;
    }
    word.clear();
  };
  for (const char c : text) {
    if (c == '\n') {
      flush_word();
      lines.push_back(line);
      line.clear();
    } else if (c == ' ' || c == '\t') {
      flush_word();
    } else {
      word += c;
    }
  }
  flush_word();
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

}  // namespace

double text_width_px(const std::string& text, double size_px) { return Measure().width(text, size_px); }

struct Canvas::Impl {
  // How world coordinates map to pixels: `world` with its top-left corner at (left, top).
  struct View {
    Box world;
    double scale = 1;  // pixels per nm
    double left = 0, top = 0;
  };
  View main;
  std::vector<View> views;  // pushed insets, innermost last
  int width = 0, height = 0;
  int legend_rows = 0;
  double header_bottom = 0, legend_left = 0;
  std::vector<std::string> texts;
  cairo_surface_t* recording = nullptr;
  cairo_t* cr = nullptr;

  static constexpr double kMargin = 24, kTitle = 34;

  [[nodiscard]] const View& view() const { return views.empty() ? main : views.back(); }
  [[nodiscard]] double px_x(Nm x) const { return view().left + static_cast<double>(x - view().world.lo.x) * view().scale; }
  [[nodiscard]] double px_y(Nm y) const { return view().top + static_cast<double>(view().world.hi.y - y) * view().scale; }
  void set(Colour c) const { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.alpha); }
  // Shapes are clipped to the drawing area so a detail view leaves title and legend clean.
  void clip_to_drawing() const {
    const View& v = view();
    cairo_save(cr);
    cairo_rectangle(cr, v.left, v.top, static_cast<double>(v.world.width()) * v.scale,
                    static_cast<double>(v.world.height()) * v.scale);
    cairo_clip(cr);
  }
  void ring_path(const Ring& ring) const {
    if (ring.empty()) return;
    cairo_move_to(cr, px_x(ring.front().x), px_y(ring.front().y));
    for (std::size_t i = 1; i < ring.size(); ++i) cairo_line_to(cr, px_x(ring[i].x), px_y(ring[i].y));
    cairo_close_path(cr);
  }
  // Texture over the current path (kept): clipped to it, lines or dots across its extents.
  void texture(const FillStyle& style) const {
    if (style.texture == Texture::Solid) return;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    cairo_path_extents(cr, &x0, &y0, &x1, &y1);
    cairo_path_t* path = cairo_copy_path(cr);
    cairo_save(cr);
    cairo_clip(cr);
    set(style.texture_colour);
    const double step = std::max(style.texture_spacing_px, 2.0);
    if (style.texture == Texture::Hatch) {
      // 45° lines x - y = const, on a grid anchored at the picture origin so neighbours line up.
      const double first = std::floor((x0 - y1) / step) * step;
      for (double c = first; c <= x1 - y0; c += step) {
        cairo_move_to(cr, c + y0, y0);
        cairo_line_to(cr, c + y1, y1);
      }
      cairo_set_line_width(cr, 0.8);
      cairo_stroke(cr);
    } else {
      const double radius = std::min(0.9, step / 4);
      int row = static_cast<int>(std::floor(y0 / step));
      for (double y = row * step; y <= y1 + step; y += step, ++row) {
        const double offset = (row % 2 == 0) ? 0 : step / 2;  // staggered rows
        for (double x = std::floor(x0 / step) * step + offset; x <= x1 + step; x += step) {
          cairo_new_sub_path(cr);
          cairo_arc(cr, x, y, radius, 0, 2 * std::numbers::pi);
        }
      }
      cairo_fill(cr);
    }
    cairo_restore(cr);
    cairo_new_path(cr);
    cairo_append_path(cr, path);
    cairo_path_destroy(path);
  }
};

Canvas::Canvas(const Box& world, int width_px, const std::string& title) : Canvas(world, width_px, title, Frame{}) {}

Canvas::Canvas(const Box& world, int width_px, const std::string& title, const Frame& frame)
    : impl_(std::make_unique<Impl>()) {
  Impl& m = *impl_;
  m.main.world = world;
  m.width = width_px;
  m.texts.push_back(title);
  const std::vector<std::string> caption =
      frame.caption.empty() ? std::vector<std::string>{} : wrapped(frame.caption, kCaptionSizePx, width_px - 2 * Impl::kMargin);
  m.header_bottom = Impl::kMargin + Impl::kTitle + static_cast<double>(caption.size()) * kCaptionLinePx;
  const double drawing_width = width_px - 2 * Impl::kMargin - frame.legend_width_px - frame.left_px - frame.right_px;
  const Nm world_width = std::max<Nm>(world.width(), 1), world_height = std::max<Nm>(world.height(), 1);
  m.main.scale = drawing_width / static_cast<double>(world_width);
  double drawing_height = static_cast<double>(world_height) * m.main.scale;
  if (frame.max_drawing_height_px > 0 && drawing_height > frame.max_drawing_height_px) {
    m.main.scale = frame.max_drawing_height_px / static_cast<double>(world_height);
    drawing_height = frame.max_drawing_height_px;
  }
  const double slack = std::max(0.0, frame.min_drawing_height_px - drawing_height);
  // A drawing held to the maximum height is narrower than its room: centre it there.
  const double spare_width = drawing_width - static_cast<double>(world_width) * m.main.scale;
  m.main.left = Impl::kMargin + frame.left_px + spare_width / 2;
  m.main.top = m.header_bottom + frame.above_px + slack;
  m.legend_left = width_px - frame.legend_width_px;
  m.height = static_cast<int>(m.main.top + drawing_height + frame.below_px + Impl::kMargin + 0.5);
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
  cairo_set_font_size(m.cr, kCaptionSizePx);
  cairo_set_source_rgb(m.cr, 0.25, 0.25, 0.25);
  for (std::size_t i = 0; i < caption.size(); ++i) {
    cairo_move_to(m.cr, Impl::kMargin, Impl::kMargin + Impl::kTitle + static_cast<double>(i) * kCaptionLinePx - 4);
    cairo_show_text(m.cr, caption[i].c_str());
  }
  if (!frame.caption.empty()) m.texts.push_back(frame.caption);
}

Canvas::~Canvas() {
  cairo_destroy(impl_->cr);
  cairo_surface_destroy(impl_->recording);
}

int Canvas::width_px() const { return impl_->width; }
int Canvas::height_px() const { return impl_->height; }

void Canvas::fill(const Region& region, Colour fill_colour, Colour outline_colour, double outline_px) {
  fill(region, fill_colour, outline_colour, outline_px, FillStyle{});
}

void Canvas::fill(const Region& region, Colour fill_colour, Colour outline_colour, double outline_px,
                  const FillStyle& style) {
  const Impl& m = *impl_;
  m.clip_to_drawing();
  cairo_set_fill_rule(m.cr, CAIRO_FILL_RULE_EVEN_ODD);  // holes stay open
  for (const Polygon& polygon : region) {
    cairo_new_path(m.cr);
    m.ring_path(polygon.outer);
    for (const Ring& hole : polygon.holes) m.ring_path(hole);
    m.set(fill_colour);
    cairo_fill_preserve(m.cr);
    m.texture(style);
    if (outline_px > 0) {
      m.set(outline_colour);
      cairo_set_line_width(m.cr, outline_px);
      if (style.dashed_outline) {
        const double dash[] = {4 * std::max(outline_px, 0.75), 2.5 * std::max(outline_px, 0.75)};
        cairo_set_dash(m.cr, dash, 2, 0);
      }
      cairo_stroke(m.cr);
      cairo_set_dash(m.cr, nullptr, 0, 0);
    } else {
      cairo_new_path(m.cr);
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
  Impl& m = *impl_;
  m.texts.push_back(text);
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

void Canvas::legend(const std::string& text, Colour swatch) { legend(text, swatch, FillStyle{}); }

void Canvas::legend(const std::string& text, Colour swatch, const FillStyle& style) {
  Impl& m = *impl_;
  m.texts.push_back(text);
  const double x = m.legend_left + 8, y = m.header_bottom + 22.0 * m.legend_rows++;
  cairo_new_path(m.cr);
  cairo_rectangle(m.cr, x, y, 16, 14);
  m.set(swatch);
  cairo_fill_preserve(m.cr);
  m.texture(style);
  cairo_set_source_rgb(m.cr, 0.3, 0.3, 0.3);
  cairo_set_line_width(m.cr, 0.8);
  if (style.dashed_outline) {
    const double dash[] = {3, 2};
    cairo_set_dash(m.cr, dash, 2, 0);
  }
  cairo_stroke(m.cr);
  cairo_set_dash(m.cr, nullptr, 0, 0);
  cairo_set_font_size(m.cr, 13);
  cairo_set_source_rgb(m.cr, 0.1, 0.1, 0.1);
  cairo_move_to(m.cr, x + 22, y + 12);
  cairo_show_text(m.cr, text.c_str());
}

void Canvas::scale_bar(Nm length, const std::string& text) {
  Impl& m = *impl_;
  m.texts.push_back(text);
  const double x = Impl::kMargin, y = m.height - 8.0;
  const double w = static_cast<double>(length) * m.main.scale;
  cairo_set_source_rgb(m.cr, 0.1, 0.1, 0.1);
  cairo_set_line_width(m.cr, 2);
  cairo_move_to(m.cr, x, y);
  cairo_line_to(m.cr, x + w, y);
  cairo_stroke(m.cr);
  cairo_set_font_size(m.cr, 12);
  cairo_move_to(m.cr, x + w + 6, y + 4);
  cairo_show_text(m.cr, text.c_str());
}

Px Canvas::to_px(Point p) const { return Px{impl_->px_x(p.x), impl_->px_y(p.y)}; }
double Canvas::px_per_nm() const { return impl_->view().scale; }
double Canvas::header_bottom_px() const { return impl_->header_bottom; }
double Canvas::legend_left_px() const { return impl_->legend_left; }
const std::vector<std::string>& Canvas::texts() const { return impl_->texts; }

PxRect Canvas::drawing_px() const {
  const Impl::View& v = impl_->main;
  return PxRect{v.left, v.top, v.left + static_cast<double>(v.world.width()) * v.scale,
                v.top + static_cast<double>(v.world.height()) * v.scale};
}

void Canvas::line_px(const std::vector<Px>& points, Colour c, double width_px, double dash_px) {
  const Impl& m = *impl_;
  if (points.size() < 2) return;
  cairo_new_path(m.cr);
  cairo_move_to(m.cr, points.front().x, points.front().y);
  for (std::size_t i = 1; i < points.size(); ++i) cairo_line_to(m.cr, points[i].x, points[i].y);
  m.set(c);
  cairo_set_line_width(m.cr, width_px);
  if (dash_px > 0) {
    const double dash[] = {dash_px, dash_px * 0.7};
    cairo_set_dash(m.cr, dash, 2, 0);
  }
  cairo_stroke(m.cr);
  cairo_set_dash(m.cr, nullptr, 0, 0);
}

void Canvas::rect_px(const PxRect& rect, Colour fill_colour, Colour outline_colour, double outline_px) {
  const Impl& m = *impl_;
  cairo_new_path(m.cr);
  cairo_rectangle(m.cr, rect.left, rect.top, rect.width(), rect.height());
  m.set(fill_colour);
  cairo_fill_preserve(m.cr);
  if (outline_px > 0) {
    m.set(outline_colour);
    cairo_set_line_width(m.cr, outline_px);
    cairo_stroke(m.cr);
  }
  cairo_new_path(m.cr);
}

void Canvas::dot_px(Px centre, double radius_px, Colour c) {
  const Impl& m = *impl_;
  cairo_new_path(m.cr);
  cairo_arc(m.cr, centre.x, centre.y, radius_px, 0, 2 * std::numbers::pi);
  m.set(c);
  cairo_fill(m.cr);
}

void Canvas::text_px(Px at, const std::string& text, double size_px, Colour c, TextAlign align) {
  Impl& m = *impl_;
  m.texts.push_back(text);
  cairo_set_font_size(m.cr, size_px);
  cairo_text_extents_t extents;
  cairo_text_extents(m.cr, text.c_str(), &extents);
  double x = at.x;
  if (align == TextAlign::Centre) x -= extents.x_advance / 2;
  if (align == TextAlign::Right) x -= extents.x_advance;
  // Centre on the height of a digit/capital so numerals sit where the caller aims them.
  const double y = at.y + 0.36 * size_px;
  m.set(c);
  cairo_move_to(m.cr, x, y);
  cairo_show_text(m.cr, text.c_str());
}

void Canvas::push_view(const Box& world, Px top_left, double px_per_nm) {
  impl_->views.push_back(Impl::View{world, px_per_nm, top_left.x, top_left.y});
}

void Canvas::pop_view() {
  if (!impl_->views.empty()) impl_->views.pop_back();
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

// Puts the figure's texts into a <desc> right after the <svg> tag (searchable, accessible).
void add_description(const std::filesystem::path& svg_path, const std::vector<std::string>& texts) {
  std::string svg;
  {
    std::ifstream in(svg_path, std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    svg = buffer.str();
  }
  const std::size_t tag = svg.find("<svg");
  const std::size_t tag_end = tag == std::string::npos ? tag : svg.find('>', tag);
  if (tag_end == std::string::npos) return;
  std::string desc = "\n<desc>";
  for (const std::string& text : texts) desc += xml_escaped(text) + "\n";
  desc += "</desc>";
  svg.insert(tag_end + 1, desc);
  std::ofstream out(svg_path, std::ios::binary | std::ios::trunc);
  out << svg;
}

}  // namespace

void Canvas::write_svg(const std::filesystem::path& path) const {
  const std::filesystem::path temp = temp_path_for(path);
  cairo_surface_t* svg = cairo_svg_surface_create(temp.c_str(), impl_->width, impl_->height);
  replay(impl_->recording, svg);
  cairo_surface_finish(svg);
  const cairo_status_t status = cairo_surface_status(svg);
  cairo_surface_destroy(svg);
  if (status == CAIRO_STATUS_SUCCESS) add_description(temp, impl_->texts);
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
