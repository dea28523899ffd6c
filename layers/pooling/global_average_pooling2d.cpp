#include <strata/layers/pooling/global_average_pooling2d.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

GlobalAveragePooling2D::GlobalAveragePooling2D(GlobalAveragePooling2DOptions options)
    : Layer(std::move(options.name), std::move(options.input_shape)),
      data_format_(lower(options.data_format)),
      keepdims_(options.keepdims) {
  if (data_format_ != "channels_last" && data_format_ != "channels_first")
    throw ValueError(where() + "the `data_format` argument must be one of \"channels_first\", \"channels_last\". "
                     "Received: " + options.data_format);
}

Value GlobalAveragePooling2D::call(Value x, CallContext& ctx) {
  if (x.ndim() != 4)
    throw ShapeError(where() + "expected an input of rank 4, got shape " + shape_str(x.shape()));
  if (data_format_ == "channels_first") return ops::mean(x, {2, 3}, keepdims_);
  return ops::mean(x, {1, 2}, keepdims_);
}

nlohmann::json GlobalAveragePooling2D::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = data_format_;
  c["keepdims"] = keepdims_;
  return c;
}

std::shared_ptr<GlobalAveragePooling2D> GlobalAveragePooling2D::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "GlobalAveragePooling2D");
  auto layer = std::make_shared<GlobalAveragePooling2D>(
      GlobalAveragePooling2DOptions{.data_format = c.get_string("data_format", "channels_last"),
                                    .keepdims = c.get_bool("keepdims", false),
                                    .name = c.name(),
                                    .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
