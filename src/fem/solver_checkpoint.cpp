// Checkpoints: the complete state in one binary file, in mesh order (independent of the number
// of ranks). Layout (native byte order, doubles and 64-bit integers):
//   "WLPKCKP1", n_nodes, n_elements, formulation, n_points, has_started, increment counter,
//   time, temperature, proposed step, ΔT of the last increment, force reference, 3·n_nodes displacements and
//   3·n_nodes displacement increments of the last increment, n_records, then per nonlinear
//   element: element index, record length, the modes α and every point's strain, stress, history.
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "design/atomic_file.h"
#include "fem/solver_impl.h"

namespace wlp::fem {

using detail::check;

namespace {

// Version 2: the last increment's Δt, and each element record carries its modes' last increment
// (the extrapolated start).
constexpr char magic[8] = {'W', 'L', 'P', 'K', 'C', 'K', 'P', '2'};

template <typename T>
void put(std::ostream& out, T value) {
  out.write(reinterpret_cast<const char*>(&value), sizeof(T));
}

class Reader {
 public:
  Reader(std::string bytes, std::filesystem::path path) : bytes_(std::move(bytes)), path_(std::move(path)) {}
  template <typename T>
  T get() {
    T value{};
    if (position_ + sizeof(T) > bytes_.size())
      throw CheckpointError("checkpoint " + path_.string() + ": truncated at byte " + std::to_string(position_));
    std::memcpy(&value, bytes_.data() + position_, sizeof(T));
    position_ += sizeof(T);
    return value;
  }
  [[nodiscard]] std::size_t position() const { return position_; }
  void skip(std::size_t n) { position_ += n; }

 private:
  std::string bytes_;
  std::filesystem::path path_;
  std::size_t position_ = 0;
};

void expect(bool condition, const std::filesystem::path& path, const std::string& what) {
  if (!condition) throw CheckpointError("checkpoint " + path.string() + " does not fit this solver: " + what);
}

}  // namespace

void ThermoMechanicalSolver::Impl::save_checkpoint(const std::filesystem::path& path) {
  const auto n_mode_dofs = static_cast<std::size_t>(shape.n_mode_dofs());
  int max_stride = 0;
  for (const auto& law : laws) max_stride = std::max(max_stride, detail::point_history + law->n_history());
  const int record_stride = 1 + 2 * static_cast<int>(n_mode_dofs) + shape.n_points * max_stride;  // length, then data
  std::vector<long long> elements;
  std::vector<double> records;
  for (std::size_t k = 0; k < nonlinear_elements.size(); ++k) {
    const std::size_t length = 2 * n_mode_dofs + static_cast<std::size_t>(shape.n_points * point_stride[k]);
    elements.push_back(dofs.local_elements[nonlinear_elements[k]]);
    records.push_back(static_cast<double>(length));
    for (const std::vector<double>* modes : {&committed_modes, &previous_mode_increment})
      records.insert(records.end(), modes->begin() + static_cast<std::ptrdiff_t>(k * n_mode_dofs),
                     modes->begin() + static_cast<std::ptrdiff_t>((k + 1) * n_mode_dofs));
    const double* points = committed_points.data() + point_offset[k];
    records.insert(records.end(), points, points + (length - 2 * n_mode_dofs));
    records.resize(static_cast<std::size_t>(record_stride) * elements.size(), 0.0);
  }
  const std::vector<double> ordered = detail::gather_element_records(comm, elements, records, record_stride, mesh.n_elements());
  const std::vector<std::array<double, 3>> u = gather_displacements(displacement.get());
  const std::vector<std::array<double, 3>> du = gather_displacements(previous_increment.get());
  std::string failure;
  if (rank == 0) {
    try {
      design::write_file_atomically(path, [&](std::ostream& out) {
        out.write(magic, sizeof magic);
        for (std::int64_t value : {static_cast<std::int64_t>(mesh.n_nodes()), static_cast<std::int64_t>(mesh.n_elements()),
                                   static_cast<std::int64_t>(options.element), static_cast<std::int64_t>(shape.n_points),
                                   static_cast<std::int64_t>(has_started), static_cast<std::int64_t>(increment_counter)})
          put(out, value);
        for (double value : {time_s, temperature_K, proposed_time_step_s, previous_temperature_change_K, previous_time_step_s, force_reference})
          put(out, value);
        for (const auto* field : {&u, &du})
          for (const auto& node : *field)
            for (double value : node) put(out, value);
        std::int64_t n_records = 0;
        for (std::size_t e = 0; e < mesh.n_elements(); ++e) n_records += ordered[e * static_cast<std::size_t>(record_stride)] > 0 ? 1 : 0;
        put(out, n_records);
        for (std::size_t e = 0; e < mesh.n_elements(); ++e) {
          const double* record = ordered.data() + e * static_cast<std::size_t>(record_stride);
          const auto length = static_cast<std::int64_t>(record[0]);
          if (length == 0) continue;
          put(out, static_cast<std::int64_t>(e));
          put(out, length);
          out.write(reinterpret_cast<const char*>(record + 1), static_cast<std::streamsize>(length * static_cast<std::int64_t>(sizeof(double))));
        }
      });
    } catch (const std::exception& error) {
      failure = error.what();
    }
  }
  int failed = failure.empty() ? 0 : 1;
  MPI_Bcast(&failed, 1, MPI_INT, 0, comm);
  if (failed) throw CheckpointError(rank == 0 ? failure : "checkpoint " + path.string() + ": rank 0 could not write it");
  linear_solver->mark_stale();  // the continuing run refactors just as a resumed run will
}

void ThermoMechanicalSolver::Impl::load_checkpoint(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) throw CheckpointError("cannot read checkpoint " + path.string());
  std::ostringstream bytes;
  bytes << stream.rdbuf();
  const std::string contents = bytes.str();
  Reader reader(contents, path);
  char header[8];
  for (char& c : header) c = reader.get<char>();
  expect(std::memcmp(header, magic, sizeof magic) == 0, path, "not a wlpkit checkpoint of this version (bad magic)");
  const auto n_nodes = reader.get<std::int64_t>();
  const auto n_elements = reader.get<std::int64_t>();
  const auto formulation = reader.get<std::int64_t>();
  const auto n_points = reader.get<std::int64_t>();
  expect(n_nodes == static_cast<std::int64_t>(mesh.n_nodes()) && n_elements == static_cast<std::int64_t>(mesh.n_elements()), path,
         std::to_string(n_nodes) + " nodes and " + std::to_string(n_elements) + " elements, the mesh has " +
             std::to_string(mesh.n_nodes()) + " and " + std::to_string(mesh.n_elements()));
  expect(formulation == static_cast<std::int64_t>(options.element) && n_points == shape.n_points, path, "another element formulation");
  const bool started = reader.get<std::int64_t>() != 0;
  const auto counter = reader.get<std::int64_t>();
  const double time = reader.get<double>(), temperature = reader.get<double>(), proposed = reader.get<double>();
  const double previous_change = reader.get<double>(), previous_step = reader.get<double>(), reference = reader.get<double>();
  std::vector<double> u(mesh.n_dofs()), du(mesh.n_dofs());
  for (double& value : u) value = reader.get<double>();
  for (double& value : du) value = reader.get<double>();
  const auto n_records = reader.get<std::int64_t>();
  std::map<std::int64_t, std::pair<std::size_t, std::int64_t>> record_of;  // element → (byte position, length)
  for (std::int64_t r = 0; r < n_records; ++r) {
    const auto element = reader.get<std::int64_t>();
    const auto length = reader.get<std::int64_t>();
    record_of[element] = {reader.position(), length};
    reader.skip(static_cast<std::size_t>(length) * sizeof(double));
  }
  // Every nonlinear element of this rank takes its record; lengths must match its law.
  const auto n_mode_dofs = static_cast<std::size_t>(shape.n_mode_dofs());
  for (std::size_t k = 0; k < nonlinear_elements.size(); ++k) {
    const std::int64_t element = dofs.local_elements[nonlinear_elements[k]];
    const auto found = record_of.find(element);
    const std::size_t length = 2 * n_mode_dofs + static_cast<std::size_t>(shape.n_points * point_stride[k]);
    expect(found != record_of.end() && found->second.second == static_cast<std::int64_t>(length), path,
           "element " + std::to_string(element) + " has no record of " + std::to_string(length) + " values (another law?)");
    Reader record(contents.substr(found->second.first, length * sizeof(double)), path);
    for (std::size_t i = 0; i < n_mode_dofs; ++i) committed_modes[k * n_mode_dofs + i] = record.get<double>();
    for (std::size_t i = 0; i < n_mode_dofs; ++i) previous_mode_increment[k * n_mode_dofs + i] = record.get<double>();
    for (std::size_t i = 0; i < length - 2 * n_mode_dofs; ++i) committed_points[point_offset[k] + i] = record.get<double>();
  }
  for (const auto& [field, vec] : {std::pair{&u, displacement.get()}, std::pair{&du, previous_increment.get()}}) {
    detail::VecWriter values(vec);
    for (PetscInt i = 0; i < values.size(); ++i)
      values.data()[i] = (*field)[static_cast<std::size_t>(dofs.representative_dof[static_cast<std::size_t>(dofs.first_equation + i)])];
  }
  check(VecCopy(displacement.get(), trial_displacement.get()), "VecCopy");
  trial_points = committed_points;
  trial_modes = committed_modes;
  has_started = started;
  increment_counter = static_cast<int>(counter);
  time_s = time;
  temperature_K = temperature;
  proposed_time_step_s = proposed;
  previous_temperature_change_K = previous_change;
  previous_time_step_s = previous_step;
  force_reference = reference;
  linear_solver->mark_stale();
}

}  // namespace wlp::fem
