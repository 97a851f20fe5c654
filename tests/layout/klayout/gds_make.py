# KLayout writes a GDSII file of its own, for wlpkit's reader to read.
#   klayout -b -r gds_make.py -rd out=FILE
# 1 nm database unit; a 64-gon pad with an opening and a holed plate, arrayed and placed with
# rotations, mirrors and a magnification; 45-degree paths with flush, half-width, custom and round
# ends; texts. Prints "WROTE <file>".
import math
import pya

layout = pya.Layout()
layout.dbu = 0.001
pad_layer, opening_layer, plate_layer = layout.layer(1, 0), layout.layer(2, 0), layout.layer(4, 0)
flush_layer, extended_layer, custom_layer, round_layer = (layout.layer(3, d) for d in range(4))
text_layer = layout.layer(10, 0)

def gon(radius, n=64):
    return pya.Polygon([pya.Point(int(round(radius * math.cos(2 * math.pi * (k + 0.5) / n))),
                                  int(round(radius * math.sin(2 * math.pi * (k + 0.5) / n)))) for k in range(n)])

pad = layout.create_cell("PAD")
pad.shapes(pad_layer).insert(gon(100000))
pad.shapes(opening_layer).insert(gon(90000))
plate = pya.Polygon(pya.Box(-150000, -150000, 150000, -120000))
plate.insert_hole(pya.Box(-140000, -140000, -100000, -130000))
plate.insert_hole(pya.Box(100000, -140000, 140000, -130000))
pad.shapes(plate_layer).insert(plate)

wire = layout.create_cell("WIRE")
dogleg = [pya.Point(0, 0), pya.Point(100000, 0), pya.Point(150000, 50000), pya.Point(250000, 50000)]
wire.shapes(flush_layer).insert(pya.Path(dogleg, 15000))
wire.shapes(extended_layer).insert(pya.Path(dogleg, 10000, 5000, 5000, False))
wire.shapes(custom_layer).insert(pya.Path(dogleg, 8000, 1000, 3000, False))
wire.shapes(round_layer).insert(pya.Path(dogleg, 6000, 3000, 3000, True))
wire.shapes(text_layer).insert(pya.Text("W", pya.Trans(pya.Trans.R90, 0, 0)))

block = layout.create_cell("BLOCK")
block.insert(pya.CellInstArray(pad.cell_index(), pya.Trans(pya.Trans.R90, pya.Vector(0, 0)),
                               pya.Vector(400000, 0), pya.Vector(0, 400000), 4, 3))
block.insert(pya.CellInstArray(wire.cell_index(), pya.Trans(pya.Trans.M45, pya.Vector(-600000, 0))))

top = layout.create_cell("TOP")
top.insert(pya.CellInstArray(block.cell_index(), pya.Trans(pya.Vector(0, 0))))
top.insert(pya.CellInstArray(block.cell_index(), pya.Trans(pya.Trans.R270, pya.Vector(3000000, 0))))
top.insert(pya.CellInstArray(pad.cell_index(), pya.ICplxTrans(2.0, 180.0, True, pya.Vector(-2000000, -2000000))))
top.insert(pya.CellInstArray(wire.cell_index(), pya.ICplxTrans(2.0, 90.0, False, pya.Vector(0, -3000000))))
top.shapes(text_layer).insert(pya.Text("TOP", pya.Trans(0, 0)))
layout.write(out)
print("WROTE %s" % out)
