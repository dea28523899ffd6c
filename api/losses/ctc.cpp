#include <strata/api/losses/ctc.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::losses {

Value ctc(Value y_true, Value y_pred) {
  // Keras's checks and wording (keras/src/losses/losses.py ctc)
  if (y_true.ndim() != 2)
    throw ValueError("Targets `y_true` are expected to be a tensor of shape `(batch_size, max_length)` in integer "
                     "format. Received: y_true.shape=" + shape_str(y_true.shape()));
  if (y_pred.ndim() != 3)
    throw ValueError("Logits `y_pred` are expected to be a tensor of shape `(batch_size, max_length, num_classes)`. "
                     "Received: y_pred.shape=" + shape_str(y_pred.shape()));
  // strata's own checks: Keras would give a huge (~1e5) loss or fail inside the backend instead
  if (y_pred.dtype() != DType::float32)
    throw ValueError("ctc: logits `y_pred` must be float32. Received: y_pred.dtype=" +
                     std::string(dtype_name(y_pred.dtype())) + ", y_pred.shape=" + shape_str(y_pred.shape()));
  if (y_true.dim(0) != y_pred.dim(0))
    throw ValueError("ctc: `y_true` and `y_pred` must have the same batch size. Received: y_true.shape=" +
                     shape_str(y_true.shape()) + ", y_pred.shape=" + shape_str(y_pred.shape()));
  if (y_true.dim(1) > y_pred.dim(1))
    throw ValueError("ctc: labels can be at most as long as the time steps of `y_pred`. Received: y_true.shape=" +
                     shape_str(y_true.shape()) + " (max_length " + std::to_string(y_true.dim(1)) +
                     "), y_pred.shape=" + shape_str(y_pred.shape()) + " (" + std::to_string(y_pred.dim(1)) +
                     " time steps)");
  if (y_pred.dim(2) < 2)
    throw ValueError("ctc: `y_pred` needs the blank class 0 and at least one label class. Received: y_pred.shape=" +
                     shape_str(y_pred.shape()));
  // float labels are truncated to int32, as Keras's convert_to_tensor(target, "int32") does
  return ops::ctc_loss(ops::cast(y_true, DType::int32), y_pred, 0);
}

Value CTC::call(Value y_true, Value y_pred) const {
  auto [t, p] = squeeze_or_expand_to_same_rank(y_true, y_pred);
  return ctc(t, p);
}

}  // namespace strata::losses
