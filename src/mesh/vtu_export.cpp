#include "mesh/vtu_export.h"

#include <fmt/format.h>

#include <stdexcept>

#include "design/atomic_file.h"

namespace wlp::mesh {

namespace {

constexpr int kVtkHexahedron = 12, kVtkQuadraticHexahedron = 25;

void check_size(const VtuField& field, std::size_t n_items, const char* kind) {
  if (field.n_components < 1 || field.values.size() != n_items * static_cast<std::size_t>(field.n_components))
    throw std::invalid_argument(fmt::format("write_vtu: {} field '{}' has {} values, expected {} {} x {} components",
                                            kind, field.name, field.values.size(), n_items, kind, field.n_components));
}

void append_field(std::string& out, const VtuField& field) {
  out += fmt::format("        <DataArray type=\"Float64\" Name=\"{}\" NumberOfComponents=\"{}\" format=\"ascii\">\n",
                     field.name, field.n_components);
  for (std::size_t i = 0; i < field.values.size(); ++i)
    out += fmt::format("{:.10g}{}", field.values[i],
                       (i + 1) % static_cast<std::size_t>(field.n_components) == 0 ? "\n" : " ");
  out += "        </DataArray>\n";
}

/// One integer per element; `fallback` for every element when the mesh leaves the array empty.
template <typename T>
void append_ints(std::string& out, const char* name, const std::vector<T>& values, std::size_t n, int fallback) {
  out += fmt::format("        <DataArray type=\"Int32\" Name=\"{}\" format=\"ascii\">\n", name);
  for (std::size_t i = 0; i < n; ++i)
    out += fmt::format("{}{}", i < values.size() ? static_cast<int>(values[i]) : fallback,
                       (i + 1) % 16 == 0 || i + 1 == n ? "\n" : " ");
  out += "        </DataArray>\n";
}

void append_points(std::string& out, const Mesh& mesh) {
  out += "      <Points>\n        <DataArray type=\"Float64\" NumberOfComponents=\"3\" format=\"ascii\">\n";
  for (const auto& p : mesh.nodes_m) out += fmt::format("{:.12g} {:.12g} {:.12g}\n", p[0], p[1], p[2]);
  out += "        </DataArray>\n      </Points>\n";
}

void append_cells(std::string& out, const Mesh& mesh) {
  const int per = nodes_per_element(mesh.element_type);
  out += "      <Cells>\n        <DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n";
  for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
    const std::int64_t* nodes = mesh.element_nodes(e);
    for (int i = 0; i < per; ++i) out += fmt::format("{}{}", nodes[i], i + 1 == per ? "\n" : " ");
  }
  out += "        </DataArray>\n        <DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
  for (std::size_t e = 1; e <= mesh.n_elements(); ++e)
    out += fmt::format("{}{}", e * static_cast<std::size_t>(per), e % 16 == 0 ? "\n" : " ");
  out += "\n        </DataArray>\n        <DataArray type=\"UInt8\" Name=\"types\" format=\"ascii\">\n";
  const int type = mesh.element_type == ElementType::Hex20 ? kVtkQuadraticHexahedron : kVtkHexahedron;
  for (std::size_t e = 1; e <= mesh.n_elements(); ++e) out += fmt::format("{}{}", type, e % 32 == 0 ? "\n" : " ");
  out += "\n        </DataArray>\n      </Cells>\n";
}

}  // namespace

std::string vtu_text(const Mesh& mesh, const VtuFields& fields) {
  for (const VtuField& f : fields.point_data) check_size(f, mesh.n_nodes(), "point");
  for (const VtuField& f : fields.cell_data) check_size(f, mesh.n_elements(), "cell");
  std::string out = "<?xml version=\"1.0\"?>\n<!-- wlpkit mesh; material ids:";
  for (std::size_t i = 0; i < mesh.materials.size(); ++i) out += fmt::format(" {}={}", i, mesh.materials[i]);
  out +=
      " -->\n<VTKFile type=\"UnstructuredGrid\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n";
  out += fmt::format("  <UnstructuredGrid>\n    <Piece NumberOfPoints=\"{}\" NumberOfCells=\"{}\">\n", mesh.n_nodes(),
                     mesh.n_elements());
  append_points(out, mesh);
  append_cells(out, mesh);
  out += "      <PointData>\n";
  for (const VtuField& f : fields.point_data) append_field(out, f);
  out += "      </PointData>\n      <CellData>\n";
  append_ints(out, "material", mesh.material_of_element, mesh.n_elements(), 0);
  append_ints(out, "joint", mesh.joint_of_element, mesh.n_elements(), -1);
  append_ints(out, "joint_zone", mesh.joint_zone_of_element, mesh.n_elements(), 0);
  for (const VtuField& f : fields.cell_data) append_field(out, f);
  out += "      </CellData>\n    </Piece>\n  </UnstructuredGrid>\n</VTKFile>\n";
  return out;
}

void write_vtu(const Mesh& mesh, const std::filesystem::path& path, const VtuFields& fields) {
  design::write_file_atomically(path, vtu_text(mesh, fields));
}

}  // namespace wlp::mesh
