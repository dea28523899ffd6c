#pragma once
// keras.applications.ResNet50 / ResNet101 / ResNet152 (He et al., 2015), layer for layer as Keras 3 builds them,
// and the pieces ResNetV2 shares (Keras's resnet.ResNet and residual stacks).
#include <functional>

#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// keras.applications.ResNet50: default input (224, 224, 3), at least 32x32.
std::shared_ptr<Model> ResNet50(ApplicationOptions options = {});
std::shared_ptr<Model> ResNet101(ApplicationOptions options = {});
std::shared_ptr<Model> ResNet152(ApplicationOptions options = {});

namespace resnet {

/// Keras's resnet.ResNet: the stem, `stack_fn`'s residual stacks, and the head; `preact` for ResNetV2.
std::shared_ptr<Model> ResNet(const std::function<SymbolicTensor(SymbolicTensor)>& stack_fn, bool preact,
                              bool use_bias, ApplicationOptions options, const std::string& default_name,
                              const std::string& application);
/// Keras's stack_residual_blocks_v1 / _v2.
SymbolicTensor stack_residual_blocks_v1(SymbolicTensor x, std::int64_t filters, int blocks, int stride1,
                                        const std::string& name);
SymbolicTensor stack_residual_blocks_v2(SymbolicTensor x, std::int64_t filters, int blocks, int stride1,
                                        const std::string& name);

}  // namespace resnet
}  // namespace strata::applications

STRATA_APPLICATION_UTILS(resnet, "caffe")
STRATA_APPLICATION_UTILS(resnet50, "caffe")
