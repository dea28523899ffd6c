#include <strata/api/metrics/confusion_metrics.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>

#include <strata/api/errors.hpp>
#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::metrics {

namespace {

constexpr double kEpsilon = 1e-7;      // keras.backend.epsilon()
constexpr float kNegInf = -1e10f;      // metrics_utils.NEG_INF

/// A float as Python's repr writes it (error messages quote Keras's f-strings).
std::string py_float(double v) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

std::string py_list(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + py_float(v[i]);
  return s + "]";
}

std::string py_shape(const Shape& s) {
  std::string r = "(";
  for (std::size_t i = 0; i < s.size(); ++i) r += (i ? ", " : "") + std::to_string(s[i]);
  return r + (s.size() == 1 ? ",)" : ")");
}

double divide_no_nan(double a, double b) { return b == 0 ? 0.0 : a / b; }

/// Keras's assert_thresholds_range.
void assert_thresholds_range(const std::vector<double>& thresholds) {
  std::vector<double> invalid;
  for (double t : thresholds)
    if (!(t >= 0 && t <= 1)) invalid.push_back(t);
  if (!invalid.empty()) throw ValueError("Threshold values must be in [0, 1]. Received: " + py_list(invalid));
}

/// Keras's parse_init_thresholds: the given thresholds (checked) or the default.
std::vector<double> parse_init_thresholds(const Thresholds& t, double default_threshold) {
  if (!t.given()) return {default_threshold};
  assert_thresholds_range(t.values());
  return t.values();
}

/// Thresholds evenly spaced over [0, 1] without the endpoints: (i + 1) / (n - 1), i < n - 2.
std::vector<double> inner_thresholds(int num_thresholds) {
  std::vector<double> r;
  for (int i = 0; i < num_thresholds - 2; ++i) r.push_back((i + 1) * 1.0 / (num_thresholds - 1));
  return r;
}

std::optional<int> optional_int(const ConfigReader& c, const std::string& key) {
  if (!c.has(key)) return std::nullopt;
  return static_cast<int>(c.get_int(key));
}

nlohmann::json optional_json(const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

std::vector<double> doubles_of(const nlohmann::json& j, const std::string& what) {
  if (!j.is_array()) throw FileFormatError(what + ": expected a list of numbers, got " + j.dump());
  std::vector<double> r;
  for (const auto& v : j) {
    if (!v.is_number()) throw FileFormatError(what + ": expected a list of numbers, got " + j.dump());
    r.push_back(v.get<double>());
  }
  return r;
}

/// _filter_top_k: the top k entries of the last axis keep their value, the others become NEG_INF. An entry
/// is in the top k when fewer than k entries beat it (larger, or equal at a lower index: lax.top_k's order).
Value filter_top_k(Value x, int k) {
  const Shape s = x.shape();
  const std::int64_t c = s.back();
  if (k < 1 || k > c)
    throw ValueError("top_k must be in [1, " + std::to_string(c) + "] (the size of y_pred's last axis). Received: top_k=" +
                     std::to_string(k));
  Shape row = s, col = s;
  row.insert(row.end() - 1, 1);  // (..., 1, C): x_j
  col.push_back(1);              // (..., C, 1): x_i
  Value xj = ops::reshape(x, row), xi = ops::reshape(x, col);
  Tensor earlier(Shape{c, c});
  auto e = earlier.values<float>();
  for (std::int64_t i = 0; i < c; ++i)
    for (std::int64_t j = 0; j < c; ++j) e[i * c + j] = j < i ? 1.0f : 0.0f;
  Value beats = ops::greater(xj, xi) + ops::equal(xj, xi) * x.graph().add_constant(std::move(earlier), "earlier");
  Value rank = ops::sum(beats, {-1});
  Value mask = ops::binary(rank, x.graph().scalar(static_cast<float>(k)), BinaryKind::less);
  return x * mask + kNegInf * (1.0f - mask);
}

}  // namespace

// ---- Thresholds ----

nlohmann::json Thresholds::to_json() const {
  if (!given_) return nullptr;
  if (!is_list_) return values_[0];
  return values_;
}

Thresholds Thresholds::from_json(const nlohmann::json& j) {
  if (j.is_null()) return {};
  if (j.is_number()) return Thresholds(j.get<double>());
  return Thresholds(doubles_of(j, "thresholds"));
}

bool is_evenly_distributed_thresholds(const std::vector<double>& thresholds) {
  const std::size_t n = thresholds.size();
  if (n < 3) return false;
  for (std::size_t i = 0; i < n; ++i) {
    // np.allclose(thresholds, np.arange(n, dtype=float32) / (n - 1), atol=epsilon), the quotient in float32
    const double even = static_cast<float>(i) / static_cast<float>(n - 1);
    if (!(std::abs(thresholds[i] - even) <= kEpsilon + 1e-5 * std::abs(even))) return false;
  }
  return true;
}

// ---- update_confusion_matrix_variables ----

std::vector<Value> confusion_update(ConfusionCounts counts, Value y_true, Value y_pred, Value sample_weight,
                                    const std::vector<double>& thresholds, bool thresholds_distributed_evenly,
                                    std::optional<int> top_k, std::optional<int> class_id, bool multi_label,
                                    const std::vector<double>& label_weights) {
  Graph& g = y_pred.graph();
  Value t = ops::cast(y_true, DType::float32), p = ops::cast(y_pred, DType::float32);
  std::tie(p, t) = losses::squeeze_or_expand_to_same_rank(p, t);
  Value w;
  if (sample_weight.valid()) {
    w = ops::cast(sample_weight, DType::float32);
    Shape s = w.shape();
    s.push_back(1);
    w = losses::squeeze_or_expand_to_same_rank(t, ops::reshape(w, s), false).second;
  }
  if (top_k) p = filter_top_k(p, *top_k);
  if (class_id) {
    if (p.ndim() <= 1)
      throw ValueError("When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), "
                       "found shape: " + py_shape(p.shape()));
    if (*class_id < 0 || *class_id >= p.dim(-1) || *class_id >= t.dim(-1))
      throw ValueError("class_id=" + std::to_string(*class_id) + " is outside the " + std::to_string(p.dim(-1)) +
                       " classes of y_pred's shape " + py_shape(p.shape()));
    auto last = [&](Value v) {
      const Shape shape = v.shape();
      std::vector<std::int64_t> begin(shape.size(), 0), end(shape.begin(), shape.end());
      begin.back() = *class_id;
      end.back() = *class_id + 1;
      return ops::slice(v, begin, end);
    };
    t = last(t);
    p = last(p);
  }
  const Shape pred_shape = p.shape();
  if (multi_label && pred_shape.size() != 2)
    throw ValueError("`y_pred` must have rank 2 when `multi_label=True`. Found rank " +
                     std::to_string(pred_shape.size()) + ". Full shape received for `y_pred`: " + py_shape(pred_shape));
  // weights of each prediction: sample weights times label weights, broadcast to y_pred
  if (w.valid()) w = ops::broadcast_to(w, pred_shape);
  if (!label_weights.empty() && !multi_label) {
    Tensor lw(Shape{static_cast<std::int64_t>(label_weights.size())});
    auto v = lw.values<float>();
    for (std::size_t i = 0; i < label_weights.size(); ++i) v[i] = static_cast<float>(label_weights[i]);
    Value lwv = ops::broadcast_to(g.add_constant(std::move(lw), "label_weights"), pred_shape);
    w = w.valid() ? w * lwv : lwv;
  }
  const auto num_thresholds = static_cast<std::int64_t>(thresholds.size());
  // predictions laid out as (1, M) (or (1, N, labels) for multi_label) against thresholds (T, 1) (or (T, 1, 1))
  Shape data_shape = multi_label ? Shape{1, pred_shape[0], pred_shape[1]} : Shape{1, num_elements(pred_shape)};
  Shape thresh_shape = multi_label ? Shape{num_thresholds, 1, 1} : Shape{num_thresholds, 1};
  Value label = ops::reshape(ops::binary(t, g.scalar(0.0f), BinaryKind::not_equal), data_shape);
  Value pred = ops::reshape(p, data_shape);
  Tensor thresh(thresh_shape);
  auto th = thresh.values<float>();
  if (thresholds_distributed_evenly) {
    // metrics_utils's bucketed path: bucket = ceil(clip(y_pred, 0, 1) * (T - 1)) - 1 (relu'd with the epsilon
    // endpoints) counts at threshold j when bucket >= j, i.e. when the scaled prediction exceeds j (always at j = 0
    // with the epsilon endpoints). Same float32 product as Keras, so the same counts.
    const bool with_epsilon = thresholds.front() < 0.0 || thresholds.back() > 1.0;
    pred = ops::clip(pred, 0.0f, 1.0f) * static_cast<float>(num_thresholds - 1);
    for (std::int64_t j = 0; j < num_thresholds; ++j) th[j] = static_cast<float>(j);
    if (with_epsilon) th[0] = -1.0f;
  } else {
    for (std::int64_t j = 0; j < num_thresholds; ++j) th[j] = static_cast<float>(thresholds[j]);
  }
  Value pred_is_pos = ops::greater(pred, g.add_constant(std::move(thresh), "thresholds"));  // (T, M...)
  Value weights = w.valid() ? ops::reshape(w, data_shape) : Value();
  Value true_labels = weights.valid() ? label * weights : label;
  Value false_labels = weights.valid() ? (1.0f - label) * weights : 1.0f - label;
  auto batch_sum = [&](Value v) { return ops::sum(v, {1}); };
  // Keras's bucketed path takes tn and fn as the label totals less fp and tp, in float32; summing them directly
  // avoids that cancellation (its error, ~1e-4 on weighted sums of hundreds, is Keras's, not the count's)
  Value pred_is_neg = 1.0f - pred_is_pos;
  std::vector<Value> out;
  if (counts.tp) out.push_back(batch_sum(pred_is_pos * true_labels));
  if (counts.fp) out.push_back(batch_sum(pred_is_pos * false_labels));
  if (counts.tn) out.push_back(batch_sum(pred_is_neg * false_labels));
  if (counts.fn) out.push_back(batch_sum(pred_is_neg * true_labels));
  return out;
}

// ---- TruePositives, FalsePositives, TrueNegatives, FalseNegatives ----

ConfusionConditionCount::ConfusionConditionCount(std::string name, ConfusionCounts which, Thresholds thresholds)
    : Metric(std::move(name)),
      which_(which),
      init_thresholds_(std::move(thresholds)),
      thresholds_(parse_init_thresholds(init_thresholds_, 0.5)),
      evenly_(is_evenly_distributed_thresholds(thresholds_)) {}

std::vector<Value> ConfusionConditionCount::update(Value y_true, Value y_pred, Value sample_weight) const {
  return confusion_update(which_, y_true, y_pred, sample_weight, thresholds_, evenly_);
}

std::vector<double> ConfusionConditionCount::results() const {
  auto s = state(0);
  if (s.empty()) return std::vector<double>(thresholds_.size(), 0.0);
  return {s.begin(), s.end()};
}

namespace {
[[noreturn]] void vector_result(const Metric& m, std::size_t n) {
  throw UnsupportedError("Metric '" + m.name() + "' (" + m.class_name() + ") has " + std::to_string(n) +
                         " thresholds, so its result is a vector, which logs (one number per metric) cannot hold. "
                         "Read it with results(), or give one threshold to log it in compile/fit.");
}
}  // namespace

double ConfusionConditionCount::result() const {
  if (thresholds_.size() != 1) vector_result(*this, thresholds_.size());
  return results()[0];
}

nlohmann::json ConfusionConditionCount::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["thresholds"] = init_thresholds_.to_json();
  return c;
}

#define STRATA_CONFUSION_COUNT_IMPL(Class, snake, count)                                                 \
  Class::Class(ConfusionCountOptions o)                                                                  \
      : ConfusionConditionCount(o.name.empty() ? snake : std::move(o.name), ConfusionCounts{.count = true}, \
                                std::move(o.thresholds)) {}                                              \
  std::shared_ptr<Metric> Class::from_config(const ConfigReader& c) {                                    \
    auto it = c.json().find("thresholds");                                                               \
    return std::make_shared<Class>(ConfusionCountOptions{                                                \
        .thresholds = it == c.json().end() ? Thresholds() : Thresholds::from_json(*it),                  \
        .name = c.get_string("name", snake)});                                                           \
  }
STRATA_CONFUSION_COUNT_IMPL(TruePositives, "true_positives", tp)
STRATA_CONFUSION_COUNT_IMPL(FalsePositives, "false_positives", fp)
STRATA_CONFUSION_COUNT_IMPL(TrueNegatives, "true_negatives", tn)
STRATA_CONFUSION_COUNT_IMPL(FalseNegatives, "false_negatives", fn)
#undef STRATA_CONFUSION_COUNT_IMPL

// ---- Precision, Recall ----

PrecisionRecallBase::PrecisionRecallBase(std::string name, Thresholds thresholds, std::optional<int> top_k,
                                         std::optional<int> class_id, bool recall)
    : Metric(std::move(name)),
      recall_(recall),
      init_thresholds_(std::move(thresholds)),
      thresholds_(parse_init_thresholds(init_thresholds_, top_k ? kNegInf : 0.5)),
      evenly_(is_evenly_distributed_thresholds(thresholds_)),
      top_k_(top_k),
      class_id_(class_id) {}

std::vector<Value> PrecisionRecallBase::update(Value y_true, Value y_pred, Value sample_weight) const {
  ConfusionCounts counts{.tp = true, .fp = !recall_, .fn = recall_};
  return confusion_update(counts, y_true, y_pred, sample_weight, thresholds_, evenly_, top_k_, class_id_);
}

std::vector<double> PrecisionRecallBase::results() const {
  auto tp = state(0), other = state(1);
  std::vector<double> r(thresholds_.size(), 0.0);
  if (tp.empty()) return r;
  for (std::size_t i = 0; i < r.size(); ++i) r[i] = divide_no_nan(tp[i], tp[i] + other[i]);
  return r;
}

double PrecisionRecallBase::result() const {
  if (thresholds_.size() != 1) vector_result(*this, thresholds_.size());
  return results()[0];
}

nlohmann::json PrecisionRecallBase::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["thresholds"] = init_thresholds_.to_json();
  c["top_k"] = optional_json(top_k_);
  c["class_id"] = optional_json(class_id_);
  return c;
}

namespace {
template <class M, class Options>
std::shared_ptr<Metric> precision_recall_from_config(const ConfigReader& c, const char* default_name) {
  auto it = c.json().find("thresholds");
  return std::make_shared<M>(Options{.thresholds = it == c.json().end() ? Thresholds() : Thresholds::from_json(*it),
                                     .top_k = optional_int(c, "top_k"),
                                     .class_id = optional_int(c, "class_id"),
                                     .name = c.get_string("name", default_name)});
}
}  // namespace

std::shared_ptr<Metric> Precision::from_config(const ConfigReader& c) {
  return precision_recall_from_config<Precision, PrecisionOptions>(c, "precision");
}
std::shared_ptr<Metric> Recall::from_config(const ConfigReader& c) {
  return precision_recall_from_config<Recall, RecallOptions>(c, "recall");
}

// ---- SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision ----

SensitivitySpecificityBase::SensitivitySpecificityBase(const char* value_key, double value, Rate constrained,
                                                       Rate dependent, SensitivitySpecificityOptions o,
                                                       const char* default_name)
    : Metric(o.name.empty() ? default_name : std::move(o.name)),
      value_key_(value_key),
      value_(value),
      constrained_(constrained),
      dependent_(dependent),
      num_thresholds_(o.num_thresholds),
      class_id_(o.class_id) {
  if (!(value >= 0 && value <= 1))
    throw ValueError("Argument `" + value_key_ + "` must be in the range [0, 1]. Received: " + value_key_ + "=" +
                     py_float(value));
  if (num_thresholds_ <= 0)
    throw ValueError("Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=" +
                     std::to_string(num_thresholds_));
  if (num_thresholds_ == 1) {
    thresholds_ = {0.5};
    evenly_ = false;
  } else {
    thresholds_ = inner_thresholds(num_thresholds_);
    thresholds_.insert(thresholds_.begin(), 0.0);
    thresholds_.push_back(1.0);
    evenly_ = true;
  }
}

std::vector<Value> SensitivitySpecificityBase::update(Value y_true, Value y_pred, Value sample_weight) const {
  return confusion_update({.tp = true, .fp = true, .tn = true, .fn = true}, y_true, y_pred, sample_weight,
                          thresholds_, evenly_, std::nullopt, class_id_);
}

double SensitivitySpecificityBase::result() const {
  auto tp = state(0), fp = state(1), tn = state(2), fn = state(3);
  if (tp.empty()) return 0.0;
  // Keras's float32 rates, so that the feasibility test (rate >= value) decides ties as Keras does
  auto ratio = [](double a, double b) {
    const float fa = static_cast<float>(a), denominator = fa + static_cast<float>(b);
    return denominator == 0 ? 0.0f : fa / denominator;
  };
  auto rate = [&](Rate r, std::size_t i) {
    switch (r) {
      case Rate::sensitivity:
      case Rate::recall: return ratio(tp[i], fn[i]);
      case Rate::specificity: return ratio(tn[i], fp[i]);
      case Rate::precision: return ratio(tp[i], fp[i]);
    }
    return 0.0f;
  };
  float best = 0.0f;
  const float target = static_cast<float>(value_);
  for (std::size_t i = 0; i < thresholds_.size(); ++i)
    if (rate(constrained_, i) >= target) best = std::max(best, rate(dependent_, i));
  return best;
}

nlohmann::json SensitivitySpecificityBase::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["class_id"] = optional_json(class_id_);
  c["num_thresholds"] = num_thresholds_;
  c[value_key_] = value_;
  return c;
}

#define STRATA_SENSITIVITY_IMPL(Class, arg, snake, constrained, dependent)                                  \
  Class::Class(double arg, SensitivitySpecificityOptions options)                                           \
      : SensitivitySpecificityBase(#arg, arg, Rate::constrained, Rate::dependent, std::move(options), snake) {} \
  std::shared_ptr<Metric> Class::from_config(const ConfigReader& c) {                                       \
    return std::make_shared<Class>(c.get_double(#arg),                                                      \
                                   SensitivitySpecificityOptions{                                           \
                                       .num_thresholds = static_cast<int>(c.get_int("num_thresholds", 200)), \
                                       .class_id = optional_int(c, "class_id"),                             \
                                       .name = c.get_string("name", snake)});                               \
  }
STRATA_SENSITIVITY_IMPL(SensitivityAtSpecificity, specificity, "sensitivity_at_specificity", specificity, sensitivity)
STRATA_SENSITIVITY_IMPL(SpecificityAtSensitivity, sensitivity, "specificity_at_sensitivity", sensitivity, specificity)
STRATA_SENSITIVITY_IMPL(PrecisionAtRecall, recall, "precision_at_recall", recall, precision)
STRATA_SENSITIVITY_IMPL(RecallAtPrecision, precision, "recall_at_precision", precision, recall)
#undef STRATA_SENSITIVITY_IMPL

// ---- AUC ----

AUC::AUC(AUCOptions options) : Metric(options.name), options_(std::move(options)) {
  const std::string& curve = options_.curve;
  if (curve == "pr" || curve == "PR") curve_ = "PR";
  else if (curve == "roc" || curve == "ROC") curve_ = "ROC";
  else if (curve == "prgain" || curve == "PRGAIN") curve_ = "PRGAIN";
  else
    throw ValueError("Invalid AUC curve value: \"" + curve + "\". Expected values are [\"PR\", \"ROC\", \"PRGAIN\"]");
  const std::string& sm = options_.summation_method;
  if (sm == "interpolation" || sm == "Interpolation") summation_method_ = "interpolation";
  else if (sm == "majoring" || sm == "Majoring") summation_method_ = "majoring";
  else if (sm == "minoring" || sm == "Minoring") summation_method_ = "minoring";
  else
    throw ValueError("Invalid AUC summation method value: \"" + sm +
                     "\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"]");
  std::vector<double> inner;
  if (options_.thresholds) {
    inner = *options_.thresholds;
    std::sort(inner.begin(), inner.end());
    options_.thresholds = inner;
    num_thresholds_ = static_cast<int>(inner.size()) + 2;
    std::vector<double> with_ends = inner;
    with_ends.insert(with_ends.begin(), 0.0);
    with_ends.push_back(1.0);
    evenly_ = is_evenly_distributed_thresholds(with_ends);
  } else {
    if (options_.num_thresholds <= 1)
      throw ValueError("Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=" +
                       std::to_string(options_.num_thresholds));
    num_thresholds_ = options_.num_thresholds;
    inner = inner_thresholds(num_thresholds_);
    evenly_ = true;
  }
  thresholds_ = inner;
  thresholds_.insert(thresholds_.begin(), 0.0 - kEpsilon);
  thresholds_.push_back(1.0 + kEpsilon);
  if (!options_.multi_label && options_.num_labels)
    throw ValueError("`num_labels` is needed only when `multi_label` is True.");
  // label weights are float32 in Keras (ops.array(label_weights, dtype=self.dtype))
  if (options_.label_weights)
    for (double& v : *options_.label_weights) v = static_cast<float>(v);
}

std::vector<Value> AUC::update(Value y_true, Value y_pred, Value sample_weight) const {
  if (options_.from_logits) y_pred = ops::sigmoid(ops::cast(y_pred, DType::float32));
  if (options_.multi_label && options_.num_labels && y_pred.ndim() == 2 && y_pred.dim(1) != *options_.num_labels)
    throw ShapeError("AUC '" + name() + "': built for num_labels=" + std::to_string(*options_.num_labels) +
                     ", got y_pred of shape " + py_shape(y_pred.shape()));
  const std::vector<double> no_weights;
  return confusion_update({.tp = true, .fp = true, .tn = true, .fn = true}, y_true, y_pred, sample_weight,
                          thresholds_, evenly_, std::nullopt, std::nullopt, options_.multi_label,
                          options_.multi_label || !options_.label_weights ? no_weights : *options_.label_weights);
}

double AUC::average_over_labels(const std::vector<double>& by_label) const {
  if (!options_.multi_label) return by_label[0];
  if (!options_.label_weights) {
    double s = 0;
    for (double v : by_label) s += v;
    return s / static_cast<double>(by_label.size());
  }
  const auto& lw = *options_.label_weights;
  double num = 0, den = 0;
  for (std::size_t l = 0; l < by_label.size() && l < lw.size(); ++l) {
    num += by_label[l] * lw[l];
    den += lw[l];
  }
  return divide_no_nan(num, den);
}

double AUC::interpolate_pr_auc() const {
  auto tp = state(0), fp = state(1), fn = state(3);
  const std::size_t n = static_cast<std::size_t>(num_thresholds_), labels = tp.size() / n;
  std::vector<double> by_label(labels, 0.0);
  for (std::size_t l = 0; l < labels; ++l)
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const std::size_t a = i * labels + l, b = (i + 1) * labels + l;
      const double dtp = tp[a] - tp[b];
      const double p_a = tp[a] + fp[a], p_b = tp[b] + fp[b];
      const double prec_slope = divide_no_nan(dtp, std::max(p_a - p_b, 0.0));
      const double intercept = tp[b] - prec_slope * p_b;
      const double safe_p_ratio = p_a > 0 && p_b > 0 ? divide_no_nan(p_a, std::max(p_b, 0.0)) : 1.0;
      by_label[l] += divide_no_nan(prec_slope * (dtp + intercept * std::log(safe_p_ratio)),
                                   std::max(tp[b] + fn[b], 0.0));
    }
  return average_over_labels(by_label);
}

double AUC::result() const {
  auto tp = state(0), fp = state(1), tn = state(2), fn = state(3);
  if (tp.empty()) return 0.0;
  if (curve_ == "PR" && summation_method_ == "interpolation") return interpolate_pr_auc();
  const std::size_t n = static_cast<std::size_t>(num_thresholds_), labels = tp.size() / n;
  std::vector<double> x(tp.size()), y(tp.size());
  for (std::size_t k = 0; k < tp.size(); ++k) {
    const double recall = divide_no_nan(tp[k], tp[k] + fn[k]);
    if (curve_ == "ROC") {
      x[k] = divide_no_nan(fp[k], fp[k] + tn[k]);
      y[k] = recall;
    } else if (curve_ == "PR") {
      x[k] = recall;
      y[k] = divide_no_nan(tp[k], tp[k] + fp[k]);
    } else {  // PRGAIN
      const double scaling = divide_no_nan(tp[k] + fn[k], tn[k] + fp[k]);
      const double recall_gain = tp[k] == 0 ? 0.0 : 1.0 - scaling * divide_no_nan(fn[k], tp[k]);
      const double precision_gain = tp[k] == 0 ? 1.0 : 1.0 - scaling * divide_no_nan(fp[k], tp[k]);
      x[k] = std::max(recall_gain, 0.0);
      y[k] = precision_gain;
    }
  }
  std::vector<double> by_label(labels, 0.0);
  for (std::size_t l = 0; l < labels; ++l)
    for (std::size_t i = 0; i + 1 < n; ++i) {
      const std::size_t a = i * labels + l, b = (i + 1) * labels + l;
      double height;
      if (summation_method_ == "interpolation") height = (y[a] + y[b]) / 2.0;
      else if (summation_method_ == "minoring") height = std::min(y[a], y[b]);
      else height = std::max(y[a], y[b]);
      by_label[l] += (x[a] - x[b]) * height;
    }
  return average_over_labels(by_label);
}

nlohmann::json AUC::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["num_thresholds"] = num_thresholds_;
  c["curve"] = curve_;
  c["summation_method"] = summation_method_;
  c["multi_label"] = options_.multi_label;
  c["num_labels"] = optional_json(options_.num_labels);
  // a saved model holds Keras's serialized tensor form
  c["label_weights"] = options_.label_weights ? nlohmann::json{{"class_name", "__tensor__"},
                                                               {"config", {{"value", *options_.label_weights},
                                                                           {"dtype", "float32"}}}}
                                              : nlohmann::json(nullptr);
  c["from_logits"] = options_.from_logits;
  if (options_.thresholds) c["thresholds"] = *options_.thresholds;
  return c;
}

std::shared_ptr<Metric> AUC::from_config(const ConfigReader& c) {
  AUCOptions o;
  o.num_thresholds = static_cast<int>(c.get_int("num_thresholds", 200));
  o.curve = c.get_string("curve", "ROC");
  o.summation_method = c.get_string("summation_method", "interpolation");
  o.name = c.get_string("name", "auc");
  if (c.has("thresholds")) o.thresholds = doubles_of(c.json().at("thresholds"), c.where() + "thresholds");
  o.multi_label = c.get_bool("multi_label", false);
  o.num_labels = optional_int(c, "num_labels");
  if (c.has("label_weights")) {
    const auto& lw = c.json().at("label_weights");
    // a plain list or Keras's {"class_name": "__tensor__", "config": {"value": [...]}}
    const auto& values = lw.is_object() && lw.contains("config") ? lw.at("config").at("value") : lw;
    o.label_weights = doubles_of(values, c.where() + "label_weights");
  }
  o.from_logits = c.get_bool("from_logits", false);
  return std::make_shared<AUC>(std::move(o));
}

}  // namespace strata::metrics
