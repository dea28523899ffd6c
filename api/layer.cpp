#include <strata/api/layer.hpp>

#include <strata/api/regularizers/regularizers.hpp>

#include <cctype>
#include <map>
#include <mutex>
#include <unordered_set>

#include <strata/api/graph/program.hpp>
#include <strata/api/initializers/initializer.hpp>
#include <strata/backends/backend.hpp>
#include <strata/layers/core/input_layer.hpp>

namespace strata {

namespace {

/// Keras's to_snake_case: "BatchNormalization" -> "batch_normalization", "Conv2D" -> "conv2d".
std::string snake_case(const std::string& name) {
  std::string a;
  for (std::size_t i = 0; i < name.size(); ++i) {
    // "(.)([A-Z][a-z]+)" -> "\1_\2"
    if (i > 0 && std::isupper(static_cast<unsigned char>(name[i])) && i + 1 < name.size() &&
        std::islower(static_cast<unsigned char>(name[i + 1])))
      a += '_';
    a += name[i];
  }
  std::string b;
  for (std::size_t i = 0; i < a.size(); ++i) {
    // "([a-z])([A-Z])" -> "\1_\2"
    if (i > 0 && std::islower(static_cast<unsigned char>(a[i - 1])) && std::isupper(static_cast<unsigned char>(a[i])))
      b += '_';
    b += static_cast<char>(std::tolower(static_cast<unsigned char>(a[i])));
  }
  std::string c;  // collapse "__" the first rule can create after an existing underscore
  for (char ch : b)
    if (!(ch == '_' && !c.empty() && c.back() == '_')) c += ch;
  return c;
}

std::mutex names_mutex;
std::map<std::string, int> name_counts;

/// Replaces each -1 with `fill`.
std::vector<Shape> concretize(const std::vector<Shape>& shapes, std::int64_t fill) {
  std::vector<Shape> out = shapes;
  for (auto& s : out)
    for (auto& d : s)
      if (d < 0) d = fill;
  return out;
}

}  // namespace

std::string to_snake_case(const std::string& name) { return snake_case(name); }

// ---- SymbolicTensor / Input ----------------------------------------------------------------------

SymbolicTensor::SymbolicTensor(std::shared_ptr<Node> node, int index) : node_(std::move(node)), index_(index) {}
const Shape& SymbolicTensor::shape() const { return node_->output_shapes.at(index_); }
DType SymbolicTensor::dtype() const { return node_->output_dtypes.at(index_); }
Layer& SymbolicTensor::layer() const { return *node_->layer; }

SymbolicTensor Input(Shape shape, InputOptions options) {
  auto layer = std::make_shared<layers::InputLayer>(
      std::move(shape), layers::InputLayer::Options{options.batch_size, options.dtype, options.name});
  auto node = std::make_shared<Node>();
  node->layer = layer;
  node->output_shapes = {layer->batch_shape()};
  node->output_dtypes = {layer->dtype()};
  layer->ensure_built({layer->batch_shape()});
  return SymbolicTensor(node, 0);
}

// ---- Layer ---------------------------------------------------------------------------------------

struct Layer::EagerCache {
  std::mutex mutex;
  struct Entry {
    std::unique_ptr<Program> program;
    std::unique_ptr<Program::Execution> execution;
  };
  std::map<std::vector<std::int64_t>, Entry> programs;
};

std::string Layer::unique_name(const std::string& base) {
  std::lock_guard lock(names_mutex);
  int n = name_counts[base]++;
  return n == 0 ? base : base + "_" + std::to_string(n);
}

Layer::Layer(std::string name, Shape input_shape) : name_(std::move(name)), input_shape_(std::move(input_shape)) {}
Layer::~Layer() = default;

const std::string& Layer::name() const {
  if (name_.empty()) name_ = unique_name(snake_case(class_name()));
  return name_;
}

std::string Layer::where() const { return "Layer '" + name() + "' (" + class_name() + "): "; }

std::shared_ptr<Layer> Layer::shared_self(const char* what) {
  auto self = weak_from_this().lock();
  if (!self)
    throw ValueError(where() + what +
                     " needs the layer to be shared-owned so the model graph can keep it: call it as a temporary "
                     "(layers::Dense(64)(x)), or create it with strata::share(...) to call it several times");
  return self;
}

SymbolicTensor Layer::operator()(const SymbolicTensor& x) & {
  return call_symbolic(shared_self("calling on a SymbolicTensor"), {x})[0];
}
SymbolicTensor Layer::operator()(const SymbolicTensor& x) && {
  auto self = std::move(*this).move_to_shared();
  return self->call_symbolic(self, {x})[0];
}
std::vector<SymbolicTensor> Layer::operator()(const std::vector<SymbolicTensor>& xs) & {
  return call_symbolic(shared_self("calling on SymbolicTensors"), xs);
}
std::vector<SymbolicTensor> Layer::operator()(const std::vector<SymbolicTensor>& xs) && {
  auto self = std::move(*this).move_to_shared();
  return self->call_symbolic(self, xs);
}

std::vector<SymbolicTensor> Layer::call_symbolic(std::shared_ptr<Layer> self, const std::vector<SymbolicTensor>& xs) {
  std::vector<Shape> shapes;
  for (const auto& x : xs) {
    if (!x.valid()) throw ValueError(where() + "called on an empty SymbolicTensor");
    shapes.push_back(x.shape());
  }
  ensure_built(shapes);
  auto node = std::make_shared<Node>();
  node->layer = std::move(self);
  node->inputs = xs;
  node->output_shapes = compute_output_shape(shapes);
  for (std::size_t i = 0; i < node->output_shapes.size(); ++i) node->output_dtypes.push_back(DType::float32);
  node->index = node_count_++;
  std::vector<SymbolicTensor> outs;
  for (std::size_t i = 0; i < node->output_shapes.size(); ++i) outs.emplace_back(node, static_cast<int>(i));
  return outs;
}

void Layer::ensure_built(const std::vector<Shape>& input_shapes) {
  if (built_) return;
  build(input_shapes);
  built_ = true;
}

void Layer::build(const std::vector<Shape>& input_shapes) {
  if (input_shapes.size() != 1)
    throw ValueError(where() + "expects 1 input, got " + std::to_string(input_shapes.size()));
  build(input_shapes[0]);
}

std::vector<Value> Layer::call(const std::vector<Value>& inputs, CallContext& ctx) {
  if (inputs.size() != 1) throw ValueError(where() + "expects 1 input, got " + std::to_string(inputs.size()));
  return {call(inputs[0], ctx)};
}

Value Layer::call(Value x, CallContext& ctx) {
  throw UnsupportedError(where() + "implements neither call(Value) nor call(std::vector<Value>)");
}

std::vector<Shape> Layer::compute_output_shape(const std::vector<Shape>& input_shapes) {
  ensure_built(input_shapes);
  // Trace with unknown dims set to two sizes larger than any window: the output dims that differ are unknown.
  auto trace = [&](std::int64_t fill) {
    Graph g;
    std::vector<Value> in;
    auto shapes = concretize(input_shapes, fill);
    for (std::size_t i = 0; i < shapes.size(); ++i) in.push_back(g.add_input(shapes[i], DType::float32, "input"));
    CallContext ctx{g, false};
    LayerScope scope(g, name());
    std::vector<Shape> out;
    for (const auto& v : call(in, ctx)) out.push_back(v.shape());
    return out;
  };
  auto a = trace(1024);
  bool unknown = false;
  for (const auto& s : input_shapes)
    for (auto d : s) unknown = unknown || d < 0;
  if (!unknown) return a;
  auto b = trace(2048);
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t k = 0; k < a[i].size() && k < b[i].size(); ++k)
      if (a[i][k] != b[i][k]) a[i][k] = -1;
  return a;
}

void Layer::set_trainable(bool trainable) { trainable_ = trainable; }

std::vector<Variable*> Layer::weights() const {
  std::vector<Variable*> out;
  for (const auto& v : variables_)
    if (v->trainable()) out.push_back(v.get());
  for (const auto& v : variables_)
    if (!v->trainable()) out.push_back(v.get());
  std::unordered_set<Variable*> seen(out.begin(), out.end());
  for (const auto& layer : sublayers())
    for (Variable* v : layer->weights())
      if (seen.insert(v).second) out.push_back(v);
  return out;
}

std::vector<Variable*> Layer::states() const {
  std::vector<Variable*> out;
  for (const auto& v : states_) out.push_back(v.get());
  std::unordered_set<Variable*> seen(out.begin(), out.end());
  for (const auto& layer : sublayers())
    for (Variable* v : layer->states())
      if (seen.insert(v).second) out.push_back(v);
  return out;
}

std::vector<Variable*> Layer::trainable_weights() const {
  std::vector<Variable*> out;
  if (!trainable_) return out;
  for (const auto& v : variables_)
    if (v->trainable()) out.push_back(v.get());
  std::unordered_set<Variable*> seen(out.begin(), out.end());
  for (const auto& layer : sublayers())
    for (Variable* v : layer->trainable_weights())
      if (seen.insert(v).second) out.push_back(v);
  return out;
}

std::vector<Variable*> Layer::non_trainable_weights() const {
  auto trainable = trainable_weights();
  std::unordered_set<Variable*> t(trainable.begin(), trainable.end());
  std::vector<Variable*> out;
  for (Variable* v : weights())
    if (!t.count(v)) out.push_back(v);
  return out;
}

std::vector<Tensor> Layer::get_weights() const {
  std::vector<Tensor> out;
  for (Variable* v : weights()) out.push_back(v->value());
  return out;
}

void Layer::set_weights(const std::vector<Tensor>& values) {
  auto ws = weights();
  if (values.size() != ws.size())
    throw ValueError(where() + "set_weights expects " + std::to_string(ws.size()) + " weights, got " +
                     std::to_string(values.size()));
  for (std::size_t i = 0; i < ws.size(); ++i)
    if (values[i].shape() != ws[i]->shape())
      throw ShapeError(where() + "weight " + std::to_string(i) + " ('" + ws[i]->path() + "') has shape " +
                       shape_str(ws[i]->shape()) + ", got a value of shape " + shape_str(values[i].shape()));
  for (std::size_t i = 0; i < ws.size(); ++i) ws[i]->assign(values[i]);
}

std::int64_t Layer::count_params() const {
  std::int64_t n = 0;
  for (Variable* v : weights()) n += num_elements(v->shape());
  return n;
}

Variable& Layer::add_weight(const std::string& name, const Shape& shape, const Initializer& initializer,
                            bool trainable, DType dtype) {
  auto v = std::make_unique<Variable>(name, shape, dtype, trainable);
  v->set_path(this->name() + "/" + name);
  v->assign(initializer(shape, dtype));
  variables_.push_back(std::move(v));
  return *variables_.back();
}

Variable& Layer::add_weight(const std::string& name, const Shape& shape, const Initializer& initializer,
                            const std::optional<Regularizer>& regularizer, const std::optional<Constraint>& constraint,
                            bool trainable) {
  Variable& v = add_weight(name, shape, initializer, trainable);
  if (regularizer) v.set_regularizer(std::make_shared<const Regularizer>(*regularizer));
  if (constraint) v.set_constraint(std::make_shared<const Constraint>(*constraint));
  return v;
}

void Layer::add_activity_loss(const std::vector<Value>& outputs, CallContext& ctx) const {
  if (!activity_regularizer_) return;
  for (const Value& y : outputs) {
    Value penalty = (*activity_regularizer_)(y);
    // Keras divides by the batch size (divide_no_nan: an empty batch adds nothing)
    if (y.ndim() > 0) {
      if (y.dim(0) <= 0) continue;
      penalty = penalty * (1.0f / static_cast<float>(y.dim(0)));
    }
    ctx.add_loss(penalty);
  }
}

Variable& Layer::add_state(const std::string& name, const Shape& shape, DType dtype) {
  auto v = std::make_unique<Variable>(name, shape, dtype, false);
  v->set_path(this->name() + "/" + name);
  states_.push_back(std::move(v));
  return *states_.back();
}

nlohmann::json Layer::get_config() const {
  nlohmann::json dtype = {{"module", "keras"},
                          {"class_name", "DTypePolicy"},
                          {"config", {{"name", "float32"}}},
                          {"registered_name", nullptr}};
  nlohmann::json c = {{"name", name()}, {"trainable", trainable_}, {"dtype", dtype}};
  // Keras's base Layer writes the key only when one is set
  if (activity_regularizer_) c["activity_regularizer"] = regularizers::serialize(*activity_regularizer_);
  return c;
}

// ---- eager calls ---------------------------------------------------------------------------------

Tensor Layer::operator()(const Tensor& x, bool training) & {
  auto outs = (*this)(std::vector<Tensor>{x}, training);
  if (outs.size() != 1) throw ValueError(where() + "returns " + std::to_string(outs.size()) + " outputs; use the "
                                         "std::vector<Tensor> overload");
  return std::move(outs[0]);
}

std::vector<Tensor> Layer::operator()(const std::vector<Tensor>& xs, bool training) & {
  std::vector<Shape> shapes;
  std::vector<std::int64_t> key{training ? 1 : 0};
  for (const auto& x : xs) {
    if (x.ndim() == 0) throw ShapeError(where() + "called on a scalar; inputs need a batch dimension");
    Shape s = x.shape();
    s[0] = -1;
    shapes.push_back(s);
    key.push_back(static_cast<std::int64_t>(x.dtype()));
    key.insert(key.end(), x.shape().begin(), x.shape().end());
    key.push_back(-2);
  }
  ensure_built(shapes);
  if (!eager_) eager_ = std::make_shared<EagerCache>();
  std::lock_guard lock(eager_->mutex);
  auto& entry = eager_->programs[key];
  if (!entry.program) {
    Graph g;
    std::vector<Value> in;
    std::vector<ValueId> in_ids, out_ids;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      in.push_back(g.add_input(xs[i].shape(), DType::float32, "input_" + std::to_string(i)));
      in_ids.push_back(in.back().id());
    }
    CallContext ctx{g, training};
    {
      LayerScope scope(g, name());
      for (const auto& v : call(in, ctx)) out_ids.push_back(v.id());
    }
    entry.program = std::make_unique<Program>(std::move(g), in_ids, out_ids, backend());
    entry.execution = entry.program->make_execution();
  }
  auto& exec = *entry.execution;
  Backend& be = backend();
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (xs[i].dtype() == DType::float32) {
      be.copy_to_device(exec.input(i), xs[i].raw(), xs[i].nbytes());
    } else {
      Tensor f = xs[i].astype(DType::float32);
      be.copy_to_device(exec.input(i), f.raw(), f.nbytes());
    }
  }
  exec.run();
  be.synchronize();
  std::vector<Tensor> outs;
  for (std::size_t i = 0; i < entry.program->outputs().size(); ++i) {
    const ValueInfo& info = entry.program->output_info(i);
    Tensor t(info.shape, info.dtype);
    be.copy_to_host(t.raw(), exec.output(i), t.nbytes());
    outs.push_back(std::move(t));
  }
  return outs;
}

}  // namespace strata
