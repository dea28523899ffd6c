#pragma once
// keras.applications.Xception (Chollet, 2017), layer for layer as Keras 3 builds it.
#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// keras.applications.Xception: default input (299, 299, 3), at least 71x71. Preprocess with mode "tf".
std::shared_ptr<Model> Xception(ApplicationOptions options = {});

}  // namespace strata::applications

STRATA_APPLICATION_UTILS(xception, "tf")
