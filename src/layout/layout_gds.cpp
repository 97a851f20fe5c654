// Writing a die layout into a GDSII library, keeping repeated shapes as instances.
#include "layout/layout_gds.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include <fmt/format.h>

namespace wlp::layout {

std::string gds_cell_name(const std::string& design_name, const std::string& suffix) {
  std::string name = design_name + "_" + suffix;
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '?' && c != '$') c = '_';
  return name;
}

namespace {

gds::Cell shape_cell(const std::string& name, const DieLayout& layout, const std::vector<LayerShape>& shapes) {
  gds::Cell cell;
  cell.name = name;
  for (const LayerShape& shape : shapes) add_polygon(cell, layout.layers[static_cast<std::size_t>(shape.layer)].gds, shape.polygon);
  return cell;
}

struct GridIndex {
  int column = 0, row = 0;
};

// Column and row of a site on the full array grid (column 0 at the left, row 0 at the bottom).
GridIndex grid_index(const DieLayout& layout, const design::BumpSite& site) {
  const double x0 = -(layout.n_columns - 1) * 0.5 * static_cast<double>(layout.pitch);
  const double y0 = -(layout.n_rows - 1) * 0.5 * static_cast<double>(layout.pitch);
  const double pitch = static_cast<double>(layout.pitch);
  return {static_cast<int>(std::lround((static_cast<double>(to_nm(site.x_m)) - x0) / pitch)),
          static_cast<int>(std::lround((static_cast<double>(to_nm(site.y_m)) - y0) / pitch))};
}

Point grid_point(const DieLayout& layout, GridIndex index) {
  const Nm x0 = -(layout.n_columns - 1) * layout.pitch / 2, y0 = -(layout.n_rows - 1) * layout.pitch / 2;
  return {x0 + index.column * layout.pitch, y0 + index.row * layout.pitch};
}

// Whether every site lies on the array grid, so AREFs reproduce the positions exactly.
bool sites_on_grid(const DieLayout& layout) {
  return std::all_of(layout.sites.begin(), layout.sites.end(), [&](const design::BumpSite& site) {
    const Point p = grid_point(layout, grid_index(layout, site));
    return p.x == to_nm(site.x_m) && p.y == to_nm(site.y_m);
  });
}

void place_sites(gds::Cell& die, const DieLayout& layout, const std::string& site_cell) {
  if (layout.sites.empty() || layout.site_shapes.empty()) return;
  const Point column_step{layout.pitch, 0}, row_step{0, layout.pitch};
  if (!sites_on_grid(layout)) {
    for (const auto& site : layout.sites) die.refs.push_back({site_cell, {to_nm(site.x_m), to_nm(site.y_m)}, {}});
    return;
  }
  if (layout.sites.size() == static_cast<std::size_t>(layout.n_columns) * static_cast<std::size_t>(layout.n_rows)) {
    die.arrays.push_back({site_cell, grid_point(layout, {0, 0}), static_cast<std::int16_t>(layout.n_columns),
                          static_cast<std::int16_t>(layout.n_rows), column_step, row_step, {}});
    return;
  }
  std::map<int, std::vector<int>> columns_of_row;
  for (const auto& site : layout.sites) {
    const GridIndex index = grid_index(layout, site);
    columns_of_row[index.row].push_back(index.column);
  }
  for (auto& [row, columns] : columns_of_row) {
    std::sort(columns.begin(), columns.end());
    for (std::size_t start = 0; start < columns.size();) {
      std::size_t end = start + 1;
      while (end < columns.size() && columns[end] == columns[end - 1] + 1) ++end;
      const Point origin = grid_point(layout, {columns[start], row});
      if (end - start == 1)
        die.refs.push_back({site_cell, origin, {}});
      else
        die.arrays.push_back({site_cell, origin, static_cast<std::int16_t>(end - start), 1, column_step, row_step, {}});
      start = end;
    }
  }
}

gds::Cell die_cell(const DieLayout& layout, const std::vector<std::string>& pad_cells, const std::string& site_cell) {
  gds::Cell die;
  die.name = gds_cell_name(layout.name, "DIE");
  for (std::size_t g = 0; g < layout.pad_groups.size(); ++g)
    for (const Point& centre : layout.pad_groups[g].centres) die.refs.push_back({pad_cells[g], centre, {}});
  place_sites(die, layout, site_cell);
  for (const LayerShape& shape : layout.die_shapes) add_polygon(die, layout.layers[static_cast<std::size_t>(shape.layer)].gds, shape.polygon);
  for (const auto& [layer, path] : layout.die_paths) {
    gds::PathElement element;
    element.layer = layout.layers[static_cast<std::size_t>(layer)].gds;
    element.path_type = path.ends == PathEnds::Extended ? 2 : 0;
    element.width = path.width;
    element.points = path.points;
    die.paths.push_back(std::move(element));
  }
  const int label = layout.layer_index("LABEL");
  if (label >= 0)
    for (const auto& [at, text] : layout.labels) {
      gds::Text element;
      element.layer = layout.layers[static_cast<std::size_t>(label)].gds;
      element.origin = at;
      element.text = text;
      die.texts.push_back(std::move(element));
    }
  return die;
}

gds::Cell wafer_cell(const DieLayout& layout, const WaferMap& wafer, const std::string& die_name) {
  gds::Cell cell;
  cell.name = gds_cell_name(layout.name, "WAFER");
  add_polygon(cell, kWaferOutlineLayer, wafer_outline(wafer.spec));
  // One AREF per run of consecutive dies in a row; die boxes are centred on their grid point.
  std::map<int, std::vector<const DieSite*>> row_dies;
  for (const DieSite& die : wafer.dies) row_dies[die.row].push_back(&die);
  const Nm step_x = wafer.spec.die_x + wafer.spec.street;
  for (auto& [row, dies] : row_dies) {
    std::sort(dies.begin(), dies.end(), [](const DieSite* a, const DieSite* b) { return a->column < b->column; });
    for (std::size_t start = 0; start < dies.size();) {
      std::size_t end = start + 1;
      while (end < dies.size() && dies[end]->column == dies[end - 1]->column + 1) ++end;
      const Box& box = dies[start]->box;
      const Point centre{box.lo.x + box.width() / 2, box.lo.y + box.height() / 2};
      if (end - start == 1)
        cell.refs.push_back({die_name, centre, {}});
      else
        cell.arrays.push_back({die_name, centre, static_cast<std::int16_t>(end - start), 1, {step_x, 0},
                               {0, wafer.spec.die_y + wafer.spec.street}, {}});
      start = end;
    }
  }
  return cell;
}

}  // namespace

gds::Library layout_library(const DieLayout& layout, const WaferMap* wafer) {
  gds::Library library;
  library.name = gds_cell_name(layout.name, "LIB");
  std::vector<std::string> pad_cells;
  for (const auto& group : layout.pad_groups) {
    pad_cells.push_back(gds_cell_name(layout.name, fmt::format("PAD_{}NM", group.size)));
    library.cells.push_back(shape_cell(pad_cells.back(), layout, group.shapes));
  }
  const std::string site_cell = gds_cell_name(layout.name, "SITE");
  if (!layout.site_shapes.empty()) library.cells.push_back(shape_cell(site_cell, layout, layout.site_shapes));
  library.cells.push_back(die_cell(layout, pad_cells, site_cell));
  if (wafer) library.cells.push_back(wafer_cell(layout, *wafer, library.cells.back().name));
  return library;
}

}  // namespace wlp::layout
