// The part-2 applications build Keras's architectures at their default sizes: Keras 3.15's exact parameter counts
// (keras.applications.X(weights=None).count_params(), with and without the top), model names and output shapes.
// Building a model computes nothing, so the full-size graphs are cheap; the numeric checks are tests/applications.
#include <doctest/doctest.h>

#include <strata/applications/applications.hpp>

using namespace strata;
using namespace strata::applications;

TEST_CASE("part-2 applications have Keras's parameter counts and names at their default sizes") {
  struct Expected {
    std::shared_ptr<Model> (*build)(ApplicationOptions);
    const char* name;
    std::int64_t params, params_notop;
  };
  const Expected cases[] = {
      {EfficientNetB0, "efficientnetb0", 5330571, 4049571},
      {EfficientNetB3, "efficientnetb3", 12320535, 10783535},
      {[](ApplicationOptions o) { return EfficientNetV2B0(std::move(o)); }, "efficientnetv2-b0", 7200312, 5919312},
      {[](ApplicationOptions o) { return EfficientNetV2S(std::move(o)); }, "efficientnetv2-s", 21612360, 20331360},
      {[](ApplicationOptions o) { return MobileNetV3Small(std::move(o)); }, "MobileNetV3Small", 2554968, 939120},
      {[](ApplicationOptions o) { return MobileNetV3Large(std::move(o)); }, "MobileNetV3Large", 5507432, 2996352},
      {[](ApplicationOptions o) { return ConvNeXtTiny(std::move(o)); }, "convnext_tiny", 28589128, 27820128},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto top = c.build({});
    CHECK(top->name() == c.name);
    CHECK(top->count_params() == c.params);
    CHECK(top->outputs().front().shape() == Shape{-1, 1000});
    auto notop = c.build({.include_top = false, .pooling = "avg"});
    CHECK(notop->count_params() == c.params_notop);
  }
}

TEST_CASE("part-2 applications check their arguments and preprocess inside the model") {
  CHECK_THROWS_AS(EfficientNetB0({.input_shape = {16, 16, 3}}), ValueError);  // below 32x32
  CHECK_THROWS_AS(MobileNetV3Small({.input_shape = {31, 64, 3}}), ValueError);
  CHECK_THROWS_AS(ConvNeXtTiny({.pooling = "mean"}), ValueError);
  // include_preprocessing=false drops the in-model Rescaling (MobileNetV3) / Normalization (ConvNeXt)
  CHECK(MobileNetV3Small({}, {.include_preprocessing = false})->layers().size() + 1 ==
        MobileNetV3Small({})->layers().size());
  Tensor x = Tensor::full({1, 2, 2, 3}, 200.0f);
  CHECK(efficientnet::preprocess_input(x).item(0) == 200.0f);  // identity, as Keras 3
  CHECK(convnext::preprocess_input(x).item(5) == 200.0f);
}
