#include "fem/petsc_session.h"

#include <petscsys.h>

#include <dlfcn.h>

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

// Debian's PETSc calls the threaded OpenBLAS. Inside the direct solvers' triangular solves its
// worker threads spin (sched_yield) between the many small dense blocks and take the cores from
// the element threads: on B0 (60 k DOF, 25 increments) one BLAS thread cut the wall time from
// 60 to 53 s and the system time from 43 to 0.5 s, and the factorization got no slower
// (bench/RESULTS.md, "FE"). A user's OPENBLAS_NUM_THREADS is kept. Looked up at run time: the
// BLAS behind the alternatives link may not be OpenBLAS.
void use_one_blas_thread() {
  if (std::getenv("OPENBLAS_NUM_THREADS") != nullptr) return;
  using SetThreadCount = void (*)(int);
  if (void* symbol = dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))
    reinterpret_cast<SetThreadCount>(symbol)(1);
}

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
    use_one_blas_thread();
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
