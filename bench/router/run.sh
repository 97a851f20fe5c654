#!/bin/sh
# Builds (Release) and runs the RDL router benchmark: the 4 mm example and the 20 x 20 / 400-pad
# die, 5 repetitions each; prints median/min time, routed %, total length, negotiation rounds,
# grid pitch and peak RSS (the figures in bench/RESULTS.md, section "RDL router").
#   bench/router/run.sh [BUILD_DIR] [bench_router options...]
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build-bench-router}
[ $# -gt 0 ] && shift
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWLPKIT_BUILD_TESTS=OFF \
  -DCMAKE_PROJECT_wlpkit_INCLUDE="$repo/bench/router/attach.cmake" >/dev/null
ninja -C "$build" bench_router >/dev/null
bench=$(find "$build/bench" -name bench_router -type f -perm -u+x | head -n 1)
"$bench" --repeat 5 "$@"
