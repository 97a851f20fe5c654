#include "fem/blas_start.h"

#include <dlfcn.h>
#include <strings.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace wlp::fem {

const char* blas_core_for_this_cpu() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq"))
    return "SkylakeX";
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
  return nullptr;
}

namespace {

// Looked up at run time: the BLAS behind Debian's alternatives link may not be OpenBLAS.
template <typename Function>
Function openblas_function(const char* name) {
  return reinterpret_cast<Function>(dlsym(RTLD_DEFAULT, name));
}

// OPENBLAS_CORETYPE when OpenBLAS fell back to its generic kernels on a CPU it could serve better.
bool set_core_type() {
  if (std::getenv("OPENBLAS_CORETYPE") != nullptr) return false;
  const auto core_name = openblas_function<char* (*)()>("openblas_get_corename");
  const char* loaded = core_name != nullptr ? core_name() : nullptr;
  if (loaded == nullptr || strcasecmp(loaded, "Prescott") != 0) return false;  // OpenBLAS knew this CPU
  const char* wanted = blas_core_for_this_cpu();
  return wanted != nullptr && setenv("OPENBLAS_CORETYPE", wanted, 0) == 0;
}

// OPENBLAS_THREAD_TIMEOUT for OpenBLAS's own threads (its pthreads build: openblas_get_parallel 1).
bool set_thread_timeout() {
  if (std::getenv("OPENBLAS_THREAD_TIMEOUT") != nullptr || std::getenv("GOTO_THREAD_TIMEOUT") != nullptr) return false;
  const auto parallel = openblas_function<int (*)()>("openblas_get_parallel");
  if (parallel == nullptr || parallel() != 1) return false;
  return setenv("OPENBLAS_THREAD_TIMEOUT", std::to_string(blas_thread_timeout_log2_cycles).c_str(), 0) == 0;
}

}  // namespace

void configure_blas_at_start(char** argv) {
  if (argv == nullptr || argv[0] == nullptr) return;
  const bool core_set = set_core_type();
  const bool timeout_set = set_thread_timeout();
  if (!core_set && !timeout_set) return;
  execv("/proc/self/exe", argv);  // returns only on failure: go on with OpenBLAS's defaults
  if (core_set) unsetenv("OPENBLAS_CORETYPE");
  if (timeout_set) unsetenv("OPENBLAS_THREAD_TIMEOUT");
}

}  // namespace wlp::fem
