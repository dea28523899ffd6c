// Kernels of the pooling, reshaping and merging ops: concat (oneDNN concat), slice and pad (oneDNN reorders),
// resampling (oneDNN resampling forward and backward).
#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

/// oneDNN has no 64-bit integer type; the ops here move bytes, so other dtypes map onto theirs.
dt copy_type(DType dtype, const std::string& context) {
  if (dtype == DType::int64) throw UnsupportedError("oneDNN backend: " + context + ": int64 is not supported");
  return to_dnnl(dtype);
}

memory::desc plain_of(const Shape& shape, dt type) {
  auto dims = to_dims(shape);
  return memory::desc(dims, type, row_major_strides(dims));
}

class ConcatKernel final : public OnednnKernel {
 public:
  ConcatKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const int axis = attrs_of<AxisAttrs>(op, context_).axis;
    const dt type = copy_type(out_dtype(0), context_);
    if (num_elements(out_shape(0)) == 0) return;
    std::vector<memory::desc> srcs;
    for (std::size_t i = 0; i < num_inputs(); ++i) {
      if (num_elements(in_shape(i)) == 0) continue;  // oneDNN rejects empty sources; they add nothing
      used_.push_back(i);
      srcs.push_back(plain_of(in_shape(i), type));
    }
    src_mds_ = srcs;
    dst_md_ = plain_of(out_shape(0), type);
    dnnl::concat::primitive_desc pd(dst_md_, axis, srcs, engine(), default_attr());
    note_impl(pd, "concat", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::concat(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (!prim_) return [] {};
    PrimitiveLaunch launch(prim_, context_);
    for (std::size_t k = 0; k < used_.size(); ++k)
      launch.arg(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(k), src_mds_[k], buffers.inputs[used_[k]]);
    launch.arg(DNNL_ARG_DST, dst_md_, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  std::vector<std::size_t> used_;
  std::vector<memory::desc> src_mds_;
  memory::desc dst_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

/// slice and pad: copies between x and a window of y (pad) or a window of x and y (slice), as a oneDNN reorder
/// from or to a sub-memory view (oneDNN has no slice or pad primitive), or one contiguous run of the innermost dim
/// at a time for int64.
class WindowCopyKernel final : public OnednnKernel {
 public:
  WindowCopyKernel(const Graph& graph, const Op& op, bool pad) : OnednnKernel(graph, op) {
    if (in_dtype(0) != out_dtype(0))
      throw BackendError("oneDNN backend: " + context_ + ": input and output dtypes differ");
    const Shape& big = pad ? out_shape(0) : in_shape(0);
    const Shape& window = pad ? in_shape(0) : out_shape(0);
    const std::vector<std::int64_t>& offsets =
        pad ? attrs_of<PadAttrs>(op, context_).pad_begin : attrs_of<SliceAttrs>(op, context_).begin;
    if (window.empty() || window.size() != big.size() || offsets.size() != big.size())
      throw BackendError("oneDNN backend: " + context_ + ": window and offsets do not match the ranks");
    Plan& p = plan_;
    p.pad = pad;
    p.elem = dtype_size(in_dtype(0));
    p.out_bytes = static_cast<std::size_t>(num_elements(out_shape(0))) * p.elem;
    p.rows = num_elements(window) == 0 ? 0 : num_elements(window) / window.back();
    p.inner = window.back();
    p.window = window;
    p.big_strides.assign(big.size(), 1);
    for (std::size_t d = big.size(); d-- > 1;) p.big_strides[d - 1] = p.big_strides[d] * big[d];
    for (std::size_t d = 0; d < big.size(); ++d) p.base += offsets[d] * p.big_strides[d];
    if (p.rows == 0 || in_dtype(0) == DType::int64) return;
    // a oneDNN reorder between the window and its view in the big tensor: about 2x faster than copying one short
    // innermost run at a time (a channels-last Concatenate's gradient copies 128-byte runs)
    const dt type = to_dnnl(in_dtype(0));
    // the window inside the big tensor: its dims with the big tensor's strides, bound at the window's first element
    // (a sub-memory descriptor's offset would make its size 0, which binding treats as an absent argument)
    const memory::desc view(to_dims(window), type, memory::dims(p.big_strides.begin(), p.big_strides.end()));
    window_md_ = plain_of(window, type);
    big_view_md_ = view;
    dnnl::reorder::primitive_desc pd = pad ? dnnl::reorder::primitive_desc(engine(), window_md_, engine(), view, default_attr())
                                           : dnnl::reorder::primitive_desc(engine(), view, engine(), window_md_, default_attr());
    note_impl(pd, pad ? "pad reorder" : "slice reorder", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    reorder_ = dnnl::reorder(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const char* x = static_cast<const char*>(buffers.inputs[0]);
    char* y = static_cast<char*>(buffers.outputs[0]);
    if (!reorder_) return [plan = plan_, x, y] { plan.run(x, y); };
    PrimitiveLaunch launch(reorder_, context_);
    const std::size_t window_offset = static_cast<std::size_t>(plan_.base) * plan_.elem;
    if (plan_.pad)
      launch.arg(DNNL_ARG_FROM, window_md_, buffers.inputs[0])
          .arg(DNNL_ARG_TO, big_view_md_, offset_ptr(buffers.outputs[0], window_offset));
    else
      launch.arg(DNNL_ARG_FROM, big_view_md_, offset_ptr(buffers.inputs[0], window_offset))
          .arg(DNNL_ARG_TO, window_md_, buffers.outputs[0]);
    launch.arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    if (!plan_.pad) return [launch = std::move(launch)] { launch.run(); };
    const std::size_t bytes = plan_.out_bytes;
    return [launch = std::move(launch), y, bytes] {
      std::memset(y, 0, bytes);
      launch.run();
    };
  }

 private:
  struct Plan {
    bool pad = false;
    std::size_t elem = 4, out_bytes = 0;
    std::int64_t rows = 0, inner = 1, base = 0;
    Shape window;
    std::vector<std::int64_t> big_strides;

    void run(const char* x, char* y) const {
      if (pad) std::memset(y, 0, out_bytes);
      const std::size_t bytes = static_cast<std::size_t>(inner) * elem;
      parallel_chunks(rows, std::max<std::int64_t>(1, 4096 / std::max<std::int64_t>(inner, 1)),
                      [&](std::int64_t r0, std::int64_t r1) {
                        for (std::int64_t r = r0; r < r1; ++r) {
                          // offset of this window row in the big tensor
                          std::int64_t big_off = base, rest = r;
                          for (std::size_t k = window.size(); k > 1; --k) {
                            big_off += (rest % window[k - 2]) * big_strides[k - 2];
                            rest /= window[k - 2];
                          }
                          const std::size_t b = static_cast<std::size_t>(big_off) * elem, w = r * bytes;
                          if (pad) std::memcpy(y + b, x + w, bytes);
                          else std::memcpy(y + w, x + b, bytes);
                        }
                      });
    }
  };
  Plan plan_;
  memory::desc window_md_, big_view_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive reorder_;  // empty: the row-copy plan runs (int64, empty windows)
};

struct ResamplingGeometry {
  dnnl::algorithm alg = dnnl::algorithm::resampling_linear;
  memory::desc src, dst;
};

ResamplingGeometry resampling_geometry(const ResamplingAttrs& a, const Shape& x, const Shape& y) {
  ResamplingGeometry g;
  g.alg = a.kind == ResamplingKind::linear ? dnnl::algorithm::resampling_linear : dnnl::algorithm::resampling_nearest;
  g.src = a.channels_first ? plain_desc(x) : channels_last_desc(x);
  g.dst = a.channels_first ? plain_desc(y) : channels_last_desc(y);
  return g;
}

dnnl::resampling_forward::primitive_desc resampling_forward_pd(const ResamplingGeometry& g) {
  dnnl::resampling_forward::desc desc(dnnl::prop_kind::forward_training, g.alg, g.src, g.dst);
  return dnnl::resampling_forward::primitive_desc(desc, default_attr(), engine());
}

class ResamplingKernel final : public OnednnKernel {
 public:
  ResamplingKernel(const Graph& graph, const Op& op, bool backward) : OnednnKernel(graph, op), backward_(backward) {
    const auto& a = attrs_of<ResamplingAttrs>(op, context_);
    if (in_dtype(0) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": resampling supports float32 only");
    const Shape& x = backward ? out_shape(0) : in_shape(0);
    const Shape& y = backward ? in_shape(0) : out_shape(0);
    if (num_elements(y) == 0) return;
    g_ = resampling_geometry(a, x, y);
    auto fwd = resampling_forward_pd(g_);
    if (backward) {
      dnnl::resampling_backward::desc desc(g_.alg, g_.src, g_.dst);
      dnnl::resampling_backward::primitive_desc pd(desc, default_attr(), engine(), fwd);
      note_impl(pd, "resampling backward", false);
      scratchpad_md_ = pd.scratchpad_desc();
      prim_ = dnnl::resampling_backward(pd);
    } else {
      note_impl(fwd, "resampling", false);
      scratchpad_md_ = fwd.scratchpad_desc();
      prim_ = dnnl::resampling_forward(fwd);
    }
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (!prim_) return [] {};
    PrimitiveLaunch launch(prim_, context_);
    if (backward_)
      launch.arg(DNNL_ARG_DIFF_DST, g_.dst, buffers.inputs[0]).arg(DNNL_ARG_DIFF_SRC, g_.src, buffers.outputs[0]);
    else
      launch.arg(DNNL_ARG_SRC, g_.src, buffers.inputs[0]).arg(DNNL_ARG_DST, g_.dst, buffers.outputs[0]);
    launch.arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool backward_;
  ResamplingGeometry g_;
  memory::desc scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_concat_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ConcatKernel>(graph, op);
}
std::unique_ptr<Kernel> make_slice_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<WindowCopyKernel>(graph, op, false);
}
std::unique_ptr<Kernel> make_pad_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<WindowCopyKernel>(graph, op, true);
}
std::unique_ptr<Kernel> make_resampling_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ResamplingKernel>(graph, op, false);
}
std::unique_ptr<Kernel> make_resampling_backward_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ResamplingKernel>(graph, op, true);
}

}  // namespace strata::onednn
