#include <strata/api/regularizers/regularizers.hpp>

#include <strata/api/errors.hpp>

namespace strata::regularizers {

namespace {

OrthogonalRegularizerOptions checked(OrthogonalRegularizerOptions o) {
  validate_factor(o.factor, "factor");
  if (o.mode != "rows" && o.mode != "columns")
    throw ValueError("Invalid value for argument `mode`. Expected one of {\"rows\", \"columns\"}. Received: mode=" +
                     o.mode);
  return o;
}

}  // namespace

OrthogonalRegularizer::OrthogonalRegularizer(OrthogonalRegularizerOptions options)
    : Regularizer("OrthogonalRegularizer", {{"factor", checked(options).factor}, {"mode", options.mode}},
                  [o = options](Value x) {
                    if (x.ndim() != 2)
                      throw ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape=" +
                                       shape_str(x.shape()));
                    const bool rows = o.mode == "rows";
                    // Keras's ops.normalize: x * min(rsqrt(sum(x²)), 1 / epsilon), epsilon = 1e-7
                    Value inv_norm = ops::minimum(1.0f / ops::sqrt(ops::sum(ops::square(x), {rows ? 1 : 0}, true)),
                                                  x.graph().scalar(1e7f));
                    Value unit = x * inv_norm;
                    Value product = ops::matmul(unit, unit, !rows, rows);
                    const std::int64_t n = x.dim(rows ? 0 : 1);
                    Tensor off_diagonal = Tensor::full({n, n}, 1.0f);
                    for (std::int64_t i = 0; i < n; ++i) off_diagonal.data<float>()[i * n + i] = 0.0f;
                    Value masked = product * x.graph().add_constant(std::move(off_diagonal), "off_diagonal");
                    const double num_pairs = static_cast<double>(n) * (static_cast<double>(n) - 1.0) / 2.0;
                    return ops::sum(ops::abs(masked)) * static_cast<float>(o.factor * 0.5 / num_pairs);
                  }) {}

}  // namespace strata::regularizers
