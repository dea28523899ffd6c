#include <strata/api/saving/registry.hpp>

#include <strata/api/saving/keras1_dialect.hpp>

#include <map>
#include <mutex>
#include <set>

#include <strata/api/model.hpp>
#include <strata/api/sequential.hpp>
#include <strata/applications/inception_resnet_v2.hpp>
#include <strata/layers/core/input_layer.hpp>
#include <strata/layers/layers.hpp>

namespace strata {

namespace {

struct Entry {
  LayerFactory factory;
  bool builtin = false;
  std::string registered_name;  // "Custom>Scale" for custom layers
};

struct Registry {
  std::mutex mutex;
  std::map<std::string, Entry> by_class;
  std::map<std::string, std::string> by_registered_name;  // "Custom>Scale" -> "Scale"
};

template <class T>
void add_builtin(Registry& r, const std::string& class_name) {
  r.by_class[class_name] = Entry{[](const nlohmann::json& c) -> std::shared_ptr<Layer> { return T::from_config(c); },
                                 true, ""};
}

/// The built-ins are listed here rather than registered from each layer's file by static initializers:
/// a static library drops object files nothing references, and their registrations with them.
Registry& registry() {
  static Registry r;
  static const bool filled = [] {
    Registry& reg = r;
    using namespace layers;
    add_builtin<InputLayer>(reg, "InputLayer");
    add_builtin<Dense>(reg, "Dense");
    add_builtin<Dropout>(reg, "Dropout");
    add_builtin<Activation>(reg, "Activation");
    add_builtin<Conv2D>(reg, "Conv2D");
    add_builtin<BatchNormalization>(reg, "BatchNormalization");
    add_builtin<Flatten>(reg, "Flatten");
    add_builtin<Reshape>(reg, "Reshape");
    // pooling, reshaping and merging (issue 4)
    add_builtin<MaxPooling1D>(reg, "MaxPooling1D");
    add_builtin<MaxPooling2D>(reg, "MaxPooling2D");
    add_builtin<MaxPooling3D>(reg, "MaxPooling3D");
    add_builtin<AveragePooling1D>(reg, "AveragePooling1D");
    add_builtin<AveragePooling2D>(reg, "AveragePooling2D");
    add_builtin<AveragePooling3D>(reg, "AveragePooling3D");
    add_builtin<GlobalMaxPooling1D>(reg, "GlobalMaxPooling1D");
    add_builtin<GlobalMaxPooling2D>(reg, "GlobalMaxPooling2D");
    add_builtin<GlobalMaxPooling3D>(reg, "GlobalMaxPooling3D");
    add_builtin<GlobalAveragePooling1D>(reg, "GlobalAveragePooling1D");
    add_builtin<GlobalAveragePooling2D>(reg, "GlobalAveragePooling2D");
    add_builtin<GlobalAveragePooling3D>(reg, "GlobalAveragePooling3D");
    add_builtin<Permute>(reg, "Permute");
    add_builtin<RepeatVector>(reg, "RepeatVector");
    add_builtin<Cropping1D>(reg, "Cropping1D");
    add_builtin<Cropping2D>(reg, "Cropping2D");
    add_builtin<Cropping3D>(reg, "Cropping3D");
    add_builtin<UpSampling1D>(reg, "UpSampling1D");
    add_builtin<UpSampling2D>(reg, "UpSampling2D");
    add_builtin<UpSampling3D>(reg, "UpSampling3D");
    add_builtin<ZeroPadding1D>(reg, "ZeroPadding1D");
    add_builtin<ZeroPadding2D>(reg, "ZeroPadding2D");
    add_builtin<ZeroPadding3D>(reg, "ZeroPadding3D");
    add_builtin<Add>(reg, "Add");
    add_builtin<Subtract>(reg, "Subtract");
    add_builtin<Multiply>(reg, "Multiply");
    add_builtin<Average>(reg, "Average");
    add_builtin<Maximum>(reg, "Maximum");
    add_builtin<Minimum>(reg, "Minimum");
    add_builtin<Concatenate>(reg, "Concatenate");
    add_builtin<Dot>(reg, "Dot");
    // Keras's aliases of the pooling layers (MaxPool2D, GlobalAvgPool1D, ...)
    add_builtin<MaxPooling1D>(reg, "MaxPool1D");
    add_builtin<MaxPooling2D>(reg, "MaxPool2D");
    add_builtin<MaxPooling3D>(reg, "MaxPool3D");
    add_builtin<AveragePooling1D>(reg, "AvgPool1D");
    add_builtin<AveragePooling2D>(reg, "AvgPool2D");
    add_builtin<AveragePooling3D>(reg, "AvgPool3D");
    add_builtin<GlobalMaxPooling1D>(reg, "GlobalMaxPool1D");
    add_builtin<GlobalMaxPooling2D>(reg, "GlobalMaxPool2D");
    add_builtin<GlobalMaxPooling3D>(reg, "GlobalMaxPool3D");
    add_builtin<GlobalAveragePooling1D>(reg, "GlobalAvgPool1D");
    add_builtin<GlobalAveragePooling2D>(reg, "GlobalAvgPool2D");
    add_builtin<GlobalAveragePooling3D>(reg, "GlobalAvgPool3D");
    add_builtin<Sequential>(reg, "Sequential");
    add_builtin<Model>(reg, "Functional");
    // Keras 2.0 - 2.5 and early tf.keras called functional models "Model"
    add_builtin<Model>(reg, "Model");
    // Keras 2.2's standalone names for the same layers
    add_builtin<Conv2D>(reg, "Convolution2D");
    // the convolution family (issue 4) and Keras's aliases for it
    add_builtin<Conv1D>(reg, "Conv1D");
    add_builtin<Conv3D>(reg, "Conv3D");
    add_builtin<Conv1DTranspose>(reg, "Conv1DTranspose");
    add_builtin<Conv2DTranspose>(reg, "Conv2DTranspose");
    add_builtin<Conv3DTranspose>(reg, "Conv3DTranspose");
    add_builtin<DepthwiseConv1D>(reg, "DepthwiseConv1D");
    add_builtin<DepthwiseConv2D>(reg, "DepthwiseConv2D");
    add_builtin<SeparableConv1D>(reg, "SeparableConv1D");
    add_builtin<SeparableConv2D>(reg, "SeparableConv2D");
    add_builtin<Conv1D>(reg, "Convolution1D");
    add_builtin<Conv3D>(reg, "Convolution3D");
    add_builtin<Conv1DTranspose>(reg, "Convolution1DTranspose");
    add_builtin<Conv2DTranspose>(reg, "Convolution2DTranspose");
    add_builtin<Conv3DTranspose>(reg, "Convolution3DTranspose");
    add_builtin<SeparableConv1D>(reg, "SeparableConvolution1D");
    add_builtin<SeparableConv2D>(reg, "SeparableConvolution2D");
    // normalization, regularization and activation layers (issue 4)
    add_builtin<LayerNormalization>(reg, "LayerNormalization");
    add_builtin<GroupNormalization>(reg, "GroupNormalization");
    add_builtin<UnitNormalization>(reg, "UnitNormalization");
    add_builtin<SpatialDropout1D>(reg, "SpatialDropout1D");
    add_builtin<SpatialDropout2D>(reg, "SpatialDropout2D");
    add_builtin<SpatialDropout3D>(reg, "SpatialDropout3D");
    add_builtin<GaussianNoise>(reg, "GaussianNoise");
    add_builtin<GaussianDropout>(reg, "GaussianDropout");
    add_builtin<AlphaDropout>(reg, "AlphaDropout");
    add_builtin<ActivityRegularization>(reg, "ActivityRegularization");
    add_builtin<ReLU>(reg, "ReLU");
    add_builtin<LeakyReLU>(reg, "LeakyReLU");
    add_builtin<PReLU>(reg, "PReLU");
    add_builtin<ELU>(reg, "ELU");
    add_builtin<Softmax>(reg, "Softmax");
    add_builtin<Identity>(reg, "Identity");
    // image preprocessing layers (issue 6)
    add_builtin<Resizing>(reg, "Resizing");
    add_builtin<CenterCrop>(reg, "CenterCrop");
    add_builtin<RandomFlip>(reg, "RandomFlip");
    add_builtin<RandomRotation>(reg, "RandomRotation");
    add_builtin<RandomZoom>(reg, "RandomZoom");
    add_builtin<RandomTranslation>(reg, "RandomTranslation");
    add_builtin<RandomCrop>(reg, "RandomCrop");
    add_builtin<RandomContrast>(reg, "RandomContrast");
    add_builtin<RandomBrightness>(reg, "RandomBrightness");
    // preprocessing layers the applications need, and ConvNeXt's own layers (issue 8)
    add_builtin<Rescaling>(reg, "Rescaling");
    add_builtin<Normalization>(reg, "Normalization");
    add_builtin<LayerScale>(reg, "LayerScale");
    add_builtin<StochasticDepth>(reg, "StochasticDepth");
    // applications: the layers keras.applications models hold besides keras.layers
    add_builtin<applications::inception_resnet_v2::CustomScaleLayer>(reg, "CustomScaleLayer");
    return true;
  }();
  (void)filled;
  return r;
}

std::string names_list(const Registry& r) {
  std::string s;
  for (const auto& [name, e] : r.by_class) s += (s.empty() ? "" : ", ") + name;
  return s;
}

}  // namespace

void register_layer(const std::string& class_name, LayerFactory factory, RegisterLayerOptions options) {
  if (class_name.empty()) throw ValueError("register_layer: the class name is empty");
  if (!factory) throw ValueError("register_layer('" + class_name + "'): no factory given");
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::string registered = options.package.empty() ? class_name : options.package + ">" + class_name;
  r.by_class[class_name] = Entry{std::move(factory), false, registered};
  r.by_registered_name[registered] = class_name;
}

std::vector<std::string> registered_layers() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> out;
  for (const auto& [name, e] : r.by_class) out.push_back(name);
  return out;
}

bool is_registered_layer(const std::string& class_name) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  return r.by_class.count(class_name) > 0;
}

std::shared_ptr<Layer> deserialize_layer(const nlohmann::json& saved) {
  const nlohmann::json entry = saving::upgrade_keras1_layer(saved);
  if (!entry.is_object() || !entry.contains("class_name") || !entry.at("class_name").is_string())
    throw FileFormatError("a layer entry must be an object with a string \"class_name\", got " +
                          entry.dump().substr(0, 120));
  // a keras.ops call (x + 3.0) shares class names with layers (Add, Multiply) but is not one
  if (layers::NumpyOperation::is_operation(entry)) return layers::NumpyOperation::from_saved(entry);
  const std::string class_name = entry.at("class_name").get<std::string>();
  static const nlohmann::json empty = nlohmann::json::object();
  const nlohmann::json& config = entry.contains("config") ? entry.at("config") : empty;
  LayerFactory factory;
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.by_class.end();
    if (entry.contains("registered_name") && entry.at("registered_name").is_string()) {
      auto reg = r.by_registered_name.find(entry.at("registered_name").get<std::string>());
      if (reg != r.by_registered_name.end()) it = r.by_class.find(reg->second);
    }
    // legacy configs name a registered custom class by its registered name ("Custom>Scale")
    if (it == r.by_class.end()) {
      auto reg = r.by_registered_name.find(class_name);
      if (reg != r.by_registered_name.end()) it = r.by_class.find(reg->second);
    }
    if (it == r.by_class.end()) it = r.by_class.find(class_name);
    if (it != r.by_class.end()) factory = it->second.factory;
  }
  std::string layer_name = config.is_object() && config.contains("name") && config.at("name").is_string()
                               ? " '" + config.at("name").get<std::string>() + "'"
                               : "";
  if (!factory && class_name == "Lambda")
    throw UnsupportedError(
        "Lambda layer" + layer_name +
        ": its function is Python code (marshalled bytecode or a serialized lambda), which cannot be loaded "
        "or run in C++. Replace the Lambda with built-in layers, or write the function as a strata custom "
        "layer and register it under the class name 'Lambda' with strata::register_layer");
  if (!factory)
    throw UnsupportedError("Unknown layer class '" + class_name + "'" + layer_name +
                           ". Supported classes: " + names_list(registry()) +
                           ". For a custom layer, give it a static from_config(const nlohmann::json&) and register "
                           "it before loading: strata::register_layer<MyLayer>(\"" + class_name + "\")");
  auto layer = factory(config);
  if (!layer) throw ValueError("the factory registered for '" + class_name + "' returned no layer");
  return layer;
}

nlohmann::json serialize_layer(const Layer& layer) {
  nlohmann::json out;
  std::string class_name = layer.class_name();
  bool builtin = false;
  std::string registered;
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    auto it = r.by_class.find(class_name);
    if (it != r.by_class.end()) {
      builtin = it->second.builtin;
      registered = it->second.registered_name;
    }
  }
  if (dynamic_cast<const layers::NumpyOperation*>(&layer)) {
    out["module"] = "keras.src.ops.numpy";
    out["class_name"] = class_name;
    out["config"] = layer.get_config();
    out["registered_name"] = class_name;
  } else if (class_name == "Model") {
    out["module"] = "keras.src.models.functional";
    out["class_name"] = "Functional";
    out["config"] = layer.get_config();
    out["registered_name"] = "Functional";
  } else if (class_name == "Sequential") {
    out["module"] = "keras";
    out["class_name"] = "Sequential";
    out["config"] = layer.get_config();
    out["registered_name"] = nullptr;
  } else if (builtin) {
    out["module"] = "keras.layers";
    out["class_name"] = class_name;
    out["config"] = layer.get_config();
    out["registered_name"] = nullptr;
  } else {
    // Keras imports a custom class by registered_name ("Custom>Scale") or custom_objects; no module to import
    out["module"] = nullptr;
    out["class_name"] = class_name;
    out["config"] = layer.get_config();
    out["registered_name"] = registered.empty() ? "Custom>" + class_name : registered;
  }
  if (auto* model = dynamic_cast<const Model*>(&layer)) {
    auto* seq = dynamic_cast<const Sequential*>(model);
    nlohmann::json shape = nullptr;
    if (seq && !model->inputs().empty()) {
      shape = nlohmann::json::array();
      for (auto d : model->inputs()[0].shape()) shape.push_back(d < 0 ? nlohmann::json(nullptr) : nlohmann::json(d));
    }
    if (!seq || !shape.is_null()) out["build_config"] = {{"input_shape", shape}};
    out["compile_config"] = nlohmann::json::object();
  }
  return out;
}

}  // namespace strata
