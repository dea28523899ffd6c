#include <strata/layers/regularization/spatial_dropout.hpp>

namespace strata::layers {

SpatialDropout::SpatialDropout(int spatial_dims, double rate, SpatialDropoutOptions options)
    : NoiseLayer(std::move(options.name), std::move(options.input_shape), options.seed),
      spatial_dims_(spatial_dims),
      rate_(rate),
      data_format_(options.data_format.empty() ? "channels_last" : options.data_format) {}

void SpatialDropout::check_arguments() const {
  if (!(rate_ >= 0.0 && rate_ < 1.0))
    throw ValueError(where() + "Invalid value received for argument `rate`. Expected a float value between 0 and 1 "
                     "(1 excluded). Received: rate=" + std::to_string(rate_));
  if (data_format_ != "channels_last" && data_format_ != "channels_first")
    throw ValueError(where() + "The `data_format` argument must be one of {\"channels_first\", \"channels_last\"}. "
                     "Received: data_format=" + data_format_);
  if (spatial_dims_ == 1 && data_format_ != "channels_last")
    throw ValueError(where() + "SpatialDropout1D has no data_format; its input is (batch, steps, channels)");
}

void SpatialDropout::build(const Shape& input_shape) {
  const int rank = spatial_dims_ + 2;
  if (static_cast<int>(input_shape.size()) != rank)
    throw ShapeError(where() + "Input 0 of layer \"" + name() + "\" is incompatible with the layer: expected ndim=" +
                     std::to_string(rank) + ", found ndim=" + std::to_string(input_shape.size()) +
                     ". Full shape received: " + shape_str(input_shape));
  NoiseLayer::build(input_shape);
}

Value SpatialDropout::call(Value x, CallContext& ctx) {
  const int rank = spatial_dims_ + 2;
  if (x.ndim() != rank)
    throw ShapeError(where() + "expected an input of rank " + std::to_string(rank) + ", got shape " +
                     shape_str(x.shape()));
  if (!ctx.training || rate_ <= 0.0) return x;
  // one mask value per (sample, channel): shared along every spatial axis
  std::vector<bool> shared(rank, true);
  shared[0] = false;
  shared[data_format_ == "channels_first" ? 1 : rank - 1] = false;
  for (int i = 0; i < rank; ++i)
    if (x.dim(i) == 1) shared[i] = false;
  return draw_noise(ctx, [&](Value seed) { return ops::dropout(x, static_cast<float>(rate_), seed, 0, shared); });
}

nlohmann::json SpatialDropout::get_config() const {
  nlohmann::json c = Layer::get_config();
  c.erase("trainable");
  c["dtype"] = "float32";  // BaseSpatialDropout writes the policy name, not a DTypePolicy
  c["rate"] = rate_;
  c["seed"] = seed_config();
  if (spatial_dims_ > 1) c["data_format"] = data_format_;
  return c;
}

}  // namespace strata::layers
