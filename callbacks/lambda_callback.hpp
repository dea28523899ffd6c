#pragma once
#include <functional>

#include <strata/callbacks/callback.hpp>

namespace strata::callbacks {

/// The hooks of a LambdaCallback; any may be left empty.
struct LambdaCallbackOptions {
  std::function<void(int epoch, const Logs& logs)> on_epoch_begin;
  std::function<void(int epoch, Logs& logs)> on_epoch_end;
  std::function<void(const Logs& logs)> on_train_begin;
  std::function<void(const Logs& logs)> on_train_end;
  std::function<void(std::int64_t batch, const Logs& logs)> on_train_batch_begin;
  std::function<void(std::int64_t batch, const Logs& logs)> on_train_batch_end;
};

/// keras.callbacks.LambdaCallback: a callback made of functions, e.g.
/// `LambdaCallback({.on_epoch_end = [](int epoch, Logs& logs) { ... }})`.
class LambdaCallback : public Callback {
 public:
  explicit LambdaCallback(LambdaCallbackOptions hooks) : hooks_(std::move(hooks)) {}
  void on_epoch_begin(int epoch, const Logs& logs) override;
  void on_epoch_end(int epoch, Logs& logs) override;
  void on_train_begin(const Logs& logs) override;
  void on_train_end(const Logs& logs) override;
  void on_train_batch_begin(std::int64_t batch, const Logs& logs) override;
  void on_train_batch_end(std::int64_t batch, const Logs& logs) override;

 private:
  LambdaCallbackOptions hooks_;
};

}  // namespace strata::callbacks
