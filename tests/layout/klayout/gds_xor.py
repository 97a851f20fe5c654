# Flat XOR of two GDSII files, layer by layer, as KLayout computes it.
#   klayout -b -r gds_xor.py -rd a=FILE_A -rd b=FILE_B
# Prints "XOR <layer> <datatype> <polygons> <area in DBU^2>" for every layer present in either
# file (both must share the database unit), then "DONE". Exits 1 on errors.
import sys
import pya

def load(path):
    layout = pya.Layout()
    layout.read(path)
    tops = layout.top_cells()
    if len(tops) != 1:
        print("ERROR %s: expected one top cell, found %d" % (path, len(tops)))
        sys.exit(1)
    return layout, tops[0]

def region(layout, top, layer, datatype):
    index = layout.find_layer(layer, datatype)
    if index is None:
        return pya.Region()
    return pya.Region(top.begin_shapes_rec(index))

layout_a, top_a = load(a)
layout_b, top_b = load(b)
if abs(layout_a.dbu - layout_b.dbu) > 1e-12:
    print("ERROR database units differ: %g vs %g" % (layout_a.dbu, layout_b.dbu))
    sys.exit(1)
layers = set()
for layout in (layout_a, layout_b):
    for index in layout.layer_indexes():
        info = layout.get_info(index)
        layers.add((info.layer, info.datatype))
for layer, datatype in sorted(layers):
    difference = region(layout_a, top_a, layer, datatype) ^ region(layout_b, top_b, layer, datatype)
    print("XOR %d %d %d %d" % (layer, datatype, difference.count(), difference.area()))
print("DONE")
