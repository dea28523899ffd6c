#pragma once
#include <string>

#include <strata/callbacks/monitor_callback.hpp>

namespace strata::callbacks {

struct ReduceLROnPlateauOptions {
  std::string monitor = "val_loss";
  double factor = 0.1;  // new_lr = lr * factor; must be < 1
  int patience = 10;    // epochs without improvement before reducing
  int verbose = 0;
  std::string mode = "auto";  // "auto", "min" or "max"
  double min_delta = 1e-4;  // a change of at most this is no improvement
  int cooldown = 0;         // epochs to wait after a reduction before counting again
  double min_lr = 0.0;      // lower bound on the learning rate
};

/// keras.callbacks.ReduceLROnPlateau: multiplies the optimizer's learning rate by `factor` once the monitored
/// quantity has stopped improving for `patience` epochs; logs the rate as "learning_rate" every epoch.
class ReduceLROnPlateau : public MonitorCallback {
 public:
  explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});
  void on_train_begin(const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  bool in_cooldown() const { return cooldown_counter_ > 0; }
  int wait() const { return wait_; }

 private:
  ReduceLROnPlateauOptions options_;
  int cooldown_counter_ = 0, wait_ = 0;
};

}  // namespace strata::callbacks
