#include <strata/layers/merging/concatenate.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Concatenate::Concatenate(int axis, ConcatenateOptions options) : Layer(std::move(options.name)), axis_(axis) {}

void Concatenate::build(const std::vector<Shape>& shapes) {
  if (shapes.empty())
    throw ValueError(where() + "A `Concatenate` layer should be called on a list of at least 1 input. "
                     "Received: input_shape=[]");
  const int rank = static_cast<int>(shapes[0].size());
  const int axis = axis_ < 0 ? axis_ + rank : axis_;
  bool ok = axis >= 0 && axis < rank;
  for (const auto& s : shapes) {
    ok = ok && static_cast<int>(s.size()) == rank;
    for (int i = 0; ok && i < rank; ++i)
      ok = i == axis || s[i] < 0 || shapes[0][i] < 0 || s[i] == shapes[0][i];
  }
  if (!ok)
    throw ValueError(where() + "A `Concatenate` layer requires inputs with matching shapes except for the "
                     "concatenation axis. Received: input_shape=" + shapes_str(shapes) + ", axis=" +
                     std::to_string(axis_));
}

std::vector<Value> Concatenate::call(const std::vector<Value>& inputs, CallContext& ctx) {
  std::vector<Shape> shapes;
  for (const auto& x : inputs) shapes.push_back(x.shape());
  build(shapes);
  return {ops::concat(inputs, axis_)};
}

nlohmann::json Concatenate::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["axis"] = axis_;
  return c;
}

std::shared_ptr<Concatenate> Concatenate::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Concatenate");
  auto layer = std::make_shared<Concatenate>(static_cast<int>(c.get_int("axis", -1)),
                                             ConcatenateOptions{.name = c.name()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
