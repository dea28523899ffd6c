#pragma once
// Kernel factories of the oneDNN backend, one per op family (each in the .cpp named after it).
#include <memory>

#include <strata/backends/backend.hpp>

namespace strata::onednn {

std::unique_ptr<Kernel> make_matmul_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_convolution_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_convolution_backward_data_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_convolution_backward_weights_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_pooling_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_pooling_backward_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_batch_norm_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_batch_norm_backward_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_eltwise_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_eltwise_backward_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_softmax_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_softmax_backward_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_binary_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_reduce_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_broadcast_to_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_transpose_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_copy_kernel(const Graph& graph, const Op& op);  // reshape
std::unique_ptr<Kernel> make_dropout_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_one_hot_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_argmax_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_cast_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_assign_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_assign_add_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_optimizer_update_kernel(const Graph& graph, const Op& op);
// merging.cpp (issue 4)
std::unique_ptr<Kernel> make_concat_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_slice_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_pad_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_resampling_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_resampling_backward_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_layer_norm_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_layer_norm_backward_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_random_kernel(const Graph& graph, const Op& op);
// image.cpp (issue 6)
std::unique_ptr<Kernel> make_image_resize_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_affine_transform_kernel(const Graph& graph, const Op& op);
// ctc.cpp (issue 5)
std::unique_ptr<Kernel> make_ctc_loss_kernel(const Graph& graph, const Op& op);
std::unique_ptr<Kernel> make_ctc_loss_backward_kernel(const Graph& graph, const Op& op);

}  // namespace strata::onednn
