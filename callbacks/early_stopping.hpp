#pragma once
#include <optional>
#include <string>
#include <vector>

#include <strata/api/tensor.hpp>
#include <strata/callbacks/monitor_callback.hpp>

namespace strata::callbacks {

struct EarlyStoppingOptions {
  std::string monitor = "val_loss";
  double min_delta = 0;  // a change of at most this (in absolute value) is no improvement
  int patience = 0;      // epochs without improvement before stopping
  int verbose = 0;
  std::string mode = "auto";  // "auto", "min" or "max"
  std::optional<double> baseline;  // stop unless the monitored value beats it within `patience` epochs
  bool restore_best_weights = false;  // at the end, restore the weights of the best epoch
  int start_from_epoch = 0;  // epochs of warm-up in which nothing is monitored
};

/// keras.callbacks.EarlyStopping: sets model.stop_training once the monitored quantity has stopped improving.
class EarlyStopping : public MonitorCallback {
 public:
  explicit EarlyStopping(EarlyStoppingOptions options = {});
  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_end(const Logs& logs) override;

  /// The epoch at which training was stopped (0 if it was not).
  int stopped_epoch() const { return stopped_epoch_; }
  int best_epoch() const { return best_epoch_; }
  int wait() const { return wait_; }

 private:
  EarlyStoppingOptions options_;
  int wait_ = 0, stopped_epoch_ = 0, best_epoch_ = 0;
  std::optional<std::vector<Tensor>> best_weights_;
};

}  // namespace strata::callbacks
