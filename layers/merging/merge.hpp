#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct MergeOptions {
  std::string name;
};

/// What Add, Subtract, Multiply, Average, Maximum and Minimum share (Keras's Merge): a list of inputs whose
/// per-sample shapes match or broadcast (1s), equal batch sizes; an input of lower rank gets 1s inserted
/// after the batch dim, as Keras expands it.
class Merge : public Layer {
 public:
  using Layer::build;
  using Layer::call;
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx) override;

 protected:
  /// `exact_inputs`: 0 for any number >= 1 (Subtract takes exactly 2).
  Merge(MergeOptions options, std::size_t exact_inputs = 0);
  /// The merge of inputs already brought to one rank.
  virtual Value merge(const std::vector<Value>& xs) = 0;
  template <class L>
  static std::shared_ptr<L> merge_from_config(const nlohmann::json& config, const char* class_name);

 private:
  std::size_t exact_inputs_;
};

/// "[(None, 3), (None, 4)]", batch sizes -1 printed as None, for Keras-worded errors.
std::string shapes_str(const std::vector<Shape>& shapes);
MergeOptions read_merge_config(const nlohmann::json& config, const char* class_name);
void apply_merge_base_config(const nlohmann::json& config, const char* class_name, Layer& layer);

template <class L>
std::shared_ptr<L> Merge::merge_from_config(const nlohmann::json& config, const char* class_name) {
  auto layer = std::make_shared<L>(read_merge_config(config, class_name));
  apply_merge_base_config(config, class_name, *layer);
  return layer;
}

}  // namespace strata::layers
