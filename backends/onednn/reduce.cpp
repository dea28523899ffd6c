#include <algorithm>
#include <cstring>
#include <limits>

#include <omp.h>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

struct SumOp {
  static constexpr float identity() { return 0.0f; }
  static float apply(float a, float b) { return a + b; }
};
struct MaxOp {
  static constexpr float identity() { return -std::numeric_limits<float>::infinity(); }
  static float apply(float a, float b) { return a > b ? a : b; }
};
struct MinOp {
  static constexpr float identity() { return std::numeric_limits<float>::infinity(); }
  static float apply(float a, float b) { return a < b ? a : b; }
};

/// Reduces one contiguous row with independent accumulators so the loop vectorizes.
template <typename R>
float reduce_row(const float* x, std::int64_t n) {
  constexpr int kLanes = 16;
  float acc[kLanes];
  for (float& a : acc) a = R::identity();
  std::int64_t j = 0;
  for (; j + kLanes <= n; j += kLanes)
    for (int l = 0; l < kLanes; ++l) acc[l] = R::apply(acc[l], x[j + l]);
  float r = R::identity();
  for (; j < n; ++j) r = R::apply(r, x[j]);
  for (float a : acc) r = R::apply(r, a);
  return r;
}

/// The reduction in plain loops over collapsed dims, for shapes where oneDNN only has its reference kernel.
struct NativeReduce {
  std::vector<std::int64_t> dims;      // collapsed source dims
  std::vector<std::int64_t> y_stride;  // output stride per dim, 0 on reduced dims
  bool outer_parallel = false;         // the outermost dim is kept and wide: threads own disjoint outputs
  bool columns_parallel = false;       // (rows reduced, wide columns kept), e.g. a bias gradient: threads own columns
  std::int64_t rows = 1, inner = 1, y_size = 1;
  bool inner_reduced = false;
  float scale = 1.0f;  // 1 / count for mean
  int threads = 1;

  /// Accumulates rows [r0, r1) of x into acc (laid out like y).
  template <typename R>
  void accumulate(const float* x, float* acc, std::int64_t r0, std::int64_t r1) const {
    const std::size_t outer_dims = dims.size() - 1;
    for (std::int64_t r = r0; r < r1; ++r) {
      std::int64_t off = 0, rest = r;
      for (std::size_t d = outer_dims; d-- > 0;) {
        off += (rest % dims[d]) * y_stride[d];
        rest /= dims[d];
      }
      const float* px = x + r * inner;
      if (inner_reduced) {
        acc[off] = R::apply(acc[off], reduce_row<R>(px, inner));
      } else {
        float* pa = acc + off;
        for (std::int64_t j = 0; j < inner; ++j) pa[j] = R::apply(pa[j], px[j]);
      }
    }
  }

  template <typename R>
  void run(const float* x, float* y, float* partials) const {
    if (columns_parallel) {
      // one parallel region and no barrier: on a loaded machine every OpenMP synchronisation can cost a time slice
#pragma omp parallel num_threads(threads)
      {
        const std::int64_t nth = omp_get_num_threads(), tid = omp_get_thread_num();
        auto column = [&](std::int64_t t) { return t == nth ? inner : (inner * t / nth) & ~std::int64_t(15); };
        const std::int64_t k0 = column(tid), k1 = column(tid + 1);
        if (k0 < k1) {
          std::fill(y + k0, y + k1, R::identity());
          for (std::int64_t r = 0; r < rows; ++r) {
            const float* px = x + r * inner;
            for (std::int64_t k = k0; k < k1; ++k) y[k] = R::apply(y[k], px[k]);
          }
          if (scale != 1.0f)
            for (std::int64_t k = k0; k < k1; ++k) y[k] *= scale;
        }
      }
      return;
    }
    if (outer_parallel) {
      const std::int64_t per = rows / dims[0], y_per = y_size / dims[0];
#pragma omp parallel for schedule(static)
      for (std::int64_t i = 0; i < dims[0]; ++i) {
        std::fill(y + i * y_per, y + (i + 1) * y_per, R::identity());
        accumulate<R>(x, y, i * per, (i + 1) * per);
        if (scale != 1.0f)
          for (std::int64_t k = i * y_per; k < (i + 1) * y_per; ++k) y[k] *= scale;
      }
      return;
    }
    int used = 1;
#pragma omp parallel num_threads(threads)
    {
      const int nth = omp_get_num_threads(), tid = omp_get_thread_num();
#pragma omp single
      used = nth;
      float* acc = partials + static_cast<std::size_t>(tid) * static_cast<std::size_t>(y_size);
      std::fill(acc, acc + y_size, R::identity());
      accumulate<R>(x, acc, rows * tid / nth, rows * (tid + 1) / nth);
#pragma omp barrier
#pragma omp for schedule(static)
      for (std::int64_t k = 0; k < y_size; ++k) {
        float v = partials[k];
        for (int t = 1; t < used; ++t) v = R::apply(v, partials[static_cast<std::size_t>(t) * y_size + k]);
        y[k] = v * scale;
      }
    }
  }
};

class ReduceKernel final : public OnednnKernel {
 public:
  ReduceKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<ReduceAttrs>(op, context_);
    kind_ = attrs.kind;
    if (in_dtype(0) != DType::float32 || out_dtype(0) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": reduce supports float32 only");
    const Shape& x = in_shape(0);
    std::vector<bool> reduced(x.size(), attrs.axes.empty());
    for (int a : attrs.axes) {
      if (a < 0 || a >= static_cast<int>(x.size()))
        throw BackendError("oneDNN backend: " + context_ + ": reduce axis " + std::to_string(a) +
                           " is out of range for " + shape_str(x));
      reduced[a] = true;
    }
    // merge neighbouring axes of the same role; size-1 axes change nothing
    memory::dims src, dst;
    bool last_reduced = false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i] == 1) continue;
      if (!src.empty() && reduced[i] == last_reduced) {
        src.back() *= x[i];
        if (!reduced[i]) dst.back() *= x[i];
        continue;
      }
      src.push_back(x[i]);
      dst.push_back(reduced[i] ? 1 : x[i]);
      last_reduced = reduced[i];
    }
    empty_fill_ = attrs.kind == ReduceKind::sum ? 0.f : std::numeric_limits<float>::quiet_NaN();
    bytes_ = static_cast<std::size_t>(num_elements(out_shape(0))) * sizeof(float);
    if (src == dst || num_elements(x) == 0) return;  // nothing to reduce: a copy (or fill for empty input)
    src_md_ = memory::desc(src, dt::f32, row_major_strides(src));
    dst_md_ = memory::desc(dst, dt::f32, row_major_strides(dst));
    static constexpr dnnl::algorithm algs[] = {dnnl::algorithm::reduction_sum, dnnl::algorithm::reduction_mean,
                                               dnnl::algorithm::reduction_max, dnnl::algorithm::reduction_min};
    dnnl::reduction::desc desc(algs[static_cast<int>(attrs.kind)], src_md_, dst_md_, 0.f, 0.f);
    dnnl::reduction::primitive_desc pd(desc, default_attr(), engine());
    // oneDNN 2.6 reduces over leading axes only with its reference kernel, orders of magnitude slower
    if (std::string(pd.impl_info_str()).rfind("ref", 0) == 0) {
      plan_native(src, dst);
      return;
    }
    note_impl(pd, "reduction", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::reduction(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    void* y = buffers.outputs[0];
    const void* x = buffers.inputs[0];
    const std::size_t bytes = bytes_;
    if (num_elements(in_shape(0)) == 0) {
      const float fill = empty_fill_;
      return [y, bytes, fill] { std::fill_n(static_cast<float*>(y), bytes / sizeof(float), fill); };
    }
    if (native_) {
      auto* partials = static_cast<float*>(offset_ptr(buffers.scratch, partials_offset_));
      const auto* xf = static_cast<const float*>(x);
      auto* yf = static_cast<float*>(y);
      switch (kind_) {
        case ReduceKind::sum:
        case ReduceKind::mean: return [plan = plan_, xf, yf, partials] { plan.run<SumOp>(xf, yf, partials); };
        case ReduceKind::max: return [plan = plan_, xf, yf, partials] { plan.run<MaxOp>(xf, yf, partials); };
        case ReduceKind::min: return [plan = plan_, xf, yf, partials] { plan.run<MinOp>(xf, yf, partials); };
      }
    }
    if (!prim_) return [y, x, bytes] { std::memcpy(y, x, bytes); };
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, src_md_, buffers.inputs[0])
        .arg(DNNL_ARG_DST, dst_md_, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  void plan_native(const memory::dims& src, const memory::dims& dst) {
    native_ = true;
    impl_ = "native";
    NativeReduce& p = plan_;
    p.dims.assign(src.begin(), src.end());
    p.y_stride.assign(src.size(), 0);
    std::int64_t stride = 1, count = 1;
    for (std::size_t d = src.size(); d-- > 0;) {
      if (dst[d] == 1) {
        count *= src[d];
      } else {
        p.y_stride[d] = stride;
        stride *= dst[d];
      }
    }
    p.y_size = stride;
    p.inner = src.back();
    p.inner_reduced = dst.back() == 1;
    p.rows = 1;
    for (std::size_t d = 0; d + 1 < src.size(); ++d) p.rows *= src[d];
    p.scale = kind_ == ReduceKind::mean ? 1.0f / static_cast<float>(count) : 1.0f;
    p.threads = std::max(1, omp_get_max_threads());
    p.outer_parallel = dst[0] != 1 && src.size() > 1 && src[0] >= 2 * p.threads;
    p.columns_parallel = src.size() == 2 && dst[0] == 1 && !p.inner_reduced && p.inner >= 64 * p.threads;
    if (!p.outer_parallel && !p.columns_parallel)
      partials_offset_ = scratch_.reserve(static_cast<std::size_t>(p.threads) * p.y_size * sizeof(float));
  }

  ReduceKind kind_ = ReduceKind::sum;
  std::size_t bytes_ = 0;
  float empty_fill_ = 0.f;
  bool native_ = false;
  NativeReduce plan_;
  std::size_t partials_offset_ = 0;
  memory::desc src_md_, dst_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_reduce_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ReduceKernel>(graph, op);
}

}  // namespace strata::onednn
