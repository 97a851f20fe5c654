// Writing the KLayout DRC deck: each check is one line of KLayout's DRC language with the
// design's number in micrometres (KLayout reads a float as µm, an integer as database units,
// so every distance is written as a float with `.um`).
#include "layout/drc_deck.h"

#include <fstream>
#include <algorithm>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace wlp::layout {

namespace {

std::string um(Nm length) { return fmt::format("{:.4f}.um", to_um(length)); }
std::string um(double length_m) { return um(to_nm(length_m)); }

class DeckWriter {
 public:
  DeckWriter(const design::Design& design, const DieLayout& layout) : design_(design), layout_(layout) {}

  DrcDeck write(const std::string& top_cell) {
    deck_.text = fmt::format(
        "# wlpkit DRC deck for design '{}' (generated; the numbers are the design's)\n"
        "# klayout -b -r this.drc -rd in_gds=FILE.gds -rd report=FILE.lyrdb\n"
        "source($in_gds, \"{}\")\n"
        "report(\"wlpkit rules of {}\", $report)\n"
        "deep\n"
        "threads(2)\n\n",
        design_.name, top_cell, design_.name);
    declare_layers();
    rdl_rules();
    opening_rules();
    site_rules();
    s0_rules();
    return std::move(deck_);
  }

 private:
  const design::Design& design_;
  const DieLayout& layout_;
  DrcDeck deck_;

  bool has(const std::string& layer) const { return layout_.layer_index(layer) >= 0; }

  // Ruby variable names for each layer: l<layer>_<datatype>.
  std::string var(const std::string& layer) const {
    const auto& spec = layout_.layers[static_cast<std::size_t>(layout_.layer_index(layer))].gds;
    return fmt::format("l{}_{}", spec.layer, spec.datatype);
  }

  void declare_layers() {
    for (const LayerDef& layer : layout_.layers)
      if (layer.name != "CUT" && layer.name != "LABEL")
        deck_.text += fmt::format("{} = input({}, {})  # {}\n", fmt::format("l{}_{}", layer.gds.layer, layer.gds.datatype),
                                  layer.gds.layer, layer.gds.datatype, layer.name);
    deck_.text += "\n";
  }

  void rule(const std::string& category, const std::string& description, const std::string& expression) {
    deck_.rules.push_back({category, description});
    deck_.text += fmt::format("{}.output(\"{}\", \"{}\")\n", expression, category, description);
  }

  void rdl_rules() {
    if (!design_.redistribution || !has("RDL")) return;
    const auto& rdl = *design_.redistribution;
    const std::string r = var("RDL");
    rule("RDL.W", fmt::format("RDL width < {:.3f} um", rdl.width_m * 1e6), fmt::format("{}.width({})", r, um(rdl.width_m)));
    // Space between distinct conductors (KLayout "isolated"); the notch where a wire joins its
    // own land is not a spacing of two nets (teardrops flare it). Nets that touch merge into
    // one polygon, so shorts are found by RDL.SHORT instead.
    rule("RDL.S", fmt::format("RDL space < {:.3f} um", rdl.min_space_m * 1e6), fmt::format("{}.isolated({})", r, um(rdl.min_space_m)));
    rule("RDL.SHORT.PAD", "RDL conductor joining two or more pads", fmt::format("{}.interacting({}, 2)", r, var("PAD")));
    if (has("BUMP"))
      // Ball sites shrunk to their centres (a 2 µm blob), so a ball larger than its land does not
      // count wires passing beside the land.
      rule("RDL.SHORT.LAND", "RDL conductor joining two or more ball sites",
           fmt::format("{}.interacting({}.sized(-{}), 2)", r, var("BUMP"), um(design_.bumps->ball_diameter_m / 2 - 1e-6)));
    rule("RDL.EDGE", fmt::format("RDL closer than {:.3f} um to the die edge", rdl.min_space_m * 1e6),
         fmt::format("{}.enclosed({}, {})", r, var("DIE"), um(rdl.min_space_m)));
    rule("RDL.PAD", "pad without RDL capture over it", fmt::format("{}.not_interacting({})", var("PAD"), r));
  }

  // Openings over pads must lie inside the pad and be enclosed by it (rule "opening over pad <
  // pad": an enclosure of at least 1 nm); openings over lands inside the RDL land.
  void opening_rules() {
    for (const design::StackLayer& stack : design_.stack) {
      const std::string name = "OPEN_" + stack.name;
      if (!has(name)) continue;
      if (stack.opening == "pads") {
        rule(name + ".IN", fmt::format("opening of '{}' outside its pad", stack.name), fmt::format("({} - {})", var(name), var("PAD")));
        rule(name + ".EN", fmt::format("pad does not enclose the opening of '{}'", stack.name),
             fmt::format("{}.enclosed({}, 0.001.um)", var(name), var("PAD")));
      } else if (stack.opening == "lands" && has("RDL") && design_.redistribution) {
        rule(name + ".IN", fmt::format("opening of '{}' outside its RDL land", stack.name), fmt::format("({} - {})", var(name), var("RDL")));
        rule(name + ".EN", fmt::format("RDL land does not enclose the opening of '{}'", stack.name),
             fmt::format("{}.enclosed({}, 0.001.um)", var(name), var("RDL")));
      }
    }
    if (has("TOP_PAD"))
      for (const design::StackLayer& stack : design_.stack)
        if (stack.opening == "pads" && has("OPEN_" + stack.name) && stack.is_photosensitive)
          rule("TOP_PAD.EN", fmt::format("top pad does not enclose the via of '{}'", stack.name),
               fmt::format("{}.enclosed({}, 0.001.um)", var("OPEN_" + stack.name), var("TOP_PAD")));
  }

  void site_rules() {
    if (!design_.bumps || !has("BUMP")) return;
    const auto& bumps = *design_.bumps;
    const std::string b = var("BUMP");
    rule("BUMP.PITCH", fmt::format("ball pitch < {:.3f} um", bumps.pitch_m * 1e6),
         fmt::format("{}.space({})", b, um(bumps.pitch_m - bumps.ball_diameter_m)));
    rule("BUMP.EDGE", fmt::format("ball closer than {:.3f} um to the die edge", design_.die.keep_out_m * 1e6),
         fmt::format("{}.enclosed({}, {})", b, var("DIE"), um(design_.die.keep_out_m)));
    if (has("POST") && has("RDL")) rule("POST.IN", "post outside its RDL land", fmt::format("({} - {})", var("POST"), var("RDL")));
    for (const LayerDef& layer : layout_.layers)
      if (layer.name.rfind("SECTION_", 0) == 0 && has("RDL"))
        rule(layer.name + ".IN", "stud/column outside its RDL land", fmt::format("({} - {})", var(layer.name), var("RDL")));
    if (has("UBM") && design_.pads.arrangement == "under_bumps")
      for (const design::StackLayer& stack : design_.stack)
        if (stack.opening == "pads" && has("OPEN_" + stack.name))
          rule("UBM.EN." + stack.name, fmt::format("UBM does not cover the opening of '{}'", stack.name),
               fmt::format("({} - {})", var("OPEN_" + stack.name), var("UBM")));
  }

  void s0_rules() {
    if (!has("PILLAR")) return;
    rule("PILLAR.IN", "pillar (via) outside the lower metal", fmt::format("({} - {})", var("PILLAR"), var("PAD")));
    if (has("RECESS"))
      rule("RECESS.OV", "recess that does not overlap a pillar", fmt::format("{}.not_interacting({})", var("RECESS"), var("PILLAR")));
  }
};

}  // namespace

DrcDeck drc_deck(const design::Design& design, const DieLayout& layout, const std::string& top_cell) {
  return DeckWriter(design, layout).write(top_cell);
}

namespace {

// Text between the first `open` at or after `from` and the `close` after it.
std::string between(const std::string& text, const std::string& open, const std::string& close, std::size_t from) {
  const std::size_t begin = text.find(open, from);
  if (begin == std::string::npos) return "";
  const std::size_t end = text.find(close, begin + open.size());
  if (end == std::string::npos) return "";
  return text.substr(begin + open.size(), end - begin - open.size());
}

}  // namespace

std::map<std::string, int> read_lyrdb_counts(const std::filesystem::path& lyrdb) {
  std::ifstream stream(lyrdb, std::ios::binary);
  if (!stream) throw std::runtime_error("cannot read the DRC report " + lyrdb.string());
  std::ostringstream text;
  text << stream.rdbuf();
  const std::string xml = text.str();
  if (xml.find("<report-database>") == std::string::npos)
    throw std::runtime_error(lyrdb.string() + " is not a KLayout report database (no <report-database>)");
  std::map<std::string, int> counts;
  // Categories first (so clean ones count 0), then one <item> per marker naming its category.
  const std::size_t items_at = std::min(xml.find("<items>"), xml.size());
  for (std::size_t at = xml.find("<category>"); at < items_at; at = xml.find("<category>", at + 1))
    counts[between(xml, "<name>", "</name>", at)] = 0;
  for (std::size_t at = xml.find("<item>", items_at); at != std::string::npos; at = xml.find("<item>", at + 1)) {
    std::string category = between(xml, "<category>", "</category>", at);
    if (category.size() >= 2 && category.front() == '\'' && category.back() == '\'') category = category.substr(1, category.size() - 2);
    ++counts[category];
  }
  return counts;
}

}  // namespace wlp::layout
