#include <strata/callbacks/tensorboard.hpp>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <utility>

#include <strata/api/errors.hpp>
#include <strata/api/model.hpp>
#include <strata/api/optimizers/optimizer.hpp>
#include <strata/api/variable.hpp>

namespace strata::callbacks {

namespace fs = std::filesystem;

namespace {

// ---- the few protobuf wire-format pieces the Event, Summary and TensorProto messages need ----------------------
void put_varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}
void put_key(std::string& out, int field, int wire_type) {
  put_varint(out, (static_cast<std::uint64_t>(field) << 3) | static_cast<std::uint64_t>(wire_type));
}
void put_varint_field(std::string& out, int field, std::uint64_t v) {
  put_key(out, field, 0);
  put_varint(out, v);
}
void put_bytes_field(std::string& out, int field, const std::string& bytes) {
  put_key(out, field, 2);
  put_varint(out, bytes.size());
  out += bytes;
}
void put_double_field(std::string& out, int field, double v) {
  put_key(out, field, 1);
  char raw[8];
  std::memcpy(raw, &v, 8);  // little-endian hosts only (x86-64, aarch64), as the wire format is
  out.append(raw, 8);
}

// tensorflow/core/framework/types.proto
constexpr int DT_FLOAT = 1, DT_DOUBLE = 2, DT_STRING = 7;

std::string tensor_shape(std::initializer_list<std::int64_t> dims) {
  std::string shape;  // TensorShapeProto: repeated Dim dim = 2 { int64 size = 1 }
  for (std::int64_t d : dims) {
    std::string dim;
    put_varint_field(dim, 1, static_cast<std::uint64_t>(d));
    put_bytes_field(shape, 2, dim);
  }
  return shape;
}

/// TensorProto: dtype = 1, tensor_shape = 2, tensor_content = 4, string_val = 8.
std::string tensor_proto(int dtype, const std::string& shape, const std::string* content, const std::string* str) {
  std::string t;
  put_varint_field(t, 1, static_cast<std::uint64_t>(dtype));
  put_bytes_field(t, 2, shape);
  if (content) put_bytes_field(t, 4, *content);
  if (str) put_bytes_field(t, 8, *str);
  return t;
}

/// SummaryMetadata { PluginData plugin_data = 1 { string plugin_name = 1; bytes content = 2 } }.
std::string summary_metadata(const std::string& plugin_name, const std::string& content) {
  std::string plugin;
  put_bytes_field(plugin, 1, plugin_name);
  if (!content.empty()) put_bytes_field(plugin, 2, content);
  std::string metadata;
  put_bytes_field(metadata, 1, plugin);
  return metadata;
}

/// Summary { repeated Value value = 1 { string tag = 1; SummaryMetadata metadata = 9; TensorProto tensor = 8 } }.
std::string summary_with_tensor(const std::string& tag, const std::string& metadata, const std::string& tensor) {
  std::string value;
  put_bytes_field(value, 1, tag);
  put_bytes_field(value, 8, tensor);
  put_bytes_field(value, 9, metadata);
  std::string summary;
  put_bytes_field(summary, 1, value);
  return summary;
}

// ---- TFRecord framing -------------------------------------------------------------------------------------------
std::uint32_t crc32c(const char* data, std::size_t n) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;  // Castagnoli, reflected
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xffffffffu;
  for (std::size_t i = 0; i < n; ++i) crc = table[(crc ^ static_cast<std::uint8_t>(data[i])) & 0xff] ^ (crc >> 8);
  return crc ^ 0xffffffffu;
}
std::uint32_t masked_crc32c(const char* data, std::size_t n) {
  const std::uint32_t crc = crc32c(data, n);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

std::string host_name() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "localhost";
  return buf;
}

double wall_time() {
  using namespace std::chrono;
  return static_cast<double>(duration_cast<microseconds>(system_clock::now().time_since_epoch()).count()) / 1e6;
}

/// tf.summary.histogram's buckets (tensorboard/plugins/histogram/summary_v2.py, the TPU-compatible v3): equal-width
/// buckets over [min, max], the last right edge exactly max; a single distinct value fills the last bucket.
std::vector<double> histogram_buckets(const std::vector<double>& data, int bucket_count) {
  std::vector<double> rows(static_cast<std::size_t>(bucket_count) * 3, 0.0);
  if (data.empty() || bucket_count <= 0) return rows;
  const auto [lo, hi] = std::minmax_element(data.begin(), data.end());
  const double min = *lo, max = *hi, range = max - min;
  if (range == 0) {
    for (int i = 0; i < bucket_count; ++i) rows[3 * i] = rows[3 * i + 1] = max;
    rows[3 * (bucket_count - 1) + 2] = static_cast<double>(data.size());
    return rows;
  }
  const double width = range / bucket_count;
  for (double x : data) {
    const auto index = static_cast<std::int64_t>(std::floor((x - min) / width));
    rows[3 * static_cast<std::size_t>(std::min<std::int64_t>(index, bucket_count - 1)) + 2] += 1;
  }
  // tf.linspace(min, max, n + 1) with its last edge replaced by max
  const double step = range / bucket_count;
  for (int i = 0; i < bucket_count; ++i) {
    rows[3 * i] = min + i * step;
    rows[3 * i + 1] = i + 1 == bucket_count ? max : min + (i + 1) * step;
  }
  return rows;
}

std::atomic<std::int64_t> event_file_counter{0};

/// Keras's weight.path of each weight under `layer`: a Sequential builds its layers in its own name scope, so its
/// layers' weights carry its name ("sequential/dense/kernel"); a functional model's do not ("dense/kernel").
void collect_weight_paths(const Layer& layer, const std::string& prefix,
                          std::vector<std::pair<std::string, const Variable*>>& out) {
  if (const auto* model = dynamic_cast<const Model*>(&layer)) {
    const std::string inner = model->class_name() == "Sequential" ? prefix + model->name() + "/" : prefix;
    for (const auto& sub : model->layers()) collect_weight_paths(*sub, inner, out);
    return;
  }
  for (const Variable* weight : layer.weights()) out.emplace_back(prefix + weight->path(), weight);
}

}  // namespace

EventFileWriter::EventFileWriter(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw FileFormatError("TensorBoard: cannot create the log directory '" + dir + "'" +
                          (ec ? " (" + ec.message() + ")" : std::string()));
  const auto seconds = static_cast<long long>(std::floor(wall_time()));
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%010lld", seconds);
  path_ = (fs::path(dir) / ("events.out.tfevents." + std::string(stamp) + "." + host_name() + "." +
                            std::to_string(::getpid()) + "." + std::to_string(event_file_counter++) + ".v2"))
              .string();
  file_.open(path_, std::ios::binary | std::ios::trunc);
  if (!file_) throw FileFormatError("TensorBoard: cannot write the event file '" + path_ + "' (" +
                                    std::strerror(errno) + ")");
  write_event(0, "brain.Event:2", true);
}

void EventFileWriter::write_event(std::int64_t step, const std::string& payload, bool is_version) {
  // Event: double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5
  std::string event;
  put_double_field(event, 1, wall_time());
  if (step != 0) put_varint_field(event, 2, static_cast<std::uint64_t>(step));
  put_bytes_field(event, is_version ? 3 : 5, payload);
  char header[12];
  const std::uint64_t length = event.size();
  std::memcpy(header, &length, 8);
  const std::uint32_t length_crc = masked_crc32c(header, 8);
  std::memcpy(header + 8, &length_crc, 4);
  const std::uint32_t data_crc = masked_crc32c(event.data(), event.size());
  file_.write(header, 12);
  file_.write(event.data(), static_cast<std::streamsize>(event.size()));
  file_.write(reinterpret_cast<const char*>(&data_crc), 4);
  file_.flush();
  if (!file_) throw FileFormatError("TensorBoard: cannot write to '" + path_ + "'");
}

void EventFileWriter::scalar(const std::string& tag, double value, std::int64_t step) {
  const float f = static_cast<float>(value);
  std::string content(sizeof f, '\0');
  std::memcpy(content.data(), &f, sizeof f);
  write_event(step,
              summary_with_tensor(tag, summary_metadata("scalars", ""),
                                  tensor_proto(DT_FLOAT, tensor_shape({}), &content, nullptr)),
              false);
}

void EventFileWriter::histogram(const std::string& tag, const std::vector<double>& data, std::int64_t step,
                                int buckets) {
  const std::vector<double> rows = histogram_buckets(data, buckets);
  std::string content(rows.size() * sizeof(double), '\0');
  std::memcpy(content.data(), rows.data(), content.size());
  write_event(step,
              summary_with_tensor(tag, summary_metadata("histograms", ""),
                                  tensor_proto(DT_DOUBLE, tensor_shape({buckets, 3}), &content, nullptr)),
              false);
}

void EventFileWriter::string_tensor(const std::string& tag, const std::string& value, const std::string& plugin_name,
                                    const std::string& plugin_content, std::int64_t step) {
  write_event(step,
              summary_with_tensor(tag, summary_metadata(plugin_name, plugin_content),
                                  tensor_proto(DT_STRING, tensor_shape({}), nullptr, &value)),
              false);
}

void EventFileWriter::flush() { file_.flush(); }

// ---- the callback -----------------------------------------------------------------------------------------------

TensorBoard::TensorBoard(std::string log_dir, TensorBoardOptions options)
    : log_dir_(std::move(log_dir)), options_(std::move(options)) {
  if (log_dir_.empty()) throw ValueError("TensorBoard: log_dir must not be empty");
  if (const auto* every = std::get_if<std::int64_t>(&options_.update_freq)) {
    if (*every < 1) throw ValueError("TensorBoard: update_freq must be 'epoch', 'batch' or a positive integer, got " +
                                     std::to_string(*every));
    update_every_ = *every;
  } else if (std::get<std::string>(options_.update_freq) == "batch") {
    update_every_ = 1;
  } else if (std::get<std::string>(options_.update_freq) != "epoch") {
    throw ValueError("TensorBoard: update_freq must be 'epoch', 'batch' or a positive integer, got '" +
                     std::get<std::string>(options_.update_freq) + "'");
  }
  if (options_.histogram_freq < 0)
    throw ValueError("TensorBoard: histogram_freq must be >= 0, got " + std::to_string(options_.histogram_freq));
  if (options_.embeddings_freq < 0)
    throw ValueError("TensorBoard: embeddings_freq must be >= 0, got " + std::to_string(options_.embeddings_freq));
  if (options_.profile_batch < 0)
    throw ValueError("profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair of "
                     "positive integers signifies a range of batches to profile. Found: " +
                     std::to_string(options_.profile_batch));
  if (options_.write_images)
    throw UnsupportedError("TensorBoard: write_images=true is not supported (weights as images); use "
                           "histogram_freq for weight histograms");
}

TensorBoard::~TensorBoard() = default;

EventFileWriter& TensorBoard::train_writer() {
  if (!train_) train_ = std::make_unique<EventFileWriter>((fs::path(log_dir_) / "train").string());
  return *train_;
}

EventFileWriter& TensorBoard::val_writer() {
  if (!val_) val_ = std::make_unique<EventFileWriter>((fs::path(log_dir_) / "validation").string());
  return *val_;
}

void TensorBoard::close_writers() {
  train_.reset();
  val_.reset();
}

void TensorBoard::on_train_begin(const Logs&) {
  // as Keras's set_model: fresh writers (new event files) for every fit
  close_writers();
  in_fit_ = true;
  global_train_batch_ = 0;
  epoch_start_iterations_ = 0;
  EventFileWriter& writer = train_writer();
  if (options_.write_graph) {
    std::string json;
    try {
      json = model().to_json();
    } catch (const Error&) {
      // as Keras: a model that cannot serialize just has no graph
    }
    if (!json.empty()) writer.string_tensor("keras", json, "graph_keras_model", "1", 0);
  }
  if (options_.embeddings_freq) {
    std::string config;
    for (const auto& layer : model().layers())
      if (layer->class_name() == "Embedding")
        config += "embeddings {\n  tensor_name: \"layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE\"\n}\n";
    const std::string path = (fs::path(log_dir_) / "projector_config.pbtxt").string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << config;
    if (!out) throw FileFormatError("TensorBoard: cannot write '" + path + "'");
  }
}

void TensorBoard::on_train_end(const Logs&) {
  in_fit_ = false;
  close_writers();
}

void TensorBoard::on_epoch_begin(int, const Logs&) {
  if (!options_.write_steps_per_second) return;
  epoch_start_iterations_ = model().optimizer() ? model().optimizer()->iterations() : 0;
  epoch_start_ = std::chrono::steady_clock::now();
}

void TensorBoard::on_train_batch_begin(std::int64_t, const Logs&) {
  ++global_train_batch_;
  if (options_.write_steps_per_second) batch_start_ = std::chrono::steady_clock::now();
}

void TensorBoard::on_train_batch_end(std::int64_t, const Logs& logs) {
  // Keras records batch summaries only under a batch update_freq, when the step is a multiple of it
  if (update_every_ == 0 || global_train_batch_ % update_every_ != 0) return;
  EventFileWriter& writer = train_writer();
  if (options_.write_steps_per_second) {
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - batch_start_).count();
    writer.scalar("batch_steps_per_second", seconds > 0 ? 1.0 / seconds : 0.0, global_train_batch_);
  }
  for (const auto& [name, value] : logs) writer.scalar("batch_" + name, value, global_train_batch_);
}

void TensorBoard::on_test_begin(const Logs&) {}

void TensorBoard::on_test_batch_begin(std::int64_t, const Logs&) { ++global_test_batch_; }

void TensorBoard::on_test_end(const Logs& logs) {
  // evaluate, and fit's validation (which runs with fit's callbacks, as Keras's does)
  if (model().optimizer()) {
    const std::int64_t iterations = model().optimizer()->iterations();
    for (const auto& [name, value] : logs)
      val_writer().scalar("evaluation_" + name + "_vs_iterations", value, iterations);
  }
  if (!in_fit_) val_.reset();  // a standalone evaluate: close the file, complete
}

void TensorBoard::on_epoch_end(int epoch, Logs& logs) {
  Logs train_logs, val_logs;
  for (const auto& [name, value] : logs) (name.starts_with("val_") ? val_logs : train_logs)[name] = value;
  if (!logs.empty()) {
    if (model().optimizer()) train_logs["learning_rate"] = model().optimizer()->learning_rate();
    if (options_.write_steps_per_second && model().optimizer()) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - epoch_start_).count();
      const auto steps = static_cast<double>(model().optimizer()->iterations() - epoch_start_iterations_);
      train_logs["steps_per_second"] = seconds > 0 ? steps / seconds : 0.0;
    }
    for (const auto& [name, value] : train_logs) train_writer().scalar("epoch_" + name, value, epoch);
    for (const auto& [name, value] : val_logs) val_writer().scalar("epoch_" + name.substr(4), value, epoch);
  }
  if (options_.histogram_freq && epoch % options_.histogram_freq == 0) {
    std::vector<std::pair<std::string, const Variable*>> weights;
    collect_weight_paths(model(), "", weights);
    for (auto& [name, weight] : weights) {
      std::replace(name.begin(), name.end(), ':', '_');
      const Tensor value = weight->value();
      std::vector<double> data(static_cast<std::size_t>(value.size()));
      for (std::int64_t i = 0; i < value.size(); ++i) data[static_cast<std::size_t>(i)] = value.item(i);
      train_writer().histogram(name + "/histogram", data, epoch);
    }
  }
  if (options_.embeddings_freq && epoch % options_.embeddings_freq == 0)
    model().save_weights(
        (fs::path(log_dir_) / "train" / ("keras_embedding.ckpt-" + std::to_string(epoch) + ".weights.h5")).string());
}

}  // namespace strata::callbacks
