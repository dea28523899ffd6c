#pragma once
#include <strata/api/losses/loss.hpp>

namespace strata::losses {

struct CTCOptions {
  std::string reduction = "sum_over_batch_size";  // see Loss
  std::string name = "ctc";
};

/// keras.losses.CTC: connectionist temporal classification loss of int labels (batch, max_label_length), 0 the
/// blank and padding, against logits (batch, time, classes) (not softmax-normalized).
class CTC : public Loss {
 public:
  explicit CTC(CTCOptions options = {}) : Loss(options.reduction), options_(std::move(options)) {}
  std::string name() const override { return options_.name; }
  std::string class_name() const override { return "CTC"; }
  Value call(Value y_true, Value y_pred) const override;
  DType label_dtype() const override { return DType::int32; }

 private:
  CTCOptions options_;
};

}  // namespace strata::losses
