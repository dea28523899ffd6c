#include <strata/callbacks/learning_rate_scheduler.hpp>

#include <cmath>
#include <iostream>

#include <strata/api/model.hpp>
#include <strata/callbacks/python_format.hpp>

namespace strata::callbacks {

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {
  if (!schedule_) throw ValueError("LearningRateScheduler: the schedule is empty");
}

LearningRateScheduler::LearningRateScheduler(std::function<double(int)> schedule, int verbose)
    : LearningRateScheduler(schedule ? Schedule([schedule](int epoch, double) { return schedule(epoch); }) : Schedule(),
                            verbose) {}

void LearningRateScheduler::on_epoch_begin(int epoch, const Logs& logs) {
  Optimizer& optimizer = *model().optimizer();
  const double learning_rate = schedule_(epoch, optimizer.learning_rate());
  if (!std::isfinite(learning_rate))
    throw ValueError("LearningRateScheduler: the schedule returned " + python_float_repr(learning_rate) +
                     " for epoch " + std::to_string(epoch) + "; the output of the schedule should be a finite number");
  optimizer.set_learning_rate(learning_rate);
  if (verbose_ > 0)
    std::cout << "\nEpoch " << epoch + 1 << ": LearningRateScheduler setting learning rate to "
              << python_float_repr(learning_rate) << ".\n";
}

void LearningRateScheduler::on_epoch_end(int epoch, Logs& logs) {
  logs["learning_rate"] = model().optimizer()->learning_rate();
}

}  // namespace strata::callbacks
