#pragma once
#include <cstdint>

namespace strata {

/// Seeds everything random in strata: initializers, shuffling, dropout (keras.utils.set_random_seed).
void set_random_seed(std::uint64_t seed);
/// A fresh seed drawn from the global generator: the n-th draw after set_random_seed(s) is always the same.
std::uint64_t next_seed();

}  // namespace strata
