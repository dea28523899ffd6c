#include <strata/layers/core/input_layer.hpp>

#include <strata/api/saving/config_reader.hpp>

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
  return {{"batch_shape", shape}, {"dtype", dtype_name(dtype_)}, {"sparse", false},
          {"ragged", false},      {"name", name()},               {"optional", false}};
}

std::shared_ptr<InputLayer> InputLayer::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "InputLayer");
  c.require_unset({"sparse", "ragged"}, "strata has no sparse or ragged tensors");
  std::vector<std::int64_t> batch_shape;
  if (c.has("batch_shape")) batch_shape = c.get_int_list("batch_shape");
  else if (c.has("batch_input_shape")) batch_shape = c.get_int_list("batch_input_shape");  // Keras 2
  else if (c.has("shape")) {
    batch_shape = c.get_int_list("shape");
    batch_shape.insert(batch_shape.begin(), c.get_int("batch_size", -1));
  } else
    throw FileFormatError(c.where() + "config has none of 'batch_shape', 'batch_input_shape', 'shape'");
  if (batch_shape.empty()) throw FileFormatError(c.where() + "config field 'batch_shape' is empty");
  std::string dtype = c.has("dtype") && c.json().at("dtype").is_string() ? c.get_string("dtype") : "float32";
  DType d;
  try {
    d = dtype_from_name(dtype);
  } catch (const Error&) {
    throw UnsupportedError(c.where() + "input dtype '" + dtype + "' is not supported (float32, int32, int64, uint8)");
  }
  return std::make_shared<InputLayer>(Shape(batch_shape.begin() + 1, batch_shape.end()),
                                      Options{.batch_size = batch_shape[0], .dtype = d, .name = c.name()});
}

}  // namespace strata::layers
