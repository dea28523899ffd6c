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
          .use_ema = o.use_ema,
          .ema_momentum = o.ema_momentum,
          .ema_overwrite_frequency = o.ema_overwrite_frequency,
          .loss_scale_factor = o.loss_scale_factor,
          .gradient_accumulation_steps = o.gradient_accumulation_steps,
          .name = o.name};
}
}  // namespace

AdamW::AdamW(AdamWOptions options) : Adam(adam_options(options)) {}

}  // namespace strata::optimizers
