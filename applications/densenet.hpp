#pragma once
// keras.applications.DenseNet121 / 169 / 201 (Huang et al., 2017), layer for layer as Keras 3 builds them.
#include <array>

#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// keras.applications.densenet.DenseNet: dense blocks of `blocks` conv blocks each; default input (224, 224, 3).
std::shared_ptr<Model> DenseNet(std::array<int, 4> blocks, ApplicationOptions options = {});
std::shared_ptr<Model> DenseNet121(ApplicationOptions options = {});
std::shared_ptr<Model> DenseNet169(ApplicationOptions options = {});
std::shared_ptr<Model> DenseNet201(ApplicationOptions options = {});

}  // namespace strata::applications

STRATA_APPLICATION_UTILS(densenet, "torch")
