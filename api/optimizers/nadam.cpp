#include <strata/api/optimizers/nadam.hpp>

#include <strata/backends/ops/ops.hpp>

namespace strata::optimizers {

Nadam::Nadam(NadamOptions options)
    : Optimizer(options.name, options.learning_rate, common_arguments(options)), options_(std::move(options)) {
  // Keras creates it without the optimizer's name scope: its path is "variable"
  u_product_ = std::make_unique<Variable>("variable", Shape{}, DType::float32, false);
  u_product_->set_path("variable");
  u_product_->assign_scalar(1.0);
}

nlohmann::json Nadam::get_config() const {
  nlohmann::json c = Optimizer::get_config();
  c["beta_1"] = options_.beta_1;
  c["beta_2"] = options_.beta_2;
  c["epsilon"] = options_.epsilon;
  return c;
}

OptimizerUpdateAttrs Nadam::update_attrs() const {
  OptimizerUpdateAttrs a;
  a.kind = OptimizerKind::nadam;
  a.beta_1 = options_.beta_1;
  a.beta_2 = options_.beta_2;
  a.epsilon = options_.epsilon;
  return a;
}

std::vector<Value> Nadam::begin_step(Graph& graph, Value step, Value gate) {
  // Keras's _backend_update_step: u_product *= beta_1 * (1 - 0.5 * 0.96 ^ (iterations + 1)), once per step,
  // before every variable's update reads it
  Value u = graph.add_variable(*u_product_);
  Value t = step + 1.0f;
  Value decay = ops::binary(graph.scalar(0.96f), t, BinaryKind::pow);
  Value u_next = u * static_cast<float>(options_.beta_1) * (1.0f - 0.5f * decay);
  ops::assign(u, u_next, gate);
  return {u_next};
}

}  // namespace strata::optimizers
