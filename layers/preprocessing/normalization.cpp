#include <strata/layers/preprocessing/normalization.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>

#include <strata/api/initializers/initializers.hpp>
#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

namespace {

constexpr float kEpsilon = 1e-7f;  // keras.backend.epsilon()

std::string list_str(const std::vector<int>& v) {
  std::ostringstream s;
  s << "(";
  for (std::size_t i = 0; i < v.size(); ++i) s << (i ? ", " : "") << v[i];
  if (v.size() == 1) s << ",";
  s << ")";
  return s.str();
}

std::int64_t product(const Shape& s) {
  std::int64_t n = 1;
  for (auto d : s) n *= d;
  return n;
}

std::vector<double> numbers(const nlohmann::json& j, const std::string& where, const char* key) {
  std::vector<double> out;
  if (j.is_null()) return out;
  if (j.is_number()) return {j.get<double>()};
  if (!j.is_array()) throw FileFormatError(where + "config field '" + key + "': expected a number or a list, got " + j.dump());
  // nested lists flatten in row-major order
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& e) {
    if (e.is_array()) {
      for (const auto& x : e) walk(x);
    } else if (e.is_number()) {
      out.push_back(e.get<double>());
    } else {
      throw FileFormatError(where + "config field '" + key + "': expected numbers, got " + j.dump());
    }
  };
  walk(j);
  return out;
}

}  // namespace

Normalization::Normalization(NormalizationOptions options)
    : Layer(options.name, options.input_shape), options_(std::move(options)) {
  if (options_.mean.empty() != options_.variance.empty())
    throw ValueError(where() + "When setting values directly, both `mean` and `variance` must be set. Received: mean " +
                     std::to_string(options_.mean.size()) + " values and variance " +
                     std::to_string(options_.variance.size()) + " values");
  if (options_.mean.size() != options_.variance.size())
    throw ValueError(where() + "When setting values directly, `mean` and `variance` must have the same shape. "
                               "Received: mean of " + std::to_string(options_.mean.size()) + " values and variance of " +
                     std::to_string(options_.variance.size()) + " values");
  if (options_.mean.size() > 1 && options_.axis.empty())
    throw ValueError(where() + "The rank of `mean` must be less than or equal to the number of axes (0). Received: "
                               "mean of " + std::to_string(options_.mean.size()) + " values for axis=None");
}

void Normalization::build(const Shape& input_shape) {
  const int ndim = static_cast<int>(input_shape.size());
  for (int a : options_.axis)
    if (a < -ndim || a >= ndim)
      throw ValueError(where() + "All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim=" +
                       std::to_string(ndim) + ", while axis=" + list_str(options_.axis));
  build_shape_ = input_shape;
  keep_axis_.clear();
  for (int a : options_.axis) keep_axis_.push_back(a < 0 ? a + ndim : a);
  std::sort(keep_axis_.begin(), keep_axis_.end());
  keep_axis_.erase(std::unique(keep_axis_.begin(), keep_axis_.end()), keep_axis_.end());
  broadcast_shape_.assign(ndim, 1);
  mean_and_var_shape_.clear();
  for (int d : keep_axis_) {
    if (input_shape[d] <= 0)
      throw ValueError(where() + "All `axis` values to be kept must have a known shape. Received axis=" +
                       list_str(options_.axis) + ", inputs.shape=" + shape_str(input_shape) +
                       ", with unknown axis at index " + std::to_string(d));
    broadcast_shape_[d] = input_shape[d];
    mean_and_var_shape_.push_back(input_shape[d]);
  }
  if (options_.mean.empty()) {
    adapt_mean_ = &add_weight("mean", mean_and_var_shape_, "zeros", false);
    adapt_variance_ = &add_weight("variance", mean_and_var_shape_, "ones", false);
    count_ = &add_weight("count", {}, "zeros", false, DType::int64);
    return;
  }
  // given values: one (broadcast), one per position of the last kept axis, or one per position of all kept axes
  const std::int64_t full = product(mean_and_var_shape_);
  const auto n = static_cast<std::int64_t>(options_.mean.size());
  given_mean_ = Tensor(broadcast_shape_);
  given_variance_ = Tensor(broadcast_shape_);
  const std::int64_t last = keep_axis_.empty() ? 1 : mean_and_var_shape_.back();
  if (n != 1 && n != full && n != last)
    throw ValueError(where() + "`mean` and `variance` have " + std::to_string(n) +
                     " values, which do not broadcast to the kept axes' shape " + shape_str(mean_and_var_shape_));
  float* m = given_mean_.data<float>();
  float* v = given_variance_.data<float>();
  for (std::int64_t i = 0; i < full; ++i) {
    std::int64_t src = n == 1 ? 0 : n == full ? i : i % last;
    m[i] = static_cast<float>(options_.mean[src]);
    v[i] = static_cast<float>(options_.variance[src]);
  }
}

Value Normalization::call(Value x, CallContext& ctx) {
  if (x.ndim() != static_cast<int>(broadcast_shape_.size()))
    throw ShapeError(where() + "the layer was built for inputs of rank " + std::to_string(broadcast_shape_.size()) +
                     ", got shape " + shape_str(x.shape()));
  for (int d : keep_axis_)
    if (x.dim(d) != broadcast_shape_[d])
      throw ShapeError(where() + "the layer was built with input_shape=" + shape_str(build_shape_) +
                       ", got an input of shape " + shape_str(x.shape()));
  Value mean, variance;
  if (adapt_mean_) {
    mean = ops::reshape(ctx.variable(*adapt_mean_), broadcast_shape_);
    variance = ops::reshape(ctx.variable(*adapt_variance_), broadcast_shape_);
  } else {
    mean = x.graph().add_constant(given_mean_, "normalization_mean");
    variance = x.graph().add_constant(given_variance_, "normalization_variance");
  }
  Value stddev = ops::maximum(ops::sqrt(variance), x.graph().scalar(kEpsilon));
  if (options_.invert) return mean + x * stddev;
  return (x - mean) / stddev;
}

void Normalization::check_adaptable(const Shape& data_shape) {
  if (!options_.mean.empty())
    throw ValueError(where() + "adapt() cannot be called on a layer given `mean` and `variance`");
  if (!built()) {
    ensure_built({data_shape});
    return;
  }
  if (data_shape.size() != build_shape_.size())
    throw ValueError(where() + "The layer was built with input_shape=" + shape_str(build_shape_) +
                     ", but adapt() is being called with data with an incompatible shape, data.shape=" +
                     shape_str(data_shape));
  for (int d : keep_axis_)
    if (data_shape[d] != build_shape_[d])
      throw ValueError(where() + "The layer was built with input_shape=" + shape_str(build_shape_) +
                       ", but adapt() is being called with data with an incompatible shape, data.shape=" +
                       shape_str(data_shape));
}

void Normalization::adapt(const Tensor& data) { adapt(std::vector<Tensor>{data}); }

void Normalization::adapt(const std::vector<Tensor>& batches) {
  if (batches.empty())
    throw ValueError(where() + "adapt() received an empty iterable (no batches). Expected at least one batch.");
  check_adaptable(batches.front().shape());
  const std::int64_t kept = product(mean_and_var_shape_);
  std::vector<double> total_mean(kept, 0.0), total_var(kept, 0.0);
  std::int64_t total_count = 0;
  for (const Tensor& raw : batches) {
    if (raw.ndim() != static_cast<int>(build_shape_.size()))
      throw ValueError(where() + "adapt() yielded a batch with incompatible shape. Expected " + shape_str(build_shape_) +
                       ", got " + shape_str(raw.shape()) + ".");
    for (int d : keep_axis_)
      if (raw.shape()[d] != build_shape_[d])
        throw ValueError(where() + "adapt() yielded a batch with incompatible shape. Expected " +
                         shape_str(build_shape_) + ", got " + shape_str(raw.shape()) + ".");
    std::vector<float> values(raw.size());
    convert_elements(raw.raw(), raw.dtype(), values.data(), DType::float32, values.size());
    const Shape& shape = raw.shape();
    const int ndim = raw.ndim();
    // the kept position of each flat index, walking the multi-index
    std::vector<double> sum(kept, 0.0), sum_sq(kept, 0.0);
    std::vector<std::int64_t> index(ndim, 0);
    std::vector<std::int64_t> keep_stride(ndim, 0);
    {
      std::int64_t s = 1;
      for (int k = static_cast<int>(keep_axis_.size()) - 1; k >= 0; --k) {
        keep_stride[keep_axis_[k]] = s;
        s *= mean_and_var_shape_[k];
      }
    }
    const std::int64_t count = kept ? static_cast<std::int64_t>(values.size()) / kept : 0;
    // first pass: means; second: squared deviations (numerically as np.var)
    std::vector<std::int64_t> pos(values.size());
    std::int64_t p = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      pos[i] = p;
      sum[p] += values[i];
      for (int a = ndim - 1; a >= 0; --a) {
        if (++index[a] < shape[a]) {
          p += keep_stride[a];
          break;
        }
        p -= keep_stride[a] * (shape[a] - 1);
        index[a] = 0;
      }
    }
    std::vector<double> batch_mean(kept), batch_var(kept);
    for (std::int64_t k = 0; k < kept; ++k) batch_mean[k] = sum[k] / static_cast<double>(count);
    for (std::size_t i = 0; i < values.size(); ++i) {
      double dv = values[i] - batch_mean[pos[i]];
      sum_sq[pos[i]] += dv * dv;
    }
    for (std::int64_t k = 0; k < kept; ++k) batch_var[k] = sum_sq[k] / static_cast<double>(count);
    if (count == 0) continue;
    total_count += count;
    const double batch_weight = static_cast<double>(count) / static_cast<double>(total_count);
    const double existing_weight = 1.0 - batch_weight;
    for (std::int64_t k = 0; k < kept; ++k) {
      double new_mean = total_mean[k] * existing_weight + batch_mean[k] * batch_weight;
      total_var[k] = (total_var[k] + (total_mean[k] - new_mean) * (total_mean[k] - new_mean)) * existing_weight +
                     (batch_var[k] + (batch_mean[k] - new_mean) * (batch_mean[k] - new_mean)) * batch_weight;
      total_mean[k] = new_mean;
    }
  }
  adapt_mean_->assign(Tensor(mean_and_var_shape_, std::vector<float>(total_mean.begin(), total_mean.end())));
  adapt_variance_->assign(Tensor(mean_and_var_shape_, std::vector<float>(total_var.begin(), total_var.end())));
}

Tensor Normalization::mean() const {
  if (!built()) throw ValueError(where() + "You must call `.build(input_shape)` on the layer before using it.");
  if (adapt_mean_) return adapt_mean_->value();
  return Tensor::from_data(mean_and_var_shape_, DType::float32, given_mean_.raw());
}

Tensor Normalization::variance() const {
  if (!built()) throw ValueError(where() + "You must call `.build(input_shape)` on the layer before using it.");
  if (adapt_variance_) return adapt_variance_->value();
  return Tensor::from_data(mean_and_var_shape_, DType::float32, given_variance_.raw());
}

nlohmann::json Normalization::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["axis"] = options_.axis;
  c["invert"] = options_.invert;
  c["mean"] = options_.mean.empty() ? nlohmann::json(nullptr)
              : options_.mean.size() == 1 ? nlohmann::json(options_.mean[0])
                                          : nlohmann::json(options_.mean);
  c["variance"] = options_.variance.empty() ? nlohmann::json(nullptr)
                  : options_.variance.size() == 1 ? nlohmann::json(options_.variance[0])
                                                  : nlohmann::json(options_.variance);
  return c;
}

std::shared_ptr<Normalization> Normalization::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Normalization");
  NormalizationOptions options{.name = c.name(), .input_shape = c.input_shape()};
  if (!c.has("axis")) {
    options.axis = {};  // Keras's None
  } else if (config.at("axis").is_number_integer()) {
    options.axis = {config.at("axis").get<int>()};
  } else if (config.at("axis").is_array()) {
    options.axis.clear();
    for (const auto& a : config.at("axis")) {
      if (!a.is_number_integer())
        throw FileFormatError(c.where() + "config field 'axis': expected integers, got " + config.at("axis").dump());
      options.axis.push_back(a.get<int>());
    }
  } else {
    throw FileFormatError(c.where() + "config field 'axis': expected an integer, a list or null, got " +
                          config.at("axis").dump());
  }
  options.invert = c.get_bool("invert", false);
  if (c.has("mean")) options.mean = numbers(config.at("mean"), c.where(), "mean");
  if (c.has("variance")) options.variance = numbers(config.at("variance"), c.where(), "variance");
  auto layer = std::make_shared<Normalization>(std::move(options));
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
