#pragma once
#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

struct SwapEMAWeightsOptions {
  bool swap_on_epoch = false;  // also hold the EMA weights from each epoch's end to the next one's begin
};

/// keras.callbacks.SwapEMAWeights: evaluation (evaluate, fit's validation, predict) runs with the optimizer's
/// exponential moving averages swapped into the model's variables, and the trained values swapped back after.
/// With swap_on_epoch the swap also spans each epoch's end (so callbacks such as ModelCheckpoint see the EMA
/// weights), and after the last epoch the averages are kept as the final weights. The model's optimizer must
/// have use_ema (or be a LossScaleOptimizer whose inner optimizer has it); otherwise ValueError.
class SwapEMAWeights : public Callback {
 public:
  explicit SwapEMAWeights(SwapEMAWeightsOptions options = {}) : options_(options) {}
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_test_begin(const Logs& logs) override;
  void on_test_end(const Logs& logs) override;
  void on_predict_begin(const Logs& logs) override;
  void on_predict_end(const Logs& logs) override;

 private:
  void swap();
  void finalize();

  SwapEMAWeightsOptions options_;
  bool ema_weights_in_model_ = false;
};

}  // namespace strata::callbacks
