#include <cmath>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>
#include <strata/backends/ops/random.hpp>

namespace strata::onednn {

namespace {

/// Element i of the noise depends only on (seed, salt, i), as the dropout mask does.
class RandomKernel final : public OnednnKernel {
 public:
  RandomKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<RandomAttrs>(op, context_);
    if (num_inputs() != 1 || in_dtype(0) != DType::int64 || out_dtype(0) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": random takes (seed_state int64) -> float32");
    kind_ = attrs.kind;
    salt_ = attrs.salt;
    n_ = num_elements(out_shape(0));
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* seed = static_cast<const std::int64_t*>(buffers.inputs[0]);
    auto* y = static_cast<float*>(buffers.outputs[0]);
    return [seed, y, kind = kind_, salt = salt_, n = n_] {
      const std::uint64_t key = random::stream_key(static_cast<std::uint64_t>(*seed), salt);
      if (kind == RandomKind::uniform) {
        parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
          for (std::int64_t i = b; i < e; ++i) y[i] = random::uniform(key, static_cast<std::uint64_t>(i));
        });
        return;
      }
      // Box-Muller over two uniforms per element; the half-step offset keeps log's argument in (0, 1)
      parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
        constexpr float kTwoPi = 6.283185307179586f;
        for (std::int64_t i = b; i < e; ++i) {
          const auto c = 2 * static_cast<std::uint64_t>(i);
          const float u1 = random::uniform(key, c) + 0.5f / 16777216.0f;
          const float u2 = random::uniform(key, c + 1);
          y[i] = std::sqrt(-2.0f * std::log(u1)) * std::cos(kTwoPi * u2);
        }
      });
    };
  }

 private:
  RandomKind kind_ = RandomKind::uniform;
  std::uint64_t salt_ = 0;
  std::int64_t n_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_random_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<RandomKernel>(graph, op);
}

}  // namespace strata::onednn
