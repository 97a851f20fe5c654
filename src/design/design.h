// The design: everything one design file says about a wafer-level chip-scale package, in SI.
//
// Read by load_design() from TOML (docs/design-format.md). Lengths are metres, temperatures
// kelvin, moduli pascal, times seconds; every name says its unit. Coordinates are in the die
// frame: origin at the die centre, x right, y up, seen from the bump side.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "design/analyses.h"
#include "design/diagnostics.h"
#include "design/materials.h"
#include "design/recipe.h"
#include "design/table_reader.h"

namespace wlp::design {

/// The seed structure a design embodies (B0 is the conventional baseline).
enum class Structure { B0, S0, S1, S2, S3, S4 };
std::string to_string(Structure structure);

struct Die {
  double size_x_m = 0, size_y_m = 0, thickness_m = 0;
  std::string material = "Si";
  double keep_out_m = 0;  // bump edge to die edge
};

enum class PadShape { Square, Circle };

struct Pad {
  std::string name;
  double x_m = 0, y_m = 0;
  double size_m = 0;  // side (square) or diameter (circle)
  SourcePos where;
  std::string key_path;  // "pads.pad[3]" for listed pads; "pads" for generated ones
};

struct PadSet {
  std::string material = "Al";
  double thickness_m = 1e-6;
  PadShape shape = PadShape::Square;
  double size_m = 0;
  std::string arrangement;  // ring, list, under_bumps
  std::vector<Pad> pads;
};

enum class LayerRole { Passivation, Dielectric, Cover, Resin, Sacrificial, InterMetal };
std::string to_string(LayerRole role);

struct StackLayer {
  std::string name;
  LayerRole role = LayerRole::Dielectric;
  std::string material;
  double thickness_m = 0;
  std::string applied;  // spin pecvd cvd sputter laminate print thermal
  std::string opening = "none";
  double opening_size_m = 0;
  bool is_photosensitive = false;
  std::optional<double> cure_temperature_K;
  SourcePos where;            // the [[stack]] entry
  SourcePos thickness_where;  // its thickness value
  std::string key_path;       // "stack[2]": Design::where(key_path + ".material") locates a key
};

struct MetalFilm {
  std::string name;
  std::string material;
  double thickness_m = 0;
};

struct Net {
  std::string pad;
  std::string land;
  SourcePos where;
};

struct Redistribution {
  std::string material = "Cu_ED";
  double thickness_m = 0, width_m = 0, min_space_m = 0, land_diameter_m = 0;
  std::string routing = "auto";
  std::vector<MetalFilm> underlayers;
  std::vector<Net> nets;
};

struct BumpSite {
  std::string name;  // JEDEC land name, e.g. "A1"
  double x_m = 0, y_m = 0;
};

struct BumpArray {
  int n_columns = 0, n_rows = 0;
  double pitch_m = 0, ball_diameter_m = 0;
  std::string alloy;
  std::vector<std::string> depopulated;
  std::vector<BumpSite> sites;  // populated sites only
};

struct Board {
  std::string material = "FR4";
  double thickness_m = 0, pad_diameter_m = 0, solder_mask_opening_m = 0;
  double solder_mask_thickness_m = 20e-6, copper_thickness_m = 35e-6;
  std::string pad_definition = "nsmd";
  std::string underfill;  // material id, empty when none
};

// --- the interconnect structure of each seed ---

struct UbmBall {  // B0
  double ubm_diameter_m = 0;
  std::vector<MetalFilm> ubm_layers;
};

struct SacrificialVia {  // S0
  double via_size_m = 0, line_width_m = 0, line_length_m = 0, recess_depth_m = 0, via_offset_m = 0;
  std::string conductor = "Cu_ED";
  std::string barrier_material;
  double barrier_thickness_m = 0;
};

struct AdhesiveCylinder {  // S1
  std::string fill;  // conductive_adhesive | solder_paste
  std::string fill_material;
  double opening_diameter_m = 0, ball_diameter_m = 0;
  std::string ball_core;
  std::vector<MetalFilm> ball_coating;
};

struct PolyimideVia {  // S2
  std::string via_fill = "Cu_ED";
  double top_pad_size_m = 0, top_pad_thickness_m = 0;
  std::string top_pad_material = "Cu_ED";
  std::string contact_dielectric_material;
  double contact_dielectric_thickness_m = 0;
};

struct PostUbmResin {  // S3
  std::string post_material;
  double post_diameter_m = 0, post_height_m = 0;
  std::string ubm_material;
  double ubm_diameter_m = 0, ubm_thickness_m = 0;
  std::string resin_contact;  // full | separated | ring
  double resin_ring_diameter_m = 0;
  std::string adhesive_material;
  double adhesive_thickness_m = 0;
};

struct BufferTier {
  std::string name;
  std::string section_material;
  double section_diameter_m = 0, section_height_m = 0;
  std::string buffer_material;
  double buffer_thickness_m = 0;
  SourcePos where;
  std::string key_path;  // "interconnect.tier[1]"
};

struct EmbeddedSection {  // S4
  std::string section;  // stud_bump | metal_column
  std::string column_adhesive;
  double column_adhesive_thickness_m = 0;
  std::string land_finish = "none";
  std::vector<BufferTier> tiers;
};

using Interconnect =
    std::variant<std::monostate, UbmBall, SacrificialVia, AdhesiveCylinder, PolyimideVia, PostUbmResin, EmbeddedSection>;

struct Waiver {
  std::string rule;
  std::string reason;
  SourcePos where;
};

struct Design {
  std::filesystem::path file;
  std::string name, variant, description;
  Structure structure = Structure::B0;
  Die die;
  PadSet pads;
  std::vector<StackLayer> stack;
  std::optional<Redistribution> redistribution;
  std::optional<BumpArray> bumps;
  std::optional<Board> board;
  Interconnect interconnect;
  Recipe recipe;
  Analyses analyses;
  std::vector<Waiver> waivers;
  MaterialLibrary materials;
  PositionMap positions;  // key path → where the value was written

  /// Where a key path was written (the design file itself when unknown).
  [[nodiscard]] SourcePos where(const std::string& key_path) const;
  [[nodiscard]] const StackLayer* layer_named(const std::string& name) const;
  /// Layers with a role, bottom up.
  [[nodiscard]] std::vector<const StackLayer*> layers_with(LayerRole role) const;
  [[nodiscard]] const Material* material(const std::string& id) const { return materials.find(id); }
};

/// Reads a design file (with includes) and the material library. Throws InputError naming
/// every problem: syntax, unknown keys, units, references, impossible geometry.
Design load_design(const std::filesystem::path& path);

/// Same, with an explicit material library file (tests).
Design load_design(const std::filesystem::path& path, const std::filesystem::path& material_library);

/// JEDEC land name of a row/column (0-based): row 0 → "A", row 19 → "Y", row 20 → "AA".
std::string jedec_land_name(int row, int column);

}  // namespace wlp::design
