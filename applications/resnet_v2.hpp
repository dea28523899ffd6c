#pragma once
// keras.applications.ResNet50V2 / ResNet101V2 / ResNet152V2 (He et al., 2016: pre-activation residual units).
#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// keras.applications.ResNet50V2: default input (224, 224, 3), at least 32x32; preprocess with mode "tf".
std::shared_ptr<Model> ResNet50V2(ApplicationOptions options = {});
std::shared_ptr<Model> ResNet101V2(ApplicationOptions options = {});
std::shared_ptr<Model> ResNet152V2(ApplicationOptions options = {});

}  // namespace strata::applications

STRATA_APPLICATION_UTILS(resnet_v2, "tf")
