# Per-layer statistics of a GDSII file as KLayout sees it, for wlpkit's GDSII tests.
#   klayout -b -r gds_stats.py -rd in_gds=FILE
# Prints "DBU <dbu>", "TOP <name>", then per layer
#   "LAYER <layer> <datatype> <shapes> <texts> <merged area in DBU^2>"
# with shapes and texts counted flat (every instance expanded by the RecursiveShapeIterator)
# and the area of the flat, merged Region (paths outlined, texts ignored). Exits 1 on errors.
import sys
import pya

layout = pya.Layout()
layout.read(in_gds)
tops = layout.top_cells()
if len(tops) != 1:
    print("ERROR expected one top cell, found %d" % len(tops))
    sys.exit(1)
top = tops[0]
print("DBU %.12g" % layout.dbu)
print("TOP %s" % top.name)
for index in layout.layer_indexes():
    info = layout.get_info(index)
    shapes = texts = 0
    it = top.begin_shapes_rec(index)
    while not it.at_end():
        if it.shape().is_text():
            texts += 1
        else:
            shapes += 1
        it.next()
    area = pya.Region(top.begin_shapes_rec(index)).merged().area()
    print("LAYER %d %d %d %d %d" % (info.layer, info.datatype, shapes, texts, area))
