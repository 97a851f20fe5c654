#!/bin/sh
# FE benchmark: `fe_bench` (bench/fe/fe_bench.cpp) runs N JEDEC cycles of a design on the engine
# and prints DOF, wall time, increments, Newton iterations, factorizations, linear solves, Krylov
# iterations, the time of one linear-elastic solve from scratch and the linear-solve-equivalent
# ratio; with --ccx it then runs CalculiX (OMP_NUM_THREADS=2) on the same exported mesh and load
# and compares. Peak memory of each run is GNU time's maximum RSS. The figures are in
# bench/RESULTS.md, section "FE".
#   bench/fe/run.sh [CASE...]        CASE = design:refinement:symmetry:law[:ccx]
#   e.g. bench/fe/run.sh examples/b0.toml:1:quarter:norton:ccx
# Without a CASE it runs the whole matrix (several hours on 2 cores: see RESULTS.md for what each
# case takes). BUILD_DIR (default build-bench-fe) is configured Release with bench/fe attached.
set -eu
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD_DIR:-$repo/build-bench-fe}
cycles=${CYCLES:-3}
if [ -z "${FE_BENCH:-}" ]; then
  cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DWLPKIT_BUILD_TESTS=OFF -DWLPKIT_BUILD_BENCH=OFF \
    -DCMAKE_PROJECT_wlpkit_INCLUDE="$repo/bench/fe/attach.cmake" >/dev/null
  ninja -C "$build" fe_bench >/dev/null
  FE_BENCH=$(find "$build/bench" -name fe_bench -type f -perm -u+x | head -n 1)
fi
if [ $# -eq 0 ]; then
  set -- examples/b0.toml:1:quarter:norton:ccx examples/b0.toml:1:quarter:anand examples/b0.toml:2:quarter:anand \
    examples/b0.toml:3:quarter:anand examples/s3-fig1.toml:1:quarter:anand examples/s3-fig1.toml:2:quarter:anand \
    examples/s3-fig1.toml:3:quarter:anand bench/fe/designs/b0-4x4.toml:1:auto:norton:ccx bench/fe/designs/b0-6x6.toml:4:quarter:anand
fi
out=${OUT_DIR:-$(mktemp -d)}
mkdir -p "$out"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo ?); $(date -u +%F)"
for case in "$@"; do
  IFS=: read -r design refinement symmetry law ccx <<EOF
$case
EOF
  name=$(basename "$design" .toml)-r$refinement-$symmetry-$law
  extra=""
  [ "${ccx:-}" = ccx ] && extra="--ccx --ccx-threads 2"
  # ccx's own threads: OMP_NUM_THREADS (set by run_ccx from --ccx-threads)
  /usr/bin/time -v -o "$out/$name.time" "$FE_BENCH" "$repo/$design" --refinement "$refinement" --symmetry "$symmetry" \
    --solder-law "$law" --cycles "$cycles" $extra > "$out/$name.json"
  rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$out/$name.time")
  echo "== $name (peak RSS of the process: $rss MB; with --ccx the ccx child is counted by its own time)"
  python3 - "$out/$name.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
j = json.loads(text[text.rfind('\n{') + 1:] if text.count('\n{') else text)
w, s = j['wlpkit'], j['wlpkit']['statistics']
print(f"dof {w['dof']}  wall {w['wall_s']:.1f} s  elastic solve {w.get('elastic_solve_s', 0):.2f} s  "
      f"linear-solve equivalents {w.get('linear_solve_equivalents', 0):.1f}")
print(f"increments {s['increments']}  newton {s['newton_iterations']}  factorizations {s['factorizations']}  "
      f"solves {s['linear_solves']}  krylov {s['krylov_iterations']}  cutbacks {s['cutbacks']}  "
      f"assembly {s['assembly_s']:.1f} s  factorization {s['factorization_s']:.1f} s  solve {s['solve_s']:.1f} s")
print(f"corner joint {w['corner_joint']}: dW device per cycle (MPa) {[round(x, 5) for x in w['corner_delta_w_device_MPa_per_cycle']]}  "
      f"max |u| {w['max_displacement_um']:.4f} um")
if 'ccx' in j:
    c = j['ccx']
    print(f"ccx wall {c['wall_s']:.1f} s  increments {c['increments']}  iterations {c['iterations']}  speed-up {c['speedup']:.1f}x  "
          f"max |u| {c['max_displacement_um']:.4f} um  largest |du| {c['max_displacement_difference_um']:.4f} um  "
          f"corner joint mean von Mises {c['corner_joint_mean_von_mises_MPa']}")
PY
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); raw output in $out"
