#include <strata/layers/reshaping/repeat_vector.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

RepeatVector::RepeatVector(std::int64_t n, RepeatVectorOptions options)
    : Layer(options.name, options.input_shape), n_(n) {
  if (n_ <= 0) throw ValueError(where() + "Argument `n` should be a positive integer. Received: n=" + std::to_string(n_));
}

void RepeatVector::build(const Shape& s) {
  if (s.size() != 2)
    throw ShapeError(where() + "expected ndim=2, found ndim=" + std::to_string(s.size()) + ". Full shape received: " +
                     shape_str(s));
}

Value RepeatVector::call(Value x, CallContext& ctx) {
  build(x.shape());
  return ops::broadcast_to(ops::reshape(x, {x.dim(0), 1, x.dim(1)}), {x.dim(0), n_, x.dim(1)});
}

nlohmann::json RepeatVector::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["n"] = n_;
  return c;
}

std::shared_ptr<RepeatVector> RepeatVector::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RepeatVector");
  auto layer = std::make_shared<RepeatVector>(c.get_int("n"),
                                              RepeatVectorOptions{.name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
