// Typed errors of the FE engine (PetscError lives in petsc_session.h, LawError in laws/).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace wlp::fem {

/// Newton (or the linear solver inside it) did not converge after the allowed cutbacks. The
/// solver keeps every finished increment: its state is the last converged one.
class ConvergenceError : public std::runtime_error {
 public:
  struct Where {
    int increment = 0;              // the increment that failed (1-based, counted over the solver's life)
    double start_time_s = 0;        // the last converged time
    double time_s = 0;              // the end time of the last attempt
    double temperature_K = 0;       // the temperature at that time
    std::int64_t worst_element = -1;  // mesh element with the largest residual, or whose law failed
  };
  ConvergenceError(const std::string& what, Where where) : std::runtime_error(what), where_(where) {}
  [[nodiscard]] const Where& where() const { return where_; }

 private:
  Where where_;
};

/// A checkpoint that cannot be written, read, or does not fit the solver's mesh and laws.
class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wlp::fem
