#include "mesh/ogrid.h"

#include <cmath>
#include <numbers>
#include <stdexcept>

namespace wlp::mesh::detail {

namespace {

constexpr double kPi = std::numbers::pi;

double ray_angle(int j, int m) { return -0.75 * kPi + j * (0.5 * kPi / m); }

Xy polar(Xy centre, double rho, double theta) {
  return Xy{centre.x + rho * std::cos(theta), centre.y + rho * std::sin(theta)};
}

/// Node j of the cell square (4m nodes counter-clockwise from the lower-left corner).
Xy square_point(const OgridCell& cell, int j, int m) {
  const double h = cell.half_pitch_m, step = 2 * h / m;
  const int side = j / m, i = j % m;
  const Xy c = cell.centre;
  switch (side) {
    case 0:
      return Xy{c.x - h + i * step, c.y - h};
    case 1:
      return Xy{c.x + h, c.y - h + i * step};
    case 2:
      return Xy{c.x + h - i * step, c.y + h};
    default:
      return Xy{c.x - h, c.y + h - i * step};
  }
}

struct CellBuilder {
  XyMesh& mesh;
  const OgridCell& cell;
  int m;

  int tagged(Xy p) {
    const double dx = p.x - cell.centre.x, dy = p.y - cell.centre.y;
    return mesh.site_node_at(p, cell.site, std::hypot(dx, dy), std::atan2(dy, dx));
  }
  NodeMaker maker() {
    return [this](Xy p) { return tagged(p); };
  }

  /// The loop where ray j meets the central square.
  std::vector<int> inner_square_loop() {
    std::vector<int> loop;
    for (int j = 0; j < 4 * m; ++j) {
      const double theta = ray_angle(j, m);
      const double rho = cell.inner_half_m / std::max(std::abs(std::cos(theta)), std::abs(std::sin(theta)));
      loop.push_back(mesh.site_node_at(polar(cell.centre, rho, theta), cell.site, rho, theta));
    }
    return loop;
  }

  std::vector<int> circle_loop(double rho) {
    std::vector<int> loop;
    for (int j = 0; j < 4 * m; ++j) {
      const double theta = ray_angle(j, m);
      loop.push_back(mesh.site_node_at(polar(cell.centre, rho, theta), cell.site, rho, theta));
    }
    return loop;
  }

  std::vector<int> blend_loop(double rho_last, double t) {
    std::vector<int> loop;
    for (int j = 0; j < 4 * m; ++j) {
      const Xy on_circle = polar(cell.centre, rho_last, ray_angle(j, m)), on_square = square_point(cell, j, m);
      loop.push_back(mesh.node_at(
          Xy{on_circle.x + t * (on_square.x - on_circle.x), on_circle.y + t * (on_square.y - on_circle.y)}));
    }
    return loop;
  }

  void ring_between(const std::vector<int>& inner, const std::vector<int>& outer) {
    const std::size_t n = inner.size();
    for (std::size_t j = 0; j < n; ++j)
      mesh.add_quad({inner[j], outer[j], outer[(j + 1) % n], inner[(j + 1) % n]}, cell.site);
  }

  /// The central block: eight right triangles O–M–C (M a side midpoint, C a corner of the
  /// central square), each split into three blocks.
  void central_block(const std::vector<int>& square) {
    const int n = cell.half_side_segments, centre = tagged(cell.centre);
    const NodeMaker make = maker();
    for (int side = 0; side < 4; ++side) {
      const int middle = side * m + n;
      const std::vector<int> axis = straight_line(mesh, centre, square[static_cast<std::size_t>(middle)], n, make);
      std::vector<int> towards_before, towards_after;  // M → the corners on either side
      for (int i = 0; i <= n; ++i) {
        towards_before.push_back(square[static_cast<std::size_t>(middle - i)]);
        towards_after.push_back(square[static_cast<std::size_t>((middle + i) % (4 * m))]);
      }
      add_split_triangle(mesh, axis, towards_before, cell.site, make);
      add_split_triangle(mesh, axis, towards_after, cell.site, make);
    }
  }
};

}  // namespace

void add_ogrid_cell(XyMesh& mesh, const OgridCell& cell) {
  if (cell.half_side_segments < 2 || cell.circle_radii_m.empty() || cell.n_blend_loops < 1)
    throw std::logic_error("O-grid cell: needs n >= 2, one circle and one blend loop");
  const double last = cell.circle_radii_m.back();
  if (!(cell.inner_half_m * std::sqrt(2.0) < cell.circle_radii_m.front() && last < cell.half_pitch_m))
    throw std::logic_error("O-grid cell: central square, circles and cell square overlap");
  CellBuilder builder{mesh, cell, 2 * cell.half_side_segments};
  std::vector<int> previous = builder.inner_square_loop();
  builder.central_block(previous);
  for (double rho : cell.circle_radii_m) {
    std::vector<int> loop = builder.circle_loop(rho);
    builder.ring_between(previous, loop);
    previous = std::move(loop);
  }
  for (int i = 1; i <= cell.n_blend_loops; ++i) {
    std::vector<int> loop = builder.blend_loop(last, static_cast<double>(i) / cell.n_blend_loops);
    builder.ring_between(previous, loop);
    previous = std::move(loop);
  }
}

}  // namespace wlp::mesh::detail
