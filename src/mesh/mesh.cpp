#include "mesh/mesh.h"

namespace wlp::mesh {

int nodes_per_element(ElementType type) { return type == ElementType::Hex8 ? 8 : 20; }

std::string to_string(Symmetry symmetry) {
  switch (symmetry) {
    case Symmetry::Full: return "full";
    case Symmetry::Quarter: return "quarter";
    case Symmetry::Eighth: return "eighth";
  }
  return "full";
}

}  // namespace wlp::mesh
