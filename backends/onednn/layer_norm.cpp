#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

using dnnl::normalization_flags;
using dnnl::prop_kind;

const auto kScaleShift = normalization_flags::use_scale | normalization_flags::use_shift;

void check_inputs(const std::vector<DType>& dtypes, const Shape& x, const std::string& context) {
  for (DType d : dtypes)
    if (d != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context + ": layer_norm supports float32 only");
  if (x.size() < 2) throw UnsupportedError("oneDNN backend: " + context + ": layer_norm needs an input of rank >= 2");
}

/// x as (rows, C): oneDNN normalizes over the last dim of a plain layout, whatever the rank.
memory::desc data_desc(const Shape& x) { return memory::desc({num_elements(x) / x.back(), x.back()}, dt::f32, tag::ab); }
memory::desc stat_desc(const Shape& x) { return memory::desc({num_elements(x) / x.back()}, dt::f32, tag::a); }

dnnl::layer_normalization_forward::primitive_desc training_pd(const memory::desc& data, const memory::desc& stat,
                                                              float epsilon) {
  dnnl::layer_normalization_forward::desc desc(prop_kind::forward_training, data, stat, epsilon, kScaleShift);
  return dnnl::layer_normalization_forward::primitive_desc(desc, default_attr(), engine());
}

class LayerNormKernel final : public OnednnKernel {
 public:
  LayerNormKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<LayerNormAttrs>(op, context_);
    if (num_inputs() != 3 || num_outputs() != 3)
      throw BackendError("oneDNN backend: " + context_ + ": layer_norm takes (x, gamma, beta) -> (y, mean, variance)");
    check_inputs(in_dtypes_, in_shape(0), context_);
    empty_ = num_elements(in_shape(0)) == 0;
    if (empty_) return;
    data_md_ = data_desc(in_shape(0));
    stat_md_ = stat_desc(in_shape(0));
    param_md_ = memory::desc({in_shape(0).back()}, dt::f32, tag::a);
    auto pd = training_pd(data_md_, stat_md_, attrs.epsilon);
    note_impl(pd, "layer normalization", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::layer_normalization_forward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) return [] {};
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, data_md_, buffers.inputs[0])
        .arg(DNNL_ARG_SCALE, param_md_, buffers.inputs[1])
        .arg(DNNL_ARG_SHIFT, param_md_, buffers.inputs[2])
        .arg(DNNL_ARG_DST, data_md_, buffers.outputs[0])
        .arg(DNNL_ARG_MEAN, stat_md_, buffers.outputs[1])
        .arg(DNNL_ARG_VARIANCE, stat_md_, buffers.outputs[2])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool empty_ = false;
  memory::desc data_md_, stat_md_, param_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

class LayerNormBackwardKernel final : public OnednnKernel {
 public:
  LayerNormBackwardKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& attrs = attrs_of<LayerNormAttrs>(op, context_);
    if (num_inputs() != 5 || num_outputs() != 3)
      throw BackendError("oneDNN backend: " + context_ +
                         ": layer_norm_backward takes (x, dy, gamma, mean, variance) -> (dx, dgamma, dbeta)");
    check_inputs(in_dtypes_, in_shape(0), context_);
    empty_ = num_elements(in_shape(0)) == 0;
    if (empty_) return;
    data_md_ = data_desc(in_shape(0));
    stat_md_ = stat_desc(in_shape(0));
    param_md_ = memory::desc({in_shape(0).back()}, dt::f32, tag::a);
    auto fwd = training_pd(data_md_, stat_md_, attrs.epsilon);
    dnnl::layer_normalization_backward::desc desc(prop_kind::backward, data_md_, data_md_, stat_md_, attrs.epsilon,
                                                  kScaleShift);
    dnnl::layer_normalization_backward::primitive_desc pd(desc, default_attr(), engine(), fwd);
    note_impl(pd, "layer normalization backward", false);
    scratchpad_md_ = pd.scratchpad_desc();
    scratchpad_offset_ = scratch_.reserve(scratchpad_md_.get_size());
    prim_ = dnnl::layer_normalization_backward(pd);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    if (empty_) {
      auto* dgamma = static_cast<float*>(buffers.outputs[1]);
      auto* dbeta = static_cast<float*>(buffers.outputs[2]);
      const std::int64_t c = in_shape(0).back();
      return [dgamma, dbeta, c] { std::fill(dgamma, dgamma + c, 0.f), std::fill(dbeta, dbeta + c, 0.f); };
    }
    PrimitiveLaunch launch(prim_, context_);
    launch.arg(DNNL_ARG_SRC, data_md_, buffers.inputs[0])
        .arg(DNNL_ARG_DIFF_DST, data_md_, buffers.inputs[1])
        .arg(DNNL_ARG_SCALE, param_md_, buffers.inputs[2])
        .arg(DNNL_ARG_SHIFT, param_md_, buffers.inputs[2])  // as for batch norm, bound though no gradient reads it
        .arg(DNNL_ARG_MEAN, stat_md_, buffers.inputs[3])
        .arg(DNNL_ARG_VARIANCE, stat_md_, buffers.inputs[4])
        .arg(DNNL_ARG_DIFF_SRC, data_md_, buffers.outputs[0])
        .arg(DNNL_ARG_DIFF_SCALE, param_md_, buffers.outputs[1])
        .arg(DNNL_ARG_DIFF_SHIFT, param_md_, buffers.outputs[2])
        .arg(DNNL_ARG_SCRATCHPAD, scratchpad_md_, offset_ptr(buffers.scratch, scratchpad_offset_));
    return [launch = std::move(launch)] { launch.run(); };
  }

 private:
  bool empty_ = false;
  memory::desc data_md_, stat_md_, param_md_, scratchpad_md_;
  std::size_t scratchpad_offset_ = 0;
  dnnl::primitive prim_;
};

}  // namespace

std::unique_ptr<Kernel> make_layer_norm_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<LayerNormKernel>(graph, op);
}

std::unique_ptr<Kernel> make_layer_norm_backward_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<LayerNormBackwardKernel>(graph, op);
}

}  // namespace strata::onednn
