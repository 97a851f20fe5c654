// Names of the FE option values (design/analyses.h).
#include "design/analyses.h"

namespace wlp::design {
namespace {

template <typename Option, std::size_t N>
std::string name_in(const std::array<std::pair<std::string_view, Option>, N>& names, Option value) {
  for (const auto& [name, option] : names)
    if (option == value) return std::string(name);
  return "?";
}

}  // namespace

std::string to_string(ModelSymmetry symmetry) { return name_in(kModelSymmetryNames, symmetry); }
std::string to_string(ElementKind element) { return name_in(kElementKindNames, element); }
std::string to_string(SolderLaw law) { return name_in(kSolderLawNames, law); }
std::string to_string(LinearSolver solver) { return name_in(kLinearSolverNames, solver); }

}  // namespace wlp::design
