#include <strata/callbacks/early_stopping.hpp>

#include <iostream>

#include <strata/api/model.hpp>

namespace strata::callbacks {

EarlyStopping::EarlyStopping(EarlyStoppingOptions options)
    : MonitorCallback("EarlyStopping", options.monitor, options.mode, options.min_delta, std::nullopt),
      options_(std::move(options)) {}

void EarlyStopping::on_train_begin(const Logs& logs) {
  // Keras resets here, so one instance serves several fit() calls; the baseline is not the first "best"
  wait_ = 0;
  stopped_epoch_ = 0;
  best_.reset();
  best_weights_.reset();
  best_epoch_ = 0;
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
  set_monitor_op();
  std::optional<double> current = monitor_value(logs, "Early stopping");
  if (!current || epoch < options_.start_from_epoch) return;
  // never improved yet: the current weights are the best so far
  if (options_.restore_best_weights && !best_weights_) {
    best_weights_ = model().get_weights();
    best_epoch_ = epoch;
  }
  ++wait_;
  if (is_improvement(*current, best_)) {
    best_ = current;
    best_epoch_ = epoch;
    if (options_.restore_best_weights) best_weights_ = model().get_weights();
    // the wait restarts only when both the baseline and the previous best are beaten
    if (!options_.baseline || is_improvement(*current, options_.baseline)) wait_ = 0;
    return;
  }
  if (wait_ >= options_.patience && epoch > 0) {
    stopped_epoch_ = epoch;
    model().stop_training = true;
  }
}

void EarlyStopping::on_train_end(const Logs& logs) {
  if (stopped_epoch_ > 0 && options_.verbose > 0) std::cout << "Epoch " << stopped_epoch_ + 1 << ": early stopping\n";
  if (options_.restore_best_weights && best_weights_) {
    if (options_.verbose > 0)
      std::cout << "Restoring model weights from the end of the best epoch: " << best_epoch_ + 1 << ".\n";
    model().set_weights(*best_weights_);
  }
}

}  // namespace strata::callbacks
