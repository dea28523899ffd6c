#include <strata/api/metrics/metrics.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>

#include <strata/api/errors.hpp>
#include <strata/api/graph/program.hpp>
#include <strata/api/losses/functions.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/backend.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata {

struct Metric::EagerCache {
  std::mutex mutex;
  struct Entry {
    std::unique_ptr<Program> program;
    std::unique_ptr<Program::Execution> execution;
    std::vector<float> additions;
  };
  std::map<std::vector<std::int64_t>, Entry> programs;
};

Metric::Metric(std::string name) : name_(std::move(name)) {}
Metric::~Metric() = default;

nlohmann::json Metric::get_config() const { return {{"name", name()}, {"dtype", "float32"}}; }

void Metric::reset_state() { std::fill(state_.begin(), state_.end(), 0.0); }

void Metric::bind_state(const std::vector<std::int64_t>& sizes) {
  std::vector<std::size_t> offsets{0};
  for (std::int64_t n : sizes) offsets.push_back(offsets.back() + static_cast<std::size_t>(n));
  if (offsets == offsets_) return;
  if (!offsets_.empty())
    throw ShapeError("Metric '" + name_ + "' (" + class_name() +
                     "): its state was built for other shapes; a metric object serves one output shape (e.g. one "
                     "number of classes). Use a separate metric object for each output.");
  offsets_ = std::move(offsets);
  state_.assign(offsets_.back(), 0.0);
}

void Metric::accumulate(std::span<const float> additions) {
  for (std::size_t i = 0; i < state_.size(); ++i) state_[i] += additions[i];
}

std::span<const double> Metric::state(std::size_t i) const {
  if (i + 1 >= offsets_.size()) return {};
  return {state_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
}

std::span<double> Metric::mutable_state(std::size_t i) {
  if (i + 1 >= offsets_.size()) return {};
  return {state_.data() + offsets_[i], offsets_[i + 1] - offsets_[i]};
}

void Metric::update_state(const Tensor& y_true, const Tensor& y_pred, const std::optional<Tensor>& sample_weight) {
  std::vector<const Tensor*> inputs{&y_true, &y_pred};
  if (sample_weight) inputs.push_back(&*sample_weight);
  std::vector<std::int64_t> key;
  for (const Tensor* t : inputs) {
    key.push_back(static_cast<std::int64_t>(t->ndim()));
    key.insert(key.end(), t->shape().begin(), t->shape().end());
  }
  if (!eager_) eager_ = std::make_shared<EagerCache>();
  std::lock_guard lock(eager_->mutex);
  auto& entry = eager_->programs[key];
  Backend& be = backend();
  if (!entry.program) {
    Graph g;
    std::vector<Value> in;
    std::vector<ValueId> in_ids, out_ids;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      in.push_back(g.add_input(inputs[i]->shape(), DType::float32, "metric_input_" + std::to_string(i)));
      in_ids.push_back(in.back().id());
    }
    std::vector<std::int64_t> sizes;
    {
      LayerScope scope(g, "metric/" + name_);
      for (const Value& v : update(in[0], in[1], inputs.size() > 2 ? in[2] : Value())) {
        Value f = v.dtype() == DType::float32 ? v : ops::cast(v, DType::float32);
        out_ids.push_back(f.id());
        sizes.push_back(num_elements(f.shape()));
      }
    }
    bind_state(sizes);
    entry.program = std::make_unique<Program>(std::move(g), in_ids, out_ids, be);
    entry.execution = entry.program->make_execution();
    entry.additions.resize(state_.size());
  }
  auto& exec = *entry.execution;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    Tensor f = inputs[i]->dtype() == DType::float32 ? *inputs[i] : inputs[i]->astype(DType::float32);
    be.copy_to_device(exec.input(i), f.raw(), f.nbytes());
  }
  exec.run();
  be.synchronize();
  std::size_t at = 0;
  for (std::size_t i = 0; i < entry.program->outputs().size(); ++i) {
    const std::size_t n = static_cast<std::size_t>(num_elements(entry.program->output_info(i).shape));
    be.copy_to_host(entry.additions.data() + at, exec.output(i), n * sizeof(float));
    at += n;
  }
  accumulate(entry.additions);
}

std::vector<Value> mean_update(Value values, Value sample_weight) {
  Graph& g = values.graph();
  values = ops::cast(values, DType::float32);
  auto samplewise = [](Value v, int from) {
    std::vector<int> axes;
    for (int a = from; a < v.ndim(); ++a) axes.push_back(a);
    return axes.empty() ? v : ops::mean(v, axes);
  };
  if (!sample_weight.valid()) {
    // count = the batch size (1 for a scalar), a constant of the traced shapes
    const float count = values.ndim() >= 1 ? static_cast<float>(values.dim(0)) : 1.0f;
    return {ops::sum(samplewise(values, 1)), g.scalar(count)};
  }
  Value w = ops::cast(sample_weight, DType::float32);
  std::tie(values, w) = losses::squeeze_or_expand_to_same_rank(values, w);
  const int weight_ndim = w.ndim();
  values = samplewise(values, weight_ndim);
  w = ops::broadcast_to(w, values.shape());
  return {ops::sum(values * w), ops::sum(w)};
}

std::vector<Value> MeanMetricWrapper::update(Value y_true, Value y_pred, Value sample_weight) const {
  return mean_update(call(y_true, y_pred), sample_weight);
}

void MeanMetricWrapper::restore(double result, double count) {
  auto total = mutable_state(0), n = mutable_state(1);
  if (total.empty()) return;
  total[0] = result * count;
  n[0] = count;
}

double MeanMetricWrapper::result() const {
  auto total = state(0), count = state(1);
  return total.empty() || count[0] == 0 ? 0.0 : total[0] / count[0];
}

namespace metrics {

namespace {
using FromConfig = std::function<std::shared_ptr<Metric>(const ConfigReader&)>;
template <class M>
FromConfig of() {
  return [](const ConfigReader& c) { return M::from_config(c); };
}

/// Every metric class by Keras class name.
const std::map<std::string, FromConfig>& classes() {
  static const std::map<std::string, FromConfig> r = {
      {"BinaryAccuracy", of<BinaryAccuracy>()},
      {"CategoricalAccuracy", of<CategoricalAccuracy>()},
      {"SparseCategoricalAccuracy", of<SparseCategoricalAccuracy>()},
      {"MeanSquaredError", of<MeanSquaredError>()},
      {"MeanAbsoluteError", of<MeanAbsoluteError>()},
      {"BinaryCrossentropy", of<BinaryCrossentropy>()},
      {"CategoricalCrossentropy", of<CategoricalCrossentropy>()},
      {"SparseCategoricalCrossentropy", of<SparseCategoricalCrossentropy>()},
      // confusion_metrics.hpp
      {"TruePositives", of<TruePositives>()},
      {"FalsePositives", of<FalsePositives>()},
      {"TrueNegatives", of<TrueNegatives>()},
      {"FalseNegatives", of<FalseNegatives>()},
      {"Precision", of<Precision>()},
      {"Recall", of<Recall>()},
      {"AUC", of<AUC>()},
      {"SensitivityAtSpecificity", of<SensitivityAtSpecificity>()},
      {"SpecificityAtSensitivity", of<SpecificityAtSensitivity>()},
      {"PrecisionAtRecall", of<PrecisionAtRecall>()},
      {"RecallAtPrecision", of<RecallAtPrecision>()},
      // the rest of keras.metrics (issue 5)
      {"Accuracy", of<Accuracy>()},
      {"TopKCategoricalAccuracy", of<TopKCategoricalAccuracy>()},
      {"SparseTopKCategoricalAccuracy", of<SparseTopKCategoricalAccuracy>()},
      {"Mean", of<Mean>()},
      {"Sum", of<Sum>()},
      {"Hinge", of<Hinge>()},
      {"SquaredHinge", of<SquaredHinge>()},
      {"CategoricalHinge", of<CategoricalHinge>()},
      {"KLDivergence", of<KLDivergence>()},
      {"Poisson", of<Poisson>()},
      {"RootMeanSquaredError", of<RootMeanSquaredError>()},
      {"MeanAbsolutePercentageError", of<MeanAbsolutePercentageError>()},
      {"MeanSquaredLogarithmicError", of<MeanSquaredLogarithmicError>()},
      {"CosineSimilarity", of<CosineSimilarity>()},
      {"LogCoshError", of<LogCoshError>()},
      {"R2Score", of<R2Score>()},
      {"PearsonCorrelation", of<PearsonCorrelation>()},
      {"ConcordanceCorrelation", of<ConcordanceCorrelation>()},
      {"FBetaScore", of<FBetaScore>()},
      {"F1Score", of<F1Score>()},
      {"IoU", of<IoU>()},
      {"BinaryIoU", of<BinaryIoU>()},
      {"MeanIoU", of<MeanIoU>()},
      {"OneHotIoU", of<OneHotIoU>()},
      {"OneHotMeanIoU", of<OneHotMeanIoU>()},
  };
  return r;
}

/// Keras 3's keras.metrics ALL_OBJECTS_DICT beyond the class names: snake_case names, function names, aliases.
const std::map<std::string, std::string>& aliases() {
  static const std::map<std::string, std::string> r = {
      {"binary_accuracy", "BinaryAccuracy"},
      {"categorical_accuracy", "CategoricalAccuracy"},
      {"sparse_categorical_accuracy", "SparseCategoricalAccuracy"},
      {"mean_squared_error", "MeanSquaredError"},
      {"mse", "MeanSquaredError"},
      {"MSE", "MeanSquaredError"},
      {"mean_absolute_error", "MeanAbsoluteError"},
      {"mae", "MeanAbsoluteError"},
      {"MAE", "MeanAbsoluteError"},
      {"binary_crossentropy", "BinaryCrossentropy"},
      {"bce", "BinaryCrossentropy"},
      {"BCE", "BinaryCrossentropy"},
      {"categorical_crossentropy", "CategoricalCrossentropy"},
      {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
      // confusion_metrics.hpp
      {"true_positives", "TruePositives"},
      {"false_positives", "FalsePositives"},
      {"true_negatives", "TrueNegatives"},
      {"false_negatives", "FalseNegatives"},
      {"precision", "Precision"},
      {"recall", "Recall"},
      {"auc", "AUC"},
      {"sensitivity_at_specificity", "SensitivityAtSpecificity"},
      {"specificity_at_sensitivity", "SpecificityAtSensitivity"},
      {"precision_at_recall", "PrecisionAtRecall"},
      {"recall_at_precision", "RecallAtPrecision"},
      // the rest of keras.metrics (issue 5)
      {"top_k_categorical_accuracy", "TopKCategoricalAccuracy"},
      {"sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy"},
      {"mean", "Mean"},
      {"sum", "Sum"},
      {"hinge", "Hinge"},
      {"squared_hinge", "SquaredHinge"},
      {"categorical_hinge", "CategoricalHinge"},
      {"kl_divergence", "KLDivergence"},
      {"poisson", "Poisson"},
      {"root_mean_squared_error", "RootMeanSquaredError"},
      {"mean_absolute_percentage_error", "MeanAbsolutePercentageError"},
      {"mape", "MeanAbsolutePercentageError"},
      {"MAPE", "MeanAbsolutePercentageError"},
      {"mean_squared_logarithmic_error", "MeanSquaredLogarithmicError"},
      {"msle", "MeanSquaredLogarithmicError"},
      {"MSLE", "MeanSquaredLogarithmicError"},
      {"cosine_similarity", "CosineSimilarity"},
      {"log_cosh_error", "LogCoshError"},
      {"r2_score", "R2Score"},
      {"pearson_correlation", "PearsonCorrelation"},
      {"concordance_correlation", "ConcordanceCorrelation"},
      {"f_beta_score", "FBetaScore"},
      {"f1_score", "F1Score"},
      {"io_u", "IoU"},
      {"binary_io_u", "BinaryIoU"},
      {"mean_io_u", "MeanIoU"},
      {"one_hot_io_u", "OneHotIoU"},
      {"one_hot_mean_io_u", "OneHotMeanIoU"},
  };
  return r;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The class an identifier names ("" if none).
std::string class_of(const std::string& identifier) {
  if (classes().count(identifier)) return identifier;
  auto it = aliases().find(identifier);
  return it == aliases().end() ? std::string() : it->second;
}
}  // namespace

std::vector<std::string> identifiers() {
  std::vector<std::string> names{"accuracy", "acc"};
  for (const auto& [k, v] : classes()) names.push_back(k);
  for (const auto& [k, v] : aliases()) names.push_back(k);
  return names;
}

bool is_identifier(const std::string& identifier) {
  const std::string l = lower(identifier);
  return l == "accuracy" || l == "acc" || !class_of(identifier).empty();
}

AccuracyKind resolve_accuracy(const Shape& y_true_shape, const Shape& y_pred_shape) {
  // keras.src.trainers.compile_utils.is_binary_or_sparse_categorical; an empty per-sample shape's last
  // dim is the batch dim, unknown (None) at compile time
  std::int64_t t_last = y_true_shape.empty() ? -1 : y_true_shape.back();
  std::int64_t p_last = y_pred_shape.empty() ? -1 : y_pred_shape.back();
  if (p_last == 1) return AccuracyKind::binary;
  if (y_true_shape.size() < y_pred_shape.size() || (t_last == 1 && p_last > 1)) return AccuracyKind::sparse_categorical;
  return AccuracyKind::categorical;
}

std::shared_ptr<Metric> get(const std::string& identifier, const std::string& loss_name, const Shape& y_true_shape,
                            const Shape& y_pred_shape) {
  (void)loss_name;
  std::string l = lower(identifier);
  if (l == "accuracy" || l == "acc") {
    switch (resolve_accuracy(y_true_shape, y_pred_shape)) {
      case AccuracyKind::binary: return std::make_shared<BinaryAccuracy>(BinaryAccuracyOptions{.name = identifier});
      case AccuracyKind::sparse_categorical:
        return std::make_shared<SparseCategoricalAccuracy>(SparseCategoricalAccuracyOptions{.name = identifier});
      case AccuracyKind::categorical:
        return std::make_shared<CategoricalAccuracy>(CategoricalAccuracyOptions{.name = identifier});
    }
  }
  const std::string cls = class_of(identifier);
  if (cls.empty()) {
    std::string names;
    for (const auto& n : identifiers()) names += (names.empty() ? "" : ", ") + n;
    throw ValueError("Could not interpret metric identifier: '" + identifier + "'. Valid identifiers: " + names);
  }
  // Keras names a metric given by string after the string itself
  return classes().at(cls)(ConfigReader(nlohmann::json{{"name", identifier}}, cls));
}

std::shared_ptr<Metric> from_config(const std::string& class_name, const nlohmann::json& config,
                                    const std::string& what) {
  auto it = classes().find(class_name);
  if (it == classes().end()) {
    std::string names;
    for (const auto& [k, v] : classes()) names += (names.empty() ? "" : ", ") + k;
    throw UnsupportedError(what + ": unknown metric class '" + class_name + "'. Supported: " + names);
  }
  return it->second(ConfigReader(config, class_name));
}

}  // namespace metrics
}  // namespace strata
