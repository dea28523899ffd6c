#pragma once
// Each family's preprocess_input / decode_predictions, forwarding to imagenet_utils with the family's mode, as
// Keras's application modules do.
#include <strata/applications/imagenet_utils.hpp>

/// Declares `namespace strata::applications::FAMILY { preprocess_input; decode_predictions; }` with Keras's MODE.
#define STRATA_APPLICATION_UTILS(FAMILY, MODE)                                                               \
  namespace strata::applications::FAMILY {                                                                  \
  /** Keras's FAMILY.preprocess_input: imagenet_utils.preprocess_input(x, data_format, mode=MODE). */        \
  inline Tensor preprocess_input(const Tensor& x, const std::string& data_format = "") {                    \
    return imagenet_utils::preprocess_input(x, data_format, MODE);                                          \
  }                                                                                                         \
  inline std::vector<std::vector<imagenet_utils::Prediction>> decode_predictions(const Tensor& preds,       \
                                                                                 int top = 5) {             \
    return imagenet_utils::decode_predictions(preds, top);                                                  \
  }                                                                                                         \
  }
