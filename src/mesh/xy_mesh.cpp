#include "mesh/xy_mesh.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace wlp::mesh::detail {

namespace {

// Nodes closer than this are one node: patches compute shared points by different formulas,
// which agree to ~1e-19 m; distinct nodes of a package mesh are at least ~1e-8 m apart.
constexpr double kSameNode_m = 1e-10;
constexpr double kBucket_m = 1e-9;

long long bucket_key(long long ix, long long iy) {
  constexpr long long kOffset = 1LL << 30;
  return ((ix + kOffset) << 32) | (iy + kOffset);
}

long long cell_of(double v) { return std::llround(v / kBucket_m); }

double signed_area(const std::vector<XyNode>& nodes, const std::array<int, 4>& q) {
  double twice = 0;  // shoelace
  for (int i = 0; i < 4; ++i) {
    const Xy a = nodes[static_cast<std::size_t>(q[static_cast<std::size_t>(i)])].at;
    const Xy b = nodes[static_cast<std::size_t>(q[static_cast<std::size_t>((i + 1) % 4)])].at;
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2;
}

Xy lerp(Xy a, Xy b, double t) { return Xy{a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)}; }

/// Normalised arc length of node i along a polyline.
std::vector<double> arc_parameters(const std::vector<XyNode>& nodes, const std::vector<int>& line) {
  std::vector<double> s(line.size(), 0.0);
  for (std::size_t i = 1; i < line.size(); ++i) {
    const Xy a = nodes[static_cast<std::size_t>(line[i - 1])].at, b = nodes[static_cast<std::size_t>(line[i])].at;
    s[i] = s[i - 1] + std::hypot(b.x - a.x, b.y - a.y);
  }
  for (double& v : s) v /= s.back();
  return s;
}

std::vector<int> reversed(std::vector<int> line) {
  std::reverse(line.begin(), line.end());
  return line;
}

std::vector<int> slice(const std::vector<int>& line, std::size_t from, std::size_t to) {
  return std::vector<int>(line.begin() + static_cast<std::ptrdiff_t>(from),
                          line.begin() + static_cast<std::ptrdiff_t>(to) + 1);
}

}  // namespace

int XyMesh::find(Xy p) const {
  const long long ix = cell_of(p.x), iy = cell_of(p.y);
  for (long long dx = -1; dx <= 1; ++dx)
    for (long long dy = -1; dy <= 1; ++dy) {
      const auto it = buckets_.find(bucket_key(ix + dx, iy + dy));
      if (it == buckets_.end()) continue;
      for (int id : it->second) {
        const Xy q = nodes_[static_cast<std::size_t>(id)].at;
        if (std::abs(q.x - p.x) < kSameNode_m && std::abs(q.y - p.y) < kSameNode_m) return id;
      }
    }
  return -1;
}

int XyMesh::node_at(Xy p) {
  if (const int id = find(p); id >= 0) return id;
  nodes_.push_back(XyNode{p, -1, 0, 0});
  const int id = static_cast<int>(nodes_.size() - 1);
  buckets_[bucket_key(cell_of(p.x), cell_of(p.y))].push_back(id);
  return id;
}

int XyMesh::site_node_at(Xy p, int site, double rho_m, double theta) {
  const int id = node_at(p);
  XyNode& node = nodes_[static_cast<std::size_t>(id)];
  node.site = site, node.rho_m = rho_m, node.theta = theta;
  return id;
}

void XyMesh::add_quad(std::array<int, 4> corners, int site) {
  const double area = signed_area(nodes_, corners);
  const Xy a = nodes_[static_cast<std::size_t>(corners[0])].at, c = nodes_[static_cast<std::size_t>(corners[2])].at;
  const double diagonal = std::hypot(c.x - a.x, c.y - a.y);
  if (!(std::abs(area) > 1e-6 * diagonal * diagonal))
    throw std::logic_error(fmt::format("xy mesh: degenerate quad at ({:.3f}, {:.3f}) um", a.x * 1e6, a.y * 1e6));
  if (area < 0) std::swap(corners[1], corners[3]);
  quads_.push_back(XyQuad{corners, site});
}

void XyMesh::keep_quads(const std::function<bool(const XyQuad&)>& keep) {
  std::vector<XyQuad> kept;
  std::vector<int> renumbered(nodes_.size(), -1);
  std::vector<XyNode> used;
  for (XyQuad quad : quads_) {
    if (!keep(quad)) continue;
    for (int& n : quad.nodes) {
      int& to = renumbered[static_cast<std::size_t>(n)];
      if (to < 0) {
        to = static_cast<int>(used.size());
        used.push_back(nodes_[static_cast<std::size_t>(n)]);
      }
      n = to;
    }
    kept.push_back(quad);
  }
  quads_ = std::move(kept);
  nodes_ = std::move(used);
  buckets_.clear();
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    buckets_[bucket_key(cell_of(nodes_[i].at.x), cell_of(nodes_[i].at.y))].push_back(static_cast<int>(i));
}

std::vector<int> straight_line(XyMesh& mesh, int from, int to, int n, const NodeMaker& make) {
  const Xy a = mesh.nodes()[static_cast<std::size_t>(from)].at, b = mesh.nodes()[static_cast<std::size_t>(to)].at;
  std::vector<int> line{from};
  for (int i = 1; i < n; ++i) line.push_back(make(lerp(a, b, static_cast<double>(i) / n)));
  line.push_back(to);
  return line;
}

// Discrete transfinite interpolation (Gordon & Hall, Int. J. Numer. Meth. Eng. 7 (1973) 461):
// P(u,v) = (1−v)B(u) + vT(u) + (1−u)L(v) + uR(v) − bilinear(corners), with (u, v) at each node
// found from the arc-length parameters of the four sides so graded sides stay graded inside.
void add_coons_block(XyMesh& mesh, const std::vector<int>& bottom, const std::vector<int>& right,
                     const std::vector<int>& top, const std::vector<int>& left, int site, const NodeMaker& make) {
  if (bottom.size() != top.size() || left.size() != right.size() || bottom.front() != left.front() ||
      bottom.back() != right.front() || top.front() != left.back() || top.back() != right.back())
    throw std::logic_error("coons block: sides do not close");
  const std::size_t nu = bottom.size() - 1, nv = left.size() - 1;
  const auto& nodes = mesh.nodes();
  const std::vector<double> sb = arc_parameters(nodes, bottom), st = arc_parameters(nodes, top);
  const std::vector<double> sl = arc_parameters(nodes, left), sr = arc_parameters(nodes, right);
  auto at = [&](int id) { return mesh.nodes()[static_cast<std::size_t>(id)].at; };
  const Xy p00 = at(bottom.front()), p10 = at(bottom.back()), p01 = at(top.front()), p11 = at(top.back());
  std::vector<std::vector<int>> grid(nu + 1, std::vector<int>(nv + 1, -1));
  for (std::size_t i = 0; i <= nu; ++i) grid[i][0] = bottom[i], grid[i][nv] = top[i];
  for (std::size_t j = 0; j <= nv; ++j) grid[0][j] = left[j], grid[nu][j] = right[j];
  for (std::size_t i = 1; i < nu; ++i)
    for (std::size_t j = 1; j < nv; ++j) {
      // u = u_b(1 − v) + u_t v and v = v_l(1 − u) + v_r u, solved together.
      const double du = st[i] - sb[i], dv = sr[j] - sl[j];
      const double u = (sb[i] + sl[j] * du) / (1 - du * dv), v = sl[j] + u * dv;
      const Xy b = at(bottom[i]), t = at(top[i]), l = at(left[j]), r = at(right[j]);
      const double x = (1 - v) * b.x + v * t.x + (1 - u) * l.x + u * r.x -
                       ((1 - u) * (1 - v) * p00.x + u * (1 - v) * p10.x + (1 - u) * v * p01.x + u * v * p11.x);
      const double y = (1 - v) * b.y + v * t.y + (1 - u) * l.y + u * r.y -
                       ((1 - u) * (1 - v) * p00.y + u * (1 - v) * p10.y + (1 - u) * v * p01.y + u * v * p11.y);
      grid[i][j] = make(Xy{x, y});
    }
  for (std::size_t i = 0; i < nu; ++i)
    for (std::size_t j = 0; j < nv; ++j)
      mesh.add_quad({grid[i][j], grid[i + 1][j], grid[i + 1][j + 1], grid[i][j + 1]}, site);
}

// Triangle A-B-C cut into blocks QA = (A, M_AB, G, M_CA), QB = (B, M_BC, G, M_AB) and
// QC = (C, M_CA, G, M_BC). Opposite sides of a block carry equal counts, so with
// |A M_AB| = p, |M_AB B| = q and |B M_BC| = x: |M_BC C| = p, |C M_CA| = q, |M_CA A| = x,
// |G M_AB| = x, |G M_BC| = q, |G M_CA| = p. Hence |AB| = p + q, |BC| = x + p, |CA| = q + x.
void add_split_triangle(XyMesh& mesh, const std::vector<int>& leg_ab, const std::vector<int>& leg_bc, int site,
                        const NodeMaker& make) {
  const int n_ab = static_cast<int>(leg_ab.size()) - 1, n_bc = static_cast<int>(leg_bc.size()) - 1;
  const int p = std::min((n_ab + 1) / 2, n_bc - 1), q = n_ab - p, x = n_bc - p;
  if (p < 1 || q < 1 || x < 1 || leg_ab.back() != leg_bc.front())
    throw std::logic_error(fmt::format("split triangle: legs of {} and {} segments cannot be split", n_ab, n_bc));
  const int a = leg_ab.front(), b = leg_ab.back(), c = leg_bc.back();
  auto at = [&](int id) { return mesh.nodes()[static_cast<std::size_t>(id)].at; };
  const std::vector<int> hyp = straight_line(mesh, c, a, q + x, make);  // C → A
  const Xy centroid{(at(a).x + at(b).x + at(c).x) / 3, (at(a).y + at(b).y + at(c).y) / 3};
  const int g = make(centroid);
  const int m_ab = leg_ab[static_cast<std::size_t>(p)], m_bc = leg_bc[static_cast<std::size_t>(x)];
  const int m_ca = hyp[static_cast<std::size_t>(q)];
  const std::vector<int> g_ab = straight_line(mesh, g, m_ab, x, make);
  const std::vector<int> g_bc = straight_line(mesh, g, m_bc, q, make);
  const std::vector<int> g_ca = straight_line(mesh, g, m_ca, p, make);
  const auto up = static_cast<std::size_t>(p), uq = static_cast<std::size_t>(q), ux = static_cast<std::size_t>(x);
  add_coons_block(mesh, slice(leg_ab, 0, up), reversed(g_ab), reversed(g_ca), reversed(slice(hyp, uq, uq + ux)), site,
                  make);
  add_coons_block(mesh, slice(leg_bc, 0, ux), reversed(g_bc), reversed(g_ab), reversed(slice(leg_ab, up, up + uq)),
                  site, make);
  add_coons_block(mesh, slice(hyp, 0, uq), reversed(g_ca), reversed(g_bc), reversed(slice(leg_bc, ux, ux + up)), site,
                  make);
}

}  // namespace wlp::mesh::detail
