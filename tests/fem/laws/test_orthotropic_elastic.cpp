// Orthotropic elasticity of the board against the definitions of the engineering constants
// (uniaxial stress along each axis gives E_i and −ν_ij; shear gives G_ij), the algebra of the
// compliance (symmetric, the inverse of the stiffness), and the thermal strain ∫α dT per axis,
// across the glass transition the integral of the two CTEs.
#include <cmath>
#include <gtest/gtest.h>

#include "fem/laws/orthotropic_elastic.h"
#include "fem/laws/point_driver.h"
#include "law_test_support.h"

namespace wlp::fem {
namespace {

const OrthotropicElastic& orthotropic_of(const std::unique_ptr<MaterialLaw>& law) {
  const auto* orthotropic = dynamic_cast<const OrthotropicElastic*>(law.get());
  if (!orthotropic) throw std::logic_error("not orthotropic: " + law->name());
  return *orthotropic;
}

TEST(OrthotropicElastic, compliance_is_symmetric_and_the_inverse_of_the_stiffness) {
  for (const char* board : {"FR4", "FR4_370HR"}) {
    const std::unique_ptr<MaterialLaw> law = fem::test::law_for(board);
    const OrthotropicElastic& orthotropic = orthotropic_of(law);
    const Matrix6 s = orthotropic.compliance(300);
    const Matrix6 d = orthotropic.elastic_stiffness(300);
    double max_entry_d = 0;
    for (const double entry : d) max_entry_d = std::max(max_entry_d, std::abs(entry));
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < 6; ++j) {
        EXPECT_EQ(s[i * 6 + j], s[j * 6 + i]) << board;
        EXPECT_NEAR(d[i * 6 + j], d[j * 6 + i], 1e-14 * max_entry_d) << board;
        double product = 0;  // (D·S)_ij
        for (int k = 0; k < 6; ++k) product += d[i * 6 + k] * s[k * 6 + j];
        EXPECT_NEAR(product, i == j ? 1.0 : 0.0, 1e-12) << board << " (" << i << "," << j << ")";
      }
  }
}

TEST(OrthotropicElastic, uniaxial_stress_along_each_axis_gives_e_and_poisson_ratios) {
  // FR-4 of data/materials.toml: E 22 GPa in-plane, E_z 9 GPa, ν_xy 0.15, ν_xz = ν_yz 0.35
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("FR4");
  const double youngs[3] = {22e9, 22e9, 9e9};
  const double poisson[3][3] = {{0, 0.15, 0.35}, {0.15, 0, 0.35}, {0.35 * 9 / 22, 0.35 * 9 / 22, 0}};  // ν_ji = ν_ij·E_j/E_i
  for (int axis = 0; axis < 3; ++axis) {
    const PointCurve curve = uniaxial_constant_strain_rate(
        *law, UniaxialStrainRate{.strain_rate_per_s = 1e-3, .final_strain = 1e-3, .temperature_K = 300, .n_increments = 2,
                                 .axis = axis});
    const PointSample& end = curve.back();
    EXPECT_NEAR(end.stress[axis] / end.strain[axis], youngs[axis], 1e-9 * youngs[axis]) << "axis " << axis;
    for (int other = 0; other < 3; ++other) {
      if (other == axis) continue;
      EXPECT_NEAR(-end.strain[other] / end.strain[axis], poisson[axis][other], 1e-9) << axis << " → " << other;
    }
  }
}

TEST(OrthotropicElastic, shear_strains_give_the_three_shear_moduli) {
  // FR-4: G_xy 9 GPa from the data; G_xz = G_yz = E_z/(2(1 + ν_xz)) = 9/2.7 GPa (factory default)
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("FR4");
  const double shear[3] = {9e9, 9e9 / 2.7, 9e9 / 2.7};
  for (int component = 3; component < 6; ++component) {
    PointLoading loading;
    loading.stress_free_temperature_K = loading.initial_temperature_K = 300;
    PointTarget target;
    target.time_s = 1;
    target.temperature_K = 300;
    target.value[component] = 2e-3;  // γ
    loading.increments.push_back(target);
    const PointCurve curve = drive_point(*law, loading);
    EXPECT_NEAR(curve.back().stress[component], shear[component - 3] * 2e-3, 1e-9 * shear[component - 3] * 2e-3);
  }
}

TEST(OrthotropicElastic, free_thermal_strain_is_alpha_delta_t_per_axis_below_tg) {
  // FR4_370HR: α_x = α_y 13.5, α_z 45 ppm/K below Tg = 180 C; heated freely 25 → 125 C
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("FR4_370HR");
  PointLoading loading;
  loading.stress_free_temperature_K = loading.initial_temperature_K = fem::test::kelvin(25);
  PointTarget target;
  target.time_s = 1;
  target.temperature_K = fem::test::kelvin(125);
  target.control.fill(Control::stress);  // every stress zero
  loading.increments.push_back(target);
  const PointCurve curve = drive_point(*law, loading);
  const double expected[3] = {13.5e-6 * 100, 13.5e-6 * 100, 45e-6 * 100};
  for (int axis = 0; axis < 3; ++axis) EXPECT_NEAR(curve.back().strain[axis], expected[axis], 1e-9 * expected[axis]);
  for (int shear = 3; shear < 6; ++shear) EXPECT_NEAR(curve.back().strain[shear], 0, 1e-15);
}

TEST(OrthotropicElastic, thermal_strain_across_tg_integrates_both_ctes) {
  const std::unique_ptr<MaterialLaw> law = fem::test::law_for("FR4_370HR");
  const double tg_C = 180, start_C = 25, end_C = 200;
  const Voigt6 strain = law->thermal_strain(fem::test::kelvin(end_C), fem::test::kelvin(start_C));
  // α_below·(Tg − T0) + α_above·(T − Tg): in-plane 13.5 → 15.5 ppm/K, through-thickness 45 → 230 ppm/K
  const double in_plane = 13.5e-6 * (tg_C - start_C) + 15.5e-6 * (end_C - tg_C);
  const double through = 45e-6 * (tg_C - start_C) + 230e-6 * (end_C - tg_C);
  EXPECT_NEAR(strain[0], in_plane, 1e-12 * in_plane);
  EXPECT_NEAR(strain[1], in_plane, 1e-12 * in_plane);
  EXPECT_NEAR(strain[2], through, 1e-12 * through);
  // the strain is a function of T only: back down to 25 C it vanishes, and cooling gives −α·ΔT
  const Voigt6 back = law->thermal_strain(fem::test::kelvin(start_C), fem::test::kelvin(start_C));
  EXPECT_EQ(back[2], 0);
  const Voigt6 cold = law->thermal_strain(fem::test::kelvin(-40), fem::test::kelvin(start_C));
  EXPECT_NEAR(cold[2], -45e-6 * 65, 1e-12 * 45e-6 * 65);
}

TEST(OrthotropicElastic, moduli_drop_by_the_factor_above_tg) {
  const std::unique_ptr<MaterialLaw> law =
      fem::test::law_for("FR4_370HR", LawOptions{.board_modulus_factor_above_tg = 0.6});
  EXPECT_FALSE(law->has_constant_stiffness());
  const Matrix6 below = law->elastic_stiffness(fem::test::kelvin(179));
  const Matrix6 above = law->elastic_stiffness(fem::test::kelvin(181));
  for (int k = 0; k < 36; ++k) EXPECT_NEAR(above[k], 0.6 * below[k], 1e-12 * std::abs(below[0]));
  const std::unique_ptr<MaterialLaw> no_drop = fem::test::law_for("FR4_370HR");
  EXPECT_TRUE(no_drop->has_constant_stiffness());
}

// A run that stays on one side of Tg (180 °C for 370HR) sees one stiffness; one across it does not.
TEST(OrthotropicElastic, stiffness_is_constant_over_a_range_on_one_side_of_tg) {
  const std::unique_ptr<MaterialLaw> law =
      fem::test::law_for("FR4_370HR", LawOptions{.board_modulus_factor_above_tg = 0.6});
  EXPECT_TRUE(law->has_constant_stiffness_between(fem::test::kelvin(-55), fem::test::kelvin(150)));
  EXPECT_TRUE(law->has_constant_stiffness_between(fem::test::kelvin(181), fem::test::kelvin(260)));
  EXPECT_FALSE(law->has_constant_stiffness_between(fem::test::kelvin(-55), fem::test::kelvin(180)));
  EXPECT_FALSE(law->has_constant_stiffness_between(fem::test::kelvin(25), fem::test::kelvin(260)));
}

TEST(TemperatureTable, constant_between_looks_at_the_ends_and_every_point_inside) {
  // E(T) flat from 0 to 100 °C, falling above: flat over any range inside [273.15, 373.15] K.
  const TemperatureTable table{{{273.15, 70e9}, {373.15, 70e9}, {473.15, 60e9}}};
  EXPECT_FALSE(table.is_constant());
  EXPECT_TRUE(table.is_constant_between(200, 373.15));  // constant below the first point too
  EXPECT_FALSE(table.is_constant_between(200, 373.2));
  const TemperatureTable dip{{{273.15, 70e9}, {323.15, 65e9}, {373.15, 70e9}}};
  EXPECT_FALSE(dip.is_constant_between(273.15, 373.15));  // equal ends, a dip between
  EXPECT_TRUE(TemperatureTable::constant(5).is_constant_between(0, 1e4));
}

TEST(OrthotropicElastic, inadmissible_poisson_ratios_are_rejected_naming_the_key) {
  OrthotropicElasticData data;
  data.constants = {.youngs_x_Pa = 20e9, .youngs_y_Pa = 20e9, .youngs_z_Pa = 1e9, .poisson_xy = 0.2, .poisson_xz = 5.0,
                    .poisson_yz = 5.0, .shear_xy_Pa = 8e9, .shear_xz_Pa = 1e9, .shear_yz_Pa = 1e9};
  data.cte_per_K = {TemperatureTable::constant(16e-6), TemperatureTable::constant(16e-6), TemperatureTable::constant(60e-6)};
  try {
    const OrthotropicElastic law(data);
    FAIL() << "ν_xz = 5 with E_z/E_x = 0.05 was accepted";
  } catch (const MaterialDataError& error) {
    EXPECT_EQ(error.key(), "poisson_ratio");
  }
}

}  // namespace
}  // namespace wlp::fem
