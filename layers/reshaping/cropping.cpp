#include <strata/layers/reshaping/cropping.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

Cropping::Cropping(std::size_t rank, PaddingSpec cropping, CroppingOptions options, const char* class_name)
    : Layer(options.name, options.input_shape), rank_(rank) {
  const std::string where = std::string(class_name) + (options.name.empty() ? "" : " '" + options.name + "'") + ": ";
  cropping_ = cropping.resolve(rank, where, "cropping");
  data_format_ = check_data_format(where, options.data_format);
  if (rank == 1 && data_format_ != "channels_last")
    throw ValueError(where + "Cropping1D has no data_format; its input is (batch, steps, features)");
}

void Cropping::build(const Shape& s) {
  if (s.size() != rank_ + 2)
    throw ShapeError(where() + "expected an input of rank " + std::to_string(rank_ + 2) + ", got shape " +
                     shape_str(s));
  const std::size_t first = data_format_ == "channels_first" ? 2 : 1;
  for (std::size_t i = 0; i < rank_; ++i)
    if (s[first + i] >= 0 && cropping_[i][0] + cropping_[i][1] >= s[first + i])
      throw ShapeError(where() + "Values in `cropping` argument should be smaller than the corresponding spatial "
                       "dimension of the input. Received: inputs.shape=" + shape_str(s) + ", cropping=" +
                       pairs_str(cropping_, rank_ == 1));
}

Value Cropping::call(Value x, CallContext& ctx) {
  build(x.shape());
  const std::size_t first = data_format_ == "channels_first" ? 2 : 1;
  const Shape shape = x.shape();
  std::vector<std::int64_t> begin(shape.size(), 0), end(shape.begin(), shape.end());
  for (std::size_t i = 0; i < rank_; ++i) {
    begin[first + i] = cropping_[i][0];
    end[first + i] -= cropping_[i][1];
  }
  return ops::slice(x, begin, end);
}

nlohmann::json Cropping::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["cropping"] = pairs_json(cropping_, rank_ == 1);
  if (rank_ > 1) c["data_format"] = data_format_;
  return c;
}

PaddingSpec read_cropping_config(const nlohmann::json& config, const char* class_name, CroppingOptions& options) {
  ConfigReader c(config, class_name);
  options.data_format = c.get_string("data_format", "channels_last");
  options.name = c.name();
  options.input_shape = c.input_shape();
  if (!c.has("cropping")) return PaddingSpec(std::string(class_name) == "Cropping2D" ? 0 : 1);
  return PaddingSpec::from_json(config.at("cropping"), c.where(), "cropping");
}

void apply_cropping_base_config(const nlohmann::json& config, const char* class_name, Layer& layer) {
  ConfigReader(config, class_name).apply_base(layer);
}

}  // namespace strata::layers
