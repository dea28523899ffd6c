#pragma once
// A MeanMetricWrapper whose only option is its name (Keras's metrics over a plain loss function).
#include <strata/api/metrics/metric.hpp>

/// Declares ClassOptions {name} and Class : MeanMetricWrapper with `call` to define in the .cpp.
#define STRATA_NAMED_MEAN_METRIC(Class, default_name)                                                     \
  struct Class##Options {                                                                                 \
    std::string name = default_name;                                                                      \
  };                                                                                                      \
  class Class : public MeanMetricWrapper {                                                                \
   public:                                                                                                \
    explicit Class(Class##Options options = {}) : MeanMetricWrapper(std::move(options.name)) {}          \
    std::string class_name() const override { return #Class; }                                            \
    static std::shared_ptr<Metric> from_config(const ConfigReader& config);                               \
    Value call(Value y_true, Value y_pred) const override;                                                \
  };

/// Defines Class::from_config for a STRATA_NAMED_MEAN_METRIC.
#define STRATA_NAMED_MEAN_METRIC_FROM_CONFIG(Class, default_name)                                        \
  std::shared_ptr<Metric> Class::from_config(const ConfigReader& c) {                                     \
    return std::make_shared<Class>(Class##Options{.name = c.get_string("name", default_name)});          \
  }
