#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

/// Logical (batch..., rows, cols) descriptor of a row-major operand stored transposed when `transposed`.
memory::desc operand_desc(const Shape& stored, std::size_t rank, bool transposed) {
  Shape padded(rank - stored.size(), 1);
  padded.insert(padded.end(), stored.begin(), stored.end());
  memory::dims dims(padded.begin(), padded.end());
  memory::dims strides = row_major_strides(dims);
  if (transposed) {
    std::swap(dims[rank - 1], dims[rank - 2]);
    std::swap(strides[rank - 1], strides[rank - 2]);
  }
  return memory::desc(dims, dt::f32, strides);
}

class MatmulKernel final : public OnednnKernel {
 public:
  MatmulKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<MatmulAttrs>(op, context_);
    const bool has_bias = attrs.post.enabled || num_inputs() == 3;
    if (num_inputs() != (has_bias ? 3u : 2u))
      throw BackendError("oneDNN backend: " + context_ + ": a fused matmul needs a bias input");
    for (std::size_t i = 0; i < num_inputs(); ++i)
      if (in_dtype(i) != DType::float32)
        throw UnsupportedError("oneDNN backend: " + context_ + ": matmul supports float32 only");
    const Shape& a = in_shape(0);
    const Shape& b = in_shape(1);
    const Shape& y = out_shape(0);
    if (a.size() < 2 || b.size() < 2 || y.size() < 2 || y.size() > 12)
      throw UnsupportedError("oneDNN backend: " + context_ + ": matmul operands need rank 2 to 12");
    n_out_ = num_elements(y);
    if (n_out_ == 0) return;

    // a batched a times an unbatched b is one 2-D product over all of a's rows
    bool b_unbatched = true;
    for (std::size_t i = 0; i + 2 < b.size(); ++i) b_unbatched = b_unbatched && b[i] == 1;
    memory::desc a_md, b_md;
    if (b_unbatched && !attrs.transpose_a && a.size() > 2) {
      const std::int64_t k = a.back();
      const std::int64_t m = num_elements(a) / std::max<std::int64_t>(k, 1);
      a_md = operand_desc({m, k}, 2, false);
      b_md = operand_desc({b[b.size() - 2], b.back()}, 2, attrs.transpose_b);
      y_md_ = plain_desc({m, y.back()});
    } else {
      const std::size_t rank = y.size();
      a_md = operand_desc(a, rank, attrs.transpose_a);
      b_md = operand_desc(b, rank, attrs.transpose_b);
      y_md_ = plain_desc(y);
    }
    a_md_ = a_md;
    b_user_md_ = b_md;
    const int rank = y_md_.data.ndims;
    if (has_bias) {
      memory::dims bias_dims(rank, 1);
      bias_dims[rank - 1] = y.back();
      bias_md_ = memory::desc(bias_dims, dt::f32, row_major_strides(bias_dims));
    }

    dnnl::primitive_attr attr = default_attr();
    native_post_ = append_post_op(attr, attrs.post, context_);
    post_kind_ = attrs.post.kind;
    post_alpha_ = attrs.post.alpha;
    post_beta_ = attrs.post.beta;
    // plain weights avoid a per-launch reorder; any is the fallback when plain gets only the reference kernel
    dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_md, b_md, bias_md_, y_md_), attr, engine());
    if (std::string(pd.impl_info_str()).rfind("ref", 0) == 0) {
      memory::desc b_any(b_md.dims(), dt::f32, tag::any);
      dnnl::matmul::primitive_desc any_pd(dnnl::matmul::desc(a_md, b_any, bias_md_, y_md_), attr, engine());
      if (std::string(any_pd.impl_info_str()).rfind("ref", 0) != 0) pd = any_pd;
    }
    note_impl(pd, "matmul");
    b_md_ = pd.weights_desc();
    if (b_md_ != b_user_md_) {
      dnnl::reorder::primitive_desc rpd(engine(), b_user_md_, engine(), b_md_, default_attr());
      reorder_ = dnnl::reorder(rpd);
      reorder_scratchpad_md_ = rpd.scratchpad_desc();
      b_offset_ = scratch_.reserve(b_md_.get_size());
    }
    scratchpad_md_ = pd.scratchpad_desc();
    std::size_t sp = std::max(scratchpad_md_.get_size(), reorder_scratchpad_md_.get_size());
    scratchpad_offset_ = scratch_.reserve(sp);
    prim_ = dnnl::matmul(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (n_out_ == 0) return [] {};
    void* scratchpad = offset_ptr(buffers.scratch, scratchpad_offset_);
    void* weights = buffers.inputs[1];
    PrimitiveLaunch reorder;
    if (reorder_) {
      weights = offset_ptr(buffers.scratch, b_offset_);
      reorder = PrimitiveLaunch(reorder_, context_);
      reorder.arg(DNNL_ARG_FROM, b_user_md_, buffers.inputs[1])
          .arg(DNNL_ARG_TO, b_md_, weights)
          .arg(DNNL_ARG_SCRATCHPAD, reorder_scratchpad_md_, scratchpad);
    }
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, a_md_, buffers.inputs[0])
        .arg(DNNL_ARG_WEIGHTS, b_md_, weights)
        .arg(DNNL_ARG_DST, y_md_, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, scratchpad);
    if (bias_md_.get_size() > 0) launch.arg(DNNL_ARG_BIAS, bias_md_, buffers.inputs[2]);
    auto* y = static_cast<float*>(buffers.outputs[0]);
    return [reorder = std::move(reorder), launch = std::move(launch), native = native_post_, kind = post_kind_, a = post_alpha_, b = post_beta_, y,
            n = n_out_] {
      if (reorder.valid()) reorder.run();
      launch.run();
      if (native) eltwise_native_forward(kind, a, b, y, y, n);
    };
  }

 private:
  std::int64_t n_out_ = 0;
  memory::desc a_md_, b_user_md_, b_md_, bias_md_, y_md_, scratchpad_md_, reorder_scratchpad_md_;
  std::size_t b_offset_ = 0, scratchpad_offset_ = 0;
  bool native_post_ = false;
  EltwiseKind post_kind_ = EltwiseKind::linear;
  float post_alpha_ = 0, post_beta_ = 0;
  dnnl::primitive prim_, reorder_;
};

}  // namespace

std::unique_ptr<Kernel> make_matmul_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<MatmulKernel>(graph, op);
}

}  // namespace strata::onednn
