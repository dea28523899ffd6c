#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

template <typename T>
void broadcast_copy(const BroadcastPlan& plan, const T* x, T* y) {
  const std::int64_t inner = plan.inner, sx = plan.strides[0].back();
  parallel_chunks(plan.rows, std::max<std::int64_t>(1, 8192 / std::max<std::int64_t>(inner, 1)),
                  [&](std::int64_t r0, std::int64_t r1) {
                    for (std::int64_t r = r0; r < r1; ++r) {
                      std::int64_t ox, unused;
                      plan.row_offsets(r, ox, unused);
                      const T* px = x + ox;
                      T* py = y + r * inner;
                      if (sx == 0)
                        std::fill(py, py + inner, px[0]);
                      else if (sx == 1)
                        std::copy(px, px + inner, py);
                      else
                        for (std::int64_t j = 0; j < inner; ++j) py[j] = px[j * sx];
                    }
                  });
}

class BroadcastToKernel final : public OnednnKernel {
 public:
  BroadcastToKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const Shape& x = in_shape(0);
    const Shape& y = out_shape(0);
    if (in_dtype(0) != out_dtype(0) || x.size() > y.size())
      throw BackendError("oneDNN backend: " + context_ + ": cannot broadcast " + shape_str(x) + " to " +
                         shape_str(y));
    for (std::size_t k = 0; k < x.size(); ++k) {
      const std::int64_t dx = x[x.size() - 1 - k], dy = y[y.size() - 1 - k];
      if (dx != dy && dx != 1)
        throw BackendError("oneDNN backend: " + context_ + ": cannot broadcast " + shape_str(x) + " to " +
                           shape_str(y));
    }
    plan_ = make_broadcast_plan(y, x, y);
    elem_ = dtype_size(in_dtype(0));
    n_ = num_elements(y);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const void* x = buffers.inputs[0];
    void* y = buffers.outputs[0];
    if (n_ == 0) return [] {};
    switch (elem_) {
      case 1:
        return [plan = plan_, x, y] {
          broadcast_copy(plan, static_cast<const std::uint8_t*>(x), static_cast<std::uint8_t*>(y));
        };
      case 4:
        return [plan = plan_, x, y] {
          broadcast_copy(plan, static_cast<const std::uint32_t*>(x), static_cast<std::uint32_t*>(y));
        };
      default:
        return [plan = plan_, x, y] {
          broadcast_copy(plan, static_cast<const std::uint64_t*>(x), static_cast<std::uint64_t*>(y));
        };
    }
  }

 private:
  BroadcastPlan plan_;
  std::size_t elem_ = 4;
  std::int64_t n_ = 0;
};

class TransposeKernel final : public OnednnKernel {
 public:
  TransposeKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& perm = attrs_of<TransposeAttrs>(op, context_).perm;
    const Shape& x = in_shape(0);
    const Shape& y = out_shape(0);
    bool valid = perm.size() == x.size() && y.size() == x.size() && in_dtype(0) == out_dtype(0);
    std::vector<bool> seen(x.size(), false);
    for (std::size_t i = 0; valid && i < perm.size(); ++i) {
      valid = perm[i] >= 0 && perm[i] < static_cast<int>(x.size()) && !seen[perm[i]] && y[i] == x[perm[i]];
      if (valid) seen[perm[i]] = true;
    }
    if (!valid)
      throw BackendError("oneDNN backend: " + context_ + ": permutation does not map " + shape_str(x) + " to " +
                         shape_str(y));
    bytes_ = static_cast<std::size_t>(num_elements(x)) * dtype_size(in_dtype(0));
    bool identity = true;
    for (std::size_t i = 0; i < perm.size(); ++i) identity = identity && (perm[i] == static_cast<int>(i) || x[perm[i]] == 1);
    if (identity || bytes_ == 0) return;
    if (x.size() > 11)
      throw UnsupportedError("oneDNN backend: " + context_ + ": transpose supports rank up to 11");

    // reorder is a bytewise copy here, so any dtype maps onto a oneDNN type of its size
    memory::dims xs = row_major_strides(memory::dims(x.begin(), x.end()));
    memory::dims dims(y.begin(), y.end()), src_strides(perm.size());
    for (std::size_t i = 0; i < perm.size(); ++i) src_strides[i] = xs[perm[i]];
    dt type = dt::f32;
    switch (in_dtype(0)) {
      case DType::float32: type = dt::f32; break;
      case DType::int32: type = dt::s32; break;
      case DType::uint8: type = dt::u8; break;
      case DType::int64:
        type = dt::s32;  // two 32-bit halves along an extra innermost axis
        for (auto& s : src_strides) s *= 2;
        dims.push_back(2);
        src_strides.push_back(1);
        break;
    }
    src_md_ = memory::desc(dims, type, src_strides);
    dst_md_ = memory::desc(dims, type, row_major_strides(dims));
    dnnl::reorder::primitive_desc pd(engine(), src_md_, engine(), dst_md_, default_attr());
    note_impl(pd, "transpose", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::reorder(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const void* x = buffers.inputs[0];
    void* y = buffers.outputs[0];
    const std::size_t bytes = bytes_;
    if (!prim_) return [x, y, bytes] { std::memcpy(y, x, bytes); };
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_FROM, src_md_, buffers.inputs[0])
        .arg(DNNL_ARG_TO, dst_md_, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  std::size_t bytes_ = 0;
  memory::desc src_md_, dst_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

class CopyKernel final : public OnednnKernel {
 public:
  CopyKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    bytes_ = static_cast<std::size_t>(num_elements(out_shape(0))) * dtype_size(out_dtype(0));
    const std::size_t in_bytes = static_cast<std::size_t>(num_elements(in_shape(0))) * dtype_size(in_dtype(0));
    if (in_bytes != bytes_)
      throw BackendError("oneDNN backend: " + context_ + ": cannot reshape " + shape_str(in_shape(0)) + " to " +
                         shape_str(out_shape(0)));
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const void* x = buffers.inputs[0];
    void* y = buffers.outputs[0];
    const std::size_t bytes = bytes_;
    return [x, y, bytes] {
      if (x != y) std::memmove(y, x, bytes);
    };
  }

 private:
  std::size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_broadcast_to_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<BroadcastToKernel>(graph, op);
}

std::unique_ptr<Kernel> make_transpose_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<TransposeKernel>(graph, op);
}

std::unique_ptr<Kernel> make_copy_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<CopyKernel>(graph, op);
}

}  // namespace strata::onednn
