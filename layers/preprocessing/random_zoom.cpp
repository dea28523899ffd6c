#include <strata/layers/preprocessing/random_zoom.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

namespace {

/// RandomZoom._set_factor: every value in (-1, 1]; a number f gives [-|f|, |f|].
std::pair<double, double> zoom_range(const Factor& factor, const std::string& name, const std::string& where) {
  const auto& v = factor.values();
  const std::string error = where + "The `height_factor` and `width_factor` arguments should be a number (or a list "
                            "of two numbers) in the range (-1.0, 1.0]. ";
  if (v.size() != 1 && v.size() != 2) throw ValueError(error + "Received: " + name + "=" + factor.str());
  for (double f : v)
    if (!(f <= 1.0 && f > -1.0)) throw ValueError(error + "Received: input_number=" + Factor(f).str());
  if (v.size() == 2) return {std::min(v[0], v[1]), std::max(v[0], v[1])};
  return {-std::abs(v[0]), std::abs(v[0])};
}

}  // namespace

RandomZoom::RandomZoom(Factor height_factor, RandomZoomOptions options)
    : NoiseLayer(options.name, options.input_shape, options.seed),
      height_factor_(std::move(height_factor)),
      options_(std::move(options)) {
  std::tie(height_lower_, height_upper_) = zoom_range(height_factor_, "height_factor", where());
  if (options_.width_factor)
    std::tie(width_lower_, width_upper_) = zoom_range(*options_.width_factor, "width_factor", where());
  options_.data_format = check_data_format(where(), options_.data_format);
  attrs_.params = AffineParams::zoom;
  attrs_.fill_mode = parse_fill_mode(options_.fill_mode, where());
  attrs_.interpolation = parse_affine_interpolation(options_.interpolation, where());
  attrs_.fill_value = static_cast<float>(options_.fill_value);
  attrs_.channels_first = options_.data_format == "channels_first";
}

Value RandomZoom::call(Value x, CallContext& ctx) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  if (!ctx.training) return image_unbatch(x, unbatched);
  const std::int64_t n = x.dim(0);
  Value zooms = draw_noise(ctx, [&](Value seed) {
    const auto lo = static_cast<float>(1.0 + height_lower_), hi = static_cast<float>(1.0 + height_upper_);
    Value zoom_y = ops::random_uniform(seed, {n, 1}, 0) * (hi - lo) + lo;
    Value zoom_x = zoom_y;
    if (options_.width_factor) {
      const auto wlo = static_cast<float>(1.0 + width_lower_), whi = static_cast<float>(1.0 + width_upper_);
      zoom_x = ops::random_uniform(seed, {n, 1}, 1) * (whi - wlo) + wlo;
    }
    return ops::concat({zoom_x, zoom_y}, 1);
  });
  return image_unbatch(ops::affine_transform(x, zooms, attrs_), unbatched);
}

nlohmann::json RandomZoom::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["height_factor"] = height_factor_.to_json();
  c["width_factor"] = options_.width_factor ? options_.width_factor->to_json() : nlohmann::json(nullptr);
  c["fill_mode"] = options_.fill_mode;
  c["interpolation"] = options_.interpolation;
  c["seed"] = seed_config();
  c["fill_value"] = options_.fill_value;
  return c;
}

std::shared_ptr<RandomZoom> RandomZoom::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RandomZoom");
  RandomZoomOptions o;
  if (c.has("width_factor") && !c.json().at("width_factor").is_null())
    o.width_factor = Factor::from_json(c.json().at("width_factor"), c.where(), "width_factor");
  o.fill_mode = c.get_string("fill_mode", "reflect");
  o.interpolation = c.get_string("interpolation", "bilinear");
  o.seed = seed_from_config(config);
  o.fill_value = c.get_double("fill_value", 0.0);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer =
      std::make_shared<RandomZoom>(Factor::from_json(c.json().at("height_factor"), c.where(), "height_factor"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
