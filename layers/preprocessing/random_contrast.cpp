#include <strata/layers/preprocessing/random_contrast.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

RandomContrast::RandomContrast(Factor factor, RandomContrastOptions options)
    : NoiseLayer(options.name, options.input_shape, options.seed), options_(std::move(options)) {
  std::tie(lower_, upper_) = image_factor_range(factor, 0.0, 1.0, where());
  if (options_.value_range.size() != 2)
    throw ValueError(where() + "The `value_range` argument should be a list of two numbers. Received: value_range=" +
                     nlohmann::json(options_.value_range).dump());
  options_.data_format = check_data_format(where(), options_.data_format);
}

Value RandomContrast::call(Value x, CallContext& ctx) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  if (!ctx.training) return image_unbatch(x, unbatched);
  const auto lo = static_cast<float>(1.0 - lower_), hi = static_cast<float>(1.0 + upper_);
  Value factor = draw_noise(ctx, [&](Value seed) {
    return ops::random_uniform(seed, {x.dim(0), 1, 1, 1}, 0) * (hi - lo) + lo;
  });
  const bool cf = options_.data_format == "channels_first";
  Value mean = ops::mean(x, cf ? std::vector<int>{2, 3} : std::vector<int>{1, 2}, true);
  Value y = (x - mean) * factor + mean;
  y = ops::clip(y, static_cast<float>(options_.value_range[0]), static_cast<float>(options_.value_range[1]));
  return image_unbatch(y, unbatched);
}

nlohmann::json RandomContrast::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["factor"] = {lower_, upper_};
  c["value_range"] = options_.value_range;
  c["seed"] = seed_config();
  return c;
}

std::shared_ptr<RandomContrast> RandomContrast::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RandomContrast");
  RandomContrastOptions o;
  if (c.has("value_range")) o.value_range = value_range_from_json(c.json().at("value_range"), c.where());
  o.seed = seed_from_config(config);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<RandomContrast>(Factor::from_json(c.json().at("factor"), c.where(), "factor"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
