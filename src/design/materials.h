// The material library: data/materials.toml plus a design's own [materials] tables.
//
// Every value carries its source and grade (docs/materials.md). Values are SI; temperature
// tables are interpolated linearly in T and held constant outside their range.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "design/table_reader.h"
#include "design/units.h"

namespace wlp::design {

/// One material property: a constant or a temperature table, with its provenance.
struct PropertyValue {
  Dimension dimension;
  std::optional<double> constant_si;
  std::vector<std::pair<double, double>> points;  // (temperature K, value SI), ascending in T
  std::optional<std::pair<double, double>> range_si;
  std::optional<double> quoted_at_K;
  std::string source;
  std::string grade;  // V, L, C or ?
  SourcePos where;

  /// The value at a temperature (K); a constant ignores the temperature.
  [[nodiscard]] double at(double temperature_K) const;
  /// The value at 25 C (room temperature).
  [[nodiscard]] double nominal() const { return at(298.15); }
};

/// Anand viscoplastic constants, SI (Anand, Int. J. Plasticity 1 (1985) 213–231).
struct AnandConstants {
  double s0_Pa = 0, q_over_r_K = 0, a_per_s = 0, xi = 0, m = 0, h0_Pa = 0, s_hat_Pa = 0, n = 0, a_exp = 0;
  std::string source, grade;
};

/// Garofalo creep: eps_dot = c1·sinh(c2·σ)^c3·exp(−c4/T), SI (c2 in 1/Pa).
struct GarofaloConstants {
  double c1_per_s = 0, c2_per_Pa = 0, c3 = 0, c4_K = 0;
  std::string source, grade;
};

/// Double power creep: eps_dot = a1·σ^n1·e^(−q1/T) + a2·σ^n2·e^(−q2/T), σ in `stress_unit`.
struct DoublePowerConstants {
  double a1_per_s = 0, n1 = 0, q1_over_r_K = 0, a2_per_s = 0, n2 = 0, q2_over_r_K = 0;
  std::string stress_unit;
  std::string source, grade;
};

struct Material {
  std::string id;
  std::string description;
  std::string material_class;  // semiconductor metal solder intermetallic dielectric polymer composite board resist
  bool is_organic = false;
  bool is_solder_wettable = false;  // molten solder wets it (Cu, Ni, Au, Ag, solders), not Al, Ti, Cr, oxides
  std::map<std::string, PropertyValue> properties;
  std::optional<AnandConstants> anand;
  std::optional<GarofaloConstants> garofalo;
  std::optional<DoublePowerConstants> double_power;
  SourcePos where;  // where it was defined (or last overridden)

  [[nodiscard]] const PropertyValue* property(const std::string& key) const;
  /// Nominal (25 C) value of a property, if the material has it.
  [[nodiscard]] std::optional<double> nominal(const std::string& key) const;
};

/// The property keys a material may have, with their dimensions (docs/materials.md).
const std::vector<std::pair<std::string, Dimension>>& material_property_schema();
/// The allowed material classes.
const std::vector<std::string>& material_classes();

class MaterialLibrary {
 public:
  [[nodiscard]] const Material* find(const std::string& id) const;
  [[nodiscard]] std::vector<std::string> ids() const;
  [[nodiscard]] const std::map<std::string, Material>& all() const { return materials_; }
  /// Reads a [materials] table into the library: new ids are added, existing ids get the
  /// given properties overridden, `base = "id"` copies another material first.
  void read_table(TableReader& materials_table);

 private:
  std::map<std::string, Material> materials_;
};

/// The directory of the bundled data (data/materials.toml): $WLPKIT_DATA_DIR if set, else
/// the source tree's data/ folder recorded at build time.
std::filesystem::path data_directory();

/// Loads data/materials.toml (or another library file). Throws InputError.
MaterialLibrary load_material_library(const std::filesystem::path& path);

}  // namespace wlp::design
