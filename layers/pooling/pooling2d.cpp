#include <strata/layers/pooling/pooling2d.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

Pooling2D::Pooling2D(PoolingKind kind, SpatialSize pool_size, Pooling2DOptions options)
    : Layer(std::move(options.name), std::move(options.input_shape)),
      kind_(kind),
      padding_(lower(options.padding)),
      data_format_(lower(options.data_format)) {
  // virtual class_name() is not available while a base constructor runs
  const std::string where = std::string(kind == PoolingKind::max ? "MaxPooling2D" : "AveragePooling2D") +
                            (options.name.empty() ? "" : " '" + options.name + "'") + ": ";
  pool_size_ = pool_size.resolve(2, where, "pool_size");
  strides_ = options.strides.has_value() ? options.strides.resolve(2, where, "strides") : pool_size_;
  if (padding_ != "valid" && padding_ != "same")
    throw ValueError(where + "the `padding` argument must be one of \"valid\", \"same\". Received: " +
                     options.padding);
  if (data_format_ != "channels_last")
    throw ValueError(where + "the `data_format` argument must be one of {\"channels_last\"} (channels_first is not "
                     "supported). Received: " + options.data_format);
}

PoolingAttrs Pooling2D::attrs_for(const Shape& s) const {
  if (s.size() != 4)
    throw ShapeError(where() + "expected an input of rank 4 (batch, height, width, channels), got shape " +
                     shape_str(s));
  PoolingAttrs a;
  a.kind = kind_;
  a.window = pool_size_;
  a.strides = strides_;
  if (padding_ == "valid")
    for (int i = 0; i < 2; ++i)
      if (s[i + 1] >= 0 && s[i + 1] < pool_size_[i])
        throw ShapeError(where() + "computed output size would be negative: input shape " + shape_str(s) +
                         ", pool_size=" + tuple_str(pool_size_) + " with padding=\"valid\"");
  if (s[1] >= 0 && s[2] >= 0)
    ops::resolve_padding(padding_, {s[1], s[2]}, pool_size_, strides_, {1, 1}, a.pad_begin, a.pad_end);
  return a;
}

void Pooling2D::build(const Shape& input_shape) { attrs_for(input_shape); }

Value Pooling2D::call(Value x, CallContext& ctx) { return ops::pooling(x, attrs_for(x.shape())); }

nlohmann::json Pooling2D::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["pool_size"] = pool_size_;
  c["padding"] = padding_;
  c["strides"] = strides_;
  c["data_format"] = data_format_;
  return c;
}

SpatialSize read_pooling_config(const nlohmann::json& config, const char* class_name, Pooling2DOptions& options) {
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
