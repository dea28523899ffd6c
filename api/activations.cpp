#include <strata/api/activations.hpp>

#include <functional>
#include <map>

#include <strata/backends/ops/ops.hpp>

namespace strata {

namespace {

using Fn = std::function<Value(Value)>;

Value hard_sigmoid(Value x) { return ops::clip(x * (1.0f / 6.0f) + 0.5f, 0.0f, 1.0f); }
Value softplus(Value x) { return ops::eltwise(x, EltwiseKind::softplus); }

/// Keras 3's keras.activations, composed from ops (keras/src/activations/activations.py).
const std::map<std::string, Fn>& table() {
  static const std::map<std::string, Fn> t = {
      {"linear", [](Value x) { return x; }},
      {"relu", [](Value x) { return ops::relu(x); }},
      {"leaky_relu", [](Value x) { return ops::eltwise(x, EltwiseKind::relu, 0.2f); }},
      {"relu6", [](Value x) { return ops::clip(x, 0.0f, 6.0f); }},
      {"sigmoid", [](Value x) { return ops::sigmoid(x); }},
      {"tanh", [](Value x) { return ops::tanh(x); }},
      {"softmax", [](Value x) { return ops::softmax(x, -1); }},
      {"log_softmax", [](Value x) { return ops::log_softmax(x, -1); }},
      {"elu", [](Value x) { return ops::eltwise(x, EltwiseKind::elu, 1.0f); }},
      {"celu", [](Value x) { return ops::eltwise(x, EltwiseKind::elu, 1.0f); }},  // celu with alpha=1 is elu
      {"selu", [](Value x) { return ops::eltwise(x, EltwiseKind::selu); }},
      {"gelu", [](Value x) { return ops::eltwise(x, EltwiseKind::gelu_erf); }},
      {"silu", [](Value x) { return ops::eltwise(x, EltwiseKind::swish, 1.0f); }},
      {"softplus", softplus},
      {"softsign", [](Value x) { return ops::eltwise(x, EltwiseKind::softsign); }},
      {"exponential", [](Value x) { return ops::exp(x); }},
      {"hard_sigmoid", hard_sigmoid},
      {"hard_silu", [](Value x) { return x * hard_sigmoid(x); }},
      {"hard_tanh", [](Value x) { return ops::clip(x, -1.0f, 1.0f); }},
      {"log_sigmoid", [](Value x) { return -softplus(-x); }},
      {"mish", [](Value x) { return x * ops::tanh(softplus(x)); }},
      {"tanh_shrink", [](Value x) { return x - ops::tanh(x); }},
      {"squareplus", [](Value x) { return (x + ops::sqrt(ops::square(x) + 4.0f)) * 0.5f; }},
      {"soft_shrink", [](Value x) { return ops::relu(x - 0.5f) - ops::relu(-x - 0.5f); }},
      {"sparse_plus",
       [](Value x) {
         Value c = ops::clip(x, -1.0f, 1.0f) + 1.0f;
         return c * c * 0.25f + ops::relu(x - 1.0f);
       }},
      {"sparse_sigmoid", [](Value x) { return ops::clip(x * 0.5f + 0.5f, 0.0f, 1.0f); }},
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
