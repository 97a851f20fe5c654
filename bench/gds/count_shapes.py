# Flat shape count of a GDSII file per layer and in total, as KLayout sees it.
#   klayout -b -r count_shapes.py -rd in_gds=FILE
# Prints "LAYER <layer> <datatype> <shapes>" lines and "TOTAL <shapes>".
import pya

layout = pya.Layout()
layout.read(in_gds)
top = layout.top_cell()
total = 0
for index in layout.layer_indexes():
    info = layout.get_info(index)
    count = 0
    it = top.begin_shapes_rec(index)
    while not it.at_end():
        count += 1
        it.next()
    total += count
    print("LAYER %d %d %d" % (info.layer, info.datatype, count))
print("TOTAL %d" % total)
