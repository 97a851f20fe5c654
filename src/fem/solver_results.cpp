// Results gathered on rank 0: nodal displacements and per-element averages; the elastic solve.
#include <algorithm>

#include "fem/solver_impl.h"

namespace wlp::fem {

using detail::check;

namespace {

// Per element: volume, stress (6), von Mises, inelastic work, equivalent inelastic, creep, plastic strain.
constexpr int n_packed = 12;

struct PackedResults {
  std::vector<long long> elements;
  std::vector<double> values;  // n_packed per element
};

void pack_points(const detail::ElementGeometry& geometry, const std::vector<Voigt6>& stresses, const double* history_of_points,
                 int history_stride, std::vector<double>& out) {
  std::array<double, n_packed> sums{};
  for (int p = 0; p < geometry.shape.n_points; ++p) {
    const double w = geometry.point_volumes_m3[p];
    sums[0] += w;
    for (int i = 0; i < 6; ++i) sums[1 + i] += w * stresses[p][i];
    sums[7] += w * detail::element_von_mises(stresses[p]);
    if (history_of_points == nullptr) continue;
    const double* history = history_of_points + p * history_stride;
    sums[8] += w * history[history::inelastic_work_J_per_m3];
    sums[9] += w * history[history::equivalent_inelastic_strain];
    sums[10] += w * history[history::equivalent_creep_strain];
    sums[11] += w * history[history::equivalent_plastic_strain];
  }
  for (int i = 1; i < n_packed; ++i) sums[i] /= sums[0];
  out.insert(out.end(), sums.begin(), sums.end());
}

ElementResults unpack(const std::vector<double>& values, std::size_t n_elements) {
  ElementResults results;
  if (values.empty()) return results;
  results.volume_m3.resize(n_elements);
  results.stress_Pa.resize(n_elements);
  results.von_mises_Pa.resize(n_elements);
  results.inelastic_work_J_per_m3.resize(n_elements);
  results.equivalent_inelastic_strain.resize(n_elements);
  results.equivalent_creep_strain.resize(n_elements);
  results.equivalent_plastic_strain.resize(n_elements);
  for (std::size_t e = 0; e < n_elements; ++e) {
    const double* v = values.data() + e * n_packed;
    results.volume_m3[e] = v[0];
    for (int i = 0; i < 6; ++i) results.stress_Pa[e][i] = v[1 + i];
    results.von_mises_Pa[e] = v[7];
    results.inelastic_work_J_per_m3[e] = v[8];
    results.equivalent_inelastic_strain[e] = v[9];
    results.equivalent_creep_strain[e] = v[10];
    results.equivalent_plastic_strain[e] = v[11];
  }
  return results;
}

}  // namespace

std::vector<double> detail::gather_element_records(MPI_Comm comm, const std::vector<long long>& elements, const std::vector<double>& values,
                                           int stride, std::size_t n_elements) {
  int rank = 0, n_ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &n_ranks);
  int n_local = static_cast<int>(elements.size());
  std::vector<int> counts(static_cast<std::size_t>(n_ranks)), offsets(static_cast<std::size_t>(n_ranks), 0);
  MPI_Gather(&n_local, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, comm);
  for (int r = 1; r < n_ranks; ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
  const int n_total = rank == 0 ? offsets.back() + counts.back() : 0;
  std::vector<long long> all_elements(static_cast<std::size_t>(n_total));
  MPI_Gatherv(elements.data(), n_local, MPI_LONG_LONG, all_elements.data(), counts.data(), offsets.data(), MPI_LONG_LONG, 0, comm);
  for (int r = 0; r < n_ranks; ++r) {
    counts[r] *= stride;
    offsets[r] *= stride;
  }
  std::vector<double> all_values(static_cast<std::size_t>(n_total) * static_cast<std::size_t>(stride));
  MPI_Gatherv(values.data(), n_local * stride, MPI_DOUBLE, all_values.data(), counts.data(), offsets.data(), MPI_DOUBLE, 0, comm);
  if (rank != 0) return {};
  std::vector<double> ordered(n_elements * static_cast<std::size_t>(stride), 0.0);
  for (std::size_t i = 0; i < all_elements.size(); ++i)
    std::copy_n(all_values.begin() + static_cast<std::ptrdiff_t>(i * static_cast<std::size_t>(stride)), stride,
                ordered.begin() + static_cast<std::ptrdiff_t>(static_cast<std::size_t>(all_elements[i]) * static_cast<std::size_t>(stride)));
  return ordered;
}

std::vector<std::array<double, 3>> ThermoMechanicalSolver::Impl::gather_displacements(Vec equations) const {
  detail::OwnedScatter scatter;
  detail::OwnedVec on_zero;
  check(VecScatterCreateToZero(equations, scatter.out(), on_zero.out()), "VecScatterCreateToZero");
  check(VecScatterBegin(scatter.get(), equations, on_zero.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterBegin");
  check(VecScatterEnd(scatter.get(), equations, on_zero.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterEnd");
  if (rank != 0) return {};
  detail::VecReader values(on_zero.get());
  std::vector<std::array<double, 3>> u(mesh.n_nodes());
  for (std::size_t node = 0; node < mesh.n_nodes(); ++node)
    for (int c = 0; c < 3; ++c) {
      const std::int64_t equation = dofs.equation_of_dof[3 * node + c];
      u[node][c] = equation >= 0 ? values.data()[equation] : dofs.constrained_value_m[3 * node + c];
    }
  return u;
}

ElementResults ThermoMechanicalSolver::Impl::elastic_element_results(Vec equations, double temperature) const {
  check(VecScatterBegin(to_local.get(), equations, local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterBegin");
  check(VecScatterEnd(to_local.get(), equations, local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterEnd");
  PackedResults packed;
  detail::ElementGeometry geometry;
  std::vector<double> u;
  std::vector<Voigt6> stresses;
  detail::VecReader local(local_values.get());
  for (std::size_t le = 0; le < dofs.local_elements.size(); ++le) {
    const std::int64_t element = dofs.local_elements[le];
    const int material = material_of_local(le);
    const MaterialLaw& law = *laws[static_cast<std::size_t>(material)];
    detail::compute_element_geometry(options.element, element_coordinates(element), static_cast<long>(element), geometry);
    element_displacements(le, local.data(), u);
    detail::elastic_point_stresses(geometry, law.elastic_stiffness(temperature), thermal_strain(material, temperature), u, stresses);
    packed.elements.push_back(element);
    pack_points(geometry, stresses, nullptr, 0, packed.values);
  }
  return unpack(detail::gather_element_records(comm, packed.elements, packed.values, n_packed, mesh.n_elements()), mesh.n_elements());
}

ElementResults ThermoMechanicalSolver::Impl::current_element_results() const {
  check(VecScatterBegin(to_local.get(), displacement.get(), local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterBegin");
  check(VecScatterEnd(to_local.get(), displacement.get(), local_values.get(), INSERT_VALUES, SCATTER_FORWARD), "VecScatterEnd");
  PackedResults packed;
  detail::ElementGeometry geometry;
  std::vector<double> u;
  std::vector<Voigt6> stresses;
  {
    detail::VecReader local(local_values.get());
    for (std::size_t le : linear_elements) {
      const std::int64_t element = dofs.local_elements[le];
      const int material = material_of_local(le);
      const MaterialLaw& law = *laws[static_cast<std::size_t>(material)];
      detail::compute_element_geometry(options.element, element_coordinates(element), static_cast<long>(element), geometry);
      element_displacements(le, local.data(), u);
      detail::elastic_point_stresses(geometry, law.elastic_stiffness(temperature_K), thermal_strain(material, temperature_K), u, stresses);
      packed.elements.push_back(element);
      pack_points(geometry, stresses, nullptr, 0, packed.values);
    }
  }
  for (std::size_t k = 0; k < nonlinear_elements.size(); ++k) {
    const double* points = committed_points.data() + point_offset[k];
    stresses.resize(static_cast<std::size_t>(shape.n_points));
    for (int p = 0; p < shape.n_points; ++p)
      for (int i = 0; i < 6; ++i) stresses[p][i] = points[p * point_stride[k] + detail::point_stress + i];
    packed.elements.push_back(dofs.local_elements[nonlinear_elements[k]]);
    pack_points(nonlinear_geometry[k], stresses, points + detail::point_history, point_stride[k], packed.values);
  }
  return unpack(detail::gather_element_records(comm, packed.elements, packed.values, n_packed, mesh.n_elements()), mesh.n_elements());
}

ElasticSolution ThermoMechanicalSolver::Impl::solve_elastic(double temperature) {
  const auto start = std::chrono::steady_clock::now();
  detail::OwnedMat stiffness;
  *stiffness.out() = new_matrix();
  detail::OwnedVec load, solution;
  detail::duplicate(displacement.get(), load);
  detail::duplicate(displacement.get(), solution);
  check(VecSet(load.get(), 0.0), "VecSet");
  const int n = shape.n_dofs();
  detail::ElementGeometry geometry;
  detail::LinearElementMatrices matrices;
  std::vector<double> element_load(static_cast<std::size_t>(n));
  for (std::size_t le = 0; le < dofs.local_elements.size(); ++le) {
    const std::int64_t element = dofs.local_elements[le];
    const int material = material_of_local(le);
    const MaterialLaw& law = *laws[static_cast<std::size_t>(material)];
    detail::compute_element_geometry(options.element, element_coordinates(element), static_cast<long>(element), geometry);
    detail::linear_element_matrices(geometry, law.elastic_stiffness(temperature), matrices);
    const std::vector<PetscInt> rows = element_rows(le);
    check(MatSetValues(stiffness.get(), n, rows.data(), n, rows.data(), matrices.stiffness.data(), ADD_VALUES), "MatSetValues");
    // f = Σ_k ε_th,k f*_k − K_e u_p (the constrained values moved to the right-hand side)
    const Voigt6 strain = thermal_strain(material, temperature);
    const std::int64_t* nodes = mesh.element_nodes(static_cast<std::size_t>(element));
    for (int i = 0; i < n; ++i) {
      double f = 0;
      for (int k = 0; k < 6; ++k) f += strain[k] * matrices.unit_thermal_loads[static_cast<std::size_t>(k * n + i)];
      for (int j = 0; j < n; ++j)
        if (dofs.element_local_dofs[le * static_cast<std::size_t>(n) + static_cast<std::size_t>(j)] < 0)
          f -= matrices.stiffness[static_cast<std::size_t>(i * n + j)] * dofs.constrained_value_m[3 * nodes[j / 3] + j % 3];
      element_load[i] = f;
    }
    check(VecSetValues(load.get(), n, rows.data(), element_load.data(), ADD_VALUES), "VecSetValues");
  }
  check(MatAssemblyBegin(stiffness.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyBegin");
  check(MatAssemblyEnd(stiffness.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyEnd");
  check(VecAssemblyBegin(load.get()), "VecAssemblyBegin");
  check(VecAssemblyEnd(load.get()), "VecAssemblyEnd");
  if (near_null_space) check(MatSetNearNullSpace(stiffness.get(), near_null_space.get()), "MatSetNearNullSpace");
  detail::LinearSolver solver(options.linear, n_product_threads);
  const detail::LinearSolveOutcome outcome = solver.solve(stiffness.get(), load.get(), solution.get(), options.linear.relative_tolerance);
  if (!outcome.converged)
    throw ConvergenceError("elastic solve at " + std::to_string(temperature) + " K: the linear solver failed (PETSc KSPConvergedReason " +
                               std::to_string(static_cast<int>(outcome.reason)) + ")",
                           {0, time_s, time_s, temperature, -1});
  ElasticSolution result;
  result.wall_time_s = detail::seconds_since(start);
  result.displacements_m = gather_displacements(solution.get());
  result.elements = elastic_element_results(solution.get(), temperature);
  return result;
}

}  // namespace wlp::fem
