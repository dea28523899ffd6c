#include <strata/api/model.hpp>

#include <functional>
#include <iostream>
#include <map>
#include <set>

#include <strata/api/summary_table.hpp>
#include <strata/api/training/engine.hpp>
#include <strata/layers/core/input_layer.hpp>

namespace strata {

namespace {
bool is_input_layer(const Layer& layer) { return dynamic_cast<const layers::InputLayer*>(&layer) != nullptr; }
}  // namespace

Model::Model() : Layer("") {}

Model::Model(std::vector<SymbolicTensor> inputs, std::vector<SymbolicTensor> outputs, std::string name)
    : Layer(name.empty() ? unique_name("functional") : std::move(name)) {
  set_graph(std::move(inputs), std::move(outputs));
}

Model::Model(SymbolicTensor input, SymbolicTensor output, std::string name)
    : Model(std::vector<SymbolicTensor>{std::move(input)}, std::vector<SymbolicTensor>{std::move(output)},
            std::move(name)) {}

Model::Model(Model&& other) noexcept
    : Layer(std::move(other)),
      stop_training(other.stop_training),
      history(std::move(other.history)),
      inputs_(std::move(other.inputs_)),
      outputs_(std::move(other.outputs_)),
      nodes_(std::move(other.nodes_)),
      layers_(std::move(other.layers_)),
      compiled_(other.compiled_),
      optimizer_(std::move(other.optimizer_)),
      engine_(std::move(other.engine_)) {
  if (engine_) engine_->set_model(this);
}

Model& Model::operator=(Model&& other) noexcept {
  if (this == &other) return *this;
  Layer::operator=(std::move(other));
  stop_training = other.stop_training;
  history = std::move(other.history);
  inputs_ = std::move(other.inputs_);
  outputs_ = std::move(other.outputs_);
  nodes_ = std::move(other.nodes_);
  layers_ = std::move(other.layers_);
  compiled_ = other.compiled_;
  optimizer_ = std::move(other.optimizer_);
  engine_ = std::move(other.engine_);
  if (engine_) engine_->set_model(this);
  return *this;
}

Model::~Model() = default;

void Model::set_graph(std::vector<SymbolicTensor> inputs, std::vector<SymbolicTensor> outputs) {
  if (inputs.empty()) throw ValueError(where() + "a model needs at least one input");
  if (outputs.empty()) throw ValueError(where() + "a model needs at least one output");
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (!inputs[i].valid() || !is_input_layer(inputs[i].layer()))
      throw ValueError(where() + "input " + std::to_string(i) +
                       " is not a model input: pass tensors created by strata::Input()");
  auto is_model_input = [&](const SymbolicTensor& t) {
    for (const auto& in : inputs)
      if (in == t) return true;
    return false;
  };

  // Depth-first from the outputs back to the inputs gives a topological order of the nodes.
  std::vector<std::shared_ptr<Node>> order;
  std::set<const Node*> done, active;
  std::function<void(const SymbolicTensor&, const std::string&)> visit = [&](const SymbolicTensor& t,
                                                                             const std::string& consumer) {
    if (!t.valid()) throw ValueError(where() + "an output is an empty SymbolicTensor");
    if (is_model_input(t)) return;
    const auto& node = t.node();
    if (is_input_layer(*node->layer))
      throw ValueError(where() + "graph disconnected: layer '" + consumer + "' depends on input '" +
                       node->layer->name() + "', which is not among the model's inputs");
    if (done.count(node.get())) return;
    if (active.count(node.get())) throw ValueError(where() + "the layer graph has a cycle");
    active.insert(node.get());
    for (const auto& in : node->inputs) visit(in, node->layer->name());
    active.erase(node.get());
    done.insert(node.get());
    order.push_back(node);
  };
  for (const auto& out : outputs) visit(out, out.valid() ? out.layer().name() : "?");

  inputs_ = std::move(inputs);
  outputs_ = std::move(outputs);
  nodes_ = std::move(order);
  if (engine_) engine_->invalidate();
  layers_.clear();
  std::set<const Layer*> seen;
  for (const auto& in : inputs_)
    if (seen.insert(&in.layer()).second) layers_.push_back(in.node()->layer);
  for (const auto& node : nodes_)
    if (seen.insert(node->layer.get()).second) layers_.push_back(node->layer);
  ensure_built({});
}

void Model::build(const std::vector<Shape>& input_shapes) {}

std::vector<std::shared_ptr<Layer>> Model::layers() const { return layers_; }

std::shared_ptr<Layer> Model::get_layer(const std::string& name) const {
  std::string names;
  for (const auto& l : layers()) {
    if (l->name() == name) return l;
    names += (names.empty() ? "" : ", ") + l->name();
  }
  throw ValueError(where() + "no layer named '" + name + "'; layers: " + names);
}

std::vector<Value> Model::call(const std::vector<Value>& inputs, CallContext& ctx) {
  if (inputs.size() != inputs_.size())
    throw ValueError(where() + "expects " + std::to_string(inputs_.size()) + " inputs, got " +
                     std::to_string(inputs.size()));
  std::map<std::pair<const Node*, int>, Value> values;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const Shape& expected = inputs_[i].shape();
    const Shape& got = inputs[i].shape();
    bool ok = expected.size() == got.size();
    for (std::size_t k = 0; ok && k < got.size(); ++k) ok = expected[k] < 0 || expected[k] == got[k];
    if (!ok)
      throw ShapeError("Input " + std::to_string(i) + " of layer '" + name() +
                       "' is incompatible with the layer: expected shape=" + shape_str(expected) +
                       ", found shape=" + shape_str(got));
    values[{inputs_[i].node().get(), inputs_[i].index()}] = inputs[i];
  }
  for (const auto& node : nodes_) {
    std::vector<Value> in;
    for (const auto& t : node->inputs) in.push_back(values.at({t.node().get(), t.index()}));
    std::vector<Value> out;
    {
      LayerScope scope(ctx.graph, node->layer->name());
      out = node->layer->call(in, ctx);
    }
    if (out.size() != node->output_shapes.size())
      throw ValueError(node->layer->where() + "returned " + std::to_string(out.size()) + " outputs, expected " +
                       std::to_string(node->output_shapes.size()));
    for (std::size_t i = 0; i < out.size(); ++i) values[{node.get(), static_cast<int>(i)}] = out[i];
  }
  std::vector<Value> result;
  for (const auto& t : outputs_) result.push_back(values.at({t.node().get(), t.index()}));
  return result;
}

nlohmann::json Model::get_config() const {
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : this->layers()) layers.push_back({{"class_name", l->class_name()}, {"config", l->get_config()}});
  return {{"name", name()}, {"trainable", trainable()}, {"layers", layers}};
}

void Model::set_trainable(bool trainable) {
  Layer::set_trainable(trainable);
  for (const auto& l : layers()) l->set_trainable(trainable);
}

void Model::ensure_graph(const std::vector<Tensor>& x) {}

TrainingEngine& Model::engine() {
  if (!engine_) engine_ = std::make_unique<TrainingEngine>(this);
  return *engine_;
}

void Model::compile(CompileOptions options) {
  optimizer_ = options.optimizer.get();
  engine().compile(std::move(options));
  compiled_ = true;
}

std::shared_ptr<History> Model::fit(const Tensor& x, const Tensor& y, FitOptions options) {
  return fit(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}
std::shared_ptr<History> Model::fit(const std::vector<Tensor>& x, const std::vector<Tensor>& y, FitOptions options) {
  ensure_graph(x);
  history = engine().fit(x, y, std::move(options));
  return history;
}

std::map<std::string, double> Model::evaluate(const Tensor& x, const Tensor& y, EvaluateOptions options) {
  return evaluate(std::vector<Tensor>{x}, std::vector<Tensor>{y}, std::move(options));
}
std::map<std::string, double> Model::evaluate(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                              EvaluateOptions options) {
  ensure_graph(x);
  return engine().evaluate(x, y, std::move(options));
}

Tensor Model::predict(const Tensor& x, PredictOptions options) {
  auto out = predict(std::vector<Tensor>{x}, options);
  if (out.size() != 1)
    throw ValueError(where() + "has " + std::to_string(out.size()) + " outputs; use the std::vector overload");
  return std::move(out[0]);
}
std::vector<Tensor> Model::predict(const std::vector<Tensor>& x, PredictOptions options) {
  ensure_graph(x);
  return engine().predict(x, options);
}

std::map<std::string, double> Model::train_on_batch(const Tensor& x, const Tensor& y) {
  return train_on_batch(std::vector<Tensor>{x}, std::vector<Tensor>{y});
}
std::map<std::string, double> Model::train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y) {
  ensure_graph(x);
  return engine().train_on_batch(x, y);
}
std::map<std::string, double> Model::test_on_batch(const Tensor& x, const Tensor& y) {
  return test_on_batch(std::vector<Tensor>{x}, std::vector<Tensor>{y});
}
std::map<std::string, double> Model::test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y) {
  ensure_graph(x);
  return engine().test_on_batch(x, y);
}
Tensor Model::predict_on_batch(const Tensor& x) {
  auto out = predict_on_batch(std::vector<Tensor>{x});
  if (out.size() != 1)
    throw ValueError(where() + "has " + std::to_string(out.size()) + " outputs; use the std::vector overload");
  return std::move(out[0]);
}
std::vector<Tensor> Model::predict_on_batch(const std::vector<Tensor>& x) {
  ensure_graph(x);
  return engine().predict_on_batch(x);
}

bool Model::is_sequential_like() const {
  // Keras's rule: one node per depth, each with one input, and no layer called twice in this graph
  std::map<const Node*, int> depth;
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it) depth.emplace(it->get(), 0);
  for (auto it = nodes_.rbegin(); it != nodes_.rend(); ++it)
    for (const auto& t : (*it)->inputs) {
      int& d = depth[t.node().get()];
      d = std::max(d, depth[it->get()] + 1);
    }
  std::map<int, int> per_depth;
  std::map<const Layer*, int> calls;
  for (const auto& [node, d] : depth) {
    if (++per_depth[d] > 1) return false;
    if (node->inputs.size() > 1) return false;
    if (++calls[node->layer.get()] > 1) return false;
  }
  return true;
}

std::string Model::summary_string(int line_length) const {
  SummaryTable table;
  table.model_name = name();
  table.sequential_like = class_name() == "Sequential" || is_sequential_like();
  std::map<const Layer*, const Node*> first_node;
  for (const auto& node : nodes_) first_node.emplace(node->layer.get(), node.get());
  for (const auto& layer : layers()) {
    SummaryRow row;
    row.name_and_type = layer->name() + " (" + layer->class_name() + ")";
    if (auto* input = dynamic_cast<const layers::InputLayer*>(layer.get())) {
      row.output_shape = shape_str(input->batch_shape());
    } else if (auto it = first_node.find(layer.get()); it != first_node.end()) {
      std::string shapes;
      for (const auto& s : it->second->output_shapes) shapes += (shapes.empty() ? "" : ", ") + shape_str(s);
      row.output_shape = it->second->output_shapes.size() == 1 ? shapes : "[" + shapes + "]";
      for (const auto& node : nodes_) {
        if (node->layer != layer) continue;
        for (const auto& t : node->inputs)
          row.connected_to.push_back(t.layer().name() + "[" + std::to_string(t.node()->index) + "][" +
                                     std::to_string(t.index()) + "]");
      }
    } else {
      row.output_shape = "?";
    }
    if (!table.sequential_like && row.connected_to.empty()) row.connected_to.push_back("-");
    row.params = layer->count_params();
    table.rows.push_back(std::move(row));
  }
  for (Variable* v : trainable_weights()) table.trainable_params += num_elements(v->shape());
  for (Variable* v : non_trainable_weights()) table.non_trainable_params += num_elements(v->shape());
  if (optimizer_ && engine_ && engine_->optimizer_built()) {
    std::int64_t n = 0;
    double bytes = 0;
    for (Variable* v : optimizer_->variables()) {
      n += num_elements(v->shape());
      bytes += static_cast<double>(v->nbytes());
    }
    table.optimizer_params = n;
    table.optimizer_bytes = bytes;
  }
  return format_summary(table, line_length);
}

void Model::summary(int line_length) const { std::cout << summary_string(line_length) << std::flush; }

}  // namespace strata
