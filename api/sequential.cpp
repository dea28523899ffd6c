#include <strata/api/sequential.hpp>

#include <strata/api/saving/keras1_dialect.hpp>

#include <set>

#include <strata/api/saving/config_reader.hpp>
#include <strata/api/saving/registry.hpp>
#include <strata/layers/core/input_layer.hpp>

namespace strata {

Sequential::Sequential(std::initializer_list<SequentialItem> layers, std::string name) {
  set_name(name.empty() ? unique_name("sequential") : std::move(name));
  for (const auto& item : layers) add(item);
}

void Sequential::add(SequentialItem item) {
  if (item.input()) {
    if (input_ || !layers_.empty())
      throw ValueError(where() + "an Input() can only be the first entry of a Sequential");
    input_ = item.input();
    return;
  }
  if (!item.layer()) throw ValueError(where() + "add() got no layer");
  if (dynamic_cast<layers::InputLayer*>(item.layer().get()))
    throw ValueError(where() + "add an Input() (a SymbolicTensor), not an InputLayer");
  for (const auto& l : layers_)
    if (l->name() == item.layer()->name())
      throw ValueError(where() + "all layers added to a Sequential must have unique names; '" +
                       item.layer()->name() + "' is already in it");
  layers_.push_back(item.layer());
  if (!input_ && layers_.size() == 1 && !layers_[0]->input_shape_hint().empty())
    input_ = Input(layers_[0]->input_shape_hint());
  rebuild();
}

void Sequential::pop() {
  if (layers_.empty()) throw ValueError(where() + "pop() on a Sequential with no layers");
  layers_.pop_back();
  rebuild();
}

void Sequential::rebuild() {
  if (!input_ || layers_.empty()) return;
  SymbolicTensor x = *input_;
  for (const auto& layer : layers_) x = (*layer)(x);
  set_graph({*input_}, {x});
}

void Sequential::build_for(const Shape& input_shape) {
  if (!input_) input_ = Input(input_shape);
  rebuild();
}

void Sequential::build(const std::vector<Shape>& input_shapes) {
  if (inputs().empty() && input_shapes.size() == 1 && !input_shapes[0].empty())
    build_for(Shape(input_shapes[0].begin() + 1, input_shapes[0].end()));
}

void Sequential::ensure_graph(const std::vector<Tensor>& x) {
  if (!inputs().empty()) return;
  if (layers_.empty()) throw ValueError(where() + "has no layers; add some before fit/predict");
  if (x.size() != 1 || x[0].ndim() < 1)
    throw ValueError(where() + "a Sequential takes one input array with a batch dimension");
  build_for(Shape(x[0].shape().begin() + 1, x[0].shape().end()));
}

nlohmann::json Sequential::get_config() const {
  nlohmann::json layers = nlohmann::json::array();
  nlohmann::json build_input_shape = nullptr;
  if (input_) {
    const auto& in = dynamic_cast<const layers::InputLayer&>(input_->layer());
    layers.push_back(serialize_layer(in));
    build_input_shape = in.get_config().at("batch_shape");
  }
  for (const auto& l : layers_) {
    nlohmann::json entry = serialize_layer(*l);
    if (!entry.contains("build_config")) {
      nlohmann::json build = build_config_of(*l);
      if (!build.is_null()) entry["build_config"] = build;
    }
    layers.push_back(std::move(entry));
  }
  nlohmann::json c = Layer::get_config();
  c.erase("trainable");
  c["trainable"] = trainable();
  c["layers"] = layers;
  if (!build_input_shape.is_null()) c["build_input_shape"] = build_input_shape;
  return c;
}

std::shared_ptr<Sequential> Sequential::from_config(const nlohmann::json& config) {
  // Keras < 2.2.3 wrote a Sequential's config as the bare list of its layers
  const bool bare = config.is_array();
  std::string name = !bare && config.is_object() && config.contains("name") && config.at("name").is_string()
                         ? config.at("name").get<std::string>()
                         : "";
  const std::string where = "Sequential" + (name.empty() ? std::string() : " '" + name + "'") + ": ";
  if (!bare && !(config.is_object() && config.contains("layers") && config.at("layers").is_array()))
    throw FileFormatError(where + "the config has no 'layers' list");
  const nlohmann::json& entries = bare ? config : config.at("layers");
  auto model = std::make_shared<Sequential>(std::initializer_list<SequentialItem>{}, name);
  std::set<std::string> names;
  for (const auto& saved : entries) {
    const nlohmann::json entry = saving::upgrade_keras1_layer(saved);
    if (entry.is_object() && entry.value("class_name", "") == "InputLayer") {
      if (model->input_ || !model->layers_.empty())
        throw FileFormatError(where + "an InputLayer can only be the first layer of a Sequential");
      auto il = layers::InputLayer::from_config(entry.contains("config") ? entry.at("config") : nlohmann::json::object());
      const Shape& bs = il->batch_shape();
      model->input_ = Input(Shape(bs.begin() + 1, bs.end()), {.batch_size = bs[0], .dtype = il->dtype(), .name = il->name()});
      continue;
    }
    auto layer = deserialize_layer(entry);
    if (!names.insert(layer->name()).second)
      throw FileFormatError(where + "two layers are named '" + layer->name() + "'");
    model->layers_.push_back(std::move(layer));
  }
  // as add() does, but the graph is built once rather than once per layer
  if (!model->input_ && !model->layers_.empty() && !model->layers_[0]->input_shape_hint().empty())
    model->input_ = Input(model->layers_[0]->input_shape_hint());
  model->rebuild();
  if (!model->input_ && !bare && config.contains("build_input_shape") && !config.at("build_input_shape").is_null()) {
    ConfigReader c(config, "Sequential");
    auto shape = c.get_int_list("build_input_shape");
    if (shape.empty()) throw FileFormatError(where + "build_input_shape is empty");
    model->build_for(Shape(shape.begin() + 1, shape.end()));
  }
  if (!bare && config.contains("trainable") && config.at("trainable").is_boolean() &&
      !config.at("trainable").get<bool>())
    model->set_trainable(false);
  return model;
}

}  // namespace strata
