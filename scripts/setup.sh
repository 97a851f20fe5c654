#!/usr/bin/env bash
# wlpkit set-up on Debian bookworm (as root): install the Debian packages the project needs
# (idempotent), build, then either run the main job on the bundled examples (--run) or the
# whole test suite (--test: warnings as errors, then once more under ASan + UBSan).
set -euo pipefail

mode="${1:---run}"
case "$mode" in --run|--test|--install) ;; *) echo "usage: $0 [--run|--test|--install]" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

packages=(
  build-essential cmake ninja-build pkg-config       # toolchain
  libtomlplusplus-dev libcli11-dev libfmt-dev         # design files, CLI, formatting
  nlohmann-json3-dev                                  # JSON output
  libpolyclipping-dev                                 # polygon booleans and offsets (Clipper)
  libcairo2-dev fonts-dejavu-core                     # SVG/PNG plots
  klayout                                             # independent GDS/DRC checker (tests)
  python3-gdspy                                       # the peer of the GDS benchmark (bench/)
  evolver-nox                                         # Surface Evolver: solder-shape oracle (tests)
  python3-vtk9                                        # VTK's own VTU reader: 3D-output oracle (tests)
  admesh                                              # STL checker (closed, oriented): 3D-output oracle (tests)
  libeigen3-dev                                       # small dense algebra in the FE laws and elements
  libopenblas0                                        # optimized BLAS/LAPACK behind the sparse direct factorizations
  petsc-dev                                           # FE linear algebra: PETSc with MUMPS, hypre, METIS; Open MPI
  libsuitesparse-dev                                  # CHOLMOD: the frozen factorization on one rank
  openmpi-bin                                         # mpirun: parallel FE runs and the 1-vs-2-rank test
  calculix-ccx                                        # CalculiX: FE oracle on the same exported mesh (tests, bench)
  libgtest-dev                                        # tests
)

install_packages() {
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "== apt-get update"
  $sudo apt-get update -qq
  echo "== apt-get install ${packages[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}

jobs="$(nproc 2>/dev/null || echo 2)"

build() {  # build <dir> <extra cmake args...>
  local dir="$1"; shift
  cmake -S "$root" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

install_packages
[ "$mode" = "--install" ] && exit 0

if [ "$mode" = "--run" ]; then
  echo "== build (build/)"
  build build -DWLPKIT_BUILD_TESTS=OFF -DWLPKIT_BUILD_BENCH=OFF
  echo "== wlpkit check examples/*.toml"
  ./build/apps/wlpkit/wlpkit check examples/*.toml
  echo "== wlpkit layout examples/s3-fig1.toml -o out/s3-fig1 --wafer --drc"
  ./build/apps/wlpkit/wlpkit layout examples/s3-fig1.toml -o out/s3-fig1 --wafer --drc
  echo "layout written to out/s3-fig1/ (GDS, layer map, DRC deck, die and mask plots, routing, wafer map)"
  exit 0
fi

echo "== build with warnings as errors (build-ci/)"
build build-ci -DWLPKIT_WERROR=ON -DWLPKIT_BUILD_TESTS=ON
echo "== tests"
ctest --test-dir build-ci --output-on-failure -j "$jobs"
echo "== build under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)"
build build-asan -DWLPKIT_WERROR=ON -DWLPKIT_SANITIZE=ON -DWLPKIT_BUILD_TESTS=ON -DWLPKIT_BUILD_BENCH=OFF
echo "== tests under sanitizers"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0" \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
