#include <cmath>
#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kSeluAlpha = 1.6732632423543772f;

using alg = dnnl::algorithm;

}  // namespace

EltwiseAlgorithm eltwise_algorithm(EltwiseKind kind, float alpha, float beta, bool use_dst,
                                   const std::string& context) {
  auto make = [&](alg plain, alg from_dst, float a, float b) {
    return EltwiseAlgorithm{false, use_dst ? from_dst : plain, a, b};
  };
  auto no_dst = [&](alg plain, float a, float b) {
    if (use_dst)
      throw UnsupportedError("oneDNN backend: " + context + ": this eltwise kind has no backward from its output");
    return EltwiseAlgorithm{false, plain, a, b};
  };
  switch (kind) {
    // the derivative of a linear map does not depend on its input, so y serves as well as x
    case EltwiseKind::linear: return EltwiseAlgorithm{false, alg::eltwise_linear, alpha, beta};
    case EltwiseKind::relu: return make(alg::eltwise_relu, alg::eltwise_relu_use_dst_for_bwd, alpha, 0);
    case EltwiseKind::elu: return make(alg::eltwise_elu, alg::eltwise_elu_use_dst_for_bwd, alpha, 0);
    case EltwiseKind::gelu_erf: return no_dst(alg::eltwise_gelu_erf, 0, 0);
    case EltwiseKind::gelu_tanh: return no_dst(alg::eltwise_gelu_tanh, 0, 0);
    case EltwiseKind::sigmoid: return make(alg::eltwise_logistic, alg::eltwise_logistic_use_dst_for_bwd, 0, 0);
    case EltwiseKind::tanh: return make(alg::eltwise_tanh, alg::eltwise_tanh_use_dst_for_bwd, 0, 0);
    case EltwiseKind::softplus: return no_dst(alg::eltwise_soft_relu, 0, 0);
    case EltwiseKind::swish: return no_dst(alg::eltwise_swish, alpha, 0);
    case EltwiseKind::exp: return make(alg::eltwise_exp, alg::eltwise_exp_use_dst_for_bwd, 0, 0);
    case EltwiseKind::log: return no_dst(alg::eltwise_log, 0, 0);
    case EltwiseKind::sqrt: return make(alg::eltwise_sqrt, alg::eltwise_sqrt_use_dst_for_bwd, 0, 0);
    case EltwiseKind::square: return no_dst(alg::eltwise_square, 0, 0);
    case EltwiseKind::abs: return no_dst(alg::eltwise_abs, 0, 0);
    // oneDNN's clip maps NaN to a bound; numpy and JAX propagate it (a NaN loss must stay NaN)
    case EltwiseKind::clip: return EltwiseAlgorithm{true, alg::eltwise_linear, alpha, beta};
    case EltwiseKind::pow: return no_dst(alg::eltwise_pow, alpha, beta);
    case EltwiseKind::selu:
    case EltwiseKind::softsign: return EltwiseAlgorithm{true, alg::eltwise_linear, alpha, beta};
    case EltwiseKind::mish: return no_dst(alg::eltwise_mish, 0, 0);
    case EltwiseKind::hardswish: return no_dst(alg::eltwise_hardswish, 0, 0);
    case EltwiseKind::log_sigmoid: return no_dst(alg::eltwise_logsigmoid, 0, 0);
  }
  throw UnsupportedError("oneDNN backend: " + context + ": unknown eltwise kind");
}

void eltwise_native_forward(EltwiseKind kind, float alpha, float beta, const float* x, float* y, std::int64_t n) {
  if (kind == EltwiseKind::clip) {
    parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) y[i] = x[i] != x[i] ? x[i] : std::min(std::max(x[i], alpha), beta);
    });
  } else if (kind == EltwiseKind::selu) {
    parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) {
        const float v = x[i];
        y[i] = v > 0 ? kSeluScale * v : kSeluScale * kSeluAlpha * std::expm1(v);
      }
    });
  } else {
    parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) y[i] = x[i] / (1.0f + std::fabs(x[i]));
    });
  }
}

void eltwise_native_backward(EltwiseKind kind, float alpha, float beta, bool use_dst, const float* dy, const float* s,
                             float* dx, std::int64_t n) {
  if (kind == EltwiseKind::clip) {
    // from y the open interval decides, so backward from x and from y agree at the bounds
    parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) {
        const float v = s[i];
        const bool inside = use_dst ? (v > alpha && v < beta) : (v > alpha && v <= beta);
        dx[i] = inside || v != v ? dy[i] : 0.0f;
      }
    });
  } else if (kind == EltwiseKind::selu) {
    parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) {
        const float v = s[i];
        float d;
        if (v > 0)
          d = kSeluScale;
        else
          d = use_dst ? v + kSeluScale * kSeluAlpha : kSeluScale * kSeluAlpha * std::exp(v);
        dx[i] = dy[i] * d;
      }
    });
  } else {
    parallel_chunks(n, 4096, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) {
        const float v = s[i];
        float d;
        if (use_dst) {
          const float t = 1.0f - std::fabs(v);
          d = t * t;
        } else {
          const float t = 1.0f + std::fabs(v);
          d = 1.0f / (t * t);
        }
        dx[i] = dy[i] * d;
      }
    });
  }
}

bool append_post_op(dnnl::primitive_attr& attr, const PostOp& post, const std::string& context) {
  if (!post.enabled) return false;
  EltwiseAlgorithm a = eltwise_algorithm(post.kind, post.alpha, post.beta, false, context);
  if (a.native) return true;
  dnnl::post_ops ops;
  ops.append_eltwise(1.0f, a.alg, a.alpha, a.beta);
  attr.set_post_ops(ops);
  return false;
}

namespace {

class EltwiseKernel final : public OnednnKernel {
 public:
  EltwiseKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    serial_when_small();
    const auto& attrs = attrs_of<EltwiseAttrs>(op, context_);
    kind_ = attrs.kind;
    check_float();
    n_ = num_elements(in_shape(0));
    algo_ = eltwise_algorithm(attrs.kind, attrs.alpha, attrs.beta, false, context_);
    if (algo_.native || n_ == 0) return;
    md_ = memory::desc({n_}, dt::f32, tag::a);
    dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, algo_.alg, md_, algo_.alpha, algo_.beta);
    dnnl::eltwise_forward::primitive_desc pd(desc, default_attr(), engine());
    note_impl(pd, "eltwise", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::eltwise_forward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* x = static_cast<const float*>(buffers.inputs[0]);
    auto* y = static_cast<float*>(buffers.outputs[0]);
    const std::int64_t n = n_;
    if (n == 0) return [] {};
    if (algo_.native)
      return [kind = kind_, a = algo_.alpha, b = algo_.beta, x, y, n] { eltwise_native_forward(kind, a, b, x, y, n); };
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, md_, buffers.inputs[0])
        .arg(DNNL_ARG_DST, md_, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  void check_float() const {
    if (in_dtype(0) != DType::float32 || out_dtype(0) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": eltwise supports float32 only");
  }
  EltwiseKind kind_{};
  EltwiseAlgorithm algo_;
  std::int64_t n_ = 0;
  memory::desc md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

class EltwiseBackwardKernel final : public OnednnKernel {
 public:
  EltwiseBackwardKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    serial_when_small();
    const auto& attrs = attrs_of<EltwiseAttrs>(op, context_);
    kind_ = attrs.kind;
    use_dst_ = attrs.use_dst;
    for (std::size_t i = 0; i < 2; ++i)
      if (in_dtype(i) != DType::float32)
        throw UnsupportedError("oneDNN backend: " + context_ + ": eltwise_backward supports float32 only");
    n_ = num_elements(in_shape(0));
    algo_ = eltwise_algorithm(attrs.kind, attrs.alpha, attrs.beta, attrs.use_dst, context_);
    if (algo_.native || n_ == 0) return;
    md_ = memory::desc({n_}, dt::f32, tag::a);
    dnnl::eltwise_forward::desc fwd_desc(dnnl::prop_kind::forward_training, algo_.alg, md_, algo_.alpha,
                                         algo_.beta);
    dnnl::eltwise_forward::primitive_desc fwd_pd(fwd_desc, default_attr(), engine());
    dnnl::eltwise_backward::desc desc(algo_.alg, md_, md_, algo_.alpha, algo_.beta);
    dnnl::eltwise_backward::primitive_desc pd(desc, default_attr(), engine(), fwd_pd);
    note_impl(pd, "eltwise backward", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::eltwise_backward(pd);
    // linear's derivative ignores its input, so y may be passed as the source
    source_arg_ = attrs.use_dst && attrs.kind != EltwiseKind::linear ? DNNL_ARG_DST : DNNL_ARG_SRC;
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* dy = static_cast<const float*>(buffers.inputs[0]);
    const auto* s = static_cast<const float*>(buffers.inputs[1]);
    auto* dx = static_cast<float*>(buffers.outputs[0]);
    const std::int64_t n = n_;
    if (n == 0) return [] {};
    if (algo_.native)
      return [kind = kind_, a = algo_.alpha, b = algo_.beta, use_dst = use_dst_, dy, s, dx, n] {
        eltwise_native_backward(kind, a, b, use_dst, dy, s, dx, n);
      };
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_DIFF_DST, md_, buffers.inputs[0])
        .arg(source_arg_, md_, buffers.inputs[1])
        .arg(DNNL_ARG_DIFF_SRC, md_, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  EltwiseKind kind_{};
  bool use_dst_ = false;
  EltwiseAlgorithm algo_;
  std::int64_t n_ = 0;
  int source_arg_ = DNNL_ARG_SRC;
  memory::desc md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_eltwise_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<EltwiseKernel>(graph, op);
}

std::unique_ptr<Kernel> make_eltwise_backward_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<EltwiseBackwardKernel>(graph, op);
}

}  // namespace strata::onednn
