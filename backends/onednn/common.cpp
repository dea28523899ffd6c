#include <strata/backends/onednn/common.hpp>

#include <omp.h>
#include <spdlog/spdlog.h>

namespace strata::onednn {

const dnnl::engine& engine() {
  static const dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}

dnnl::stream& thread_stream() {
  thread_local dnnl::stream stream(engine());
  return stream;
}

dt to_dnnl(DType dtype) {
  switch (dtype) {
    case DType::float32: return dt::f32;
    case DType::int32: return dt::s32;
    case DType::uint8: return dt::u8;
    case DType::int64: break;
  }
  throw UnsupportedError("oneDNN backend: dtype " + std::string(dtype_name(dtype)) + " has no oneDNN data type");
}

memory::dims to_dims(const Shape& shape) {
  if (shape.empty()) return {1};
  return memory::dims(shape.begin(), shape.end());
}

memory::dims row_major_strides(const memory::dims& dims) {
  memory::dims strides(dims.size());
  memory::dim s = 1;
  for (std::size_t i = dims.size(); i-- > 0;) {
    strides[i] = s;
    s *= std::max<memory::dim>(dims[i], 1);
  }
  return strides;
}

memory::desc plain_desc(const Shape& shape, DType dtype) {
  auto dims = to_dims(shape);
  return memory::desc(dims, to_dnnl(dtype), row_major_strides(dims));
}

memory::dims channels_last_dims(const Shape& shape) {
  memory::dims dims;
  dims.push_back(shape.front());
  dims.push_back(shape.back());
  for (std::size_t i = 1; i + 1 < shape.size(); ++i) dims.push_back(shape[i]);
  return dims;
}

tag channels_last_tag(int ndims) {
  switch (ndims) {
    case 2: return tag::nc;
    case 3: return tag::nwc;
    case 4: return tag::nhwc;
    case 5: return tag::ndhwc;
  }
  throw UnsupportedError("oneDNN backend: channels-last tensors need rank 2 to 5, got rank " +
                         std::to_string(ndims));
}

memory::desc channels_last_desc(const Shape& shape, DType dtype) {
  if (shape.size() < 2 || shape.size() > 5)
    throw UnsupportedError("oneDNN backend: channels-last tensors need rank 2 to 5, got " + shape_str(shape));
  return memory::desc(channels_last_dims(shape), to_dnnl(dtype), channels_last_tag(static_cast<int>(shape.size())));
}

dnnl::primitive_attr default_attr() {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  return attr;
}

PrimitiveLaunch& PrimitiveLaunch::arg(int which, const memory::desc& md, void* ptr) {
  if (md.get_size() == 0) return *this;
  memories_.emplace_back(md, engine(), ptr);
  args_.push_back(dnnl_exec_arg_t{which, memories_.back().get()});
  return *this;
}

void PrimitiveLaunch::run() const {
  dnnl::stream& stream = thread_stream();
  dnnl_status_t status;
  {
    LibraryCallScope in_onednn;
    status = dnnl_primitive_execute(primitive_.get(), stream.get(), static_cast<int>(args_.size()), args_.data());
    if (status == dnnl_success) status = dnnl_stream_wait(stream.get());
  }
  if (status != dnnl_success)
    throw BackendError("oneDNN backend: executing " + context_ + " failed with status " +
                       std::to_string(static_cast<int>(status)));
}

BroadcastPlan make_broadcast_plan(const Shape& out, const Shape& in0, const Shape& in1) {
  const std::size_t rank = out.size();
  auto strides_of = [&](const Shape& in) {
    std::vector<std::int64_t> s(rank, 0);
    std::int64_t stride = 1;
    for (std::size_t k = 0; k < in.size(); ++k) {
      const std::size_t i = in.size() - 1 - k, o = rank - 1 - k;
      s[o] = in[i] == 1 && out[o] != 1 ? 0 : stride;
      stride *= in[i];
    }
    return s;
  };
  const auto s0 = strides_of(in0), s1 = strides_of(in1);
  BroadcastPlan plan;
  for (std::size_t o = 0; o < rank; ++o) {
    if (out[o] == 1) continue;
    const std::size_t n = plan.dims.size();
    if (n > 0 && plan.strides[0][n - 1] == s0[o] * out[o] && plan.strides[1][n - 1] == s1[o] * out[o]) {
      plan.dims[n - 1] *= out[o];
      plan.strides[0][n - 1] = s0[o];
      plan.strides[1][n - 1] = s1[o];
      continue;
    }
    plan.dims.push_back(out[o]);
    plan.strides[0].push_back(s0[o]);
    plan.strides[1].push_back(s1[o]);
  }
  if (plan.dims.empty()) {
    plan.dims.push_back(1);
    plan.strides[0].push_back(0);
    plan.strides[1].push_back(0);
  }
  plan.inner = plan.dims.back();
  plan.rows = 1;
  for (std::size_t d = 0; d + 1 < plan.dims.size(); ++d) plan.rows *= plan.dims[d];
  return plan;
}

std::string describe_op(const Graph& graph, const Op& op) {
  std::string s(op_kind_name(op.kind));
  s += " (layer '" + op.layer + "'; inputs";
  for (std::size_t i = 0; i < op.inputs.size(); ++i) {
    const auto& v = graph.value(op.inputs[i]);
    s += (i ? ", " : " ") + shape_str(v.shape) + " " + std::string(dtype_name(v.dtype));
  }
  s += "; outputs";
  for (std::size_t i = 0; i < op.outputs.size(); ++i) {
    const auto& v = graph.value(op.outputs[i]);
    s += (i ? ", " : " ") + shape_str(v.shape) + " " + std::string(dtype_name(v.dtype));
  }
  return s + ")";
}

OnednnKernel::OnednnKernel(const Graph& graph, const Op& op) : context_(describe_op(graph, op)) {
  for (ValueId id : op.inputs) {
    in_shapes_.push_back(graph.value(id).shape);
    in_dtypes_.push_back(graph.value(id).dtype);
  }
  for (ValueId id : op.outputs) {
    out_shapes_.push_back(graph.value(id).shape);
    out_dtypes_.push_back(graph.value(id).dtype);
  }
}

std::function<void()> OnednnKernel::bind(const KernelBuffers& buffers) const {
  if (buffers.inputs.size() != in_shapes_.size() || buffers.outputs.size() != out_shapes_.size())
    throw BackendError("oneDNN backend: binding " + context_ + " got " + std::to_string(buffers.inputs.size()) +
                       " input and " + std::to_string(buffers.outputs.size()) + " output buffers");
  if (scratch_bytes() > 0 && buffers.scratch == nullptr)
    throw BackendError("oneDNN backend: binding " + context_ + " needs " + std::to_string(scratch_bytes()) +
                       " scratch bytes but got no scratch buffer");
  try {
    std::function<void()> launch = bind_impl(buffers);
    if (!serial_) return launch;
    return [launch = std::move(launch)] {
      // oneDNN and parallel_chunks size their OpenMP teams from this thread's max-threads setting
      struct OneThread {
        int threads = omp_get_max_threads();
        OneThread() { omp_set_num_threads(1); }
        ~OneThread() { omp_set_num_threads(threads); }
      } one_thread;
      launch();
    };
  } catch (const dnnl::error& e) {
    throw BackendError("oneDNN backend: binding " + context_ + " failed: " + e.what());
  }
}

void OnednnKernel::serial_when_small() {
  std::int64_t largest = 0;
  for (const Shape& s : in_shapes_) largest = std::max(largest, num_elements(s));
  for (const Shape& s : out_shapes_) largest = std::max(largest, num_elements(s));
  serial_ = largest < kSerialElements;
}

void OnednnKernel::note_impl(const dnnl::primitive_desc_base& pd, const char* what, bool warn_on_ref) {
  std::string impl = pd.impl_info_str();
  if (warn_on_ref && impl.rfind("ref", 0) == 0)
    spdlog::warn("oneDNN chose the slow reference kernel '{}' for the {} of {}", impl, what, context_);
  if (impl_ == "native")
    impl_ = impl;
  else
    impl_ += "," + impl;
}

}  // namespace strata::onednn
