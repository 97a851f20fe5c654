#include "fem/petsc_session.h"

#include <petscsys.h>

#include <cstdlib>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace wlp::fem {
namespace {

// MPI and PETSc keep process-lifetime tables they never free (communicator and op tables,
// option strings). LeakSanitizer would report them at exit of every sanitised run that starts
// PETSc; allocations made while initialising and finalising are therefore not leak-checked.
// Everything wlpkit allocates between the two still is.
struct LeakCheckPause {
#if defined(__SANITIZE_ADDRESS__)
  LeakCheckPause() { __lsan_disable(); }
  ~LeakCheckPause() { __lsan_enable(); }
#else
  LeakCheckPause() {}  // user-provided, so the guard object is not reported as unused
#endif
  LeakCheckPause(const LeakCheckPause&) = delete;
  LeakCheckPause& operator=(const LeakCheckPause&) = delete;
};

}  // namespace

PetscSession::PetscSession() {
  PetscBool initialised = PETSC_FALSE;
  PetscInitialized(&initialised);
  if (!initialised) {
    const char* options = std::getenv("WLPKIT_PETSC_OPTIONS");
    // No argv: the CLI owns the command line; PETSc options come through the environment.
    const LeakCheckPause pause;
    if (PetscInitializeNoArguments() != 0) throw PetscError("PETSc failed to initialise");
    if (options != nullptr && PetscOptionsInsertString(nullptr, options) != 0)
      throw PetscError(std::string("WLPKIT_PETSC_OPTIONS not understood: ") + options);
    owns_ = true;
  }
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank_);
  MPI_Comm_size(PETSC_COMM_WORLD, &n_ranks_);
}

PetscSession::~PetscSession() {
  if (!owns_) return;
  const LeakCheckPause pause;
  PetscFinalize();
}

}  // namespace wlp::fem
