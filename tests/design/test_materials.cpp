// The bundled material library against the published numbers it was taken from
// (shared/reference/physics-data.md): the Anand steady-state flow stress and the Garofalo
// steady creep stress tables (§2.1, §2.2) are recomputed from the loaded constants, which
// checks both the values and their unit conversions.
#include <cmath>
#include <gtest/gtest.h>

#include "design/materials.h"
#include "support/test_support.h"

namespace wlp::design {
namespace {

const MaterialLibrary& library() {
  static const MaterialLibrary loaded = load_material_library(test::material_library());
  return loaded;
}

// Anand steady state at constant strain rate: σ* = (ŝ/ξ)·Z^n·asinh(Z^m), Z = (ε̇/A)·exp(Q/RT)
// (Brown, Kim & Anand, IJP 5 (1989); physics-data.md §2.1).
double anand_steady_stress_MPa(const AnandConstants& c, double temperature_K, double strain_rate_per_s) {
  const double z = strain_rate_per_s / c.a_per_s * std::exp(c.q_over_r_K / temperature_K);
  return c.s_hat_Pa / c.xi * std::pow(z, c.n) * std::asinh(std::pow(z, c.m)) * 1e-6;
}

struct AnandCase {
  const char* material;
  double celsius, rate_per_s, expected_MPa;
};

TEST(MaterialLibrary, anand_sets_reproduce_the_published_steady_state_table) {
  // physics-data.md §2.1 "Unit-test oracle (C)", quoted to 0.1 MPa.
  const AnandCase cases[] = {
      {"Sn63Pb37", -40, 1e-3, 204.2}, {"Sn63Pb37", 25, 1e-5, 27.9}, {"Sn63Pb37", 125, 1e-3, 12.6},
      {"Sn60Pb40", -40, 1e-5, 70.2},  {"Sn60Pb40", 25, 1e-3, 45.3}, {"Sn60Pb40", 125, 1e-5, 5.1},
      {"SAC305", -40, 1e-3, 67.0},    {"SAC305", 25, 1e-3, 42.1},   {"SAC305", 125, 1e-5, 13.0},
      {"SAC305_T", -40, 1e-5, 39.0},  {"SAC305_T", 25, 1e-3, 32.1}, {"SAC305_T", 125, 1e-3, 18.0},
  };
  for (const AnandCase& c : cases) {
    const Material* material = library().find(c.material);
    ASSERT_NE(material, nullptr) << c.material;
    ASSERT_TRUE(material->anand.has_value()) << c.material;
    const double stress = anand_steady_stress_MPa(*material->anand, kelvin_from_celsius(c.celsius), c.rate_per_s);
    EXPECT_NEAR(stress, c.expected_MPa, 0.051 + 0.0005 * c.expected_MPa) << c.material << " at " << c.celsius << " C";
  }
}

TEST(MaterialLibrary, garofalo_sac_reproduces_the_published_steady_creep_stress) {
  // σ = asinh[(ε̇·e^(C4/T)/C1)^(1/C3)]/C2 (Schubert et al., ECTC 2003; physics-data.md §2.2 oracle).
  const Material* sac = library().find("SAC305");
  ASSERT_NE(sac, nullptr);
  ASSERT_TRUE(sac->garofalo.has_value());
  const GarofaloConstants& g = *sac->garofalo;
  auto stress_MPa = [&](double celsius, double rate) {
    const double t = kelvin_from_celsius(celsius);
    return std::asinh(std::pow(rate * std::exp(g.c4_K / t) / g.c1_per_s, 1.0 / g.c3)) / g.c2_per_Pa * 1e-6;
  };
  EXPECT_NEAR(stress_MPa(-40, 1e-5), 55.5, 0.06);
  EXPECT_NEAR(stress_MPa(-40, 1e-7), 32.6, 0.06);
  EXPECT_NEAR(stress_MPa(25, 1e-5), 26.8, 0.06);
  EXPECT_NEAR(stress_MPa(25, 1e-7), 13.8, 0.06);
  EXPECT_NEAR(stress_MPa(125, 1e-5), 12.1, 0.06);
  EXPECT_NEAR(stress_MPa(125, 1e-7), 6.0, 0.06);
}

TEST(MaterialLibrary, snpb_modulus_follows_the_linear_law_in_temperature) {
  // E(T) = 75.84 − 0.152·T[K] GPa (Darveaux / Knecht & Fox; physics-data.md §1.2).
  const Material* snpb = library().find("Sn63Pb37");
  ASSERT_NE(snpb, nullptr);
  const PropertyValue* modulus = snpb->property("youngs_modulus");
  ASSERT_NE(modulus, nullptr);
  for (const double celsius : {-40.0, 0.0, 25.0, 100.0, 125.0}) {
    const double kelvin = kelvin_from_celsius(celsius);
    EXPECT_NEAR(modulus->at(kelvin), (75.84 - 0.152 * kelvin) * 1e9, 0.01e9) << celsius << " C";
  }
}

TEST(MaterialLibrary, silicon_and_board_values_match_the_reference) {
  const Material* si = library().find("Si");
  ASSERT_NE(si, nullptr);
  EXPECT_NEAR(si->property("cte")->at(298.15), 2.6e-6, 1e-12);  // physics-data.md §1.1
  const Material* fr4 = library().find("FR4_370HR");
  ASSERT_NE(fr4, nullptr);
  EXPECT_NEAR(fr4->nominal("glass_transition_temperature").value(), kelvin_from_celsius(180), 1e-9);  // §1.3, V
  EXPECT_NEAR(fr4->nominal("poisson_ratio").value(), 0.177, 1e-12);
}

TEST(MaterialLibrary, every_value_carries_a_source_and_a_grade) {
  for (const auto& [id, material] : library().all()) {
    EXPECT_FALSE(material.material_class.empty()) << id;
    for (const auto& [key, value] : material.properties) {
      EXPECT_FALSE(value.source.empty()) << id << "." << key;
      EXPECT_FALSE(value.grade.empty()) << id << "." << key;
    }
  }
  EXPECT_GE(library().all().size(), 30u);
}

TEST(MaterialLibrary, a_design_overrides_one_property_and_keeps_the_others) {
  test::ScratchDir dir;
  const auto file = dir.write("lib.toml",
                              "[materials.SAC305]\n"
                              "youngs_modulus = { value = \"40 GPa\", source = \"lab test 2026\", grade = \"V\" }\n"
                              "[materials.my_resin]\nbase = \"epoxy_unfilled\"\n"
                              "youngs_modulus = { value = \"0.5 GPa\", source = \"vendor sheet\", grade = \"L\" }\n");
  MaterialLibrary merged = library();
  const ConfigNode overrides = parse_toml_file(file);
  Diagnostics diagnostics;
  TableReader top(&overrides, "", diagnostics, nullptr);
  TableReader materials = top.table("materials");
  merged.read_table(materials);
  diagnostics.throw_if_any();
  EXPECT_DOUBLE_EQ(merged.find("SAC305")->nominal("youngs_modulus").value(), 40e9);
  EXPECT_EQ(merged.find("SAC305")->property("youngs_modulus")->source, "lab test 2026");
  EXPECT_TRUE(merged.find("SAC305")->anand.has_value());  // untouched
  EXPECT_DOUBLE_EQ(merged.find("my_resin")->nominal("youngs_modulus").value(), 0.5e9);
  EXPECT_EQ(merged.find("my_resin")->material_class, library().find("epoxy_unfilled")->material_class);
}

TEST(MaterialLibrary, a_property_without_source_is_rejected_with_its_location) {
  test::ScratchDir dir;
  const auto file = dir.write("lib.toml", "[materials.X]\nclass = \"metal\"\n"
                                          "youngs_modulus = { value = \"40 GPa\", grade = \"V\" }\n");
  try {
    load_material_library(file);
    FAIL() << "expected InputError";
  } catch (const InputError& error) {
    const Diagnostic& found = error.diagnostics().front();
    EXPECT_EQ(found.where.line, 3);
    EXPECT_EQ(found.key_path, "materials.X.youngs_modulus.source");
  }
}

}  // namespace
}  // namespace wlp::design
