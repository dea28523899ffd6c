#include <strata/callbacks/terminate_on_nan.hpp>

#include <cmath>
#include <iostream>

#include <strata/api/errors.hpp>
#include <strata/api/model.hpp>
#include <strata/callbacks/python_format.hpp>

namespace strata::callbacks {

void TerminateOnNaN::on_train_batch_end(std::int64_t batch, const Logs& logs) {
  auto it = logs.find("loss");
  if (it == logs.end() || std::isfinite(it->second)) return;
  if (options_.raise_error)
    throw Error("NaN or Inf loss encountered at batch " + std::to_string(batch) + ". Loss value: " +
                python_float_repr(it->second) + ". Terminating training immediately.");
  std::cout << "Batch " << batch << ": Invalid loss, terminating training\n";
  model().stop_training = true;
}

}  // namespace strata::callbacks
