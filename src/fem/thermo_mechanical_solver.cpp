#include "fem/thermo_mechanical_solver.h"

#include "fem/solver_impl.h"

namespace wlp::fem {

ThermoMechanicalSolver::ThermoMechanicalSolver(const mesh::Mesh& mesh, std::vector<std::shared_ptr<const MaterialLaw>> law_of_material,
                                               SolverOptions options, std::vector<PrescribedDisplacement> prescribed) {
  // PETSc reports failures through return codes only: the library never prints.
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  try {
    impl_ = std::make_unique<Impl>(mesh, std::move(law_of_material), options, std::move(prescribed));
  } catch (...) {
    PetscPopErrorHandler();
    throw;
  }
}

ThermoMechanicalSolver::~ThermoMechanicalSolver() {
  impl_.reset();
  PetscPopErrorHandler();
}

ElasticSolution ThermoMechanicalSolver::solve_elastic(double temperature_K) { return impl_->solve_elastic(temperature_K); }

RunSummary ThermoMechanicalSolver::run(const TemperatureHistory& history, double end_time_s, const IncrementObserver& observer) {
  return impl_->run(history, end_time_s, observer);
}

double ThermoMechanicalSolver::time_s() const { return impl_->time_s; }
double ThermoMechanicalSolver::temperature_K() const { return impl_->temperature_K; }

std::vector<std::array<double, 3>> ThermoMechanicalSolver::nodal_displacements_m() const {
  return impl_->gather_displacements(impl_->displacement.get());
}

ElementResults ThermoMechanicalSolver::element_results() const { return impl_->current_element_results(); }

const SolverStatistics& ThermoMechanicalSolver::statistics() const {
  SolverStatistics& statistics = impl_->statistics;
  const detail::LinearSolverCounters& counters = impl_->linear_solver->counters();
  statistics.n_factorizations = counters.n_factorizations;
  statistics.n_linear_solves = counters.n_solves;
  statistics.n_krylov_iterations = counters.n_krylov_iterations;
  statistics.factorization_time_s = counters.factorization_time_s;
  statistics.solve_time_s = counters.solve_time_s;
  return statistics;
}

void ThermoMechanicalSolver::save_checkpoint(const std::filesystem::path& path) { impl_->save_checkpoint(path); }
void ThermoMechanicalSolver::load_checkpoint(const std::filesystem::path& path) { impl_->load_checkpoint(path); }

int ThermoMechanicalSolver::rank() const { return impl_->rank; }
int ThermoMechanicalSolver::n_ranks() const { return impl_->n_ranks; }
std::int64_t ThermoMechanicalSolver::n_equations() const { return impl_->dofs.n_equations; }

}  // namespace wlp::fem
