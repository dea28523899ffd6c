#include <strata/layers/preprocessing/resizing.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

Resizing::Resizing(std::int64_t height, std::int64_t width, ResizingOptions options)
    : Layer(options.name, options.input_shape), height_(height), width_(width), options_(std::move(options)) {
  if (height_ <= 0 || width_ <= 0)
    throw ValueError(where() + "`height` and `width` must be positive integers. Received: height=" +
                     std::to_string(height_) + ", width=" + std::to_string(width_));
  options_.data_format = check_data_format(where(), options_.data_format);
  const std::string& interp = options_.interpolation;
  if (interp == "bicubic" || interp == "lanczos3" || interp == "lanczos5" || interp == "area")
    throw UnsupportedError(where() + "interpolation=\"" + interp + "\" is not supported yet; use \"bilinear\" or "
                           "\"nearest\"");
  if (interp == "bilinear") interpolation_ = ImageInterpolation::bilinear;
  else if (interp == "nearest") interpolation_ = ImageInterpolation::nearest;
  else throw ValueError(where() + "Invalid value for argument `interpolation`. Expected of one ('bilinear', "
                        "'nearest', 'bicubic', 'lanczos3', 'lanczos5', 'area'). Received: interpolation=" + interp);
  if (options_.fill_mode != "constant")
    throw ValueError(where() + "Invalid value for argument `fill_mode`. Only `'constant'` is supported. Received: "
                     "fill_mode=" + options_.fill_mode);
  if (options_.crop_to_aspect_ratio && options_.pad_to_aspect_ratio)
    throw ValueError(where() + "Only one of `pad_to_aspect_ratio` & `crop_to_aspect_ratio` can be `True`.");
  // without antialiasing jax's nearest ignores the flag; bilinear downscaling would widen its kernel
  if (options_.antialias && interpolation_ != ImageInterpolation::nearest)
    throw UnsupportedError(where() + "antialias=True is not supported yet");
}

Value Resizing::call(Value x, CallContext&) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  Value y = resize_images(x, height_, width_, interpolation_, options_.crop_to_aspect_ratio,
                          options_.pad_to_aspect_ratio, static_cast<float>(options_.fill_value),
                          options_.data_format == "channels_first");
  return image_unbatch(y, unbatched);
}

nlohmann::json Resizing::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["height"] = height_;
  c["width"] = width_;
  c["interpolation"] = options_.interpolation;
  c["crop_to_aspect_ratio"] = options_.crop_to_aspect_ratio;
  c["pad_to_aspect_ratio"] = options_.pad_to_aspect_ratio;
  c["fill_mode"] = options_.fill_mode;
  c["fill_value"] = options_.fill_value;
  c["antialias"] = options_.antialias;
  return c;
}

std::shared_ptr<Resizing> Resizing::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "Resizing");
  ResizingOptions o;
  o.interpolation = c.get_string("interpolation", "bilinear");
  o.crop_to_aspect_ratio = c.get_bool("crop_to_aspect_ratio", false);
  o.pad_to_aspect_ratio = c.get_bool("pad_to_aspect_ratio", false);
  o.fill_mode = c.get_string("fill_mode", "constant");
  o.fill_value = c.get_double("fill_value", 0.0);
  o.antialias = c.get_bool("antialias", false);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<Resizing>(c.get_int("height"), c.get_int("width"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
