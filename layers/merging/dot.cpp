#include <strata/layers/merging/dot.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/merging/merge.hpp>

namespace strata::layers {

namespace {
/// x * min(rsqrt(sum(x^2 along axis)), 1 / epsilon), as keras.ops.normalize (order 2, epsilon 1e-7).
Value l2_normalize(Value x, int axis) {
  Value inv_norm = ops::eltwise(ops::sum(ops::square(x), {axis}, true), EltwiseKind::pow, 1.0f, -0.5f);
  return x * ops::clip(inv_norm, 0.0f, 1e7f);
}
}  // namespace

Dot::Dot(int axes, DotOptions options)
    : Layer(std::move(options.name)), axes_{axes, axes}, single_axis_(true), normalize_(options.normalize) {}

Dot::Dot(std::array<int, 2> axes, DotOptions options)
    : Layer(std::move(options.name)), axes_(axes), single_axis_(false), normalize_(options.normalize) {}

std::array<int, 2> Dot::resolve_axes(int rank0, int rank1) const {
  auto wrap = [](int a, int r) { return ((a % r) + r) % r; };  // Python's a % r
  return {axes_[0] < 0 ? wrap(axes_[0], rank0) : axes_[0], axes_[1] < 0 ? wrap(axes_[1], rank1) : axes_[1]};
}

void Dot::build(const std::vector<Shape>& shapes) {
  if (shapes.size() != 2)
    throw ValueError(where() + "A `Dot` layer should be called on a list of 2 inputs. Received: input_shape=" +
                     shapes_str(shapes));
  const auto& s0 = shapes[0];
  const auto& s1 = shapes[1];
  if (s0.size() < 2 || s1.size() < 2)
    throw ValueError(where() + "Cannot do batch_dot on inputs with rank < 2. Received inputs with shapes " +
                     shapes_str(shapes));
  auto [a0, a1] = resolve_axes(static_cast<int>(s0.size()), static_cast<int>(s1.size()));
  if (a0 >= static_cast<int>(s0.size()) || a1 >= static_cast<int>(s1.size()))
    throw ValueError(where() + "axes (" + std::to_string(axes_[0]) + ", " + std::to_string(axes_[1]) +
                     ") are out of range for input shapes " + shapes_str(shapes));
  if (a0 == 0 || a1 == 0)
    throw ValueError(where() + "Cannot perform batch_dot over axis 0. If your inputs are not batched, add a dummy "
                     "batch dimension to your inputs using keras.ops.expand_dims(x, 0)");
  if (s0[0] >= 0 && s1[0] >= 0 && s0[0] != s1[0])
    throw ValueError(where() + "Cannot do batch_dot on inputs with different batch sizes. Received inputs with "
                     "shapes " + shapes_str(shapes));
  if (s0[a0] >= 0 && s1[a1] >= 0 && s0[a0] != s1[a1])
    throw ValueError(where() + "Incompatible input shapes: axis values " + std::to_string(s0[a0]) + " (at axis " +
                     std::to_string(a0) + ") != " + std::to_string(s1[a1]) + " (at axis " + std::to_string(a1) +
                     "). Full input shapes: " + shapes_str({s0}).substr(1, shapes_str({s0}).size() - 2) + ", " +
                     shapes_str({s1}).substr(1, shapes_str({s1}).size() - 2));
}

std::vector<Value> Dot::call(const std::vector<Value>& inputs, CallContext& ctx) {
  std::vector<Shape> shapes;
  for (const auto& v : inputs) shapes.push_back(v.shape());
  build(shapes);
  Value x = inputs[0], y = inputs[1];
  const int xn = x.ndim(), yn = y.ndim();
  auto [a0, a1] = resolve_axes(xn, yn);
  if (normalize_) {
    x = l2_normalize(x, a0);
    y = l2_normalize(y, a1);
  }
  // Keras's batch_dot: x's axis moved last, y's to position 1, both squashed to rank 3, one batched matmul
  Shape out{x.dim(0)};
  std::int64_t m = 1, n = 1;
  std::vector<int> px{0}, py{0, a1};
  for (int i = 1; i < xn; ++i)
    if (i != a0) {
      px.push_back(i);
      out.push_back(x.dim(i));
      m *= x.dim(i);
    }
  px.push_back(a0);
  for (int i = 1; i < yn; ++i)
    if (i != a1) {
      py.push_back(i);
      out.push_back(y.dim(i));
      n *= y.dim(i);
    }
  if (out.size() == 1) out.push_back(1);
  const std::int64_t d = x.dim(a0);
  auto moved = [](Value v, const std::vector<int>& perm) {
    for (std::size_t i = 0; i < perm.size(); ++i)
      if (perm[i] != static_cast<int>(i)) return ops::transpose(v, perm);
    return v;
  };
  Value xs = ops::reshape(moved(x, px), {x.dim(0), m, d});
  Value ys = ops::reshape(moved(y, py), {y.dim(0), d, n});
  return {ops::reshape(ops::matmul(xs, ys), out)};
}

nlohmann::json Dot::get_config() const {
  nlohmann::json c = Layer::get_config();
  if (single_axis_) c["axes"] = axes_[0];
  else c["axes"] = {axes_[0], axes_[1]};
  c["normalize"] = normalize_;
  return c;
}

std::shared_ptr<Dot> Dot::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Dot");
  DotOptions options{.normalize = c.get_bool("normalize", false), .name = c.name()};
  auto axes = c.get_int_list("axes");
  std::shared_ptr<Dot> layer;
  if (config.at("axes").is_number_integer()) {
    layer = std::make_shared<Dot>(static_cast<int>(axes.at(0)), options);
  } else {
    if (axes.size() != 2)
      throw ValueError(c.where() + "Invalid format for argument `axes`: it should contain two elements. Received: "
                       "axes=" + config.at("axes").dump());
    layer = std::make_shared<Dot>(std::array<int, 2>{static_cast<int>(axes[0]), static_cast<int>(axes[1])}, options);
  }
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
