#include <strata/layers/reshaping/zero_padding.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

ZeroPadding::ZeroPadding(std::size_t rank, PaddingSpec padding, ZeroPaddingOptions options, const char* class_name)
    : Layer(options.name, options.input_shape), rank_(rank) {
  const std::string where = std::string(class_name) + (options.name.empty() ? "" : " '" + options.name + "'") + ": ";
  padding_ = padding.resolve(rank, where, "padding");
  data_format_ = check_data_format(where, options.data_format);
}

void ZeroPadding::build(const Shape& s) {
  if (s.size() != rank_ + 2)
    throw ShapeError(where() + "expected an input of rank " + std::to_string(rank_ + 2) + ", got shape " +
                     shape_str(s));
}

Value ZeroPadding::call(Value x, CallContext& ctx) {
  build(x.shape());
  const std::size_t first = data_format_ == "channels_first" ? 2 : 1;
  std::vector<std::int64_t> before(x.ndim(), 0), after(x.ndim(), 0);
  for (std::size_t i = 0; i < rank_; ++i) {
    before[first + i] = padding_[i][0];
    after[first + i] = padding_[i][1];
  }
  return ops::pad(x, before, after);
}

nlohmann::json ZeroPadding::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["padding"] = pairs_json(padding_, rank_ == 1);
  c["data_format"] = data_format_;
  return c;
}

PaddingSpec read_padding_config(const nlohmann::json& config, const char* class_name, ZeroPaddingOptions& options) {
  ConfigReader c(config, class_name);
  options.data_format = c.get_string("data_format", "channels_last");
  options.name = c.name();
  options.input_shape = c.input_shape();
  if (!c.has("padding")) return PaddingSpec(1);
  return PaddingSpec::from_json(config.at("padding"), c.where(), "padding");
}

void apply_padding_base_config(const nlohmann::json& config, const char* class_name, Layer& layer) {
  ConfigReader(config, class_name).apply_base(layer);
}

}  // namespace strata::layers
