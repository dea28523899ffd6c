#include <strata/layers/core/dropout.hpp>

#include <strata/api/random.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/spatial_size.hpp>

namespace strata::layers {

Dropout::Dropout(double rate, DropoutOptions options)
    : Layer(options.name, options.input_shape), rate_(rate), options_(std::move(options)) {
  if (!(rate_ >= 0.0 && rate_ < 1.0))
    throw ValueError(where() + "invalid value received for argument `rate`. Expected a float value in [0, 1). "
                     "Received: rate=" + std::to_string(rate_));
  for (std::size_t i = 0; i < options_.noise_shape.size(); ++i)
    if (options_.noise_shape[i] == 0 || options_.noise_shape[i] < -1)
      throw ValueError(where() + "invalid value received for argument `noise_shape`. Expected positive integers "
                       "or -1 (None). Received " + std::to_string(options_.noise_shape[i]) + " at index " +
                       std::to_string(i));
  initial_seed_ = options_.seed ? *options_.seed : next_seed();
}

void Dropout::build(const Shape& input_shape) {
  if (rate_ <= 0.0) return;
  seed_state_ = &add_state("seed_generator_state", {}, DType::int64);
  Tensor init(Shape{}, DType::int64);
  init.data<std::int64_t>()[0] = static_cast<std::int64_t>(initial_seed_);
  seed_state_->assign(init);
}

Value Dropout::call(Value x, CallContext& ctx) {
  if (!ctx.training || rate_ <= 0.0) return x;
  std::vector<bool> shared;
  if (!options_.noise_shape.empty()) {
    const auto& ns = options_.noise_shape;
    if (static_cast<int>(ns.size()) != x.ndim())
      throw ShapeError(where() + "noise_shape " + tuple_str(ns) + " must have the input's rank; input shape " +
                       shape_str(x.shape()));
    for (int i = 0; i < x.ndim(); ++i) {
      if (ns[i] != -1 && ns[i] != 1 && ns[i] != x.dim(i))
        throw ShapeError(where() + "noise_shape " + tuple_str(ns) + " does not broadcast to the input shape " +
                         shape_str(x.shape()));
      shared.push_back(ns[i] == 1 && x.dim(i) != 1);
    }
  }
  Value state = ctx.variable(*seed_state_);
  Value y = ops::dropout(x, static_cast<float>(rate_), state, 0, std::move(shared));
  ops::assign_add(state, 1);
  return y;
}

nlohmann::json Dropout::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["rate"] = rate_;
  c["seed"] = options_.seed ? nlohmann::json(*options_.seed) : nlohmann::json(nullptr);
  c["noise_shape"] = options_.noise_shape.empty() ? nlohmann::json(nullptr) : nlohmann::json::array();
  for (auto d : options_.noise_shape) c["noise_shape"].push_back(d == -1 ? nlohmann::json(nullptr) : nlohmann::json(d));
  return c;
}

std::shared_ptr<Dropout> Dropout::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Dropout");
  DropoutOptions o;
  o.name = c.name();
  o.input_shape = c.input_shape();
  if (auto ns = c.get_optional_int_list("noise_shape")) o.noise_shape = *ns;
  if (c.has("seed")) o.seed = static_cast<std::uint64_t>(c.get_int("seed"));
  auto layer = std::make_shared<Dropout>(c.get_double("rate"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
