#pragma once
// Every built-in loss (strata::losses) and the loss functions they wrap.
#include <strata/api/losses/binary_crossentropy.hpp>
#include <strata/api/losses/categorical_crossentropy.hpp>
#include <strata/api/losses/functions.hpp>
#include <strata/api/losses/loss.hpp>
#include <strata/api/losses/mean_absolute_error.hpp>
#include <strata/api/losses/mean_squared_error.hpp>
#include <strata/api/losses/sparse_categorical_crossentropy.hpp>

namespace strata::losses {
/// Identifiers losses::get accepts, sorted.
std::vector<std::string> identifiers();
}  // namespace strata::losses
