// The layered test-block mesher (mesh/block_mesh.h): counts, supports and volume.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "fem_test_support.h"
#include "mesh/block_mesh.h"

namespace wlp::mesh {
namespace {

BlockMeshSpec two_layers(ElementType type) {
  BlockMeshSpec spec;
  spec.length_x_m = 3e-3;
  spec.length_y_m = 2e-3;
  spec.n_x = 3;
  spec.n_y = 2;
  spec.grading_x = 2.0;
  spec.layers = {{0.5e-3, 0, 2, 1.0}, {0.25e-3, 1, 1, 1.0}};
  spec.materials = {"a", "b"};
  spec.element_type = type;
  spec.distortion = 0.25;
  return spec;
}

TEST(BlockMesh, hex8_and_hex20_node_and_element_counts_follow_the_lattice) {
  const Mesh hex8 = make_block_mesh(two_layers(ElementType::Hex8));
  EXPECT_EQ(hex8.n_elements(), 3u * 2u * 3u);
  EXPECT_EQ(hex8.n_nodes(), 4u * 3u * 4u);  // (nx+1)(ny+1)(nz+1)
  const Mesh hex20 = make_block_mesh(two_layers(ElementType::Hex20));
  // corners + x-edge, y-edge and z-edge midpoints
  EXPECT_EQ(hex20.n_nodes(), 4u * 3u * 4u + 3u * 3u * 4u + 4u * 2u * 4u + 4u * 3u * 3u);
  EXPECT_EQ(hex20.connectivity.size(), 20u * hex20.n_elements());
  EXPECT_EQ(std::count(hex8.material_of_element.begin(), hex8.material_of_element.end(), 1), 6);
  EXPECT_EQ(boundary_nodes(hex8).size(), hex8.n_nodes() - 2u * 1u * 2u);  // all but the (nx−1)(ny−1)(nz−1) interior nodes
}

TEST(BlockMesh, a_full_block_has_a_statically_determinate_support_and_a_quarter_plate_its_symmetry_planes) {
  EXPECT_EQ(make_block_mesh(two_layers(ElementType::Hex8)).fixed_dofs.size(), 6u);  // 3-2-1
  BlockMeshSpec quarter = two_layers(ElementType::Hex8);
  quarter.symmetric_at_x0 = quarter.symmetric_at_y0 = true;
  const Mesh mesh = make_block_mesh(quarter);
  EXPECT_EQ(mesh.symmetry, Symmetry::Quarter);
  EXPECT_EQ(mesh.fixed_dofs.size(), 3u * 4u + 4u * 4u + 1u);  // x = 0 plane, y = 0 plane, u_z at the origin
  for (const FixedDof& fixed : mesh.fixed_dofs)
    if (fixed.component < 2) {
      EXPECT_EQ(mesh.nodes_m[static_cast<std::size_t>(fixed.node)][static_cast<std::size_t>(fixed.component)], 0.0);
    }
}

// Distortion moves interior nodes only: the elements still fill the box exactly.
TEST(BlockMesh, distorted_elements_fill_the_box_volume_exactly) {
  fem::test::ensure_petsc();
  for (ElementType type : {ElementType::Hex8, ElementType::Hex20}) {
    const Mesh mesh = make_block_mesh(two_layers(type));
    fem::ThermoMechanicalSolver solver(mesh, {fem::test::elastic(1e9, 0.3, 0), fem::test::elastic(2e9, 0.3, 0)},
                                       fem::test::options_with(fem::default_formulation(type)));
    const fem::ElementResults results = solver.element_results();
    const double volume = std::accumulate(results.volume_m3.begin(), results.volume_m3.end(), 0.0);
    EXPECT_NEAR(volume, 3e-3 * 2e-3 * 0.75e-3, 1e-12 * 3e-3 * 2e-3 * 0.75e-3);
  }
}

TEST(BlockMesh, invalid_specifications_are_refused) {
  BlockMeshSpec spec = two_layers(ElementType::Hex8);
  spec.distortion = 0.5;
  EXPECT_THROW(make_block_mesh(spec), std::invalid_argument);
  spec = two_layers(ElementType::Hex8);
  spec.layers[1].material = 2;
  EXPECT_THROW(make_block_mesh(spec), std::invalid_argument);
}

}  // namespace
}  // namespace wlp::mesh
