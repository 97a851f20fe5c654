// Degrees of freedom, constraints and the distribution over MPI ranks (internal to the FE engine).
//
// Constraints are eliminated: a displacement component held by Mesh::fixed_dofs or a prescribed
// value has no equation; the x and y components of a Mesh::diagonal_nodes node share one equation
// (u_x = u_y; the element rows of both add into it, i.e. K ← Tᵀ K T with T = [1 1]ᵀ).
// Elements are split among ranks by recursive coordinate bisection of their centroids; a node
// belongs to the lowest rank among its elements; equations are numbered rank by rank, so each
// rank owns a contiguous range, as PETSc's parallel matrices need.
#pragma once

#include <cstdint>
#include <vector>

#include "mesh/mesh.h"

namespace wlp::fem {
struct PrescribedDisplacement;
}

namespace wlp::fem::detail {

struct DofMap {
  int rank = 0, n_ranks = 1;
  int n_element_dofs = 24;
  std::int64_t n_equations = 0;
  std::int64_t first_equation = 0, end_equation = 0;  // this rank's equations
  std::vector<std::int64_t> equation_of_dof;          // 3 per node (node·3 + component): equation or −1
  std::vector<double> constrained_value_m;            // 3 per node: the value of a constrained component
  std::vector<std::int64_t> representative_dof;       // per equation owned or not: one dof that carries it
  std::vector<int> part_of_element;                   // rank of every element
  std::vector<std::int64_t> local_elements;           // this rank's elements, ascending
  std::vector<std::int64_t> ghost_equations;          // sorted equations of the local elements' dofs
  std::vector<int> element_local_dofs;                // [local element][element dof]: index in ghost_equations, or −1
  std::vector<std::int64_t> element_equations;        // [local element][element dof]: equation, or −1
  std::vector<int> diagonal_nnz, offdiagonal_nnz;     // per owned equation: matrix preallocation

  [[nodiscard]] std::int64_t n_owned() const { return end_equation - first_equation; }
};

/// Elements per part by recursive coordinate bisection (deterministic; ties broken by index).
std::vector<int> partition_elements(const mesh::Mesh& mesh, int n_parts);

/// Throws std::invalid_argument on a constraint naming a node or component outside the mesh, or
/// conflicting values on the two components of a diagonal node.
DofMap build_dof_map(const mesh::Mesh& mesh, const std::vector<PrescribedDisplacement>& prescribed, int rank, int n_ranks);

}  // namespace wlp::fem::detail
