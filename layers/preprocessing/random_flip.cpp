#include <strata/layers/preprocessing/random_flip.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

RandomFlip::RandomFlip(std::string mode, RandomFlipOptions options)
    : NoiseLayer(options.name, options.input_shape, options.seed), mode_(std::move(mode)), options_(std::move(options)) {
  if (mode_ != "horizontal" && mode_ != "vertical" && mode_ != "horizontal_and_vertical")
    throw ValueError(where() + "RandomFlip layer expects `mode` to be one of 'horizontal', 'vertical', or "
                     "'horizontal_and_vertical'. Received: mode=" + mode_);
  options_.data_format = check_data_format(where(), options_.data_format);
}

Value RandomFlip::call(Value x, CallContext& ctx) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  if (!ctx.training) return image_unbatch(x, unbatched);
  AffineTransformAttrs a;
  a.params = AffineParams::flip;
  a.interpolation = ImageInterpolation::nearest;
  a.flip_horizontal = mode_ != "vertical";
  a.flip_vertical = mode_ != "horizontal";
  a.channels_first = options_.data_format == "channels_first";
  Value u = draw_noise(ctx, [&](Value seed) { return ops::random_uniform(seed, {x.dim(0), 1}, 0); });
  return image_unbatch(ops::affine_transform(x, u, a), unbatched);
}

nlohmann::json RandomFlip::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["seed"] = seed_config();
  c["mode"] = mode_;
  return c;
}

std::shared_ptr<RandomFlip> RandomFlip::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RandomFlip");
  RandomFlipOptions o;
  o.seed = seed_from_config(config);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<RandomFlip>(c.get_string("mode", "horizontal_and_vertical"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
