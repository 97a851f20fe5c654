// The recipe runner: builds the wafer model of a window, runs every step of the design's
// recipe on it, and hands each intermediate state to an observer (cross-sections, progress).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "design/design.h"
#include "layout/die_layout.h"
#include "process/section_plot.h"
#include "process/steps.h"
#include "process/wafer_model.h"

namespace wlp::process {

/// A cross-section line: a polyline in die coordinates (nm), unrolled in the figures.
struct CutLine {
  std::vector<Point> points;
  std::string description;
  [[nodiscard]] Nm length() const;
};

/// The default cut: through the first pad and along its redistribution wire to its land and
/// bump when the design has an RDL; along the first bump row from the die edge over two sites
/// otherwise; along the strip through the via for S0.
CutLine default_cut(const design::Design& design, const layout::DieLayout& layout);

enum class WindowKind { Cut, Cell, Die };

struct BuildOptions {
  Nm resolution = 1000;  // circle chord error is a quarter of it; solder ring step
  WindowKind window = WindowKind::Cut;
  std::optional<CutLine> cut;
};

/// The window of the wafer a build models.
Box build_window(const design::Design& design, const layout::DieLayout& layout, const CutLine& cut, WindowKind kind);

struct BuildResult {
  CutLine cut;
  std::vector<StepReport> reports;
};

using StepObserver = std::function<void(const StepReport& report, const WaferModel& model)>;

/// Runs the recipe on `model` (created by the caller from build_window). Throws
/// design::InputError at the first impossible step.
BuildResult run_recipe(WaferModel& model, const design::Design& design, const layout::DieLayout& layout,
                       const BuildOptions& options, const StepObserver& after_step);

/// A new model of the window: the die's substrate, tiled on the default grid.
WaferModel make_model(const design::Design& design, const Box& window);
/// The same with the tiles on the bump array: tile edges midway between sites, a whole number
/// of pitches (at least 300 um) per tile, so no tile edge crosses a bump.
WaferModel make_model(const design::Design& design, const layout::DieLayout& layout, const Box& window);

/// The figure of the model cut along the line.
SectionFigure cut_section(const WaferModel& model, const design::Design& design, const CutLine& cut);

}  // namespace wlp::process
