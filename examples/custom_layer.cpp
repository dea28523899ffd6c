// A user-defined layer: it composes ops in call(); gradients come from the ops' rules.
#include <iostream>

#include <strata/strata.hpp>

using namespace strata;

/// y = x * scale + offset, with one trainable (scale, offset) pair per feature.
class Affine : public Layer {
 public:
  STRATA_LAYER(Affine)
  using Layer::build;
  using Layer::call;
  explicit Affine(std::string name = "") : Layer(std::move(name)) {}

  void build(const Shape& input_shape) override {
    scale_ = &add_weight("scale", {input_shape.back()}, "ones");
    offset_ = &add_weight("offset", {input_shape.back()}, "zeros");
  }
  Value call(Value x, CallContext& ctx) override { return x * ctx.variable(*scale_) + ctx.variable(*offset_); }

 private:
  Variable* scale_ = nullptr;
  Variable* offset_ = nullptr;
};

int main() {
  // learn y = 3x - 1 per feature
  Tensor x({256, 2}), y({256, 2});
  for (std::int64_t i = 0; i < 256; ++i)
    for (std::int64_t j = 0; j < 2; ++j) {
      x.at({i, j}) = static_cast<float>(i % 16) / 8.0f - 1.0f;
      y.at({i, j}) = 3.0f * x.at({i, j}) - 1.0f;
    }
  Sequential model({Input({2}), Affine()});
  model.compile({.optimizer = optimizers::SGD({.learning_rate = 0.1}), .loss = "mse"});
  model.fit(x, y, {.batch_size = 32, .epochs = 40, .verbose = 0});
  auto w = model.get_weights();
  std::cout << "scale " << w[0].at({0}) << ", offset " << w[1].at({0}) << " (expected 3, -1)\n";
  bool learned = std::abs(w[0].at({0}) - 3.0f) < 1e-2f && std::abs(w[1].at({0}) + 1.0f) < 1e-2f;
  return learned ? 0 : 1;
}
