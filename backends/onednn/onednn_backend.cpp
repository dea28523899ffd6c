#include <cstdlib>
#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata {

namespace {

using namespace onednn;

class OnednnBackend final : public Backend {
 public:
  std::string_view name() const override { return "onednn"; }

  std::shared_ptr<void> allocate(std::size_t bytes) override {
    const std::size_t size = align64(std::max<std::size_t>(bytes, 1));
    void* p = std::aligned_alloc(64, size);
    if (!p) throw BackendError("oneDNN backend: cannot allocate " + std::to_string(bytes) + " bytes of host memory");
    std::memset(p, 0, size);
    return std::shared_ptr<void>(p, [](void* q) { std::free(q); });
  }

  void copy_to_device(void* dst, const void* src, std::size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }
  void copy_to_host(void* dst, const void* src, std::size_t bytes) override {
    if (bytes) std::memcpy(dst, src, bytes);
  }

  std::unique_ptr<Kernel> make_kernel(const Graph& graph, const Op& op) override {
    try {
      return dispatch(graph, op);
    } catch (const dnnl::error& e) {
      throw BackendError("oneDNN backend: cannot prepare " + describe_op(graph, op) + ": " + e.what());
    }
  }

 private:
  static std::unique_ptr<Kernel> dispatch(const Graph& graph, const Op& op) {
    switch (op.kind) {
      case OpKind::matmul: return make_matmul_kernel(graph, op);
      case OpKind::convolution: return make_convolution_kernel(graph, op);
      case OpKind::convolution_backward_data: return make_convolution_backward_data_kernel(graph, op);
      case OpKind::convolution_backward_weights: return make_convolution_backward_weights_kernel(graph, op);
      case OpKind::pooling: return make_pooling_kernel(graph, op);
      case OpKind::pooling_backward: return make_pooling_backward_kernel(graph, op);
      case OpKind::batch_norm: return make_batch_norm_kernel(graph, op);
      case OpKind::batch_norm_backward: return make_batch_norm_backward_kernel(graph, op);
      case OpKind::eltwise: return make_eltwise_kernel(graph, op);
      case OpKind::eltwise_backward: return make_eltwise_backward_kernel(graph, op);
      case OpKind::softmax: return make_softmax_kernel(graph, op);
      case OpKind::softmax_backward: return make_softmax_backward_kernel(graph, op);
      case OpKind::binary: return make_binary_kernel(graph, op);
      case OpKind::reduce: return make_reduce_kernel(graph, op);
      case OpKind::broadcast_to: return make_broadcast_to_kernel(graph, op);
      case OpKind::reshape: return make_copy_kernel(graph, op);
      case OpKind::transpose: return make_transpose_kernel(graph, op);
      case OpKind::dropout: return make_dropout_kernel(graph, op);
      case OpKind::one_hot: return make_one_hot_kernel(graph, op);
      case OpKind::argmax: return make_argmax_kernel(graph, op);
      case OpKind::cast: return make_cast_kernel(graph, op);
      case OpKind::assign: return make_assign_kernel(graph, op);
      case OpKind::assign_add: return make_assign_add_kernel(graph, op);
      case OpKind::optimizer_update: return make_optimizer_update_kernel(graph, op);
      case OpKind::concat: return make_concat_kernel(graph, op);
      case OpKind::slice: return make_slice_kernel(graph, op);
      case OpKind::pad: return make_pad_kernel(graph, op);
      case OpKind::resampling: return make_resampling_kernel(graph, op);
      case OpKind::resampling_backward: return make_resampling_backward_kernel(graph, op);
      case OpKind::layer_norm: return make_layer_norm_kernel(graph, op);
      case OpKind::layer_norm_backward: return make_layer_norm_backward_kernel(graph, op);
      case OpKind::random: return make_random_kernel(graph, op);
      case OpKind::image_resize: return make_image_resize_kernel(graph, op);
      case OpKind::affine_transform: return make_affine_transform_kernel(graph, op);
      case OpKind::ctc_loss: return make_ctc_loss_kernel(graph, op);
      case OpKind::ctc_loss_backward: return make_ctc_loss_backward_kernel(graph, op);
    }
    throw UnsupportedError("oneDNN backend: op kind " + std::to_string(static_cast<int>(op.kind)) +
                           " of layer '" + op.layer + "' is not supported");
  }
};

}  // namespace

std::unique_ptr<Backend> make_onednn_backend() { return std::make_unique<OnednnBackend>(); }

}  // namespace strata
