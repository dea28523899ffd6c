#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

using dnnl::normalization_flags;
using dnnl::prop_kind;

void check_inputs(const std::vector<DType>& dtypes, const Shape& x, const std::string& context) {
  for (DType d : dtypes)
    if (d != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context + ": batch_norm supports float32 only");
  if (x.size() < 2 || x.size() > 5)
    throw UnsupportedError("oneDNN backend: " + context + ": batch_norm needs an input of rank 2 to 5");
}

/// x as 4-D nhwc: oneDNN 2.6 has jit kernels there but only reference ones for nwc (and for ndhwc at small C).
/// Another channel axis: x as (outer, C, 1, inner) nchw, which is x's own row-major layout.
memory::desc data_desc(const Shape& x, int axis) {
  if (axis < 0) axis += static_cast<int>(x.size());
  if (axis != static_cast<int>(x.size()) - 1) {
    std::int64_t outer = 1, inner = 1;
    for (int i = 0; i < axis; ++i) outer *= x[i];
    for (std::size_t i = axis + 1; i < x.size(); ++i) inner *= x[i];
    return memory::desc({outer, x[axis], 1, inner}, dt::f32, tag::nchw);
  }
  if (x.size() == 4) return channels_last_desc(x);
  std::int64_t spatial = 1;
  for (std::size_t i = 1; i + 1 < x.size(); ++i) spatial *= x[i];
  return memory::desc({x.front(), x.back(), 1, spatial}, dt::f32, tag::nhwc);
}

dnnl::batch_normalization_forward::primitive_desc training_pd(const memory::desc& data, float epsilon) {
  dnnl::batch_normalization_forward::desc desc(prop_kind::forward_training, data, epsilon,
                                               normalization_flags::use_scale | normalization_flags::use_shift);
  return dnnl::batch_normalization_forward::primitive_desc(desc, default_attr(), engine());
}

class BatchNormKernel final : public OnednnKernel {
 public:
  BatchNormKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<BatchNormAttrs>(op, context_);
    training_ = attrs.training;
    if (num_inputs() != (training_ ? 3u : 5u) || num_outputs() != (training_ ? 3u : 1u))
      throw BackendError("oneDNN backend: " + context_ +
                         ": batch_norm takes (x, gamma, beta) -> (y, mean, variance) in training and "
                         "(x, gamma, beta, mean, variance) -> y in inference");
    check_inputs(in_dtypes_, in_shape(0), context_);
    empty_ = num_elements(in_shape(0)) == 0;
    if (empty_) return;
    data_md_ = data_desc(in_shape(0), attrs.axis);
    stat_md_ = memory::desc({in_shape(0)[(attrs.axis + in_shape(0).size()) % in_shape(0).size()]}, dt::f32, tag::a);
    dnnl::batch_normalization_forward::primitive_desc pd;
    if (training_) {
      pd = training_pd(data_md_, attrs.epsilon);
    } else {
      dnnl::batch_normalization_forward::desc desc(
          prop_kind::forward_inference, data_md_, attrs.epsilon,
          normalization_flags::use_global_stats | normalization_flags::use_scale | normalization_flags::use_shift);
      pd = dnnl::batch_normalization_forward::primitive_desc(desc, default_attr(), engine());
    }
    note_impl(pd, "batch normalization", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::batch_normalization_forward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) return [] {};
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, data_md_, buffers.inputs[0])
        .arg(DNNL_ARG_SCALE, stat_md_, buffers.inputs[1])
        .arg(DNNL_ARG_SHIFT, stat_md_, buffers.inputs[2])
        .arg(DNNL_ARG_DST, data_md_, buffers.outputs[0])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    if (training_)
      launch.arg(DNNL_ARG_MEAN, stat_md_, buffers.outputs[1]).arg(DNNL_ARG_VARIANCE, stat_md_, buffers.outputs[2]);
    else
      launch.arg(DNNL_ARG_MEAN, stat_md_, buffers.inputs[3]).arg(DNNL_ARG_VARIANCE, stat_md_, buffers.inputs[4]);
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool training_ = true, empty_ = false;
  memory::desc data_md_, stat_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

class BatchNormBackwardKernel final : public OnednnKernel {
 public:
  BatchNormBackwardKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<BatchNormAttrs>(op, context_);
    if (num_inputs() != 5u || num_outputs() != 3u)
      throw BackendError("oneDNN backend: " + context_ +
                         ": batch_norm_backward takes (x, dy, gamma, mean, variance) -> (dx, dgamma, dbeta)");
    check_inputs(in_dtypes_, in_shape(0), context_);
    empty_ = num_elements(in_shape(0)) == 0;
    if (empty_) return;
    data_md_ = data_desc(in_shape(0), attrs.axis);
    stat_md_ = memory::desc({in_shape(0)[(attrs.axis + in_shape(0).size()) % in_shape(0).size()]}, dt::f32, tag::a);
    auto fwd = training_pd(data_md_, attrs.epsilon);
    dnnl::batch_normalization_backward::desc desc(prop_kind::backward, data_md_, data_md_, attrs.epsilon,
                                                  normalization_flags::use_scale | normalization_flags::use_shift);
    dnnl::batch_normalization_backward::primitive_desc pd(desc, default_attr(), engine(), fwd);
    note_impl(pd, "batch normalization backward", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::batch_normalization_backward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) {
      auto* dgamma = static_cast<float*>(buffers.outputs[1]);
      auto* dbeta = static_cast<float*>(buffers.outputs[2]);
      const std::int64_t c = out_shape(1)[0];
      return [dgamma, dbeta, c] { std::fill(dgamma, dgamma + c, 0.f), std::fill(dbeta, dbeta + c, 0.f); };
    }
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, data_md_, buffers.inputs[0])
        .arg(DNNL_ARG_DIFF_DST, data_md_, buffers.inputs[1])
        .arg(DNNL_ARG_SCALE, stat_md_, buffers.inputs[2])
        .arg(DNNL_ARG_SHIFT, stat_md_, buffers.inputs[2])  // oneDNN 2.6 demands it though no gradient reads it
        .arg(DNNL_ARG_MEAN, stat_md_, buffers.inputs[3])
        .arg(DNNL_ARG_VARIANCE, stat_md_, buffers.inputs[4])
        .arg(DNNL_ARG_DIFF_SRC, data_md_, buffers.outputs[0])
        .arg(DNNL_ARG_DIFF_SCALE, stat_md_, buffers.outputs[1])
        .arg(DNNL_ARG_DIFF_SHIFT, stat_md_, buffers.outputs[2])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool empty_ = false;
  memory::desc data_md_, stat_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_batch_norm_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<BatchNormKernel>(graph, op);
}

std::unique_ptr<Kernel> make_batch_norm_backward_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<BatchNormBackwardKernel>(graph, op);
}

}  // namespace strata::onednn
