// Per-layer benchmark of the convolution family: one training step's forward + backward (input and weight
// gradients) of each layer through strata, beside the same oneDNN primitives called directly in the same run
// (convolution or deconvolution forward, backward data, backward weights, with the weight reorders a training
// step needs). Prints one JSON object per layer; ratio = strata / direct (the issue asks <= 1.15).
//
//   build/bench/bench_layers [iterations] [filter]
//     iterations: per round (default 10, raised so a round lasts 50 ms); 21 interleaved rounds, median and best
//     filter: run only the layers whose name contains it
#include <strata/bench/layer_bench.hpp>

using namespace layer_bench;
using alg = dnnl::algorithm;

namespace {

/// Forward, backward data and backward weights of one (de)convolution, as a hand-written oneDNN training step:
/// the user's weights reordered to each primitive's layout, the weight gradient reordered back.
template <class Fwd, class BwdData, class BwdWeights>
struct DirectStep : DirectLaunches {
  DirectStep(dnnl::algorithm alg, const memory::desc& src, const memory::desc& dst, const memory::desc& w_user,
             const memory::dims& strides, const memory::dims& dilates, const memory::dims& pl,
             const memory::dims& pr) {
    memory::desc w_any(w_user.dims(), memory::data_type::f32, tag::any);
    typename Fwd::primitive_desc fwd(
        typename Fwd::desc(dnnl::prop_kind::forward_training, alg, src, w_any, dst, strides, dilates, pl, pr), eng);
    typename BwdData::primitive_desc bwd_data(typename BwdData::desc(alg, src, w_any, dst, strides, dilates, pl, pr),
                                              eng, fwd);
    typename BwdWeights::primitive_desc bwd_weights(
        typename BwdWeights::desc(alg, src, w_any, dst, strides, dilates, pl, pr), eng, fwd);
    memory x(src, eng), y(dst, eng), dy(dst, eng), dx(src, eng), w(w_user, eng), dw(w_user, eng);
    fill(x, 0.5f);
    fill(dy, 1.0f);
    fill(w, 0.01f);
    auto weights_as = [&](const memory::desc& md) {
      if (md == w_user) return w;
      memory m(md, eng);
      launches.push_back({dnnl::reorder(w, m), {{DNNL_ARG_FROM, w}, {DNNL_ARG_TO, m}}});
      return m;
    };
    memory w_fwd = weights_as(fwd.weights_desc());
    launches.push_back({Fwd(fwd), {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, w_fwd}, {DNNL_ARG_DST, y}}});
    memory w_bwd = bwd_data.weights_desc() == fwd.weights_desc() ? w_fwd : weights_as(bwd_data.weights_desc());
    launches.push_back({BwdData(bwd_data), {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, w_bwd}, {DNNL_ARG_DIFF_SRC, dx}}});
    memory dw_prim = bwd_weights.diff_weights_desc() == w_user ? dw : memory(bwd_weights.diff_weights_desc(), eng);
    launches.push_back({BwdWeights(bwd_weights), {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, dw_prim}}});
    if (dw_prim.get_desc() != w_user)
      launches.push_back({dnnl::reorder(dw_prim, dw), {{DNNL_ARG_FROM, dw_prim}, {DNNL_ARG_TO, dw}}});
  }
};
using DirectConv = DirectStep<dnnl::convolution_forward, dnnl::convolution_backward_data,
                              dnnl::convolution_backward_weights>;
using DirectDeconv = DirectStep<dnnl::deconvolution_forward, dnnl::deconvolution_backward_data,
                                dnnl::deconvolution_backward_weights>;

/// Keras's kernel (k..., a, b) viewed with oneDNN's logical dims: (b, a, k...) for a convolution, (groups,
/// b / groups, a, k...) for a grouped one, (a, b, k...) for a deconvolution (Keras's (k..., filters, in)).
memory::desc keras_kernel(const std::vector<memory::dim>& k, memory::dim a, memory::dim b, memory::dim groups = 1,
                          bool deconvolution = false) {
  std::vector<memory::dim> row_major(k.size() + 2);
  memory::dim stride = 1;
  std::vector<memory::dim> shape = k;
  shape.push_back(a);
  shape.push_back(b);
  for (std::size_t i = shape.size(); i-- > 0;) {
    row_major[i] = stride;
    stride *= shape[i];
  }
  memory::dims dims, strides;
  if (deconvolution) {
    dims = {a, b};
    strides = {b, 1};
  } else if (groups > 1) {
    dims = {groups, b / groups, a};
    strides = {b / groups, 1, b};
  } else {
    dims = {b, a};
    strides = {1, b};
  }
  for (std::size_t i = 0; i < k.size(); ++i) {
    dims.push_back(k[i]);
    strides.push_back(row_major[i]);
  }
  return memory::desc(dims, memory::data_type::f32, strides);
}

}  // namespace

int main(int argc, char** argv) {
  const int iterations = argc > 1 ? std::atoi(argv[1]) : 10;
  set_random_seed(0);
  const memory::dim n = 32;
  const auto f32 = memory::data_type::f32;
  if (selected("Conv2D", argc, argv)) {
    layers::Conv2D layer(64, 3, {.padding = "same", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 32, 32, 32}, f32, tag::nhwc),
                      memory::desc({n, 64, 32, 32}, f32, tag::nhwc), keras_kernel({3, 3}, 32, 64), {1, 1}, {0, 0},
                      {1, 1}, {1, 1});
    compare("Conv2D", "x (32, 32, 32, 32) -> 64 filters 3x3 same", layer, {{n, 32, 32, 32}}, direct, iterations);
  }
  if (selected("Conv2D channels_first", argc, argv)) {
    layers::Conv2D layer(64, 3, {.padding = "same", .data_format = "channels_first", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 32, 32, 32}, f32, tag::nchw),
                      memory::desc({n, 64, 32, 32}, f32, tag::nchw), keras_kernel({3, 3}, 32, 64), {1, 1}, {0, 0},
                      {1, 1}, {1, 1});
    compare("Conv2D channels_first", "x (32, 32, 32, 32) -> 64 filters 3x3 same", layer, {{n, 32, 32, 32}}, direct,
            iterations);
  }
  if (selected("Conv2DTranspose", argc, argv)) {
    // Keras "same", stride 2, kernel 3: jax pads (2, 1) around the dilated input, i.e. the forward convolution's
    // padding is (0, 1)
    layers::Conv2DTranspose layer(32, 3, {.strides = 2, .padding = "same", .use_bias = false});
    DirectDeconv direct(alg::deconvolution_direct, memory::desc({n, 64, 16, 16}, f32, tag::nhwc),
                        memory::desc({n, 32, 32, 32}, f32, tag::nhwc), keras_kernel({3, 3}, 32, 64, 1, true), {2, 2},
                        {0, 0}, {0, 0}, {1, 1});
    compare("Conv2DTranspose", "x (32, 16, 16, 64) -> 32 filters 3x3 stride 2 same", layer, {{n, 16, 16, 64}}, direct,
            iterations);
  }
  if (selected("DepthwiseConv2D", argc, argv)) {
    layers::DepthwiseConv2D layer(3, {.padding = "same", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 64, 32, 32}, f32, tag::nhwc),
                      memory::desc({n, 64, 32, 32}, f32, tag::nhwc), keras_kernel({3, 3}, 1, 64, 64), {1, 1},
                      {0, 0}, {1, 1}, {1, 1});
    compare("DepthwiseConv2D", "x (32, 32, 32, 64) 3x3 same", layer, {{n, 32, 32, 64}}, direct, iterations);
  }
  if (selected("Conv1D causal", argc, argv)) {
    layers::Conv1D layer(64, 5, {.padding = "causal", .use_bias = false});
    DirectConv direct(alg::convolution_direct, memory::desc({n, 64, 256}, f32, tag::nwc),
                      memory::desc({n, 64, 256}, f32, tag::nwc), keras_kernel({5}, 64, 64), {1}, {0}, {4}, {0});
    compare("Conv1D causal", "x (32, 256, 64) -> 64 filters k5 causal", layer, {{n, 256, 64}}, direct, iterations);
  }
  return 0;
}
