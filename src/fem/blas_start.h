// OpenBLAS reads its set-up once, while it loads, before main: the kernels for the CPU and how
// long its idle worker threads spin before they sleep. Two of its defaults in Debian bookworm
// (OpenBLAS 0.3.21) cost the FE engine much of its speed (bench/RESULTS.md, "FE"):
//  - it does not know CPUs newer than it (e.g. Intel family 6 model 207) and falls back to its
//    generic SSE3 kernels ("Prescott"): the sparse factorizations ran at half speed;
//  - its idle workers spin for 2^28 cycles (≈ 0.1 s) after each call, taking a core from the
//    element threads that run right after every linear solve; with one BLAS thread instead the
//    triangular solves, which are most of a run's solve time, lose the second core.
// Both are environment variables at process start, so the process starts itself again with them.
#pragma once

namespace wlp::fem {

/// How long (log2 of CPU cycles) OpenBLAS's idle workers spin before they sleep in wlpkit runs:
/// ≈ 2 ms, long enough to stay awake between the BLAS calls of one triangular solve, short enough
/// to leave the cores to the element threads after it.
inline constexpr int blas_thread_timeout_log2_cycles = 22;

/// Called first thing in main (before any thread or MPI start). When OpenBLAS is loaded and the
/// user set neither variable, it sets OPENBLAS_THREAD_TIMEOUT (above) and, when OpenBLAS runs its
/// generic kernels on a CPU with AVX2 or AVX-512, OPENBLAS_CORETYPE (blas_core_for_this_cpu),
/// then starts the same program again in place (execv of /proc/self/exe, same arguments). When
/// nothing is to set, or the re-execution fails (the run then goes on with OpenBLAS's defaults),
/// it returns.
void configure_blas_at_start(char** argv);

/// The OpenBLAS kernel family for this CPU's instruction set (SkylakeX with AVX-512, Haswell with
/// AVX2 and FMA; names that OpenBLAS 0.3.21 accepts), or nullptr when the generic ones are right.
const char* blas_core_for_this_cpu();

}  // namespace wlp::fem
