#pragma once
// keras.applications.InceptionV3 (Szegedy et al., 2015), layer for layer as Keras 3 builds it.
#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// keras.applications.InceptionV3: default input (299, 299, 3), at least 75x75. Preprocess with mode "tf".
std::shared_ptr<Model> InceptionV3(ApplicationOptions options = {});

}  // namespace strata::applications

STRATA_APPLICATION_UTILS(inception_v3, "tf")
