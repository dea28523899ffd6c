#include <strata/callbacks/reduce_lr_on_plateau.hpp>

#include <algorithm>
#include <iostream>

#include <strata/api/model.hpp>
#include <strata/callbacks/python_format.hpp>

namespace strata::callbacks {

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : MonitorCallback("ReduceLROnPlateau", options.monitor, options.mode, options.min_delta),
      options_(std::move(options)) {
  if (options_.factor >= 1.0)
    throw ValueError("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=" +
                     python_float_repr(options_.factor));
}

void ReduceLROnPlateau::on_train_begin(const Logs& logs) {
  best_.reset();
  cooldown_counter_ = 0;
  wait_ = 0;
}

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
  set_monitor_op();
  Optimizer& optimizer = *model().optimizer();
  logs["learning_rate"] = optimizer.learning_rate();
  std::optional<double> current = monitor_value(logs, "Learning rate reduction is");
  if (!current) return;
  if (in_cooldown()) {
    --cooldown_counter_;
    wait_ = 0;
  }
  if (is_improvement(*current, best_)) {
    best_ = current;
    wait_ = 0;
    return;
  }
  if (in_cooldown()) return;
  if (++wait_ < options_.patience) return;
  // Keras compares the float32 rate with float32(min_lr) and computes the new rate in double
  const double old_lr = optimizer.learning_rate();
  if (!(old_lr > static_cast<double>(static_cast<float>(options_.min_lr)))) return;
  const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
  optimizer.set_learning_rate(new_lr);
  if (options_.verbose > 0)
    std::cout << "\nEpoch " << epoch + 1 << ": ReduceLROnPlateau reducing learning rate to "
              << python_float_repr(new_lr) << ".\n";
  cooldown_counter_ = options_.cooldown;
  wait_ = 0;
}

}  // namespace strata::callbacks
