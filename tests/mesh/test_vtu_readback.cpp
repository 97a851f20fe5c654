// The VTU writer read back by VTK itself (Debian python3-vtk9, /usr/bin/python3): counts,
// cell types, the material/joint/zone arrays and fields added by a caller survive the trip.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "mesh/mesh_test_models.h"
#include "mesh/package_mesh.h"
#include "mesh/vtu_export.h"
#include "support/test_support.h"

namespace wlp::mesh {
namespace {

// Prints: points cells distinct-cell-types material-max joint-max zone-max sum(u_z) sum(cell field)
constexpr const char* kReader = R"(
import sys, vtk
from vtk.util.numpy_support import vtk_to_numpy
r = vtk.vtkXMLUnstructuredGridReader(); r.SetFileName(sys.argv[1]); r.Update()
g = r.GetOutput()
types = sorted(set(g.GetCellType(i) for i in range(g.GetNumberOfCells())))
cd = g.GetCellData(); pd = g.GetPointData()
u = vtk_to_numpy(pd.GetArray("displacement")); w = vtk_to_numpy(cd.GetArray("dissipated_energy"))
print(g.GetNumberOfPoints(), g.GetNumberOfCells(), ",".join(map(str, types)),
      int(vtk_to_numpy(cd.GetArray("material")).max()), int(vtk_to_numpy(cd.GetArray("joint")).max()),
      int(vtk_to_numpy(cd.GetArray("joint_zone")).max()), repr(float(u[:, 2].sum())), repr(float(w.sum())))
)";

void expect_read_back(const Mesh& mesh, int vtk_type) {
  test::ScratchDir dir;
  VtuFields fields;
  VtuField u{"displacement", 3, {}};
  for (const auto& p : mesh.nodes_m) u.values.insert(u.values.end(), {p[0] * 1e-3, p[1] * 1e-3, p[2] * 1e-3});
  VtuField w{"dissipated_energy", 1, {}};
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) w.values.push_back(static_cast<double>(e));
  fields.point_data.push_back(u);
  fields.cell_data.push_back(w);
  write_vtu(mesh, dir.path() / "mesh.vtu", fields);
  const auto script = dir.write("read.py", kReader);
  const test::CliResult run = test::run_command(fmt::format("/usr/bin/python3 {} {}", test::quoted(script.string()),
                                                            test::quoted((dir.path() / "mesh.vtu").string())));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::istringstream out(run.out);
  std::size_t n_points = 0, n_cells = 0;
  std::string types;
  int material_max = 0, joint_max = 0, zone_max = 0;
  double uz_sum = 0, w_sum = 0;
  out >> n_points >> n_cells >> types >> material_max >> joint_max >> zone_max >> uz_sum >> w_sum;
  EXPECT_EQ(n_points, mesh.n_nodes());
  EXPECT_EQ(n_cells, mesh.n_elements());
  EXPECT_EQ(types, std::to_string(vtk_type));
  EXPECT_EQ(material_max, static_cast<int>(mesh.materials.size()) - 1);
  EXPECT_EQ(joint_max, static_cast<int>(mesh.joints.size()) - 1);
  EXPECT_EQ(zone_max, static_cast<int>(JointZone::BoardInterface));
  double uz_expected = 0;
  for (const auto& p : mesh.nodes_m) uz_expected += p[2] * 1e-3;
  EXPECT_NEAR(uz_sum, uz_expected, 1e-9 * std::abs(uz_expected));
  const double n = static_cast<double>(mesh.n_elements());
  EXPECT_DOUBLE_EQ(w_sum, n * (n - 1) / 2);  // Σ e for e < n
}

TEST(VtuExport, VtkReadsBackTheQuarterPackage) {
  const test::BuiltModel& built = test::built_small_b0(3, Symmetry::Quarter);
  MeshOptions options;
  options.symmetry = Symmetry::Quarter;
  expect_read_back(mesh_package(built.design, built.model, options).mesh, 12);  // VTK_HEXAHEDRON
}

TEST(VtuExport, VtkReadsBackQuadraticHexahedra) {
  const test::BuiltModel& built = test::built_cell("b0");
  expect_read_back(mesh_package(built.design, built.model, test::cell_options(1, ElementType::Hex20)).mesh, 25);
}

TEST(VtuExport, AFieldOfTheWrongSizeIsRefused) {
  const test::BuiltModel& built = test::built_cell("b0");
  const Mesh mesh = mesh_package(built.design, built.model, test::cell_options(1)).mesh;
  VtuFields fields;
  fields.cell_data.push_back(VtuField{"short", 1, std::vector<double>(mesh.n_elements() - 1, 0.0)});
  EXPECT_THROW(vtu_text(mesh, fields), std::invalid_argument);
}

}  // namespace
}  // namespace wlp::mesh
