#pragma once
// Keras's loss functions (keras.losses.mean_squared_error, ...): per-sample values from (y_true, y_pred),
// composed from ops. The Loss classes and the loss-metrics call these.
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include <strata/api/graph/graph.hpp>

namespace strata::losses {

/// Keras's squeeze_or_expand_to_same_rank: when ranks differ by one and the larger has a last dim of 1,
/// squeezes it (or expands a rank-1 partner to (n, 1)).
std::pair<Value, Value> squeeze_or_expand_to_same_rank(Value x1, Value x2, bool expand_rank_1 = true);

Value mean_squared_error(Value y_true, Value y_pred);
Value mean_absolute_error(Value y_true, Value y_pred);
Value binary_crossentropy(Value y_true, Value y_pred, bool from_logits = false, double label_smoothing = 0.0,
                          int axis = -1);
Value categorical_crossentropy(Value y_true, Value y_pred, bool from_logits = false, double label_smoothing = 0.0,
                               int axis = -1);
/// -sum(target * log p) along `axis` for a float target of y_pred's shape (no label smoothing, no shape check).
Value categorical_crossentropy_from_target(Value target, Value y_pred, bool from_logits, int axis = -1);
/// y_true holds class indices (any dtype; (batch,) or (batch, 1)), y_pred the class scores on the last axis.
Value sparse_categorical_crossentropy(Value y_true, Value y_pred, bool from_logits = false);
// the remaining simple losses (issue 5)
Value mean_squared_logarithmic_error(Value y_true, Value y_pred);
Value mean_absolute_percentage_error(Value y_true, Value y_pred);
Value huber(Value y_true, Value y_pred, double delta = 1.0);
Value log_cosh(Value y_true, Value y_pred);
Value kl_divergence(Value y_true, Value y_pred);
Value poisson(Value y_true, Value y_pred);
/// {0, 1} labels become {-1, 1} when every label is 0 or 1; other labels pass unchanged.
Value convert_binary_labels_to_hinge(Value y_true);
Value hinge(Value y_true, Value y_pred);
Value squared_hinge(Value y_true, Value y_pred);
Value categorical_hinge(Value y_true, Value y_pred);
Value cosine_similarity(Value y_true, Value y_pred, int axis = -1);
// focal crossentropies, Dice and Tversky (issue 5)
Value binary_focal_crossentropy(Value y_true, Value y_pred, bool apply_class_balancing = false, double alpha = 0.25,
                                double gamma = 2.0, bool from_logits = false, double label_smoothing = 0.0,
                                int axis = -1);
/// `alpha` is one weight for every class.
Value categorical_focal_crossentropy(Value y_true, Value y_pred, double alpha = 0.25, double gamma = 2.0,
                                     bool from_logits = false, double label_smoothing = 0.0, int axis = -1);
/// `axis` empty = Keras's None: summed over every axis, one scalar.
Value dice(Value y_true, Value y_pred, std::vector<int> axis = {});
Value tversky(Value y_true, Value y_pred, double alpha = 0.5, double beta = 0.5, std::vector<int> axis = {});
// CTC loss (issue 5)
/// y_true: int labels (batch, max_label_length), 0 the blank and padding, the label length of a row its count of
/// non-zero entries; y_pred: logits (batch, time, classes). Per-sample -log p(labels), as keras.losses.ctc.
Value ctc(Value y_true, Value y_pred);
/// Keras's config value of an axis tuple: null when empty (None), else the list.
nlohmann::json axis_config(const std::vector<int>& axis);

}  // namespace strata::losses
