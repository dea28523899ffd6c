#include <strata/api/sequential.hpp>

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
  if (input_) {
    const auto& in = dynamic_cast<const layers::InputLayer&>(input_->layer());
    layers.push_back({{"class_name", "InputLayer"}, {"config", in.get_config()}});
  }
  for (const auto& l : layers_) layers.push_back({{"class_name", l->class_name()}, {"config", l->get_config()}});
  return {{"name", name()}, {"trainable", trainable()}, {"layers", layers}};
}

}  // namespace strata
