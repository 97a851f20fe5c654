// Internal to the step library: the state one step works with, and the column edits the ops
// share (add a film on top, conformal growth, material tests). Not part of the public API.
#pragma once

#include <optional>
#include <string>

#include <fmt/format.h>

#include "process/steps.h"

namespace wlp::process {

class StepRun {
 public:
  StepRun(WaferModel& model_in, const StepContext& context_in, const design::Step& step_in, StepReport& report_in)
      : model(model_in), context(context_in), step(step_in), report(report_in) {}

  WaferModel& model;
  const StepContext& context;
  const design::Step& step;
  StepReport& report;

  /// Stops the build: an InputError at the step (or at one of its parameters).
  [[noreturn]] void fail(const std::string& message, const std::string& param = "") const;
  void did(std::string line) const { report.did.push_back(std::move(line)); }
  void warn(std::string line) const { report.warnings.push_back(std::move(line)); }

  // Parameters (SI values from the design file; lengths also in nm).
  [[nodiscard]] std::optional<Nm> length_nm(const std::string& key) const;
  [[nodiscard]] Nm required_length_nm(const std::string& key) const;
  [[nodiscard]] std::optional<double> number(const std::string& key) const { return step.number(key); }
  /// A dimensionless parameter that must lie in [lo, hi].
  [[nodiscard]] double fraction(const std::string& key, double fallback, double lo = 0, double hi = 1) const;
  [[nodiscard]] std::string text(const std::string& key, const std::string& fallback = "") const {
    return step.text(key).value_or(fallback);
  }
  [[nodiscard]] const design::Material* material(const std::string& id) const { return context.design.material(id); }
  [[nodiscard]] double material_number(const std::string& id, const std::string& key, double fallback) const;

  // Material tests on model indices.
  [[nodiscard]] const std::string& class_of(MaterialIndex m) const;
  [[nodiscard]] bool is_conductive(MaterialIndex m) const;  // metal, solder, intermetallic, composite paste
  [[nodiscard]] bool is_wettable(MaterialIndex m) const;
  [[nodiscard]] bool is_resist(const Interval& piece) const;
  [[nodiscard]] double decomposition_K(MaterialIndex m) const;  // infinity when unknown
};

// --- column edits -----------------------------------------------------------------------------

/// The column with a new interval [top, top + thickness] (or [z_from, z_to]).
Stack with_on_top(const Stack& stack, Nm thickness, MaterialIndex material, FilmIndex film, std::uint8_t flags = 0);
Stack with_filled_to(const Stack& stack, Nm z_to, MaterialIndex material, FilmIndex film, std::uint8_t flags = 0);
/// The column without the intervals for which `drop` is true.
Stack without(const Stack& stack, const std::function<bool(const Interval&)>& drop);
/// The column cut at z (everything above removed).
Stack cut_at(const Stack& stack, Nm z);
/// The top interval, skipping intervals for which `skip` is true (null when none).
const Interval* top_interval(const Stack& stack, const std::function<bool(const Interval&)>& skip = nullptr);

/// Whether any resist is on the wafer.
bool has_resist(const WaferModel& model);

/// `box` grown by `by` on every side.
Box grown_box(const Box& box, Nm by);

/// A window-wide region indexed by its polygons' boxes, for work done tile by tile: booleans
/// on a die-wide region at once merge thousands of polygons (quadratic in Clipper).
class BoxedRegion {
 public:
  explicit BoxedRegion(const Region& region);
  /// The polygons whose boxes meet `box`, unclipped (copies: edits may move the model's).
  [[nodiscard]] Region near(const Box& box) const;

 private:
  std::vector<std::pair<Box, layout::Polygon>> polygons_;
};

/// Grows a film over the surface: `top_nm` on every top surface and `side_nm` laterally from
/// every step edge up to the top of the step (the Minkowski sum of the surface with a flat disc
/// of radius side_nm and height top_nm: conformal when side = top, directional when side = 0).
/// Every column of the window grows.
void grow_film(WaferModel& model, Nm top_nm, Nm side_nm, MaterialIndex material, FilmIndex film);

// --- the ops (one function each, grouped by family in step_<family>.cpp) ---------------------
void op_deposit(const StepRun& run);        // step_films.cpp
void op_spin_coat(const StepRun& run);
void op_laminate(const StepRun& run);
void op_cure(const StepRun& run);
void op_anneal(const StepRun& run);
void op_decompose(const StepRun& run);
void op_lithography(const StepRun& run);    // step_litho.cpp
void op_resist_coat(const StepRun& run);
void op_expose(const StepRun& run);
void op_develop(const StepRun& run);
void op_expose_develop(const StepRun& run);
void op_strip(const StepRun& run);
void op_etch(const StepRun& run);           // step_etch.cpp
void op_polish(const StepRun& run);
void op_clean(const StepRun& run);
void op_dice(const StepRun& run);
void op_electroplate(const StepRun& run);   // step_plate.cpp
void op_print(const StepRun& run);
void op_stud_bump(const StepRun& run);
void op_attach_column(const StepRun& run);
void op_foil_laminate(const StepRun& run);
void op_flux(const StepRun& run);           // step_solder.cpp
void op_place_balls(const StepRun& run);
void op_reflow(const StepRun& run);

/// Removes the films that decompose at `temperature_K` (resists and sacrificial layers leave
/// voids); any other film that would decompose stops the build. Shared by cure, anneal, reflow.
void decompose_films(const StepRun& run, double temperature_K);

/// Spin-coats or laminates a film: its surface blends the conformal surface (column top plus
/// `coat_nm`) and a flat one at the mean level holding the same volume (`planarization` 0..1).
/// Columns inside `openings` stay bare. When a feature stays above the coat surface, a film
/// that `must_cover` stops the build; otherwise it is a warning.
FilmIndex coat_film(const StepRun& run, const Film& film, Nm coat_nm, double planarization, std::uint8_t flags,
                    const Region* openings, bool must_cover);

/// "12.345 um" for messages.
std::string um(Nm length);
std::string um_m(double length_m);
std::string celsius(double temperature_K);

}  // namespace wlp::process
