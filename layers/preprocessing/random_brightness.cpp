#include <strata/layers/preprocessing/random_brightness.hpp>

#include <algorithm>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

RandomBrightness::RandomBrightness(Factor factor, RandomBrightnessOptions options)
    : NoiseLayer(options.name, options.input_shape, options.seed), options_(std::move(options)) {
  std::tie(lower_, upper_) = image_factor_range(factor, -1.0, 1.0, where());
  if (options_.value_range.size() != 2)
    throw ValueError(where() + "The `value_range` argument should be a list of two numbers. Received: value_range=" +
                     nlohmann::json(options_.value_range).dump());
  std::sort(options_.value_range.begin(), options_.value_range.end());
  options_.data_format = check_data_format(where(), options_.data_format);
}

Value RandomBrightness::call(Value x, CallContext& ctx) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  if (!ctx.training) return image_unbatch(x, unbatched);
  const auto lo = static_cast<float>(lower_), hi = static_cast<float>(upper_);
  const auto span = static_cast<float>(options_.value_range[1] - options_.value_range[0]);
  Value delta = draw_noise(ctx, [&](Value seed) {
    return (ops::random_uniform(seed, {x.dim(0), 1, 1, 1}, 0) * (hi - lo) + lo) * span;
  });
  Value y = ops::clip(x + delta, static_cast<float>(options_.value_range[0]),
                      static_cast<float>(options_.value_range[1]));
  return image_unbatch(y, unbatched);
}

nlohmann::json RandomBrightness::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["factor"] = {lower_, upper_};
  c["value_range"] = options_.value_range;
  c["seed"] = seed_config();
  return c;
}

std::shared_ptr<RandomBrightness> RandomBrightness::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RandomBrightness");
  RandomBrightnessOptions o;
  if (c.has("value_range")) o.value_range = value_range_from_json(c.json().at("value_range"), c.where());
  o.seed = seed_from_config(config);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<RandomBrightness>(Factor::from_json(c.json().at("factor"), c.where(), "factor"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
