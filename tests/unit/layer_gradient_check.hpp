#pragma once
// Gradients of a layer's call() through autodiff, the memory plan and the kernels: d/dx and d/dweights of
// sum(w * layer(x)) for a fixed random w, and the central finite-difference check of them.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>

#include <strata/api/graph/autodiff.hpp>
#include <strata/api/graph/program.hpp>
#include <strata/api/layer.hpp>
#include <strata/backends/backend.hpp>
#include <strata/backends/ops/random.hpp>

namespace strata::testing {

struct LayerGradients {
  Tensor y;                     // the layer's output
  Tensor dx;                    // d loss / d x
  std::vector<Tensor> dw;       // d loss / d each trainable weight, in trainable_weights() order
  Tensor w;                     // the loss weights: loss = sum(w * y)
};

/// Runs the layer's graph with the loss sum(w * y) and returns its gradients; `repeat` reruns it that many
/// times more (finite differences) with `perturb` applied before each run, returning the losses.
class LayerGradientRunner {
 public:
  LayerGradientRunner(Layer& layer, const Tensor& x, bool training) : x_(x) {
    Shape per_sample = x.shape();
    per_sample[0] = -1;
    layer.ensure_built({per_sample});
    Graph g;
    Value xin = g.add_input(x.shape(), DType::float32, "x");
    CallContext ctx{g, training};
    Value y = layer.call(xin, ctx);
    Tensor w(y.shape());
    auto wv = w.values();
    for (std::size_t i = 0; i < wv.size(); ++i)
      wv[i] = 2.0f * random::uniform(random::stream_key(99, 3), i) - 1.0f;
    Value loss = ops::sum(y * g.add_constant(w));
    std::vector<Value> wrt{xin};
    for (Variable* v : layer.trainable_weights()) {
      wrt.push_back(g.add_variable(*v));
      vars_.push_back(v);
    }
    std::vector<Value> grads = gradients(loss, wrt);
    std::vector<ValueId> outs{loss.id(), y.id()};
    for (auto& d : grads) {
      REQUIRE(d.valid());
      outs.push_back(d.id());
    }
    result_.w = w;
    program_ = std::make_unique<Program>(std::move(g), std::vector<ValueId>{xin.id()}, outs, backend());
    exec_ = program_->make_execution();
  }

  /// Runs once; returns the loss and fills result().
  double run() {
    std::memcpy(exec_->input(0), x_.raw(), x_.nbytes());
    exec_->run();
    backend().synchronize();
    auto fetch = [&](std::size_t i) {
      Tensor t(program_->output_info(i).shape, program_->output_info(i).dtype);
      backend().copy_to_host(t.raw(), exec_->output(i), t.nbytes());
      return t;
    };
    result_.y = fetch(1);
    result_.dx = fetch(2);
    result_.dw.clear();
    for (std::size_t i = 0; i < vars_.size(); ++i) result_.dw.push_back(fetch(3 + i));
    return fetch(0).item(0);
  }
  const LayerGradients& result() const { return result_; }
  Tensor& input() { return x_; }
  const std::vector<Variable*>& variables() const { return vars_; }

 private:
  Tensor x_;
  std::vector<Variable*> vars_;
  std::unique_ptr<Program> program_;
  std::unique_ptr<Program::Execution> exec_;
  LayerGradients result_;
};

/// Every analytic gradient of the layer (input and trainable weights) against (L(v+h) - L(v-h)) / 2h at up to
/// ~40 elements of each; the layer must be deterministic for a given input (no noise in training).
inline void check_layer_gradients(Layer& layer, const Tensor& x, bool training, double h = 1e-2, double tol = 2e-2) {
  LayerGradientRunner r(layer, Tensor(x), training);
  r.run();
  const LayerGradients analytic = r.result();
  auto check_one = [&](float* values, std::size_t n, const Tensor& grad, const char* what) {
    std::size_t step = std::max<std::size_t>(1, n / 40);
    for (std::size_t k = 0; k < n; k += step) {
      const float saved = values[k];
      values[k] = saved + static_cast<float>(h);
      const double up = r.run();
      values[k] = saved - static_cast<float>(h);
      const double down = r.run();
      values[k] = saved;
      const double numeric = (up - down) / (2 * h);
      CAPTURE(what);
      CAPTURE(k);
      CHECK(grad.item(static_cast<std::int64_t>(k)) ==
            doctest::Approx(numeric).epsilon(tol).scale(std::max(1.0, std::fabs(numeric))));
    }
  };
  check_one(r.input().data<float>(), static_cast<std::size_t>(r.input().size()), analytic.dx, "input");
  for (std::size_t i = 0; i < r.variables().size(); ++i)
    check_one(static_cast<float*>(r.variables()[i]->data()), static_cast<std::size_t>(analytic.dw[i].size()),
              analytic.dw[i], r.variables()[i]->name().c_str());
}

}  // namespace strata::testing
