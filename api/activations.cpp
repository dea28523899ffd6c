#include <strata/api/activations.hpp>

#include <functional>
#include <map>

#include <strata/backends/ops/ops.hpp>

namespace strata {

namespace activations {

namespace {
Value constant(Value like, float v) { return like.graph().scalar(v); }
Value greater_than(Value x, float v) { return ops::greater(x, constant(x, v)); }

int checked_axis(Value x, int axis, const char* fn) {
  int a = axis < 0 ? axis + x.ndim() : axis;
  if (a < 0 || a >= x.ndim())
    throw ValueError(std::string(fn) + ": axis " + std::to_string(axis) + " is out of bounds for input shape " +
                     shape_str(x.shape()));
  return a;
}

/// x with `axis` moved last (perm), and the permutation that moves it back.
std::pair<std::vector<int>, std::vector<int>> axis_to_last(int rank, int axis) {
  std::vector<int> perm, back(rank);
  for (int i = 0; i < rank; ++i)
    if (i != axis) perm.push_back(i);
  perm.push_back(axis);
  for (int i = 0; i < rank; ++i) back[perm[i]] = i;
  return {perm, back};
}
}  // namespace

Value relu(Value x, float negative_slope, std::optional<float> max_value, float threshold) {
  if (negative_slope != 0.0f && !max_value && threshold == 0.0f) return leaky_relu(x, negative_slope);
  Value y;
  bool clip_max = max_value.has_value();
  if (threshold != 0.0f) {
    y = x * greater_than(x, threshold);
  } else if (max_value && *max_value == 6.0f) {
    y = relu6(x);
    clip_max = false;
  } else {
    y = ops::relu(x);
  }
  if (clip_max) y = ops::clip(y, 0.0f, *max_value);
  if (negative_slope != 0.0f) y = y - ops::relu(threshold - x) * negative_slope;
  return y;
}
Value leaky_relu(Value x, float negative_slope) { return ops::eltwise(x, EltwiseKind::relu, negative_slope); }
Value relu6(Value x) { return ops::clip(x, 0.0f, 6.0f); }
Value elu(Value x, float alpha) { return ops::eltwise(x, EltwiseKind::elu, alpha); }
// celu(x, a) = max(x, 0) + a * expm1(min(x, 0) / a) = a * elu(x / a, 1)
Value celu(Value x, float alpha) { return alpha == 1.0f ? elu(x, 1.0f) : elu(x * (1.0f / alpha), 1.0f) * alpha; }
Value selu(Value x) { return ops::eltwise(x, EltwiseKind::selu); }
Value gelu(Value x, bool approximate) {
  return ops::eltwise(x, approximate ? EltwiseKind::gelu_tanh : EltwiseKind::gelu_erf);
}
Value silu(Value x) { return ops::eltwise(x, EltwiseKind::swish, 1.0f); }
Value sigmoid(Value x) { return ops::sigmoid(x); }
Value tanh(Value x) { return ops::tanh(x); }
Value softplus(Value x) { return ops::eltwise(x, EltwiseKind::softplus); }
Value softsign(Value x) { return ops::eltwise(x, EltwiseKind::softsign); }
Value exponential(Value x) { return ops::exp(x); }
Value hard_sigmoid(Value x) { return ops::clip(x * (1.0f / 6.0f) + 0.5f, 0.0f, 1.0f); }
Value keras2_hard_sigmoid(Value x) { return ops::clip(x * 0.2f + 0.5f, 0.0f, 1.0f); }
Value hard_silu(Value x) { return ops::eltwise(x, EltwiseKind::hardswish); }
Value hard_tanh(Value x) { return ops::clip(x, -1.0f, 1.0f); }
Value log_sigmoid(Value x) { return ops::eltwise(x, EltwiseKind::log_sigmoid); }
Value mish(Value x) { return ops::eltwise(x, EltwiseKind::mish); }
Value tanh_shrink(Value x) { return x - ops::tanh(x); }
Value squareplus(Value x, float b) { return (x + ops::sqrt(ops::square(x) + b)) * 0.5f; }
Value soft_shrink(Value x, float threshold) { return ops::relu(x - threshold) - ops::relu(-x - threshold); }
Value hard_shrink(Value x, float threshold) { return x * greater_than(ops::abs(x), threshold); }
Value threshold(Value x, float threshold, float default_value) {
  Value keep = greater_than(x, threshold);
  return x * keep + (1.0f - keep) * default_value;
}
Value sparse_plus(Value x) {
  Value c = ops::clip(x, -1.0f, 1.0f) + 1.0f;
  return c * c * 0.25f + ops::relu(x - 1.0f);
}
Value sparse_sigmoid(Value x) { return ops::clip(x * 0.5f + 0.5f, 0.0f, 1.0f); }
Value softmax(Value x, int axis) { return ops::softmax(x, axis); }
Value log_softmax(Value x, int axis) { return ops::log_softmax(x, axis); }

Value glu(Value x, int axis) {
  const int a = checked_axis(x, axis, "glu");
  const Shape s = x.shape();
  if (s[a] % 2 != 0)
    throw ValueError("glu: axis " + std::to_string(axis) + " must have an even size to split in two halves; input "
                     "shape " + shape_str(s));
  // x as (..., 2, n/2, ...): each half is the sum over the new axis of x times a one-hot mask
  Shape halves(s.begin(), s.begin() + a);
  halves.push_back(2);
  halves.push_back(s[a] / 2);
  halves.insert(halves.end(), s.begin() + a + 1, s.end());
  Value xr = ops::reshape(x, halves);
  Shape mask_shape(halves.size() - a, 1);
  mask_shape[0] = 2;
  Graph& g = x.graph();
  Value first = ops::sum(xr * g.add_constant(Tensor(mask_shape, std::vector<float>{1, 0}), "glu_first"), {a});
  Value second = ops::sum(xr * g.add_constant(Tensor(mask_shape, std::vector<float>{0, 1}), "glu_second"), {a});
  return first * ops::sigmoid(second);
}

Value sparsemax(Value x, int axis) {
  const int a = checked_axis(x, axis, "sparsemax");
  const int rank = x.ndim();
  auto [perm, back] = axis_to_last(rank, a);
  Value z = a == rank - 1 ? x : ops::transpose(x, perm);
  const Shape s = z.shape();
  const std::int64_t n = s.back();
  Shape col = s, row = s;
  col.push_back(1);                 // z_i down the rows
  row.insert(row.end() - 1, 1);     // z_j along the columns
  Value zi = ops::reshape(z, col), zj = ops::reshape(z, row);
  // M[i][j] = 1 where z_j precedes z_i in a descending sort (ties broken by index): the sorted position of z_i
  // is sum_j M[i][j] and the cumulative sum there is sum_j M[i][j] * z_j
  Tensor lower({n, n});
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < n; ++j) lower.data<float>()[i * n + j] = j <= i ? 1.0f : 0.0f;
  Value before = ops::greater(zj, zi) + ops::equal(zj, zi) * x.graph().add_constant(lower, "sparsemax_ties");
  Value position = ops::sum(before, {-1});
  Value cumsum = ops::sum(before * zj, {-1});
  Value support = greater_than(z - (cumsum - 1.0f) / position, 0.0f);
  Value k = ops::sum(support, {-1}, true);
  Value tau = (ops::sum(support * cumsum, {-1}, true) - 1.0f) / k;
  Value y = ops::relu(z - tau);
  return a == rank - 1 ? y : ops::transpose(y, back);
}

}  // namespace activations

namespace {

using Fn = std::function<Value(Value)>;

/// Keras 3's keras.activations by name, with their default arguments.
const std::map<std::string, Fn>& table() {
  namespace a = activations;
  static const std::map<std::string, Fn> t = {
      {"linear", [](Value x) { return x; }},
      {"relu", [](Value x) { return ops::relu(x); }},
      {"leaky_relu", [](Value x) { return a::leaky_relu(x); }},
      {"relu6", a::relu6},
      {"sigmoid", a::sigmoid},
      {"tanh", a::tanh},
      {"softmax", [](Value x) { return a::softmax(x); }},
      {"log_softmax", [](Value x) { return a::log_softmax(x); }},
      {"elu", [](Value x) { return a::elu(x); }},
      {"celu", [](Value x) { return a::celu(x); }},
      {"selu", a::selu},
      {"gelu", [](Value x) { return a::gelu(x); }},
      {"silu", a::silu},
      {"softplus", a::softplus},
      {"softsign", a::softsign},
      {"exponential", a::exponential},
      {"hard_sigmoid", a::hard_sigmoid},
      {"keras2_hard_sigmoid", a::keras2_hard_sigmoid},
      {"hard_silu", a::hard_silu},
      {"hard_tanh", a::hard_tanh},
      {"log_sigmoid", a::log_sigmoid},
      {"mish", a::mish},
      {"tanh_shrink", a::tanh_shrink},
      {"squareplus", [](Value x) { return a::squareplus(x); }},
      {"soft_shrink", [](Value x) { return a::soft_shrink(x); }},
      {"hard_shrink", [](Value x) { return a::hard_shrink(x); }},
      {"sparse_plus", a::sparse_plus},
      {"sparse_sigmoid", a::sparse_sigmoid},
      {"glu", [](Value x) { return a::glu(x); }},
      {"sparsemax", [](Value x) { return a::sparsemax(x); }},
  };
  return t;
}

/// Keras resolves these aliases to the function they name, so configs carry the canonical name.
std::string canonical(const std::string& name) {
  if (name == "swish") return "silu";
  if (name == "hard_swish") return "hard_silu";
  if (name.empty()) return "linear";
  return name;
}

std::string checked(const std::string& name) {
  std::string c = canonical(name);
  if (c == "threshold")
    throw ValueError("Activation 'threshold' needs its `threshold` and `default_value` arguments, which a name "
                     "cannot carry; call strata::activations::threshold(x, threshold, default_value)");
  if (!table().count(c)) {
    std::string names;
    for (const auto& [k, v] : table()) names += (names.empty() ? "" : ", ") + k;
    throw ValueError("Unknown activation '" + name + "'. Valid names: " + names + ", swish, hard_swish");
  }
  return c;
}

}  // namespace

ActivationFunction::ActivationFunction(const char* name) : name_(checked(name ? name : "")) {}
ActivationFunction::ActivationFunction(const std::string& name) : name_(checked(name)) {}

Value ActivationFunction::operator()(Value x) const { return table().at(name_)(x); }

}  // namespace strata
