// Reading a design file into Design: includes, schema, units, generated pads and bump sites,
// and the cross-references (materials, layers, pads, lands) checked once everything is read.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <set>

#include "design/design.h"
#include "design/read_analysis.h"

namespace wlp::design {

std::string to_string(Structure structure) {
  switch (structure) {
    case Structure::B0: return "B0";
    case Structure::S0: return "S0";
    case Structure::S1: return "S1";
    case Structure::S2: return "S2";
    case Structure::S3: return "S3";
    case Structure::S4: return "S4";
  }
  return "?";
}

std::string to_string(LayerRole role) {
  switch (role) {
    case LayerRole::Passivation: return "passivation";
    case LayerRole::Dielectric: return "dielectric";
    case LayerRole::Cover: return "cover";
    case LayerRole::Resin: return "resin";
    case LayerRole::Sacrificial: return "sacrificial";
    case LayerRole::InterMetal: return "inter_metal";
  }
  return "?";
}

std::string jedec_land_name(int row, int column) {
  static constexpr std::string_view kLetters = "ABCDEFGHJKLMNPRTUVWY";  // JEP95: no I O Q S X Z
  const int n_letters = static_cast<int>(kLetters.size());
  std::string letters;
  if (row >= n_letters) letters += kLetters[static_cast<std::size_t>(row / n_letters - 1)];
  letters += kLetters[static_cast<std::size_t>(row % n_letters)];
  return fmt::format("{}{}", letters, column + 1);
}

SourcePos Design::where(const std::string& key_path) const {
  const auto found = positions.find(key_path);
  if (found != positions.end()) return found->second;
  return SourcePos{file.string(), 0, 0};
}

const StackLayer* Design::layer_named(const std::string& layer_name) const {
  for (const StackLayer& layer : stack)
    if (layer.name == layer_name) return &layer;
  return nullptr;
}

std::vector<const StackLayer*> Design::layers_with(LayerRole role) const {
  std::vector<const StackLayer*> result;
  for (const StackLayer& layer : stack)
    if (layer.role == role) result.push_back(&layer);
  return result;
}

namespace {

using dims::length;

// A material reference to check once the library is complete.
struct MaterialUse {
  std::string id;
  std::string key_path;
  SourcePos where;
};

class DesignReader {
 public:
  DesignReader(Design& design, Diagnostics& diagnostics) : design_(design), diagnostics_(diagnostics) {}

  void read(const ConfigNode& root) {
    TableReader top(&root, "", diagnostics_, &design_.positions);
    read_materials(top);
    read_header(top.table("design"));
    read_die(top.table("die"));
    read_bumps(top.table("bumps"));
    read_pads(top.table("pads"));
    read_stack(top.tables("stack"));
    read_redistribution(top.table("redistribution"));
    read_board(top.table("board"));
    read_interconnect(top.table("interconnect"));
    read_recipe(top.table("recipe"));
    detail::read_analysis(top.table("analysis"), design_);
    read_check(top.table("check"));
    top.finish();
    check_references();
  }

 private:
  // Material id read from `key` (required or with a fallback), remembered for checking.
  std::string material_at(TableReader& table, std::string_view key, std::optional<std::string> fallback = std::nullopt) {
    const auto id = table.text(key, !fallback.has_value());
    if (!id) return fallback.value_or("");
    uses_.push_back(MaterialUse{*id, table.key_path().empty() ? std::string(key) : table.key_path() + "." + std::string(key),
                                table.position_of(key)});
    return *id;
  }

  void require_table(TableReader& table, std::string_view name) {
    if (!table.exists())
      diagnostics_.add(SourcePos{design_.file.string(), 1, 1}, std::string(name),
                       fmt::format("missing required table [{}]", name));
  }

  double req(TableReader& table, std::string_view key, Sign sign = Sign::Positive) {
    return table.required_quantity(key, length, sign).value_or(0.0);
  }

  void read_materials(TableReader& top) {
    TableReader materials = top.table("materials");
    design_.materials.read_table(materials);
  }

  void read_header(TableReader table) {
    require_table(table, "design");
    if (!table.exists()) return;
    design_.name = table.text("name", true).value_or("");
    if (!design_.name.empty() &&
        !std::all_of(design_.name.begin(), design_.name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        }))
      table.error("name", fmt::format("value \"{}\": a design name uses only a-z, 0-9, '_' and '-'", design_.name));
    const std::string structure = table.choice("structure", {"B0", "S0", "S1", "S2", "S3", "S4"});
    static const std::vector<std::pair<std::string, Structure>> kStructures{
        {"B0", Structure::B0}, {"S0", Structure::S0}, {"S1", Structure::S1},
        {"S2", Structure::S2}, {"S3", Structure::S3}, {"S4", Structure::S4}};
    for (const auto& [label, value] : kStructures)
      if (label == structure) design_.structure = value;
    has_structure_ = !structure.empty();
    design_.variant = table.text("variant").value_or("");
    design_.description = table.text("description").value_or("");
    table.finish();
  }

  void read_die(TableReader table) {
    require_table(table, "die");
    if (!table.exists()) return;
    Die& die = design_.die;
    die.size_x_m = req(table, "size_x");
    die.size_y_m = req(table, "size_y");
    die.thickness_m = req(table, "thickness");
    die.material = material_at(table, "material", "Si");
    die.keep_out_m = table.quantity("keep_out", length, Sign::NonNegative).value_or(0.0);
    table.finish();
  }

  void read_bumps(TableReader table) {
    if (!table.exists()) return;
    BumpArray bumps;
    bumps.n_columns = static_cast<int>(table.integer("columns", 1, 200, true).value_or(0));
    bumps.n_rows = static_cast<int>(table.integer("rows", 1, 200, true).value_or(0));
    bumps.pitch_m = req(table, "pitch");
    bumps.ball_diameter_m = req(table, "ball_diameter");
    bumps.alloy = material_at(table, "alloy");
    bumps.depopulated = table.text_list("depopulate");
    std::set<std::string> all_names;
    for (int row = 0; row < bumps.n_rows; ++row) {
      for (int column = 0; column < bumps.n_columns; ++column) {
        const std::string name = jedec_land_name(row, column);
        all_names.insert(name);
        if (std::find(bumps.depopulated.begin(), bumps.depopulated.end(), name) != bumps.depopulated.end()) continue;
        bumps.sites.push_back(BumpSite{name, (column - (bumps.n_columns - 1) / 2.0) * bumps.pitch_m,
                                       (row - (bumps.n_rows - 1) / 2.0) * bumps.pitch_m});
      }
    }
    for (const std::string& name : bumps.depopulated)
      if (!all_names.count(name))
        table.error("depopulate", fmt::format("land \"{}\" is not in the {} x {} array (rows A.., columns 1..{})", name,
                                              bumps.n_columns, bumps.n_rows, bumps.n_columns));
    table.finish();
    design_.bumps = std::move(bumps);
  }

  void read_pads(TableReader table) {
    require_table(table, "pads");
    if (!table.exists()) return;
    PadSet& pads = design_.pads;
    pads.material = material_at(table, "material", "Al");
    pads.thickness_m = table.quantity("thickness", length, Sign::Positive).value_or(1e-6);
    pads.shape = table.choice("shape", {"square", "circle"}, "square") == "circle" ? PadShape::Circle : PadShape::Square;
    pads.size_m = req(table, "size");
    pads.arrangement = table.choice("arrangement", {"ring", "list", "under_bumps"});
    if (pads.arrangement == "ring") {
      const auto per_side = table.integer("per_side", 1, 10000, true);
      const double pitch = req(table, "pitch");
      const double edge = req(table, "edge_distance");
      if (per_side) make_ring(pads, static_cast<int>(*per_side), pitch, edge, table.position_of("arrangement"));
    } else if (pads.arrangement == "list") {
      std::vector<TableReader> entries = table.tables("pad");
      if (entries.empty()) table.error("pad", "arrangement = \"list\" needs [[pads.pad]] entries");
      for (TableReader& entry : entries) {
        Pad pad;
        pad.name = entry.text("name", true).value_or("");
        pad.x_m = entry.required_quantity("x", length).value_or(0.0);
        pad.y_m = entry.required_quantity("y", length).value_or(0.0);
        pad.size_m = entry.quantity("size", length, Sign::Positive).value_or(pads.size_m);
        pad.where = entry.where();
        pad.key_path = entry.key_path();
        entry.finish();
        pads.pads.push_back(pad);
      }
    } else if (pads.arrangement == "under_bumps") {
      if (!design_.bumps)
        table.error("arrangement", "arrangement = \"under_bumps\" needs a [bumps] table");
      else
        for (const BumpSite& site : design_.bumps->sites)
          pads.pads.push_back(Pad{site.name, site.x_m, site.y_m, pads.size_m, table.position_of("arrangement"), "pads"});
    }
    table.finish();
    if (pads.arrangement == "list")
      check_unique_names(pads.pads, [](const Pad& pad) { return pad.name; }, [](const Pad& pad) { return pad.key_path; });
  }

  void make_ring(PadSet& pads, int per_side, double pitch_m, double edge_m, const SourcePos& where) {
    const double half_x = design_.die.size_x_m / 2.0;
    const double half_y = design_.die.size_y_m / 2.0;
    const double centre = (per_side - 1) / 2.0;
    int number = 1;
    auto add = [&](double x_m, double y_m) {
      pads.pads.push_back(Pad{fmt::format("P{}", number++), x_m, y_m, pads.size_m, where, "pads"});
    };
    for (int i = 0; i < per_side; ++i) add((i - centre) * pitch_m, -half_y + edge_m);  // bottom, left → right
    for (int i = 0; i < per_side; ++i) add(half_x - edge_m, (i - centre) * pitch_m);   // right, bottom → top
    for (int i = 0; i < per_side; ++i) add((centre - i) * pitch_m, half_y - edge_m);   // top, right → left
    for (int i = 0; i < per_side; ++i) add(-half_x + edge_m, (centre - i) * pitch_m);  // left, top → bottom
  }

  // Names must be unique within a list; a repeat is reported at its `name` key.
  template <typename T, typename NameOf, typename PathOf>
  void check_unique_names(const std::vector<T>& items, NameOf name_of, PathOf key_path_of) {
    std::map<std::string, std::string> first_path;
    for (const T& item : items) {
      const std::string path = key_path_of(item) + ".name";
      const auto [first, is_new] = first_path.emplace(name_of(item), path);
      if (!is_new)
        diagnostics_.add(design_.where(path), path,
                         fmt::format("duplicate name \"{}\" (first used at {})", name_of(item),
                                     design_.where(first->second).to_string()));
    }
  }

  void read_stack(std::vector<TableReader> layers) {
    static const std::vector<std::pair<std::string, LayerRole>> kRoles{
        {"passivation", LayerRole::Passivation}, {"dielectric", LayerRole::Dielectric}, {"cover", LayerRole::Cover},
        {"resin", LayerRole::Resin}, {"sacrificial", LayerRole::Sacrificial}, {"inter_metal", LayerRole::InterMetal}};
    std::vector<std::string> role_names;
    for (const auto& [name, role] : kRoles) role_names.push_back(name);
    for (TableReader& table : layers) {
      StackLayer layer;
      layer.where = table.where();
      layer.key_path = table.key_path();
      layer.name = table.text("name", true).value_or("");
      const std::string role = table.choice("role", role_names);
      for (const auto& [name, value] : kRoles)
        if (name == role) layer.role = value;
      layer.material = material_at(table, "material");
      layer.thickness_m = req(table, "thickness");
      layer.thickness_where = table.position_of("thickness");
      layer.applied = table.choice("applied", {"spin", "pecvd", "cvd", "sputter", "laminate", "print", "thermal"});
      layer.opening = table.choice("opening", {"none", "pads", "lands", "posts"}, "none");
      if (layer.opening != "none")
        layer.opening_size_m = req(table, "opening_size");
      else if (table.has("opening_size"))
        table.error("opening_size", "opening_size given but opening = \"none\"");
      layer.is_photosensitive = table.flag("photosensitive").value_or(false);
      layer.cure_temperature_K = table.quantity("cure_temperature", dims::temperature);
      table.finish();
      design_.stack.push_back(layer);
    }
    check_unique_names(design_.stack, [](const StackLayer& l) { return l.name; },
                       [](const StackLayer& l) { return l.key_path; });
  }

  std::vector<MetalFilm> read_films(std::vector<TableReader> tables) {
    std::vector<MetalFilm> films;
    for (TableReader& table : tables) {
      MetalFilm film;
      film.name = table.text("name").value_or("");
      film.material = material_at(table, "material");
      film.thickness_m = req(table, "thickness");
      table.finish();
      films.push_back(film);
    }
    return films;
  }

  void read_redistribution(TableReader table) {
    if (!table.exists()) return;
    Redistribution rdl;
    rdl.material = material_at(table, "material", "Cu_ED");
    rdl.thickness_m = req(table, "thickness");
    rdl.width_m = req(table, "width");
    rdl.min_space_m = req(table, "min_space");
    rdl.land_diameter_m = req(table, "land_diameter");
    rdl.routing = table.choice("routing", {"auto", "explicit"}, "auto");
    rdl.underlayers = read_films(table.tables("underlayer"));
    for (TableReader& entry : table.tables("net")) {
      Net net;
      net.where = entry.where();
      net.pad = entry.text("pad", true).value_or("");
      net.land = entry.text("land", true).value_or("");
      entry.finish();
      rdl.nets.push_back(net);
    }
    if (rdl.routing == "explicit" && rdl.nets.empty())
      table.error("routing", "routing = \"explicit\" needs [[redistribution.net]] entries (pad, land)");
    if (rdl.routing == "auto" && !rdl.nets.empty())
      table.error("net", "nets are given but routing = \"auto\"; set routing = \"explicit\"");
    if (!design_.bumps) table.error("land_diameter", "a redistribution leads to lands: it needs a [bumps] table");
    table.finish();
    design_.redistribution = std::move(rdl);
  }

  void read_board(TableReader table) {
    if (!table.exists()) return;
    Board board;
    board.material = material_at(table, "material", "FR4");
    board.thickness_m = req(table, "thickness");
    board.pad_diameter_m = req(table, "pad_diameter");
    board.pad_definition = table.choice("pad_definition", {"nsmd", "smd"}, "nsmd");
    board.solder_mask_opening_m = req(table, "solder_mask_opening");
    board.solder_mask_thickness_m = table.quantity("solder_mask_thickness", length, Sign::Positive).value_or(20e-6);
    board.copper_thickness_m = table.quantity("copper_thickness", length, Sign::Positive).value_or(35e-6);
    if (table.has("underfill")) board.underfill = material_at(table, "underfill");
    table.finish();
    design_.board = board;
  }

  void read_interconnect(TableReader table) {
    require_table(table, "interconnect");
    if (!table.exists()) return;
    static const std::vector<std::pair<std::string, Structure>> kTypes{
        {"ubm_ball", Structure::B0},         {"sacrificial_via", Structure::S0}, {"adhesive_cylinder", Structure::S1},
        {"polyimide_via", Structure::S2},    {"post_ubm_resin", Structure::S3},  {"embedded_section", Structure::S4}};
    std::vector<std::string> type_names;
    for (const auto& [name, structure] : kTypes) type_names.push_back(name);
    const std::string type = table.choice("type", type_names);
    for (const auto& [name, structure] : kTypes) {
      if (name != type) continue;
      if (has_structure_ && structure != design_.structure)
        table.error("type", fmt::format("interconnect type \"{}\" belongs to structure {}, but design.structure = \"{}\"",
                                        type, to_string(structure), to_string(design_.structure)));
    }
    if (type == "ubm_ball") design_.interconnect = read_ubm_ball(table);
    if (type == "sacrificial_via") design_.interconnect = read_sacrificial_via(table);
    if (type == "adhesive_cylinder") design_.interconnect = read_adhesive_cylinder(table);
    if (type == "polyimide_via") design_.interconnect = read_polyimide_via(table);
    if (type == "post_ubm_resin") design_.interconnect = read_post_ubm_resin(table);
    if (type == "embedded_section") design_.interconnect = read_embedded_section(table);
    table.finish();
  }

  UbmBall read_ubm_ball(TableReader& table) {
    UbmBall result;
    result.ubm_diameter_m = req(table, "ubm_diameter");
    result.ubm_layers = read_films(table.tables("ubm_layer"));
    if (result.ubm_layers.empty()) table.error("ubm_layer", "a UBM needs at least one [[interconnect.ubm_layer]]");
    return result;
  }

  SacrificialVia read_sacrificial_via(TableReader& table) {
    SacrificialVia result;
    result.via_size_m = req(table, "via_size");
    result.line_width_m = req(table, "line_width");
    result.line_length_m = req(table, "line_length");
    result.recess_depth_m = req(table, "recess_depth");
    result.via_offset_m = table.quantity("via_offset", length).value_or(0.0);
    result.conductor = material_at(table, "conductor", "Cu_ED");
    result.barrier_material = material_at(table, "barrier_material");
    result.barrier_thickness_m = req(table, "barrier_thickness");
    return result;
  }

  AdhesiveCylinder read_adhesive_cylinder(TableReader& table) {
    AdhesiveCylinder result;
    result.fill = table.choice("fill", {"conductive_adhesive", "solder_paste"});
    result.fill_material = material_at(table, "fill_material");
    result.opening_diameter_m = req(table, "opening_diameter");
    result.ball_diameter_m = req(table, "ball_diameter");
    result.ball_core = material_at(table, "ball_core");
    result.ball_coating = read_films(table.tables("ball_coating"));
    if (result.ball_coating.empty())
      table.error("ball_coating", "the plastic balls carry a metal coating: give [[interconnect.ball_coating]]");
    return result;
  }

  PolyimideVia read_polyimide_via(TableReader& table) {
    PolyimideVia result;
    result.via_fill = material_at(table, "via_fill", "Cu_ED");
    result.top_pad_size_m = req(table, "top_pad_size");
    result.top_pad_thickness_m = req(table, "top_pad_thickness");
    result.top_pad_material = material_at(table, "top_pad_material", "Cu_ED");
    result.contact_dielectric_material = material_at(table, "contact_dielectric_material");
    result.contact_dielectric_thickness_m = req(table, "contact_dielectric_thickness");
    return result;
  }

  PostUbmResin read_post_ubm_resin(TableReader& table) {
    PostUbmResin result;
    result.post_material = material_at(table, "post_material");
    result.post_diameter_m = req(table, "post_diameter");
    result.post_height_m = req(table, "post_height");
    result.ubm_material = material_at(table, "ubm_material");
    result.ubm_diameter_m = req(table, "ubm_diameter");
    result.ubm_thickness_m = req(table, "ubm_thickness");
    result.resin_contact = table.choice("resin_contact", {"full", "separated", "ring"});
    if (result.resin_contact == "ring")
      result.resin_ring_diameter_m = req(table, "resin_ring_diameter");
    else if (table.has("resin_ring_diameter"))
      table.error("resin_ring_diameter", "resin_ring_diameter only applies to resin_contact = \"ring\" (FIG 3)");
    if (table.has("adhesive_material")) {
      result.adhesive_material = material_at(table, "adhesive_material");
      result.adhesive_thickness_m = req(table, "adhesive_thickness");
    } else if (table.has("adhesive_thickness")) {
      table.error("adhesive_thickness", "adhesive_thickness given without adhesive_material");
    }
    return result;
  }

  EmbeddedSection read_embedded_section(TableReader& table) {
    EmbeddedSection result;
    result.section = table.choice("section", {"stud_bump", "metal_column"});
    if (table.has("column_adhesive")) {
      result.column_adhesive = material_at(table, "column_adhesive");
      result.column_adhesive_thickness_m = req(table, "column_adhesive_thickness");
    }
    result.land_finish = table.choice("land_finish", {"none", "electroless_cu", "electroless_cu_au", "electroless_ni"}, "none");
    for (TableReader& entry : table.tables("tier")) {
      BufferTier tier;
      tier.where = entry.where();
      tier.key_path = entry.key_path();
      tier.name = entry.text("name", true).value_or("");
      tier.section_material = material_at(entry, "section_material");
      tier.section_diameter_m = req(entry, "section_diameter");
      tier.section_height_m = req(entry, "section_height");
      tier.buffer_material = material_at(entry, "buffer_material");
      tier.buffer_thickness_m = req(entry, "buffer_thickness");
      entry.finish();
      result.tiers.push_back(tier);
    }
    if (result.tiers.empty()) table.error("tier", "an embedded-section structure needs at least one [[interconnect.tier]]");
    check_unique_names(result.tiers, [](const BufferTier& t) { return t.name; },
                       [](const BufferTier& t) { return t.key_path; });
    return result;
  }

  void read_recipe(TableReader table) {
    if (!table.exists()) return;
    int index = 1;
    for (TableReader& entry : table.tables("step")) {
      Step step = read_step(entry, index++);
      entry.finish();
      for (const char* key : {"material", "resist", "adhesive", "stop_on"}) {
        const auto id = step.text(key);
        if (!id) continue;
        // stop_on may name a layer instead of a material.
        if (std::string(key) == "stop_on" && design_.layer_named(*id)) continue;
        uses_.push_back(MaterialUse{*id, entry.key_path() + "." + key, step.param_where[key]});
      }
      if (const auto layer = step.text("layer"); layer && !design_.layer_named(*layer)) {
        std::vector<std::string> names;
        for (const StackLayer& l : design_.stack) names.push_back(l.name);
        const std::string suggestion = nearest_match(*layer, names);
        diagnostics_.add(step.param_where["layer"], entry.key_path() + ".layer",
                         fmt::format("no stack layer named \"{}\"{}", *layer,
                                     suggestion.empty() ? fmt::format(" (layers: {})", joined(names))
                                                        : fmt::format(" (did you mean \"{}\"?)", suggestion)));
      }
      if (const auto target = step.text("target");
          target && !design_.layer_named(*target) && !design_.materials.find(*target))
        diagnostics_.add(step.param_where["target"], entry.key_path() + ".target",
                         fmt::format("\"{}\" is neither a stack layer nor a material", *target));
      design_.recipe.steps.push_back(std::move(step));
    }
    table.finish();
    check_unique_names(design_.recipe.steps, [](const Step& s) { return s.name; },
                       [](const Step& s) { return fmt::format("recipe.step[{}]", s.index - 1); });
  }

  void read_check(TableReader table) {
    if (!table.exists()) return;
    for (TableReader& entry : table.tables("waive")) {
      Waiver waiver;
      waiver.rule = entry.text("rule", true).value_or("");
      waiver.reason = entry.text("reason", true).value_or("");
      waiver.where = entry.position_of("rule");
      entry.finish();
      design_.waivers.push_back(waiver);
    }
    table.finish();
  }

  void check_references() {
    const std::vector<std::string> known = design_.materials.ids();
    for (const MaterialUse& use : uses_) {
      if (design_.materials.find(use.id)) continue;
      const std::string suggestion = nearest_match(use.id, known);
      diagnostics_.add(use.where, use.key_path,
                       fmt::format("unknown material \"{}\"{}; see `wlpkit materials` or add it under [materials.{}]",
                                   use.id, suggestion.empty() ? "" : fmt::format(" (did you mean \"{}\"?)", suggestion),
                                   use.id));
    }
    if (design_.redistribution) check_nets(*design_.redistribution);
  }

  void check_nets(const Redistribution& rdl) {
    std::set<std::string> pads, lands, used_pads, used_lands;
    for (const Pad& pad : design_.pads.pads) pads.insert(pad.name);
    if (design_.bumps)
      for (const BumpSite& site : design_.bumps->sites) lands.insert(site.name);
    for (const Net& net : rdl.nets) {
      if (!pads.count(net.pad))
        diagnostics_.add(net.where, "redistribution.net", fmt::format("pad \"{}\" does not exist", net.pad));
      if (!lands.count(net.land))
        diagnostics_.add(net.where, "redistribution.net",
                         fmt::format("land \"{}\" does not exist or is depopulated", net.land));
      if (!used_pads.insert(net.pad).second)
        diagnostics_.add(net.where, "redistribution.net", fmt::format("pad \"{}\" is routed twice", net.pad));
      if (!used_lands.insert(net.land).second)
        diagnostics_.add(net.where, "redistribution.net", fmt::format("land \"{}\" is used by two nets", net.land));
    }
  }

  Design& design_;
  Diagnostics& diagnostics_;
  std::vector<MaterialUse> uses_;
  bool has_structure_ = false;
};

}  // namespace

Design load_design(const std::filesystem::path& path, const std::filesystem::path& material_library) {
  Design design;
  design.file = path;
  design.materials = load_material_library(material_library);
  const ConfigNode root = load_with_includes(path);
  Diagnostics diagnostics;
  DesignReader(design, diagnostics).read(root);
  diagnostics.throw_if_any();
  return design;
}

Design load_design(const std::filesystem::path& path) {
  return load_design(path, data_directory() / "materials.toml");
}

}  // namespace wlp::design
