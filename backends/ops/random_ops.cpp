#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

std::vector<OutputSpec> infer_random(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  expect_inputs(g, kind, in, 1, 1);
  if (g.value(in[0]).dtype != DType::int64 || num_elements(g.value(in[0]).shape) != 1)
    shape_error(g, kind, "seed state must be an int64 scalar");
  const auto& a = std::get<RandomAttrs>(attrs);
  for (auto d : a.shape)
    if (d < 0) shape_error(g, kind, "noise shape " + shape_str(a.shape) + " must be fully known");
  return {{a.shape, DType::float32}};
}

Grads grad_random(Graph& g, const Op& op, const Grads& dy) { return {Value{}}; }

}  // namespace rules

Value ops::random_uniform(Value seed_state, Shape shape, std::uint64_t salt) {
  return seed_state.graph().add_op(OpKind::random, RandomAttrs{RandomKind::uniform, std::move(shape), salt},
                                   {seed_state.id()})[0];
}

Value ops::random_normal(Value seed_state, Shape shape, std::uint64_t salt) {
  return seed_state.graph().add_op(OpKind::random, RandomAttrs{RandomKind::normal, std::move(shape), salt},
                                   {seed_state.id()})[0];
}

}  // namespace strata
