#pragma once
// keras.applications.VGG16 / VGG19 (Simonyan & Zisserman, 2014), layer for layer as Keras 3 builds them.
#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// keras.applications.VGG16: default input (224, 224, 3), at least 32x32.
std::shared_ptr<Model> VGG16(ApplicationOptions options = {});
/// keras.applications.VGG19.
std::shared_ptr<Model> VGG19(ApplicationOptions options = {});

}  // namespace strata::applications

STRATA_APPLICATION_UTILS(vgg16, "caffe")
STRATA_APPLICATION_UTILS(vgg19, "caffe")
