// Surface Evolver as an independent oracle for molten solder: runs `evolver` on the model that
// process::evolver_model writes (a body of a given volume pinned on circular pads) and reads
// the relaxed height it prints. Shared by the solder-shape tests.
#pragma once

#include <gtest/gtest.h>

#include <charconv>
#include <chrono>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "process/solder_shape.h"
#include "support/test_support.h"

namespace wlp::test {

struct EvolverResult {
  double height_um = 0;
  double seconds = 0;  // wall time of the evolver run (reported, never asserted)
};

/// The number after the last `height = ` that Evolver printed (not its echo of the printf).
inline std::optional<double> evolver_printed_height(const std::string& out) {
  std::optional<double> height;
  const std::string key = "height = ";
  for (std::size_t at = out.find(key); at != std::string::npos; at = out.find(key, at + 1)) {
    if (at > 0 && out[at - 1] == '"') continue;
    const char* first = out.data() + at + key.size();
    double value = 0;
    const auto [end, error] = std::from_chars(first, out.data() + out.size(), value);
    if (error == std::errc() && end != first) height = value;
  }
  return height;
}

/// A relaxation script for starts far from the relaxed shape, printing "height = <um>" like
/// process::evolver_script. process::evolver_model starts a bump from the cylinder of its
/// volume on its pad: for a 250 um ball on a 100 um pad (the S4 lands) a cylinder 1 042 um
/// tall, which the plain gradient descent of process::evolver_script leaves about 1 000 um
/// tall. Conjugate gradient (U) and more iterations on the coarse meshes, with equiangulation
/// (u) and vertex averaging (V) after each refinement, bring it down to the sphere; three
/// refinements as there (the mesh's error is the same, ≈ +0.4 % on a bump's height).
inline std::string evolver_script_for_far_starts() {
  return "U; g 100; r; g 100; u; V; g 100; r; u; V; g 200; u; V; g 200; r; u; V; g 300; u; V; g 300\n"
         "printf \"height = %.9f\\n\", max(vertex, z)\n"
         "q\n";
}

/// Relaxes `volume_m3` of solder pinned on a bottom pad of radius `bottom_radius_m` and a top
/// pad of radius `top_radius_m` (0: a bump with a free top) by `script` and returns the height
/// Evolver finds: the standoff of a joint, the apex of a bump. A missing `evolver` or a failed
/// run is a test failure (ADD_FAILURE) and gives nothing.
inline std::optional<EvolverResult> run_evolver(double volume_m3, double bottom_radius_m, double top_radius_m,
                                                const std::string& script = process::evolver_script()) {
  if (run_command("command -v evolver").exit_code != 0) {
    ADD_FAILURE() << "Surface Evolver (`evolver`, Debian package evolver-nox) is not installed: run "
                     "scripts/setup.sh";
    return std::nullopt;
  }
  const ScratchDir dir;
  const auto model = dir.write("joint.fe", process::evolver_model(volume_m3, bottom_radius_m, top_radius_m));
  const auto script_file = dir.write("relax.cmd", script);
  const auto start = std::chrono::steady_clock::now();
  // -p1: one worker thread, so parallel test runs do not oversubscribe the machine.
  const CliResult run = run_command(
      fmt::format("timeout 120 evolver -p1 {} < {}", quoted(model.string()), quoted(script_file.string())));
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  const std::optional<double> height = evolver_printed_height(run.out);
  if (run.exit_code != 0 || !height) {
    ADD_FAILURE() << "evolver exited " << run.exit_code << " without a height; stderr:\n"
                  << run.err << "\nstdout tail:\n"
                  << run.out.substr(run.out.size() > 3000 ? run.out.size() - 3000 : 0);
    return std::nullopt;
  }
  return EvolverResult{*height, elapsed.count()};
}

}  // namespace wlp::test
