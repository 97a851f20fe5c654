// Pad → land assignment of minimum total cost: the Hungarian method (Kuhn–Munkres) with
// row/column potentials and shortest augmenting paths, O(rows² · cols). With Euclidean pad–land distances as costs the straight pad→land lines of an optimal
// assignment never cross: uncrossing two crossing lines would shorten their sum (triangle
// inequality), so an optimum has no crossing — the planar start the router needs.
#include <limits>
#include <stdexcept>

#include "layout/rdl_internal.h"

namespace wlp::layout::rdl {

std::vector<int> min_cost_assignment(const std::vector<double>& cost, int rows, int cols) {
  if (rows > cols) throw std::invalid_argument("min_cost_assignment: more rows than columns");
  if (cost.size() != static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols))
    throw std::invalid_argument("min_cost_assignment: cost matrix size");
  const double inf = std::numeric_limits<double>::infinity();
  // 1-based: column 0 is the virtual start of each augmenting path; row_of[j] the row on column j.
  std::vector<double> u(rows + 1, 0.0), v(cols + 1, 0.0);
  std::vector<int> row_of(cols + 1, 0), way(cols + 1, 0);
  auto c = [&](int row, int col) { return cost[static_cast<std::size_t>(row - 1) * cols + (col - 1)]; };
  for (int row = 1; row <= rows; ++row) {
    row_of[0] = row;
    int col0 = 0;
    std::vector<double> min_slack(cols + 1, inf);
    std::vector<char> used(cols + 1, 0);
    // Grow a tree of tight edges (Dijkstra on reduced costs) until a free column is reached.
    do {
      used[col0] = 1;
      const int row0 = row_of[col0];
      double delta = inf;
      int col1 = 0;
      for (int col = 1; col <= cols; ++col) {
        if (used[col]) continue;
        const double slack = c(row0, col) - u[row0] - v[col];
        if (slack < min_slack[col]) {
          min_slack[col] = slack;
          way[col] = col0;
        }
        if (min_slack[col] < delta) {
          delta = min_slack[col];
          col1 = col;
        }
      }
      for (int col = 0; col <= cols; ++col) {
        if (used[col]) {
          u[row_of[col]] += delta;
          v[col] -= delta;
        } else {
          min_slack[col] -= delta;
        }
      }
      col0 = col1;
    } while (row_of[col0] != 0);
    // Flip the augmenting path.
    do {
      const int col1 = way[col0];
      row_of[col0] = row_of[col1];
      col0 = col1;
    } while (col0 != 0);
  }
  std::vector<int> col_of_row(rows, -1);
  for (int col = 1; col <= cols; ++col)
    if (row_of[col] != 0) col_of_row[row_of[col] - 1] = col - 1;
  return col_of_row;
}

}  // namespace wlp::layout::rdl
