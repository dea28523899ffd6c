#include <strata/applications/resnet_v2.hpp>

#include <strata/applications/resnet.hpp>

namespace strata::applications {

namespace {
std::shared_ptr<Model> resnet_v2_model(ApplicationOptions options, int conv3_blocks, int conv4_blocks,
                                 const std::string& default_name, const std::string& application) {
  return resnet::ResNet(
      [&](SymbolicTensor x) {
        x = resnet::stack_residual_blocks_v2(x, 64, 3, 2, "conv2");
        x = resnet::stack_residual_blocks_v2(x, 128, conv3_blocks, 2, "conv3");
        x = resnet::stack_residual_blocks_v2(x, 256, conv4_blocks, 2, "conv4");
        return resnet::stack_residual_blocks_v2(x, 512, 3, 1, "conv5");
      },
      true, true, std::move(options), default_name, application);
}
}  // namespace

std::shared_ptr<Model> ResNet50V2(ApplicationOptions options) {
  return resnet_v2_model(std::move(options), 4, 6, "resnet50v2", "ResNet50V2");
}
std::shared_ptr<Model> ResNet101V2(ApplicationOptions options) {
  return resnet_v2_model(std::move(options), 4, 23, "resnet101v2", "ResNet101V2");
}
std::shared_ptr<Model> ResNet152V2(ApplicationOptions options) {
  return resnet_v2_model(std::move(options), 8, 36, "resnet152v2", "ResNet152V2");
}

}  // namespace strata::applications
