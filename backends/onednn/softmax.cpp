#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

using dnnl::prop_kind;

/// x viewed as (outer, axis, inner), or (outer, axis) when the axis is innermost (the fast case).
memory::desc softmax_view(const Shape& x, int axis, const std::string& context) {
  if (axis < 0 || axis >= static_cast<int>(x.size()))
    throw BackendError("oneDNN backend: " + context + ": softmax axis " + std::to_string(axis) +
                       " is out of range for " + shape_str(x));
  std::int64_t outer = 1, inner = 1;
  for (int i = 0; i < axis; ++i) outer *= x[i];
  for (std::size_t i = axis + 1; i < x.size(); ++i) inner *= x[i];
  if (inner == 1) return memory::desc({outer, x[axis]}, dt::f32, tag::ab);
  return memory::desc({outer, x[axis], inner}, dt::f32, tag::abc);
}

class SoftmaxKernel final : public OnednnKernel {
 public:
  SoftmaxKernel(const Graph& graph, const Op& op, bool backward) : OnednnKernel(graph, op), backward_(backward) {
    const auto& attrs = attrs_of<SoftmaxAttrs>(op, context_);
    for (DType d : in_dtypes_)
      if (d != DType::float32) throw UnsupportedError("oneDNN backend: " + context_ + ": softmax supports float32 only");
    empty_ = num_elements(in_shape(0)) == 0;
    if (empty_) return;
    md_ = softmax_view(in_shape(0), attrs.axis, context_);
    dnnl::primitive_desc pd;
    if (!attrs.log) {
      dnnl::softmax_forward::primitive_desc fwd(
          dnnl::softmax_forward::desc(backward ? prop_kind::forward_training : prop_kind::forward_inference, md_, 1),
          default_attr(), engine());
      if (backward) {
        dnnl::softmax_backward::primitive_desc bwd(dnnl::softmax_backward::desc(md_, md_, 1), default_attr(),
                                                   engine(), fwd);
        prim_ = dnnl::softmax_backward(bwd);
        pd = bwd;
      } else {
        prim_ = dnnl::softmax_forward(fwd);
        pd = fwd;
      }
    } else {
      dnnl::logsoftmax_forward::primitive_desc fwd(
          dnnl::logsoftmax_forward::desc(backward ? prop_kind::forward_training : prop_kind::forward_inference, md_,
                                         1),
          default_attr(), engine());
      if (backward) {
        dnnl::logsoftmax_backward::primitive_desc bwd(dnnl::logsoftmax_backward::desc(md_, md_, 1), default_attr(),
                                                      engine(), fwd);
        prim_ = dnnl::logsoftmax_backward(bwd);
        pd = bwd;
      } else {
        prim_ = dnnl::logsoftmax_forward(fwd);
        pd = fwd;
      }
    }
    note_impl(pd, backward ? "softmax backward" : "softmax", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) return [] {};
    PrimitiveLaunch launch(prim_, context_);
    if (backward_)
      launch.arg(DNNL_ARG_DIFF_DST, md_, buffers.inputs[0])
          .arg(DNNL_ARG_DST, md_, buffers.inputs[1])
          .arg(DNNL_ARG_DIFF_SRC, md_, buffers.outputs[0]);
    else
      launch.arg(DNNL_ARG_SRC, md_, buffers.inputs[0]).arg(DNNL_ARG_DST, md_, buffers.outputs[0]);
    launch.arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool backward_ = false, empty_ = false;
  memory::desc md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_softmax_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<SoftmaxKernel>(graph, op, false);
}

std::unique_ptr<Kernel> make_softmax_backward_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<SoftmaxKernel>(graph, op, true);
}

}  // namespace strata::onednn
