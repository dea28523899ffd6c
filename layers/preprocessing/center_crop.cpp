#include <strata/layers/preprocessing/center_crop.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

CenterCrop::CenterCrop(std::int64_t height, std::int64_t width, CenterCropOptions options)
    : Layer(options.name, options.input_shape), height_(height), width_(width), options_(std::move(options)) {
  if (height_ <= 0 || width_ <= 0)
    throw ValueError(where() + "`height` and `width` must be positive integers. Received: height=" +
                     std::to_string(height_) + ", width=" + std::to_string(width_));
  options_.data_format = check_data_format(where(), options_.data_format);
}

Value CenterCrop::call(Value x, CallContext&) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  const bool channels_first = options_.data_format == "channels_first";
  const int h_axis = channels_first ? 2 : 1, w_axis = h_axis + 1;
  const std::int64_t h_diff = x.dim(h_axis) - height_, w_diff = x.dim(w_axis) - width_;
  Value y;
  if (h_diff >= 0 && w_diff >= 0) {
    const Shape shape = x.shape();  // a copy: Value::shape() returns by value
    std::vector<std::int64_t> begin(4, 0), end(shape.begin(), shape.end());
    begin[h_axis] = h_diff / 2, end[h_axis] = h_diff / 2 + height_;
    begin[w_axis] = w_diff / 2, end[w_axis] = w_diff / 2 + width_;
    y = ops::slice(x, begin, end);
  } else {
    y = resize_images(x, height_, width_, ImageInterpolation::bilinear, true, false, 0.0f, channels_first);
  }
  return image_unbatch(y, unbatched);
}

nlohmann::json CenterCrop::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["height"] = height_;
  c["width"] = width_;
  return c;
}

std::shared_ptr<CenterCrop> CenterCrop::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "CenterCrop");
  CenterCropOptions o;
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<CenterCrop>(c.get_int("height"), c.get_int("width"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
