#include <strata/layers/pooling/global_pooling.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

GlobalPooling::GlobalPooling(std::size_t rank, ReduceKind kind, GlobalPoolingOptions options, const char* class_name)
    : Layer(options.name, options.input_shape), rank_(rank), kind_(kind),
      keepdims_(options.keepdims) {
  data_format_ = check_data_format(std::string(class_name) + (options.name.empty() ? "" : " '" + options.name + "'") +
                                       ": ",
                                   options.data_format);
}

void GlobalPooling::build(const Shape& s) {
  if (s.size() != rank_ + 2)
    throw ShapeError(where() + "expected an input of rank " + std::to_string(rank_ + 2) + ", got shape " +
                     shape_str(s));
}

Value GlobalPooling::call(Value x, CallContext& ctx) {
  build(x.shape());
  std::vector<int> axes;
  const int first = data_format_ == "channels_first" ? 2 : 1;
  for (std::size_t i = 0; i < rank_; ++i) axes.push_back(first + static_cast<int>(i));
  return ops::reduce(x, kind_, axes, keepdims_);
}

nlohmann::json GlobalPooling::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = data_format_;
  c["keepdims"] = keepdims_;
  return c;
}

GlobalPoolingOptions read_global_pooling_config(const nlohmann::json& config, const char* class_name) {
  ConfigReader c(config, class_name);
  return GlobalPoolingOptions{.data_format = c.get_string("data_format", "channels_last"),
                              .keepdims = c.get_bool("keepdims", false),
                              .name = c.name(),
                              .input_shape = c.input_shape()};
}

void apply_global_pooling_base_config(const nlohmann::json& config, const char* class_name, Layer& layer) {
  ConfigReader(config, class_name).apply_base(layer);
}

}  // namespace strata::layers
