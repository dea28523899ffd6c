#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include <strata/callbacks/monitor_callback.hpp>

namespace strata::callbacks {

struct ModelCheckpointOptions {
  std::string monitor = "val_loss";
  int verbose = 0;
  bool save_best_only = false;     // save only when `monitor` improves on the best value so far
  bool save_weights_only = false;  // model.save_weights (path must end in ".weights.h5") instead of model.save
  std::string mode = "auto";       // "auto", "min" or "max"
  /// "epoch": save at each epoch end; an integer N: save every N training batches.
  std::variant<std::string, std::int64_t> save_freq = std::string("epoch");
  std::optional<double> initial_value_threshold;  // the "best" value to beat before the first save
};

/// keras.callbacks.ModelCheckpoint: saves the model (or its weights) during fit. `filepath` is a Python format
/// string over `epoch` (1-based), `batch` (1-based, with an integer save_freq) and the logged metrics, e.g.
/// "ckpt-{epoch:02d}-{val_loss:.2f}.h5"; missing directories are created. Each save is atomic (temporary file
/// and rename), so an interrupted run leaves the previous checkpoint intact.
class ModelCheckpoint : public MonitorCallback {
 public:
  explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {});
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;

  /// The path `filepath` gives for this epoch (0-based, as in the hooks), batch (0-based, or none) and logs.
  std::string file_path(int epoch, std::optional<std::int64_t> batch, const Logs& logs) const;

 private:
  bool should_save_on_batch(std::int64_t batch);
  bool should_save_model(int epoch, const Logs& logs, const std::string& path);
  void save_model(int epoch, std::optional<std::int64_t> batch, const Logs& logs);

  std::string filepath_;
  ModelCheckpointOptions options_;
  std::int64_t save_every_ = 0;  // batches; 0 = at epoch ends
  std::int64_t batches_since_save_ = 0;
  std::optional<std::int64_t> last_batch_seen_;
  int current_epoch_ = 0;
};

}  // namespace strata::callbacks
