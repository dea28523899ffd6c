#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

using dnnl::algorithm;
using dnnl::prop_kind;

struct PoolGeometry {
  algorithm alg = algorithm::pooling_max;
  memory::desc src, dst;
  memory::dims strides, kernel, pad_l, pad_r;
};

PoolGeometry pool_geometry(const Shape& x, const Shape& y, const PoolingAttrs& attrs, const std::string& context) {
  const std::size_t ns = x.size() - 2;
  if (x.size() < 3 || x.size() > 5 || y.size() != x.size())
    throw UnsupportedError("oneDNN backend: " + context + ": pooling needs 1 to 3 spatial dims");
  auto per_dim = [&](const std::vector<std::int64_t>& v, std::int64_t fallback, const char* name) {
    if (v.empty()) return memory::dims(ns, fallback);
    if (v.size() != ns)
      throw BackendError("oneDNN backend: " + context + ": pooling attribute '" + name + "' has " +
                         std::to_string(v.size()) + " entries for " + std::to_string(ns) + " spatial dims");
    return memory::dims(v.begin(), v.end());
  };
  PoolGeometry g;
  g.alg = attrs.kind == PoolingKind::max ? algorithm::pooling_max : algorithm::pooling_avg_exclude_padding;
  g.kernel = per_dim(attrs.window, 1, "window");
  g.strides = per_dim(attrs.strides, 1, "strides");
  g.pad_l = per_dim(attrs.pad_begin, 0, "pad_begin");
  g.pad_r = per_dim(attrs.pad_end, 0, "pad_end");
  // channels-first data is plain row-major (ncw, nchw, ncdhw): tell oneDNN the real layout
  g.src = attrs.channels_first ? plain_desc(x) : channels_last_desc(x);
  g.dst = attrs.channels_first ? plain_desc(y) : channels_last_desc(y);
  return g;
}

dnnl::pooling_forward::primitive_desc forward_pd(const PoolGeometry& g) {
  dnnl::pooling_forward::desc desc(prop_kind::forward_training, g.alg, g.src, g.dst, g.strides, g.kernel, g.pad_l,
                                   g.pad_r);
  return dnnl::pooling_forward::primitive_desc(desc, default_attr(), engine());
}

/// The IR reserves an int32 y-shaped buffer for the max-pooling workspace; oneDNN's must fit.
void check_workspace(const memory::desc& ws, const Shape& y, const std::string& context) {
  const std::size_t have = static_cast<std::size_t>(num_elements(y)) * sizeof(std::int32_t);
  if (ws.get_size() > have)
    throw BackendError("oneDNN backend: " + context + ": max-pooling workspace needs " +
                       std::to_string(ws.get_size()) + " bytes but the graph reserves " + std::to_string(have));
}

class PoolingKernel final : public OnednnKernel {
 public:
  PoolingKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<PoolingAttrs>(op, context_);
    if (in_dtype(0) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": pooling supports float32 only");
    const bool max = attrs.kind == PoolingKind::max;
    if (num_outputs() != (max ? 2u : 1u))
      throw BackendError("oneDNN backend: " + context_ + ": max pooling has 2 outputs, average pooling 1");
    empty_ = num_elements(out_shape(0)) == 0 || num_elements(in_shape(0)) == 0;
    if (empty_) return;
    g_ = pool_geometry(in_shape(0), out_shape(0), attrs, context_);
    auto pd = forward_pd(g_);
    note_impl(pd, "pooling", false);
    if (max) {
      workspace_md_ = pd.workspace_desc();
      check_workspace(workspace_md_, out_shape(0), context_);
    }
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::pooling_forward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) return [] {};
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, g_.src, buffers.inputs[0])
        .arg(DNNL_ARG_DST, g_.dst, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    if (num_outputs() == 2) launch.arg(DNNL_ARG_WORKSPACE, workspace_md_, buffers.outputs[1]);
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool empty_ = false;
  PoolGeometry g_;
  memory::desc workspace_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

class PoolingBackwardKernel final : public OnednnKernel {
 public:
  PoolingBackwardKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<PoolingAttrs>(op, context_);
    if (in_dtype(0) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": pooling supports float32 only");
    const bool max = attrs.kind == PoolingKind::max;
    if (num_inputs() != (max ? 3u : 2u))
      throw BackendError("oneDNN backend: " + context_ + ": max pooling backward takes (dy, x, workspace), "
                         "average pooling backward (dy, x)");
    empty_ = num_elements(in_shape(0)) == 0 || num_elements(out_shape(0)) == 0;
    if (empty_) return;
    g_ = pool_geometry(out_shape(0), in_shape(0), attrs, context_);
    auto fwd = forward_pd(g_);
    dnnl::pooling_backward::desc desc(g_.alg, g_.src, g_.dst, g_.strides, g_.kernel, g_.pad_l, g_.pad_r);
    dnnl::pooling_backward::primitive_desc pd(desc, default_attr(), engine(), fwd);
    note_impl(pd, "pooling backward", false);
    if (max) {
      workspace_md_ = pd.workspace_desc();
      check_workspace(workspace_md_, in_shape(0), context_);
    }
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::pooling_backward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) {
      void* dx = buffers.outputs[0];
      std::size_t bytes = static_cast<std::size_t>(num_elements(out_shape(0))) * sizeof(float);
      return [dx, bytes] { std::memset(dx, 0, bytes); };
    }
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_DIFF_DST, g_.dst, buffers.inputs[0])
        .arg(DNNL_ARG_DIFF_SRC, g_.src, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    if (num_inputs() == 3) launch.arg(DNNL_ARG_WORKSPACE, workspace_md_, buffers.inputs[2]);
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool empty_ = false;
  PoolGeometry g_;
  memory::desc workspace_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_pooling_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<PoolingKernel>(graph, op);
}

std::unique_ptr<Kernel> make_pooling_backward_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<PoolingBackwardKernel>(graph, op);
}

}  // namespace strata::onednn
