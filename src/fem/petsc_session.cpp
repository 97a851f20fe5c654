#include "fem/petsc_session.h"

#include <petscsys.h>

#include <cstdlib>

namespace wlp::fem {

PetscSession::PetscSession() {
  PetscBool initialised = PETSC_FALSE;
  PetscInitialized(&initialised);
  if (!initialised) {
    const char* options = std::getenv("WLPKIT_PETSC_OPTIONS");
    // No argv: the CLI owns the command line; PETSc options come through the environment.
    if (PetscInitializeNoArguments() != 0) throw PetscError("PETSc failed to initialise");
    if (options != nullptr && PetscOptionsInsertString(nullptr, options) != 0)
      throw PetscError(std::string("WLPKIT_PETSC_OPTIONS not understood: ") + options);
    owns_ = true;
  }
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank_);
  MPI_Comm_size(PETSC_COMM_WORLD, &n_ranks_);
}

PetscSession::~PetscSession() {
  if (owns_) PetscFinalize();
}

}  // namespace wlp::fem
