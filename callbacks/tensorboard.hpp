#pragma once
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

struct TensorBoardOptions {
  /// Every N epochs, a histogram of each layer's weights ("<weight path>/histogram"); 0: none.
  int histogram_freq = 0;
  /// The model's Keras JSON (to_json) as Keras's "keras" graph summary, which TensorBoard's graph plugin draws.
  bool write_graph = true;
  bool write_images = false;  // not supported: UnsupportedError when true
  /// "batch_steps_per_second" (with a batch update_freq) and "epoch_steps_per_second".
  bool write_steps_per_second = false;
  /// "epoch": scalars at epoch ends only; "batch" or an integer N: also "batch_<metric>" every N batches.
  std::variant<std::string, std::int64_t> update_freq = std::string("epoch");
  int profile_batch = 0;  // accepted and ignored: strata has no profiler trace to write
  /// Every N epochs, the weights to train/keras_embedding.ckpt-<epoch>.weights.h5 (as Keras); 0: never.
  int embeddings_freq = 0;
};

/// Streams summaries into TensorBoard event files (TFRecord-framed `Event` protobufs, file version
/// "brain.Event:2"), one file per writer in a directory. Shared by TensorBoard's train and validation writers.
class EventFileWriter {
 public:
  /// Creates `dir` (and parents) and the file events.out.tfevents.<seconds>.<host>.<pid>.<n>.v2 in it.
  explicit EventFileWriter(const std::string& dir);
  /// A scalar as tf.summary.scalar writes it: a float32 tensor with the "scalars" plugin.
  void scalar(const std::string& tag, double value, std::int64_t step);
  /// tf.summary.histogram's [buckets, 3] float64 tensor of (left edge, right edge, count).
  void histogram(const std::string& tag, const std::vector<double>& data, std::int64_t step, int buckets = 30);
  /// A string tensor with the given plugin (Keras's model summary uses "graph_keras_model", content "1").
  void string_tensor(const std::string& tag, const std::string& value, const std::string& plugin_name,
                     const std::string& plugin_content, std::int64_t step);
  void flush();
  const std::string& path() const { return path_; }

 private:
  void write_event(std::int64_t step, const std::string& summary_or_version, bool is_version);
  std::string path_;
  std::ofstream file_;
};

/// keras.callbacks.TensorBoard: the event files Keras 3 writes, in log_dir/train and log_dir/validation, with
/// Keras's tags: "epoch_<metric>" and "epoch_learning_rate" per epoch (validation metrics without their "val_"
/// prefix, in the validation directory), "evaluation_<metric>_vs_iterations" at the optimizer's iteration count,
/// "batch_<metric>" with a batch update_freq, "<weight path>/histogram", and the model's "keras" summary at step 0.
/// Every event is flushed as it is written, so the files hold everything up to a failure.
class TensorBoard : public Callback {
 public:
  explicit TensorBoard(std::string log_dir = "logs", TensorBoardOptions options = {});
  ~TensorBoard() override;
  void on_train_begin(const Logs& logs) override;
  void on_train_end(const Logs& logs) override;
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_begin(std::int64_t batch, const Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;
  void on_test_begin(const Logs& logs) override;
  void on_test_end(const Logs& logs) override;
  void on_test_batch_begin(std::int64_t batch, const Logs& logs) override;

  const std::string& log_dir() const { return log_dir_; }

 private:
  EventFileWriter& train_writer();
  EventFileWriter& val_writer();
  void close_writers();

  std::string log_dir_;
  TensorBoardOptions options_;
  std::int64_t update_every_ = 0;  // batches; 0 = "epoch"
  std::unique_ptr<EventFileWriter> train_, val_;
  std::int64_t global_train_batch_ = 0, global_test_batch_ = 0;
  std::int64_t epoch_start_iterations_ = 0;
  bool in_fit_ = false;
  std::chrono::steady_clock::time_point batch_start_, epoch_start_;
};

}  // namespace strata::callbacks
