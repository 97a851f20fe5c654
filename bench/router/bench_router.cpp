// Benchmark of the fan-in RDL router (src/layout/rdl_router.h) on two generated WLCSP dies:
//   4mm    4 × 4 mm die, 48 pads (12 per side, 250 µm pitch, 80 µm), 9 × 9 lands (400 µm, 240 µm),
//          15/15 µm wires — free assignment uses 48 of the 81 lands
//   20x20  9 × 9 mm die, 400 pads (100 per side, 80 µm pitch, 50 µm), 20 × 20 lands (400 µm,
//          240 µm), 10/10 µm wires — every land is used
// Each case is routed --repeat times; the median and minimum wall time, routed fraction, total
// length, negotiation rounds, grid pitch and the process's peak RSS are printed, one line per
// case, then the unrouted nets with their reasons.
//
//   bench_router [--repeat N] [--case 4mm|20x20|all] [--wire WIDTH SPACE] [--iterations N]
//                [--png PREFIX [--zoom X0 Y0 X1 Y1]]
// --wire overrides the wire width and space (µm), --iterations the negotiation rounds, --png
// draws each result (PREFIX-CASE.png), --zoom only that window of the die (µm).
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "layout/geometry.h"
#include "layout/plot.h"
#include "layout/fan_in_case.h"
#include "layout/rdl_router.h"

namespace {

using namespace wlp::layout;

constexpr Nm kUm = 1000;

struct RingCase {
  std::string name;
  FanInSpec spec;
};

const std::vector<RingCase>& cases() {
  static const std::vector<RingCase> all = {
      {"4mm", {4000 * kUm, 12, 250 * kUm, 80 * kUm, 100 * kUm, 9, 400 * kUm, 240 * kUm, 15 * kUm, 15 * kUm, 25 * kUm}},
      {"20x20", {9000 * kUm, 100, 80 * kUm, 50 * kUm, 100 * kUm, 20, 400 * kUm, 240 * kUm, 10 * kUm, 10 * kUm, 20 * kUm}},
  };
  return all;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

void plot(const RouterInput& in, const RouteResult& result, const std::string& path, const Box& window) {
  Canvas canvas(window.width() > 0 ? window : in.die, 2400, fmt::format("RDL router: {} of {} nets", result.nets.size(), result.nets.size() + result.unrouted.size()));
  canvas.fill({box_polygon(in.die)}, colour("#f4f4f4"), colour("#999999"));
  Region lands, pads, wires;
  for (const RouterLand& land : in.lands) lands.push_back(circle(land.centre, land.diameter / 2, 200));
  for (const RouterPad& pad : in.pads) pads.push_back(square(pad.centre, pad.size));
  for (const RoutedNet& net : result.nets) wires.push_back(path_polygon(wire_path(net, in.width)));
  canvas.fill(lands, colour("#c9a227", 0.6), colour("#8a6d00"));
  canvas.fill(pads, colour("#4a78c2", 0.6), colour("#1d3f7a"));
  canvas.fill(wires, colour("#c0392b", 0.85), colour("#7b1d12"), 0);
  for (const UnroutedNet& net : result.unrouted) {
    Point a{}, b{};
    for (const RouterPad& pad : in.pads)
      if (pad.name == net.pad) a = pad.centre;
    for (const RouterLand& land : in.lands)
      if (land.name == net.land) b = land.centre;
    canvas.line({a, b}, colour("#2e8b57"), 1.5);
  }
  canvas.write_png(path);
}

struct Options {
  int repeat = 5;
  std::string which = "all", png;
  int iterations = 0;
  Nm wire_width = 0, wire_space = 0;
  Box window;
};

// Options from the command line; false on anything it does not know.
bool parse(int argc, char** argv, Options& o) {
  for (int k = 1; k < argc; ++k) {
    const std::string arg = argv[k];
    auto um = [&](int offset) { return static_cast<Nm>(std::atof(argv[k + offset]) * 1000); };
    if (arg == "--repeat" && k + 1 < argc) {
      o.repeat = std::max(1, std::atoi(argv[++k]));
    } else if (arg == "--case" && k + 1 < argc) {
      o.which = argv[++k];
    } else if (arg == "--png" && k + 1 < argc) {
      o.png = argv[++k];
    } else if (arg == "--iterations" && k + 1 < argc) {
      o.iterations = std::atoi(argv[++k]);
    } else if (arg == "--wire" && k + 2 < argc) {
      o.wire_width = um(1);
      o.wire_space = um(2);
      k += 2;
    } else if (arg == "--zoom" && k + 4 < argc) {
      o.window = {{um(1), um(2)}, {um(3), um(4)}};
      k += 4;
    } else {
      return false;
    }
  }
  return true;
}

void run_case(const RingCase& c, const Options& o) {
  RouterInput in = fan_in_router_input(c.spec);
  if (o.iterations > 0) in.max_iterations = o.iterations;
  if (o.wire_width > 0) {
    in.width = o.wire_width;
    in.space = o.wire_space;
  }
  std::vector<double> seconds;
  RouteResult result;
  for (int r = 0; r < o.repeat; ++r) {
    const auto start = std::chrono::steady_clock::now();
    result = route_rdl(in);
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  fmt::print("{:<7} {:>5} {:>6.1f}% {:>9.3f} {:>9.3f} {:>13.3f} {:>6} {:>9.3f} {:>9.1f}\n", c.name,
             result.nets.size() + result.unrouted.size(), 100 * result.routed_fraction(), seconds[seconds.size() / 2],
             seconds.front(), result.total_length_m * 1e3, result.iterations, to_um(result.grid_pitch), peak_rss_mb());
  for (const UnroutedNet& net : result.unrouted) fmt::print("  unrouted {} -> {}: {}\n", net.pad, net.land, net.reason);
  if (!o.png.empty()) plot(in, result, o.png + "-" + c.name + ".png", o.window);
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: bench_router [--repeat N] [--case 4mm|20x20|all] [--wire WIDTH SPACE] [--iterations N] "
                 "[--png PREFIX [--zoom X0 Y0 X1 Y1]]\n");
    return 2;
  }
  fmt::print("{:<7} {:>5} {:>7} {:>9} {:>9} {:>13} {:>6} {:>9} {:>9}\n", "case", "nets", "routed", "median_s", "min_s",
             "total_len_mm", "iters", "pitch_um", "rss_mb");
  for (const RingCase& c : cases())
    if (options.which == "all" || options.which == c.name) run_case(c, options);
  return 0;
}
