#include <cmath>
#include <cstring>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

class AssignKernel final : public OnednnKernel {
 public:
  AssignKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    if (num_inputs() != 2 && num_inputs() != 3)
      throw BackendError("oneDNN backend: " + context_ + ": assign takes (variable, value [, gate])");
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
    const auto* gate = num_inputs() == 3 ? static_cast<const float*>(buffers.inputs[2]) : nullptr;
    const std::size_t bytes = bytes_;
    return [var, value, gate, bytes] {
      if (gate && *gate == 0.0f) return;
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
    const auto* gate = num_inputs() == 2 ? static_cast<const float*>(buffers.inputs[1]) : nullptr;
    const std::int64_t n = n_;
    const double delta = delta_;
    switch (in_dtype(0)) {
      case DType::int64:
        return [var, n, gate, d = static_cast<std::int64_t>(std::llround(delta))] {
          if (!gate || *gate != 0.0f) add_constant(static_cast<std::int64_t*>(var), n, d);
        };
      case DType::int32:
        return [var, n, gate, d = static_cast<std::int32_t>(std::lround(delta))] {
          if (!gate || *gate != 0.0f) add_constant(static_cast<std::int32_t*>(var), n, d);
        };
      default:
        return [var, n, gate, d = static_cast<float>(delta)] {
          if (!gate || *gate != 0.0f) add_constant(static_cast<float*>(var), n, d);
        };
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
    const std::size_t slots = optimizer_slot_count(attrs_), extra = optimizer_extra_inputs(attrs_);
    const std::size_t gate = attrs_.gated ? 1 : 0;
    if (num_inputs() != 4 + slots + extra + gate)
      throw BackendError("oneDNN backend: " + context_ + ": optimizer_update expects " +
                         std::to_string(4 + slots + extra + gate) + " inputs (variable, gradient, " +
                         std::to_string(slots) + " slots, learning_rate, iterations" + (extra ? ", u_product" : "") +
                         (gate ? ", gate" : "") + "), got " + std::to_string(num_inputs()));
    n_ = num_elements(in_shape(0));
    for (std::size_t i = 0; i < 2 + slots; ++i) {
      // Adafactor's r and c are the factored moments (or scalar stand-ins), smaller than the variable
      const bool factored_moment = attrs_.kind == OptimizerKind::adafactor && (i == 2 || i == 3);
      if ((in_dtype(i) != DType::float32 && !(factored_moment && !attrs_.factored)) ||
          (!factored_moment && num_elements(in_shape(i)) != n_))
        throw UnsupportedError("oneDNN backend: " + context_ +
                               ": optimizer_update needs float32 variable, gradient and slots of one size");
    }
    if (attrs_.kind == OptimizerKind::adafactor && attrs_.factored) {
      const Shape& shape = in_shape(0);
      cols_ = shape.back();
      rows_ = shape[shape.size() - 2];
      batches_ = n_ / std::max<std::int64_t>(rows_ * cols_, 1);
    }
    if (in_dtype(2 + slots) != DType::float32 || in_dtype(3 + slots) != DType::int64)
      throw BackendError("oneDNN backend: " + context_ +
                         ": optimizer_update needs a float32 learning rate and int64 iterations");
    slots_ = slots;
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    std::function<void()> rule = bind_rule(buffers);
    if (!attrs_.gated) return rule;
    const auto* gate = static_cast<const float*>(buffers.inputs.back());
    return [rule = std::move(rule), gate] {
      if (*gate != 0.0f) rule();
    };
  }

 private:
  std::function<void()> bind_rule(const KernelBuffers& buffers) const {
    auto f = [&](std::size_t i) { return static_cast<float*>(buffers.inputs[i]); };
    float* var = f(0);
    const float* g = f(1);
    const float* lr_ptr = f(2 + slots_);
    const auto* it_ptr = static_cast<const std::int64_t*>(buffers.inputs[3 + slots_]);
    const float* extra = optimizer_extra_inputs(attrs_) ? f(4 + slots_) : nullptr;
    const std::int64_t n = n_;
    const OptimizerUpdateAttrs a = attrs_;
    const bool decay = a.use_weight_decay;
    const float wd = static_cast<float>(a.weight_decay);
    // Keras's _apply_weight_decay, run on each element just before the rule reads it
    auto decayed = [decay, wd](float x, float lr) { return decay ? x - x * wd * lr : x; };
    switch (a.kind) {
      case OptimizerKind::sgd: {
        float* m = slots_ > 0 ? f(2) : nullptr;
        return [=] {
          const float lr = *lr_ptr, momentum = static_cast<float>(a.momentum);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            if (!m) {
              for (std::int64_t i = b; i < e; ++i) var[i] = decayed(var[i], lr) - lr * g[i];
              return;
            }
            for (std::int64_t i = b; i < e; ++i) {
              const float mi = momentum * m[i] - lr * g[i];
              m[i] = mi;
              var[i] = decayed(var[i], lr) + (a.nesterov ? momentum * mi - lr * g[i] : mi);
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
          const float t = static_cast<float>(*it_ptr / a.iteration_divisor + 1);
          const float lr = *lr_ptr;
          const float lr_t = lr * std::sqrt(1.0f - std::pow(static_cast<float>(a.beta_2), t)) /
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
              var[i] = decayed(var[i], lr) - mi * lr_t / (std::sqrt(vi) + eps);
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
              const float x = decayed(var[i], lr);
              if (mom) {
                const float mi = momentum * mom[i] + inc;
                mom[i] = mi;
                var[i] = x - mi;
              } else {
                var[i] = x - inc;
              }
            }
          });
        };
      }
      case OptimizerKind::adagrad: {
        float* acc = f(2);
        return [=] {
          const float lr = *lr_ptr, eps = static_cast<float>(a.epsilon);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float ai = acc[i] + gi * gi;
              acc[i] = ai;
              var[i] = decayed(var[i], lr) - lr * gi / std::sqrt(ai + eps);
            }
          });
        };
      }
      case OptimizerKind::adadelta: {
        float* acc_grad = f(2);
        float* acc_delta = f(3);
        return [=] {
          const float lr = *lr_ptr, eps = static_cast<float>(a.epsilon);
          const float rho = static_cast<float>(a.rho), c = static_cast<float>(1.0 - a.rho);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float ag = rho * acc_grad[i] + c * (gi * gi);
              acc_grad[i] = ag;
              const float delta = -(std::sqrt(acc_delta[i] + eps) * gi / std::sqrt(ag + eps));
              acc_delta[i] = rho * acc_delta[i] + c * (delta * delta);
              var[i] = decayed(var[i], lr) + lr * delta;
            }
          });
        };
      }
      case OptimizerKind::adamax: {
        float* m = f(2);
        float* u = f(3);
        return [=] {
          const float lr = *lr_ptr, eps = static_cast<float>(a.epsilon);
          const float t = static_cast<float>(*it_ptr / a.iteration_divisor + 1);
          const float beta_1_power = std::pow(static_cast<float>(a.beta_1), t);
          const float c1 = static_cast<float>(1.0 - a.beta_1), beta_2 = static_cast<float>(a.beta_2);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float mi = m[i] + (gi - m[i]) * c1;
              const float ui = std::max(beta_2 * u[i], std::abs(gi));
              m[i] = mi;
              u[i] = ui;
              var[i] = decayed(var[i], lr) - lr * mi / ((1.0f - beta_1_power) * (ui + eps));
            }
          });
        };
      }
      case OptimizerKind::nadam: {
        float* m = f(2);
        float* v = f(3);
        return [=] {
          // Keras casts beta_1/beta_2 to float32 first, so 1 - beta is a float32 subtraction here
          const float lr = *lr_ptr, eps = static_cast<float>(a.epsilon);
          const std::int64_t step = *it_ptr / a.iteration_divisor;
          const float t = static_cast<float>(step + 1), t_next = static_cast<float>(step + 2);
          const float beta_1 = static_cast<float>(a.beta_1), beta_2 = static_cast<float>(a.beta_2);
          const float u_t = beta_1 * (1.0f - 0.5f * std::pow(0.96f, t));
          const float u_t_1 = beta_1 * (1.0f - 0.5f * std::pow(0.96f, t_next));
          const float u_product_t = *extra;
          const float u_product_t_1 = u_product_t * u_t_1;
          const float beta_2_power = std::pow(beta_2, t);
          const float c1 = 1.0f - beta_1, c2 = 1.0f - beta_2;
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float mi = m[i] + (gi - m[i]) * c1;
              const float vi = v[i] + (gi * gi - v[i]) * c2;
              m[i] = mi;
              v[i] = vi;
              const float m_hat = u_t_1 * mi / (1.0f - u_product_t_1) + (1.0f - u_t) * gi / (1.0f - u_product_t);
              const float v_hat = vi / (1.0f - beta_2_power);
              var[i] = decayed(var[i], lr) - m_hat * lr / (std::sqrt(v_hat) + eps);
            }
          });
        };
      }
      case OptimizerKind::ftrl: {
        float* accum = f(2);
        float* linear = f(3);
        return [=] {
          const float lr = *lr_ptr;
          const float power = static_cast<float>(-a.learning_rate_power);
          const float l2_reg = static_cast<float>(a.l2) + static_cast<float>(a.beta) / (2.0f * lr);
          const float shrink = static_cast<float>(2 * a.l2_shrinkage), l1 = static_cast<float>(a.l1);
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float x = decayed(var[i], lr);
              const float grad_to_use = gi + shrink * x;
              const float new_accum = accum[i] + gi * gi;
              const float new_pow = std::pow(new_accum, power);
              const float li = linear[i] + (grad_to_use - (new_pow - std::pow(accum[i], power)) / lr * x);
              linear[i] = li;
              const float quadratic = new_pow / lr + 2.0f * l2_reg;
              const float clipped = std::min(std::max(li, -l1), l1);
              var[i] = (clipped - li) / quadratic;
              accum[i] = new_accum;
            }
          });
        };
      }
      case OptimizerKind::lion: {
        float* m = f(2);
        return [=] {
          const float lr = *lr_ptr;
          const float beta_1 = static_cast<float>(a.beta_1), beta_2 = static_cast<float>(a.beta_2);
          const float c1 = 1.0f - beta_1, c2 = 1.0f - beta_2;
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) {
              const float gi = g[i];
              const float c = m[i] * beta_1 + gi * c1;
              const float sign = c > 0.0f ? 1.0f : (c < 0.0f ? -1.0f : c);
              var[i] = decayed(var[i], lr) - lr * sign;
              m[i] = m[i] * beta_2 + gi * c2;
            }
          });
        };
      }
      case OptimizerKind::adafactor: {
        float* r = f(2);
        float* c = f(3);
        float* v = f(4);
        const std::int64_t rows = rows_, cols = cols_, batches = batches_;
        return [=] {
          // Keras's Adafactor.update_step in float32; the means accumulate in double
          const float t = static_cast<float>(*it_ptr / a.iteration_divisor + 1);
          const float inv_sqrt_t = 1.0f / std::sqrt(t);
          float lr = *lr_ptr;
          if (a.relative_step) lr = std::min(lr, inv_sqrt_t);
          const float rho_t = std::min(lr, inv_sqrt_t);
          if (decay)
            for (std::int64_t i = 0; i < n; ++i) var[i] = decayed(var[i], *lr_ptr);
          double var_sq = 0;
          for (std::int64_t i = 0; i < n; ++i) var_sq += static_cast<double>(var[i]) * var[i];
          const float rms_var = std::sqrt(static_cast<float>(var_sq / static_cast<double>(std::max<std::int64_t>(n, 1))));
          const float alpha_t = std::max(static_cast<float>(a.epsilon_2), rms_var) * rho_t;
          const float eps1 = static_cast<float>(a.epsilon_1);
          const float beta_2_t = 1.0f - std::pow(t, static_cast<float>(a.beta_2_decay));
          const float one_minus = 1.0f - beta_2_t;
          if (a.factored) {
            for (std::int64_t bi = 0; bi < batches; ++bi) {
              const float* gb = g + bi * rows * cols;
              float* rb = r + bi * rows;
              float* cb = c + bi * cols;
              float* vb = v + bi * rows * cols;
              for (std::int64_t i = 0; i < rows; ++i) {
                double sum = 0;
                for (std::int64_t j = 0; j < cols; ++j) sum += gb[i * cols + j] * gb[i * cols + j] + eps1;
                rb[i] = beta_2_t * rb[i] + one_minus * static_cast<float>(sum / static_cast<double>(cols));
              }
              for (std::int64_t j = 0; j < cols; ++j) {
                double sum = 0;
                for (std::int64_t i = 0; i < rows; ++i) sum += gb[i * cols + j] * gb[i * cols + j] + eps1;
                cb[j] = beta_2_t * cb[j] + one_minus * static_cast<float>(sum / static_cast<double>(rows));
              }
              double r_sum = 0;
              for (std::int64_t i = 0; i < rows; ++i) r_sum += rb[i];
              const float r_mean = static_cast<float>(r_sum / static_cast<double>(rows));
              for (std::int64_t i = 0; i < rows; ++i)
                for (std::int64_t j = 0; j < cols; ++j) vb[i * cols + j] = rb[i] / r_mean * cb[j];
            }
          } else {
            for (std::int64_t i = 0; i < n; ++i) v[i] = beta_2_t * v[i] + one_minus * (g[i] * g[i] + eps1);
          }
          double u_sq = 0;
          for (std::int64_t i = 0; i < n; ++i) {
            const float u = g[i] / std::sqrt(v[i]);
            u_sq += static_cast<double>(u) * u;
          }
          const float rms_u = std::sqrt(static_cast<float>(u_sq / static_cast<double>(std::max<std::int64_t>(n, 1))));
          const float scale = alpha_t / std::max(1.0f, rms_u / static_cast<float>(a.clip_threshold));
          parallel_chunks(n, 8192, [&](std::int64_t b, std::int64_t e) {
            for (std::int64_t i = b; i < e; ++i) var[i] -= g[i] / std::sqrt(v[i]) * scale;
          });
        };
      }
    }
    throw BackendError("oneDNN backend: " + context_ + ": unknown optimizer kind");
  }

  OptimizerUpdateAttrs attrs_;
  std::size_t slots_ = 0;
  std::int64_t n_ = 0;
  std::int64_t rows_ = 1, cols_ = 1, batches_ = 1;  // adafactor's factored view: batches x rows x cols
};

class StepConditionKernel final : public OnednnKernel {
 public:
  StepConditionKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    attrs_ = attrs_of<StepConditionAttrs>(op, context_);
    for (std::size_t i = 0; i < num_inputs(); ++i) {
      sizes_.push_back(num_elements(in_shape(i)));
      if (attrs_.kind == StepConditionKind::all_finite && in_dtype(i) != DType::float32)
        throw UnsupportedError("oneDNN backend: " + context_ + ": all_finite checks float32 tensors");
    }
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    auto* out = static_cast<float*>(buffers.outputs[0]);
    const StepConditionAttrs a = attrs_;
    if (a.kind != StepConditionKind::all_finite) {
      const auto* it = static_cast<const std::int64_t*>(buffers.inputs[0]);
      return [out, it, a] {
        const std::int64_t step = *it / a.divisor;
        if (a.kind == StepConditionKind::count) {
          *out = static_cast<float>(step);
          return;
        }
        const bool yes = a.kind == StepConditionKind::multiple ? (step + a.offset) % a.modulus == 0 : step >= a.threshold;
        *out = yes ? 1.0f : 0.0f;
      };
    }
    std::vector<const float*> tensors;
    for (const void* p : buffers.inputs) tensors.push_back(static_cast<const float*>(p));
    return [out, tensors, sizes = sizes_] {
      // x - x is 0 for a finite x and NaN for inf or NaN, so one sum tells whether all are finite
      float probe = 0.0f;
      for (std::size_t k = 0; k < tensors.size(); ++k) {
        const float* x = tensors[k];
        for (std::int64_t i = 0; i < sizes[k]; ++i) probe += x[i] - x[i];
      }
      *out = probe == 0.0f ? 1.0f : 0.0f;
    };
  }

 private:
  StepConditionAttrs attrs_;
  std::vector<std::int64_t> sizes_;
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

std::unique_ptr<Kernel> make_step_condition_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<StepConditionKernel>(graph, op);
}

}  // namespace strata::onednn
