#pragma once
// Shared pieces of the oneDNN backend: engine, per-thread stream, descriptor helpers, kernel base.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

#include <strata/api/errors.hpp>
#include <strata/backends/backend.hpp>

namespace strata::onednn {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

/// The process-wide CPU engine.
const dnnl::engine& engine();
/// The calling thread's stream (concurrent launches never share one).
dnnl::stream& thread_stream();

dt to_dnnl(DType dtype);
/// Dims of a shape; a scalar becomes {1} because oneDNN descriptors cannot have 0 dims.
memory::dims to_dims(const Shape& shape);
/// Row-major strides of `dims`.
memory::dims row_major_strides(const memory::dims& dims);
/// Plain row-major descriptor of a shape.
memory::desc plain_desc(const Shape& shape, DType dtype = DType::float32);
/// Descriptor of a channels-last activation (N, spatial..., C) with oneDNN's logical (N, C, spatial...) dims.
memory::desc channels_last_desc(const Shape& shape, DType dtype = DType::float32);
/// Logical (N, C, spatial...) dims of a channels-last shape.
memory::dims channels_last_dims(const Shape& shape);
/// The plain tag for channels-last data of `ndims` logical dims (nc, nwc, nhwc, ndhwc).
tag channels_last_tag(int ndims);

/// Attributes every primitive of this backend uses: user-managed scratchpad.
dnnl::primitive_attr default_attr();

constexpr std::size_t align64(std::size_t n) { return (n + 63) & ~std::size_t(63); }

/// Carves 64-byte aligned sub-buffers out of one kernel scratch region.
class ScratchPlan {
 public:
  std::size_t reserve(std::size_t bytes) {
    std::size_t offset = total_;
    total_ += align64(bytes);
    return offset;
  }
  std::size_t total() const { return total_; }

 private:
  std::size_t total_ = 0;
};

inline void* offset_ptr(void* base, std::size_t offset) { return static_cast<char*>(base) + offset; }

/// A primitive with its memory objects and argument list prebuilt; run() performs no allocation.
class PrimitiveLaunch {
 public:
  PrimitiveLaunch() = default;
  PrimitiveLaunch(dnnl::primitive primitive, const std::string& context)
      : primitive_(std::move(primitive)), context_(context) {}
  /// Binds argument `which` to `ptr` viewed through `md` (skipped when md is empty).
  PrimitiveLaunch& arg(int which, const memory::desc& md, void* ptr);
  void run() const;
  bool valid() const { return static_cast<bool>(primitive_); }

 private:
  dnnl::primitive primitive_;
  std::vector<memory> memories_;
  std::vector<dnnl_exec_arg_t> args_;
  std::string context_;
};

/// "convolution (layer 'conv2d'; inputs (3, 5, 7, 3) float32, ...; outputs ...)" for error messages.
std::string describe_op(const Graph& graph, const Op& op);

/// Base of every kernel here: records context, checks buffers and converts dnnl errors in bind().
class OnednnKernel : public Kernel {
 public:
  OnednnKernel(const Graph& graph, const Op& op);
  std::size_t scratch_bytes() const override { return scratch_.total(); }
  std::string implementation() const override { return impl_; }
  std::function<void()> bind(const KernelBuffers& buffers) const final;

 protected:
  virtual std::function<void()> bind_impl(const KernelBuffers& buffers) const = 0;
  /// Records a compute primitive's implementation, warning when oneDNN fell back to a reference kernel.
  void note_impl(const dnnl::primitive_desc_base& pd, const char* what, bool warn_on_ref = true);
  const Shape& in_shape(std::size_t i) const { return in_shapes_.at(i); }
  const Shape& out_shape(std::size_t i) const { return out_shapes_.at(i); }
  DType in_dtype(std::size_t i) const { return in_dtypes_.at(i); }
  DType out_dtype(std::size_t i) const { return out_dtypes_.at(i); }
  std::size_t num_inputs() const { return in_shapes_.size(); }
  std::size_t num_outputs() const { return out_shapes_.size(); }

  /// Runs this kernel on the calling thread alone when its largest tensor has fewer than kSerialElements elements:
  /// for a few thousand floats an OpenMP parallel region (and, on a loaded machine, waiting until its threads are
  /// scheduled, up to milliseconds) costs more than the work. Element-wise kernels call it in their constructor.
  void serial_when_small();
  static constexpr std::int64_t kSerialElements = 32768;  // PyTorch's grain size for element-wise loops

  std::string context_;
  std::string impl_ = "native";
  bool serial_ = false;
  ScratchPlan scratch_;
  std::vector<Shape> in_shapes_, out_shapes_;
  std::vector<DType> in_dtypes_, out_dtypes_;
};

/// The op's attribute struct of type A; BackendError when the op carries another kind.
template <typename A>
const A& attrs_of(const Op& op, const std::string& context) {
  if (const A* a = std::get_if<A>(&op.attrs)) return *a;
  throw BackendError("oneDNN backend: " + context + " carries attributes of the wrong kind");
}

/// Numpy broadcasting of up to two operands to `out`, collapsed to few dims for plain loops.
struct BroadcastPlan {
  std::vector<std::int64_t> dims;        // collapsed output dims, outermost first; never empty
  std::vector<std::int64_t> strides[2];  // element strides of each operand per dim, 0 where broadcast
  std::int64_t rows = 1;                 // product of all dims but the last
  std::int64_t inner = 1;                // the last dim
  /// Offsets of both operands at the start of row `row`.
  void row_offsets(std::int64_t row, std::int64_t& off0, std::int64_t& off1) const {
    off0 = off1 = 0;
    for (std::size_t d = dims.size() - 1; d-- > 0;) {
      const std::int64_t i = row % dims[d];
      row /= dims[d];
      off0 += i * strides[0][d];
      off1 += i * strides[1][d];
    }
  }
};
/// The plan for in0 and in1 broadcast to out (pass out itself for a missing operand).
BroadcastPlan make_broadcast_plan(const Shape& out, const Shape& in0, const Shape& in1);

/// How an EltwiseKind runs: a oneDNN algorithm, or (native == true) this backend's own loop.
struct EltwiseAlgorithm {
  bool native = false;
  dnnl::algorithm alg = dnnl::algorithm::eltwise_linear;
  float alpha = 0, beta = 0;
};
/// The algorithm for `kind`; `use_dst` picks the variant whose backward reads y (UnsupportedError if none).
EltwiseAlgorithm eltwise_algorithm(EltwiseKind kind, float alpha, float beta, bool use_dst, const std::string& context);
/// y = f(x) for the kinds oneDNN lacks or gets wrong (selu, softsign, NaN-propagating clip); y may alias x.
void eltwise_native_forward(EltwiseKind kind, float alpha, float beta, const float* x, float* y, std::int64_t n);
/// dx = dy * f'(x), or from y when use_dst, for the same kinds.
void eltwise_native_backward(EltwiseKind kind, float alpha, float beta, bool use_dst, const float* dy, const float* s,
                             float* dx, std::int64_t n);
/// Appends a fused post-op to `attr`; returns true when it must instead run natively over dst afterwards.
bool append_post_op(dnnl::primitive_attr& attr, const PostOp& post, const std::string& context);

/// Runs f(begin, end) over [0, n) in parallel chunks of at least `grain` items (no allocation).
template <typename F>
void parallel_chunks(std::int64_t n, std::int64_t grain, F&& f) {
  if (n <= 0) return;
  const std::int64_t chunks = std::max<std::int64_t>(1, std::min<std::int64_t>(n / std::max<std::int64_t>(grain, 1), 1024));
  const std::int64_t step = (n + chunks - 1) / chunks;
#pragma omp parallel for schedule(static) if (chunks > 1)
  for (std::int64_t c = 0; c < chunks; ++c) {
    const std::int64_t begin = c * step, end = std::min(n, begin + step);
    if (begin < end) f(begin, end);
  }
}

}  // namespace strata::onednn
