#include <strata/layers/merging/merge.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

namespace {
std::string keras_shape(const Shape& s) {
  std::string out = "(";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + (s[i] < 0 ? std::string("None") : std::to_string(s[i]));
  return out + (s.size() == 1 ? ",)" : ")");
}
}  // namespace

std::string shapes_str(const std::vector<Shape>& shapes) {
  std::string s = "[";
  for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + keras_shape(shapes[i]);
  return s + "]";
}

Merge::Merge(MergeOptions options, std::size_t exact_inputs)
    : Layer(std::move(options.name)), exact_inputs_(exact_inputs) {}

void Merge::build(const std::vector<Shape>& shapes) {
  if (exact_inputs_ > 0 && shapes.size() != exact_inputs_)
    throw ValueError(where() + "A `" + class_name() + "` layer should be called on exactly " +
                     std::to_string(exact_inputs_) + " inputs. Received: input_shape=" + shapes_str(shapes));
  if (shapes.empty())
    throw ValueError(where() + "A merge layer should be called on a list of at least 1 input. Received 0 inputs.");
  std::int64_t batch = -1;
  for (const auto& s : shapes) {
    if (s.empty()) throw ShapeError(where() + "merge inputs need a batch dim, got a scalar among " + shapes_str(shapes));
    if (s[0] >= 0 && batch >= 0 && s[0] != batch)
      throw ValueError(where() + "Cannot merge tensors with different batch sizes. Received tensors with shapes " +
                       shapes_str(shapes));
    if (s[0] >= 0) batch = s[0];
  }
  // Keras's _compute_elemwise_op_output_shape over the per-sample shapes, aligned at the end
  Shape out(shapes[0].begin() + 1, shapes[0].end());
  for (std::size_t k = 1; k < shapes.size(); ++k) {
    Shape b(shapes[k].begin() + 1, shapes[k].end());
    Shape a = out;
    if (a.size() < b.size()) std::swap(a, b);
    Shape merged(a.begin(), a.end() - b.size());
    for (std::size_t i = 0; i < b.size(); ++i) {
      const std::int64_t x = a[a.size() - b.size() + i], y = b[i];
      if (x < 0 || y < 0) merged.push_back(-1);
      else if (x == 1) merged.push_back(y);
      else if (y == 1 || x == y) merged.push_back(x);
      else
        throw ValueError(where() + "Inputs have incompatible shapes. Received shapes " + keras_shape(out) + " and " +
                         keras_shape(Shape(shapes[k].begin() + 1, shapes[k].end())));
    }
    out = merged;
  }
}

std::vector<Value> Merge::call(const std::vector<Value>& inputs, CallContext& ctx) {
  std::vector<Shape> shapes;
  for (const auto& x : inputs) shapes.push_back(x.shape());
  build(shapes);
  int rank = 0;
  for (const auto& x : inputs) rank = std::max(rank, x.ndim());
  std::vector<Value> xs;
  for (Value x : inputs) {
    if (x.ndim() < rank) {  // Keras expands dims at axis 1 until the ranks agree
      Shape s = x.shape();
      s.insert(s.begin() + 1, rank - x.ndim(), 1);
      x = ops::reshape(x, s);
    }
    xs.push_back(x);
  }
  return {merge(xs)};
}

MergeOptions read_merge_config(const nlohmann::json& config, const char* class_name) {
  return MergeOptions{.name = ConfigReader(config, class_name).name()};
}

void apply_merge_base_config(const nlohmann::json& config, const char* class_name, Layer& layer) {
  ConfigReader(config, class_name).apply_base(layer);
}

}  // namespace strata::layers
