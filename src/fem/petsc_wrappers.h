// RAII for the PETSc objects of the FE engine, and the check that turns a failed PETSc call into
// a PetscError (internal to the FE engine; only its .cpp files include PETSc).
#pragma once

#include <petscksp.h>

#include "fem/petsc_session.h"

namespace wlp::fem::detail {

/// Throws PetscError "`what`: PETSc's message (code N)" when `code` is not 0.
void check(PetscErrorCode code, const char* what);

/// Owns one PETSc object and destroys it with `destroy` (PETSc's XxxDestroy).
template <typename Object, PetscErrorCode (*destroy)(Object*)>
class Owned {
 public:
  Owned() = default;
  ~Owned() { reset(); }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&& other) noexcept : object_(other.object_) { other.object_ = nullptr; }
  Owned& operator=(Owned&& other) noexcept {
    if (this != &other) {
      reset();
      object_ = other.object_;
      other.object_ = nullptr;
    }
    return *this;
  }
  void reset() {
    if (object_ != nullptr) destroy(&object_);
    object_ = nullptr;
  }
  [[nodiscard]] Object get() const { return object_; }
  Object* out() {  // for PETSc's XxxCreate(…, &object)
    reset();
    return &object_;
  }
  explicit operator bool() const { return object_ != nullptr; }

 private:
  Object object_ = nullptr;
};

using OwnedVec = Owned<Vec, VecDestroy>;
using OwnedMat = Owned<Mat, MatDestroy>;
using OwnedKsp = Owned<KSP, KSPDestroy>;
using OwnedScatter = Owned<VecScatter, VecScatterDestroy>;
using OwnedIs = Owned<IS, ISDestroy>;
using OwnedNullSpace = Owned<MatNullSpace, MatNullSpaceDestroy>;

/// A new vector of `model`'s layout that ignores negative (constrained) indices in VecSetValues.
void duplicate(Vec model, OwnedVec& out);

/// Read access to a Vec's local values for the lifetime of the object.
class VecReader {
 public:
  explicit VecReader(Vec vec);
  ~VecReader();
  VecReader(const VecReader&) = delete;
  VecReader& operator=(const VecReader&) = delete;
  [[nodiscard]] const PetscScalar* data() const { return data_; }
  [[nodiscard]] PetscInt size() const { return size_; }

 private:
  Vec vec_;
  const PetscScalar* data_ = nullptr;
  PetscInt size_ = 0;
};

/// Write access to a Vec's local values.
class VecWriter {
 public:
  explicit VecWriter(Vec vec);
  ~VecWriter();
  VecWriter(const VecWriter&) = delete;
  VecWriter& operator=(const VecWriter&) = delete;
  [[nodiscard]] PetscScalar* data() const { return data_; }
  [[nodiscard]] PetscInt size() const { return size_; }

 private:
  Vec vec_;
  PetscScalar* data_ = nullptr;
  PetscInt size_ = 0;
};

}  // namespace wlp::fem::detail
