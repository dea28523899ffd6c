#pragma once
#include <optional>

#include <strata/api/layer.hpp>

namespace strata::layers {

/// A keras.ops.numpy arithmetic call in a functional graph, as Keras records `x + 3.0` or `a * b`: Add, Subtract,
/// Multiply, Divide or TrueDivide of two tensors, or of a tensor and a number on either side. Keras saves it as
/// an operation (module keras.src.ops.numpy) whose number operand lives in the call's args; so does strata.
class NumpyOperation : public Layer {
 public:
  /// `kind` is Keras's class name; `constant` the number operand, the first argument when `constant_first`.
  explicit NumpyOperation(std::string kind, std::optional<double> constant = std::nullopt, bool constant_first = false,
                          std::string name = "");
  std::string class_name() const override { return kind_; }
  std::shared_ptr<Layer> move_to_shared() && override { return std::make_shared<NumpyOperation>(std::move(*this)); }
  using Layer::build;
  using Layer::call;

  void build(const std::vector<Shape>&) override {}  // no weights; one or two operands
  std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx) override;
  /// {"name": ...}, as Keras's Operation.get_config.
  nlohmann::json get_config() const override;
  /// The call's positional args as Keras saves them: the input tensors, with the number in its place.
  nlohmann::json node_args(const nlohmann::json& tensors) const;

  /// True for a saved entry of a keras.ops operation rather than a layer.
  static bool is_operation(const nlohmann::json& entry);
  /// The operation of a saved entry, its number operand taken from the args of its one call.
  static std::shared_ptr<NumpyOperation> from_saved(const nlohmann::json& entry);

 private:
  std::string kind_;
  std::optional<double> constant_;
  bool constant_first_ = false;
};

}  // namespace strata::layers
