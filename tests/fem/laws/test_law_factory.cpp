// make_material_law on the materials the bundled examples use: each gets the law the factory
// promises (docs/constitutive-laws.md), with the data or the stated defaults, and a material
// missing a key throws an error naming the material and the key.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "fem/laws/anand_viscoplastic.h"
#include "fem/laws/bilinear_kinematic.h"
#include "fem/laws/garofalo_creep_plasticity.h"
#include "fem/laws/law_factory.h"
#include "fem/laws/norton_creep.h"
#include "fem/laws/orthotropic_elastic.h"
#include "law_test_support.h"
#include "support/test_support.h"

namespace wlp::fem {
namespace {

// Every quoted word of examples/**/*.toml that is a material id of the library.
std::set<std::string> materials_used_by_examples() {
  std::set<std::string> used;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(wlp::test::source_dir() / "examples")) {
    if (entry.path().extension() != ".toml") continue;
    std::ifstream stream(entry.path());
    std::stringstream text;
    text << stream.rdbuf();
    const std::string content = text.str();
    // Each "word" between double quotes (no std::regex: GCC 12 under the sanitizers warns inside it).
    for (std::size_t open = content.find('"'); open != std::string::npos; open = content.find('"', open + 1)) {
      const std::size_t close = content.find('"', open + 1);
      if (close == std::string::npos) break;
      const std::string word = content.substr(open + 1, close - open - 1);
      const bool is_word = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
      });
      if (is_word && fem::test::library().find(word)) used.insert(word);
      open = close;
    }
  }
  return used;
}

// The law the factory must pick with default options ("throws youngs_modulus": the material has
// no Young's modulus, it is a process-only or barrier material that never enters an FE model).
const std::map<std::string, std::string> kExpectedLaw{
    {"Si", "isotropic elastic"},         {"SiO2_PECVD", "isotropic elastic"},
    {"Si3N4_PECVD", "isotropic elastic"}, {"Al", "bilinear kinematic plasticity"},
    {"AlCu", "bilinear kinematic plasticity"}, {"Cu_ED", "bilinear kinematic plasticity"},
    {"Cu_foil", "isotropic elastic"},    {"Au", "isotropic elastic"},
    {"Ni", "bilinear kinematic plasticity"},
    {"NiP", "bilinear kinematic plasticity"}, {"Ti", "isotropic elastic"},
    {"TiW", "isotropic elastic"},        {"TaN", "throws youngs_modulus"},
    {"SAC305", "Anand viscoplastic"},    {"Sn63Pb37", "Anand viscoplastic"},
    {"HD4100", "isotropic elastic"},     {"PI2611", "isotropic elastic"},
    {"PI2730", "isotropic elastic"},     {"BCB", "isotropic elastic"},
    {"buffer_resin", "isotropic elastic"}, {"epoxy_unfilled", "isotropic elastic"},
    {"Ag_epoxy", "isotropic elastic"},   {"DVB", "isotropic elastic"},
    {"FR4_370HR", "orthotropic elastic"}, {"photoresist", "throws youngs_modulus"},
    {"spin_on_glass", "throws youngs_modulus"},
};

TEST(LawFactory, every_material_of_the_examples_gets_the_stated_law) {
  const std::set<std::string> used = materials_used_by_examples();
  EXPECT_GE(used.size(), 10u);  // the scan found the examples (26 materials at the time of writing)
  for (const std::string& id : used) {
    const auto expected = kExpectedLaw.find(id);
    ASSERT_NE(expected, kExpectedLaw.end()) << id << " is used by an example: add its expected law here";
    if (expected->second.starts_with("throws ")) {
      const std::string key = expected->second.substr(7);
      try {
        (void)fem::test::law_for(id);
        ADD_FAILURE() << id << " made a law without " << key;
      } catch (const MaterialDataError& error) {
        EXPECT_EQ(error.material_id(), id);
        EXPECT_EQ(error.key(), key);
        EXPECT_NE(std::string(error.what()).find(id), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find(key), std::string::npos) << error.what();
      }
      continue;
    }
    const std::unique_ptr<MaterialLaw> law = fem::test::law_for(id);
    EXPECT_EQ(law->name(), expected->second) << id;
  }
}

TEST(LawFactory, a_design_material_without_youngs_modulus_is_named_in_the_error) {
  design::Material material = fem::test::material("Cu_ED");
  material.id = "my_copper";
  material.properties.erase("youngs_modulus");
  try {
    (void)make_material_law(material);
    FAIL() << "a metal without E made a law";
  } catch (const MaterialDataError& error) {
    EXPECT_EQ(error.material_id(), "my_copper");
    EXPECT_EQ(error.key(), "youngs_modulus");
    EXPECT_NE(std::string(error.what()).find("'my_copper' has no `youngs_modulus`"), std::string::npos) << error.what();
  }
}

TEST(LawFactory, metals_take_yield_and_tangent_from_the_data_or_the_stated_default) {
  const std::unique_ptr<MaterialLaw> copper = fem::test::law_for("Cu_ED");
  const auto& cu = dynamic_cast<const BilinearKinematicPlasticity&>(*copper);
  EXPECT_DOUBLE_EQ(cu.data().yield_strength_Pa.at(298.15), 225e6);
  EXPECT_DOUBLE_EQ(cu.data().tangent_modulus_Pa.at(298.15), 1.25e9);  // tangent_modulus of the data
  const std::unique_ptr<MaterialLaw> aluminium = fem::test::law_for("Al");
  const auto& al = dynamic_cast<const BilinearKinematicPlasticity&>(*aluminium);
  EXPECT_DOUBLE_EQ(al.data().tangent_modulus_Pa.at(298.15), 0.01 * 70e9);  // default E_t = 0.01·E
  EXPECT_NE(al.description().find("default"), std::string::npos) << al.description();
  EXPECT_EQ(fem::test::law_for("Cu_ED", LawOptions{.metal_plasticity = false})->name(), "isotropic elastic");
}

TEST(LawFactory, solder_law_options_select_each_law_with_the_library_constants) {
  const std::unique_ptr<MaterialLaw> anand = fem::test::law_for("SAC305");
  EXPECT_DOUBLE_EQ(dynamic_cast<const AnandViscoplastic&>(*anand).data().anand.s0_Pa, 21.0e6);  // Motalab s0
  const std::unique_ptr<MaterialLaw> garofalo = fem::test::law_for("SAC305", LawOptions{.solder_law = SolderLaw::garofalo});
  const auto& g = dynamic_cast<const GarofaloCreepPlasticity&>(*garofalo);
  EXPECT_EQ(g.name(), "Garofalo creep + bilinear plasticity");
  EXPECT_DOUBLE_EQ(g.data().garofalo.c2_per_Pa, 0.02447e-6);
  EXPECT_DOUBLE_EQ(g.data().plasticity->yield_strength_Pa.at(298.15), 35e6);
  EXPECT_DOUBLE_EQ(g.data().plasticity->tangent_modulus_Pa.at(298.15), 0.001 * 49.5e9);  // default "small" E_t
  const std::unique_ptr<MaterialLaw> norton = fem::test::law_for("SAC305", LawOptions{.solder_law = SolderLaw::norton});
  const auto& n = dynamic_cast<const NortonCreep&>(*norton);
  EXPECT_DOUBLE_EQ(n.data().exponent, 6.41);
  // A(T) = C1·C2^C3·e^(−C4/T) at a table point (25 C), C2 in 1/Pa
  const double expected_a = 277984 * std::pow(0.02447e-6, 6.41) * std::exp(-6500 / 298.15);
  EXPECT_NEAR(n.data().coefficient_per_Pa_n_per_s.at(298.15), expected_a, 1e-12 * expected_a);
  EXPECT_EQ(n.data().coefficient_per_Pa_n_per_s.points.size(), 241u);  // −65..175 C every 1 K
  EXPECT_EQ(fem::test::law_for("SAC305", LawOptions{.solder_law = SolderLaw::elastic})->name(), "isotropic elastic");
  // Sn63Pb37 has an E(T) table: the Anand law uses it
  const std::unique_ptr<MaterialLaw> snpb = fem::test::law_for("Sn63Pb37");
  EXPECT_NEAR(snpb->elastic_stiffness(fem::test::kelvin(125))[0] / snpb->elastic_stiffness(fem::test::kelvin(25))[0],
              15.32 / 30.52, 1e-12);
}

TEST(LawFactory, a_solder_law_without_its_constants_throws_naming_material_and_key) {
  try {
    (void)fem::test::law_for("Sn63Pb37", LawOptions{.solder_law = SolderLaw::garofalo});
    FAIL() << "Sn63Pb37 has no Garofalo constants";
  } catch (const MaterialDataError& error) {
    EXPECT_EQ(error.material_id(), "Sn63Pb37");
    EXPECT_EQ(error.key(), "garofalo");
  }
  try {
    (void)fem::test::law_for("SAC387");
    FAIL() << "SAC387 has no Anand constants";
  } catch (const MaterialDataError& error) {
    EXPECT_EQ(error.material_id(), "SAC387");
    EXPECT_EQ(error.key(), "anand");
  }
}

TEST(LawFactory, boards_fill_missing_constants_with_the_stated_defaults) {
  // FR4_370HR gives only in-plane E 25.8 GPa and ν 0.177
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("FR4_370HR");
  const auto& board = dynamic_cast<const OrthotropicElastic&>(*law);
  const OrthotropicConstants& c = board.data().constants;
  EXPECT_DOUBLE_EQ(c.youngs_x_Pa, 25.8e9);
  EXPECT_DOUBLE_EQ(c.youngs_z_Pa, 0.4 * 25.8e9);                  // E_z = 0.4·E
  EXPECT_DOUBLE_EQ(c.shear_xy_Pa, 25.8e9 / (2 * (1 + 0.177)));    // G_xy = E/(2(1+ν))
  EXPECT_DOUBLE_EQ(c.poisson_xz, 0.35);                           // ν_xz = ν_yz = 0.35
  EXPECT_DOUBLE_EQ(c.shear_xz_Pa, 0.4 * 25.8e9 / (2 * 1.35));     // G_xz = G_yz = E_z/(2(1+ν_xz))
  EXPECT_DOUBLE_EQ(*board.data().glass_transition_K, fem::test::kelvin(180));
  EXPECT_NE(board.description().find("E_z = 0.4·E"), std::string::npos) << board.description();
  // FR4 gives E_z, G_xy and ν_xz: they are used as given
  const std::unique_ptr<MaterialLaw> standard = fem::test::law_for("FR4");
  const OrthotropicConstants& s = dynamic_cast<const OrthotropicElastic&>(*standard).data().constants;
  EXPECT_DOUBLE_EQ(s.youngs_z_Pa, 9e9);
  EXPECT_DOUBLE_EQ(s.shear_xy_Pa, 9e9);
  EXPECT_DOUBLE_EQ(s.poisson_xz, 0.35);
}

TEST(LawFactory, isotropic_cte_steps_at_the_glass_transition) {
  // buffer_resin: α 60 ppm/K below Tg = 150 C, 175 ppm/K above
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("buffer_resin");
  const double strain = law->thermal_strain(fem::test::kelvin(170), fem::test::kelvin(25))[0];
  const double expected = 60e-6 * (150 - 25) + 175e-6 * (170 - 150);
  EXPECT_NEAR(strain, expected, 1e-12 * expected);
  const double below = law->thermal_strain(fem::test::kelvin(125), fem::test::kelvin(-40))[2];
  EXPECT_NEAR(below, 60e-6 * 165, 1e-12 * 60e-6 * 165);
}

TEST(LawFactory, table_of_copies_constants_and_points) {
  const design::PropertyValue& constant = *fem::test::material("Si").property("youngs_modulus");
  EXPECT_DOUBLE_EQ(table_of(constant).at(400), 130e9);
  const design::PropertyValue& points = *fem::test::material("Si").property("cte");
  const TemperatureTable cte = table_of(points);
  ASSERT_EQ(cte.points.size(), 3u);
  EXPECT_DOUBLE_EQ(cte.at(fem::test::kelvin(75)), 0.5 * (2.6e-6 + 3.0e-6));  // linear between 25 and 125 C
}

}  // namespace
}  // namespace wlp::fem
