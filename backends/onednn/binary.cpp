#include <cmath>
#include <type_traits>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

bool is_comparison(BinaryKind k) { return k >= BinaryKind::equal; }

template <typename T, typename O>
O apply(BinaryKind kind, T a, T b) {
  switch (kind) {
    case BinaryKind::add: return static_cast<O>(a + b);
    case BinaryKind::sub: return static_cast<O>(a - b);
    case BinaryKind::mul: return static_cast<O>(a * b);
    case BinaryKind::div:
      if constexpr (std::is_integral_v<T>) return b == 0 ? O(0) : static_cast<O>(a / b);
      else return static_cast<O>(a / b);
    case BinaryKind::max: return static_cast<O>(a > b ? a : b);
    case BinaryKind::min: return static_cast<O>(a < b ? a : b);
    case BinaryKind::pow: return static_cast<O>(std::pow(a, b));
    case BinaryKind::equal: return a == b ? O(1) : O(0);
    case BinaryKind::not_equal: return a != b ? O(1) : O(0);
    case BinaryKind::greater: return a > b ? O(1) : O(0);
    case BinaryKind::greater_equal: return a >= b ? O(1) : O(0);
    case BinaryKind::less: return a < b ? O(1) : O(0);
    case BinaryKind::less_equal: return a <= b ? O(1) : O(0);
  }
  return O(0);
}

template <typename T, typename O, typename F>
void run_rows(const BroadcastPlan& plan, const T* a, const T* b, O* y, F f) {
  const std::int64_t inner = plan.inner;
  const std::int64_t sa = plan.strides[0].back(), sb = plan.strides[1].back();
  parallel_chunks(plan.rows, std::max<std::int64_t>(1, 8192 / std::max<std::int64_t>(inner, 1)),
                  [&](std::int64_t r0, std::int64_t r1) {
                    for (std::int64_t r = r0; r < r1; ++r) {
                      std::int64_t oa, ob;
                      plan.row_offsets(r, oa, ob);
                      const T* pa = a + oa;
                      const T* pb = b + ob;
                      O* py = y + r * inner;
                      if (sa == 1 && sb == 1)
                        for (std::int64_t j = 0; j < inner; ++j) py[j] = f(pa[j], pb[j]);
                      else if (sa == 1 && sb == 0)
                        for (std::int64_t j = 0; j < inner; ++j) py[j] = f(pa[j], pb[0]);
                      else if (sa == 0 && sb == 1)
                        for (std::int64_t j = 0; j < inner; ++j) py[j] = f(pa[0], pb[j]);
                      else
                        for (std::int64_t j = 0; j < inner; ++j) py[j] = f(pa[j * sa], pb[j * sb]);
                    }
                  });
}

template <typename T, typename O>
void run_loop(BinaryKind kind, const BroadcastPlan& plan, const T* a, const T* b, O* y) {
  switch (kind) {
    case BinaryKind::add: return run_rows(plan, a, b, y, [](T u, T v) { return static_cast<O>(u + v); });
    case BinaryKind::sub: return run_rows(plan, a, b, y, [](T u, T v) { return static_cast<O>(u - v); });
    case BinaryKind::mul: return run_rows(plan, a, b, y, [](T u, T v) { return static_cast<O>(u * v); });
    case BinaryKind::div:
      return run_rows(plan, a, b, y, [](T u, T v) {
        if constexpr (std::is_integral_v<T>) return v == 0 ? O(0) : static_cast<O>(u / v);  // no SIGFPE
        else return static_cast<O>(u / v);
      });
    default: return run_rows(plan, a, b, y, [kind](T u, T v) { return apply<T, O>(kind, u, v); });
  }
}

class BinaryKernel final : public OnednnKernel {
 public:
  BinaryKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    serial_when_small();
    kind_ = attrs_of<BinaryAttrs>(op, context_).kind;
    dtype_ = in_dtype(0);
    if (in_dtype(1) != dtype_)
      throw UnsupportedError("oneDNN backend: " + context_ + ": binary operands must share a dtype");
    const bool comparison = is_comparison(kind_);
    if (comparison ? out_dtype(0) != DType::float32 : out_dtype(0) != dtype_)
      throw UnsupportedError("oneDNN backend: " + context_ + ": unexpected output dtype");
    const bool int_ok = dtype_ == DType::int32 || dtype_ == DType::int64;
    if (dtype_ != DType::float32 && !(int_ok && (comparison || kind_ != BinaryKind::pow)))
      throw UnsupportedError("oneDNN backend: " + context_ + ": binary " + std::string(dtype_name(dtype_)) +
                             " is not supported for this kind");
    const Shape& y = out_shape(0);
    n_ = num_elements(y);
    plan_ = make_broadcast_plan(y, in_shape(0), in_shape(1));

    const Shape& a = in_shape(0);
    const Shape& b = in_shape(1);
    const bool onednn_kind = kind_ <= BinaryKind::min;
    if (dtype_ == DType::float32 && onednn_kind && a == y && b.size() <= y.size() && y.size() <= 12 && n_ > 0) {
      Shape bp(y.size() - b.size(), 1);
      bp.insert(bp.end(), b.begin(), b.end());
      a_md_ = plain_desc(a);
      b_md_ = plain_desc(bp);
      static constexpr dnnl::algorithm algs[] = {dnnl::algorithm::binary_add, dnnl::algorithm::binary_sub,
                                                 dnnl::algorithm::binary_mul, dnnl::algorithm::binary_div,
                                                 dnnl::algorithm::binary_max, dnnl::algorithm::binary_min};
      dnnl::binary::desc desc(algs[static_cast<int>(kind_)], a_md_, b_md_, a_md_);
      dnnl::binary::primitive_desc pd(desc, default_attr(), engine());
      // mixed broadcasts get only oneDNN's reference kernel; the plain loop is faster there
      if (std::string(pd.impl_info_str()).rfind("ref", 0) == 0) return;
      note_impl(pd, "binary", false);
      scratchpad_md_ = pd.scratchpad_desc();
      scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
      prim_ = dnnl::binary(pd);
    }
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (n_ == 0) return [] {};
    if (prim_) {
      PrimitiveLaunch launch(prim_, context_);
      launch.arg(DNNL_ARG_SRC_0, a_md_, buffers.inputs[0])
          .arg(DNNL_ARG_SRC_1, b_md_, buffers.inputs[1])
          .arg(DNNL_ARG_DST, a_md_, buffers.outputs[0])
          .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
      return [launch = std::move(launch)] { launch.run(); };
    }
    const void* a = buffers.inputs[0];
    const void* b = buffers.inputs[1];
    void* y = buffers.outputs[0];
    const bool comparison = is_comparison(kind_);
    switch (dtype_) {
      case DType::float32:
        return [kind = kind_, plan = plan_, a, b, y] {
          run_loop(kind, plan, static_cast<const float*>(a), static_cast<const float*>(b), static_cast<float*>(y));
        };
      case DType::int32:
        if (comparison)
          return [kind = kind_, plan = plan_, a, b, y] {
            run_loop(kind, plan, static_cast<const std::int32_t*>(a), static_cast<const std::int32_t*>(b),
                     static_cast<float*>(y));
          };
        return [kind = kind_, plan = plan_, a, b, y] {
          run_loop(kind, plan, static_cast<const std::int32_t*>(a), static_cast<const std::int32_t*>(b),
                   static_cast<std::int32_t*>(y));
        };
      case DType::int64:
        if (comparison)
          return [kind = kind_, plan = plan_, a, b, y] {
            run_loop(kind, plan, static_cast<const std::int64_t*>(a), static_cast<const std::int64_t*>(b),
                     static_cast<float*>(y));
          };
        return [kind = kind_, plan = plan_, a, b, y] {
          run_loop(kind, plan, static_cast<const std::int64_t*>(a), static_cast<const std::int64_t*>(b),
                   static_cast<std::int64_t*>(y));
        };
      case DType::uint8: break;
    }
    throw UnsupportedError("oneDNN backend: " + context_ + ": unsupported dtype");
  }

 private:
  BinaryKind kind_{};
  DType dtype_ = DType::float32;
  std::int64_t n_ = 0;
  BroadcastPlan plan_;
  memory::desc a_md_, b_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_binary_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<BinaryKernel>(graph, op);
}

}  // namespace strata::onednn
