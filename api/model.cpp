#include <strata/api/model.hpp>

#include <strata/api/saving/keras1_dialect.hpp>

#include <algorithm>
#include <functional>
#include <iostream>
#include <map>
#include <set>

#include <strata/api/saving/registry.hpp>
#include <strata/api/summary_table.hpp>
#include <strata/api/training/engine.hpp>
#include <strata/layers/core/input_layer.hpp>
#include <strata/layers/core/numpy_operation.hpp>

namespace strata {

namespace {
bool is_input_layer(const Layer& layer) { return dynamic_cast<const layers::InputLayer*>(&layer) != nullptr; }

/// Keras's functional model.layers order (map_graph in keras/src/ops/function.py): by depth, the layers
/// nearest the inputs first, ties in the order a depth-first walk from the outputs first reaches them. Saved
/// files list layers in this order and topological weight loading pairs layers by it.
std::vector<std::shared_ptr<Layer>> keras_layer_order(const std::vector<SymbolicTensor>& inputs,
                                                      const std::vector<SymbolicTensor>& outputs) {
  std::vector<const Node*> decreasing_depth;
  std::set<const Node*> finished;
  std::map<const Layer*, int> index;
  std::map<const Layer*, std::shared_ptr<Layer>> owner;
  std::function<void(const SymbolicTensor&)> walk = [&](const SymbolicTensor& t) {
    const Node* node = t.node().get();
    if (finished.count(node)) return;
    const Layer* layer = node->layer.get();
    if (!index.count(layer)) {
      index.emplace(layer, static_cast<int>(index.size()));
      owner.emplace(layer, node->layer);
    }
    for (const auto& in : node->inputs) walk(in);
    finished.insert(node);
    decreasing_depth.push_back(node);
  };
  for (const auto& out : outputs) walk(out);
  std::map<const Node*, int> node_depth;
  std::map<const Layer*, int> layer_depth;
  for (auto it = decreasing_depth.rbegin(); it != decreasing_depth.rend(); ++it) {
    const Node* node = *it;
    int depth = std::max(node_depth[node], layer_depth[node->layer.get()]);
    layer_depth[node->layer.get()] = depth;
    node_depth[node] = depth;
    for (const auto& in : node->inputs) {
      int& d = node_depth[in.node().get()];
      d = std::max(d, depth + 1);
    }
  }
  // inputs that no output depends on come first among the outputs' depth
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    if (!layer_depth.count(&in.layer())) {
      layer_depth[&in.layer()] = 0;
      index[&in.layer()] = static_cast<int>(i) - static_cast<int>(inputs.size());
      owner[&in.layer()] = in.node()->layer;
    }
  }
  std::vector<const Layer*> order;
  for (const auto& [layer, depth] : layer_depth) order.push_back(layer);
  std::sort(order.begin(), order.end(), [&](const Layer* a, const Layer* b) {
    if (layer_depth[a] != layer_depth[b]) return layer_depth[a] > layer_depth[b];
    return index[a] < index[b];
  });
  std::vector<std::shared_ptr<Layer>> out;
  for (const Layer* l : order) out.push_back(owner.at(l));
  return out;
}
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
      compile_options_(std::move(other.compile_options_)),
      optimizer_built_(other.optimizer_built_),
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
  compile_options_ = std::move(other.compile_options_);
  optimizer_built_ = other.optimizer_built_;
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
  // compile() on a Sequential without an Input saw no outputs yet: apply it now that they exist
  if (engine_ && compile_options_ && !engine_->has_losses()) engine_->compile(*compile_options_);
  layers_ = keras_layer_order(inputs_, outputs_);
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

void Model::check_input_shape(std::size_t i, const Shape& got, bool with_batch) const {
  const Shape& expected = inputs_.at(i).shape();
  bool ok = expected.size() == got.size();
  for (std::size_t k = with_batch ? 0 : 1; ok && k < got.size(); ++k) ok = expected[k] < 0 || expected[k] == got[k];
  if (!ok)
    throw ShapeError("Input " + std::to_string(i) + " of layer '" + name() +
                     "' is incompatible with the layer: expected shape=" + shape_str(expected) +
                     ", found shape=" + shape_str(got));
}

std::vector<Value> Model::call(const std::vector<Value>& inputs, CallContext& ctx) {
  if (inputs.size() != inputs_.size())
    throw ValueError(where() + "expects " + std::to_string(inputs_.size()) + " inputs, got " +
                     std::to_string(inputs.size()));
  std::map<std::pair<const Node*, int>, Value> values;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    check_input_shape(i, inputs[i].shape());
    values[{inputs_[i].node().get(), inputs_[i].index()}] = inputs[i];
  }
  for (const auto& node : nodes_) {
    std::vector<Value> in;
    for (const auto& t : node->inputs) in.push_back(values.at({t.node().get(), t.index()}));
    std::vector<Value> out;
    {
      LayerScope scope(ctx.graph, node->layer->name());
      out = node->layer->call(in, ctx);
      node->layer->add_activity_loss(out, ctx);
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

namespace {

nlohmann::json shape_json(const Shape& shape) {
  nlohmann::json out = nlohmann::json::array();
  for (auto d : shape) out.push_back(d < 0 ? nlohmann::json(nullptr) : nlohmann::json(d));
  return out;
}

/// One tensor reference of a saved graph: {layer name, node index, tensor index}.
struct TensorRef {
  std::string layer;
  int node = 0, tensor = 0;
};

std::string ref_str(const TensorRef& r) {
  return "['" + r.layer + "', " + std::to_string(r.node) + ", " + std::to_string(r.tensor) + "]";
}

bool is_ref_triple(const nlohmann::json& v) {
  return v.is_array() && (v.size() == 3 || v.size() == 4) && v[0].is_string() && v[1].is_number_integer() &&
         v[2].is_number_integer();
}

/// Collects the tensors of a Keras 3 call argument in order: __keras_tensor__ entries, through lists
/// and dicts.
void collect_keras_tensors(const nlohmann::json& v, std::vector<TensorRef>& out, const std::string& where) {
  if (v.is_array()) {
    for (const auto& e : v) collect_keras_tensors(e, out, where);
  } else if (v.is_object()) {
    if (v.value("class_name", "") == "__keras_tensor__") {
      const auto& h = v.contains("config") && v.at("config").is_object() && v.at("config").contains("keras_history")
                          ? v.at("config").at("keras_history")
                          : nlohmann::json();
      if (!is_ref_triple(h))
        throw FileFormatError(where + "a __keras_tensor__ without a valid keras_history [layer, node, tensor]");
      out.push_back({h[0].get<std::string>(), h[1].get<int>(), h[2].get<int>()});
      return;
    }
    for (const auto& [k, e] : v.items()) collect_keras_tensors(e, out, where);
  }
}

/// The input tensors of one saved node: Keras 3 {"args": [...], "kwargs": {...}} or Keras 2
/// [[layer, node, tensor, kwargs], ...].
std::vector<TensorRef> node_inputs(const nlohmann::json& node, const std::string& where) {
  std::vector<TensorRef> refs;
  if (node.is_object()) {
    if (node.contains("args")) collect_keras_tensors(node.at("args"), refs, where);
    if (node.contains("kwargs") && node.at("kwargs").is_object()) {
      const auto& kwargs = node.at("kwargs");
      std::vector<TensorRef> extra;
      collect_keras_tensors(kwargs, extra, where);
      if (!extra.empty())
        throw UnsupportedError(where + "a call with tensor keyword arguments (" + ref_str(extra[0]) +
                               ", e.g. a mask or initial_state) is not supported");
      if (kwargs.contains("training") && kwargs.at("training").is_boolean() && kwargs.at("training").get<bool>())
        throw UnsupportedError(where + "a call with training=True fixed in the graph is not supported");
    }
    return refs;
  }
  if (!node.is_array()) throw FileFormatError(where + "an inbound node must be an object or a list, got " + node.dump());
  for (const auto& r : node) {
    if (!is_ref_triple(r))
      throw FileFormatError(where + "an inbound tensor must be [layer, node_index, tensor_index, kwargs], got " +
                            r.dump().substr(0, 120));
    if (r.size() == 4 && r[3].is_object()) {
      for (const auto& [k, v] : r[3].items())
        if (is_ref_triple(v))
          throw UnsupportedError(where + "a call with tensor keyword argument '" + k + "' is not supported");
    }
    refs.push_back({r[0].get<std::string>(), r[1].get<int>(), r[2].get<int>()});
  }
  return refs;
}

/// input_layers/output_layers: a single triple, or (nested) lists/dicts of triples.
void collect_refs(const nlohmann::json& v, std::vector<TensorRef>& out, const std::string& where) {
  if (is_ref_triple(v)) {
    out.push_back({v[0].get<std::string>(), v[1].get<int>(), v[2].get<int>()});
  } else if (v.is_array()) {
    for (const auto& e : v) collect_refs(e, out, where);
  } else if (v.is_object()) {
    for (const auto& [k, e] : v.items()) collect_refs(e, out, where);
  } else {
    throw FileFormatError(where + "expected [layer_name, node_index, tensor_index] entries, got " + v.dump());
  }
}

}  // namespace

nlohmann::json Model::build_config_of(const Layer& layer) const {
  for (const auto& node : nodes_) {
    if (node->layer.get() != &layer) continue;
    if (node->inputs.size() == 1) return {{"input_shape", shape_json(node->inputs[0].shape())}};
    nlohmann::json shapes = nlohmann::json::array();
    for (const auto& t : node->inputs) shapes.push_back(shape_json(t.shape()));
    return {{"input_shape", shapes}};
  }
  return nullptr;
}

nlohmann::json Model::get_config() const {
  // Keras renumbers each layer's nodes to count only the calls inside this model
  std::map<const Layer*, std::vector<const Node*>> calls;
  for (const auto& in : inputs_) calls[&in.layer()].push_back(in.node().get());
  for (const auto& node : nodes_) calls[node->layer.get()].push_back(node.get());
  std::map<const Node*, int> node_index;
  for (auto& [layer, nodes] : calls) {
    std::sort(nodes.begin(), nodes.end(), [](const Node* a, const Node* b) { return a->index < b->index; });
    for (std::size_t i = 0; i < nodes.size(); ++i) node_index[nodes[i]] = static_cast<int>(i);
  }
  auto history = [&](const SymbolicTensor& t) {
    return nlohmann::json::array({t.layer().name(), node_index.at(t.node().get()), t.index()});
  };
  nlohmann::json layers = nlohmann::json::array();
  for (const auto& l : layers_) {
    nlohmann::json entry = serialize_layer(*l);
    const auto* operation = dynamic_cast<const layers::NumpyOperation*>(l.get());
    if (!is_input_layer(*l) && !operation && !entry.contains("build_config")) {
      nlohmann::json build = build_config_of(*l);
      if (!build.is_null()) entry["build_config"] = build;
    }
    entry["name"] = l->name();
    nlohmann::json inbound = nlohmann::json::array();
    if (!is_input_layer(*l)) {
      for (const Node* node : calls[l.get()]) {
        nlohmann::json tensors = nlohmann::json::array();
        for (const auto& t : node->inputs)
          tensors.push_back({{"class_name", "__keras_tensor__"},
                             {"config",
                              {{"shape", shape_json(t.shape())},
                               {"dtype", std::string(dtype_name(t.dtype()))},
                               {"keras_history", history(t)}}}});
        // one input is passed as itself, several as one list argument (Keras's args structure); an operation's
        // operands are positional
        nlohmann::json args = operation                  ? operation->node_args(tensors)
                              : node->inputs.size() == 1 ? tensors
                                                         : nlohmann::json::array({tensors});
        inbound.push_back({{"args", args}, {"kwargs", nlohmann::json::object()}});
      }
    }
    entry["inbound_nodes"] = inbound;
    layers.push_back(std::move(entry));
  }
  // a single input/output is written as a bare triple, several as a list of triples (Keras 3)
  auto refs = [&](const std::vector<SymbolicTensor>& ts) {
    if (ts.size() == 1) return history(ts[0]);
    nlohmann::json out = nlohmann::json::array();
    for (const auto& t : ts) out.push_back(history(t));
    return out;
  };
  return {{"name", name()},
          {"trainable", trainable()},
          {"layers", layers},
          {"input_layers", refs(inputs_)},
          {"output_layers", refs(outputs_)}};
}

std::shared_ptr<Model> Model::from_config(const nlohmann::json& config) {
  std::string model_name = config.is_object() && config.contains("name") && config.at("name").is_string()
                               ? config.at("name").get<std::string>()
                               : "";
  const std::string where = "Functional" + (model_name.empty() ? std::string() : " '" + model_name + "'") + ": ";
  if (!config.is_object() || !config.contains("layers") || !config.at("layers").is_array())
    throw FileFormatError(where + "the config has no 'layers' list");

  struct Created {
    std::shared_ptr<Layer> layer;
    std::vector<std::vector<SymbolicTensor>> outputs;  // per node, in the order the nodes were made
    std::vector<nlohmann::json> pending;
    std::size_t next = 0;
  };
  std::map<std::string, Created> created;
  std::vector<std::string> order;
  for (const auto& saved : config.at("layers")) {
    const nlohmann::json entry = saving::upgrade_keras1_layer(saved);
    if (!entry.is_object() || !entry.contains("class_name") || !entry.at("class_name").is_string())
      throw FileFormatError(where + "a layer entry has no class_name: " + entry.dump().substr(0, 120));
    const nlohmann::json& cfg = entry.contains("config") ? entry.at("config") : nlohmann::json::object();
    std::string name = entry.contains("name") && entry.at("name").is_string() ? entry.at("name").get<std::string>()
                       : cfg.is_object() && cfg.contains("name") && cfg.at("name").is_string()
                           ? cfg.at("name").get<std::string>()
                           : "";
    if (name.empty()) throw FileFormatError(where + "a layer entry has no name: " + entry.dump().substr(0, 120));
    if (created.count(name)) throw FileFormatError(where + "two layers are named '" + name + "'");
    Created c;
    if (entry.at("class_name") == "InputLayer") {
      auto il = layers::InputLayer::from_config(cfg);
      const Shape& bs = il->batch_shape();
      SymbolicTensor t = Input(Shape(bs.begin() + 1, bs.end()), {.batch_size = bs[0], .dtype = il->dtype(), .name = name});
      c.layer = t.node()->layer;
      c.outputs.push_back({t});
    } else {
      c.layer = deserialize_layer(entry);
      if (entry.contains("inbound_nodes")) {
        const auto& nodes = entry.at("inbound_nodes");
        if (!nodes.is_array()) throw FileFormatError(where + "layer '" + name + "': inbound_nodes must be a list");
        c.pending.assign(nodes.begin(), nodes.end());
      }
    }
    created.emplace(name, std::move(c));
    order.push_back(name);
  }

  // Keras 2 (list-form nodes) counts a nested model's own input-to-output node as its call 0, so calls
  // of nested models in the graph are numbered from 1
  bool keras2_nodes = false;
  for (const auto& [name, c] : created)
    for (const auto& node : c.pending) keras2_nodes = keras2_nodes || node.is_array();
  auto lookup = [&](const TensorRef& r, const std::string& context) -> const SymbolicTensor* {
    auto it = created.find(r.layer);
    if (it == created.end())
      throw FileFormatError(where + context + "refers to " + ref_str(r) + ", but the model has no layer '" +
                            r.layer + "'");
    const int node = keras2_nodes && dynamic_cast<const Model*>(it->second.layer.get()) ? r.node - 1 : r.node;
    if (node < 0 || static_cast<std::size_t>(node) >= it->second.outputs.size()) return nullptr;
    const auto& outs = it->second.outputs[node];
    if (r.tensor < 0 || static_cast<std::size_t>(r.tensor) >= outs.size())
      throw FileFormatError(where + context + "refers to " + ref_str(r) + ", but that call of '" + r.layer +
                            "' has " + std::to_string(outs.size()) + " output(s)");
    return &outs[r.tensor];
  };

  // As Keras: each layer's calls are made in their saved order, and a call waits until its inputs exist.
  for (bool progress = true; progress;) {
    progress = false;
    for (const auto& name : order) {
      Created& c = created.at(name);
      while (c.next < c.pending.size()) {
        const std::string context = "layer '" + name + "' call " + std::to_string(c.next) + " ";
        auto refs = node_inputs(c.pending[c.next], where + context + ": ");
        if (refs.empty()) throw FileFormatError(where + context + "has no input tensors");
        std::vector<SymbolicTensor> inputs;
        for (const auto& r : refs) {
          const SymbolicTensor* t = lookup(r, context);
          if (!t) break;
          inputs.push_back(*t);
        }
        if (inputs.size() != refs.size()) break;
        c.outputs.push_back((*c.layer)(inputs));
        ++c.next;
        progress = true;
      }
    }
  }
  for (const auto& name : order) {
    const Created& c = created.at(name);
    if (c.next < c.pending.size()) {
      auto refs = node_inputs(c.pending[c.next], where);
      std::string missing;
      for (const auto& r : refs)
        if (!lookup(r, "layer '" + name + "' ")) missing = ref_str(r);
      throw FileFormatError(where + "layer '" + name + "' call " + std::to_string(c.next) + " needs " + missing +
                            ", which no call in the saved graph produces");
    }
  }

  auto tensors_of = [&](const char* key) {
    if (!config.contains(key)) throw FileFormatError(where + "the config has no '" + std::string(key) + "'");
    std::vector<TensorRef> refs;
    collect_refs(config.at(key), refs, where + key + ": ");
    std::vector<SymbolicTensor> out;
    for (const auto& r : refs) {
      const SymbolicTensor* t = lookup(r, std::string(key) + " ");
      if (!t) throw FileFormatError(where + key + " refers to " + ref_str(r) + ", a call that does not exist");
      out.push_back(*t);
    }
    return out;
  };
  auto model = std::make_shared<Model>(tensors_of("input_layers"), tensors_of("output_layers"), model_name);
  if (config.contains("trainable") && config.at("trainable").is_boolean() && !config.at("trainable").get<bool>())
    model->set_trainable(false);
  return model;
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
  // kept for save(): Keras's training_config is the compile arguments
  compile_options_ = options;
  optimizer_built_ = false;
  engine().compile(std::move(options));
  compiled_ = true;
}

void Model::build_optimizer() {
  if (!compiled_ || !optimizer_)
    throw ValueError(where() + "build_optimizer: the model must be compiled first");
  optimizer_->build(trainable_weights());
  optimizer_built_ = true;
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

namespace {
/// The first element's x for building a Sequential without an Input (Keras builds from the first batch too).
std::vector<Tensor> first_x(const datasets::Dataset& data, const std::string& where) {
  auto first = data.iterator().next();
  if (!first || first->empty())
    throw ValueError(where + "cannot be built from an empty Dataset; give it an Input");
  return {std::move((*first)[0])};
}
}  // namespace

std::shared_ptr<History> Model::fit(const datasets::Dataset& data, FitOptions options) {
  if (inputs().empty()) ensure_graph(first_x(data, where()));
  history = engine().fit(data, std::move(options));
  return history;
}
std::map<std::string, double> Model::evaluate(const datasets::Dataset& data, EvaluateOptions options) {
  if (inputs().empty()) ensure_graph(first_x(data, where()));
  return engine().evaluate(data, std::move(options));
}
std::vector<Tensor> Model::predict(const datasets::Dataset& data, PredictOptions options) {
  if (inputs().empty()) ensure_graph(first_x(data, where()));
  return engine().predict(data, options);
}

std::map<std::string, double> Model::train_on_batch(const Tensor& x, const Tensor& y,
                                                    const std::optional<Tensor>& sample_weight) {
  return train_on_batch(std::vector<Tensor>{x}, std::vector<Tensor>{y}, sample_weight);
}
std::map<std::string, double> Model::train_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                                    const std::optional<Tensor>& sample_weight) {
  ensure_graph(x);
  return engine().train_on_batch(x, y, sample_weight);
}
std::map<std::string, double> Model::test_on_batch(const Tensor& x, const Tensor& y,
                                                   const std::optional<Tensor>& sample_weight) {
  return test_on_batch(std::vector<Tensor>{x}, std::vector<Tensor>{y}, sample_weight);
}
std::map<std::string, double> Model::test_on_batch(const std::vector<Tensor>& x, const std::vector<Tensor>& y,
                                                   const std::optional<Tensor>& sample_weight) {
  ensure_graph(x);
  return engine().test_on_batch(x, y, sample_weight);
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
  if (optimizer_ && (optimizer_built_ || (engine_ && engine_->optimizer_built()))) {
    std::int64_t n = 0;
    double bytes = 0;
    const auto vars = optimizer_->variables();
    for (Variable* v : vars) {
      n += num_elements(v->shape());
      // Keras's JAX backend, the reference for the printed table, keeps the iteration counter as int32
      bytes += v == vars.front() ? 4.0 : static_cast<double>(v->nbytes());
    }
    table.optimizer_params = n;
    table.optimizer_bytes = bytes;
  }
  return format_summary(table, line_length);
}

void Model::summary(int line_length) const { std::cout << summary_string(line_length) << std::flush; }

}  // namespace strata
