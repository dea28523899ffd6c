#include <strata/applications/vgg.hpp>

#include <strata/layers/layers.hpp>

namespace strata::applications {

namespace {

using namespace strata::layers;
namespace iu = imagenet_utils;

/// VGG16 has 3 convolutions in blocks 3-5, VGG19 has 4; everything else is shared.
std::shared_ptr<Model> vgg(ApplicationOptions options, int deep_block_convs, const std::string& default_name,
                           const std::string& application) {
  iu::check_application_options(options, application);
  Shape input_shape = iu::obtain_input_shape(options.input_shape, 224, 32, "channels_last", options.include_top,
                                             options.weights);
  SymbolicTensor img_input = iu::application_input(options, input_shape);
  SymbolicTensor x = img_input;
  const std::int64_t filters[5] = {64, 128, 256, 512, 512};
  for (int block = 1; block <= 5; ++block) {
    const int convs = block <= 2 ? 2 : deep_block_convs;
    for (int c = 1; c <= convs; ++c)
      x = Conv2D(filters[block - 1], {3, 3},
                 {.padding = "same", .activation = "relu",
                  .name = "block" + std::to_string(block) + "_conv" + std::to_string(c)})(x);
    x = MaxPooling2D({2, 2}, {.strides = {2, 2}, .name = "block" + std::to_string(block) + "_pool"})(x);
  }
  if (options.include_top) {
    x = Flatten({.name = "flatten"})(x);
    x = Dense(4096, {.activation = "relu", .name = "fc1"})(x);
    x = Dense(4096, {.activation = "relu", .name = "fc2"})(x);
    iu::validate_activation(options.classifier_activation, options.weights);
    x = Dense(options.classes, {.activation = options.classifier_activation, .name = "predictions"})(x);
  } else if (options.pooling == "avg") {
    x = GlobalAveragePooling2D({.name = iu::auto_name("global_average_pooling2d")})(x);
  } else if (options.pooling == "max") {
    x = GlobalMaxPooling2D({.name = iu::auto_name("global_max_pooling2d")})(x);
  }
  return iu::finish_application(options, img_input, x, default_name);
}

}  // namespace

std::shared_ptr<Model> VGG16(ApplicationOptions options) { return vgg(std::move(options), 3, "vgg16", "VGG16"); }
std::shared_ptr<Model> VGG19(ApplicationOptions options) { return vgg(std::move(options), 4, "vgg19", "VGG19"); }

}  // namespace strata::applications
