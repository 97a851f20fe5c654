// GDSII write benchmark: a 100 × 100 bump array at 400 µm pitch, per bump a 64-gon UBM (layer 1),
// a 64-gon passivation opening (layer 2) and a 45° RDL dogleg path 15 µm wide (layer 3): 30 000
// shapes. `flat` builds every shape in one cell; `hier` puts UBM + opening in a BUMP cell placed
// by one 100 × 100 AREF, paths flat. bench/gds/gdspy_bench.py builds the same with gdspy.
//
//   gds_bench flat|hier OUT.gds
// prints "build_s=… write_s=… total_s=… maxrss_kb=… bytes=…" (write = serialise + atomic write).
#include <sys/resource.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numbers>
#include <string>

#include "layout/gdsii.h"

namespace {

using namespace wlp::layout;
namespace gds = wlp::layout::gds;

constexpr int bumps_per_side = 100;
constexpr Nm pitch = 400'000;
constexpr double ubm_radius = 120'000, opening_radius = 100'000;
constexpr Nm rdl_width = 15'000;

// A regular 64-gon computed per call, as a layout script would (no cached unit circle).
Ring gon64(Point centre, double radius) {
  Ring ring;
  ring.reserve(64);
  for (int k = 0; k < 64; ++k) {
    const double angle = 2 * std::numbers::pi * (k + 0.5) / 64;
    ring.push_back({centre.x + std::llround(radius * std::cos(angle)), centre.y + std::llround(radius * std::sin(angle))});
  }
  return ring;
}

// From the bump centre east, a 45° jog north-east, then north: 4 points.
gds::PathElement rdl(Point c) {
  return {{3, 0}, 0, rdl_width, 0, 0, {c, {c.x + 130'000, c.y}, {c.x + 180'000, c.y + 50'000}, {c.x + 180'000, c.y + 150'000}}};
}

Point centre(int column, int row) { return {column * pitch, row * pitch}; }

gds::Library build(bool hierarchical) {
  gds::Library library;
  library.name = "BUMPS";
  library.timestamps = gds::current_timestamps();
  gds::Cell top{"TOP", library.timestamps, {}, {}, {}, {}, {}};
  if (hierarchical) {
    gds::Cell bump{"BUMP", library.timestamps, {}, {}, {}, {}, {}};
    bump.boundaries.push_back({{1, 0}, gon64({0, 0}, ubm_radius)});
    bump.boundaries.push_back({{2, 0}, gon64({0, 0}, opening_radius)});
    library.cells.push_back(std::move(bump));
    top.arrays.push_back({"BUMP", {0, 0}, bumps_per_side, bumps_per_side, {pitch, 0}, {0, pitch}, {}});
  } else {
    top.boundaries.reserve(2 * bumps_per_side * bumps_per_side);
  }
  top.paths.reserve(bumps_per_side * bumps_per_side);
  for (int row = 0; row < bumps_per_side; ++row)
    for (int column = 0; column < bumps_per_side; ++column) {
      const Point c = centre(column, row);
      if (!hierarchical) {
        top.boundaries.push_back({{1, 0}, gon64(c, ubm_radius)});
        top.boundaries.push_back({{2, 0}, gon64(c, opening_radius)});
      }
      top.paths.push_back(rdl(c));
    }
  library.cells.push_back(std::move(top));
  return library;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || (std::string(argv[1]) != "flat" && std::string(argv[1]) != "hier")) {
    std::fprintf(stderr, "usage: gds_bench flat|hier OUT.gds\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  const gds::Library library = build(std::string(argv[1]) == "hier");
  const double build_s = seconds_since(start);
  const auto write_start = std::chrono::steady_clock::now();
  gds::write_file(library, argv[2]);
  const double write_s = seconds_since(write_start);
  const double total_s = seconds_since(start);
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::printf("build_s=%.6f write_s=%.6f total_s=%.6f maxrss_kb=%ld bytes=%ju\n", build_s, write_s, total_s, usage.ru_maxrss,
              static_cast<std::uintmax_t>(std::filesystem::file_size(argv[2])));
  return 0;
}
