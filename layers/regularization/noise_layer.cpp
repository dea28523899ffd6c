#include <strata/layers/regularization/noise_layer.hpp>

#include <strata/api/random.hpp>

namespace strata::layers {

NoiseLayer::NoiseLayer(std::string name, Shape input_shape, std::optional<std::uint64_t> seed)
    : Layer(std::move(name), std::move(input_shape)), seed_(seed), initial_seed_(seed ? *seed : next_seed()) {}

void NoiseLayer::build(const Shape& input_shape) {
  seed_state_ = &add_state("seed_generator_state", {}, DType::int64);
  Tensor init(Shape{}, DType::int64);
  init.data<std::int64_t>()[0] = static_cast<std::int64_t>(initial_seed_);
  seed_state_->assign(init);
}

nlohmann::json NoiseLayer::seed_config() const { return seed_ ? nlohmann::json(*seed_) : nlohmann::json(nullptr); }

std::optional<std::uint64_t> NoiseLayer::seed_from_config(const nlohmann::json& config) {
  if (!config.contains("seed") || config.at("seed").is_null()) return std::nullopt;
  return config.at("seed").get<std::uint64_t>();
}

}  // namespace strata::layers
