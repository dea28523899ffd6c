#include <strata/api/metrics/reduction_metrics.hpp>

#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::metrics {

std::vector<Value> Mean::update(Value, Value y_pred, Value sample_weight) const {
  return mean_update(y_pred, sample_weight);
}

double Mean::result() const {
  auto total = state(0), count = state(1);
  return total.empty() || count[0] == 0 ? 0.0 : total[0] / count[0];
}

// values pass as both y_true and y_pred: update reads y_pred
void Mean::update_state(const Tensor& values, const std::optional<Tensor>& sample_weight) {
  Metric::update_state(values, values, sample_weight);
}

std::vector<Value> Sum::update(Value, Value y_pred, Value sample_weight) const {
  Value values = ops::cast(y_pred, DType::float32);
  if (!sample_weight.valid()) return {ops::sum(values)};
  Value w = ops::cast(sample_weight, DType::float32);
  std::tie(values, w) = losses::squeeze_or_expand_to_same_rank(values, w);
  // Keras sums the values past the weights' rank per sample first; the total is the same sum of values * w
  if (values.ndim() > w.ndim()) {
    std::vector<int> axes;
    for (int a = w.ndim(); a < values.ndim(); ++a) axes.push_back(a);
    values = ops::sum(values, axes);
  }
  return {ops::sum(values * ops::broadcast_to(w, values.shape()))};
}

double Sum::result() const {
  auto total = state(0);
  return total.empty() ? 0.0 : total[0];
}

void Sum::update_state(const Tensor& values, const std::optional<Tensor>& sample_weight) {
  Metric::update_state(values, values, sample_weight);
}

std::shared_ptr<Metric> Mean::from_config(const ConfigReader& c) {
  return std::make_shared<Mean>(MeanOptions{.name = c.get_string("name", "mean")});
}
std::shared_ptr<Metric> Sum::from_config(const ConfigReader& c) {
  return std::make_shared<Sum>(SumOptions{.name = c.get_string("name", "sum")});
}

}  // namespace strata::metrics
