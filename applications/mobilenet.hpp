#pragma once
// keras.applications.MobileNet (Howard et al., 2017), layer for layer as Keras 3 builds it.
#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// MobileNet's own arguments.
struct MobileNetOptions {
  double alpha = 1.0;               // width multiplier
  std::int64_t depth_multiplier = 1;  // resolution multiplier of the depthwise convolutions
  double dropout = 1e-3;
};

/// keras.applications.MobileNet: default input (224, 224, 3) (or the given square size among 128..224), at least
/// 32x32; model name "mobilenet_{alpha:.2f}_{rows}". Preprocess with mode "tf".
std::shared_ptr<Model> MobileNet(ApplicationOptions options = {}, MobileNetOptions family = {});

}  // namespace strata::applications

STRATA_APPLICATION_UTILS(mobilenet, "tf")
