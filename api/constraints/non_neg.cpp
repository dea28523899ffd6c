#include <strata/api/constraints/constraints.hpp>

namespace strata::constraints {

NonNeg::NonNeg() : Constraint("NonNeg", nlohmann::json::object(), [](Value w) { return ops::relu(w); }) {}

}  // namespace strata::constraints
