#pragma once
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include <strata/api/training/progbar.hpp>
#include <strata/callbacks/callback.hpp>

namespace strata {

/// Prints fit/evaluate/predict progress (keras.callbacks.ProgbarLogger); fit adds one when verbose > 0.
/// On a terminal the bar is redrawn in place; elsewhere (a log file, CI) only each epoch's final line is written.
class ProgbarLogger : public Callback {
 public:
  explicit ProgbarLogger(std::ostream& out = std::cout) : out_(out), live_(is_terminal(out)) {}

  void on_train_begin(const Logs& logs) override { called_in_fit_ = true; }
  void on_test_begin(const Logs& logs) override;
  void on_predict_begin(const Logs& logs) override;
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override { update(batch, logs); }
  void on_test_batch_end(std::int64_t batch, const Logs& logs) override {
    if (!called_in_fit_) update(batch, logs);
  }
  void on_predict_batch_end(std::int64_t batch, const Logs& logs) override { update(batch, {}); }
  void on_epoch_end(int epoch, Logs& logs) override { finalize(logs); }
  void on_test_end(const Logs& logs) override {
    if (!called_in_fit_) finalize(logs);
  }
  void on_predict_end(const Logs& logs) override { finalize(logs); }

 private:
  void reset();
  void update(std::int64_t batch, const Logs& logs);
  void finalize(const Logs& logs);
  const std::vector<Progbar::Value>& values(const Logs& logs);

  std::ostream& out_;
  std::optional<Progbar> progbar_;
  std::int64_t seen_ = 0;
  bool called_in_fit_ = false;
  bool live_ = true;  // redraw during the epoch (a terminal)
  std::vector<Progbar::Value> values_;  // reused, so per-step updates do not allocate
};

}  // namespace strata
