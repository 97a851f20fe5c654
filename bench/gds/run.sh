#!/usr/bin/env bash
# GDSII write benchmark: wlpkit (bench/gds/gds_bench.cpp) against gdspy (gdspy_bench.py), same
# 100 × 100 bump design, flat and hierarchical, run alternately in one session.
#
#   bench/gds/run.sh [REPETITIONS]        (default 3; the median of each figure is reported)
#
# Environment: GDS_BENCH=path to a built gds_bench (otherwise built: via CMake when bench/ is part
# of the build, else compiled directly from the few sources it needs), BUILD_DIR (default
# build-bench), OUT_DIR (default a temporary folder, removed at the end).
# Reports in-process build / write / total seconds, process wall time and peak RSS (GNU time -v,
# or getrusage inside each program when /usr/bin/time is missing), the gdspy/wlpkit ratios, and
# KLayout's flat shape count of every file (must be 30 000).
set -euo pipefail

repetitions=${1:-3}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build_dir=${BUILD_DIR:-$root/build-bench}
python=/usr/bin/python3
out_dir=${OUT_DIR:-$(mktemp -d)}
[[ -z ${OUT_DIR:-} ]] && trap 'rm -rf "$out_dir"' EXIT

build_bench() {
  if [[ -n ${GDS_BENCH:-} ]]; then
    echo "$GDS_BENCH"
    return
  fi
  if grep -q 'add_subdirectory(bench)' "$root/CMakeLists.txt"; then
    cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWLPKIT_BUILD_TESTS=OFF >&2
    ninja -C "$build_dir" gds_bench >&2
    echo "$build_dir/bench/gds_bench"
    return
  fi
  # bench/ not yet in the CMake build: the GDSII code needs only these sources.
  mkdir -p "$build_dir"
  c++ -std=c++20 -O2 -DNDEBUG -I"$root/src" -isystem /usr/include/polyclipping \
    "$root/bench/gds/gds_bench.cpp" "$root"/src/layout/{gdsii,gdsii_read,gdsii_write,geometry,clipper_bridge}.cpp \
    "$root/src/design/diagnostics.cpp" -lpolyclipping -lfmt -o "$build_dir/gds_bench" >&2
  echo "$build_dir/gds_bench"
}

bench=$(build_bench)
have_time=0
[[ -x /usr/bin/time ]] && have_time=1

# One run: prints "key=value ..." from the program plus wall_s (date, ns resolution: GNU time
# rounds to 10 ms) and rss_kb (GNU time, else the program's own getrusage).
run_once() {
  local log=$out_dir/time.log line start end rss
  start=$(date +%s%N)
  if ((have_time)); then
    line=$(/usr/bin/time -v -o "$log" "$@")
  else
    line=$("$@")
  fi
  end=$(date +%s%N)
  if ((have_time)); then
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  else
    rss=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<<"$line")
  fi
  echo "$line wall_s=$(awk -v ns=$((end - start)) 'BEGIN {printf "%.4f", ns / 1e9}') rss_kb=$rss"
}

results=$out_dir/results.txt
: >"$results"
for ((rep = 1; rep <= repetitions; rep++)); do
  for mode in flat hier; do
    echo "tool=wlpkit mode=$mode rep=$rep $(run_once "$bench" "$mode" "$out_dir/wlpkit_$mode.gds")" >>"$results"
    echo "tool=gdspy mode=$mode rep=$rep $(run_once "$python" "$root/bench/gds/gdspy_bench.py" "$mode" "$out_dir/gdspy_$mode.gds")" >>"$results"
  done
done

echo "# GDSII write benchmark: $(nproc) cores, $(uname -r), $(date -u +%Y-%m-%dT%H:%MZ), median of $repetitions"
echo "# gdspy $("$python" -c 'import gdspy; print(gdspy.__version__)'), $(klayout -v 2>/dev/null || echo 'no KLayout')"
"$python" - "$results" <<'EOF'
import statistics, sys
rows = [dict(field.split("=", 1) for field in line.split()) for line in open(sys.argv[1])]
keys = ["build_s", "write_s", "total_s", "wall_s", "rss_kb", "bytes"]
median = {}
for row in rows:
    median.setdefault((row["tool"], row["mode"]), {k: [] for k in keys})
    for k in keys:
        median[(row["tool"], row["mode"])][k].append(float(row[k]))
print("| design | tool | build s | write s | build+write s | process wall s | peak RSS MB | file MB |")
print("|---|---|---|---|---|---|---|---|")
for mode in ("flat", "hier"):
    for tool in ("wlpkit", "gdspy"):
        m = {k: statistics.median(v) for k, v in median[(tool, mode)].items()}
        print("| %s | %s | %.4f | %.4f | %.4f | %.3f | %.1f | %.2f |" % (
            mode, tool, m["build_s"], m["write_s"], m["total_s"], m["wall_s"], m["rss_kb"] / 1024, m["bytes"] / 1e6))
print()
for mode in ("flat", "hier"):
    ours = {k: statistics.median(v) for k, v in median[("wlpkit", mode)].items()}
    theirs = {k: statistics.median(v) for k, v in median[("gdspy", mode)].items()}
    print("%s: gdspy/wlpkit  build %.1fx  write %.1fx  build+write %.1fx  process wall %.1fx  peak RSS %.1fx" % (
        mode, theirs["build_s"] / ours["build_s"], theirs["write_s"] / ours["write_s"],
        theirs["total_s"] / ours["total_s"], theirs["wall_s"] / ours["wall_s"], theirs["rss_kb"] / ours["rss_kb"]))
EOF

echo
status=0
for file in "$out_dir"/{wlpkit,gdspy}_{flat,hier}.gds; do
  total=$(klayout -b -r "$root/bench/gds/count_shapes.py" -rd in_gds="$file" | awk '/^TOTAL/ {print $2}')
  echo "KLayout flat shape count $(basename "$file"): $total"
  [[ $total == 30000 ]] || status=1
done
exit $status
