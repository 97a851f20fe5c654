#include "ccx_test_models.h"

#include <algorithm>
#include <stdexcept>

#include "fem/laws/law_factory.h"
#include "layout/die_layout.h"
#include "process/build.h"
#include "support/test_support.h"

namespace wlp::fem::test {

namespace {

struct BuiltCell {
  design::Design design;
  process::WaferModel model;
  mesh::PackageMesh mesh;
};

/// As tests/mesh/mesh_test_models.cpp builds a unit cell: the window of the first bump site's
/// cell at 1 µm resolution, meshed without symmetry.
std::unique_ptr<BuiltCell> build_b0_cell() {
  design::Design design = wlp::test::load(wlp::test::source_dir() / "examples" / "b0.toml");
  const layout::DieLayout layout = layout::build_die_layout(design);
  const process::CutLine cut = process::default_cut(design, layout);
  process::WaferModel model =
      process::make_model(design, layout, process::build_window(design, layout, cut, process::WindowKind::Cell));
  process::BuildOptions build;
  build.resolution = 1000;
  build.window = process::WindowKind::Cell;
  process::run_recipe(model, design, layout, build, nullptr);
  mesh::MeshOptions options;
  options.extent = mesh::MeshExtent::BuiltWindow;
  options.symmetry = mesh::Symmetry::Full;
  options.refinement = 1;
  options.element_type = mesh::ElementType::Hex8;
  mesh::PackageMesh meshed = mesh::mesh_package(design, model, options);
  return std::make_unique<BuiltCell>(BuiltCell{std::move(design), std::move(model), std::move(meshed)});
}

const BuiltCell& b0_cell() {
  static const std::unique_ptr<BuiltCell> cell = build_b0_cell();
  return *cell;
}

}  // namespace

const mesh::PackageMesh& b0_cell_mesh() { return b0_cell().mesh; }
const design::Design& b0_design() { return b0_cell().design; }
const process::WaferModel& b0_built_model() { return b0_cell().model; }

std::vector<std::shared_ptr<const MaterialLaw>> elastic_laws_at_25C(const mesh::Mesh& mesh) {
  std::vector<std::shared_ptr<const MaterialLaw>> laws;
  for (const std::string& id : mesh.materials) {
    const design::Material* material = b0_design().material(id);
    if (material == nullptr) throw std::invalid_argument("no material '" + id + "' in the b0 design");
    IsotropicElasticData data;
    data.youngs_modulus_Pa = TemperatureTable::constant(material->property("youngs_modulus")->nominal());
    data.poisson_ratio = material->property("poisson_ratio")->nominal();
    data.cte_per_K = table_of(*material->property("cte"));
    laws.push_back(std::make_shared<IsotropicElastic>(data));
  }
  return laws;
}

std::vector<std::shared_ptr<const MaterialLaw>> with_law(std::vector<std::shared_ptr<const MaterialLaw>> laws, const mesh::Mesh& mesh,
                                                        const std::string& solder, std::shared_ptr<const MaterialLaw> law) {
  laws[static_cast<std::size_t>(material_index(mesh, solder))] = std::move(law);
  return laws;
}

int material_index(const mesh::Mesh& mesh, const std::string& id) {
  const auto it = std::find(mesh.materials.begin(), mesh.materials.end(), id);
  if (it == mesh.materials.end()) throw std::invalid_argument("the mesh has no material '" + id + "'");
  return static_cast<int>(it - mesh.materials.begin());
}

}  // namespace wlp::fem::test
