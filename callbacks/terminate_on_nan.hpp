#pragma once
#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

struct TerminateOnNaNOptions {
  bool raise_error = false;  // throw strata::Error instead of stopping training
};

/// keras.callbacks.TerminateOnNaN: stops training after the first batch whose loss is NaN or infinite.
class TerminateOnNaN : public Callback {
 public:
  explicit TerminateOnNaN(TerminateOnNaNOptions options = {}) : options_(options) {}
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;

 private:
  TerminateOnNaNOptions options_;
};

}  // namespace strata::callbacks
