// Shared by the rule tests (tests/rules/*.cpp): minimal valid designs of every structure, and
// helpers that write a design into a scratch folder, load it, check it and look at findings.
//
// Every test writes two files: `base.toml` (one of the bases below, a complete design that
// passes every rule) and `design.toml`, which starts with `include = "base.toml"` and overrides
// the keys under test. Line numbers are always computed from the text the test wrote.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "design/design.h"
#include "rules/rules.h"
#include "support/test_support.h"

namespace wlp::rules_test {

using rules::Finding;
using rules::Severity;

// ---------------------------------------------------------------------------------------------
// Minimal valid designs (numbers explained where a rule looks at them).

// 4 mm silicon die; bump array 3 x 3 at 400 um: outermost ball 400 + 125 + 100 = 625 um < 2 mm.
inline const std::string kDie = R"(
[die]
size_x = "4 mm"
size_y = "4 mm"
thickness = "400 um"
keep_out = "100 um"
)";

inline const std::string kBumps = R"(
[bumps]
columns = 3
rows = 3
pitch = "400 um"
ball_diameter = "250 um"
alloy = "SAC305"
)";

// Board pads and mask openings below the 400 um pitch.
inline const std::string kBoard = R"(
[board]
material = "FR4"
thickness = "1 mm"
pad_diameter = "250 um"
solder_mask_opening = "350 um"
)";

// 2 pads per side = 8 pads <= 9 lands; land 240 + space 15 = 255 um <= 400 um pitch.
inline const std::string kRingPadsAndRdl = R"(
[pads]
material = "Al"
size = "80 um"
arrangement = "ring"
per_side = 2
pitch = "250 um"
edge_distance = "100 um"

[redistribution]
thickness = "5 um"
width = "15 um"
min_space = "15 um"
land_diameter = "240 um"
)";

// B0: pad-sized UBM (240 um = 240 um), passivation only, reflow 245 C > SAC305 liquidus 220 C.
// 250 um SAC305 balls placed and reflowed at 245 C (> 220 C liquidus): the last steps of the
// B0 and S3 bases.
inline const std::string kSacBallAttach = R"(
[[recipe.step]]
name = "place-balls"
op = "place_balls"
kind = "solder"
diameter = "250 um"
material = "SAC305"

[[recipe.step]]
name = "reflow"
op = "reflow"
peak_temperature = "245 C"
)";

inline const std::string kB0Base = R"([design]
name = "b0-min"
structure = "B0"
)" + kDie + kBumps + kBoard + R"(
[pads]
shape = "circle"
size = "240 um"
arrangement = "under_bumps"

[[stack]]
name = "passivation"
role = "passivation"
material = "Si3N4_PECVD"
thickness = "0.7 um"
applied = "pecvd"
opening = "pads"
opening_size = "200 um"

[interconnect]
type = "ubm_ball"
ubm_diameter = "240 um"

[[interconnect.ubm_layer]]
name = "wettable"
material = "Cu_ED"
thickness = "0.8 um"

)" + kSacBallAttach;

// S0: photoresist pillar 0.6 um (decomposes 300 C) under 1.2 um spin-on glass (800 C); anneal
// 400 C in between; recess 0.65 um >= 1.2 - 0.6 = 0.6 um; offset 0.1 um < (0.8 + 0.5)/2 = 0.65 um;
// PVD TaN barrier, then clean, then Cu plating.
inline const std::string kS0Base = R"([design]
name = "s0-min"
structure = "S0"
)" + kDie + R"(
[pads]
material = "AlCu"
size = "1 um"
arrangement = "list"

[[pads.pad]]
name = "M1"
x = "0 um"
y = "0 um"

[[stack]]
name = "pillar"
role = "sacrificial"
material = "photoresist"
thickness = "0.6 um"
applied = "spin"

[[stack]]
name = "glass"
role = "inter_metal"
material = "spin_on_glass"
thickness = "1.2 um"
applied = "spin"

[interconnect]
type = "sacrificial_via"
via_size = "0.5 um"
line_width = "0.8 um"
line_length = "20 um"
recess_depth = "0.65 um"
via_offset = "0.1 um"
conductor = "Cu_ED"
barrier_material = "TaN"
barrier_thickness = "25 nm"

[[recipe.step]]
name = "spin-coat-pillar"
op = "spin_coat"
layer = "pillar"

[[recipe.step]]
name = "spin-coat-glass"
op = "spin_coat"
layer = "glass"

[[recipe.step]]
name = "anneal"
op = "anneal"
temperature = "400 C"
time = "60 min"

[[recipe.step]]
name = "clean"
op = "clean"
method = "wet"

[[recipe.step]]
name = "barrier"
op = "deposit"
method = "pvd"
material = "TaN"
thickness = "25 nm"

[[recipe.step]]
name = "plate-cu"
op = "electroplate"
material = "Cu_ED"
thickness = "1 um"
)";

// S1: BCB 5 um under a 40 um epoxy cover (8x >= 4x); ball 250 um >= opening 180 um; Ag-epoxy
// printed by doctor blade, balls placed, then cured. Cure temperatures stay below the
// decomposition of everything organic on the wafer (BCB 450 C, epoxy 300 C, Ag-epoxy 425 C).
// No dice step: the tests of S1.DICE.AFTER_CURE add it.
inline const std::string kS1Base = R"([design]
name = "s1-min"
structure = "S1"
)" + kDie + kBumps + kRingPadsAndRdl + R"(
[[stack]]
name = "first-insulator"
role = "dielectric"
material = "BCB"
thickness = "5 um"
applied = "spin"
opening = "pads"
opening_size = "50 um"

[[stack]]
name = "second-insulator"
role = "cover"
material = "epoxy_unfilled"
thickness = "40 um"
applied = "spin"
opening = "lands"
opening_size = "180 um"

[interconnect]
type = "adhesive_cylinder"
fill = "conductive_adhesive"
fill_material = "Ag_epoxy"
opening_diameter = "180 um"
ball_diameter = "250 um"
ball_core = "DVB"

[[interconnect.ball_coating]]
name = "nickel"
material = "Ni"
thickness = "2 um"

[[recipe.step]]
name = "spin-first"
op = "spin_coat"
layer = "first-insulator"

[[recipe.step]]
name = "cure-first"
op = "cure"
layer = "first-insulator"
temperature = "250 C"
time = "60 min"

[[recipe.step]]
name = "spin-second"
op = "spin_coat"
layer = "second-insulator"

[[recipe.step]]
name = "cure-second"
op = "cure"
layer = "second-insulator"
temperature = "200 C"
time = "60 min"

[[recipe.step]]
name = "print-fill"
op = "print"
material = "Ag_epoxy"
method = "doctor_blade"

[[recipe.step]]
name = "place-balls"
op = "place_balls"
kind = "metallized_plastic"
diameter = "250 um"

[[recipe.step]]
name = "cure-fill"
op = "cure"
temperature = "150 C"
time = "60 min"
)";

// S2: contact points 2 um; PI-2730 8 um over 0.2 um PECVD oxide + 0.7 um PECVD nitride:
// aspect (8 + 0.9) / 2 = 4.45 <= 5; top pad 100 um >= 2 um; openings 1.8 um <= 2 um.
inline const std::string kS2Base = R"([design]
name = "s2-min"
structure = "S2"
)" + kDie + R"(
[pads]
material = "AlCu"
size = "2 um"
arrangement = "ring"
per_side = 2
pitch = "250 um"
edge_distance = "100 um"

[[stack]]
name = "passivation-oxide"
role = "passivation"
material = "SiO2_PECVD"
thickness = "0.2 um"
applied = "pecvd"
opening = "pads"
opening_size = "1.8 um"

[[stack]]
name = "passivation-nitride"
role = "passivation"
material = "Si3N4_PECVD"
thickness = "0.7 um"
applied = "pecvd"
opening = "pads"
opening_size = "1.8 um"

[[stack]]
name = "polyimide"
role = "dielectric"
material = "PI2730"
thickness = "8 um"
applied = "spin"
opening = "pads"
opening_size = "1.8 um"

[interconnect]
type = "polyimide_via"
top_pad_size = "100 um"
top_pad_thickness = "4 um"
contact_dielectric_material = "SiO2_PECVD"
contact_dielectric_thickness = "0.6 um"

[[recipe.step]]
name = "spin-polyimide"
op = "spin_coat"
layer = "polyimide"

[[recipe.step]]
name = "cure-polyimide"
op = "cure"
layer = "polyimide"
temperature = "350 C"
time = "60 min"
)";

// S3 (FIG 1): Cu post 60 um x 50 um (claim 8: 12-300 um high, 20-100 um wide; preferred 15-200),
// Cu UBM 200 um x 5 um (5 um x 130 GPa < 50 um x 130 GPa), ball 250 um, PI-2611 resin 50 um =
// post height (full contact); resin cured 350 C < 500 C, reflow 245 C > 220 C and < 500 C.
inline const std::string kS3Base = R"([design]
name = "s3-min"
structure = "S3"
)" + kDie + kBumps + kBoard + kRingPadsAndRdl + R"(
[[stack]]
name = "insulator-106"
role = "dielectric"
material = "SiO2_PECVD"
thickness = "1 um"
applied = "pecvd"
opening = "pads"
opening_size = "60 um"

[[stack]]
name = "resin"
role = "resin"
material = "PI2611"
thickness = "50 um"
applied = "spin"
opening = "posts"
opening_size = "60 um"

[interconnect]
type = "post_ubm_resin"
post_material = "Cu_ED"
post_diameter = "60 um"
post_height = "50 um"
ubm_material = "Cu_ED"
ubm_diameter = "200 um"
ubm_thickness = "5 um"
resin_contact = "full"

[[recipe.step]]
name = "spin-resin"
op = "spin_coat"
layer = "resin"

[[recipe.step]]
name = "cure-resin"
op = "cure"
layer = "resin"
temperature = "350 C"
time = "60 min"

)" + kSacBallAttach;

// S4 (embodiment 1): HD-4100 film (pyrolysis 500 C >= 200 C) under one tier of Au stud bumps
// 60 um high in buffer_resin (E 1 GPa, inside 0.01-8 GPa) polished to 50 um (60 >= 50: flush
// lands); one polish for one tier; Sn63Pb37 balls reflowed at 220 C > 183 C, below the buffer's
// 300 C decomposition.
inline const std::string kS4Base = R"([design]
name = "s4-min"
structure = "S4"
)" + kDie + R"(
[bumps]
columns = 3
rows = 3
pitch = "400 um"
ball_diameter = "250 um"
alloy = "Sn63Pb37"
)" + kRingPadsAndRdl + R"(
[[stack]]
name = "film"
role = "dielectric"
material = "HD4100"
thickness = "5 um"
applied = "spin"
opening = "pads"
opening_size = "60 um"

[interconnect]
type = "embedded_section"
section = "stud_bump"

[[interconnect.tier]]
name = "tier1"
section_material = "Au"
section_diameter = "60 um"
section_height = "60 um"
buffer_material = "buffer_resin"
buffer_thickness = "50 um"

[[recipe.step]]
name = "spin-film"
op = "spin_coat"
layer = "film"

[[recipe.step]]
name = "cure-film"
op = "cure"
layer = "film"
temperature = "350 C"
time = "60 min"

[[recipe.step]]
name = "stud-bumps"
op = "stud_bump"
material = "Au"
diameter = "60 um"
height = "60 um"

[[recipe.step]]
name = "coat-buffer"
op = "spin_coat"
material = "buffer_resin"
thickness = "60 um"

[[recipe.step]]
name = "cure-buffer"
op = "cure"
temperature = "150 C"
time = "60 min"

[[recipe.step]]
name = "polish-buffer"
op = "polish"
method = "cmp"
thickness = "50 um"

[[recipe.step]]
name = "reflow"
op = "reflow"
peak_temperature = "220 C"
)";

// ---------------------------------------------------------------------------------------------
// Loading and checking

/// A design written to disk, loaded and checked.
struct Checked {
  std::string base_text;    // contents of base.toml
  std::string design_text;  // contents of design.toml (the loaded file)
  design::Design design;
  rules::CheckReport report;
};

/// Writes `files` (name, contents) into a fresh scratch folder, loads the last one and checks
/// it. A load error is reported as a test failure with every diagnostic; returns nullopt then.
std::optional<Checked> check_files(const std::vector<std::pair<std::string, std::string>>& files);

/// base.toml = `base`; design.toml = `include = "base.toml"` followed by `overlay`.
std::optional<Checked> check_override(const std::string& base, const std::string& overlay);

/// The text check_override writes to design.toml for `overlay`.
std::string overlay_text(const std::string& overlay);

/// 1-based line of the only line of `text` containing `needle` (a test failure otherwise).
int line_of(const std::string& text, const std::string& needle);

/// 1-based line of the `[[...]]` header that opens the array-of-tables element whose body
/// contains `needle` (the nearest header above the needle's line).
int header_line_of(const std::string& text, const std::string& needle);

/// Findings of one rule.
std::vector<const Finding*> findings_of(const rules::CheckReport& report, const std::string& rule_id);

/// True when the rule was evaluated (applies to the design) for this report.
bool was_evaluated(const rules::CheckReport& report, const std::string& rule_id);

/// `message` contains `number_and_unit` as a whole number (not as the tail of a longer one:
/// "8 um" does not match inside "18 um" or "0.8 um").
::testing::AssertionResult quotes(const std::string& message, const std::string& number_and_unit);

/// Plain substring test with a readable failure.
::testing::AssertionResult contains(const std::string& text, const std::string& part);

/// SI value equal to `expected` within 1e-12 relative (exactly, for zero).
::testing::AssertionResult si_equals(const std::optional<double>& actual, double expected);

/// The finding points at `file_name` (base.toml / design.toml), line `line`.
::testing::AssertionResult points_at(const Finding& finding, const std::string& file_name, int line);

/// One-line description of every finding of a report (for failure messages).
std::string describe(const rules::CheckReport& report);

}  // namespace wlp::rules_test

// Loads + checks, or ends the test (the helper already explained the load failure).
#define WLP_CHECK_OVERRIDE(var, base, overlay)                    \
  const auto var##_optional = ::wlp::rules_test::check_override((base), (overlay)); \
  ASSERT_TRUE(var##_optional.has_value());                        \
  const ::wlp::rules_test::Checked& var = *var##_optional
