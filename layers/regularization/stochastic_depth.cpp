#include <strata/layers/regularization/stochastic_depth.hpp>

#include <strata/api/random.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

StochasticDepth::StochasticDepth(double drop_path_rate, StochasticDepthOptions options)
    : Layer(options.name, options.input_shape), rate_(drop_path_rate) {
  // rate 1 would divide by a keep probability of 0 (NaN in Keras)
  if (!(rate_ >= 0.0 && rate_ < 1.0))
    throw ValueError(where() + "invalid value received for argument `drop_path_rate`. Expected a float value in "
                     "[0, 1). Received: drop_path_rate=" + std::to_string(rate_));
  initial_seed_ = options.seed ? *options.seed : next_seed();
}

void StochasticDepth::build(const Shape&) {
  if (rate_ <= 0.0) return;
  seed_state_ = &add_state("seed_generator_state", {}, DType::int64);
  Tensor init(Shape{}, DType::int64);
  init.data<std::int64_t>()[0] = static_cast<std::int64_t>(initial_seed_);
  seed_state_->assign(init);
}

Value StochasticDepth::call(Value x, CallContext& ctx) {
  if (!ctx.training || rate_ <= 0.0) return x;
  // floor(keep_prob + uniform) per sample is dropout with one mask value per sample
  std::vector<bool> shared(x.ndim(), true);
  shared[0] = false;
  for (int i = 1; i < x.ndim(); ++i) shared[i] = x.dim(i) != 1;
  Value state = ctx.variable(*seed_state_);
  Value y = ops::dropout(x, static_cast<float>(rate_), state, 0, std::move(shared));
  ops::assign_add(state, 1);
  return y;
}

nlohmann::json StochasticDepth::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["drop_path_rate"] = rate_;
  return c;
}

std::shared_ptr<StochasticDepth> StochasticDepth::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "StochasticDepth");
  auto layer = std::make_shared<StochasticDepth>(c.get_double("drop_path_rate"),
                                                 StochasticDepthOptions{.name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
