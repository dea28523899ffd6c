#include <strata/layers/pooling/pooling.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

std::string check_data_format(const std::string& where, const std::string& data_format) {
  std::string f = lower(data_format);
  if (f != "channels_last" && f != "channels_first")
    throw ValueError(where + "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
                     "Received: data_format=" + data_format);
  return f;
}

Pooling::Pooling(std::size_t rank, PoolingKind kind, SpatialSize pool_size, PoolingOptions options,
                 const char* class_name)
    : Layer(options.name, options.input_shape),
      rank_(rank),
      kind_(kind),
      padding_(lower(options.padding)) {
  const std::string where = std::string(class_name) + (options.name.empty() ? "" : " '" + options.name + "'") + ": ";
  pool_size_ = pool_size.resolve(rank, where, "pool_size");
  strides_ = options.strides.has_value() ? options.strides.resolve(rank, where, "strides") : pool_size_;
  if (padding_ != "valid" && padding_ != "same")
    throw ValueError(where + "the `padding` argument must be one of \"valid\", \"same\". Received: " +
                     options.padding);
  data_format_ = check_data_format(where, options.data_format);
}

PoolingAttrs Pooling::attrs_for(const Shape& s) const {
  if (s.size() != rank_ + 2)
    throw ShapeError(where() + "expected an input of rank " + std::to_string(rank_ + 2) + " (batch, " +
                     (data_format_ == "channels_first" ? "channels, " : "") + std::to_string(rank_) +
                     " spatial dims" + (data_format_ == "channels_last" ? ", channels" : "") + "), got shape " +
                     shape_str(s));
  PoolingAttrs a;
  a.kind = kind_;
  a.window = pool_size_;
  a.strides = strides_;
  a.channels_first = data_format_ == "channels_first";
  const std::size_t first = a.channels_first ? 2 : 1;
  Shape spatial(s.begin() + first, s.begin() + first + rank_);
  bool known = true;
  for (std::size_t i = 0; i < rank_; ++i) {
    if (spatial[i] < 0) known = false;
    else if (padding_ == "valid" && spatial[i] < pool_size_[i])
      throw ShapeError(where() + "computed output size would be negative: input shape " + shape_str(s) +
                       ", pool_size=" + tuple_str(pool_size_) + " with padding=\"valid\"");
  }
  if (known) ops::resolve_padding(padding_, spatial, pool_size_, strides_, std::vector<std::int64_t>(rank_, 1),
                                  a.pad_begin, a.pad_end);
  return a;
}

void Pooling::build(const Shape& input_shape) { attrs_for(input_shape); }

Value Pooling::call(Value x, CallContext& ctx) { return ops::pooling(x, attrs_for(x.shape())); }

nlohmann::json Pooling::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["pool_size"] = pool_size_;
  c["padding"] = padding_;
  c["strides"] = strides_;
  c["data_format"] = data_format_;
  return c;
}

SpatialSize read_pooling_config(const nlohmann::json& config, const char* class_name, PoolingOptions& options) {
  ConfigReader c(config, class_name);
  SpatialSize pool_size = c.get_spatial("pool_size", 2);
  options.strides = c.get_spatial("strides", SpatialSize());
  options.padding = c.get_string("padding", "valid");
  options.data_format = c.get_string("data_format", "channels_last");
  options.name = c.name();
  options.input_shape = c.input_shape();
  return pool_size;
}

void apply_base_config(const nlohmann::json& config, const char* class_name, Layer& layer) {
  ConfigReader(config, class_name).apply_base(layer);
}

}  // namespace strata::layers
