#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

using dnnl::algorithm;
using dnnl::prop_kind;

/// oneDNN's view of one convolution: Keras-layout and `any` weights; channels-last activations (nwc/nhwc/ndhwc) as
/// they lie, channels-first ones (ncw/nchw/ncdhw) as `any`, because oneDNN 2.6 has only its slow gemm kernels for
/// plain channels-first data (about 10x slower here); those are reordered in and out of the layout it picks.
struct ConvGeometry {
  memory::desc src, dst, src_user, dst_user, weights_user, weights_any, bias;
  memory::dims strides, dilates, pad_l, pad_r;
};

ConvGeometry conv_geometry(const Shape& x, const Shape& w, const Shape& y, const ConvolutionAttrs& attrs,
                           bool with_bias, const std::string& context) {
  const std::size_t ns = x.size() - 2;
  if (x.size() < 3 || x.size() > 5 || y.size() != x.size() || w.size() != ns + 2)
    throw UnsupportedError("oneDNN backend: " + context + ": convolution needs 1 to 3 spatial dims");
  auto per_dim = [&](const std::vector<std::int64_t>& v, std::int64_t fallback, const char* name) {
    if (v.empty()) return memory::dims(ns, fallback);
    if (v.size() != ns)
      throw BackendError("oneDNN backend: " + context + ": convolution attribute '" + name + "' has " +
                         std::to_string(v.size()) + " entries for " + std::to_string(ns) + " spatial dims");
    return memory::dims(v.begin(), v.end());
  };
  ConvGeometry g;
  g.strides = per_dim(attrs.strides, 1, "strides");
  g.dilates = per_dim(attrs.dilations, 1, "dilations");
  for (auto& d : g.dilates) d -= 1;  // oneDNN counts dilation from 0
  g.pad_l = per_dim(attrs.pad_begin, 0, "pad_begin");
  g.pad_r = per_dim(attrs.pad_end, 0, "pad_end");

  const std::int64_t groups = std::max<std::int64_t>(attrs.groups, 1);
  const bool cf = attrs.channels_first;
  const std::int64_t in_c = cf ? x[1] : x.back(), out_c = w.back(), in_g = w[ns];
  if (in_g * groups != in_c || out_c % groups != 0 || (cf ? y[1] : y.back()) != out_c)
    throw BackendError("oneDNN backend: " + context + ": convolution channels do not match: input " +
                       std::to_string(in_c) + ", kernel " + shape_str(w) + ", groups " + std::to_string(groups));
  g.src_user = cf ? plain_desc(x) : channels_last_desc(x);
  g.dst_user = cf ? plain_desc(y) : channels_last_desc(y);
  g.src = cf ? memory::desc(g.src_user.dims(), dt::f32, tag::any) : g.src_user;
  g.dst = cf ? memory::desc(g.dst_user.dims(), dt::f32, tag::any) : g.dst_user;

  // Keras kernel (k..., in/groups, out) in row-major order, viewed with oneDNN's logical dims
  memory::dims kdims(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(ns));
  memory::dims stored = row_major_strides(memory::dims(w.begin(), w.end()));
  memory::dims dims, strides;
  if (groups > 1) {
    dims = {groups, out_c / groups, in_g};
    strides = {out_c / groups, 1, out_c};
  } else {
    dims = {out_c, in_g};
    strides = {1, out_c};
  }
  for (std::size_t i = 0; i < ns; ++i) {
    dims.push_back(kdims[i]);
    strides.push_back(stored[i]);
  }
  g.weights_user = memory::desc(dims, dt::f32, strides);
  g.weights_any = memory::desc(dims, dt::f32, tag::any);
  if (with_bias) g.bias = memory::desc({out_c}, dt::f32, tag::a);
  return g;
}

dnnl::convolution_forward::primitive_desc forward_pd(const ConvGeometry& g, const dnnl::primitive_attr& attr) {
  dnnl::convolution_forward::desc desc(prop_kind::forward_training, algorithm::convolution_direct, g.src,
                                       g.weights_any, g.bias, g.dst, g.strides, g.dilates, g.pad_l, g.pad_r);
  return dnnl::convolution_forward::primitive_desc(desc, attr, engine());
}

/// A reorder between two layouts of weights or activations, prebuilt when they differ.
struct Reorder {
  memory::desc from, to, scratchpad;
  dnnl::primitive prim;
  void build(const memory::desc& src, const memory::desc& dst) {
    from = src;
    to = dst;
    if (src == dst) return;
    dnnl::reorder::primitive_desc pd(engine(), src, engine(), dst, default_attr());
    prim = dnnl::reorder(pd);
    scratchpad = pd.scratchpad_desc();
  }
  PrimitiveLaunch launch(void* src, void* dst, void* scratch, const std::string& context) const {
    if (!prim) return {};
    PrimitiveLaunch l(prim, context);
    l.arg(DNNL_ARG_FROM, from, src).arg(DNNL_ARG_TO, to, dst).arg(DNNL_ARG_SCRATCHPAD, scratchpad, scratch);
    return l;
  }
};

bool has_zero(const std::vector<Shape>& shapes) {
  for (const auto& s : shapes)
    if (num_elements(s) == 0) return true;
  return false;
}

class ConvolutionKernel final : public OnednnKernel {
 public:
  ConvolutionKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<ConvolutionAttrs>(op, context_);
    const bool has_bias = attrs.post.enabled || num_inputs() == 3;
    if (num_inputs() != (has_bias ? 3u : 2u))
      throw BackendError("oneDNN backend: " + context_ + ": a fused convolution needs a bias input");
    for (std::size_t i = 0; i < num_inputs(); ++i)
      if (in_dtype(i) != DType::float32)
        throw UnsupportedError("oneDNN backend: " + context_ + ": convolution supports float32 only");
    empty_ = has_zero(in_shapes_) || has_zero(out_shapes_);
    if (empty_) return;
    g_ = conv_geometry(in_shape(0), in_shape(1), out_shape(0), attrs, has_bias, context_);
    dnnl::primitive_attr attr = default_attr();
    native_post_ = append_post_op(attr, attrs.post, context_);
    post_kind_ = attrs.post.kind;
    post_alpha_ = attrs.post.alpha;
    post_beta_ = attrs.post.beta;
    n_out_ = num_elements(out_shape(0));
    auto pd = forward_pd(g_, attr);
    note_impl(pd, "convolution");
    reorder_.build(g_.weights_user, pd.weights_desc());
    if (reorder_.prim) weights_offset_ = scratch_.reserve(pd.weights_desc().get_size());
    src_in_.build(g_.src_user, pd.src_desc());
    if (src_in_.prim) src_offset_ = scratch_.reserve(pd.src_desc().get_size());
    dst_out_.build(pd.dst_desc(), g_.dst_user);
    if (dst_out_.prim) dst_offset_ = scratch_.reserve(pd.dst_desc().get_size());
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(std::max({scratchpad_md_.get_size(), reorder_.scratchpad.get_size(),
                                                    src_in_.scratchpad.get_size(), dst_out_.scratchpad.get_size()}));
    prim_ = dnnl::convolution_forward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) return [] {};
    void* scratchpad = offset_ptr(buffers.scratch, scratchpad_offset_);
    void* weights = reorder_.prim ? offset_ptr(buffers.scratch, weights_offset_) : buffers.inputs[1];
    void* src = src_in_.prim ? offset_ptr(buffers.scratch, src_offset_) : buffers.inputs[0];
    void* dst = dst_out_.prim ? offset_ptr(buffers.scratch, dst_offset_) : buffers.outputs[0];
    PrimitiveLaunch reorder = reorder_.launch(buffers.inputs[1], weights, scratchpad, context_);
    PrimitiveLaunch src_in = src_in_.launch(buffers.inputs[0], src, scratchpad, context_);
    PrimitiveLaunch dst_out = dst_out_.launch(dst, buffers.outputs[0], scratchpad, context_);
    PrimitiveLaunch conv(prim_, context_);
    conv.arg(DNNL_ARG_SRC, src_in_.to, src)
        .arg(DNNL_ARG_WEIGHTS, reorder_.to, weights)
        .arg(DNNL_ARG_DST, dst_out_.from, dst)
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, scratchpad);
    if (g_.bias.get_size() > 0) conv.arg(DNNL_ARG_BIAS, g_.bias, buffers.inputs[2]);
    auto* y = static_cast<float*>(buffers.outputs[0]);
    return [reorder = std::move(reorder), src_in = std::move(src_in), dst_out = std::move(dst_out),
            conv = std::move(conv), native = native_post_, kind = post_kind_, a = post_alpha_, b = post_beta_, y,
            n = n_out_] {
      if (reorder.valid()) reorder.run();
      if (src_in.valid()) src_in.run();
      conv.run();
      if (dst_out.valid()) dst_out.run();
      if (native) eltwise_native_forward(kind, a, b, y, y, n);
    };
  }

 private:
  bool empty_ = false;
  ConvGeometry g_;
  Reorder reorder_, src_in_, dst_out_;
  memory::desc scratchpad_md_;
  std::size_t weights_offset_ = 0, src_offset_ = 0, dst_offset_ = 0, scratchpad_offset_ = 0;
  bool native_post_ = false;
  EltwiseKind post_kind_ = EltwiseKind::linear;
  float post_alpha_ = 0, post_beta_ = 0;
  std::int64_t n_out_ = 0;
  dnnl::primitive prim_;
};

class ConvolutionBackwardDataKernel final : public OnednnKernel {
 public:
  ConvolutionBackwardDataKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<ConvolutionAttrs>(op, context_);
    for (std::size_t i = 0; i < 2; ++i)
      if (in_dtype(i) != DType::float32)
        throw UnsupportedError("oneDNN backend: " + context_ + ": convolution supports float32 only");
    empty_ = has_zero(in_shapes_) || has_zero(out_shapes_);
    if (empty_) return;
    g_ = conv_geometry(out_shape(0), in_shape(1), in_shape(0), attrs, false, context_);
    auto fwd = forward_pd(g_, default_attr());
    dnnl::convolution_backward_data::desc desc(algorithm::convolution_direct, g_.src, g_.weights_any, g_.dst,
                                               g_.strides, g_.dilates, g_.pad_l, g_.pad_r);
    dnnl::convolution_backward_data::primitive_desc pd(desc, default_attr(), engine(), fwd);
    note_impl(pd, "convolution backward data");
    reorder_.build(g_.weights_user, pd.weights_desc());
    if (reorder_.prim) weights_offset_ = scratch_.reserve(pd.weights_desc().get_size());
    dy_in_.build(g_.dst_user, pd.diff_dst_desc());
    if (dy_in_.prim) dy_offset_ = scratch_.reserve(pd.diff_dst_desc().get_size());
    dx_out_.build(pd.diff_src_desc(), g_.src_user);
    if (dx_out_.prim) dx_offset_ = scratch_.reserve(pd.diff_src_desc().get_size());
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(std::max({scratchpad_md_.get_size(), reorder_.scratchpad.get_size(),
                                                    dy_in_.scratchpad.get_size(), dx_out_.scratchpad.get_size()}));
    prim_ = dnnl::convolution_backward_data(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) {
      void* dx = buffers.outputs[0];
      std::size_t bytes = static_cast<std::size_t>(num_elements(out_shape(0))) * sizeof(float);
      return [dx, bytes] { std::memset(dx, 0, bytes); };
    }
    void* scratchpad = offset_ptr(buffers.scratch, scratchpad_offset_);
    void* weights = reorder_.prim ? offset_ptr(buffers.scratch, weights_offset_) : buffers.inputs[1];
    void* dy = dy_in_.prim ? offset_ptr(buffers.scratch, dy_offset_) : buffers.inputs[0];
    void* dx = dx_out_.prim ? offset_ptr(buffers.scratch, dx_offset_) : buffers.outputs[0];
    PrimitiveLaunch reorder = reorder_.launch(buffers.inputs[1], weights, scratchpad, context_);
    PrimitiveLaunch dy_in = dy_in_.launch(buffers.inputs[0], dy, scratchpad, context_);
    PrimitiveLaunch dx_out = dx_out_.launch(dx, buffers.outputs[0], scratchpad, context_);
    PrimitiveLaunch conv(prim_, context_);
    conv.arg(DNNL_ARG_DIFF_DST, dy_in_.to, dy)
        .arg(DNNL_ARG_WEIGHTS, reorder_.to, weights)
        .arg(DNNL_ARG_DIFF_SRC, dx_out_.from, dx)
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, scratchpad);
    return [reorder = std::move(reorder), dy_in = std::move(dy_in), dx_out = std::move(dx_out),
            conv = std::move(conv)] {
      if (reorder.valid()) reorder.run();
      if (dy_in.valid()) dy_in.run();
      conv.run();
      if (dx_out.valid()) dx_out.run();
    };
  }

 private:
  bool empty_ = false;
  ConvGeometry g_;
  Reorder reorder_, dy_in_, dx_out_;
  memory::desc scratchpad_md_;
  std::size_t weights_offset_ = 0, dy_offset_ = 0, dx_offset_ = 0, scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

class ConvolutionBackwardWeightsKernel final : public OnednnKernel {
 public:
  ConvolutionBackwardWeightsKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<ConvolutionAttrs>(op, context_);
    for (std::size_t i = 0; i < 2; ++i)
      if (in_dtype(i) != DType::float32)
        throw UnsupportedError("oneDNN backend: " + context_ + ": convolution supports float32 only");
    empty_ = has_zero(in_shapes_) || has_zero(out_shapes_);
    if (empty_) return;
    g_ = conv_geometry(in_shape(0), out_shape(0), in_shape(1), attrs, false, context_);
    auto fwd = forward_pd(g_, default_attr());
    dnnl::convolution_backward_weights::desc desc(algorithm::convolution_direct, g_.src, g_.weights_any, g_.dst,
                                                  g_.strides, g_.dilates, g_.pad_l, g_.pad_r);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, default_attr(), engine(), fwd);
    note_impl(pd, "convolution backward weights");
    reorder_.build(pd.diff_weights_desc(), g_.weights_user);
    if (reorder_.prim) weights_offset_ = scratch_.reserve(pd.diff_weights_desc().get_size());
    x_in_.build(g_.src_user, pd.src_desc());
    if (x_in_.prim) x_offset_ = scratch_.reserve(pd.src_desc().get_size());
    dy_in_.build(g_.dst_user, pd.diff_dst_desc());
    if (dy_in_.prim) dy_offset_ = scratch_.reserve(pd.diff_dst_desc().get_size());
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(std::max({scratchpad_md_.get_size(), reorder_.scratchpad.get_size(),
                                                    x_in_.scratchpad.get_size(), dy_in_.scratchpad.get_size()}));
    prim_ = dnnl::convolution_backward_weights(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) {
      void* dw = buffers.outputs[0];
      std::size_t bytes = static_cast<std::size_t>(num_elements(out_shape(0))) * sizeof(float);
      return [dw, bytes] { std::memset(dw, 0, bytes); };
    }
    void* scratchpad = offset_ptr(buffers.scratch, scratchpad_offset_);
    void* diff = reorder_.prim ? offset_ptr(buffers.scratch, weights_offset_) : buffers.outputs[0];
    void* x = x_in_.prim ? offset_ptr(buffers.scratch, x_offset_) : buffers.inputs[0];
    void* dy = dy_in_.prim ? offset_ptr(buffers.scratch, dy_offset_) : buffers.inputs[1];
    PrimitiveLaunch x_in = x_in_.launch(buffers.inputs[0], x, scratchpad, context_);
    PrimitiveLaunch dy_in = dy_in_.launch(buffers.inputs[1], dy, scratchpad, context_);
    PrimitiveLaunch conv(prim_, context_);
    conv.arg(DNNL_ARG_SRC, x_in_.to, x)
        .arg(DNNL_ARG_DIFF_DST, dy_in_.to, dy)
        .arg(DNNL_ARG_DIFF_WEIGHTS, reorder_.from, diff)
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, scratchpad);
    PrimitiveLaunch reorder = reorder_.launch(diff, buffers.outputs[0], scratchpad, context_);
    return [reorder = std::move(reorder), x_in = std::move(x_in), dy_in = std::move(dy_in), conv = std::move(conv)] {
      if (x_in.valid()) x_in.run();
      if (dy_in.valid()) dy_in.run();
      conv.run();
      if (reorder.valid()) reorder.run();
    };
  }

 private:
  bool empty_ = false;
  ConvGeometry g_;
  Reorder reorder_, x_in_, dy_in_;
  memory::desc scratchpad_md_;
  std::size_t weights_offset_ = 0, x_offset_ = 0, dy_offset_ = 0, scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_convolution_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ConvolutionKernel>(graph, op);
}

std::unique_ptr<Kernel> make_convolution_backward_data_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ConvolutionBackwardDataKernel>(graph, op);
}

std::unique_ptr<Kernel> make_convolution_backward_weights_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ConvolutionBackwardWeightsKernel>(graph, op);
}

}  // namespace strata::onednn
