#pragma once
// What the image preprocessing layers share: Keras's factor arguments, fill modes, the rank-3/rank-4 input
// handling and keras.ops.image.resize (with crop / pad to aspect ratio).
#include <optional>

#include <strata/api/layer.hpp>

namespace strata::layers {

/// A Keras factor argument: one number (a symmetric range) or a pair (lower, upper), kept as given so
/// get_config writes it back the way Keras does.
class Factor {
 public:
  Factor(double value) : values_{value} {}
  Factor(std::initializer_list<double> values) : values_(values) {}
  explicit Factor(std::vector<double> values) : values_(std::move(values)) {}
  const std::vector<double>& values() const { return values_; }
  bool is_pair() const { return values_.size() != 1; }
  /// Keras's printed form: "0.2" or "[0.1, 0.3]".
  std::string str() const;
  nlohmann::json to_json() const;
  /// From a config value (a number or a list); ValueError naming `where` and `key` otherwise.
  static Factor from_json(const nlohmann::json& value, const std::string& where, const std::string& key);

 private:
  std::vector<double> values_;
};

/// Keras's BaseImagePreprocessingLayer._set_factor: a number in [lo, hi] gives (max(-|f|, lo), |f|), a pair is
/// sorted; ValueError worded as Keras otherwise.
std::pair<double, double> image_factor_range(const Factor& factor, double lo, double hi, const std::string& where);

FillMode parse_fill_mode(const std::string& fill_mode, const std::string& where);
std::string fill_mode_name(FillMode mode);
/// "nearest" or "bilinear" (what RandomRotation/Zoom/Translation accept).
ImageInterpolation parse_affine_interpolation(const std::string& interpolation, const std::string& where);

/// Casts to float32 and gives a single image (H, W, C) a batch of one; ShapeError for other ranks.
Value image_batch(Value x, const std::string& where, bool& unbatched);
/// Drops the batch of one image_batch added.
Value image_unbatch(Value y, bool unbatched);

/// keras.ops.image.resize on jax (antialias false) of a float32 batch: optional centre crop or constant pad to the
/// target aspect ratio, then resampling to height x width.
Value resize_images(Value x, std::int64_t height, std::int64_t width, ImageInterpolation interpolation,
                    bool crop_to_aspect_ratio, bool pad_to_aspect_ratio, float fill_value, bool channels_first);

/// Keras's "value_range" pair; ValueError unless two numbers.
std::vector<double> value_range_from_json(const nlohmann::json& value, const std::string& where);

}  // namespace strata::layers
