// ctc_loss and ctc_loss_backward: Keras's jax ctc_loss (optax's phi/emit recursion in log space, log epsilon -1e5),
// one sample per OpenMP task, in double. oneDNN has no CTC primitive. The backward kernel reruns the forward,
// keeping every step's state, and then differentiates the recursion step by step (reverse mode), so the
// gradient is the one jax.grad gives, also where the soft -1e5 epsilon matters (labels that cannot fit).
#include <cmath>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

constexpr double kLogEpsilon = -1e5;  // optax / Keras's log_epsilon

// beyond this gap exp(-gap) vanishes next to 1 in double: skip the exp (most states start near -1e5)
constexpr double kNegligibleGap = 40;

inline double logaddexp(double a, double b) {
  const double d = a - b;
  if (d >= 0) return d > kNegligibleGap ? a : a + std::log1p(std::exp(-d));
  return d < -kNegligibleGap ? b : b + std::log1p(std::exp(d));
}

/// d logaddexp(a, b) / d a = 1 / (1 + exp(b - a)); the derivative w.r.t. b is 1 minus it.
inline double logaddexp_weight(double a, double b) {
  const double d = b - a;
  if (d > kNegligibleGap) return 0;
  if (d < -kNegligibleGap) return 1;
  return 1 / (1 + std::exp(d));
}

/// Shapes of one CTC problem and a sample's view of the inputs.
struct CtcShape {
  std::int64_t batch = 0, time = 0, classes = 0, max_labels = 0, mask_index = 0;
  std::int64_t row() const { return 2 * max_labels + 1; }  // one step's state: phi[0..N], emit[0..N-1]
};

/// One sample's labels: the first `length` entries (length = count of entries != mask_index, as Keras's ctc),
/// whether each repeats the next one (compared over the whole padded row, as Keras does), and its class column
/// (-1 where out of range: jax's one_hot then gives zeros, so that emission scores 0).
struct SampleLabels {
  std::int64_t length = 0;
  const std::int32_t* labels = nullptr;
  bool repeats(std::int64_t n, std::int64_t max_labels) const { return n + 1 < max_labels && labels[n] == labels[n + 1]; }
  std::int64_t column(std::int64_t n, std::int64_t classes) const {
    return labels[n] >= 0 && labels[n] < classes ? labels[n] : -1;
  }
};

SampleLabels sample_labels(const std::int32_t* labels, const CtcShape& s) {
  SampleLabels l;
  l.labels = labels;
  for (std::int64_t n = 0; n < s.max_labels; ++n) l.length += labels[n] != s.mask_index ? 1 : 0;
  return l;
}

/// log(sum(exp(x))) of each time step's logits: log_softmax(x)[t, k] = x[t, k] - lse[t].
void log_sum_exp(const float* x, const CtcShape& s, double* lse) {
  for (std::int64_t t = 0; t < s.time; ++t) {
    const float* r = x + t * s.classes;
    double m = r[0];
    for (std::int64_t k = 1; k < s.classes; ++k) m = std::max(m, static_cast<double>(r[k]));
    double sum = 0;
    for (std::int64_t k = 0; k < s.classes; ++k) sum += std::exp(r[k] - m);
    lse[t] = m + std::log(sum);
  }
}

/// Emission log-probability of label n at step t.
inline double emit_logprob(const float* x, const double* lse, const SampleLabels& l, const CtcShape& s,
                           std::int64_t t, std::int64_t n) {
  const std::int64_t k = l.column(n, s.classes);
  return k < 0 ? 0.0 : x[t * s.classes + k] - lse[t];
}

/// One step of the recursion: state (phi, emit) -> (next_phi, next_emit); p1 receives phi after the epsilon
/// emit-to-phi transition.
void step(const float* x, const double* lse, const SampleLabels& l, const CtcShape& s, std::int64_t t,
          const double* phi, const double* emit, double* p1, double* next_phi, double* next_emit) {
  const std::int64_t L = l.length;
  const double lp_phi = x[t * s.classes + s.mask_index] - lse[t];
  p1[0] = phi[0];
  for (std::int64_t n = 0; n < L; ++n)
    p1[n + 1] = logaddexp(phi[n + 1], emit[n] + (l.repeats(n, s.max_labels) ? kLogEpsilon : 0.0));
  for (std::int64_t n = 0; n < L; ++n)
    next_emit[n] = emit_logprob(x, lse, l, s, t, n) + logaddexp(p1[n], emit[n]);
  next_phi[0] = p1[0] + lp_phi;
  for (std::int64_t n = 0; n < L; ++n)
    next_phi[n + 1] = logaddexp(p1[n + 1] + lp_phi, emit[n] + lp_phi + (l.repeats(n, s.max_labels) ? 0.0 : kLogEpsilon));
}

void initial_state(const SampleLabels& l, double* phi, double* emit) {
  phi[0] = 0;
  for (std::int64_t n = 0; n < l.length; ++n) phi[n + 1] = kLogEpsilon, emit[n] = kLogEpsilon;
}

/// -log p(labels) from the final state (the last epsilon transition into phi[L]).
double final_loss(const SampleLabels& l, const double* phi, const double* emit) {
  const std::int64_t L = l.length;
  return L == 0 ? -phi[0] : -logaddexp(phi[L], emit[L - 1]);
}

CtcShape ctc_shape(const Op& op, const Shape& labels, const Shape& logits, const std::string& context) {
  CtcShape s;
  s.batch = logits[0], s.time = logits[1], s.classes = logits[2], s.max_labels = labels[1];
  s.mask_index = attrs_of<CtcAttrs>(op, context).mask_index;
  return s;
}

class CtcLossKernel final : public OnednnKernel {
 public:
  CtcLossKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    if (num_inputs() != 2 || in_dtype(0) != DType::int32 || in_dtype(1) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": ctc_loss takes int32 labels and float32 logits");
    s_ = ctc_shape(op, in_shape(0), in_shape(1), context_);
    // per sample: lse (T), two state rows (ping-pong) and p1 (N + 1)
    per_sample_ = s_.time + 2 * s_.row() + s_.max_labels + 1;
    offset_ = scratch_.reserve(static_cast<std::size_t>(s_.batch * per_sample_) * sizeof(double));
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* labels = static_cast<const std::int32_t*>(buffers.inputs[0]);
    const auto* logits = static_cast<const float*>(buffers.inputs[1]);
    auto* loss = static_cast<float*>(buffers.outputs[0]);
    auto* work = static_cast<double*>(offset_ptr(buffers.scratch, offset_));
    return [labels, logits, loss, work, s = s_, per_sample = per_sample_] {
      parallel_chunks(s.batch, 1, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t b = begin; b < end; ++b) {
          const float* x = logits + b * s.time * s.classes;
          const SampleLabels l = sample_labels(labels + b * s.max_labels, s);
          double* lse = work + b * per_sample;
          double* rows[2] = {lse + s.time, lse + s.time + s.row()};
          double* p1 = rows[1] + s.row();
          log_sum_exp(x, s, lse);
          initial_state(l, rows[0], rows[0] + s.max_labels + 1);
          for (std::int64_t t = 0; t < s.time; ++t) {
            double* cur = rows[t % 2];
            double* next = rows[(t + 1) % 2];
            step(x, lse, l, s, t, cur, cur + s.max_labels + 1, p1, next, next + s.max_labels + 1);
          }
          const double* last = rows[s.time % 2];
          loss[b] = static_cast<float>(final_loss(l, last, last + s.max_labels + 1));
        }
      });
    };
  }

 private:
  CtcShape s_;
  std::int64_t per_sample_ = 0;
  std::size_t offset_ = 0;
};

class CtcLossBackwardKernel final : public OnednnKernel {
 public:
  CtcLossBackwardKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    if (num_inputs() != 3 || in_dtype(0) != DType::int32 || in_dtype(1) != DType::float32 ||
        in_dtype(2) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ +
                             ": ctc_loss_backward takes int32 labels, float32 logits and float32 dloss");
    s_ = ctc_shape(op, in_shape(0), in_shape(1), context_);
    // per sample: lse (T), the states of steps 0..T, p1 and four gradient vectors (N + 1 each)
    per_sample_ = s_.time + (s_.time + 1) * s_.row() + 5 * (s_.max_labels + 1);
    offset_ = scratch_.reserve(static_cast<std::size_t>(s_.batch * per_sample_) * sizeof(double));
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* labels = static_cast<const std::int32_t*>(buffers.inputs[0]);
    const auto* logits = static_cast<const float*>(buffers.inputs[1]);
    const auto* dloss = static_cast<const float*>(buffers.inputs[2]);
    auto* dlogits = static_cast<float*>(buffers.outputs[0]);
    auto* work = static_cast<double*>(offset_ptr(buffers.scratch, offset_));
    return [labels, logits, dloss, dlogits, work, s = s_, per_sample = per_sample_] {
      parallel_chunks(s.batch, 1, [&](std::int64_t b0, std::int64_t b1) {
        for (std::int64_t b = b0; b < b1; ++b) backward_sample(b, labels, logits, dloss, dlogits, work, s, per_sample);
      });
    };
  }

 private:
  static void backward_sample(std::int64_t b, const std::int32_t* labels, const float* logits, const float* dloss,
                              float* dlogits, double* work, const CtcShape& s, std::int64_t per_sample) {
    const std::int64_t N = s.max_labels, K = s.classes;
    const float* x = logits + b * s.time * K;
    float* dx = dlogits + b * s.time * K;
    const SampleLabels l = sample_labels(labels + b * N, s);
    const std::int64_t L = l.length;
    double* lse = work + b * per_sample;
    double* states = lse + s.time;
    double* p1 = states + (s.time + 1) * s.row();
    double* g_phi = p1 + (N + 1);       // gradient w.r.t. the state of step t (being accumulated)
    double* g_emit = g_phi + (N + 1);
    double* g_next_phi = g_emit + (N + 1);  // gradient w.r.t. the state of step t + 1
    double* g_next_emit = g_next_phi + (N + 1);
    auto phi_of = [&](std::int64_t t) { return states + t * s.row(); };
    auto emit_of = [&](std::int64_t t) { return states + t * s.row() + N + 1; };

    log_sum_exp(x, s, lse);
    initial_state(l, phi_of(0), emit_of(0));
    for (std::int64_t t = 0; t < s.time; ++t)
      step(x, lse, l, s, t, phi_of(t), emit_of(t), p1, phi_of(t + 1), emit_of(t + 1));

    // d loss / d final state
    for (std::int64_t n = 0; n <= L; ++n) g_next_phi[n] = 0;
    for (std::int64_t n = 0; n < L; ++n) g_next_emit[n] = 0;
    if (L == 0) {
      g_next_phi[0] = -1;
    } else {
      const double w = logaddexp_weight(phi_of(s.time)[L], emit_of(s.time)[L - 1]);
      g_next_phi[L] = -w;
      g_next_emit[L - 1] = -(1 - w);
    }

    const double scale = dloss[b];
    for (std::int64_t t = s.time; t-- > 0;) {
      const double* phi = phi_of(t);
      const double* emit = emit_of(t);
      const double lp_phi = x[t * K + s.mask_index] - lse[t];
      // recompute p1 of this step
      p1[0] = phi[0];
      for (std::int64_t n = 0; n < L; ++n)
        p1[n + 1] = logaddexp(phi[n + 1], emit[n] + (l.repeats(n, N) ? kLogEpsilon : 0.0));
      for (std::int64_t n = 0; n <= L; ++n) g_phi[n] = 0;
      for (std::int64_t n = 0; n < L; ++n) g_emit[n] = 0;
      // g_phi holds d/d p1 until the epsilon transition is undone below
      double* g_p1 = g_phi;
      float* row = dx + t * K;
      // next_phi[0] = p1[0] + lp_phi ; next_phi[n+1] = logaddexp(p1[n+1] + lp_phi, emit[n] + lp_phi + eps')
      double g_lp_phi = g_next_phi[0];
      g_p1[0] += g_next_phi[0];
      for (std::int64_t n = 0; n < L; ++n) {
        const double g = g_next_phi[n + 1];
        const double a = p1[n + 1] + lp_phi;
        const double c = emit[n] + lp_phi + (l.repeats(n, N) ? 0.0 : kLogEpsilon);
        const double w = logaddexp_weight(a, c);
        g_p1[n + 1] += g * w;
        g_emit[n] += g * (1 - w);
        g_lp_phi += g;
      }
      // next_emit[n] = lp_emit[n] + logaddexp(p1[n], emit[n]); lp_emit gradients go straight into the row
      double g_sum = g_lp_phi;
      for (std::int64_t k = 0; k < K; ++k) row[k] = 0;
      for (std::int64_t n = 0; n < L; ++n) {
        const double g = g_next_emit[n];
        const double w = logaddexp_weight(p1[n], emit[n]);
        g_p1[n] += g * w;
        g_emit[n] += g * (1 - w);
        const std::int64_t k = l.column(n, K);
        if (k >= 0) {
          row[k] += static_cast<float>(g * scale);
          g_sum += g;
        }
      }
      // p1[n+1] = logaddexp(phi[n+1], emit[n] + eps); p1[0] = phi[0] (in place: g_p1 becomes g_phi)
      for (std::int64_t n = 0; n < L; ++n) {
        const double g = g_p1[n + 1];
        const double e = emit[n] + (l.repeats(n, N) ? kLogEpsilon : 0.0);
        const double w = logaddexp_weight(phi[n + 1], e);
        g_p1[n + 1] = g * w;
        g_emit[n] += g * (1 - w);
      }
      // through log_softmax: d x[k] = g_lp[k] - softmax[k] * sum(g_lp)
      row[s.mask_index] += static_cast<float>(g_lp_phi * scale);
      for (std::int64_t k = 0; k < K; ++k)
        row[k] = static_cast<float>(row[k] - std::exp(x[t * K + k] - lse[t]) * g_sum * scale);
      std::swap(g_phi, g_next_phi);
      std::swap(g_emit, g_next_emit);
    }
  }

  CtcShape s_;
  std::int64_t per_sample_ = 0;
  std::size_t offset_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_ctc_loss_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<CtcLossKernel>(graph, op);
}

std::unique_ptr<Kernel> make_ctc_loss_backward_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<CtcLossBackwardKernel>(graph, op);
}

}  // namespace strata::onednn
