#include <strata/layers/regularization/gaussian_noise.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

GaussianNoise::GaussianNoise(double stddev, GaussianNoiseOptions options)
    : NoiseLayer(std::move(options.name), std::move(options.input_shape), options.seed), stddev_(stddev) {
  if (!(stddev_ >= 0.0 && stddev_ <= 1.0))
    throw ValueError(where() + "Invalid value received for argument `stddev`. Expected a float value between 0 and 1. "
                     "Received: stddev=" + std::to_string(stddev_));
}

Value GaussianNoise::call(Value x, CallContext& ctx) {
  if (!ctx.training || stddev_ <= 0.0) return x;
  Value noise = draw_noise(ctx, [&](Value seed) { return ops::random_normal(seed, x.shape(), 0); });
  return x + noise * static_cast<float>(stddev_);
}

nlohmann::json GaussianNoise::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["stddev"] = stddev_;
  c["seed"] = seed_config();
  return c;
}

std::shared_ptr<GaussianNoise> GaussianNoise::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "GaussianNoise");
  auto layer = std::make_shared<GaussianNoise>(
      c.get_double("stddev"),
      GaussianNoiseOptions{.seed = seed_from_config(config), .name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
