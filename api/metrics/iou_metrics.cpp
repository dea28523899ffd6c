#include <strata/api/metrics/iou_metrics.hpp>

#include <algorithm>
#include <numeric>

#include <strata/api/errors.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/backends/ops/ops.hpp>

namespace strata::metrics {

namespace {
constexpr double kEpsilon = 1e-7;  // Keras's backend.epsilon()

std::vector<std::int64_t> all_classes(std::int64_t num_classes) {
  std::vector<std::int64_t> ids(static_cast<std::size_t>(std::max<std::int64_t>(num_classes, 0)));
  std::iota(ids.begin(), ids.end(), 0);
  return ids;
}

nlohmann::json optional_json(const std::optional<std::int64_t>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); }

std::optional<std::int64_t> optional_int(const ConfigReader& c, const std::string& key) {
  const auto& j = c.json();
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return c.get_int(key);
}
}  // namespace

IoU::IoU(IoUSettings settings) : Metric(settings.name), settings_(std::move(settings)) {
  const std::string where = class_name() + " '" + name() + "': ";
  if (settings_.num_classes < 1)
    throw ValueError(where + "`num_classes` must be >= 1. Received: num_classes=" +
                     std::to_string(settings_.num_classes));
  if (settings_.target_class_ids.empty())
    throw ValueError(where + "`target_class_ids` must not be empty.");
  const std::int64_t max_id = *std::max_element(settings_.target_class_ids.begin(), settings_.target_class_ids.end());
  if (max_id >= settings_.num_classes)
    throw ValueError("Target class id " + std::to_string(max_id) + " is out of range, which is [0, " +
                     std::to_string(settings_.num_classes) + ").");
  const std::int64_t min_id = *std::min_element(settings_.target_class_ids.begin(), settings_.target_class_ids.end());
  if (min_id < 0) throw ValueError(where + "Target class id " + std::to_string(min_id) + " is negative.");
}

IoU::IoU(std::int64_t num_classes, std::vector<std::int64_t> target_class_ids, IoUOptions options)
    : IoU(IoUSettings{.num_classes = num_classes,
                      .target_class_ids = std::move(target_class_ids),
                      .ignore_class = options.ignore_class,
                      .sparse_y_true = options.sparse_y_true,
                      .sparse_y_pred = options.sparse_y_pred,
                      .axis = options.axis,
                      .name = std::move(options.name)}) {}

BinaryIoU::BinaryIoU(BinaryIoUOptions options)
    : IoU(IoUSettings{.num_classes = 2,
                      .target_class_ids = std::move(options.target_class_ids),
                      .threshold = options.threshold,
                      .name = std::move(options.name)}) {}

MeanIoU::MeanIoU(std::int64_t num_classes, MeanIoUOptions options)
    : IoU(IoUSettings{.num_classes = num_classes,
                      .target_class_ids = all_classes(num_classes),
                      .ignore_class = options.ignore_class,
                      .sparse_y_true = options.sparse_y_true,
                      .sparse_y_pred = options.sparse_y_pred,
                      .axis = options.axis,
                      .name = std::move(options.name)}) {}

OneHotIoU::OneHotIoU(std::int64_t num_classes, std::vector<std::int64_t> target_class_ids, OneHotIoUOptions options)
    : IoU(IoUSettings{.num_classes = num_classes,
                      .target_class_ids = std::move(target_class_ids),
                      .ignore_class = options.ignore_class,
                      .sparse_y_true = false,
                      .sparse_y_pred = options.sparse_y_pred,
                      .axis = options.axis,
                      .name = std::move(options.name)}) {}

OneHotMeanIoU::OneHotMeanIoU(std::int64_t num_classes, OneHotMeanIoUOptions options)
    : IoU(IoUSettings{.num_classes = num_classes,
                      .target_class_ids = all_classes(num_classes),
                      .ignore_class = options.ignore_class,
                      .sparse_y_true = false,
                      .sparse_y_pred = options.sparse_y_pred,
                      .axis = options.axis,
                      .name = std::move(options.name)}) {}

// one state variable: the batch's weighted confusion matrix
std::vector<Value> IoU::update(Value y_true, Value y_pred, Value sample_weight) const {
  Graph& g = y_pred.graph();
  const std::int64_t classes = settings_.num_classes;
  Value t = ops::cast(y_true, DType::float32), p = ops::cast(y_pred, DType::float32);
  if (settings_.threshold) p = ops::binary(p, g.scalar(static_cast<float>(*settings_.threshold)), BinaryKind::greater_equal);
  if (!settings_.sparse_y_true) t = ops::cast(ops::argmax(t, settings_.axis), DType::float32);
  if (!settings_.sparse_y_pred) p = ops::cast(ops::argmax(p, settings_.axis), DType::float32);
  t = ops::reshape(t, {-1});
  p = ops::reshape(p, {-1});
  const std::int64_t n = t.dim(0);
  if (p.dim(0) != n)
    throw ShapeError(class_name() + " '" + name() + "': y_true has " + std::to_string(n) + " labels but y_pred " +
                     std::to_string(p.dim(0)) + " (shapes " + shape_str(y_true.shape()) + " and " +
                     shape_str(y_pred.shape()) + ").");
  Value w;  // per label, or invalid for 1
  if (sample_weight.valid()) {
    // Keras casts the weights to the metric's int dtype: fractions truncate
    w = ops::cast(ops::cast(sample_weight, DType::int32), DType::float32);
    w = ops::reshape(w, {-1});
    if (w.dim(0) == 1) {
      w = ops::broadcast_to(w, {n});
    } else if (w.dim(0) != n) {
      throw ShapeError(class_name() + " '" + name() + "': sample_weight of shape " +
                       shape_str(sample_weight.shape()) + " does not broadcast to the " + std::to_string(n) +
                       " labels of y_true " + shape_str(y_true.shape()) + ".");
    }
  }
  if (settings_.ignore_class) {
    Value keep = ops::binary(t, g.scalar(static_cast<float>(*settings_.ignore_class)), BinaryKind::not_equal);
    w = w.valid() ? w * keep : keep;
  }
  // labels outside [0, num_classes) one-hot to zero rows, so they add nothing (Keras's bounds mask)
  Value true_rows = ops::one_hot(t, classes);
  if (w.valid()) true_rows = true_rows * ops::reshape(w, {n, 1});
  return {ops::matmul(true_rows, ops::one_hot(p, classes), true, false)};
}

std::vector<double> IoU::confusion_matrix() const {
  auto cm = state(0);
  return {cm.begin(), cm.end()};
}

double IoU::result() const {
  auto cm = state(0);
  if (cm.empty()) return 0.0;
  const auto c = static_cast<std::size_t>(settings_.num_classes);
  double iou_sum = 0, valid = 0;
  for (std::int64_t id : settings_.target_class_ids) {
    const auto k = static_cast<std::size_t>(id);
    double row = 0, col = 0;
    for (std::size_t j = 0; j < c; ++j) row += cm[k * c + j], col += cm[j * c + k];
    const double tp = cm[k * c + k], denominator = row + col - tp;
    if (denominator > 1e-9) {
      iou_sum += tp / (denominator + kEpsilon);
      valid += 1;
    }
  }
  return iou_sum / (valid + kEpsilon);
}

nlohmann::json IoU::get_config() const {
  nlohmann::json c = Metric::get_config();
  c["dtype"] = "int32";
  c["num_classes"] = settings_.num_classes;
  c["target_class_ids"] = settings_.target_class_ids;
  c["ignore_class"] = optional_json(settings_.ignore_class);
  c["sparse_y_true"] = settings_.sparse_y_true;
  c["sparse_y_pred"] = settings_.sparse_y_pred;
  c["axis"] = settings_.axis;
  return c;
}

nlohmann::json BinaryIoU::get_config() const {
  return {{"target_class_ids", settings_.target_class_ids},
          {"threshold", *settings_.threshold},
          {"name", name()},
          {"dtype", "int32"}};
}

nlohmann::json MeanIoU::get_config() const {
  nlohmann::json c = IoU::get_config();
  c.erase("target_class_ids");
  return c;
}

nlohmann::json OneHotIoU::get_config() const {
  nlohmann::json c = IoU::get_config();
  c.erase("sparse_y_true");
  return c;
}

nlohmann::json OneHotMeanIoU::get_config() const {
  nlohmann::json c = IoU::get_config();
  c.erase("target_class_ids");
  c.erase("sparse_y_true");
  return c;
}

std::shared_ptr<Metric> IoU::from_config(const ConfigReader& c) {
  return std::make_shared<IoU>(c.get_int("num_classes"), c.get_int_list("target_class_ids"),
                               IoUOptions{.ignore_class = optional_int(c, "ignore_class"),
                                          .sparse_y_true = c.get_bool("sparse_y_true", true),
                                          .sparse_y_pred = c.get_bool("sparse_y_pred", true),
                                          .axis = static_cast<int>(c.get_int("axis", -1)),
                                          .name = c.get_string("name", "io_u")});
}

std::shared_ptr<Metric> BinaryIoU::from_config(const ConfigReader& c) {
  BinaryIoUOptions o{.threshold = c.get_double("threshold", 0.5), .name = c.get_string("name", "binary_io_u")};
  if (c.has("target_class_ids")) o.target_class_ids = c.get_int_list("target_class_ids");
  return std::make_shared<BinaryIoU>(std::move(o));
}

std::shared_ptr<Metric> MeanIoU::from_config(const ConfigReader& c) {
  return std::make_shared<MeanIoU>(c.get_int("num_classes"),
                                   MeanIoUOptions{.ignore_class = optional_int(c, "ignore_class"),
                                                  .sparse_y_true = c.get_bool("sparse_y_true", true),
                                                  .sparse_y_pred = c.get_bool("sparse_y_pred", true),
                                                  .axis = static_cast<int>(c.get_int("axis", -1)),
                                                  .name = c.get_string("name", "mean_io_u")});
}

std::shared_ptr<Metric> OneHotIoU::from_config(const ConfigReader& c) {
  return std::make_shared<OneHotIoU>(c.get_int("num_classes"), c.get_int_list("target_class_ids"),
                                     OneHotIoUOptions{.ignore_class = optional_int(c, "ignore_class"),
                                                      .sparse_y_pred = c.get_bool("sparse_y_pred", false),
                                                      .axis = static_cast<int>(c.get_int("axis", -1)),
                                                      .name = c.get_string("name", "one_hot_io_u")});
}

std::shared_ptr<Metric> OneHotMeanIoU::from_config(const ConfigReader& c) {
  return std::make_shared<OneHotMeanIoU>(c.get_int("num_classes"),
                                         OneHotMeanIoUOptions{.ignore_class = optional_int(c, "ignore_class"),
                                                              .sparse_y_pred = c.get_bool("sparse_y_pred", false),
                                                              .axis = static_cast<int>(c.get_int("axis", -1)),
                                                              .name = c.get_string("name", "one_hot_mean_io_u")});
}

}  // namespace strata::metrics
