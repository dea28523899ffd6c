#include <strata/api/graph/autodiff.hpp>

#include <strata/backends/ops/ops.hpp>

namespace strata {

std::vector<Value> gradients(Value loss, const std::vector<Value>& wrt) {
  if (!loss.valid()) return std::vector<Value>(wrt.size());
  return gradients(loss, loss.graph().add_constant(Tensor::full(loss.shape(), 1.0f), "loss_seed"), wrt);
}

std::vector<Value> gradients(Value loss, Value seed, const std::vector<Value>& wrt) {
  if (seed.shape() != loss.shape())
    throw ShapeError("gradients: the seed's shape " + shape_str(seed.shape()) + " differs from the output's " +
                     shape_str(loss.shape()));
  Graph& g = loss.graph();
  const std::size_t n_values = g.values().size();
  const std::size_t n_ops = g.ops().size();

  // Values that depend on some wrt: only their producers need gradient rules.
  std::vector<bool> depends(n_values, false);
  for (const auto& w : wrt) depends[w.id()] = true;
  for (std::size_t i = 0; i < n_ops; ++i) {
    const Op& op = g.ops()[i];
    bool any = false;
    for (auto in : op.inputs) any = any || depends[in];
    if (any)
      for (auto out : op.outputs) depends[out] = true;
  }

  std::vector<Value> grad(n_values);
  if (!depends[loss.id()]) return std::vector<Value>(wrt.size());
  grad[loss.id()] = seed;

  for (std::size_t i = n_ops; i-- > 0;) {
    Op op = g.ops()[i];  // copy: rules append to g.ops()
    if (g.has_side_effect(op)) continue;
    bool needed = false;
    for (auto in : op.inputs) needed = needed || depends[in];
    std::vector<Value> dys;
    bool any_dy = false;
    for (auto out : op.outputs) {
      dys.push_back(out < static_cast<ValueId>(n_values) ? grad[out] : Value{});
      any_dy = any_dy || dys.back().valid();
    }
    if (!needed || !any_dy) continue;
    LayerScope scope(g, op.layer);
    std::vector<Value> dxs = gradient(g, op, dys);
    for (std::size_t k = 0; k < op.inputs.size() && k < dxs.size(); ++k) {
      ValueId in = op.inputs[k];
      if (!dxs[k].valid() || !depends[in]) continue;
      grad[in] = grad[in].valid() ? grad[in] + dxs[k] : dxs[k];
    }
  }
  std::vector<Value> result;
  for (const auto& w : wrt) result.push_back(grad[w.id()]);
  return result;
}

}  // namespace strata
