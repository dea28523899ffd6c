#pragma once
// keras.applications.MobileNetV2 (Sandler et al., 2018), layer for layer as Keras 3 builds it.
#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// MobileNetV2's own argument.
struct MobileNetV2Options {
  double alpha = 1.0;  // width multiplier: filters in every layer scale by alpha
};

/// keras.applications.MobileNetV2: default input (224, 224, 3) (or the given square size among 96..224), at least
/// 32x32; model name "mobilenetv2_{alpha:.2f}_{rows}". Preprocess with mode "tf".
std::shared_ptr<Model> MobileNetV2(ApplicationOptions options = {}, MobileNetV2Options family = {});

namespace mobilenet_v2 {
/// Keras's _make_divisible: v rounded to a multiple of divisor, never below 90% of v.
std::int64_t make_divisible(double v, std::int64_t divisor, std::int64_t min_value = 0);
}  // namespace mobilenet_v2

}  // namespace strata::applications

STRATA_APPLICATION_UTILS(mobilenet_v2, "tf")
