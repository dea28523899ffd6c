#include <strata/layers/reshaping/permute.hpp>

#include <algorithm>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

namespace {
std::string dims_str(const std::vector<int>& d) {
  std::string s = "(";
  for (std::size_t i = 0; i < d.size(); ++i) s += (i ? ", " : "") + std::to_string(d[i]);
  return s + (d.size() == 1 ? ",)" : ")");
}
}  // namespace

Permute::Permute(std::vector<int> dims, PermuteOptions options)
    : Layer(options.name, options.input_shape), dims_(std::move(dims)) {
  std::vector<int> sorted = dims_;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != static_cast<int>(i) + 1)
      throw ValueError(where() + "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                       "`dims` must be consecutive and start from 1. Received dims=" + dims_str(dims_));
}

void Permute::build(const Shape& s) {
  if (s.size() != dims_.size() + 1)
    throw ShapeError(where() + "expected an input of rank " + std::to_string(dims_.size() + 1) + " for dims=" +
                     dims_str(dims_) + ", got shape " + shape_str(s));
}

Value Permute::call(Value x, CallContext& ctx) {
  build(x.shape());
  std::vector<int> perm{0};
  perm.insert(perm.end(), dims_.begin(), dims_.end());
  return ops::transpose(x, perm);
}

nlohmann::json Permute::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["dims"] = dims_;
  return c;
}

std::shared_ptr<Permute> Permute::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Permute");
  std::vector<int> dims;
  for (auto d : c.get_int_list("dims")) dims.push_back(static_cast<int>(d));
  auto layer = std::make_shared<Permute>(std::move(dims), PermuteOptions{.name = c.name(), .input_shape = c.input_shape()});
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
