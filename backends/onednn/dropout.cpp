#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>
#include <strata/backends/ops/random.hpp>

namespace strata::onednn {

namespace {

// clones for AVX-512 and AVX2 vectorize the generator's 64-bit multiplies without building the library for them
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define STRATA_VECTOR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define STRATA_VECTOR_CLONES
#endif

/// One row of mask indices base, base+1, ...: random::uniform's bits, converted through uint32 (exact) to vectorize.
STRATA_VECTOR_CLONES
void dropout_row(std::uint64_t key, std::uint64_t base, float rate, float scale, const float* x, float* y, float* mask,
                 std::int64_t n) {
  for (std::int64_t j = 0; j < n; ++j) {
    const std::uint64_t bits = random::mix64(key + (base + static_cast<std::uint64_t>(j)) * 0xD1B54A32D192ED03ull);
    const float u = static_cast<float>(static_cast<std::uint32_t>(bits >> 40)) * (1.0f / 16777216.0f);
    const float m = u >= rate ? scale : 0.0f;
    mask[j] = m;
    y[j] = x[j] * m;
  }
}

class DropoutKernel final : public OnednnKernel {
 public:
  DropoutKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<DropoutAttrs>(op, context_);
    if (in_dtype(0) != DType::float32 || in_dtype(1) != DType::int64 || num_outputs() != 2)
      throw UnsupportedError("oneDNN backend: " + context_ +
                             ": dropout takes (x float32, seed_state int64) -> (y, mask)");
    const Shape& x = in_shape(0);
    if (!attrs.noise_broadcast.empty() && attrs.noise_broadcast.size() != x.size())
      throw BackendError("oneDNN backend: " + context_ + ": noise_broadcast has " +
                         std::to_string(attrs.noise_broadcast.size()) + " entries for " + shape_str(x));
    rate_ = attrs.rate;
    salt_ = attrs.salt;
    n_ = num_elements(x);
    dims_ = x.empty() ? std::vector<std::int64_t>{1} : std::vector<std::int64_t>(x.begin(), x.end());
    mask_strides_.assign(dims_.size(), 0);
    std::int64_t stride = 1;
    for (std::size_t a = dims_.size(); a-- > 0;) {
      const bool shared = !attrs.noise_broadcast.empty() && attrs.noise_broadcast[a];
      mask_strides_[a] = shared ? 0 : stride;
      stride *= dims_[a];
    }
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* x = static_cast<const float*>(buffers.inputs[0]);
    const auto* seed = static_cast<const std::int64_t*>(buffers.inputs[1]);
    auto* y = static_cast<float*>(buffers.outputs[0]);
    auto* mask = static_cast<float*>(buffers.outputs[1]);
    return [x, seed, y, mask, rate = rate_, salt = salt_, n = n_, dims = dims_, mstr = mask_strides_] {
      const std::uint64_t key = random::stream_key(static_cast<std::uint64_t>(*seed), salt);
      const float scale = rate < 1.0f ? 1.0f / (1.0f - rate) : 0.0f;
      const std::int64_t inner = dims.back(), rows = n / std::max<std::int64_t>(inner, 1);
      const std::int64_t inner_stride = mstr.back();
      const std::size_t outer_dims = dims.size() - 1;
      parallel_chunks(rows, std::max<std::int64_t>(1, 4096 / std::max<std::int64_t>(inner, 1)),
                      [&](std::int64_t r0, std::int64_t r1) {
                        for (std::int64_t r = r0; r < r1; ++r) {
                          std::int64_t base = 0, rest = r;
                          for (std::size_t d = outer_dims; d-- > 0;) {
                            base += (rest % dims[d]) * mstr[d];
                            rest /= dims[d];
                          }
                          const float* px = x + r * inner;
                          float* py = y + r * inner;
                          float* pm = mask + r * inner;
                          if (inner_stride == 0) {  // the mask is shared along the last axis
                            const float m = random::uniform(key, static_cast<std::uint64_t>(base)) >= rate ? scale : 0.0f;
                            for (std::int64_t j = 0; j < inner; ++j) {
                              pm[j] = m;
                              py[j] = px[j] * m;
                            }
                          } else {
                            dropout_row(key, static_cast<std::uint64_t>(base), rate, scale, px, py, pm, inner);
                          }
                        }
                      });
    };
  }

 private:
  float rate_ = 0.5f;
  std::uint64_t salt_ = 0;
  std::int64_t n_ = 0;
  std::vector<std::int64_t> dims_, mask_strides_;
};

}  // namespace

std::unique_ptr<Kernel> make_dropout_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<DropoutKernel>(graph, op);
}

}  // namespace strata::onednn
