#include <strata/layers/preprocessing/random_crop.hpp>

#include <strata/api/random.hpp>
#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

namespace {
// Keras writes a drawn seed into RandomCrop's config when none was given
RandomCropOptions with_seed(RandomCropOptions o) {
  if (!o.seed) o.seed = next_seed() & 0x7fffffffull;
  return o;
}
}  // namespace

RandomCrop::RandomCrop(std::int64_t height, std::int64_t width, RandomCropOptions options)
    : NoiseLayer(options.name, options.input_shape, with_seed(options).seed),
      height_(height),
      width_(width),
      options_(std::move(options)) {
  options_.seed = seed_;
  if (height_ <= 0 || width_ <= 0)
    throw ValueError(where() + "`height` and `width` must be positive integers. Received: height=" +
                     std::to_string(height_) + ", width=" + std::to_string(width_));
  options_.data_format = check_data_format(where(), options_.data_format);
}

Value RandomCrop::call(Value x, CallContext& ctx) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  if (!ctx.training) return image_unbatch(x, unbatched);
  const bool cf = options_.data_format == "channels_first";
  const int h_axis = cf ? 2 : 1, w_axis = h_axis + 1;
  const std::int64_t in_h = x.dim(h_axis), in_w = x.dim(w_axis);
  if (in_h > height_ && in_w > width_) {
    AffineTransformAttrs a;
    a.params = AffineParams::crop;
    a.interpolation = ImageInterpolation::nearest;
    a.height = height_, a.width = width_;
    a.channels_first = cf;
    Value corner = draw_noise(ctx, [&](Value seed) { return ops::random_uniform(seed, {1, 2}, 0); });
    return image_unbatch(ops::affine_transform(x, corner, a), unbatched);
  }
  // Keras's fallback: the window starts where a centred crop to the aspect ratio would, then is resized
  auto crop_h = static_cast<std::int64_t>(static_cast<double>(in_w * height_) / static_cast<double>(width_));
  crop_h = std::max<std::int64_t>(std::min(in_h, crop_h), 1);
  auto crop_w = static_cast<std::int64_t>(static_cast<double>(in_h * width_) / static_cast<double>(height_));
  crop_w = std::max<std::int64_t>(std::min(in_w, crop_w), 1);
  const auto top = static_cast<std::int64_t>(static_cast<double>(in_h - crop_h) / 2);
  const auto left = static_cast<std::int64_t>(static_cast<double>(in_w - crop_w) / 2);
  const Shape shape = x.shape();  // a copy: Value::shape() returns by value
  std::vector<std::int64_t> begin(4, 0), end(shape.begin(), shape.end());
  begin[h_axis] = top, end[h_axis] = std::min(in_h, top + height_);
  begin[w_axis] = left, end[w_axis] = std::min(in_w, left + width_);
  Value y = resize_images(ops::slice(x, begin, end), height_, width_, ImageInterpolation::bilinear, false, false,
                          0.0f, cf);
  return image_unbatch(y, unbatched);
}

nlohmann::json RandomCrop::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["height"] = height_;
  c["width"] = width_;
  c["seed"] = seed_config();
  return c;
}

std::shared_ptr<RandomCrop> RandomCrop::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RandomCrop");
  RandomCropOptions o;
  o.seed = seed_from_config(config);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<RandomCrop>(c.get_int("height"), c.get_int("width"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
