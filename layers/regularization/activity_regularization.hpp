#pragma once
#include <strata/api/layer.hpp>

namespace strata::layers {

struct ActivityRegularizationOptions {
  double l1 = 0.0;
  double l2 = 0.0;
  std::string name;
  Shape input_shape;
};

/// keras.layers.ActivityRegularization: returns its input and adds (l1 * sum|x| + l2 * sum x^2) / batch_size
/// to the model's loss in fit and evaluate (Keras 3 divides activity regularization by the batch size).
class ActivityRegularization : public Layer {
 public:
  STRATA_LAYER(ActivityRegularization)
  explicit ActivityRegularization(ActivityRegularizationOptions options = {});
  using Layer::build;
  using Layer::call;

  Value call(Value x, CallContext& ctx) override;
  nlohmann::json get_config() const override;
  /// Inverse of get_config (any Keras 2 or 3 dialect); see api/saving/config_reader.hpp.
  static std::shared_ptr<ActivityRegularization> from_config(const nlohmann::json& config);

 private:
  ActivityRegularizationOptions options_;
};

}  // namespace strata::layers
