#include <strata/datasets/numpy_random.hpp>

#include <numeric>
#include <random>
#include <utility>

namespace strata::datasets {
namespace {

// numpy's random_interval: a uniform integer in [0, max] by rejection with the smallest covering bit mask.
std::uint64_t random_interval(std::mt19937& generator, std::uint64_t max) {
  if (max == 0) return 0;
  std::uint64_t mask = max;
  for (int shift : {1, 2, 4, 8, 16, 32}) mask |= mask >> shift;
  std::uint64_t value;
  if (max <= 0xffffffffULL) {
    do value = generator() & mask;
    while (value > max);
  } else {
    // numpy's legacy next_uint64 on MT19937: two 32-bit draws, high word first
    do {
      const std::uint64_t high = generator();
      value = ((high << 32) | generator()) & mask;
    } while (value > max);
  }
  return value;
}

}  // namespace

std::vector<std::int64_t> numpy_legacy_shuffled_range(std::int64_t n, std::uint32_t seed) {
  std::vector<std::int64_t> indices(static_cast<std::size_t>(n > 0 ? n : 0));
  std::iota(indices.begin(), indices.end(), std::int64_t{0});
  std::mt19937 generator(seed);
  for (std::int64_t i = n - 1; i >= 1; --i)
    std::swap(indices[static_cast<std::size_t>(i)],
              indices[static_cast<std::size_t>(random_interval(generator, static_cast<std::uint64_t>(i)))]);
  return indices;
}

}  // namespace strata::datasets
