#include <strata/layers/preprocessing/rescaling.hpp>

#include <strata/api/saving/config_reader.hpp>

namespace strata::layers {

namespace {

// A scalar or a per-channel constant broadcasting against the last axis of `x`.
Value broadcast_constant(Value x, const std::vector<double>& values, bool is_list) {
  std::vector<float> v(values.begin(), values.end());
  Shape shape = is_list ? Shape{static_cast<std::int64_t>(v.size())} : Shape{};
  return x.graph().add_constant(Tensor(shape, v), "rescaling_constant");
}

// Keras serializes scale/offset as a number or a (nested) list of numbers.
std::vector<double> read_numbers(const nlohmann::json& j, const std::string& where, const char* key, bool& is_list) {
  is_list = j.is_array();
  std::vector<double> out;
  if (j.is_number()) return {j.get<double>()};
  // serialize_keras_object of a numpy array: {"class_name": "__numpy__", "config": {"value": [...]}}
  const nlohmann::json& list = j.is_object() && j.contains("config") ? j.at("config").at("value") : j;
  if (list.is_number()) {
    is_list = false;
    return {list.get<double>()};
  }
  if (!list.is_array()) throw FileFormatError(where + "config field '" + key + "': expected a number or a list of numbers, got " + j.dump());
  is_list = true;
  for (const auto& e : list) {
    if (!e.is_number()) throw FileFormatError(where + "config field '" + key + "': expected a number or a list of numbers, got " + j.dump());
    out.push_back(e.get<double>());
  }
  return out;
}

}  // namespace

Rescaling::Rescaling(double scale, double offset, RescalingOptions options)
    : Layer(options.name, options.input_shape), scale_{scale}, offset_{offset} {}

Rescaling::Rescaling(std::vector<double> scale, std::vector<double> offset, RescalingOptions options)
    : Layer(options.name, options.input_shape),
      scale_(std::move(scale)),
      offset_(std::move(offset)),
      scale_is_list_(true),
      offset_is_list_(offset_.size() != 1) {
  if (scale_.empty()) throw ValueError(where() + "`scale` must not be empty");
  if (offset_.empty()) offset_ = {0.0}, offset_is_list_ = false;
}

Value Rescaling::call(Value x, CallContext&) {
  for (auto [values, is_list, key] : {std::tuple{&scale_, scale_is_list_, "scale"},
                                     std::tuple{&offset_, offset_is_list_, "offset"}})
    if (is_list && values->size() != 1 && (x.ndim() == 0 || x.dim(-1) != static_cast<std::int64_t>(values->size())))
      throw ShapeError(where() + "`" + key + "` has " + std::to_string(values->size()) +
                       " values, which do not broadcast against the input's last axis: input shape " +
                       shape_str(x.shape()));
  Value y = x;
  if (!scale_is_list_) {
    if (scale_[0] != 1.0) y = y * static_cast<float>(scale_[0]);
  } else {
    y = y * broadcast_constant(x, scale_, true);
  }
  if (!offset_is_list_) {
    if (offset_[0] != 0.0) y = y + static_cast<float>(offset_[0]);
  } else {
    y = y + broadcast_constant(x, offset_, true);
  }
  // a layer output must be a new value even for scale 1, offset 0
  if (y.id() == x.id()) y = x * 1.0f;
  return y;
}

nlohmann::json Rescaling::get_config() const {
  nlohmann::json c = Layer::get_config();
  auto write = [](const std::vector<double>& v, bool is_list) {
    return is_list ? nlohmann::json(v) : nlohmann::json(v[0]);
  };
  c["scale"] = write(scale_, scale_is_list_);
  c["offset"] = write(offset_, offset_is_list_);
  return c;
}

std::shared_ptr<Rescaling> Rescaling::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Rescaling");
  if (!c.has("scale")) throw FileFormatError(c.where() + "config field 'scale' is missing");
  bool scale_list = false, offset_list = false;
  std::vector<double> scale = read_numbers(config.at("scale"), c.where(), "scale", scale_list);
  std::vector<double> offset = c.has("offset") ? read_numbers(config.at("offset"), c.where(), "offset", offset_list)
                                               : std::vector<double>{0.0};
  RescalingOptions options{.name = c.name(), .input_shape = c.input_shape()};
  std::shared_ptr<Rescaling> layer;
  if (!scale_list && !offset_list) {
    layer = std::make_shared<Rescaling>(scale[0], offset[0], options);
  } else {
    layer = std::make_shared<Rescaling>(scale, offset, options);
    layer->scale_is_list_ = scale_list;
    layer->offset_is_list_ = offset_list;
  }
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
