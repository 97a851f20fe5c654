// The error the mesher throws when a design or a built model cannot be meshed as asked: an
// asymmetric array for a symmetric model, a build window that misses part of the package, a
// joint that would touch its neighbour, an interconnect the mesher does not model. The message
// names the numbers and what to change.
#pragma once

#include <stdexcept>

namespace wlp::mesh {

class MeshError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wlp::mesh
