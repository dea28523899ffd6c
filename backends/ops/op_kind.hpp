#pragma once
// The op vocabulary between the front end and the backends: every op kind and its attributes.
// Shape inference and the gradient rule of each kind live in backends/ops/<family>.cpp.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include <strata/api/dtype.hpp>

namespace strata {

enum class OpKind : std::uint8_t {
  matmul,                        // (a, b [, bias]) -> y
  convolution,                   // (x, w [, bias]) -> y ; x channels_last (or first), w (k..., in/groups, out)
  convolution_backward_data,     // (dy, w) -> dx ; also Keras's conv_transpose (x, w) -> y
  convolution_backward_weights,  // (x, dy) -> dw
  pooling,                       // (x) -> y [, workspace]
  pooling_backward,              // (dy, x, workspace) -> dx
  batch_norm,                    // training: (x, gamma, beta) -> y, mean, variance
                                 // inference: (x, gamma, beta, mean, variance) -> y
  batch_norm_backward,           // (x, dy, gamma, mean, variance) -> dx, dgamma, dbeta
  eltwise,                       // (x) -> y
  eltwise_backward,              // (dy, x or y) -> dx
  softmax,                       // (x) -> y
  softmax_backward,              // (dy, y) -> dx
  binary,                        // (a, b) -> y with numpy broadcasting
  reduce,                        // (x) -> y
  broadcast_to,                  // (x) -> y
  reshape,                       // (x) -> y, shares x's buffer
  transpose,                     // (x) -> y
  dropout,                       // (x, seed_state) -> y, mask
  one_hot,                       // (labels) -> y float32
  argmax,                        // (x) -> int32 indices
  cast,                          // (x) -> y
  assign,                        // (variable, value) -> ; side effect
  assign_add,                    // (variable) -> ; variable += delta ; side effect
  optimizer_update,              // (variable, gradient, slots..., learning_rate, iterations) -> ; side effect
  // pooling, reshaping and merging layers (issue 4)
  concat,                        // (x0, x1, ...) -> y joined along AxisAttrs::axis
  slice,                         // (x) -> y = x[begin:end] per axis
  pad,                           // (x) -> y with zeros around x
  resampling,                    // (x) -> y, spatial dims scaled by integer factors
  resampling_backward,           // (dy) -> dx
  // normalization and regularization layers (issue 4)
  layer_norm,                    // (x, gamma, beta) -> y, mean, variance ; over the last axis
  layer_norm_backward,           // (x, dy, gamma, mean, variance) -> dx, dgamma, dbeta
  random,                        // (seed_state) -> noise of attrs.shape ; uniform [0, 1) or standard normal
  // image preprocessing layers (issue 6)
  image_resize,                  // (x) -> y, spatial dims resized to attrs.height x attrs.width (jax.image.resize)
  affine_transform,              // (x, params) -> y, each image resampled through its own affine map
  // CTC loss (issue 5)
  ctc_loss,                      // (labels int32 (B, N), logits (B, T, K)) -> per-sample loss (B,)
  ctc_loss_backward,             // (labels, logits, dloss (B,)) -> dlogits (B, T, K)
  // optimizer extras (issue 5)
  step_condition,                // (iterations) or (tensors...) -> float32 scalar 1 or 0 gating an optimizer's updates
};

std::string_view op_kind_name(OpKind kind);

/// Elementwise functions; alpha and beta follow oneDNN's meaning for each.
enum class EltwiseKind : std::uint8_t {
  linear,      // alpha * x + beta
  relu,        // x > 0 ? x : alpha * x
  elu,         // x > 0 ? x : alpha * (exp(x) - 1)
  selu,        // lambda * elu(x, alpha) with Keras's constants
  gelu_erf,    // x * Phi(x)
  gelu_tanh,   // tanh approximation
  sigmoid,
  tanh,
  softplus,    // log(1 + exp(x))
  swish,       // x * sigmoid(alpha * x)
  exp,
  log,
  sqrt,
  square,
  abs,
  clip,        // min(max(x, alpha), beta)
  pow,         // alpha * x ^ beta
  softsign,    // x / (1 + |x|)
  mish,        // x * tanh(softplus(x))
  hardswish,   // x * relu6(x + 3) / 6 (Keras's hard_silu)
  log_sigmoid, // -softplus(-x)
};

struct PostOp {
  bool enabled = false;
  EltwiseKind kind = EltwiseKind::linear;
  float alpha = 0, beta = 0;
};

struct MatmulAttrs {
  bool transpose_a = false;
  bool transpose_b = false;
  PostOp post;  // set by fusion; a third input is then the bias
};

struct ConvolutionAttrs {
  std::vector<std::int64_t> strides;     // per spatial dim
  std::vector<std::int64_t> dilations;   // Keras's dilation_rate (1 = dense)
  std::vector<std::int64_t> pad_begin;   // explicit padding per spatial dim
  std::vector<std::int64_t> pad_end;
  std::int64_t groups = 1;
  Shape input_shape;                      // backward ops: shape of x
  Shape weights_shape;                    // backward_weights: shape of w
  PostOp post;                            // set by fusion; a third input is then the bias
  bool channels_first = false;            // activations (N, C, spatial...) instead of (N, spatial..., C)
};

enum class PoolingKind : std::uint8_t { max, average };

struct PoolingAttrs {
  PoolingKind kind = PoolingKind::max;
  std::vector<std::int64_t> window;
  std::vector<std::int64_t> strides;
  std::vector<std::int64_t> pad_begin;
  std::vector<std::int64_t> pad_end;
  bool channels_first = false;  // x is (batch, channels, spatial...) instead of (batch, spatial..., channels)
  // average pooling never counts padded positions, as Keras (TF) does for padding="same"
};

struct BatchNormAttrs {
  float epsilon = 1e-3f;
  bool training = true;  // training: batch statistics, outputs (y, mean, variance)
  int axis = -1;         // the channel axis; normalized to non-negative by shape inference
};

struct EltwiseAttrs {
  EltwiseKind kind = EltwiseKind::linear;
  float alpha = 0, beta = 0;
  bool use_dst = false;  // backward: second input is y instead of x
};

struct SoftmaxAttrs {
  int axis = -1;  // normalized to a non-negative axis by shape inference
  bool log = false;
};

enum class BinaryKind : std::uint8_t {
  add, sub, mul, div, max, min, pow,
  equal, not_equal, greater, greater_equal, less, less_equal,  // produce 1.0 or 0.0
};

struct BinaryAttrs {
  BinaryKind kind = BinaryKind::add;
};

enum class ReduceKind : std::uint8_t { sum, mean, max, min };

struct ReduceAttrs {
  ReduceKind kind = ReduceKind::sum;
  std::vector<int> axes;  // sorted, non-negative
  bool keepdims = false;
};

struct ShapeAttrs {
  Shape shape;  // reshape / broadcast_to target
};

struct TransposeAttrs {
  std::vector<int> perm;
};

struct DropoutAttrs {
  float rate = 0.5f;
  std::uint64_t salt = 0;  // distinguishes dropout ops that share a seed state
  std::vector<bool> noise_broadcast;  // per axis: true where the mask is shared (Keras noise_shape = 1)
};

struct OneHotAttrs {
  std::int64_t depth = 0;
};

struct AxisAttrs {
  int axis = -1;
};

struct CastAttrs {
  DType dtype = DType::float32;
};

struct AssignAddAttrs {
  double delta = 1;
};

struct LayerNormAttrs {
  float epsilon = 1e-3f;
};

enum class RandomKind : std::uint8_t { uniform, normal };

struct RandomAttrs {
  RandomKind kind = RandomKind::uniform;
  Shape shape;
  std::uint64_t salt = 0;  // distinguishes random ops that share a seed state
};

enum class OptimizerKind : std::uint8_t { sgd, adam, rmsprop, adagrad, adadelta, adamax, nadam, ftrl, lion, adafactor };

/// One update rule; slots are inputs 2.. in the order each rule documents. Hyperparameters are doubles, as
/// Keras's Python floats are: 1 - beta is formed in double and only then rounded to float32, as Keras does.
/// Inputs: (variable, gradient, slots..., learning_rate, iterations [, nadam: this step's u_product]).
struct OptimizerUpdateAttrs {
  OptimizerKind kind = OptimizerKind::sgd;
  // sgd: slots (momentum velocity if momentum > 0)
  double momentum = 0;
  bool nesterov = false;
  // adam: slots (m, v [, v_hat if amsgrad]); adamax: slots (m, u); nadam: slots (m, v); lion: slot (m)
  double beta_1 = 0.9, beta_2 = 0.999;
  bool amsgrad = false;
  // rmsprop: slots (velocity [, momentum buffer if momentum > 0] [, average_gradient if centered]);
  // adadelta: slots (accumulated_grad, accumulated_delta_var)
  double rho = 0.9;
  bool centered = false;
  double epsilon = 1e-7;
  // adagrad: slot (accumulator); ftrl: slots (accumulator, linear)
  double learning_rate_power = -0.5;
  double l1 = 0, l2 = 0, l2_shrinkage = 0, beta = 0;
  // Keras 3's decoupled weight decay, applied to the variable before the rule: var -= var * wd * lr
  bool use_weight_decay = false;
  double weight_decay = 0;
  // optimizer extras (issue 5)
  // adafactor: slots (r, c, v); r and c are scalar stand-ins unless `factored` (variable rank >= 2)
  double beta_2_decay = -0.8, epsilon_1 = 1e-30, epsilon_2 = 1e-3, clip_threshold = 1.0;
  bool relative_step = true;  // min(lr, 1/sqrt(t)); false when the rate is a schedule, as in Keras
  bool factored = false;
  // Keras's iterations with gradient accumulation: the stored count floor-divided by the accumulation steps
  std::int64_t iteration_divisor = 1;
  // a last float32 scalar input: the update runs only where it is nonzero (accumulation, loss-scale skips)
  bool gated = false;
};

/// Slot inputs of an update rule, and extra scalar inputs after iterations.
inline std::size_t optimizer_slot_count(const OptimizerUpdateAttrs& a) {
  switch (a.kind) {
    case OptimizerKind::sgd: return a.momentum > 0 ? 1 : 0;
    case OptimizerKind::adam: return a.amsgrad ? 3 : 2;
    case OptimizerKind::rmsprop: return 1 + (a.momentum > 0 ? 1 : 0) + (a.centered ? 1 : 0);
    case OptimizerKind::adagrad: return 1;
    case OptimizerKind::adadelta: return 2;
    case OptimizerKind::adamax: return 2;
    case OptimizerKind::nadam: return 2;
    case OptimizerKind::ftrl: return 2;
    case OptimizerKind::lion: return 1;
    case OptimizerKind::adafactor: return 3;
  }
  return 0;
}
inline std::size_t optimizer_extra_inputs(const OptimizerUpdateAttrs& a) { return a.kind == OptimizerKind::nadam ? 1 : 0; }

// optimizer extras (issue 5)
enum class StepConditionKind : std::uint8_t {
  multiple,   // (iterations int64) -> (iterations / divisor + offset) % modulus == 0
  at_least,   // (iterations int64) -> iterations / divisor >= threshold
  all_finite, // (tensors... float32) -> every element of every input is finite
  count,      // (iterations int64) -> float32(iterations / divisor), Keras's iterations under accumulation
};
/// The optimizer's per-step conditions as a 1.0 / 0.0 float32 scalar (Keras's ops.cond predicates), or its count.
struct StepConditionAttrs {
  StepConditionKind kind = StepConditionKind::multiple;
  std::int64_t divisor = 1, offset = 0, modulus = 1, threshold = 0;
};

// pooling, reshaping and merging layers (issue 4)
struct SliceAttrs {
  std::vector<std::int64_t> begin, end;  // per axis, 0 <= begin <= end <= dim
};

struct PadAttrs {
  std::vector<std::int64_t> pad_begin, pad_end;  // zeros before and after x, per axis
};

enum class ResamplingKind : std::uint8_t { nearest, linear };

struct ResamplingAttrs {
  ResamplingKind kind = ResamplingKind::linear;  // linear: half-pixel centers, edges clamped (jax.image.resize)
  std::vector<std::int64_t> factors;             // per spatial dim
  bool channels_first = false;
  Shape input_shape;                             // backward: shape of x
};

// image preprocessing layers (issue 6)
enum class ImageInterpolation : std::uint8_t { nearest, bilinear };

struct ImageResizeAttrs {
  ImageInterpolation interpolation = ImageInterpolation::bilinear;  // bilinear: half-pixel centers, edges clamped
  std::int64_t height = 0, width = 0;                               // output spatial size
  bool channels_first = false;                                      // x is (N, C, H, W) instead of (N, H, W, C)
};

/// What the params input (rows per image, or one row shared by the batch) holds.
enum class AffineParams : std::uint8_t {
  matrix,       // (a0, a1, a2, b0, b1, b2, c0, c1): Keras's transform, x_in = a0 x + a1 y + a2 (c0 = c1 = 0)
  rotation,     // (angle in degrees) about the image centre, as keras RandomRotation
  zoom,         // (zoom_x, zoom_y) about the image centre, as keras RandomZoom
  translation,  // (dx, dy) in pixels, as keras RandomTranslation
  crop,         // (u_h, u_w) uniforms in [0, 1): top-left corner floor(u * (in - out + 1)), as keras RandomCrop
  flip,         // (u): flipped where u <= 0.5, as keras RandomFlip; flip_horizontal / flip_vertical pick the axes
};

/// Keras's fill modes (scipy.ndimage.map_coordinates modes) for samples outside the image.
enum class FillMode : std::uint8_t { reflect, wrap, constant, nearest };

struct AffineTransformAttrs {
  AffineParams params = AffineParams::matrix;
  ImageInterpolation interpolation = ImageInterpolation::bilinear;
  FillMode fill_mode = FillMode::reflect;
  float fill_value = 0;
  bool flip_horizontal = false, flip_vertical = false;
  std::int64_t height = 0, width = 0;  // output spatial size; 0 = the input's
  bool channels_first = false;
};

// CTC loss (issue 5)
struct CtcAttrs {
  std::int64_t mask_index = 0;  // the blank class; labels equal to it are padding (Keras's ctc)
};

using OpAttrs = std::variant<std::monostate, MatmulAttrs, ConvolutionAttrs, PoolingAttrs, BatchNormAttrs,
                             EltwiseAttrs, SoftmaxAttrs, BinaryAttrs, ReduceAttrs, ShapeAttrs, TransposeAttrs,
                             DropoutAttrs, OneHotAttrs, AxisAttrs, CastAttrs, AssignAddAttrs, OptimizerUpdateAttrs,
                             SliceAttrs, PadAttrs, ResamplingAttrs, LayerNormAttrs, RandomAttrs,
                             ImageResizeAttrs, AffineTransformAttrs,
                             CtcAttrs, StepConditionAttrs>;

}  // namespace strata
