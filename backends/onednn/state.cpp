#include <cmath>
#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

class AssignKernel final : public OnednnKernel {
 public:
  AssignKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    if (num_inputs() != 2)
      throw BackendError("oneDNN backend: " + context_ + ": assign takes (variable, value)");
    bytes_ = static_cast<std::size_t>(num_elements(in_shape(0))) * dtype_size(in_dtype(0));
    const std::size_t value_bytes = static_cast<std::size_t>(num_elements(in_shape(1))) * dtype_size(in_dtype(1));
    if (bytes_ != value_bytes || in_dtype(0) != in_dtype(1))
      throw BackendError("oneDNN backend: " + context_ + ": cannot assign a " + shape_str(in_shape(1)) + " " +
                         std::string(dtype_name(in_dtype(1))) + " value to a " + shape_str(in_shape(0)) + " " +
                         std::string(dtype_name(in_dtype(0))) + " variable");
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    void* var = buffers.inputs[0];
    const void* value = buffers.inputs[1];
    const std::size_t bytes = bytes_;
    return [var, value, bytes] {
      if (var != value) std::memmove(var, value, bytes);
    };
  }

 private:
  std::size_t bytes_ = 0;
};

template <typename T>
void add_constant(T* v, std::int64_t n, T delta) {
  parallel_chunks(n, 16384, [&](std::int64_t b, std::int64_t e) {
    for (std::int64_t i = b; i < e; ++i) v[i] += delta;
  });
}

class AssignAddKernel final : public OnednnKernel {
 public:
  AssignAddKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    delta_ = attrs_of<AssignAddAttrs>(op, context_).delta;
    n_ = num_elements(in_shape(0));
    if (in_dtype(0) == DType::uint8)
      throw UnsupportedError("oneDNN backend: " + context_ + ": assign_add supports float32, int32 and int64");
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    void* var = buffers.inputs[0];
    const std::int64_t n = n_;
    const double delta = delta_;
    switch (in_dtype(0)) {
      case DType::int64:
        return [var, n, d = static_cast<std::int64_t>(std::llround(delta))] {
          add_constant(static_cast<std::int64_t*>(var), n, d);
        };
      case DType::int32:
        return [var, n, d = static_cast<std::int32_t>(std::lround(delta))] {
          add_constant(static_cast<std::int32_t*>(var), n, d);
        };
      default:
        return [var, n, d = static_cast<float>(delta)] { add_constant(static_cast<float*>(var), n, d); };
    }
  }

 private:
  double delta_ = 1;
  std::int64_t n_ = 0;
};

class OptimizerUpdateKernel final : public OnednnKernel {
 public:
  OptimizerUpdateKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    attrs_ = attrs_of<OptimizerUpdateAttrs>(op, context_);
    std::size_t slots = 0;
    switch (attrs_.kind) {
      case OptimizerKind::sgd: slots = attrs_.momentum > 0 ? 1 : 0; break;
      case OptimizerKind::adam: slots = attrs_.amsgrad ? 3 : 2; break;
      case OptimizerKind::rmsprop: slots = 1 + (attrs_.momentum > 0 ? 1 : 0) + (attrs_.centered ? 1 : 0); break;
    }
    if (num_inputs() != 4 + slots)
      throw BackendError("oneDNN backend: " + context_ + ": optimizer_update expects " + std::to_string(4 + slots) +
                         " inputs (variable, gradient, " + std::to_string(slots) +
                         " slots, learning_rate, iterations), got " + std::to_string(num_inputs()));
    n_ = num_elements(in_shape(0));
    for (std::size_t i = 0; i < 2 + slots; ++i)
      if (in_dtype(i) != DType::float32 || num_elements(in_shape(i)) != n_)
        throw UnsupportedError("oneDNN backend: " + context_ +
                               ": optimizer_update needs float32 variable, gradient and slots of one size");
    if (in_dtype(2 + slots) != DType::float32 || in_dtype(3 + slots) != DType::int64)
      throw BackendError("oneDNN backend: " + context_ +
                         ": optimizer_update needs a float32 learning rate and int64 iterations");
    slots_ = slots;
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    auto f = [&](std::size_t i) { return static_cast<float*>(buffers.inputs[i]); };
    float* var = f(0);
    const float* g = f(1);
    const float* lr_ptr = f(2 + slots_);
    const auto* it_ptr = static_cast<const std::int64_t*>(buffers.inputs[3 + slots_]);
    const std::int64_t n = n_;
    const OptimizerUpdateAttrs a = attrs_;
    switch (a.kind) {
      case OptimizerKind::sgd: {
        float* m = slots_ > 0 ? f(2) : nullptr;
        return [=] {
          const float lr = *lr_ptr, momentum = static_cast<float>(a.momentum);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            if (!m) {
              for (std::int64_t i = b; i < e; ++i) var[i] -= lr * g[i];
              return;
            }
            for (std::int64_t i = b; i < e; ++i) {
              const float mi = momentum * m[i] - lr * g[i];
              m[i] = mi;
              var[i] += a.nesterov ? momentum * mi - lr * g[i] : mi;
            }
          });
        };
      }
      case OptimizerKind::adam: {
        float* m = f(2);
        float* v = f(3);
        float* v_hat = a.amsgrad ? f(4) : nullptr;
        return [=] {
          // Keras: the powers and alpha in float32; 1 - beta as a Python float, then float32
          const float t = static_cast<float>(*it_ptr + 1);
          const float lr_t = *lr_ptr * std::sqrt(1.0f - std::pow(static_cast<float>(a.beta_2), t)) /
                             (1.0f - std::pow(static_cast<float>(a.beta_1), t));
          const float c1 = static_cast<float>(1.0 - a.beta_1), c2 = static_cast<float>(1.0 - a.beta_2);
          const float eps = static_cast<float>(a.epsilon);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float mi = m[i] + (gi - m[i]) * c1;
              float vi = v[i] + (gi * gi - v[i]) * c2;
              m[i] = mi;
              v[i] = vi;
              if (v_hat) {
                vi = std::max(v_hat[i], vi);
                v_hat[i] = vi;
              }
              var[i] -= lr_t * mi / (std::sqrt(vi) + eps);
            }
          });
        };
      }
      case OptimizerKind::rmsprop: {
        float* vel = f(2);
        float* mom = a.momentum > 0 ? f(3) : nullptr;
        float* avg = a.centered ? f(3 + (mom ? 1 : 0)) : nullptr;
        return [=] {
          const float lr = *lr_ptr;
          const float rho = static_cast<float>(a.rho), c = static_cast<float>(1.0 - a.rho);
          const float eps = static_cast<float>(a.epsilon), momentum = static_cast<float>(a.momentum);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float vi = rho * vel[i] + c * gi * gi;
              vel[i] = vi;
              float denom;
              if (avg) {
                const float ai = rho * avg[i] + c * gi;
                avg[i] = ai;
                denom = vi - ai * ai + eps;
              } else {
                denom = vi + eps;
              }
              const float inc = lr * gi / std::sqrt(denom);
              if (mom) {
                const float mi = momentum * mom[i] + inc;
                mom[i] = mi;
                var[i] -= mi;
              } else {
                var[i] -= inc;
              }
            }
          });
        };
      }
    }
    throw BackendError("oneDNN backend: " + context_ + ": unknown optimizer kind");
  }

 private:
  OptimizerUpdateAttrs attrs_;
  std::size_t slots_ = 0;
  std::int64_t n_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_assign_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<AssignKernel>(graph, op);
}

std::unique_ptr<Kernel> make_assign_add_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<AssignAddKernel>(graph, op);
}

std::unique_ptr<Kernel> make_optimizer_update_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<OptimizerUpdateKernel>(graph, op);
}

}  // namespace strata::onednn
