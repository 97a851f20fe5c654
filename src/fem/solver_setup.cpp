// Set-up of the solver: checks, element classes, PETSc vectors and matrices, the linear part.
#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <thread>

#include "fem/solver_impl.h"

namespace wlp::fem {

using detail::check;

namespace detail {
double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace detail

ElementFormulation default_formulation(mesh::ElementType type) {
  return type == mesh::ElementType::Hex20 ? ElementFormulation::Hex20 : ElementFormulation::Hex8Incompatible;
}

ThermoMechanicalSolver::Impl::Impl(const mesh::Mesh& mesh_in, std::vector<std::shared_ptr<const MaterialLaw>> laws_in,
                                   SolverOptions options_in, std::vector<PrescribedDisplacement> prescribed_in)
    : mesh(mesh_in), laws(std::move(laws_in)), options(options_in), prescribed(std::move(prescribed_in)),
      shape(detail::element_shape(options.element)) {
  check_input();
  comm = PETSC_COMM_WORLD;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &n_ranks);
  dofs = detail::build_dof_map(mesh, prescribed, rank, n_ranks);
  temperature_K = options.stress_free_temperature_K;
  proposed_time_step_s = options.increments.initial_time_step_s;
  n_element_threads = options.n_element_threads > 0 ? options.n_element_threads
                      : n_ranks > 1                 ? 1
                                                    : static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  // The sparse products take the element threads' cores (one rank: MPI's ranks fill them).
  n_product_threads = n_ranks > 1 ? 1 : n_element_threads;
  linear_solver = std::make_unique<detail::LinearSolver>(options.linear, n_product_threads);
  const auto start = std::chrono::steady_clock::now();
  create_vectors();
  classify_elements();
  create_matrices();
  assemble_linear_part();
  find_tangent_positions();
  create_near_null_space();
  if (n_product_threads > 1) linear_product = std::make_unique<detail::ThreadedProduct>(linear_stiffness.get(), n_product_threads);
  statistics.assembly_time_s += detail::seconds_since(start);
}

void ThermoMechanicalSolver::Impl::check_input() const {
  PetscBool initialised = PETSC_FALSE;
  PetscInitialized(&initialised);
  if (!initialised) throw PetscError("ThermoMechanicalSolver needs a PetscSession (PETSc is not initialised)");
  const bool quadratic_mesh = mesh.element_type == mesh::ElementType::Hex20;
  if (quadratic_mesh != (options.element == ElementFormulation::Hex20))
    throw std::invalid_argument(std::string("element formulation does not fit the mesh: a ") + (quadratic_mesh ? "Hex20" : "Hex8") +
                                " mesh needs " + (quadratic_mesh ? "Hex20" : "Hex8 or Hex8Incompatible"));
  const std::size_t n_nodes_per_element = static_cast<std::size_t>(mesh::nodes_per_element(mesh.element_type));
  if (mesh.connectivity.size() != mesh.n_elements() * n_nodes_per_element)
    throw std::invalid_argument("mesh: " + std::to_string(mesh.connectivity.size()) + " connectivity entries for " +
                                std::to_string(mesh.n_elements()) + " elements of " + std::to_string(n_nodes_per_element) + " nodes");
  for (std::int64_t node : mesh.connectivity)
    if (node < 0 || node >= static_cast<std::int64_t>(mesh.n_nodes()))
      throw std::invalid_argument("mesh: connectivity names node " + std::to_string(node) + " of " + std::to_string(mesh.n_nodes()));
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const int material = mesh.material_of_element[e];
    if (material < 0 || material >= static_cast<int>(laws.size()) || !laws[static_cast<std::size_t>(material)])
      throw std::invalid_argument("element " + std::to_string(e) + " has material " + std::to_string(material) + " but " +
                                  std::to_string(laws.size()) + " laws were given (one per mesh material, none empty)");
  }
  const IncrementOptions& steps = options.increments;
  const auto require = [](bool condition, const std::string& what) {
    if (!condition) throw std::invalid_argument("solver options: " + what);
  };
  if (const std::optional<TemperatureRange>& range = options.temperature_range)
    require(range->low_K > 0 && range->low_K <= range->high_K && std::isfinite(range->high_K),
            "temperature range must satisfy 0 < low ≤ high, got [" + std::to_string(range->low_K) + ", " +
                std::to_string(range->high_K) + "] K");
  require(options.n_element_threads >= 0, "element threads must be ≥ 0 (0: automatic), got " + std::to_string(options.n_element_threads));
  require(options.newton.residual_tolerance > 0 && options.newton.max_iterations >= 1,
          "Newton needs a positive residual tolerance and at least one iteration");
  require(options.linear.relative_tolerance > 0 && options.linear.relative_tolerance < 1 && options.linear.max_iterations >= 1 &&
              max_forcing_of(options.linear) >= options.linear.relative_tolerance && options.linear.max_forcing < 1 &&
              options.linear.refactor_iterations >= 1,
          "linear solver tolerances must satisfy 0 < relative_tolerance ≤ max_forcing < 1 (max_forcing 0: automatic), "
          "relative_tolerance < 1, iteration limits ≥ 1");
  require(steps.min_time_step_s > 0 && steps.min_time_step_s <= steps.initial_time_step_s &&
              steps.initial_time_step_s <= steps.max_time_step_s,
          "time steps must satisfy 0 < min (" + std::to_string(steps.min_time_step_s) + " s) ≤ initial (" +
              std::to_string(steps.initial_time_step_s) + " s) ≤ max (" + std::to_string(steps.max_time_step_s) + " s)");
  require(steps.growth_factor >= 1 && steps.max_cutbacks >= 0 && steps.max_temperature_change_K >= 0 &&
              steps.max_inelastic_strain_increment >= 0,
          "growth factor ≥ 1, cutbacks ≥ 0, temperature and inelastic-strain limits ≥ 0 (0: no limit)");
  if (!(options.stress_free_temperature_K > 0))
    throw std::invalid_argument("stress-free temperature must be positive, got " + std::to_string(options.stress_free_temperature_K) + " K");
}

std::vector<std::array<double, 3>> ThermoMechanicalSolver::Impl::element_coordinates(std::int64_t element) const {
  const std::int64_t* nodes = mesh.element_nodes(static_cast<std::size_t>(element));
  std::vector<std::array<double, 3>> coordinates(static_cast<std::size_t>(shape.n_nodes));
  for (int a = 0; a < shape.n_nodes; ++a) coordinates[a] = mesh.nodes_m[nodes[a]];
  return coordinates;
}

std::vector<PetscInt> ThermoMechanicalSolver::Impl::element_rows(std::size_t local_element) const {
  const std::size_t n = static_cast<std::size_t>(dofs.n_element_dofs);
  std::vector<PetscInt> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = static_cast<PetscInt>(dofs.element_equations[local_element * n + i]);
  return rows;
}

void ThermoMechanicalSolver::Impl::element_displacements(std::size_t local_element, const PetscScalar* local,
                                                        std::vector<double>& u) const {
  const std::size_t n = static_cast<std::size_t>(dofs.n_element_dofs);
  u.resize(n);
  const std::int64_t* nodes = mesh.element_nodes(static_cast<std::size_t>(dofs.local_elements[local_element]));
  for (std::size_t i = 0; i < n; ++i) {
    const int index = dofs.element_local_dofs[local_element * n + i];
    u[i] = index >= 0 ? local[index] : dofs.constrained_value_m[3 * nodes[i / 3] + i % 3];
  }
}

void ThermoMechanicalSolver::Impl::create_vectors() {
  const auto n_owned = static_cast<PetscInt>(dofs.n_owned());
  const auto n_total = static_cast<PetscInt>(dofs.n_equations);
  check(VecCreateMPI(comm, n_owned, n_total, displacement.out()), "VecCreateMPI");
  check(VecSetOption(displacement.get(), VEC_IGNORE_NEGATIVE_INDICES, PETSC_TRUE), "VecSetOption");
  for (detail::OwnedVec* vec : {&trial_displacement, &previous_increment, &correction, &residual, &rhs, &linear_force, &thermal_force, &nonlinear_force,
                                &prescribed_force})
    detail::duplicate(displacement.get(), *vec);
  for (detail::OwnedVec* vec : {&displacement, &trial_displacement, &previous_increment, &prescribed_force})
    check(VecSet(vec->get(), 0.0), "VecSet");
  std::vector<PetscInt> ghosts(dofs.ghost_equations.begin(), dofs.ghost_equations.end());
  check(VecCreateSeq(PETSC_COMM_SELF, static_cast<PetscInt>(ghosts.size()), local_values.out()), "VecCreateSeq");
  detail::OwnedIs from;
  check(ISCreateGeneral(PETSC_COMM_SELF, static_cast<PetscInt>(ghosts.size()), ghosts.data(), PETSC_COPY_VALUES, from.out()),
        "ISCreateGeneral");
  check(VecScatterCreate(displacement.get(), from.get(), local_values.get(), nullptr, to_local.out()), "VecScatterCreate");
}

// Linear materials: stiffness constant at every temperature, or over the declared range.
void ThermoMechanicalSolver::Impl::classify_materials() {
  const std::optional<TemperatureRange>& range = options.temperature_range;
  linear_stiffness_temperature_K = range ? range->low_K : options.stress_free_temperature_K;
  material_is_linear.clear();
  for (const std::shared_ptr<const MaterialLaw>& law : laws)
    material_is_linear.push_back(range ? law->has_constant_stiffness_between(range->low_K, range->high_K) : law->has_constant_stiffness());
}

void ThermoMechanicalSolver::Impl::classify_elements() {
  classify_materials();
  std::size_t n_point_doubles = 0;
  for (std::size_t le = 0; le < dofs.local_elements.size(); ++le) {
    const int material = material_of_local(le);
    if (material_is_linear[static_cast<std::size_t>(material)]) {
      linear_elements.push_back(le);
      continue;
    }
    nonlinear_elements.push_back(le);
    point_offset.push_back(n_point_doubles);
    point_stride.push_back(detail::point_history + n_history(material));
    n_point_doubles += static_cast<std::size_t>(shape.n_points * point_stride.back());
  }
  committed_points.assign(n_point_doubles, 0.0);
  statistics.n_nonlinear_elements = static_cast<std::int64_t>(nonlinear_elements.size());
  MPI_Allreduce(MPI_IN_PLACE, &statistics.n_nonlinear_elements, 1, MPI_INT64_T, MPI_SUM, comm);
  nonlinear_geometry.resize(nonlinear_elements.size());
  for (std::size_t k = 0; k < nonlinear_elements.size(); ++k) {
    const std::size_t le = nonlinear_elements[k];
    const std::int64_t element = dofs.local_elements[le];
    detail::compute_element_geometry(options.element, element_coordinates(element), static_cast<long>(element), nonlinear_geometry[k]);
    const MaterialLaw& law = *laws[static_cast<std::size_t>(material_of_local(le))];
    for (int p = 0; p < shape.n_points; ++p) {
      double* record = committed_points.data() + point_offset[k] + static_cast<std::size_t>(p * point_stride[k]);
      law.initialise(std::span<double>(record + detail::point_history, static_cast<std::size_t>(point_stride[k] - detail::point_history)));
    }
  }
  trial_points = committed_points;
  committed_modes.assign(nonlinear_elements.size() * static_cast<std::size_t>(shape.n_mode_dofs()), 0.0);
  trial_modes = committed_modes;
  previous_mode_increment = committed_modes;
  mode_tangents.assign(nonlinear_elements.size() * static_cast<std::size_t>(shape.n_mode_dofs() * shape.n_dofs()), 0.0);
  mode_residuals.assign(committed_modes.size(), 0.0);
  mode_inverses.assign(nonlinear_elements.size() * static_cast<std::size_t>(shape.n_mode_dofs() * shape.n_mode_dofs()), 0.0);
}

Mat ThermoMechanicalSolver::Impl::new_matrix() const {
  Mat matrix = nullptr;
  const auto n_owned = static_cast<PetscInt>(dofs.n_owned());
  const auto n_total = static_cast<PetscInt>(dofs.n_equations);
  std::vector<PetscInt> diagonal(dofs.diagonal_nnz.begin(), dofs.diagonal_nnz.end());
  std::vector<PetscInt> off(dofs.offdiagonal_nnz.begin(), dofs.offdiagonal_nnz.end());
  check(MatCreate(comm, &matrix), "MatCreate");
  check(MatSetSizes(matrix, n_owned, n_owned, n_total, n_total), "MatSetSizes");
  check(MatSetType(matrix, MATAIJ), "MatSetType");
  check(MatSeqAIJSetPreallocation(matrix, 0, diagonal.data()), "MatSeqAIJSetPreallocation");
  check(MatMPIAIJSetPreallocation(matrix, 0, diagonal.data(), 0, off.data()), "MatMPIAIJSetPreallocation");
  check(MatSetOption(matrix, MAT_NEW_NONZERO_ALLOCATION_ERR, PETSC_TRUE), "MatSetOption");
  return matrix;
}

void ThermoMechanicalSolver::Impl::create_matrices() { *linear_stiffness.out() = new_matrix(); }

// The thermal-strain components a law produces: those non-zero anywhere between 50 K and 800 K.
namespace {
std::vector<int> active_thermal_components(const MaterialLaw& law, double stress_free_K) {
  std::vector<int> components;
  for (int k = 0; k < 6; ++k)
    for (double t = 50; t <= 800; t += 25)
      if (law.thermal_strain(t, stress_free_K)[k] != 0) {
        components.push_back(k);
        break;
      }
  return components;
}
}  // namespace

// One load vector per (linear material, active thermal component): the same list on every rank.
std::vector<std::array<int, 6>> ThermoMechanicalSolver::Impl::create_thermal_loads() {
  std::vector<bool> is_used(laws.size(), false);
  for (int material : mesh.material_of_element) is_used[static_cast<std::size_t>(material)] = true;
  std::vector<std::array<int, 6>> load_of(laws.size());
  for (std::size_t m = 0; m < laws.size(); ++m) {
    load_of[m].fill(-1);
    if (!is_used[m] || !material_is_linear[m]) continue;
    for (int k : active_thermal_components(*laws[m], options.stress_free_temperature_K)) {
      load_of[m][static_cast<std::size_t>(k)] = static_cast<int>(thermal_loads.size());
      detail::ThermalLoad load{static_cast<int>(m), k, {}};
      detail::duplicate(displacement.get(), load.load);
      check(VecSet(load.load.get(), 0.0), "VecSet");
      thermal_loads.push_back(std::move(load));
    }
  }
  return load_of;
}

// f_p = K_e · u_p: the constrained values' share of a linear element's internal force, on its free rows.
void ThermoMechanicalSolver::Impl::add_prescribed_force(std::size_t local_element, const std::vector<double>& stiffness) {
  const int n = shape.n_dofs();
  const std::int64_t* nodes = mesh.element_nodes(static_cast<std::size_t>(dofs.local_elements[local_element]));
  std::vector<double> values(static_cast<std::size_t>(n), 0.0), force(static_cast<std::size_t>(n), 0.0);
  bool has_prescribed = false;
  for (int i = 0; i < n; ++i) {
    if (dofs.element_local_dofs[local_element * static_cast<std::size_t>(n) + static_cast<std::size_t>(i)] >= 0) continue;
    values[i] = dofs.constrained_value_m[3 * nodes[i / 3] + i % 3];
    has_prescribed = has_prescribed || values[i] != 0;
  }
  if (!has_prescribed) return;
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) force[i] += stiffness[static_cast<std::size_t>(i * n + j)] * values[j];
  const std::vector<PetscInt> rows = element_rows(local_element);
  check(VecSetValues(prescribed_force.get(), n, rows.data(), force.data(), ADD_VALUES), "VecSetValues (prescribed)");
}

// K_lin with the sparsity of every element (zeros for the nonlinear ones, so that the tangent
// K_lin + K_nonlinear is a copy and an addition), the thermal loads f_k and f_p.
void ThermoMechanicalSolver::Impl::assemble_linear_part() {
  const std::vector<std::array<int, 6>> load_of = create_thermal_loads();
  const int n = shape.n_dofs();
  const std::vector<double> zeros(static_cast<std::size_t>(n * n), 0.0);
  detail::ElementGeometry geometry;
  detail::LinearElementMatrices matrices;
  for (std::size_t le = 0; le < dofs.local_elements.size(); ++le) {
    const std::vector<PetscInt> rows = element_rows(le);
    const int material = material_of_local(le);
    const MaterialLaw& law = *laws[static_cast<std::size_t>(material)];
    if (!material_is_linear[static_cast<std::size_t>(material)]) {
      check(MatSetValues(linear_stiffness.get(), n, rows.data(), n, rows.data(), zeros.data(), ADD_VALUES), "MatSetValues (pattern)");
      continue;
    }
    const std::int64_t element = dofs.local_elements[le];
    detail::compute_element_geometry(options.element, element_coordinates(element), static_cast<long>(element), geometry);
    detail::linear_element_matrices(geometry, law.elastic_stiffness(linear_stiffness_temperature_K), matrices);
    check(MatSetValues(linear_stiffness.get(), n, rows.data(), n, rows.data(), matrices.stiffness.data(), ADD_VALUES), "MatSetValues");
    for (std::size_t k = 0; k < 6; ++k) {
      const int load = load_of[static_cast<std::size_t>(material)][k];
      if (load < 0) continue;
      check(VecSetValues(thermal_loads[static_cast<std::size_t>(load)].load.get(), n, rows.data(),
                         matrices.unit_thermal_loads.data() + k * static_cast<std::size_t>(n), ADD_VALUES),
            "VecSetValues (thermal load)");
    }
    add_prescribed_force(le, matrices.stiffness);
  }
  check(MatAssemblyBegin(linear_stiffness.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyBegin");
  check(MatAssemblyEnd(linear_stiffness.get(), MAT_FINAL_ASSEMBLY), "MatAssemblyEnd");
  for (detail::ThermalLoad& load : thermal_loads) {
    check(VecAssemblyBegin(load.load.get()), "VecAssemblyBegin");
    check(VecAssemblyEnd(load.load.get()), "VecAssemblyEnd");
  }
  check(VecAssemblyBegin(prescribed_force.get()), "VecAssemblyBegin");
  check(VecAssemblyEnd(prescribed_force.get()), "VecAssemblyEnd");
  check(MatDuplicate(linear_stiffness.get(), MAT_COPY_VALUES, tangent.out()), "MatDuplicate (tangent)");
}

// On one rank the tangent is a sequential AIJ matrix whose pattern never changes: the place of
// every entry of every nonlinear element in its value array is found once, so that adding the
// elements is a run of additions instead of MatSetValues' row searches (on B0, 49 of the 141 ms
// of an evaluation).
void ThermoMechanicalSolver::Impl::find_tangent_positions() {
  tangent_positions.clear();
  PetscBool is_sequential = PETSC_FALSE;
  check(PetscObjectTypeCompare(reinterpret_cast<PetscObject>(tangent.get()), MATSEQAIJ, &is_sequential), "PetscObjectTypeCompare");
  if (n_ranks != 1 || !is_sequential) return;
  PetscInt n_rows = 0;
  const PetscInt* row_starts = nullptr;
  const PetscInt* columns = nullptr;
  PetscBool done = PETSC_FALSE;
  check(MatGetRowIJ(tangent.get(), 0, PETSC_FALSE, PETSC_FALSE, &n_rows, &row_starts, &columns, &done), "MatGetRowIJ");
  if (!done) return;
  const auto n = static_cast<std::size_t>(shape.n_dofs());
  tangent_positions.assign(nonlinear_elements.size() * n * n, -1);
  for (std::size_t k = 0; k < nonlinear_elements.size(); ++k) {
    const std::vector<PetscInt> rows = element_rows(nonlinear_elements[k]);
    for (std::size_t i = 0; i < n; ++i) {
      if (rows[i] < 0) continue;
      const PetscInt* first = columns + row_starts[rows[i]];
      const PetscInt* last = columns + row_starts[rows[i] + 1];
      for (std::size_t j = 0; j < n; ++j) {
        if (rows[j] < 0) continue;
        const PetscInt* at = std::lower_bound(first, last, rows[j]);
        if (at == last || *at != rows[j]) throw std::logic_error("wlpkit: the tangent's pattern lacks an entry of a nonlinear element");
        tangent_positions[(k * n + i) * n + j] = static_cast<PetscInt>(at - columns);
      }
    }
  }
  check(MatRestoreRowIJ(tangent.get(), 0, PETSC_FALSE, PETSC_FALSE, &n_rows, &row_starts, &columns, &done), "MatRestoreRowIJ");
}

// Rigid-body modes in equation space, orthonormalised: GAMG's near-null space (Adams, Bayraktar,
// Keyes & Tuminaro, IJNME 60 (2004)). Only built for LinearSolverKind::AmgGamg.
void ThermoMechanicalSolver::Impl::create_near_null_space() {
  if (options.linear.kind != LinearSolverKind::AmgGamg) return;
  std::array<detail::OwnedVec, 6> modes;
  std::array<Vec, 6> raw{};
  for (std::size_t mode = 0; mode < 6; ++mode) {
    detail::duplicate(displacement.get(), modes[mode]);
    raw[mode] = modes[mode].get();
    detail::VecWriter values(raw[mode]);
    for (PetscInt i = 0; i < values.size(); ++i) {
      const std::int64_t dof = dofs.representative_dof[static_cast<std::size_t>(dofs.first_equation + i)];
      const auto& x = mesh.nodes_m[static_cast<std::size_t>(dof / 3)];
      const int c = static_cast<int>(dof % 3);
      const std::array<std::array<double, 3>, 3> rotation{{{0, -x[2], x[1]}, {x[2], 0, -x[0]}, {-x[1], x[0], 0}}};  // ω × x
      values.data()[i] = mode < 3 ? (static_cast<int>(mode) == c ? 1.0 : 0.0) : rotation[mode - 3][static_cast<std::size_t>(c)];
    }
  }
  for (std::size_t mode = 0; mode < 6; ++mode) {  // Gram–Schmidt
    for (std::size_t previous = 0; previous < mode; ++previous) {
      PetscScalar dot = 0;
      check(VecDot(raw[mode], raw[previous], &dot), "VecDot");
      check(VecAXPY(raw[mode], -dot, raw[previous]), "VecAXPY");
    }
    check(VecNormalize(raw[mode], nullptr), "VecNormalize");
  }
  check(MatNullSpaceCreate(comm, PETSC_FALSE, 6, raw.data(), near_null_space.out()), "MatNullSpaceCreate");
  check(MatSetNearNullSpace(tangent.get(), near_null_space.get()), "MatSetNearNullSpace");
}

Voigt6 ThermoMechanicalSolver::Impl::thermal_strain(int material, double temperature) const {
  return laws[static_cast<std::size_t>(material)]->thermal_strain(temperature, options.stress_free_temperature_K);
}

}  // namespace wlp::fem
