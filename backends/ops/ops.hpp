#pragma once
// The functions a layer's call() composes: each appends one op (or a few) to the value's graph.
#include <array>

#include <strata/api/graph/graph.hpp>

namespace strata {

Value operator+(Value a, Value b);
Value operator-(Value a, Value b);
Value operator*(Value a, Value b);
Value operator/(Value a, Value b);
Value operator-(Value a);
Value operator+(Value a, float b);
Value operator*(Value a, float b);
Value operator*(float a, Value b);
Value operator-(float a, Value b);
Value operator-(Value a, float b);
Value operator/(float a, Value b);
Value operator/(Value a, float b);

namespace ops {

// matmul.cpp
Value matmul(Value a, Value b, bool transpose_a = false, bool transpose_b = false);

// convolution.cpp
Value convolution(Value x, Value w, const ConvolutionAttrs& attrs);
/// Keras's conv_transpose arguments (padding "valid" or "same"; output_padding empty = Keras's None).
struct ConvTransposeSpec {
  std::string padding = "valid";
  std::vector<std::int64_t> strides, dilations, output_padding;
  bool channels_first = false;
};
/// Keras's ops.conv_transpose: x (N, spatial..., C) with a kernel (k..., filters, C) gives (N, spatial'..., filters),
/// the output lengths of keras deconv_output_length. It is the input gradient of a convolution (one op).
Value conv_transpose(Value x, Value w, const ConvTransposeSpec& spec);
/// Explicit padding for Keras's "valid" / "causal" (all on the left) / "same" (same: total = max((ceil(in/s)-1)*s + (k-1)*d + 1 - in, 0),
/// the extra pixel at the end, as TensorFlow does).
void resolve_padding(const std::string& padding, const Shape& spatial_in, const std::vector<std::int64_t>& window,
                     const std::vector<std::int64_t>& strides, const std::vector<std::int64_t>& dilations,
                     std::vector<std::int64_t>& pad_begin, std::vector<std::int64_t>& pad_end);

// pooling.cpp
Value pooling(Value x, const PoolingAttrs& attrs);

// batch_norm.cpp
struct BatchNormOutputs {
  Value y, mean, variance;
};
/// Normalizes over every axis but `axis` (the channel axis, gamma/beta/mean/variance of its size), with batch
/// statistics (population variance).
BatchNormOutputs batch_norm_training(Value x, Value gamma, Value beta, float epsilon, int axis = -1);
Value batch_norm_inference(Value x, Value gamma, Value beta, Value mean, Value variance, float epsilon, int axis = -1);

// eltwise.cpp
Value eltwise(Value x, EltwiseKind kind, float alpha = 0, float beta = 0);
Value relu(Value x);
Value sigmoid(Value x);
Value tanh(Value x);
Value exp(Value x);
Value log(Value x);
Value sqrt(Value x);
Value square(Value x);
Value abs(Value x);
Value clip(Value x, float lo, float hi);

// softmax.cpp
Value softmax(Value x, int axis = -1);
Value log_softmax(Value x, int axis = -1);

// binary.cpp
Value binary(Value a, Value b, BinaryKind kind);
Value maximum(Value a, Value b);
Value minimum(Value a, Value b);
Value equal(Value a, Value b);
Value greater(Value a, Value b);
/// Sums `grad` over the axes that numpy broadcasting expanded, giving `target`'s shape.
Value unbroadcast(Value grad, Shape target);

// reduce.cpp
Value reduce(Value x, ReduceKind kind, std::vector<int> axes = {}, bool keepdims = false);  // {} = all axes
Value sum(Value x, std::vector<int> axes = {}, bool keepdims = false);
Value mean(Value x, std::vector<int> axes = {}, bool keepdims = false);
Value max(Value x, std::vector<int> axes = {}, bool keepdims = false);

// shape_ops.cpp
Value reshape(Value x, Shape shape);  // one -1 allowed
Value broadcast_to(Value x, Shape shape);
Value transpose(Value x, std::vector<int> perm);

// dropout.cpp
/// Inverted dropout: kept elements are scaled by 1 / (1 - rate). `seed_state` is an int64 scalar variable.
Value dropout(Value x, float rate, Value seed_state, std::uint64_t salt, std::vector<bool> noise_broadcast = {});

// indexing.cpp
Value one_hot(Value labels, std::int64_t depth);
Value argmax(Value x, int axis = -1);
Value cast(Value x, DType dtype);

// state.cpp (side effects, run after every read of the variable in the step)
void assign(Value variable, Value value);
void assign_add(Value variable, double delta);
/// `extra`: the rule's scalar inputs after iterations (optimizer_extra_inputs: Nadam's u_product for this step).
void optimizer_update(const OptimizerUpdateAttrs& attrs, Value variable, Value gradient, const std::vector<Value>& slots,
                      Value learning_rate, Value iterations, const std::vector<Value>& extra = {});

// pooling, reshaping and merging layers (issue 4): merging.cpp
/// Joins `xs` along `axis` (negative counts from the end); shapes must match elsewhere.
Value concat(const std::vector<Value>& xs, int axis);
/// x[begin:end] per axis.
Value slice(Value x, std::vector<std::int64_t> begin, std::vector<std::int64_t> end);
/// Zeros around x: pad_begin before and pad_end after each axis.
Value pad(Value x, std::vector<std::int64_t> pad_begin, std::vector<std::int64_t> pad_end);
/// Scales the spatial dims of a (batch, spatial..., channels) tensor (or channels-first) by integer factors.
Value resampling(Value x, ResamplingKind kind, std::vector<std::int64_t> factors, bool channels_first = false);
/// Each element of `axis` repeated `times` times in place (numpy.repeat), from reshape and broadcast_to.
Value repeat(Value x, std::int64_t times, int axis);
// layer_norm.cpp
/// (x - mean) / sqrt(variance + epsilon) * gamma + beta over the last axis (gamma, beta of its size).
Value layer_norm(Value x, Value gamma, Value beta, float epsilon);

// random.cpp
/// Fresh noise of `shape` per run (no gradient): uniform in [0, 1) or standard normal, from the counter-based
/// generator keyed by the int64 scalar `seed_state` and `salt`.
Value random_uniform(Value seed_state, Shape shape, std::uint64_t salt);
Value random_normal(Value seed_state, Shape shape, std::uint64_t salt);

// image preprocessing layers (issue 6): image.cpp
/// Resizes the spatial dims of a (N, H, W, C) (or channels-first) batch to height x width as
/// jax.image.resize without antialiasing: bilinear with half-pixel centers, nearest at floor((i + 0.5) * in / out).
Value image_resize(Value x, ImageInterpolation interpolation, std::int64_t height, std::int64_t width,
                   bool channels_first = false);
/// Resamples each image of a (N, H, W, C) (or channels-first) batch through the affine map its row of `params`
/// describes (one row shared when params has one row), as keras.ops.image.affine_transform on jax.
Value affine_transform(Value x, Value params, const AffineTransformAttrs& attrs);

// CTC loss (issue 5): ctc.cpp
/// Per-sample CTC loss (batch,) of int32 labels (batch, max_label_length) against logits (batch, time, classes),
/// as keras.ops.ctc_loss with every output length = time: log_softmax over the classes, the label length of a
/// row = its count of entries != mask_index, the optax recursion with log epsilon -1e5.
Value ctc_loss(Value labels, Value logits, std::int64_t mask_index = 0);

}  // namespace ops

/// Shape inference and gradient rule of each op kind (dispatch over backends/ops/<family>.cpp).
struct OutputSpec {
  Shape shape;
  DType dtype;
};
std::vector<OutputSpec> infer_outputs(const Graph& graph, OpKind kind, OpAttrs& attrs,
                                      const std::vector<ValueId>& inputs);
/// Emits the ops computing each input's gradient from the outputs' gradients (absent = zero).
/// Returns one entry per input; an empty Value means no gradient flows there.
std::vector<Value> gradient(Graph& graph, const Op& op, const std::vector<Value>& output_grads);

}  // namespace strata
