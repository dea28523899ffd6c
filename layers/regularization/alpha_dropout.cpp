#include <strata/layers/regularization/alpha_dropout.hpp>

#include <cmath>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

AlphaDropout::AlphaDropout(double rate, AlphaDropoutOptions options)
    : NoiseLayer(std::move(options.name), std::move(options.input_shape), options.seed),
      rate_(rate),
      noise_shape_(std::move(options.noise_shape)) {
  // rate 1 passes Keras's check too, but its affine map divides by zero
  if (!(rate_ >= 0.0 && rate_ < 1.0))
    throw ValueError(where() + "Invalid value received for argument `rate`. Expected a float value between 0 and 1 "
                     "(1 excluded). Received: rate=" + std::to_string(rate_));
  for (std::size_t i = 0; i < noise_shape_.size(); ++i)
    if (noise_shape_[i] == 0 || noise_shape_[i] < -1)
      throw ValueError(where() + "Invalid value received for argument `noise_shape`. Expected all dimensions to be "
                       "positive integers or None. Received negative or zero value at index " + std::to_string(i) +
                       ": " + std::to_string(noise_shape_[i]));
}

Value AlphaDropout::call(Value x, CallContext& ctx) {
  if (!ctx.training || rate_ <= 0.0) return x;
  Shape noise = x.shape();
  if (!noise_shape_.empty()) {
    if (static_cast<int>(noise_shape_.size()) != x.ndim())
      throw ShapeError(where() + "noise_shape " + shape_str(noise_shape_) + " must have the input's rank; input shape " +
                       shape_str(x.shape()));
    for (int i = 0; i < x.ndim(); ++i) {
      if (noise_shape_[i] != -1 && noise_shape_[i] != 1 && noise_shape_[i] != x.dim(i))
        throw ShapeError(where() + "noise_shape " + shape_str(noise_shape_) + " does not broadcast to the input shape " +
                         shape_str(x.shape()));
      if (noise_shape_[i] != -1) noise[i] = noise_shape_[i];
    }
  }
  constexpr double kAlpha = 1.6732632423543772848170429916717;
  constexpr double kScale = 1.0507009873554804934193349852946;
  const double alpha_p = -kAlpha * kScale;
  const double a = std::pow((1 - rate_) * (1 + rate_ * alpha_p * alpha_p), -0.5);
  const double b = -a * alpha_p * rate_;
  Value uniform = draw_noise(ctx, [&](Value seed) { return ops::random_uniform(seed, noise, 0); });
  Value kept = ops::binary(uniform, x.graph().scalar(static_cast<float>(rate_)), BinaryKind::greater_equal);
  Value dropped = x * kept + (1.0f - kept) * static_cast<float>(alpha_p);
  return dropped * static_cast<float>(a) + static_cast<float>(b);
}

nlohmann::json AlphaDropout::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["rate"] = rate_;
  c["seed"] = seed_config();
  c["noise_shape"] = noise_shape_.empty() ? nlohmann::json(nullptr) : nlohmann::json::array();
  for (auto d : noise_shape_) c["noise_shape"].push_back(d == -1 ? nlohmann::json(nullptr) : nlohmann::json(d));
  return c;
}

std::shared_ptr<AlphaDropout> AlphaDropout::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "AlphaDropout");
  AlphaDropoutOptions o{.seed = seed_from_config(config), .name = c.name(), .input_shape = c.input_shape()};
  if (auto ns = c.get_optional_int_list("noise_shape")) o.noise_shape = *ns;
  auto layer = std::make_shared<AlphaDropout>(c.get_double("rate"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
