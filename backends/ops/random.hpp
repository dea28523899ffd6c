#pragma once
// Counter-based random numbers: value i of a stream depends only on (key, i), never on thread count
// or call order, so CPU and GPU kernels draw identical dropout masks for one seed.
#include <cstdint>

namespace strata::random {

/// splitmix64's finalizer: a bijective 64-bit mix with full avalanche.
inline constexpr std::uint64_t mix64(std::uint64_t z) {
  z += 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// Key of one stream, from a seed and a stream id (an op's salt, a layer's index).
inline constexpr std::uint64_t stream_key(std::uint64_t seed, std::uint64_t stream) {
  return mix64(seed ^ mix64(stream + 0x632BE59BD9B4E019ull));
}

/// Uniform in [0, 1) with 24 random bits: element `counter` of stream `key`.
inline constexpr float uniform(std::uint64_t key, std::uint64_t counter) {
  return static_cast<float>(mix64(key + counter * 0xD1B54A32D192ED03ull) >> 40) * (1.0f / 16777216.0f);
}

}  // namespace strata::random
