#include <strata/layers/core/numpy_operation.hpp>

#include <algorithm>
#include <array>

#include <strata/api/errors.hpp>

namespace strata::layers {

namespace {

constexpr std::array<const char*, 5> kKinds = {"Add", "Subtract", "Multiply", "Divide", "TrueDivide"};

void check_supported(const std::string& kind, const std::string& name) {
  if (std::find(kKinds.begin(), kKinds.end(), kind) == kKinds.end())
    throw UnsupportedError("keras.ops operation '" + name + "' (" + kind +
                           "): not supported in a saved graph; supported: keras.ops.numpy's Add, Subtract, Multiply, "
                           "Divide, TrueDivide");
}

bool is_keras_tensor(const nlohmann::json& v) {
  return v.is_object() && v.value("class_name", "") == "__keras_tensor__";
}

}  // namespace

NumpyOperation::NumpyOperation(std::string kind, std::optional<double> constant, bool constant_first, std::string name)
    : Layer(name), kind_(std::move(kind)), constant_(constant), constant_first_(constant_first) {
  check_supported(kind_, name);
}

std::vector<Value> NumpyOperation::call(const std::vector<Value>& inputs, CallContext&) {
  const std::size_t tensors = constant_ ? 1 : 2;
  if (inputs.size() != tensors)
    throw ValueError(where() + "expected " + std::to_string(tensors) + " input tensor(s), got " +
                     std::to_string(inputs.size()));
  const Value x = inputs[0];
  if (!constant_) {
    const Value y = inputs[1];
    if (kind_ == "Add") return {x + y};
    if (kind_ == "Subtract") return {x - y};
    if (kind_ == "Multiply") return {x * y};
    return {x / y};  // Divide, TrueDivide
  }
  const float c = static_cast<float>(*constant_);
  if (kind_ == "Add") return {x + c};
  if (kind_ == "Multiply") return {x * c};
  if (kind_ == "Subtract") return {constant_first_ ? c - x : x - c};
  return {constant_first_ ? c / x : x / c};
}

nlohmann::json NumpyOperation::get_config() const { return {{"name", name()}}; }

nlohmann::json NumpyOperation::node_args(const nlohmann::json& tensors) const {
  nlohmann::json args = tensors;
  if (constant_) args.insert(constant_first_ ? args.begin() : args.end(), *constant_);
  return args;
}

bool NumpyOperation::is_operation(const nlohmann::json& entry) {
  return entry.is_object() && entry.contains("module") && entry.at("module").is_string() &&
         entry.at("module").get<std::string>().starts_with("keras.src.ops");
}

std::shared_ptr<NumpyOperation> NumpyOperation::from_saved(const nlohmann::json& entry) {
  const std::string kind = entry.value("class_name", "");
  const std::string name = entry.contains("name") && entry.at("name").is_string() ? entry.at("name").get<std::string>() : "";
  const std::string where = "keras.ops operation '" + name + "' (" + kind + "): ";
  check_supported(entry.at("module") == "keras.src.ops.numpy" ? kind : entry.at("module").get<std::string>() + "." + kind,
                  name);
  const auto& nodes = entry.contains("inbound_nodes") ? entry.at("inbound_nodes") : nlohmann::json::array();
  if (!nodes.is_array() || nodes.size() != 1 || !nodes[0].is_object() || !nodes[0].contains("args") ||
      !nodes[0].at("args").is_array())
    throw FileFormatError(where + "expected one call with an args list");
  const auto& args = nodes[0].at("args");
  const auto& kwargs = nodes[0].contains("kwargs") ? nodes[0].at("kwargs") : nlohmann::json::object();
  if (args.size() != 2 || (kwargs.is_object() && !kwargs.empty()))
    throw UnsupportedError(where + "expected two positional operands, got " + nodes[0].dump().substr(0, 200));
  std::optional<double> constant;
  bool constant_first = false;
  if (!is_keras_tensor(args[0]) && !is_keras_tensor(args[1]))
    throw UnsupportedError(where + "no tensor operand: " + args.dump().substr(0, 200));
  for (std::size_t i = 0; i < 2; ++i) {
    if (is_keras_tensor(args[i])) continue;
    if (!args[i].is_number())
      throw UnsupportedError(where + "operand " + std::to_string(i) + " must be a tensor or a number, got " +
                             args[i].dump().substr(0, 120));
    constant = args[i].get<double>();
    constant_first = i == 0;
  }
  return std::make_shared<NumpyOperation>(kind, constant, constant_first, name);
}

}  // namespace strata::layers
