#include <strata/layers/reshaping/reshape.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Reshape::Reshape(Shape target_shape, ReshapeOptions options)
    : Layer(std::move(options.name), std::move(options.input_shape)), target_shape_(std::move(target_shape)) {
  int unknown = 0;
  for (auto d : target_shape_) {
    if (d == -1) ++unknown;
    else if (d <= 0)
      throw ValueError(where() + "target_shape " + shape_str(target_shape_) +
                       " must contain positive sizes and at most one -1");
  }
  if (unknown > 1)
    throw ValueError(where() + "there must be at most one unknown dimension (-1) in target_shape, got " +
                     shape_str(target_shape_));
}

Shape Reshape::resolve(const Shape& input_shape) const {
  std::int64_t total = 1;
  for (std::size_t i = 1; i < input_shape.size(); ++i) {
    if (input_shape[i] < 0) return target_shape_;  // unknown per-sample size: checked when traced
    total *= input_shape[i];
  }
  std::int64_t known = 1;
  int unknown = -1;
  for (std::size_t i = 0; i < target_shape_.size(); ++i) {
    if (target_shape_[i] == -1) unknown = static_cast<int>(i);
    else known *= target_shape_[i];
  }
  Shape out = target_shape_;
  if (unknown >= 0 && known > 0 && total % known == 0) out[unknown] = total / known;
  if (num_elements(out) != total || (unknown >= 0 && out[unknown] < 0)) {
    Shape per_sample(input_shape.begin() + (input_shape.empty() ? 0 : 1), input_shape.end());
    throw ShapeError(where() + "the total size of the new array must be unchanged, input_shape = " +
                     shape_str(per_sample) + ", target_shape = " + shape_str(target_shape_));
  }
  return out;
}

void Reshape::build(const Shape& input_shape) {
  if (input_shape.empty()) throw ShapeError(where() + "expected an input with a batch dimension, got a scalar");
  resolve(input_shape);
}

Value Reshape::call(Value x, CallContext& ctx) {
  Shape out = resolve(x.shape());
  out.insert(out.begin(), x.dim(0));
  return ops::reshape(x, out);
}

nlohmann::json Reshape::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["target_shape"] = target_shape_;
  return c;
}

std::shared_ptr<Reshape> Reshape::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Reshape");
  auto layer = std::make_shared<Reshape>(c.get_int_list("target_shape"),
                                         ReshapeOptions{.name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
