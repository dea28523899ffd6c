// Classify an image with a keras.applications model and a Keras weights file, as Keras's
// `ResNet50(weights=path)`, `resnet50.preprocess_input` and `resnet50.decode_predictions` do.
// Usage: classify_image WEIGHTS.h5 IMAGE.ppm [resnet50|vgg16|vgg19|mobilenetv2|densenet121|xception|inception_v3]
//   WEIGHTS.h5: Keras's published file with the top, e.g. resnet50_weights_tf_dim_ordering_tf_kernels.h5
//   IMAGE.ppm: a binary PPM (P6) image, any size (resized to the model's input with bilinear sampling); convert
//              others with e.g. `convert photo.jpg photo.ppm`
#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>

#include <strata/strata.hpp>

using namespace strata;
using namespace strata::applications;

// A binary PPM (P6, maxval 255) as float32 (1, h, w, 3) in [0, 255].
Tensor read_ppm(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ValueError(path + ": cannot open the image");
  std::string magic;
  in >> magic;
  auto next_int = [&] {
    while (in >> std::ws && in.peek() == '#') in.ignore(1 << 20, '\n');
    long v = -1;
    in >> v;
    return v;
  };
  const long w = next_int(), h = next_int(), maxval = next_int();
  if (magic != "P6" || w <= 0 || h <= 0 || maxval != 255)
    throw ValueError(path + ": expected a binary PPM (P6) with maxval 255; got magic " + magic);
  in.get();
  std::vector<unsigned char> pixels(static_cast<std::size_t>(w * h * 3));
  in.read(reinterpret_cast<char*>(pixels.data()), static_cast<std::streamsize>(pixels.size()));
  if (in.gcount() != static_cast<std::streamsize>(pixels.size())) throw ValueError(path + ": truncated pixel data");
  Tensor image({1, h, w, 3});
  for (std::size_t i = 0; i < pixels.size(); ++i) image.data<float>()[i] = pixels[i];
  return image;
}

// Bilinear resize of (1, h, w, 3) to (1, size, size, 3), pixel centers aligned as Keras's image resizing.
Tensor resize(const Tensor& image, std::int64_t size) {
  const std::int64_t h = image.shape()[1], w = image.shape()[2];
  Tensor out({1, size, size, 3});
  const float* src = image.data<float>();
  for (std::int64_t y = 0; y < size; ++y)
    for (std::int64_t x = 0; x < size; ++x) {
      double sy = std::clamp((y + 0.5) * h / size - 0.5, 0.0, double(h - 1));
      double sx = std::clamp((x + 0.5) * w / size - 0.5, 0.0, double(w - 1));
      auto y0 = static_cast<std::int64_t>(sy), x0 = static_cast<std::int64_t>(sx);
      std::int64_t y1 = std::min(y0 + 1, h - 1), x1 = std::min(x0 + 1, w - 1);
      double fy = sy - y0, fx = sx - x0;
      for (int c = 0; c < 3; ++c) {
        auto at = [&](std::int64_t yy, std::int64_t xx) { return src[(yy * w + xx) * 3 + c]; };
        out.data<float>()[(y * size + x) * 3 + c] = static_cast<float>(
            (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1)));
      }
    }
  return out;
}

struct Family {
  std::function<std::shared_ptr<Model>(ApplicationOptions)> make;
  std::function<Tensor(const Tensor&)> preprocess;
  std::int64_t size;
};

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: classify_image WEIGHTS.h5 IMAGE.ppm [model (default resnet50)]\n";
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
    Tensor x = family->second.preprocess(resize(read_ppm(argv[2]), family->second.size));
    Tensor preds = model->predict(x);
    std::cout << "Predicted (" << model->name() << "):\n";
    for (const auto& p : imagenet_utils::decode_predictions(preds, 5)[0])
      std::cout << "  " << p.class_name << "  " << p.description << "  " << p.score << "\n";
  } catch (const Error& e) {
    std::cerr << "classify_image: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
