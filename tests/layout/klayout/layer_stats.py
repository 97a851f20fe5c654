# KLayout macro (klayout -b -r layer_stats.py -rd in_gds=FILE [-rd top_cell=NAME]):
# per layer of the top cell, flattened through every SREF/AREF, prints
#   "<layer>/<datatype> <shapes> <merged area in um2>"
# counting polygons, boxes and paths (texts are not shapes). Used by the wlpkit tests as an
# independent reading of the GDSII files wlpkit writes.
import pya

layout = pya.Layout()
layout.read(in_gds)
name = globals().get("top_cell", "")
top = layout.cell(name) if name else layout.top_cell()
if top is None:
    raise RuntimeError("no cell " + name)
for index in layout.layer_indexes():
    info = layout.get_info(index)
    shapes = 0
    it = top.begin_shapes_rec(index)
    while not it.at_end():
        shape = it.shape()
        if shape.is_polygon() or shape.is_box() or shape.is_path() or shape.is_simple_polygon():
            shapes += 1
        it.next()
    area_dbu2 = pya.Region(top.begin_shapes_rec(index)).merged().area()
    print("%d/%d %d %.6f" % (info.layer, info.datatype, shapes, area_dbu2 * layout.dbu * layout.dbu))
