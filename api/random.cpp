#include <strata/api/random.hpp>

#include <atomic>

#include <strata/backends/ops/random.hpp>

namespace strata {

namespace {
std::atomic<std::uint64_t> global_seed{1337};
std::atomic<std::uint64_t> draws{0};
}  // namespace

void set_random_seed(std::uint64_t seed) {
  global_seed = seed;
  draws = 0;
}

std::uint64_t next_seed() { return random::stream_key(global_seed.load(), draws.fetch_add(1)); }

}  // namespace strata
