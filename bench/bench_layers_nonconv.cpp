// Per-layer benchmark of the non-convolution layers: one training step's forward + backward (gradients of the inputs
// and trainable weights for a given output gradient) of each layer through strata, beside the oneDNN primitives a
// hand-written training step would call in the same run (pooling, batch and layer normalization, resampling, concat
// with reorders out of the output gradient, binary, eltwise, softmax, matmul). Prints one JSON object
// per layer; ratio = strata / direct (the issue asks <= 1.15). Shares its harness with bench_layers.cpp.
//
//   build/bench/bench_layers_nonconv [iterations] [filter]
//     iterations: per round (default 10, raised so a round lasts 50 ms); 21 interleaved rounds, median and best
//     filter: run only the layers whose name contains it
//   STRATA_BENCH_PROFILE=1 adds each side's per-kernel times and implementations.
#include <strata/bench/layer_bench.hpp>

using namespace layer_bench;
using alg = dnnl::algorithm;
using dnnl::prop_kind;

namespace {

const auto f32 = memory::data_type::f32;

/// A channels-last activation (N, spatial..., C) with oneDNN's logical (N, C, spatial...) dims.
memory::desc channels_last(const memory::dims& keras_shape) {
  memory::dims dims{keras_shape.front(), keras_shape.back()};
  dims.insert(dims.end(), keras_shape.begin() + 1, keras_shape.end() - 1);
  const tag t = dims.size() == 3 ? tag::nwc : dims.size() == 4 ? tag::nhwc : tag::ndhwc;
  return memory::desc(dims, f32, t);
}

/// Row-major data of `dims` (layout-free primitives: eltwise, softmax, binary, concat, normalization over the last
/// axis).
memory::desc plain(const memory::dims& dims) {
  memory::dims strides(dims.size(), 1);
  for (std::size_t i = dims.size() - 1; i-- > 0;) strides[i] = strides[i + 1] * dims[i + 1];
  return memory::desc(dims, f32, strides);
}

/// Pooling forward (training: max keeps its workspace) and backward.
struct DirectPooling : DirectLaunches {
  DirectPooling(alg a, const memory::desc& src, const memory::desc& dst, const memory::dims& strides,
                const memory::dims& kernel) {
    const memory::dims pad(strides.size(), 0);
    dnnl::pooling_forward::primitive_desc fwd(
        dnnl::pooling_forward::desc(prop_kind::forward_training, a, src, dst, strides, kernel, pad, pad), eng);
    dnnl::pooling_backward::primitive_desc bwd(dnnl::pooling_backward::desc(a, src, dst, strides, kernel, pad, pad),
                                               eng, fwd);
    memory x = make(src, 0.5f), y = make(dst), dy = make(dst, 1.0f), dx = make(src);
    std::unordered_map<int, memory> fwd_args{{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}};
    std::unordered_map<int, memory> bwd_args{{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}};
    if (a == alg::pooling_max) {
      memory workspace(fwd.workspace_desc(), eng);
      fwd_args[DNNL_ARG_WORKSPACE] = workspace;
      bwd_args[DNNL_ARG_WORKSPACE] = workspace;
    }
    add(dnnl::pooling_forward(fwd), fwd_args);
    add(dnnl::pooling_backward(bwd), bwd_args);
  }
};

/// Batch normalization forward in training mode (batch statistics) and backward (dx, dgamma, dbeta).
struct DirectBatchNorm : DirectLaunches {
  DirectBatchNorm(const memory::desc& data, float epsilon) {
    const auto flags = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
    dnnl::batch_normalization_forward::primitive_desc fwd(
        dnnl::batch_normalization_forward::desc(prop_kind::forward_training, data, epsilon, flags), eng);
    dnnl::batch_normalization_backward::primitive_desc bwd(
        dnnl::batch_normalization_backward::desc(prop_kind::backward, data, data, epsilon, flags), eng, fwd);
    const memory::desc stat({data.dims()[1]}, f32, tag::a);
    memory x = make(data, 0.5f), y = make(data), dy = make(data, 1.0f), dx = make(data);
    memory gamma = make(stat, 1.0f), beta = make(stat), mean = make(stat), variance = make(stat);
    memory dgamma = make(stat), dbeta = make(stat);
    add(dnnl::batch_normalization_forward(fwd), {{DNNL_ARG_SRC, x},
                                                 {DNNL_ARG_SCALE, gamma},
                                                 {DNNL_ARG_SHIFT, beta},
                                                 {DNNL_ARG_DST, y},
                                                 {DNNL_ARG_MEAN, mean},
                                                 {DNNL_ARG_VARIANCE, variance}});
    add(dnnl::batch_normalization_backward(bwd), {{DNNL_ARG_SRC, x},
                                                  {DNNL_ARG_DIFF_DST, dy},
                                                  {DNNL_ARG_SCALE, gamma},
                                                  {DNNL_ARG_SHIFT, beta},
                                                  {DNNL_ARG_MEAN, mean},
                                                  {DNNL_ARG_VARIANCE, variance},
                                                  {DNNL_ARG_DIFF_SRC, dx},
                                                  {DNNL_ARG_DIFF_SCALE, dgamma},
                                                  {DNNL_ARG_DIFF_SHIFT, dbeta}});
  }
};

/// Layer normalization over the last axis, forward in training mode and backward (dx, dgamma, dbeta).
struct DirectLayerNorm : DirectLaunches {
  DirectLayerNorm(const memory::dims& dims, float epsilon) {
    const auto flags = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
    const memory::desc data = plain(dims);
    const memory::desc stat = plain(memory::dims(dims.begin(), dims.end() - 1));
    dnnl::layer_normalization_forward::primitive_desc fwd(
        dnnl::layer_normalization_forward::desc(prop_kind::forward_training, data, stat, epsilon, flags), eng);
    dnnl::layer_normalization_backward::primitive_desc bwd(
        dnnl::layer_normalization_backward::desc(prop_kind::backward, data, data, stat, epsilon, flags), eng, fwd);
    const memory::desc param({dims.back()}, f32, tag::a);
    memory x = make(data, 0.5f), y = make(data), dy = make(data, 1.0f), dx = make(data);
    memory gamma = make(param, 1.0f), beta = make(param), mean = make(stat), variance = make(stat);
    memory dgamma = make(param), dbeta = make(param);
    add(dnnl::layer_normalization_forward(fwd), {{DNNL_ARG_SRC, x},
                                                 {DNNL_ARG_SCALE, gamma},
                                                 {DNNL_ARG_SHIFT, beta},
                                                 {DNNL_ARG_DST, y},
                                                 {DNNL_ARG_MEAN, mean},
                                                 {DNNL_ARG_VARIANCE, variance}});
    add(dnnl::layer_normalization_backward(bwd), {{DNNL_ARG_SRC, x},
                                                  {DNNL_ARG_DIFF_DST, dy},
                                                  {DNNL_ARG_SCALE, gamma},
                                                  {DNNL_ARG_SHIFT, beta},
                                                  {DNNL_ARG_MEAN, mean},
                                                  {DNNL_ARG_VARIANCE, variance},
                                                  {DNNL_ARG_DIFF_SRC, dx},
                                                  {DNNL_ARG_DIFF_SCALE, dgamma},
                                                  {DNNL_ARG_DIFF_SHIFT, dbeta}});
  }
};

/// Resampling forward and backward.
struct DirectResampling : DirectLaunches {
  DirectResampling(alg a, const memory::desc& src, const memory::desc& dst) {
    dnnl::resampling_forward::primitive_desc fwd(
        dnnl::resampling_forward::desc(prop_kind::forward_training, a, src, dst), eng);
    dnnl::resampling_backward::primitive_desc bwd(dnnl::resampling_backward::desc(a, src, dst), eng, fwd);
    memory x = make(src, 0.5f), y = make(dst), dy = make(dst, 1.0f), dx = make(src);
    add(dnnl::resampling_forward(fwd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}});
    add(dnnl::resampling_backward(bwd), {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}});
  }
};

/// Concat forward; backward: each input's gradient reordered out of its window of dy.
struct DirectConcat : DirectLaunches {
  DirectConcat(const std::vector<memory::dims>& srcs, int axis) {
    std::vector<memory::desc> src_mds;
    memory::dims dst_dims = srcs.front();
    dst_dims[axis] = 0;
    for (const auto& s : srcs) {
      src_mds.push_back(plain(s));
      dst_dims[axis] += s[axis];
    }
    const memory::desc dst = plain(dst_dims);
    dnnl::concat::primitive_desc pd(dst, axis, src_mds, eng);
    std::unordered_map<int, memory> args;
    for (std::size_t i = 0; i < srcs.size(); ++i) args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i)] = make(src_mds[i], 0.5f);
    memory y = make(dst), dy = make(dst, 1.0f);
    owned.push_back(dy);
    args[DNNL_ARG_DST] = y;
    add(dnnl::concat(pd), args);
    memory::dims offsets(dst_dims.size(), 0);
    for (std::size_t i = 0; i < srcs.size(); ++i) {
      memory window(dst.submemory_desc(srcs[i], offsets), eng, dy.get_data_handle());
      memory dx = make(src_mds[i]);
      add(dnnl::reorder(window, dx), {{DNNL_ARG_FROM, window}, {DNNL_ARG_TO, dx}});
      offsets[axis] += srcs[i][axis];
    }
  }
};

/// Binary forward; a sum's backward passes dy on to both inputs as it is, so there is nothing to run.
struct DirectAdd : DirectLaunches {
  explicit DirectAdd(const memory::dims& dims) {
    const memory::desc data = plain(dims);
    dnnl::binary::primitive_desc pd(dnnl::binary::desc(alg::binary_add, data, data, data), eng);
    memory a = make(data, 0.5f), b = make(data, 0.5f), y = make(data);
    add(dnnl::binary(pd), {{DNNL_ARG_SRC_0, a}, {DNNL_ARG_SRC_1, b}, {DNNL_ARG_DST, y}});
  }
};

/// Eltwise forward in training mode and backward from the source.
struct DirectEltwise : DirectLaunches {
  DirectEltwise(alg a, const memory::dims& dims, float alpha = 0.0f, float beta = 0.0f) {
    const memory::desc data = plain(dims);
    dnnl::eltwise_forward::primitive_desc fwd(
        dnnl::eltwise_forward::desc(prop_kind::forward_training, a, data, alpha, beta), eng);
    dnnl::eltwise_backward::primitive_desc bwd(dnnl::eltwise_backward::desc(a, data, data, alpha, beta), eng, fwd);
    memory x = make(data, 0.5f), y = make(data), dy = make(data, 1.0f), dx = make(data);
    add(dnnl::eltwise_forward(fwd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}});
    add(dnnl::eltwise_backward(bwd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}});
  }
};

/// Softmax forward in training mode and backward from y.
struct DirectSoftmax : DirectLaunches {
  DirectSoftmax(const memory::dims& dims, int axis) {
    const memory::desc data = plain(dims);
    dnnl::softmax_forward::primitive_desc fwd(dnnl::softmax_forward::desc(prop_kind::forward_training, data, axis),
                                              eng);
    dnnl::softmax_backward::primitive_desc bwd(dnnl::softmax_backward::desc(data, data, axis), eng, fwd);
    memory x = make(data, 0.5f), y = make(data), dy = make(data, 1.0f), dx = make(data);
    add(dnnl::softmax_forward(fwd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DST, y}});
    add(dnnl::softmax_backward(bwd), {{DNNL_ARG_DST, y}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_SRC, dx}});
  }
};

/// Dense (x (m, k) @ w (k, n) + b) as matmuls on Keras's row-major kernel, no reorder: y = x w + b,
/// dx = dy w^T, dw = x^T dy (transposes as strides), db = ones (1, m) @ dy (a matmul: oneDNN 2.6's reduction over
/// rows is its reference kernel, several times slower).
struct DirectDense : DirectLaunches {
  DirectDense(memory::dim m, memory::dim k, memory::dim n) {
    const memory::desc x_md = plain({m, k}), w_md = plain({k, n}), y_md = plain({m, n}), b_md = plain({1, n});
    const memory::desc w_t({n, k}, f32, {1, n}), x_t({k, m}, f32, {1, k});
    memory x = make(x_md, 0.5f), w = make(w_md, 0.01f), b = make(b_md), y = make(y_md), dy = make(y_md, 1.0f);
    memory dx = make(x_md), dw = make(w_md), db = make(b_md);
    memory w_as_t(w_t, eng, w.get_data_handle()), x_as_t(x_t, eng, x.get_data_handle());
    dnnl::matmul::primitive_desc fwd(dnnl::matmul::desc(x_md, w_md, b_md, y_md), eng);
    dnnl::matmul::primitive_desc bwd_data(dnnl::matmul::desc(y_md, w_t, x_md), eng);
    dnnl::matmul::primitive_desc bwd_weights(dnnl::matmul::desc(x_t, y_md, w_md), eng);
    memory ones = make(plain({1, m}), 1.0f);
    dnnl::matmul::primitive_desc bias_grad(dnnl::matmul::desc(plain({1, m}), y_md, b_md), eng);
    add(dnnl::matmul(fwd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w}, {DNNL_ARG_BIAS, b}, {DNNL_ARG_DST, y}});
    add(dnnl::matmul(bwd_data), {{DNNL_ARG_SRC, dy}, {DNNL_ARG_WEIGHTS, w_as_t}, {DNNL_ARG_DST, dx}});
    add(dnnl::matmul(bwd_weights), {{DNNL_ARG_SRC, x_as_t}, {DNNL_ARG_WEIGHTS, dy}, {DNNL_ARG_DST, dw}});
    add(dnnl::matmul(bias_grad), {{DNNL_ARG_SRC, ones}, {DNNL_ARG_WEIGHTS, dy}, {DNNL_ARG_DST, db}});
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 10;
  set_random_seed(0);
  const memory::dim n = 32;
  auto run = [&](const char* name, const char* shape, Layer&& layer, const std::vector<Shape>& x_shapes,
                 auto&& make_direct) {
    if (!selected(name, argc, argv)) return;
    auto direct = make_direct();
    compare(name, shape, layer, x_shapes, direct, iterations);
  };
  run("MaxPooling2D", "x (32, 32, 32, 64) 2x2 stride 2", layers::MaxPooling2D(2), {{n, 32, 32, 64}}, [&] {
    return DirectPooling(alg::pooling_max, channels_last({n, 32, 32, 64}), channels_last({n, 16, 16, 64}), {2, 2},
                         {2, 2});
  });
  run("AveragePooling2D", "x (32, 32, 32, 64) 2x2 stride 2", layers::AveragePooling2D(2), {{n, 32, 32, 64}}, [&] {
    return DirectPooling(alg::pooling_avg_exclude_padding, channels_last({n, 32, 32, 64}),
                         channels_last({n, 16, 16, 64}), {2, 2}, {2, 2});
  });
  run("GlobalAveragePooling2D", "x (32, 16, 16, 128) (direct: 16x16 average pooling)",
      layers::GlobalAveragePooling2D(), {{n, 16, 16, 128}}, [&] {
        return DirectPooling(alg::pooling_avg_exclude_padding, channels_last({n, 16, 16, 128}),
                             channels_last({n, 1, 1, 128}), {16, 16}, {16, 16});
      });
  run("BatchNormalization", "x (32, 32, 32, 64) training", layers::BatchNormalization(), {{n, 32, 32, 64}},
      [&] { return DirectBatchNorm(channels_last({n, 32, 32, 64}), 1e-3f); });
  run("LayerNormalization", "x (32, 128, 256) last axis", layers::LayerNormalization(), {{n, 128, 256}},
      [&] { return DirectLayerNorm({n, 128, 256}, 1e-3f); });
  run("UpSampling2D nearest", "x (32, 16, 16, 64) size 2", layers::UpSampling2D(2), {{n, 16, 16, 64}}, [&] {
    return DirectResampling(alg::resampling_nearest, channels_last({n, 16, 16, 64}), channels_last({n, 32, 32, 64}));
  });
  run("UpSampling2D bilinear", "x (32, 16, 16, 64) size 2", layers::UpSampling2D(2, {.interpolation = "bilinear"}),
      {{n, 16, 16, 64}}, [&] {
        return DirectResampling(alg::resampling_linear, channels_last({n, 16, 16, 64}),
                                channels_last({n, 32, 32, 64}));
      });
  run("Concatenate", "2 x (32, 32, 32, 32) last axis", layers::Concatenate(-1), {{n, 32, 32, 32}, {n, 32, 32, 32}},
      [&] { return DirectConcat({{n, 32, 32, 32}, {n, 32, 32, 32}}, 3); });
  run("Add", "2 x (32, 32, 32, 64)", layers::Add(), {{n, 32, 32, 64}, {n, 32, 32, 64}},
      [&] { return DirectAdd({n, 32, 32, 64}); });
  run("ReLU", "x (32, 32, 32, 64)", layers::ReLU(), {{n, 32, 32, 64}},
      [&] { return DirectEltwise(alg::eltwise_relu, {n, 32, 32, 64}); });
  run("Activation gelu", "x (32, 32, 32, 64) (erf form, Keras's default)", layers::Activation("gelu"),
      {{n, 32, 32, 64}}, [&] { return DirectEltwise(alg::eltwise_gelu_erf, {n, 32, 32, 64}); });
  run("Activation swish", "x (32, 32, 32, 64)", layers::Activation("swish"), {{n, 32, 32, 64}},
      [&] { return DirectEltwise(alg::eltwise_swish, {n, 32, 32, 64}, 1.0f); });
  run("Softmax", "x (32, 128, 512) last axis", layers::Softmax(), {{n, 128, 512}},
      [&] { return DirectSoftmax({n, 128, 512}, 2); });
  run("Dense", "x (256, 512) -> 512 units with bias", layers::Dense(512), {{256, 512}},
      [&] { return DirectDense(256, 512, 512); });
  return 0;
}
