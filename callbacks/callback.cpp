#include <strata/callbacks/callback.hpp>

#include <strata/api/errors.hpp>

namespace strata {

Model& Callback::model() const {
  if (!model_) throw ValueError("Callback::model(): the callback is not attached to a model (pass it to fit)");
  return *model_;
}

}  // namespace strata
