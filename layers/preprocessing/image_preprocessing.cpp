#include <strata/layers/preprocessing/image_preprocessing.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace strata::layers {

namespace {

std::string number_str(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

std::string Factor::str() const {
  if (!is_pair()) return number_str(values_[0]);
  std::string s = "[";
  for (std::size_t i = 0; i < values_.size(); ++i) s += (i ? ", " : "") + number_str(values_[i]);
  return s + "]";
}

nlohmann::json Factor::to_json() const {
  if (!is_pair()) return values_[0];
  return values_;
}

Factor Factor::from_json(const nlohmann::json& value, const std::string& where, const std::string& key) {
  if (value.is_number()) return Factor(value.get<double>());
  if (value.is_array()) {
    std::vector<double> v;
    for (const auto& e : value) {
      if (!e.is_number()) throw ValueError(where + "`" + key + "` must be a number or a list of two numbers. "
                                           "Received: " + key + "=" + value.dump());
      v.push_back(e.get<double>());
    }
    return Factor(std::move(v));
  }
  throw ValueError(where + "`" + key + "` must be a number or a list of two numbers. Received: " + key + "=" +
                   value.dump());
}

std::pair<double, double> image_factor_range(const Factor& factor, double lo, double hi, const std::string& where) {
  const std::string error = where + "The `factor` argument should be a number (or a list of two numbers) in the "
                            "range [" + number_str(lo) + ", " + number_str(hi) + "]. Received: factor=" + factor.str();
  const auto& v = factor.values();
  if (factor.is_pair()) {
    if (v.size() != 2 || v[0] > hi || v[1] < lo) throw ValueError(error);
    return {std::min(v[0], v[1]), std::max(v[0], v[1])};
  }
  if (!(v[0] >= lo && v[0] <= hi)) throw ValueError(error);
  const double f = std::abs(v[0]);
  return {std::max(-f, lo), f};
}

FillMode parse_fill_mode(const std::string& fill_mode, const std::string& where) {
  if (fill_mode == "reflect") return FillMode::reflect;
  if (fill_mode == "wrap") return FillMode::wrap;
  if (fill_mode == "constant") return FillMode::constant;
  if (fill_mode == "nearest") return FillMode::nearest;
  throw ValueError(where + "Unknown `fill_mode` " + fill_mode +
                   ". Expected of one ('reflect', 'wrap', 'constant', 'nearest').");
}

std::string fill_mode_name(FillMode mode) {
  switch (mode) {
    case FillMode::reflect: return "reflect";
    case FillMode::wrap: return "wrap";
    case FillMode::constant: return "constant";
    case FillMode::nearest: return "nearest";
  }
  return "?";
}

ImageInterpolation parse_affine_interpolation(const std::string& interpolation, const std::string& where) {
  if (interpolation == "bilinear") return ImageInterpolation::bilinear;
  if (interpolation == "nearest") return ImageInterpolation::nearest;
  throw ValueError(where + "Unknown `interpolation` " + interpolation + ". Expected of one ('nearest', 'bilinear').");
}

Value image_batch(Value x, const std::string& where, bool& unbatched) {
  if (x.ndim() != 3 && x.ndim() != 4)
    throw ShapeError(where + "Expected image tensor to have rank 3 (single image) or 4 (batch of images). "
                     "Received: data.shape=" + shape_str(x.shape()));
  if (x.dtype() != DType::float32) x = ops::cast(x, DType::float32);
  unbatched = x.ndim() == 3;
  if (!unbatched) return x;
  Shape s = x.shape();
  s.insert(s.begin(), 1);
  return ops::reshape(x, s);
}

Value image_unbatch(Value y, bool unbatched) {
  if (!unbatched) return y;
  Shape s = y.shape();
  s.erase(s.begin());
  return ops::reshape(y, s);
}

Value resize_images(Value x, std::int64_t height, std::int64_t width, ImageInterpolation interpolation,
                    bool crop_to_aspect_ratio, bool pad_to_aspect_ratio, float fill_value, bool channels_first) {
  const int h_axis = channels_first ? 2 : 1, w_axis = h_axis + 1;
  const std::int64_t in_h = x.dim(h_axis), in_w = x.dim(w_axis);
  if (crop_to_aspect_ratio) {
    // the largest centred window of the target's aspect ratio (keras backend resize / smart_resize)
    auto crop_h = static_cast<std::int64_t>(static_cast<double>(in_w * height) / static_cast<double>(width));
    crop_h = std::max<std::int64_t>(std::min(in_h, crop_h), 1);
    auto crop_w = static_cast<std::int64_t>(static_cast<double>(in_h * width) / static_cast<double>(height));
    crop_w = std::max<std::int64_t>(std::min(in_w, crop_w), 1);
    const auto top = static_cast<std::int64_t>(static_cast<double>(in_h - crop_h) / 2);
    const auto left = static_cast<std::int64_t>(static_cast<double>(in_w - crop_w) / 2);
    const Shape shape = x.shape();  // a copy: Value::shape() returns by value
    std::vector<std::int64_t> begin(4, 0), end(shape.begin(), shape.end());
    begin[h_axis] = top, end[h_axis] = top + crop_h;
    begin[w_axis] = left, end[w_axis] = left + crop_w;
    x = ops::slice(x, begin, end);
  } else if (pad_to_aspect_ratio) {
    // Keras pads the same amount on both sides of the short axis (only one axis is padded)
    const auto pad_h = std::max(in_h, static_cast<std::int64_t>(static_cast<double>(in_w * height) / width));
    const auto pad_w = std::max(in_w, static_cast<std::int64_t>(static_cast<double>(in_h * width) / height));
    const auto top = static_cast<std::int64_t>(static_cast<double>(pad_h - in_h) / 2);
    const auto left = static_cast<std::int64_t>(static_cast<double>(pad_w - in_w) / 2);
    std::vector<std::int64_t> before(4, 0);
    if (top > 0) before[h_axis] = top;
    else if (left > 0) before[w_axis] = left;
    if (before[h_axis] > 0 || before[w_axis] > 0) {
      // pad() fills zeros: shift by the fill value around it
      if (fill_value != 0.0f) x = ops::pad(x - fill_value, before, before) + fill_value;
      else x = ops::pad(x, before, before);
    }
  }
  if (x.dim(h_axis) == height && x.dim(w_axis) == width) return x;
  return ops::image_resize(x, interpolation, height, width, channels_first);
}

std::vector<double> value_range_from_json(const nlohmann::json& value, const std::string& where) {
  if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number())
    throw ValueError(where + "The `value_range` argument should be a list of two numbers. Received: value_range=" +
                     value.dump());
  return {value[0].get<double>(), value[1].get<double>()};
}

}  // namespace strata::layers
