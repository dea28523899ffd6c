#include <strata/layers/activation/relu.hpp>

#include <strata/api/activations.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

ReLU::ReLU(ReLUOptions options) : Layer(options.name, options.input_shape), options_(std::move(options)) {
  if (options_.max_value && *options_.max_value < 0.0)
    throw ValueError(where() + "max_value of a ReLU layer cannot be a negative value. Received: max_value=" +
                     std::to_string(*options_.max_value));
  if (options_.negative_slope < 0.0)
    throw ValueError(where() + "negative_slope of a ReLU layer cannot be None or a negative value. Received: "
                     "negative_slope=" + std::to_string(options_.negative_slope));
  if (options_.threshold < 0.0)
    throw ValueError(where() + "threshold of a ReLU layer cannot be None or a negative value. Received: threshold=" +
                     std::to_string(options_.threshold));
}

Value ReLU::call(Value x, CallContext& ctx) {
  std::optional<float> max_value;
  if (options_.max_value) max_value = static_cast<float>(*options_.max_value);
  return activations::relu(x, static_cast<float>(options_.negative_slope), max_value,
                           static_cast<float>(options_.threshold));
}

nlohmann::json ReLU::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["max_value"] = options_.max_value ? nlohmann::json(*options_.max_value) : nlohmann::json(nullptr);
  c["negative_slope"] = options_.negative_slope;
  c["threshold"] = options_.threshold;
  return c;
}

std::shared_ptr<ReLU> ReLU::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "ReLU");
  ReLUOptions o{.negative_slope = c.get_double("negative_slope", 0.0),
                .threshold = c.get_double("threshold", 0.0),
                .name = c.name(),
                .input_shape = c.input_shape()};
  if (c.has("max_value")) o.max_value = c.get_double("max_value");
  auto layer = std::make_shared<ReLU>(o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
