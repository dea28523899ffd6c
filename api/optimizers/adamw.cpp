#include <strata/api/optimizers/adamw.hpp>

namespace strata::optimizers {

namespace {
AdamOptions adam_options(const AdamWOptions& o) {
  if (!o.weight_decay) throw ValueError("Optimizer '" + o.name + "' (AdamW): Argument `weight_decay` must be a float. "
                                        "Received: weight_decay=None");
  return {.learning_rate = o.learning_rate,
          .beta_1 = o.beta_1,
          .beta_2 = o.beta_2,
          .epsilon = o.epsilon,
          .amsgrad = o.amsgrad,
          .weight_decay = o.weight_decay,
          .clipnorm = o.clipnorm,
          .clipvalue = o.clipvalue,
          .global_clipnorm = o.global_clipnorm,
          .name = o.name};
}
}  // namespace

AdamW::AdamW(AdamWOptions options) : Adam(adam_options(options)) {}

}  // namespace strata::optimizers
