"""The gds_bench design built and written by gdspy (Debian python3-gdspy 1.4.2).

    /usr/bin/python3 gdspy_bench.py flat|hier OUT.gds

100 x 100 bumps at 400 um pitch: gdspy.Round 64-gon UBM (layer 1, r 120 um) and opening (layer 2,
r 100 um), a 15 um gdspy.FlexPath written as a GDSII PATH (layer 3, 45-degree dogleg, 4 points).
`hier` puts UBM + opening in a BUMP cell placed by one CellArray. Units: 1 um, precision 1 nm.
Prints "build_s=... write_s=... total_s=... maxrss_kb=... bytes=..." like gds_bench.
"""
import os
import resource
import sys
import time

import gdspy

N, PITCH, UBM_R, OPENING_R, RDL_W = 100, 400.0, 120.0, 100.0, 15.0


def rdl(cx, cy):
    points = [(cx, cy), (cx + 130, cy), (cx + 180, cy + 50), (cx + 180, cy + 150)]
    return gdspy.FlexPath(points, RDL_W, layer=3, datatype=0, gdsii_path=True)


def build(hierarchical):
    library = gdspy.GdsLibrary(name="BUMPS", unit=1e-6, precision=1e-9)
    top = gdspy.Cell("TOP", exclude_from_current=True)
    if hierarchical:
        bump = gdspy.Cell("BUMP", exclude_from_current=True)
        bump.add(gdspy.Round((0, 0), UBM_R, number_of_points=64, layer=1))
        bump.add(gdspy.Round((0, 0), OPENING_R, number_of_points=64, layer=2))
        library.add(bump)
        top.add(gdspy.CellArray(bump, N, N, (PITCH, PITCH)))
    for row in range(N):
        for column in range(N):
            cx, cy = column * PITCH, row * PITCH
            if not hierarchical:
                top.add(gdspy.Round((cx, cy), UBM_R, number_of_points=64, layer=1))
                top.add(gdspy.Round((cx, cy), OPENING_R, number_of_points=64, layer=2))
            top.add(rdl(cx, cy))
    library.add(top)
    return library


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("flat", "hier"):
        sys.exit("usage: gdspy_bench.py flat|hier OUT.gds")
    start = time.perf_counter()
    library = build(sys.argv[1] == "hier")
    build_s = time.perf_counter() - start
    write_start = time.perf_counter()
    library.write_gds(sys.argv[2])
    write_s = time.perf_counter() - write_start
    total_s = time.perf_counter() - start
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("build_s=%.6f write_s=%.6f total_s=%.6f maxrss_kb=%d bytes=%d"
          % (build_s, write_s, total_s, maxrss_kb, os.path.getsize(sys.argv[2])))


if __name__ == "__main__":
    main()
