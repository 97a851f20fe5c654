// A KLayout DRC deck written from a design's rules, and the reader of KLayout's report.
//
// The deck checks the layout wlpkit wrote against the numbers of the design (RDL width and
// space, clearance to the die edge, openings inside and enclosed by the metal under them,
// vias and posts on their lands, ball pitch and ball-to-edge distance). Run it with
//   klayout -b -r <name>.drc -rd in_gds=<name>.gds -rd report=<name>.lyrdb
// KLayout exits 0 even when it finds violations: the markers are in the report database.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "design/design.h"
#include "layout/die_layout.h"

namespace wlp::layout {

struct DrcRule {
  std::string category;     // "RDL.W", "OPEN_insulator-106.EN", ...
  std::string description;  // "RDL width < 15 um"
};

struct DrcDeck {
  std::string text;  // the KLayout DRC script
  std::vector<DrcRule> rules;
};

/// The deck for a die layout; `top_cell` is the cell it checks (the die cell).
DrcDeck drc_deck(const design::Design& design, const DieLayout& layout, const std::string& top_cell);

/// Marker counts per category of a KLayout report database (.lyrdb, XML). Throws
/// std::runtime_error when the file cannot be read or is not a report database.
std::map<std::string, int> read_lyrdb_counts(const std::filesystem::path& lyrdb);

}  // namespace wlp::layout
