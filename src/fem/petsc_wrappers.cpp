#include "fem/petsc_wrappers.h"

#include <string>

namespace wlp::fem::detail {

void check(PetscErrorCode code, const char* what) {
  if (code == 0) return;
  const char* text = nullptr;
  PetscErrorMessage(code, &text, nullptr);
  throw PetscError(std::string(what) + ": " + (text != nullptr ? text : "PETSc error") + " (code " + std::to_string(code) + ")");
}

void duplicate(Vec model, OwnedVec& out) {
  check(VecDuplicate(model, out.out()), "VecDuplicate");
  check(VecSetOption(out.get(), VEC_IGNORE_NEGATIVE_INDICES, PETSC_TRUE), "VecSetOption(VEC_IGNORE_NEGATIVE_INDICES)");
}

VecReader::VecReader(Vec vec) : vec_(vec) {
  check(VecGetLocalSize(vec_, &size_), "VecGetLocalSize");
  check(VecGetArrayRead(vec_, &data_), "VecGetArrayRead");
}
VecReader::~VecReader() { VecRestoreArrayRead(vec_, &data_); }

VecWriter::VecWriter(Vec vec) : vec_(vec) {
  check(VecGetLocalSize(vec_, &size_), "VecGetLocalSize");
  check(VecGetArray(vec_, &data_), "VecGetArray");
}
VecWriter::~VecWriter() { VecRestoreArray(vec_, &data_); }

}  // namespace wlp::fem::detail
