#include <strata/api/initializers/initializers.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <numbers>

#include <strata/api/random.hpp>
#include <strata/backends/ops/random.hpp>

namespace strata {

namespace {

using Factory = std::function<Initializer()>;

const std::map<std::string, Factory>& registry() {
  using namespace initializers;
  static const std::map<std::string, Factory> r = {
      {"Zeros", [] { return Zeros(); }},
      {"zeros", [] { return Zeros(); }},
      {"zero", [] { return Zeros(); }},
      {"Ones", [] { return Ones(); }},
      {"ones", [] { return Ones(); }},
      {"one", [] { return Ones(); }},
      {"RandomUniform", [] { return RandomUniform(); }},
      {"random_uniform", [] { return RandomUniform(); }},
      {"uniform", [] { return RandomUniform(); }},
      {"RandomNormal", [] { return RandomNormal(); }},
      {"random_normal", [] { return RandomNormal(); }},
      {"normal", [] { return RandomNormal(); }},
      {"TruncatedNormal", [] { return TruncatedNormal(); }},
      {"truncated_normal", [] { return TruncatedNormal(); }},
      {"VarianceScaling", [] { return VarianceScaling(); }},
      {"variance_scaling", [] { return VarianceScaling(); }},
      {"GlorotUniform", [] { return GlorotUniform(); }},
      {"glorot_uniform", [] { return GlorotUniform(); }},
      {"GlorotNormal", [] { return GlorotNormal(); }},
      {"glorot_normal", [] { return GlorotNormal(); }},
      {"HeUniform", [] { return HeUniform(); }},
      {"he_uniform", [] { return HeUniform(); }},
      {"HeNormal", [] { return HeNormal(); }},
      {"he_normal", [] { return HeNormal(); }},
      {"LecunUniform", [] { return LecunUniform(); }},
      {"lecun_uniform", [] { return LecunUniform(); }},
      {"LecunNormal", [] { return LecunNormal(); }},
      {"lecun_normal", [] { return LecunNormal(); }},
      {"Identity", [] { return Identity(); }},
      {"identity", [] { return Identity(); }},
      {"IdentityInitializer", [] { return Identity(); }},
      {"Orthogonal", [] { return Orthogonal(); }},
      {"orthogonal", [] { return Orthogonal(); }},
      {"OrthogonalInitializer", [] { return Orthogonal(); }},
      {"STFT", [] { return STFT(); }},
      {"stft", [] { return STFT(); }},
      {"STFTInitializer", [] { return STFT(); }},
  };
  return r;
}

Initializer lookup(const std::string& identifier) {
  const auto& r = registry();
  auto it = r.find(identifier);
  if (it == r.end()) {
    std::string names;
    for (const auto& n : initializers::identifiers()) names += (names.empty() ? "" : ", ") + n;
    throw ValueError("Unknown initializer '" + identifier + "'. Valid identifiers: " + names);
  }
  return it->second();
}

nlohmann::json seed_json(const std::optional<std::uint64_t>& seed) {
  return seed ? nlohmann::json(*seed) : nlohmann::json(nullptr);
}

/// Key of the stream one call draws from: the fixed seed's, or a fresh draw from the global generator.
std::uint64_t call_key(const std::optional<std::uint64_t>& seed) {
  return seed ? random::stream_key(*seed, 0) : next_seed();
}

Tensor finish(Tensor values, DType dtype) { return dtype == DType::float32 ? values : values.astype(dtype); }

Tensor uniform_tensor(const Shape& shape, DType dtype, double lo, double hi, std::uint64_t key) {
  Tensor t(shape, DType::float32);
  float* p = t.data<float>();
  for (std::int64_t i = 0; i < t.size(); ++i)
    p[i] = static_cast<float>(lo + (hi - lo) * random::uniform(key, static_cast<std::uint64_t>(i)));
  return finish(std::move(t), dtype);
}

/// Standard normal by Box-Muller from two uniforms at `counter`; advances the counter.
double standard_normal(std::uint64_t key, std::uint64_t& counter) {
  double u1 = 1.0 - random::uniform(key, counter++);  // (0, 1], so log is finite
  double u2 = random::uniform(key, counter++);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

Tensor normal_tensor(const Shape& shape, DType dtype, double mean, double stddev, bool truncated, std::uint64_t key) {
  Tensor t(shape, DType::float32);
  float* p = t.data<float>();
  std::uint64_t counter = 0;
  for (std::int64_t i = 0; i < t.size(); ++i) {
    double z = standard_normal(key, counter);
    while (truncated && std::abs(z) > 2.0) z = standard_normal(key, counter);
    p[i] = static_cast<float>(mean + stddev * z);
  }
  return finish(std::move(t), dtype);
}

Initializer variance_scaling(const std::string& class_name, nlohmann::json config, double scale, std::string mode,
                             std::string distribution, std::optional<std::uint64_t> seed) {
  if (!(scale > 0.0))
    throw ValueError(class_name + ": argument `scale` must be positive float. Received: scale=" +
                     std::to_string(scale));
  if (mode != "fan_in" && mode != "fan_out" && mode != "fan_avg")
    throw ValueError(class_name + ": invalid `mode` argument: '" + mode +
                     "'. Please use one of fan_in, fan_out, fan_avg");
  if (distribution == "normal") distribution = "truncated_normal";
  if (distribution != "uniform" && distribution != "truncated_normal" && distribution != "untruncated_normal")
    throw ValueError(class_name + ": invalid `distribution` argument: '" + distribution +
                     "'. Please use one of uniform, truncated_normal, untruncated_normal");
  if (class_name == "VarianceScaling") {
    config["scale"] = scale;
    config["mode"] = mode;
    config["distribution"] = distribution;
  }
  config["seed"] = seed_json(seed);
  config["input_axes"] = nullptr;
  config["output_axes"] = nullptr;
  return Initializer(class_name, std::move(config), [=](const Shape& shape, DType dtype) {
    auto [fan_in, fan_out] = initializers::compute_fans(shape);
    double s = scale;
    if (mode == "fan_in") s /= std::max(1.0, fan_in);
    else if (mode == "fan_out") s /= std::max(1.0, fan_out);
    else s /= std::max(1.0, (fan_in + fan_out) / 2.0);
    std::uint64_t key = call_key(seed);
    if (distribution == "truncated_normal")  // 0.8796... is the stddev of a unit normal truncated at 2
      return normal_tensor(shape, dtype, 0.0, std::sqrt(s) / 0.87962566103423978, true, key);
    if (distribution == "untruncated_normal") return normal_tensor(shape, dtype, 0.0, std::sqrt(s), false, key);
    double limit = std::sqrt(3.0 * s);
    return uniform_tensor(shape, dtype, -limit, limit, key);
  });
}

}  // namespace

Initializer::Initializer(const char* identifier) : Initializer(lookup(identifier)) {}
Initializer::Initializer(const std::string& identifier) : Initializer(lookup(identifier)) {}
Initializer::Initializer(std::string class_name, nlohmann::json config, Fill fill)
    : class_name_(std::move(class_name)), config_(std::move(config)), fill_(std::move(fill)) {}

namespace initializers {

nlohmann::json serialize(const Initializer& initializer) {
  return {{"module", "keras.initializers"},
          {"class_name", initializer.class_name()},
          {"config", initializer.get_config()},
          {"registered_name", nullptr}};
}

Initializer deserialize(const nlohmann::json& value) {
  if (value.is_string()) return Initializer(value.get<std::string>());
  if (!value.is_object() || !value.contains("class_name") || !value.at("class_name").is_string())
    throw ValueError("cannot interpret initializer " + value.dump() +
                     ": expected an identifier or {\"class_name\": ..., \"config\": {...}}");
  const std::string cls = value.at("class_name").get<std::string>();
  const nlohmann::json c = value.contains("config") && value.at("config").is_object() ? value.at("config")
                                                                                        : nlohmann::json::object();
  auto number = [&](const char* key, double fallback) {
    auto it = c.find(key);
    if (it == c.end() || it->is_null()) return fallback;
    if (!it->is_number()) throw ValueError(cls + ": config field '" + std::string(key) + "' must be a number");
    return it->get<double>();
  };
  auto text = [&](const char* key, const std::string& fallback) {
    auto it = c.find(key);
    return it != c.end() && it->is_string() ? it->get<std::string>() : fallback;
  };
  std::optional<std::uint64_t> seed;
  if (auto it = c.find("seed"); it != c.end() && it->is_number_integer()) seed = it->get<std::uint64_t>();
  if (cls == "Zeros" || cls == "zeros") return Zeros();
  if (cls == "Ones" || cls == "ones") return Ones();
  if (cls == "Constant") return Constant(number("value", 0.0));
  if (cls == "RandomUniform")
    return RandomUniform({.minval = number("minval", -0.05), .maxval = number("maxval", 0.05), .seed = seed});
  if (cls == "RandomNormal")
    return RandomNormal({.mean = number("mean", 0.0), .stddev = number("stddev", 0.05), .seed = seed});
  if (cls == "TruncatedNormal")
    return TruncatedNormal({.mean = number("mean", 0.0), .stddev = number("stddev", 0.05), .seed = seed});
  if (cls == "VarianceScaling")
    return VarianceScaling({.scale = number("scale", 1.0),
                            .mode = text("mode", "fan_in"),
                            .distribution = text("distribution", "truncated_normal"),
                            .seed = seed});
  if (cls == "GlorotUniform") return GlorotUniform({seed});
  if (cls == "GlorotNormal") return GlorotNormal({seed});
  if (cls == "HeUniform") return HeUniform({seed});
  if (cls == "HeNormal") return HeNormal({seed});
  if (cls == "LecunUniform") return LecunUniform({seed});
  if (cls == "LecunNormal") return LecunNormal({seed});
  if (cls == "Identity" || cls == "IdentityInitializer") return Identity(number("gain", 1.0));
  if (cls == "Orthogonal" || cls == "OrthogonalInitializer") return Orthogonal({.gain = number("gain", 1.0), .seed = seed});
  if (cls == "STFT" || cls == "STFTInitializer") {
    STFTOptions o{.side = text("side", "real"), .scaling = "density", .periodic = false};
    if (auto it = c.find("window"); it != c.end()) {
      if (it->is_null()) o.window = "";
      else if (it->is_string()) o.window = it->get<std::string>();
      else if (it->is_array()) o.window = "", o.window_values = it->get<std::vector<double>>();
      else throw ValueError(cls + ": config field 'window' must be a name, a list of numbers or null");
    }
    if (auto it = c.find("scaling"); it != c.end()) o.scaling = it->is_null() ? "" : text("scaling", "density");
    if (auto it = c.find("periodic"); it != c.end() && it->is_boolean()) o.periodic = it->get<bool>();
    return STFT(o);
  }
  // Keras 2 files may name the class by identifier ("glorot_uniform")
  return Initializer(cls);
}

const std::vector<std::string>& identifiers() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& [k, v] : registry()) n.push_back(k);
    return n;
  }();
  return names;
}

std::pair<double, double> compute_fans(const Shape& shape) {
  if (shape.empty()) return {1.0, 1.0};
  if (shape.size() == 1) return {double(shape[0]), double(shape[0])};
  if (shape.size() == 2) return {double(shape[0]), double(shape[1])};
  double receptive = 1;
  for (std::size_t i = 0; i + 2 < shape.size(); ++i) receptive *= double(shape[i]);
  return {double(shape[shape.size() - 2]) * receptive, double(shape.back()) * receptive};
}

Zeros::Zeros()
    : Initializer("Zeros", nlohmann::json::object(), [](const Shape& s, DType d) { return Tensor(s, d); }) {}

Ones::Ones()
    : Initializer("Ones", nlohmann::json::object(),
                  [](const Shape& s, DType d) { return finish(Tensor::full(s, 1.0f), d); }) {}

Constant::Constant(double value)
    : Initializer("Constant", {{"value", value}},
                  [value](const Shape& s, DType d) { return finish(Tensor::full(s, static_cast<float>(value)), d); }) {}

RandomUniform::RandomUniform(RandomUniformOptions o)
    : Initializer("RandomUniform", {{"seed", seed_json(o.seed)}, {"minval", o.minval}, {"maxval", o.maxval}},
                  [o](const Shape& s, DType d) { return uniform_tensor(s, d, o.minval, o.maxval, call_key(o.seed)); }) {}

RandomNormal::RandomNormal(RandomNormalOptions o)
    : Initializer("RandomNormal", {{"seed", seed_json(o.seed)}, {"mean", o.mean}, {"stddev", o.stddev}},
                  [o](const Shape& s, DType d) {
                    return normal_tensor(s, d, o.mean, o.stddev, false, call_key(o.seed));
                  }) {}

TruncatedNormal::TruncatedNormal(RandomNormalOptions o)
    : Initializer("TruncatedNormal", {{"seed", seed_json(o.seed)}, {"mean", o.mean}, {"stddev", o.stddev}},
                  [o](const Shape& s, DType d) {
                    return normal_tensor(s, d, o.mean, o.stddev, true, call_key(o.seed));
                  }) {}

VarianceScaling::VarianceScaling(VarianceScalingOptions o)
    : Initializer(variance_scaling("VarianceScaling", nlohmann::json::object(), o.scale, o.mode, o.distribution,
                                   o.seed)) {}

GlorotUniform::GlorotUniform(SeedOptions o)
    : Initializer(variance_scaling("GlorotUniform", nlohmann::json::object(), 1.0, "fan_avg", "uniform", o.seed)) {}
GlorotNormal::GlorotNormal(SeedOptions o)
    : Initializer(variance_scaling("GlorotNormal", nlohmann::json::object(), 1.0, "fan_avg", "truncated_normal",
                                   o.seed)) {}
HeUniform::HeUniform(SeedOptions o)
    : Initializer(variance_scaling("HeUniform", nlohmann::json::object(), 2.0, "fan_in", "uniform", o.seed)) {}
HeNormal::HeNormal(SeedOptions o)
    : Initializer(variance_scaling("HeNormal", nlohmann::json::object(), 2.0, "fan_in", "truncated_normal", o.seed)) {}
LecunUniform::LecunUniform(SeedOptions o)
    : Initializer(variance_scaling("LecunUniform", nlohmann::json::object(), 1.0, "fan_in", "uniform", o.seed)) {}
LecunNormal::LecunNormal(SeedOptions o)
    : Initializer(variance_scaling("LecunNormal", nlohmann::json::object(), 1.0, "fan_in", "truncated_normal",
                                   o.seed)) {}

Identity::Identity(double gain)
    // Keras 3.15's Identity.get_config is {} (it drops gain); strata keeps a non-default gain, which Keras reads
    : Initializer("Identity", gain == 1.0 ? nlohmann::json::object() : nlohmann::json{{"gain", gain}},
                  [gain](const Shape& s, DType d) {
        if (s.size() != 2)
          throw ValueError("Identity matrix initializer can only be used for 2D matrices. Received: shape=" +
                           shape_str(s) + " of rank " + std::to_string(s.size()) + ".");
        Tensor t(s, DType::float32);
        for (std::int64_t i = 0; i < std::min(s[0], s[1]); ++i) t.data<float>()[i * s[1] + i] = static_cast<float>(gain);
        return finish(std::move(t), d);
      }) {}

namespace {
/// scipy.signal.get_window(name, n, fftbins=periodic) for the cosine-sum and triangular windows.
std::vector<double> named_window(const std::string& name, std::int64_t n, bool periodic) {
  static const char* const known[] = {"hann", "hanning", "hamming", "blackman", "bartlett", "boxcar", "rectangular",
                                     "ones"};
  if (std::find(std::begin(known), std::end(known), name) == std::end(known))
    throw ValueError("STFT: unknown window '" + name +
                     "'; strata has scipy's hann, hamming, blackman, bartlett and boxcar, or give window_values");
  std::vector<double> w(static_cast<std::size_t>(n), 1.0);
  if (name == "boxcar" || name == "rectangular" || name == "ones" || n == 1) return w;
  const double m = periodic ? static_cast<double>(n) : static_cast<double>(n - 1);  // periodic: n+1 points, truncated
  const double pi = std::acos(-1.0);
  for (std::int64_t i = 0; i < n; ++i) {
    const double x = 2 * pi * static_cast<double>(i) / m;
    if (name == "hann" || name == "hanning") w[i] = 0.5 - 0.5 * std::cos(x);
    else if (name == "hamming") w[i] = 0.54 - 0.46 * std::cos(x);
    else if (name == "blackman") w[i] = 0.42 - 0.5 * std::cos(x) + 0.08 * std::cos(2 * x);
    else w[i] = 1.0 - std::abs(2.0 * static_cast<double>(i) / m - 1.0);  // bartlett
  }
  return w;
}
}  // namespace

STFT::STFT(STFTOptions o)
    : Initializer("STFT",
                  {{"side", o.side},
                   {"window", !o.window_values.empty() ? nlohmann::json(o.window_values)
                              : o.window.empty()       ? nlohmann::json(nullptr)
                                                       : nlohmann::json(o.window)},
                   {"periodic", o.periodic},
                   {"scaling", o.scaling.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.scaling)}},
                  [o](const Shape& s, DType d) {
        if (s.size() != 3)
          throw ValueError("STFT: the kernel shape must be (frame_length, input_channels, fft_bins), got " +
                           shape_str(s));
        const std::int64_t frames = s[0], channels = s[1], bins = s[2];
        std::vector<float> win;
        if (!o.window_values.empty()) {
          if (static_cast<std::int64_t>(o.window_values.size()) != frames)
            throw ValueError("The shape of `window` must be equal to [frame_length].Received: window shape=(" +
                             std::to_string(o.window_values.size()) + ",)");
          for (double v : o.window_values) win.push_back(static_cast<float>(v));
        } else if (!o.window.empty()) {
          for (double v : named_window(o.window, frames, o.periodic)) win.push_back(static_cast<float>(v));
        }
        float scaling = 1.0f;
        if (!win.empty() && o.scaling == "density") {
          float sum = 0;
          for (float v : win) sum += v * v;
          scaling = std::sqrt(sum);
        } else if (!win.empty() && o.scaling == "spectrum") {
          float sum = 0;
          for (float v : win) sum += std::abs(v);
          scaling = sum;
        }
        // Keras's float32 arithmetic: args = ((-2 * time) * (k / fft_length)) * pi
        const float fft_length = static_cast<float>((bins - 1) * 2);
        const float pi = static_cast<float>(std::acos(-1.0));
        Tensor t(s, DType::float32);
        float* out = t.data<float>();
        for (std::int64_t i = 0; i < frames; ++i)
          for (std::int64_t k = 0; k < bins; ++k) {
            const float freq = static_cast<float>(k) / fft_length;
            const float arg = (-2.0f * static_cast<float>(i)) * freq * pi;
            float v = static_cast<float>(o.side == "real" ? std::cos(static_cast<double>(arg))
                                                          : std::sin(static_cast<double>(arg)));
            if (!win.empty()) v = v * win[static_cast<std::size_t>(i)] / scaling;
            for (std::int64_t c = 0; c < channels; ++c) out[(i * channels + c) * bins + k] = v;
          }
        return finish(std::move(t), d);
      }) {
  if (o.side != "real" && o.side != "imag") throw ValueError("side should be 'real' or 'imag', not " + o.side);
  if (!o.scaling.empty() && o.scaling != "density" && o.scaling != "spectrum")
    throw ValueError("Scaling is invalid, it must be `None`, 'density' or 'spectrum'. Received scaling=" + o.scaling);
  if (o.window_values.empty() && !o.window.empty()) named_window(o.window, 1, false);  // rejects unknown names now
}

Orthogonal::Orthogonal(OrthogonalOptions o)
    : Initializer("Orthogonal", {{"seed", seed_json(o.seed)}, {"gain", o.gain}}, [o](const Shape& s, DType d) {
        if (s.size() < 2)
          throw ValueError("The tensor to initialize must be at least two-dimensional. Received: shape=" +
                           shape_str(s) + " of rank " + std::to_string(s.size()) + ".");
        std::int64_t rows = 1;
        for (std::size_t i = 0; i + 1 < s.size(); ++i) rows *= s[i];
        const std::int64_t cols = s.back();
        const std::int64_t m = std::max(rows, cols), n = std::min(rows, cols);
        Tensor a = normal_tensor({m, n}, DType::float32, 0.0, 1.0, false, call_key(o.seed));
        // Gram-Schmidt (twice, for orthogonality in float) gives QR's Q with R's diagonal positive, which is
        // Keras's q * sign(diag(r))
        std::vector<double> q(static_cast<std::size_t>(m * n));
        for (std::int64_t i = 0; i < m * n; ++i) q[i] = a.data<float>()[i];
        for (std::int64_t j = 0; j < n; ++j) {
          for (int pass = 0; pass < 2; ++pass)
            for (std::int64_t k = 0; k < j; ++k) {
              double dot = 0;
              for (std::int64_t i = 0; i < m; ++i) dot += q[i * n + k] * q[i * n + j];
              for (std::int64_t i = 0; i < m; ++i) q[i * n + j] -= dot * q[i * n + k];
            }
          double norm = 0;
          for (std::int64_t i = 0; i < m; ++i) norm += q[i * n + j] * q[i * n + j];
          norm = std::sqrt(norm);
          for (std::int64_t i = 0; i < m; ++i) q[i * n + j] /= norm;
        }
        Tensor t(s, DType::float32);
        float* p = t.data<float>();
        // (m, n) is (rows, cols) unless rows < cols, where Keras transposes
        for (std::int64_t r = 0; r < rows; ++r)
          for (std::int64_t c = 0; c < cols; ++c)
            p[r * cols + c] = static_cast<float>(o.gain * (rows >= cols ? q[r * n + c] : q[c * n + r]));
        return finish(std::move(t), d);
      }) {}

}  // namespace initializers
}  // namespace strata
