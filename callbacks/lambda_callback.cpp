#include <strata/callbacks/lambda_callback.hpp>

namespace strata::callbacks {

void LambdaCallback::on_epoch_begin(int epoch, const Logs& logs) {
  if (hooks_.on_epoch_begin) hooks_.on_epoch_begin(epoch, logs);
}
void LambdaCallback::on_epoch_end(int epoch, Logs& logs) {
  if (hooks_.on_epoch_end) hooks_.on_epoch_end(epoch, logs);
}
void LambdaCallback::on_train_begin(const Logs& logs) {
  if (hooks_.on_train_begin) hooks_.on_train_begin(logs);
}
void LambdaCallback::on_train_end(const Logs& logs) {
  if (hooks_.on_train_end) hooks_.on_train_end(logs);
}
void LambdaCallback::on_train_batch_begin(std::int64_t batch, const Logs& logs) {
  if (hooks_.on_train_batch_begin) hooks_.on_train_batch_begin(batch, logs);
}
void LambdaCallback::on_train_batch_end(std::int64_t batch, const Logs& logs) {
  if (hooks_.on_train_batch_end) hooks_.on_train_batch_end(batch, logs);
}

}  // namespace strata::callbacks
