#include <strata/callbacks/swap_ema_weights.hpp>

#include <strata/api/errors.hpp>
#include <strata/api/model.hpp>
#include <strata/api/optimizers/optimizer.hpp>

namespace strata::callbacks {

namespace {

Optimizer& ema_optimizer(Model& model) {
  Optimizer* opt = model.optimizer() ? model.optimizer()->ema_optimizer() : nullptr;
  if (!opt)
    throw ValueError("SwapEMAWeights must be used when `use_ema=True` is set on the optimizer. Received: "
                     "use_ema=False");
  return *opt;
}

}  // namespace

void SwapEMAWeights::swap() {
  for (auto [variable, average] : ema_optimizer(model()).ema_variables()) {
    Tensor trained = variable->value();
    variable->assign(average->value());
    average->assign(trained);
  }
}

void SwapEMAWeights::finalize() {
  // Keras's _finalize_ema_values: the averages take the (now EMA) model values, so a later swap is a no-op
  for (auto [variable, average] : ema_optimizer(model()).ema_variables()) average->assign(variable->value());
}

void SwapEMAWeights::on_epoch_begin(int epoch, const Logs& logs) {
  if (options_.swap_on_epoch && ema_weights_in_model_) {
    swap();
    ema_weights_in_model_ = false;
  }
}

void SwapEMAWeights::on_epoch_end(int epoch, Logs& logs) {
  if (options_.swap_on_epoch && !ema_weights_in_model_) {
    swap();
    ema_weights_in_model_ = true;
    if (epoch == params().epochs - 1) finalize();
  }
}

void SwapEMAWeights::on_test_begin(const Logs& logs) {
  if (!ema_weights_in_model_) {
    swap();
    ema_weights_in_model_ = true;
  }
}

void SwapEMAWeights::on_test_end(const Logs& logs) {
  if (ema_weights_in_model_) {
    swap();
    ema_weights_in_model_ = false;
  }
}

void SwapEMAWeights::on_predict_begin(const Logs& logs) {
  if (!ema_weights_in_model_) {
    swap();
    ema_weights_in_model_ = true;
  }
}

void SwapEMAWeights::on_predict_end(const Logs& logs) {
  // Keras 3.15.1 tests `not self._ema_weights_in_model` here, which never swaps back after predict; the intent
  // (and on_test_end) is to restore the trained weights
  if (ema_weights_in_model_) {
    swap();
    ema_weights_in_model_ = false;
  }
}

}  // namespace strata::callbacks
