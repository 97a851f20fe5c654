// PETSc (and MPI) for the lifetime of one object: the CLI makes one before the first FE solve.
// One process needs no MPI set-up from the user; under `mpirun -n N` every rank makes one.
#pragma once

#include <stdexcept>
#include <string>

namespace wlp::fem {

/// A failed PETSc call, with PETSc's message.
class PetscError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class PetscSession {
 public:
  /// Initialises PETSc (and MPI) unless already done; PETSc options come from the
  /// WLPKIT_PETSC_OPTIONS environment variable (e.g. "-ksp_view"), never from argv.
  PetscSession();
  ~PetscSession();
  PetscSession(const PetscSession&) = delete;
  PetscSession& operator=(const PetscSession&) = delete;

  [[nodiscard]] int rank() const { return rank_; }
  [[nodiscard]] int n_ranks() const { return n_ranks_; }

 private:
  bool owns_ = false;
  int rank_ = 0, n_ranks_ = 1;
};

}  // namespace wlp::fem
