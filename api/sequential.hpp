#pragma once
#include <concepts>
#include <initializer_list>
#include <memory>
#include <optional>

#include <strata/api/model.hpp>

namespace strata {

/// One entry of a Sequential's layer list: a layer (moved in or shared) or an Input().
class SequentialItem {
 public:
  template <class L>
    requires std::derived_from<std::remove_cvref_t<L>, Layer> && (!std::is_lvalue_reference_v<L>)
  SequentialItem(L&& layer) : layer_(std::move(layer).move_to_shared()) {}
  template <class L>
    requires std::derived_from<L, Layer>
  SequentialItem(std::shared_ptr<L> layer) : layer_(std::move(layer)) {}
  SequentialItem(const SymbolicTensor& input) : input_(input) {}

  const std::shared_ptr<Layer>& layer() const { return layer_; }
  const std::optional<SymbolicTensor>& input() const { return input_; }

 private:
  std::shared_ptr<Layer> layer_;
  std::optional<SymbolicTensor> input_;
};

/// A linear stack of layers (keras.Sequential). Its graph is built as soon as the input shape is
/// known: from a leading Input(), the first layer's input_shape, or the first data it sees.
class Sequential : public Model {
 public:
  STRATA_LAYER(Sequential)
  Sequential(std::initializer_list<SequentialItem> layers = {}, std::string name = "");
  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  void add(SequentialItem item);
  /// Removes the last layer.
  void pop();
  /// The layers, without the InputLayer (as Keras's Sequential.layers).
  std::vector<std::shared_ptr<Layer>> layers() const override { return layers_; }
  /// Builds the graph for per-sample input shape `input_shape` (batch dim excluded).
  void build_for(const Shape& input_shape);
  void build(const std::vector<Shape>& input_shapes) override;
  /// Keras 3's Sequential config: name, trainable, dtype, layers (the InputLayer first when the input is
  /// known), build_input_shape.
  nlohmann::json get_config() const override;
  /// From a Keras 3 or Keras 2 config, including the bare layer list of Keras < 2.2.3.
  static std::shared_ptr<Sequential> from_config(const nlohmann::json& config);

 protected:
  void ensure_graph(const std::vector<Tensor>& x) override;

 private:
  void rebuild();
  std::vector<std::shared_ptr<Layer>> layers_;
  std::optional<SymbolicTensor> input_;
};

}  // namespace strata
