// The 2D quadrilateral mesh of the modelled footprint (internal to the mesher): tensor blocks
// away from the bump array, an O-grid cell around every bump site. The hexahedra are this mesh
// repeated on every z-plane; inside an O-grid cell the nodes move radially from plane to plane
// (the joint's curved surface, the board pad under it), elsewhere they stay put.
#pragma once

#include <array>
#include <functional>
#include <unordered_map>
#include <vector>

namespace wlp::mesh::detail {

struct Xy {
  double x = 0, y = 0;
};

struct XyNode {
  Xy at;                        // position in the device planes (metres, model frame)
  int site = -1;                // the O-grid cell whose radial map moves this node, −1 for a fixed node
  double rho_m = 0, theta = 0;  // polar coordinates about the site's centre (when site ≥ 0)
};

struct XyQuad {
  std::array<int, 4> nodes{};  // counter-clockwise seen from +z
  int site = -1;               // O-grid cell the quad belongs to, −1 for tensor blocks
};

/// Nodes (merged when closer than a tenth of a nanometre, so patches that share an edge share
/// its nodes) and quads.
class XyMesh {
 public:
  /// A fixed node at (x, y), or the one already there.
  int node_at(Xy p);
  /// A node that follows the radial map of `site`; polar coordinates given exactly.
  int site_node_at(Xy p, int site, double rho_m, double theta);
  /// Adds a quad, reordering its corners counter-clockwise. Throws std::logic_error for a
  /// degenerate quad (an internal error of a patch).
  void add_quad(std::array<int, 4> corners, int site);

  [[nodiscard]] const std::vector<XyNode>& nodes() const { return nodes_; }
  [[nodiscard]] const std::vector<XyQuad>& quads() const { return quads_; }
  std::vector<XyNode>& nodes_for_update() { return nodes_; }
  /// Keeps the quads for which `keep` holds and the nodes they use (renumbered in order).
  void keep_quads(const std::function<bool(const XyQuad&)>& keep);

 private:
  int find(Xy p) const;
  std::vector<XyNode> nodes_;
  std::vector<XyQuad> quads_;
  std::unordered_map<long long, std::vector<int>> buckets_;
};

/// Makes (or finds) the node at a point: fixed, or tagged to an O-grid site.
using NodeMaker = std::function<int(Xy)>;

/// A structured block by transfinite (Coons) interpolation of its four sides. `bottom` and
/// `top` run in +u with the same count, `left` and `right` in +v with the same count; the
/// corners are shared (bottom.front() == left.front(), ...). Interior nodes come from `make`.
void add_coons_block(XyMesh& mesh, const std::vector<int>& bottom, const std::vector<int>& right,
                     const std::vector<int>& top, const std::vector<int>& left, int site, const NodeMaker& make);

/// A triangle A-B-C as three quad blocks meeting at its centroid (the usual triangle-to-quad
/// split). `leg_ab` runs A→B, `leg_bc` B→C (node ids, both with at least 3 nodes); the nodes on
/// C→A are placed uniformly. The counts: |AB| = p + q, |BC| = x + p, |CA| = q + x, with
/// p = ⌈|AB|/2⌉ — see the derivation in xy_mesh.cpp.
void add_split_triangle(XyMesh& mesh, const std::vector<int>& leg_ab, const std::vector<int>& leg_bc, int site,
                        const NodeMaker& make);

/// Node ids of a straight line from `from` to `to` in `n` equal segments (ends included).
std::vector<int> straight_line(XyMesh& mesh, int from, int to, int n, const NodeMaker& make);

}  // namespace wlp::mesh::detail
