#include <strata/layers/reshaping/flatten.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Flatten::Flatten(FlattenOptions options)
    : Layer(std::move(options.name), std::move(options.input_shape)), data_format_(std::move(options.data_format)) {
  if (data_format_ != "channels_last" && data_format_ != "channels_first")
    throw ValueError(where() + "the `data_format` argument must be one of \"channels_first\", \"channels_last\". "
                     "Received: " + data_format_);
}

Value Flatten::call(Value x, CallContext& ctx) {
  if (x.ndim() < 1) throw ShapeError(where() + "expected an input with a batch dimension, got a scalar");
  if (data_format_ == "channels_first" && x.ndim() > 2) {
    std::vector<int> perm{0};
    for (int i = 2; i < x.ndim(); ++i) perm.push_back(i);
    perm.push_back(1);
    x = ops::transpose(x, perm);
  }
  std::int64_t features = 1;
  for (int i = 1; i < x.ndim(); ++i) features *= x.dim(i);
  return ops::reshape(x, {x.dim(0), features});
}

nlohmann::json Flatten::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = data_format_;
  return c;
}

std::shared_ptr<Flatten> Flatten::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Flatten");
  auto layer = std::make_shared<Flatten>(FlattenOptions{
      .data_format = c.get_string("data_format", "channels_last"), .name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
