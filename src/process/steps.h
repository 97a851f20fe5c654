// The step library of the virtual fab: each recipe op is a small function that edits the wafer
// model, validates its parameters against what is on the wafer, and reports what it did.
// A physically impossible step (an etch whose stop material is absent, plating without a seed,
// a polish that leaves a stud buried, ...) throws design::InputError located at the step,
// naming its number, its name and the numbers involved.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "design/design.h"
#include "layout/die_layout.h"
#include "process/wafer_model.h"

namespace wlp::process {

/// What a build needs besides the model: the design, its layout (masks), resolution.
struct StepContext {
  const design::Design& design;
  const layout::DieLayout& layout;
  Nm resolution = 1000;  // chord error of circles and radial step of solder rings (nm)

  /// The shapes drawn on a recipe mask (die coordinates), or an error at `step` if the layout
  /// has no such mask.
  [[nodiscard]] Region mask_drawn(const std::string& mask, const design::Step& step) const;
  [[nodiscard]] const layout::MaskUse* mask_use(const std::string& mask) const;
  /// Populated ball sites (nm) with their names.
  [[nodiscard]] std::vector<std::pair<Point, std::string>> sites() const;
  /// Centres of the die's pads (nm).
  [[nodiscard]] std::vector<Point> pad_centres() const;
};

/// What a step did, for the build log and the report.
struct StepReport {
  int index = 0;
  std::string name, op, note;
  std::vector<std::string> did;           // one line each: "plated 5.000 um Cu_ED on 0.123 mm2"
  std::map<std::string, double> numbers;  // key figures, SI: "plated_volume_m3", "cut_z_m"
  std::vector<std::string> warnings;
};

/// Runs one step on the model.
StepReport run_step(WaferModel& model, const StepContext& context, const design::Step& step);

/// Ops the step library executes (every op of the recipe registry).
std::vector<std::string> supported_ops();

}  // namespace wlp::process
