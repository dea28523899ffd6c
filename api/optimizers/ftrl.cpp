#include <strata/api/optimizers/ftrl.hpp>

namespace strata::optimizers {

Ftrl::Ftrl(FtrlOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {
  auto fail = [&](const std::string& what, const char* sign, double value) {
    throw ValueError("Optimizer '" + name() + "' (Ftrl): `" + what + "` needs to be " + sign + ". Received: " + what +
                     "=" + nlohmann::json(value).dump() + ".");
  };
  if (options_.initial_accumulator_value < 0.0)
    fail("initial_accumulator_value", "positive or zero", options_.initial_accumulator_value);
  if (options_.learning_rate_power > 0.0) fail("learning_rate_power", "negative or zero", options_.learning_rate_power);
  if (options_.l1_regularization_strength < 0.0)
    fail("l1_regularization_strength", "positive or zero", options_.l1_regularization_strength);
  if (options_.l2_regularization_strength < 0.0)
    fail("l2_regularization_strength", "positive or zero", options_.l2_regularization_strength);
  if (options_.l2_shrinkage_regularization_strength < 0.0)
    fail("l2_shrinkage_regularization_strength", "positive or zero", options_.l2_shrinkage_regularization_strength);
}

nlohmann::json Ftrl::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["learning_rate_power"] = options_.learning_rate_power;
  c["initial_accumulator_value"] = options_.initial_accumulator_value;
  c["l1_regularization_strength"] = options_.l1_regularization_strength;
  c["l2_regularization_strength"] = options_.l2_regularization_strength;
  c["l2_shrinkage_regularization_strength"] = options_.l2_shrinkage_regularization_strength;
  c["beta"] = options_.beta;
  return c;
}

OptimizerUpdateAttrs Ftrl::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::ftrl;
  a.learning_rate_power = options_.learning_rate_power;
  a.l1 = options_.l1_regularization_strength;
  a.l2 = options_.l2_regularization_strength;
  a.l2_shrinkage = options_.l2_shrinkage_regularization_strength;
  a.beta = options_.beta;
  return a;
}

}  // namespace strata::optimizers
