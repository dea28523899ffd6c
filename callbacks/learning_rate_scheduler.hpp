#pragma once
#include <functional>

#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

/// keras.callbacks.LearningRateScheduler: at each epoch's start sets the optimizer's learning rate to
/// schedule(epoch, current_rate) (or schedule(epoch)); logs the rate as "learning_rate" at each epoch's end.
class LearningRateScheduler : public Callback {
 public:
  using Schedule = std::function<double(int epoch, double learning_rate)>;
  explicit LearningRateScheduler(Schedule schedule, int verbose = 0);
  explicit LearningRateScheduler(std::function<double(int epoch)> schedule, int verbose = 0);
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;

 private:
  Schedule schedule_;
  int verbose_;
};

}  // namespace strata::callbacks
