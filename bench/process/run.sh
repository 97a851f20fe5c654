#!/bin/sh
# Process (virtual fab) benchmark: `wlpkit build` of S4 embodiment 1 (34 steps) on growing
# windows (the cut strip, the whole 4 x 4 mm die) and resolutions, Release build. Prints wall
# time and peak RSS per run (GNU time), the model's size from metrology.json and the size of the
# 3D files (the VTU, all STL files): the figures in bench/RESULTS.md, section "Process".
#   bench/process/run.sh [BUILD_DIR]
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build-bench-process}
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWLPKIT_BUILD_TESTS=OFF -DWLPKIT_BUILD_BENCH=OFF >/dev/null
ninja -C "$build" wlpkit >/dev/null
wlpkit="$build/apps/wlpkit/wlpkit"
out=$(mktemp -d)
printf '%-8s %-14s %10s %10s %8s %8s %8s %10s %8s %10s %8s %8s %8s\n' window resolution_um wall_s rss_MB steps_s figures_s export_s \
  window_mm2 cells vertices figures vtu_MB stl_MB
for case in "cut 2" "cut 1" "cut 0.5" "cell 1" "die 2" "die 1" "die 0.5"; do
  set -- $case
  /usr/bin/time -f '%e %M' -o "$out/time" "$wlpkit" build "$repo/examples/s4-embodiment1.toml" -o "$out/$1-$2" \
    --window "$1" --resolution "$2" >/dev/null
  read -r wall rss < "$out/time"
  figures=$(python3 -c "
import json
j = json.load(open('$out/$1-$2/metrology.json'))
m, t = j['model'], j['timing_s']
print('%.2f %.2f %.2f %.3f %d %d' % (t['steps'], t['figures'], t['export_3d'], m['window_area_mm2'], m['cells'], m['outline_vertices']))")
  vtu_mb=$(($(cat "$out/$1-$2"/*.vtu | wc -c) / 1000000))
  stl_mb=$(($(cat "$out/$1-$2"/stl/*.stl | wc -c) / 1000000))
  printf '%-8s %-14s %10s %10.0f %8s %8s %8s %10s %8s %10s %8s %8s %8s\n' "$1" "$2" "$wall" "$((rss / 1024))" ${figures} \
    "$(ls "$out/$1-$2/steps" | grep -c png)" "$vtu_mb" "$stl_mb"
  rm -rf "${out:?}/$1-$2"  # a whole die writes over a GB
done
rm -rf "$out"
