#pragma once
// Every built-in loss (strata::losses) and the loss functions they wrap.
#include <strata/api/losses/binary_crossentropy.hpp>
#include <strata/api/losses/categorical_crossentropy.hpp>
#include <strata/api/losses/functions.hpp>
#include <strata/api/losses/loss.hpp>
#include <strata/api/losses/mean_absolute_error.hpp>
#include <strata/api/losses/mean_squared_error.hpp>
#include <strata/api/losses/sparse_categorical_crossentropy.hpp>
// the remaining simple losses (issue 5)
#include <strata/api/losses/categorical_hinge.hpp>
#include <strata/api/losses/cosine_similarity.hpp>
#include <strata/api/losses/hinge.hpp>
#include <strata/api/losses/huber.hpp>
#include <strata/api/losses/kl_divergence.hpp>
#include <strata/api/losses/log_cosh.hpp>
#include <strata/api/losses/mean_absolute_percentage_error.hpp>
#include <strata/api/losses/mean_squared_logarithmic_error.hpp>
#include <strata/api/losses/poisson.hpp>
#include <strata/api/losses/squared_hinge.hpp>
// focal crossentropies, Dice and Tversky (issue 5)
#include <strata/api/losses/binary_focal_crossentropy.hpp>
#include <strata/api/losses/categorical_focal_crossentropy.hpp>
#include <strata/api/losses/dice.hpp>
#include <strata/api/losses/tversky.hpp>
// CTC loss (issue 5)
#include <strata/api/losses/ctc.hpp>

namespace strata::losses {
/// Identifiers losses::get accepts, sorted.
std::vector<std::string> identifiers();
}  // namespace strata::losses
