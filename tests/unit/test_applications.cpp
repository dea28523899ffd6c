// applications/imagenet_utils: preprocessing modes, the shipped ImageNet class index, decode_predictions, and Keras's
// input-shape and head checks with their messages. The models themselves are checked against Keras in
// tests/applications/.
#include <doctest/doctest.h>

#include <filesystem>

#include <strata/strata.hpp>

using namespace strata;
using namespace strata::applications;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const ValueError& e) {
    return e.what();
  }
  return "(no ValueError)";
}

}  // namespace

TEST_CASE("the shipped ImageNet class index is Keras's") {
  const auto& index = imagenet_utils::class_index();
  REQUIRE(index.size() == 1000);
  CHECK(index[0] == std::pair<std::string, std::string>{"n01440764", "tench"});
  CHECK(index[1] == std::pair<std::string, std::string>{"n01443537", "goldfish"});
  CHECK(index[281] == std::pair<std::string, std::string>{"n02123045", "tabby"});
  CHECK(index[619] == std::pair<std::string, std::string>{"n03637318", "lampshade"});
  CHECK(index[765] == std::pair<std::string, std::string>{"n04099969", "rocking_chair"});
  CHECK(index[831] == std::pair<std::string, std::string>{"n04344873", "studio_couch"});
  CHECK(index[846] == std::pair<std::string, std::string>{"n04380533", "table_lamp"});
  CHECK(index[999] == std::pair<std::string, std::string>{"n15075141", "toilet_tissue"});
  for (std::size_t i = 1; i < index.size(); ++i) CHECK(index[i - 1].first < index[i].first);  // WordNet-id order
}

TEST_CASE("decode_predictions returns the top classes, best first, as Keras") {
  std::vector<float> scores(2 * 1000, 0.0f);
  scores[281] = 0.7f;
  scores[0] = 0.2f;
  scores[999] = 0.05f;
  scores[1000 + 1] = 0.9f;
  scores[1000 + 846] = 0.1f;
  auto decoded = imagenet_utils::decode_predictions(Tensor({2, 1000}, scores), 3);
  REQUIRE(decoded.size() == 2);
  REQUIRE(decoded[0].size() == 3);
  CHECK(decoded[0][0].class_name == "n02123045");
  CHECK(decoded[0][0].description == "tabby");
  CHECK(decoded[0][0].score == doctest::Approx(0.7));
  CHECK(decoded[0][1].description == "tench");
  CHECK(decoded[0][2].description == "toilet_tissue");
  CHECK(decoded[1][0].description == "goldfish");
  CHECK(decoded[1][1].description == "table_lamp");
  CHECK(resnet::decode_predictions(Tensor({2, 1000}, scores), 1)[1][0].description == "goldfish");
  CHECK(error_of([] { imagenet_utils::decode_predictions(Tensor({2, 10})); }) ==
        "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). "
        "Received array with shape: (2, 10)");
}

TEST_CASE("preprocess_input: caffe, tf and torch modes as Keras computes them") {
  // one 1x2 image, channels_last: pixels (10, 20, 30) and (255, 0, 128)
  Tensor x({1, 1, 2, 3}, std::vector<float>{10, 20, 30, 255, 0, 128});
  Tensor caffe = imagenet_utils::preprocess_input(x);  // BGR, minus the means (103.939, 116.779, 123.68)
  const float expected_caffe[] = {30 - 103.939f, 20 - 116.779f, 10 - 123.68f,
                                  128 - 103.939f, 0 - 116.779f, 255 - 123.68f};
  for (int i = 0; i < 6; ++i) CHECK(caffe.data<float>()[i] == doctest::Approx(expected_caffe[i]).epsilon(1e-6));
  Tensor tf = mobilenet_v2::preprocess_input(x);
  CHECK(tf.data<float>()[0] == doctest::Approx(10 / 127.5 - 1));
  CHECK(tf.data<float>()[3] == doctest::Approx(1.0));
  Tensor torch = densenet::preprocess_input(x);
  CHECK(torch.data<float>()[0] == doctest::Approx((10 / 255.0 - 0.485) / 0.229));
  CHECK(torch.data<float>()[4] == doctest::Approx((0 - 0.456) / 0.224));
  CHECK(torch.data<float>()[5] == doctest::Approx((128 / 255.0 - 0.406) / 0.225));
  // channels_first (1, 3, 1, 2): the channel axis is 1
  Tensor xf({1, 3, 1, 2}, std::vector<float>{10, 255, 20, 0, 30, 128});
  Tensor caffe_first = imagenet_utils::preprocess_input(xf, "channels_first");
  CHECK(caffe_first.data<float>()[0] == doctest::Approx(30 - 103.939f));
  CHECK(caffe_first.data<float>()[1] == doctest::Approx(128 - 103.939f).epsilon(1e-6));
  CHECK(caffe_first.data<float>()[5] == doctest::Approx(255 - 123.68f).epsilon(1e-6));
  // integer images are converted to float32 first
  Tensor u8({1, 1, 1, 3}, std::vector<std::uint8_t>{255, 0, 0});
  CHECK(imagenet_utils::preprocess_input(u8, "", "tf").data<float>()[0] == doctest::Approx(1.0));
  CHECK(error_of([&] { imagenet_utils::preprocess_input(x, "", "keras"); }) ==
        "Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=keras");
  CHECK(error_of([&] { imagenet_utils::preprocess_input(x, "nhwc"); }) ==
        "Expected data_format to be one of `channels_first` or `channels_last`. Received: data_format=nhwc");
}

TEST_CASE("obtain_input_shape follows Keras's rules and messages") {
  using imagenet_utils::obtain_input_shape;
  CHECK(obtain_input_shape({}, 224, 32, "channels_last", true) == Shape{224, 224, 3});
  CHECK(obtain_input_shape({}, 224, 32, "channels_last", false) == Shape{-1, -1, 3});
  CHECK(obtain_input_shape({}, 299, 75, "channels_first", true) == Shape{3, 299, 299});
  CHECK(obtain_input_shape({64, 64, 3}, 224, 32, "channels_last", true) == Shape{64, 64, 3});
  CHECK(error_of([] { obtain_input_shape({16, 16, 3}, 224, 32, "channels_last", false); }) ==
        "Input size must be at least 32x32; Received: input_shape=(16, 16, 3)");
  CHECK(error_of([] { obtain_input_shape({64, 64}, 224, 32, "channels_last", false); }) ==
        "`input_shape` must be a tuple of three integers.");
  CHECK(error_of([] { obtain_input_shape({-1, -1, 3}, 224, 32, "channels_last", true); }) ==
        "If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=(None, None, 3)");
  CHECK(error_of([] { obtain_input_shape({64, 64, 3}, 224, 32, "channels_last", true, "imagenet"); }) ==
        "When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be (224, 224, 3).  "
        "Received: input_shape=(64, 64, 3)");
  CHECK(error_of([] { obtain_input_shape({64, 64, 1}, 224, 32, "channels_last", false, "imagenet"); }) ==
        "The input must have 3 channels; Received `input_shape=(64, 64, 1)`");
}

TEST_CASE("applications check their arguments as Keras does") {
  CHECK(error_of([] { ResNet50({.weights = "/nonexistent/resnet50.h5"}); }) ==
        "The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training on "
        "ImageNet), or the path to the weights file to be loaded.  Received: weights=/nonexistent/resnet50.h5");
  CHECK(error_of([] { VGG16({.include_top = false, .input_shape = {16, 16, 3}}); }) ==
        "Input size must be at least 32x32; Received: input_shape=(16, 16, 3)");
  CHECK(error_of([] { VGG16({.include_top = false, .pooling = "mean"}); }).find("pooling=mean") != std::string::npos);
  CHECK(error_of([] { ResNet50({.weights = "imagenet"}); }).find("downloads nothing") != std::string::npos);
}

TEST_CASE("applications build Keras's architectures: names, parameter counts, output shapes") {
  // Keras 3.15's counts for these configurations
  auto vgg = VGG16({.include_top = false, .input_shape = {32, 32, 3}, .pooling = "avg"});
  CHECK(vgg->name() == "vgg16");
  CHECK(vgg->count_params() == 14714688);
  CHECK(vgg->outputs()[0].shape() == Shape{-1, 512});
  auto mobilenet = MobileNetV2({.include_top = false, .input_shape = {96, 96, 3}}, {.alpha = 0.5});
  CHECK(mobilenet->name() == "mobilenetv2_0.50_96");
  CHECK(mobilenet->outputs()[0].shape() == Shape{-1, 3, 3, 1280});
  CHECK(mobilenet_v2::make_divisible(32 * 0.35, 8) == 16);
  CHECK(mobilenet_v2::make_divisible(1280 * 1.4, 8) == 1792);
  // a headless model on a given input tensor: the model's input is the tensor's source Input
  SymbolicTensor input = Input({64, 64, 3});
  auto densenet = DenseNet121({.include_top = false, .input_tensor = input, .pooling = "max"});
  CHECK(densenet->inputs()[0] == input);
  CHECK(densenet->name() == "densenet121");
  CHECK(densenet->count_params() == 7037504);
}
