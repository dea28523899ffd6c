#include <strata/layers/preprocessing/random_rotation.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

RandomRotation::RandomRotation(Factor factor, RandomRotationOptions options)
    : NoiseLayer(options.name, options.input_shape, options.seed), options_(std::move(options)) {
  std::tie(lower_, upper_) = image_factor_range(factor, -1.0, 1.0, where());
  options_.data_format = check_data_format(where(), options_.data_format);
  attrs_.params = AffineParams::rotation;
  attrs_.fill_mode = parse_fill_mode(options_.fill_mode, where());
  attrs_.interpolation = parse_affine_interpolation(options_.interpolation, where());
  attrs_.fill_value = static_cast<float>(options_.fill_value);
  attrs_.channels_first = options_.data_format == "channels_first";
}

Value RandomRotation::call(Value x, CallContext& ctx) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  if (!ctx.training) return image_unbatch(x, unbatched);
  const float lo = static_cast<float>(lower_ * 360.0), hi = static_cast<float>(upper_ * 360.0);
  Value angle = draw_noise(ctx, [&](Value seed) { return ops::random_uniform(seed, {x.dim(0), 1}, 0) * (hi - lo) + lo; });
  return image_unbatch(ops::affine_transform(x, angle, attrs_), unbatched);
}

nlohmann::json RandomRotation::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["factor"] = {lower_, upper_};
  c["fill_mode"] = options_.fill_mode;
  c["fill_value"] = options_.fill_value;
  c["interpolation"] = options_.interpolation;
  c["seed"] = seed_config();
  return c;
}

std::shared_ptr<RandomRotation> RandomRotation::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RandomRotation");
  RandomRotationOptions o;
  o.fill_mode = c.get_string("fill_mode", "reflect");
  o.interpolation = c.get_string("interpolation", "bilinear");
  o.seed = seed_from_config(config);
  o.fill_value = c.get_double("fill_value", 0.0);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<RandomRotation>(Factor::from_json(c.json().at("factor"), c.where(), "factor"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
