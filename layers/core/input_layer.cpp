#include <strata/layers/core/input_layer.hpp>

namespace strata::layers {

InputLayer::InputLayer(Shape shape, Options options) : Layer(options.name), dtype_(options.dtype) {
  for (auto d : shape)
    if (d < 1 && d != -1)
      throw ValueError("Input: shape " + shape_str(shape) + " must have positive dimensions (or -1 for unknown)");
  batch_shape_.push_back(options.batch_size);
  batch_shape_.insert(batch_shape_.end(), shape.begin(), shape.end());
}

nlohmann::json InputLayer::get_config() const {
  nlohmann::json shape = nlohmann::json::array();
  for (auto d : batch_shape_) shape.push_back(d < 0 ? nlohmann::json(nullptr) : nlohmann::json(d));
  return {{"batch_shape", shape}, {"dtype", dtype_name(dtype_)}, {"sparse", false}, {"name", name()}};
}

}  // namespace strata::layers
