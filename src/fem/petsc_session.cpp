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

// Debian's PETSc calls the threaded OpenBLAS. Under MPI the ranks fill the cores: one BLAS
// thread per rank (MUMPS's triangular solves with more spun in sched_yield and took the cores of
// the other ranks). One process keeps OpenBLAS's threads (one per core) when their idle spin is
// short (OPENBLAS_THREAD_TIMEOUT, set by configure_blas_at_start, fem/blas_start.h): the
// triangular solves of the frozen factor, most of a run's solve time, are bound by memory
// bandwidth and ran 25-30 % faster on two cores, and the idle workers then leave the cores to
// the element threads. With OpenBLAS's default spin (≈ 0.1 s after every call) they took them
// (B0, 40 increments: 17.8 s of system time, the element loops 35 % slower), so a process that
// did not set the spin (a test program) keeps one thread (bench/RESULTS.md, "FE"). A user's
// OPENBLAS_NUM_THREADS is kept. Looked up at run time: the BLAS behind the alternatives link may
// not be OpenBLAS.
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
  }
  MPI_Comm_rank(PETSC_COMM_WORLD, &rank_);
  MPI_Comm_size(PETSC_COMM_WORLD, &n_ranks_);
  const bool short_spin = std::getenv("OPENBLAS_THREAD_TIMEOUT") != nullptr || std::getenv("GOTO_THREAD_TIMEOUT") != nullptr;
  if (owns_ && (n_ranks_ > 1 || !short_spin)) use_one_blas_thread();
}

PetscSession::~PetscSession() {
  if (!owns_) return;
  const LeakCheckPause pause;
  PetscFinalize();
}

}  // namespace wlp::fem
