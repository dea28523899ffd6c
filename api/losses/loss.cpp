#include <strata/api/losses/losses.hpp>

#include <algorithm>
#include <functional>
#include <tuple>
#include <map>

#include <strata/backends/ops/ops.hpp>

namespace strata {

Loss::Loss(std::string reduction) : reduction_(std::move(reduction)) {
  static const char* const allowed[] = {"sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"};
  if (std::find(std::begin(allowed), std::end(allowed), reduction_) == std::end(allowed))
    throw ValueError("Invalid value for argument `reduction`. Expected one of {'sum_over_batch_size', 'sum', None, "
                     "'none', 'mean', 'mean_with_sample_weight'}. Received: reduction=" + reduction_);
}

nlohmann::json Loss::get_config() const { return {{"name", name()}, {"reduction", reduction_}}; }

Value Loss::operator()(Value y_true, Value y_pred, Value sample_weight) const {
  // Keras's reduce_weighted_values (keras/src/losses/loss.py), without masks
  Value values = call(y_true, y_pred);
  // Keras's apply_mask: the mask joins the sample weight; for the mean reductions the valid values weigh
  // total / valid, so the mean runs over the valid values only (divide_no_nan: none valid gives 0)
  if (Value m = mask(y_true, y_pred); m.valid()) {
    Value float_mask = m;
    if (reduction_ == "mean" || reduction_ == "sum_over_batch_size") {
      const auto total = static_cast<float>(num_elements(m.shape()));
      float_mask = m * (total / ops::maximum(ops::sum(m), m.graph().scalar(1e-30f)));
    }
    if (sample_weight.valid()) {
      Value w = ops::cast(sample_weight, DType::float32);
      std::tie(float_mask, w) = losses::squeeze_or_expand_to_same_rank(float_mask, w);
      sample_weight = w * float_mask;
    } else {
      sample_weight = float_mask;
    }
  }
  if (sample_weight.valid()) {
    Value w = ops::cast(sample_weight, DType::float32);
    std::tie(values, w) = losses::squeeze_or_expand_to_same_rank(values, w);
    if (w.ndim() > 0 && w.ndim() < values.ndim()) {
      // a per-sample weight (batch,) scales every value of its sample
      Shape s = w.shape();
      s.resize(static_cast<std::size_t>(values.ndim()), 1);
      w = ops::reshape(w, s);
    }
    values = values * w;
    sample_weight = w;
  }
  if (reduction_ == "none" || values.ndim() == 0 || (values.ndim() == 1 && values.dim(0) == 0)) return values;
  if (reduction_ == "sum") return ops::sum(values);
  if (reduction_ == "mean_with_sample_weight" && sample_weight.valid()) {
    // divide_no_nan: all-zero weights give 0 (the weighted sum is 0 then too)
    Value divisor = ops::maximum(ops::sum(sample_weight), values.graph().scalar(1e-30f));
    return ops::sum(values) / divisor;
  }
  return ops::mean(values);
}

LossArg::LossArg(const char* identifier) : loss_(losses::get(identifier)) {}
LossArg::LossArg(const std::string& identifier) : loss_(losses::get(identifier)) {}

namespace losses {

namespace {
using Factory = std::function<std::shared_ptr<Loss>()>;
template <class L>
Factory make() {
  return [] { return std::make_shared<L>(); };
}

/// Keras 3's keras.losses ALL_OBJECTS_DICT for the losses strata has: class names, function names, aliases.
const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> r = {
      {"MeanSquaredError", make<MeanSquaredError>()},
      {"mean_squared_error", make<MeanSquaredError>()},
      {"mse", make<MeanSquaredError>()},
      {"MSE", make<MeanSquaredError>()},
      {"MeanAbsoluteError", make<MeanAbsoluteError>()},
      {"mean_absolute_error", make<MeanAbsoluteError>()},
      {"mae", make<MeanAbsoluteError>()},
      {"MAE", make<MeanAbsoluteError>()},
      {"BinaryCrossentropy", make<BinaryCrossentropy>()},
      {"binary_crossentropy", make<BinaryCrossentropy>()},
      {"bce", make<BinaryCrossentropy>()},
      {"BCE", make<BinaryCrossentropy>()},
      {"CategoricalCrossentropy", make<CategoricalCrossentropy>()},
      {"categorical_crossentropy", make<CategoricalCrossentropy>()},
      {"SparseCategoricalCrossentropy", make<SparseCategoricalCrossentropy>()},
      {"sparse_categorical_crossentropy", make<SparseCategoricalCrossentropy>()},
      // the remaining simple losses (issue 5)
      {"MeanSquaredLogarithmicError", make<MeanSquaredLogarithmicError>()},
      {"mean_squared_logarithmic_error", make<MeanSquaredLogarithmicError>()},
      {"msle", make<MeanSquaredLogarithmicError>()},
      {"MSLE", make<MeanSquaredLogarithmicError>()},
      {"MeanAbsolutePercentageError", make<MeanAbsolutePercentageError>()},
      {"mean_absolute_percentage_error", make<MeanAbsolutePercentageError>()},
      {"mape", make<MeanAbsolutePercentageError>()},
      {"MAPE", make<MeanAbsolutePercentageError>()},
      {"Huber", make<Huber>()},
      {"huber", make<Huber>()},
      {"LogCosh", make<LogCosh>()},
      {"log_cosh", make<LogCosh>()},
      {"KLDivergence", make<KLDivergence>()},
      {"kl_divergence", make<KLDivergence>()},
      {"kld", make<KLDivergence>()},
      {"KLD", make<KLDivergence>()},
      {"Poisson", make<Poisson>()},
      {"poisson", make<Poisson>()},
      {"Hinge", make<Hinge>()},
      {"hinge", make<Hinge>()},
      {"SquaredHinge", make<SquaredHinge>()},
      {"squared_hinge", make<SquaredHinge>()},
      {"CategoricalHinge", make<CategoricalHinge>()},
      {"categorical_hinge", make<CategoricalHinge>()},
      {"CosineSimilarity", make<CosineSimilarity>()},
      {"cosine_similarity", make<CosineSimilarity>()},
      // focal crossentropies, Dice and Tversky (issue 5)
      {"BinaryFocalCrossentropy", make<BinaryFocalCrossentropy>()},
      {"binary_focal_crossentropy", make<BinaryFocalCrossentropy>()},
      {"CategoricalFocalCrossentropy", make<CategoricalFocalCrossentropy>()},
      {"categorical_focal_crossentropy", make<CategoricalFocalCrossentropy>()},
      {"Dice", make<Dice>()},
      {"dice", make<Dice>()},
      {"Tversky", make<Tversky>()},
      {"tversky", make<Tversky>()},
      // CTC loss (issue 5)
      {"CTC", make<CTC>()},
      {"ctc", make<CTC>()},
  };
  return r;
}
}  // namespace

std::vector<std::string> identifiers() {
  std::vector<std::string> names;
  for (const auto& [k, v] : registry()) names.push_back(k);
  return names;
}

std::shared_ptr<Loss> get(const std::string& identifier) {
  auto it = registry().find(identifier);
  if (it == registry().end()) {
    std::string names;
    for (const auto& n : identifiers()) names += (names.empty() ? "" : ", ") + n;
    throw ValueError("Could not interpret loss identifier: '" + identifier + "'. Valid identifiers: " + names);
  }
  return it->second();
}

std::pair<Value, Value> squeeze_or_expand_to_same_rank(Value x1, Value x2, bool expand_rank_1) {
  auto squeeze = [](Value v) {
    Shape s = v.shape();
    s.pop_back();
    return ops::reshape(v, s);
  };
  auto expand = [](Value v) {
    Shape s = v.shape();
    s.push_back(1);
    return ops::reshape(v, s);
  };
  int r1 = x1.ndim(), r2 = x2.ndim();
  if (r1 == r2) return {x1, x2};
  if (r1 == r2 + 1 && x1.dim(-1) == 1) {
    if (r2 == 1 && expand_rank_1) x2 = expand(x2);
    else x1 = squeeze(x1);
  }
  if (r2 == r1 + 1 && x2.dim(-1) == 1) {
    if (r1 == 1 && expand_rank_1) x1 = expand(x1);
    else x2 = squeeze(x2);
  }
  return {x1, x2};
}

}  // namespace losses
}  // namespace strata
