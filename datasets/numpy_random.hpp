#pragma once
// numpy's legacy RandomState streams that Keras's loaders use to split data, reproduced bit for bit.
#include <cstdint>
#include <vector>

namespace strata::datasets {

/// What `idx = np.arange(n); np.random.RandomState(seed).shuffle(idx)` leaves in idx: MT19937 seeded like
/// numpy's legacy seeding (init_genrand, as std::mt19937), then a Fisher-Yates pass from the end drawing each
/// index with numpy's masked rejection sampling (random_interval).
std::vector<std::int64_t> numpy_legacy_shuffled_range(std::int64_t n, std::uint32_t seed);

}  // namespace strata::datasets
