// keras.applications in strata against the real Keras (make_keras_apps.py): for each case strata builds its own
// model, checks Keras's parameter count, model name and layer list, loads Keras's weights file, and reproduces
// Keras's preprocess_input and outputs within 1e-4 relative. STRATA_APPLICATIONS_DIR names the generator's folder,
// STRATA_APPLICATIONS_CASE one case in it (run.sh runs each case in its own process, as Keras builds each in a fresh
// session: unnamed layers are numbered per process).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include <strata/strata.hpp>

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace strata;
using namespace strata::applications;

json read_json(const fs::path& p) {
  std::ifstream in(p);
  REQUIRE_MESSAGE(in, "cannot open " << p);
  return json::parse(in);
}

Tensor read_bin(const fs::path& p, const Shape& shape) {
  Tensor t(shape);
  std::ifstream in(p, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open " << p);
  in.read(static_cast<char*>(t.raw()), static_cast<std::streamsize>(t.nbytes()));
  REQUIRE_MESSAGE(in.gcount() == static_cast<std::streamsize>(t.nbytes()), p << " is short");
  return t;
}

/// max |a - b| / max |b|: the error relative to the reference's scale.
double relative_error(const Tensor& a, const Tensor& b) {
  REQUIRE(a.shape() == b.shape());
  double err = 0, scale = 0;
  for (std::int64_t i = 0; i < a.size(); ++i) {
    err = std::max(err, std::abs(double(a.data<float>()[i]) - double(b.data<float>()[i])));
    scale = std::max(scale, std::abs(double(b.data<float>()[i])));
  }
  return err / std::max(scale, 1e-30);
}

using Builder = std::function<std::shared_ptr<Model>(ApplicationOptions, const json&)>;

std::map<std::string, Builder> builders() {
  auto plain = [](std::shared_ptr<Model> (*f)(ApplicationOptions)) {
    return Builder([f](ApplicationOptions o, const json&) { return f(std::move(o)); });
  };
  std::map<std::string, Builder> b{
      {"VGG16", plain(VGG16)},
      {"VGG19", plain(VGG19)},
      {"ResNet50", plain(ResNet50)},
      {"ResNet101", plain(ResNet101)},
      {"ResNet152", plain(ResNet152)},
      {"ResNet50V2", plain(ResNet50V2)},
      {"ResNet101V2", plain(ResNet101V2)},
      {"ResNet152V2", plain(ResNet152V2)},
      {"DenseNet121", plain(DenseNet121)},
      {"DenseNet169", plain(DenseNet169)},
      {"DenseNet201", plain(DenseNet201)},
      {"MobileNetV2", [](ApplicationOptions o, const json& a) {
         return MobileNetV2(std::move(o), {.alpha = a.value("alpha", 1.0)});
       }},
      {"MobileNet", [](ApplicationOptions o, const json& a) {
         return MobileNet(std::move(o), {.alpha = a.value("alpha", 1.0),
                                         .depth_multiplier = a.value("depth_multiplier", std::int64_t{1})});
       }},
      {"InceptionV3", plain(InceptionV3)},
      {"InceptionResNetV2", plain(InceptionResNetV2)},
      {"Xception", plain(Xception)},
      // apps2: EfficientNet, EfficientNetV2, MobileNetV3, ConvNeXt
      {"EfficientNetB0", plain(EfficientNetB0)},
      {"EfficientNetB1", plain(EfficientNetB1)},
      {"EfficientNetB2", plain(EfficientNetB2)},
      {"EfficientNetB3", plain(EfficientNetB3)},
      {"EfficientNetB4", plain(EfficientNetB4)},
      {"EfficientNetB5", plain(EfficientNetB5)},
      {"EfficientNetB6", plain(EfficientNetB6)},
      {"EfficientNetB7", plain(EfficientNetB7)},
      {"EfficientNetV2B0", [](ApplicationOptions o, const json&) { return EfficientNetV2B0(std::move(o)); }},
      {"EfficientNetV2B1", [](ApplicationOptions o, const json&) { return EfficientNetV2B1(std::move(o)); }},
      {"EfficientNetV2B2", [](ApplicationOptions o, const json&) { return EfficientNetV2B2(std::move(o)); }},
      {"EfficientNetV2B3", [](ApplicationOptions o, const json&) { return EfficientNetV2B3(std::move(o)); }},
      {"EfficientNetV2S", [](ApplicationOptions o, const json&) { return EfficientNetV2S(std::move(o)); }},
      {"EfficientNetV2M", [](ApplicationOptions o, const json&) { return EfficientNetV2M(std::move(o)); }},
      {"EfficientNetV2L", [](ApplicationOptions o, const json&) { return EfficientNetV2L(std::move(o)); }},
      {"MobileNetV3Small", [](ApplicationOptions o, const json& a) {
         return MobileNetV3Small(std::move(o), {.alpha = a.value("alpha", 1.0),
                                                .minimalistic = a.value("minimalistic", false)});
       }},
      {"MobileNetV3Large", [](ApplicationOptions o, const json& a) {
         return MobileNetV3Large(std::move(o), {.alpha = a.value("alpha", 1.0),
                                                .minimalistic = a.value("minimalistic", false)});
       }},
      {"ConvNeXtTiny", [](ApplicationOptions o, const json&) { return ConvNeXtTiny(std::move(o)); }},
      {"ConvNeXtSmall", [](ApplicationOptions o, const json&) { return ConvNeXtSmall(std::move(o)); }},
      {"ConvNeXtBase", [](ApplicationOptions o, const json&) { return ConvNeXtBase(std::move(o)); }},
  };
  return b;
}

using Preprocess = Tensor (*)(const Tensor&, const std::string&);
std::map<std::string, Preprocess> preprocessors() {
  return {{"vgg16", vgg16::preprocess_input},       {"vgg19", vgg19::preprocess_input},
          {"resnet", resnet::preprocess_input},     {"resnet_v2", resnet_v2::preprocess_input},
          {"densenet", densenet::preprocess_input}, {"mobilenet_v2", mobilenet_v2::preprocess_input},
          {"mobilenet", mobilenet::preprocess_input},       {"inception_v3", inception_v3::preprocess_input},
          {"inception_resnet_v2", inception_resnet_v2::preprocess_input},
          {"xception", xception::preprocess_input},
          // apps2: identity functions in Keras 3 (the models preprocess inside)
          {"efficientnet", efficientnet::preprocess_input}, {"efficientnet_v2", efficientnet_v2::preprocess_input},
          {"mobilenet_v3", mobilenet_v3::preprocess_input}, {"convnext", convnext::preprocess_input}};
}

void check_case(const fs::path& dir) {
  json info = read_json(dir / "case.json");
  const std::string application = info.at("application");
  INFO("case " << info.at("case").get<std::string>() << " (" << application << ")");
  auto all = builders();
  auto builder = all.find(application);
  if (builder == all.end()) {
    MESSAGE("skipped: strata has no " << application << " yet");
    return;
  }
  const json& args = info.at("args");
  ApplicationOptions options;
  options.include_top = args.value("include_top", true);
  options.input_shape = args.at("input_shape").get<Shape>();
  options.pooling = args.value("pooling", std::string());
  if (args.contains("pooling") && args.at("pooling").is_null()) options.pooling = "";
  options.classes = args.value("classes", 1000);
  options.classifier_activation = args.value("classifier_activation", std::string("softmax"));
  options.weights = (dir / info.at("weights_file").get<std::string>()).string();

  auto model = builder->second(options, args);
  CHECK(model->name() == info.at("model_name").get<std::string>());
  CHECK(model->count_params() == info.at("params").get<std::int64_t>());
  auto layers = model->layers();
  const json& keras_layers = info.at("layers");
  // Keras's keras.ops calls (x + 3.0 in MobileNetV3's hard_sigmoid, ConvNeXt's residual +) are in the summary but
  // not in model.layers
  std::set<std::string> keras_names;
  for (const auto& l : keras_layers) keras_names.insert(l[0].get<std::string>());
  std::erase_if(layers, [&](const std::shared_ptr<Layer>& l) {
    return dynamic_cast<const strata::layers::NumpyOperation*>(l.get()) && !keras_names.count(l->name());
  });
  CHECK(layers.size() == keras_layers.size());
  for (std::size_t i = 0; i < std::min(layers.size(), keras_layers.size()); ++i) {
    INFO("layer " << i);
    CHECK(layers[i]->name() == keras_layers[i][0].get<std::string>());
    CHECK(layers[i]->class_name() == keras_layers[i][1].get<std::string>());
  }

  Shape image_shape = info.at("images_shape").get<Shape>();
  Tensor images = read_bin(dir / "images.bin", image_shape);
  Tensor keras_pre = read_bin(dir / "preprocessed.bin", image_shape);
  auto pre = preprocessors();
  REQUIRE(pre.count(info.at("module")));
  Tensor strata_pre = pre.at(info.at("module"))(images, "");
  CHECK(relative_error(strata_pre, keras_pre) <= 1e-6);

  Tensor expected = read_bin(dir / "outputs.bin", info.at("outputs_shape").get<Shape>());
  Tensor got = model->predict(keras_pre);
  const double err = relative_error(got, expected);
  MESSAGE(info.at("case").get<std::string>() << ": " << model->count_params() << " params, relative error " << err);
  CHECK(err <= 1e-4);

  if (info.value("summary", false)) {
    std::ifstream in(dir / "summary.txt");
    std::string keras_summary((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::string strata_summary = model->summary_string();
    while (!strata_summary.empty() && strata_summary.back() == '\n') strata_summary.pop_back();
    while (!keras_summary.empty() && keras_summary.back() == '\n') keras_summary.pop_back();
    CHECK(strata_summary == keras_summary);
    // for the `strata summary` check in run.sh
    model->save((dir / "strata_model.keras").string());
  }
}

}  // namespace

TEST_CASE("applications reproduce Keras: parameter counts, layer lists, weights and outputs") {
  const char* dir = std::getenv("STRATA_APPLICATIONS_DIR");
  if (!dir) {
    MESSAGE("STRATA_APPLICATIONS_DIR is not set: run tests/applications/run.sh");
    return;
  }
  if (const char* one = std::getenv("STRATA_APPLICATIONS_CASE")) {
    check_case(fs::path(dir) / one);
    return;
  }
  for (const auto& c : read_json(fs::path(dir) / "manifest.json")) check_case(fs::path(dir) / c.get<std::string>());
}
