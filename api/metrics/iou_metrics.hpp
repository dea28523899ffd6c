#pragma once
// Keras's IoU metrics (keras/src/metrics/iou_metrics.py): IoU, BinaryIoU, MeanIoU, OneHotIoU, OneHotMeanIoU.
// The state is the (num_classes, num_classes) confusion matrix (rows: true class, columns: predicted class),
// computed in the step as one_hot(y_true)^T x one_hot(y_pred) weighted by the sample weights.
#include <optional>

#include <strata/api/metrics/metric.hpp>

namespace strata::metrics {

/// Every option of the IoU family (each class's Options struct fills a subset).
struct IoUSettings {
  std::int64_t num_classes = 0;
  std::vector<std::int64_t> target_class_ids;
  std::optional<std::int64_t> ignore_class;
  bool sparse_y_true = true;
  bool sparse_y_pred = true;
  int axis = -1;
  std::optional<double> threshold;  // BinaryIoU: y_pred >= threshold is class 1
  std::string name;
};

struct IoUOptions {
  std::optional<std::int64_t> ignore_class;
  bool sparse_y_true = true;
  bool sparse_y_pred = true;
  int axis = -1;
  std::string name = "io_u";
};
/// Mean over target_class_ids of TP / (TP + FP + FN), over the classes that occurred (Keras's valid entries).
/// Labels (and weights, as Keras's int dtype does) are truncated to integers; labels outside [0, num_classes)
/// and ignore_class do not count.
class IoU : public Metric {
 public:
  IoU(std::int64_t num_classes, std::vector<std::int64_t> target_class_ids, IoUOptions options = {});
  std::string class_name() const override { return "IoU"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
  std::vector<Value> update(Value y_true, Value y_pred, Value sample_weight) const override;
  double result() const override;
  /// The accumulated confusion matrix, row-major (true class, predicted class); empty before any update.
  std::vector<double> confusion_matrix() const;

 protected:
  explicit IoU(IoUSettings settings);
  IoUSettings settings_;
};

struct BinaryIoUOptions {
  std::vector<std::int64_t> target_class_ids = {0, 1};
  double threshold = 0.5;
  std::string name = "binary_io_u";
};
/// IoU of two classes where y_pred >= threshold predicts class 1.
class BinaryIoU : public IoU {
 public:
  explicit BinaryIoU(BinaryIoUOptions options = {});
  std::string class_name() const override { return "BinaryIoU"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
};

struct MeanIoUOptions {
  std::optional<std::int64_t> ignore_class;
  bool sparse_y_true = true;
  bool sparse_y_pred = true;
  int axis = -1;
  std::string name = "mean_io_u";
};
/// IoU over every class.
class MeanIoU : public IoU {
 public:
  explicit MeanIoU(std::int64_t num_classes, MeanIoUOptions options = {});
  std::string class_name() const override { return "MeanIoU"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
};

struct OneHotIoUOptions {
  std::optional<std::int64_t> ignore_class;
  bool sparse_y_pred = false;
  int axis = -1;
  std::string name = "one_hot_io_u";
};
/// IoU with one-hot y_true (and, unless sparse_y_pred, class scores as y_pred).
class OneHotIoU : public IoU {
 public:
  OneHotIoU(std::int64_t num_classes, std::vector<std::int64_t> target_class_ids, OneHotIoUOptions options = {});
  std::string class_name() const override { return "OneHotIoU"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
};

struct OneHotMeanIoUOptions {
  std::optional<std::int64_t> ignore_class;
  bool sparse_y_pred = false;
  int axis = -1;
  std::string name = "one_hot_mean_io_u";
};
/// MeanIoU with one-hot y_true.
class OneHotMeanIoU : public IoU {
 public:
  explicit OneHotMeanIoU(std::int64_t num_classes, OneHotMeanIoUOptions options = {});
  std::string class_name() const override { return "OneHotMeanIoU"; }
  static std::shared_ptr<Metric> from_config(const ConfigReader& config);
  nlohmann::json get_config() const override;
};

}  // namespace strata::metrics
