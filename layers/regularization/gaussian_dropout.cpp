#include <strata/layers/regularization/gaussian_dropout.hpp>

#include <cmath>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

GaussianDropout::GaussianDropout(double rate, GaussianDropoutOptions options)
    : NoiseLayer(std::move(options.name), std::move(options.input_shape), options.seed), rate_(rate) {
  // rate 1 passes Keras's check too, but its noise would have infinite deviation
  if (!(rate_ >= 0.0 && rate_ < 1.0))
    throw ValueError(where() + "Invalid value received for argument `rate`. Expected a float value between 0 and 1 "
                     "(1 excluded). Received: rate=" + std::to_string(rate_));
}

Value GaussianDropout::call(Value x, CallContext& ctx) {
  if (!ctx.training || rate_ <= 0.0) return x;
  const float stddev = static_cast<float>(std::sqrt(rate_ / (1.0 - rate_)));
  Value noise = draw_noise(ctx, [&](Value seed) { return ops::random_normal(seed, x.shape(), 0); });
  return x * (noise * stddev + 1.0f);
}

nlohmann::json GaussianDropout::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["rate"] = rate_;
  c["seed"] = seed_config();
  return c;
}

std::shared_ptr<GaussianDropout> GaussianDropout::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "GaussianDropout");
  auto layer = std::make_shared<GaussianDropout>(
      c.get_double("rate"),
      GaussianDropoutOptions{.seed = seed_from_config(config), .name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
