#include <strata/api/optimizers/schedules/piecewise_constant_decay.hpp>

#include <strata/api/errors.hpp>

namespace strata::optimizers::schedules {

namespace {
std::string list_str(const std::vector<double>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + nlohmann::json(v[i]).dump();
  return s + "]";
}
}  // namespace

PiecewiseConstantDecay::PiecewiseConstantDecay(std::vector<double> boundaries, std::vector<double> values,
                                               PiecewiseConstantDecayOptions options)
    : boundaries_(std::move(boundaries)), values_(std::move(values)), options_(std::move(options)) {
  if (boundaries_.size() + 1 != values_.size())
    throw ValueError("PiecewiseConstantDecay: The length of boundaries should be 1 less than the length of values. "
                     "Received: boundaries=" + list_str(boundaries_) + " of length " +
                     std::to_string(boundaries_.size()) + ", and values=" + list_str(values_) + " of length " +
                     std::to_string(values_.size()) + ".");
  for (double b : boundaries_) steps_.push_back(static_cast<std::int64_t>(b));
}

float PiecewiseConstantDecay::operator()(std::int64_t step) const {
  std::size_t i = 0;
  while (i < steps_.size() && step > steps_[i]) ++i;
  return static_cast<float>(values_[i]);
}

nlohmann::json PiecewiseConstantDecay::get_config() const {
  nlohmann::json boundaries = nlohmann::json::array();
  for (double b : boundaries_) boundaries.push_back(step_json(b));
  return {{"boundaries", boundaries}, {"values", values_}, {"name", options_.name}};
}

}  // namespace strata::optimizers::schedules
