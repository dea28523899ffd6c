#pragma once
// keras.applications.InceptionResNetV2 (Szegedy et al., 2016), layer for layer as Keras 3 builds it.
#include <strata/api/layer.hpp>
#include <strata/applications/application.hpp>
#include <strata/applications/family_utils.hpp>

namespace strata::applications {

/// keras.applications.InceptionResNetV2: default input (299, 299, 3), at least 75x75. Preprocess with mode "tf".
std::shared_ptr<Model> InceptionResNetV2(ApplicationOptions options = {});

namespace inception_resnet_v2 {

/// Keras's inception_resnet_v2.CustomScaleLayer: inputs[0] + inputs[1] * scale (the residual scaling of each block).
class CustomScaleLayer : public Layer {
 public:
  STRATA_LAYER(CustomScaleLayer)
  explicit CustomScaleLayer(double scale, std::string name = "") : Layer(std::move(name)), scale_(scale) {}
  using Layer::build;
  using Layer::call;
  void build(const std::vector<Shape>& input_shapes) override;
  std::vector<Value> call(const std::vector<Value>& inputs, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  static std::shared_ptr<CustomScaleLayer> from_config(const nlohmann::json& config);
  double scale() const { return scale_; }

 private:
  double scale_;
};

}  // namespace inception_resnet_v2
}  // namespace strata::applications

STRATA_APPLICATION_UTILS(inception_resnet_v2, "tf")
