#include "mesh/inp_export.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <stdexcept>

#include "design/atomic_file.h"

namespace wlp::mesh {

namespace {

constexpr double kMmPerM = 1e3, kMpaPerPa = 1e-6;

std::string set_name(const std::string& material) {
  std::string name = "M_";
  for (char c : material) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

/// Numbers of an id list, 16 per line (the Abaqus limit per data line).
void append_id_lines(std::string& out, const std::vector<std::size_t>& ids) {
  for (std::size_t i = 0; i < ids.size(); ++i)
    out += fmt::format("{}{}", ids[i] + 1, (i + 1) % 16 == 0 || i + 1 == ids.size() ? "\n" : ", ");
}

const InpMaterial& definition_of(const InpDeck& deck, const std::string& id) {
  const auto it =
      std::find_if(deck.materials.begin(), deck.materials.end(), [&](const InpMaterial& m) { return m.name == id; });
  if (it == deck.materials.end())
    throw std::invalid_argument(fmt::format("write_inp: no definition for mesh material '{}'", id));
  if (it->elastic.empty() && it->orthotropic_elastic.empty())
    throw std::invalid_argument(fmt::format("write_inp: material '{}' has no elastic rows", id));
  return *it;
}

void append_nodes(std::string& out, const Mesh& mesh) {
  out += "*NODE, NSET=NALL\n";
  for (std::size_t n = 0; n < mesh.n_nodes(); ++n) {
    const auto& p = mesh.nodes_m[n];
    out += fmt::format("{}, {:.12g}, {:.12g}, {:.12g}\n", n + 1, p[0] * kMmPerM, p[1] * kMmPerM, p[2] * kMmPerM);
  }
}

std::vector<std::vector<std::size_t>> elements_by_material(const Mesh& mesh) {
  std::vector<std::vector<std::size_t>> by(mesh.materials.size());
  for (std::size_t e = 0; e < mesh.n_elements(); ++e)
    by[static_cast<std::size_t>(mesh.material_of_element[e])].push_back(e);
  return by;
}

void append_elements(std::string& out, const Mesh& mesh, const InpDeck& deck) {
  const std::string& type = mesh.element_type == ElementType::Hex20 ? deck.hex20_type : deck.hex8_type;
  const int per = nodes_per_element(mesh.element_type);
  const auto by = elements_by_material(mesh);
  for (std::size_t m = 0; m < by.size(); ++m) {
    if (by[m].empty()) continue;
    out += fmt::format("*ELEMENT, TYPE={}, ELSET={}\n", type, set_name(mesh.materials[m]));
    for (std::size_t e : by[m]) {
      const std::int64_t* nodes = mesh.element_nodes(e);
      out += fmt::format("{}", e + 1);
      for (int i = 0; i < per; ++i)
        out += fmt::format(",{}{}", i == 15 ? "\n" : " ", nodes[i] + 1);  // ≤ 16 entries a line
      out += "\n";
    }
  }
  out += "*ELSET, ELSET=EALL\n";
  for (std::size_t m = 0; m < by.size(); ++m)
    if (!by[m].empty()) out += set_name(mesh.materials[m]) + "\n";
}

void append_joint_sets(std::string& out, const Mesh& mesh) {
  if (mesh.joint_of_element.size() != mesh.n_elements()) return;
  std::map<std::pair<int, JointZone>, std::vector<std::size_t>> sets;
  for (std::size_t e = 0; e < mesh.n_elements(); ++e)
    if (mesh.joint_of_element[e] >= 0) sets[{mesh.joint_of_element[e], mesh.joint_zone_of_element[e]}].push_back(e);
  for (const auto& [key, ids] : sets) {
    const char* zone = key.second == JointZone::DeviceInterface  ? "DEV"
                       : key.second == JointZone::BoardInterface ? "BRD"
                                                                 : "BULK";
    out += fmt::format("*ELSET, ELSET=J{}_{}\n", key.first + 1, zone);
    append_id_lines(out, ids);
  }
}

void append_elastic(std::string& out, const InpMaterial& m) {
  if (m.orthotropic_elastic.empty()) {
    out += "*ELASTIC\n";
    for (const InpElasticRow& r : m.elastic)
      out += fmt::format("{:.8g}, {:.8g}, {:.8g}\n", r.youngs_modulus_Pa * kMpaPerPa, r.poisson_ratio, r.temperature_K);
    return;
  }
  out += "*ELASTIC, TYPE=ENGINEERING CONSTANTS\n";  // E1 E2 E3 ν12 ν13 ν23 G12 G13 / G23 T
  for (const InpOrthotropicRow& r : m.orthotropic_elastic)
    out += fmt::format("{:.8g}, {:.8g}, {:.8g}, {:.8g}, {:.8g}, {:.8g}, {:.8g}, {:.8g}\n{:.8g}, {:.8g}\n", r.e1_Pa * kMpaPerPa,
                       r.e2_Pa * kMpaPerPa, r.e3_Pa * kMpaPerPa, r.nu12, r.nu13, r.nu23, r.g12_Pa * kMpaPerPa,
                       r.g13_Pa * kMpaPerPa, r.g23_Pa * kMpaPerPa, r.temperature_K);
}

void append_expansion(std::string& out, const InpMaterial& m, double zero_K) {
  if (!m.orthotropic_expansion.empty()) {
    out += fmt::format("*EXPANSION, TYPE=ORTHO, ZERO={:.8g}\n", zero_K);
    for (const InpOrthotropicExpansionRow& r : m.orthotropic_expansion)
      out += fmt::format("{:.8g}, {:.8g}, {:.8g}, {:.8g}\n", r.cte1_per_K, r.cte2_per_K, r.cte3_per_K, r.temperature_K);
  } else if (!m.expansion.empty()) {
    out += fmt::format("*EXPANSION, ZERO={:.8g}\n", zero_K);
    for (const InpExpansionRow& r : m.expansion) out += fmt::format("{:.8g}, {:.8g}\n", r.cte_per_K, r.temperature_K);
  }
}

void append_material(std::string& out, const InpMaterial& m, double zero_K) {
  out += fmt::format("*MATERIAL, NAME={}\n", m.name);
  append_elastic(out, m);
  append_expansion(out, m, zero_K);
  if (!m.kinematic_plastic.empty()) {
    out += "*PLASTIC, HARDENING=KINEMATIC\n";
    for (const InpPlasticRow& r : m.kinematic_plastic)
      out += fmt::format("{:.8g}, {:.8g}, {:.8g}\n", r.stress_Pa * kMpaPerPa, r.plastic_strain, r.temperature_K);
  }
  if (!m.norton_creep.empty()) {
    out += "*CREEP, LAW=NORTON\n";
    for (const InpNortonRow& r : m.norton_creep)  // σ in MPa: A·σ_Pa^n = A·1e6^n·σ_MPa^n
      out += fmt::format("{:.8g}, {:.8g}, {:.8g}, {:.8g}\n", r.a * std::pow(1e6, r.n), r.n, r.m, r.temperature_K);
  }
}

void append_materials(std::string& out, const Mesh& mesh, const InpDeck& deck) {
  const auto by = elements_by_material(mesh);
  for (std::size_t m = 0; m < mesh.materials.size(); ++m) {
    if (by[m].empty()) continue;
    const InpMaterial& def = definition_of(deck, mesh.materials[m]);
    append_material(out, def, deck.stress_free_temperature_K);
    out += fmt::format("*SOLID SECTION, ELSET={}, MATERIAL={}\n", set_name(mesh.materials[m]), def.name);
  }
}

void append_constraints(std::string& out, const Mesh& mesh) {
  std::set<std::pair<std::int64_t, int>> fixed;
  std::set<std::int64_t> nodes;
  for (const FixedDof& f : mesh.fixed_dofs) fixed.insert({f.node, f.component}), nodes.insert(f.node);
  if (!fixed.empty()) {
    out += "*NSET, NSET=NFIX\n";
    append_id_lines(out, std::vector<std::size_t>(nodes.begin(), nodes.end()));
    out += "*BOUNDARY\n";
    for (const auto& [node, component] : fixed)
      out += fmt::format("{}, {}, {}\n", node + 1, component + 1, component + 1);
  }
  // The diagonal plane x = y: its normal displacement vanishes, u_x − u_y = 0 (u_x eliminated).
  bool header = false;
  for (std::int64_t node : mesh.diagonal_nodes) {
    if (fixed.count({node, 0})) continue;
    if (!header) out += "*EQUATION\n", header = true;
    out += fmt::format("2\n{}, 1, 1., {}, 2, -1.\n", node + 1, node + 1);
  }
}

void append_temperatures(std::string& out, const InpDeck& deck) {
  if (deck.temperature_amplitude.empty()) throw std::invalid_argument("write_inp: the temperature amplitude is empty");
  out += fmt::format("*INITIAL CONDITIONS, TYPE=TEMPERATURE\nNALL, {:.8g}\n", deck.initial_temperature_K);
  out += "*AMPLITUDE, NAME=TEMPERATURE, TIME=TOTAL TIME\n";
  const auto& a = deck.temperature_amplitude;
  for (std::size_t i = 0; i < a.size(); ++i)
    out +=
        fmt::format("{:.8g}, {:.8g}{}", a[i].first, a[i].second, (i + 1) % 4 == 0 || i + 1 == a.size() ? "\n" : ", ");
}

void append_outputs(std::string& out, const Mesh& mesh, const InpOutputs& o) {
  if (o.print_displacements) out += "*NODE PRINT, NSET=NALL\nU\n";
  if (o.print_reaction_totals && !mesh.fixed_dofs.empty()) out += "*NODE PRINT, NSET=NFIX, TOTALS=ONLY\nRF\n";
  if (o.print_stresses) out += "*EL PRINT, ELSET=EALL\nS\n";
  if (o.print_volume_total) out += "*EL PRINT, ELSET=EALL, TOTALS=ONLY\nEVOL\n";
  if (o.write_result_file) out += "*NODE FILE\nU\n*EL FILE\nS, E\n";
}

void append_step(std::string& out, const Mesh& mesh, const InpDeck& deck, const InpStep& step) {
  out += fmt::format("*STEP, INC=1000000{}\n", step.nonlinear_geometry ? ", NLGEOM" : "");
  if (step.procedure == InpProcedure::Visco)
    out += fmt::format("*VISCO, CETOL={:.6g}\n", step.creep_tolerance);
  else
    out += "*STATIC\n";
  out += fmt::format("{:.8g}, {:.8g}, {:.8g}, {:.8g}\n", step.initial_increment_s, step.period_s, step.min_increment_s,
                     step.max_increment_s);
  out += "*TEMPERATURE, AMPLITUDE=TEMPERATURE\nNALL, 1.\n";
  append_outputs(out, mesh, deck.outputs);
  out += "*END STEP\n";
}

}  // namespace

std::string inp_text(const Mesh& mesh, const InpDeck& deck) {
  if (deck.steps.empty()) throw std::invalid_argument("write_inp: the deck has no steps");
  std::string out =
      fmt::format("*HEADING\n{}\n** units: mm, N, MPa, s, K (wlpkit mesh: {} nodes, {} elements, {} symmetry)\n",
                  deck.heading, mesh.n_nodes(), mesh.n_elements(), to_string(mesh.symmetry));
  append_nodes(out, mesh);
  append_elements(out, mesh, deck);
  append_joint_sets(out, mesh);
  append_materials(out, mesh, deck);
  append_constraints(out, mesh);
  append_temperatures(out, deck);
  for (const InpStep& step : deck.steps) append_step(out, mesh, deck, step);
  return out;
}

void write_inp(const Mesh& mesh, const InpDeck& deck, const std::filesystem::path& path) {
  design::write_file_atomically(path, inp_text(mesh, deck));
}

}  // namespace wlp::mesh
