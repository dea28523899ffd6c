#pragma once
// Keras's built-in initializers as classes (keras.initializers.*), and their serialized form.
#include <cstdint>
#include <optional>
#include <string>

#include <strata/api/initializers/initializer.hpp>

namespace strata::initializers {

/// Keras's serialized form: {"module": "keras.initializers", "class_name", "config", "registered_name"}.
nlohmann::json serialize(const Initializer& initializer);

/// The inverse of serialize: a Keras identifier ("glorot_uniform") or a serialized initializer of any
/// Keras version ({"class_name": "GlorotUniform", "config": {"seed": null}}, with or without "module").
/// ValueError naming the class if strata does not have it.
Initializer deserialize(const nlohmann::json& value);

/// Keras identifiers accepted by Initializer("..."), sorted.
const std::vector<std::string>& identifiers();

struct SeedOptions {
  /// Fixed seed: every call draws the same values. Unset: each call draws a fresh seed from the
  /// global generator (set_random_seed), so values depend only on that seed and the call order.
  std::optional<std::uint64_t> seed;
};

class Zeros : public Initializer {
 public:
  Zeros();
};

class Ones : public Initializer {
 public:
  Ones();
};

class Constant : public Initializer {
 public:
  explicit Constant(double value = 0.0);
};

struct RandomUniformOptions {
  double minval = -0.05;
  double maxval = 0.05;
  std::optional<std::uint64_t> seed;
};
class RandomUniform : public Initializer {
 public:
  explicit RandomUniform(RandomUniformOptions options = {});
};

struct RandomNormalOptions {
  double mean = 0.0;
  double stddev = 0.05;
  std::optional<std::uint64_t> seed;
};
class RandomNormal : public Initializer {
 public:
  explicit RandomNormal(RandomNormalOptions options = {});
};

/// Normal values more than 2 standard deviations from the mean are redrawn.
class TruncatedNormal : public Initializer {
 public:
  explicit TruncatedNormal(RandomNormalOptions options = {});
};

struct VarianceScalingOptions {
  double scale = 1.0;
  std::string mode = "fan_in";                   // fan_in, fan_out, fan_avg
  std::string distribution = "truncated_normal";  // truncated_normal ("normal"), untruncated_normal, uniform
  std::optional<std::uint64_t> seed;
};
class VarianceScaling : public Initializer {
 public:
  explicit VarianceScaling(VarianceScalingOptions options = {});
};

class GlorotUniform : public Initializer {
 public:
  explicit GlorotUniform(SeedOptions options = {});
};
class GlorotNormal : public Initializer {
 public:
  explicit GlorotNormal(SeedOptions options = {});
};
class HeUniform : public Initializer {
 public:
  explicit HeUniform(SeedOptions options = {});
};
class HeNormal : public Initializer {
 public:
  explicit HeNormal(SeedOptions options = {});
};
class LecunUniform : public Initializer {
 public:
  explicit LecunUniform(SeedOptions options = {});
};
class LecunNormal : public Initializer {
 public:
  explicit LecunNormal(SeedOptions options = {});
};

/// keras.initializers.Identity: gain * eye(rows, cols) for a 2D shape (ValueError otherwise).
class Identity : public Initializer {
 public:
  explicit Identity(double gain = 1.0);
};

struct OrthogonalOptions {
  double gain = 1.0;
  std::optional<std::uint64_t> seed;
};
/// keras.initializers.Orthogonal: the shape flattened to (prod(shape[:-1]), shape[-1]) gets orthonormal rows or
/// columns (whichever are fewer), from the QR factorization of a standard normal matrix with R's diagonal made
/// positive, times gain. The normal draws are strata's (seeded), so values differ from Keras's but have the
/// same distribution.
class Orthogonal : public Initializer {
 public:
  explicit Orthogonal(OrthogonalOptions options = {});
};

struct STFTOptions {
  std::string side = "real";       // "real" (cosines) or "imag" (sines)
  std::string window = "hann";     // scipy.signal.get_window name: hann, hamming, blackman, bartlett, boxcar; "" = None
  std::vector<double> window_values;  // an explicit window (length frame_length) instead of a name
  std::string scaling = "density";    // "density" (L2), "spectrum" (L1) or "" (None)
  bool periodic = false;              // scipy's fftbins: a periodic rather than symmetric window
};
/// keras.initializers.STFT: kernels (frame_length, 1, fft_bins) whose columns are the windowed real or imaginary
/// DFT basis, for STFT convolutions; computed in float32 in Keras's order so the values match Keras's.
class STFT : public Initializer {
 public:
  explicit STFT(STFTOptions options = {});
};

/// Keras's compute_fans: (fan_in, fan_out) of a weight shape; conv kernels (..., in, out) count the
/// receptive field.
std::pair<double, double> compute_fans(const Shape& shape);

}  // namespace strata::initializers
