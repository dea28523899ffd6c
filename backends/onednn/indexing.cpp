#include <cmath>
#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

template <typename L>
void one_hot_rows(const L* labels, float* y, std::int64_t n, std::int64_t depth) {
  parallel_chunks(n, std::max<std::int64_t>(1, 16384 / std::max<std::int64_t>(depth, 1)),
                  [&](std::int64_t b, std::int64_t e) {
                    for (std::int64_t i = b; i < e; ++i) {
                      float* row = y + i * depth;
                      std::fill(row, row + depth, 0.0f);
                      const L l = labels[i];
                      if constexpr (std::is_floating_point_v<L>) {
                        if (!(l >= 0) || l >= static_cast<L>(depth)) continue;  // NaN too
                      } else {
                        if (l < 0 || static_cast<std::int64_t>(l) >= depth) continue;
                      }
                      row[static_cast<std::int64_t>(l)] = 1.0f;
                    }
                  });
}

class OneHotKernel final : public OnednnKernel {
 public:
  OneHotKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    depth_ = attrs_of<OneHotAttrs>(op, context_).depth;
    if (out_dtype(0) != DType::float32 || depth_ < 0)
      throw BackendError("oneDNN backend: " + context_ + ": one_hot outputs float32 with a non-negative depth");
    n_ = num_elements(in_shape(0));
    dtype_ = in_dtype(0);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const void* l = buffers.inputs[0];
    auto* y = static_cast<float*>(buffers.outputs[0]);
    const std::int64_t n = n_, depth = depth_;
    switch (dtype_) {
      case DType::int32: return [l, y, n, depth] { one_hot_rows(static_cast<const std::int32_t*>(l), y, n, depth); };
      case DType::int64: return [l, y, n, depth] { one_hot_rows(static_cast<const std::int64_t*>(l), y, n, depth); };
      case DType::uint8: return [l, y, n, depth] { one_hot_rows(static_cast<const std::uint8_t*>(l), y, n, depth); };
      case DType::float32: break;
    }
    return [l, y, n, depth] { one_hot_rows(static_cast<const float*>(l), y, n, depth); };
  }

 private:
  std::int64_t depth_ = 0, n_ = 0;
  DType dtype_ = DType::int32;
};

class ArgmaxKernel final : public OnednnKernel {
 public:
  ArgmaxKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const int axis = attrs_of<AxisAttrs>(op, context_).axis;
    const Shape& x = in_shape(0);
    if (in_dtype(0) != DType::float32 || out_dtype(0) != DType::int32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": argmax maps float32 to int32");
    if (axis < 0 || axis >= static_cast<int>(x.size()))
      throw BackendError("oneDNN backend: " + context_ + ": argmax axis " + std::to_string(axis) +
                         " is out of range for " + shape_str(x));
    for (int i = 0; i < axis; ++i) outer_ *= x[i];
    len_ = x[axis];
    for (std::size_t i = axis + 1; i < x.size(); ++i) inner_ *= x[i];
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* x = static_cast<const float*>(buffers.inputs[0]);
    auto* y = static_cast<std::int32_t*>(buffers.outputs[0]);
    return [x, y, outer = outer_, len = len_, inner = inner_] {
      parallel_chunks(outer * inner, std::max<std::int64_t>(1, 4096 / std::max<std::int64_t>(len, 1)),
                      [&](std::int64_t b, std::int64_t e) {
                        for (std::int64_t i = b; i < e; ++i) {
                          const std::int64_t o = i / inner, in = i % inner;
                          const float* p = x + o * len * inner + in;
                          std::int64_t best = 0;
                          float best_v = len > 0 ? p[0] : 0.f;
                          for (std::int64_t k = 1; k < len; ++k) {
                            const float v = p[k * inner];
                            // NaN wins as in numpy, then the first maximum
                            if (v > best_v || (std::isnan(v) && !std::isnan(best_v))) {
                              best_v = v;
                              best = k;
                            }
                          }
                          y[i] = static_cast<std::int32_t>(best);
                        }
                      });
    };
  }

 private:
  std::int64_t outer_ = 1, len_ = 1, inner_ = 1;
};

class CastKernel final : public OnednnKernel {
 public:
  CastKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) { n_ = num_elements(in_shape(0)); }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* x = static_cast<const char*>(buffers.inputs[0]);
    auto* y = static_cast<char*>(buffers.outputs[0]);
    const DType from = in_dtype(0), to = out_dtype(0);
    const std::size_t sx = dtype_size(from), sy = dtype_size(to);
    return [x, y, from, to, sx, sy, n = n_] {
      if (from == to) {
        if (x != y) std::memmove(y, x, static_cast<std::size_t>(n) * sx);
        return;
      }
      parallel_chunks(n, 16384, [&](std::int64_t b, std::int64_t e) {
        convert_elements(x + b * sx, from, y + b * sy, to, static_cast<std::size_t>(e - b));
      });
    };
  }

 private:
  std::int64_t n_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_one_hot_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<OneHotKernel>(graph, op);
}

std::unique_ptr<Kernel> make_argmax_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ArgmaxKernel>(graph, op);
}

std::unique_ptr<Kernel> make_cast_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<CastKernel>(graph, op);
}

}  // namespace strata::onednn
