// Classify an image with a keras.applications model and a Keras weights file, as Keras's
// `ResNet50(weights=path)`, `resnet50.preprocess_input` and `resnet50.decode_predictions` do.
// Usage: classify_image WEIGHTS.h5 IMAGE [resnet50|vgg16|vgg19|mobilenetv2|densenet121|xception|inception_v3]
//   WEIGHTS.h5: Keras's published file with the top, e.g. resnet50_weights_tf_dim_ordering_tf_kernels.h5
//   IMAGE: a PNG or JPEG of any size, resized (bilinear) to the model's input
// tests/applications/classify_image.sh checks its top 5 against Keras's decode_predictions.
#include <functional>
#include <iomanip>
#include <iostream>
#include <map>
#include <string>

#include <strata/strata.hpp>

using namespace strata;
using namespace strata::applications;

struct Family {
  std::function<std::shared_ptr<Model>(ApplicationOptions)> make;
  std::function<Tensor(const Tensor&)> preprocess;
  std::int64_t size;
};

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: classify_image WEIGHTS.h5 IMAGE [model (default resnet50)]\n";
    return 2;
  }
  const std::map<std::string, Family> families = {
      {"resnet50", {ResNet50, [](const Tensor& x) { return resnet::preprocess_input(x); }, 224}},
      {"vgg16", {VGG16, [](const Tensor& x) { return vgg16::preprocess_input(x); }, 224}},
      {"vgg19", {VGG19, [](const Tensor& x) { return vgg19::preprocess_input(x); }, 224}},
      {"mobilenetv2",
       {[](ApplicationOptions o) { return MobileNetV2(std::move(o)); },
        [](const Tensor& x) { return mobilenet_v2::preprocess_input(x); }, 224}},
      {"densenet121", {DenseNet121, [](const Tensor& x) { return densenet::preprocess_input(x); }, 224}},
      {"xception", {Xception, [](const Tensor& x) { return xception::preprocess_input(x); }, 299}},
      {"inception_v3", {InceptionV3, [](const Tensor& x) { return inception_v3::preprocess_input(x); }, 299}},
  };
  const std::string which = argc > 3 ? argv[3] : "resnet50";
  try {
    auto family = families.find(which);
    if (family == families.end()) throw ValueError("unknown model " + which);
    auto model = family->second.make({.weights = argv[1]});
    const std::int64_t size = family->second.size;
    // Keras: load_img + img_to_array + expand_dims; resized (bilinear, as keras.layers.Resizing) to the model's input
    Tensor image = datasets::decode_image(argv[2], {.channels = 3});
    Tensor batch = image.reshape({1, image.shape()[0], image.shape()[1], 3});
    layers::Resizing resize(size, size);
    Tensor preds = model->predict(family->second.preprocess(resize(batch)));
    const auto top5 = imagenet_utils::decode_predictions(preds, 5);  // named: its rows must outlive the loop
    std::cout << "Predicted (" << model->name() << "):\n" << std::setprecision(7);
    for (const auto& p : top5[0]) std::cout << "  " << p.class_name << "  " << p.description << "  " << p.score << "\n";
  } catch (const Error& e) {
    std::cerr << "classify_image: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
