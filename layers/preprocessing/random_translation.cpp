#include <strata/layers/preprocessing/random_translation.hpp>

#include <strata/api/saving/config_reader.hpp>
#include <strata/layers/pooling/pooling.hpp>

namespace strata::layers {

namespace {

/// RandomTranslation._set_factor: every value in [-1, 1]; a number f gives [-|f|, |f|].
std::pair<double, double> translation_range(const Factor& factor, const std::string& name, const std::string& where) {
  const auto& v = factor.values();
  const std::string error = where + "The `factor` argument should be a number (or a list of two numbers) in the "
                            "range [-1.0, 1.0]. ";
  if (v.size() != 1 && v.size() != 2) throw ValueError(error + "Received: " + name + "=" + factor.str());
  for (double f : v)
    if (!(f <= 1.0 && f >= -1.0)) throw ValueError(error + "Received: input_number=" + Factor(f).str());
  if (v.size() == 2) return {std::min(v[0], v[1]), std::max(v[0], v[1])};
  return {-std::abs(v[0]), std::abs(v[0])};
}

}  // namespace

RandomTranslation::RandomTranslation(Factor height_factor, Factor width_factor, RandomTranslationOptions options)
    : NoiseLayer(options.name, options.input_shape, options.seed),
      height_factor_(std::move(height_factor)),
      width_factor_(std::move(width_factor)),
      options_(std::move(options)) {
  std::tie(height_lower_, height_upper_) = translation_range(height_factor_, "height_factor", where());
  std::tie(width_lower_, width_upper_) = translation_range(width_factor_, "width_factor", where());
  options_.data_format = check_data_format(where(), options_.data_format);
  attrs_.params = AffineParams::translation;
  attrs_.fill_mode = parse_fill_mode(options_.fill_mode, where());
  attrs_.interpolation = parse_affine_interpolation(options_.interpolation, where());
  attrs_.fill_value = static_cast<float>(options_.fill_value);
  attrs_.channels_first = options_.data_format == "channels_first";
}

Value RandomTranslation::call(Value x, CallContext& ctx) {
  bool unbatched = false;
  x = image_batch(x, where(), unbatched);
  if (!ctx.training) return image_unbatch(x, unbatched);
  const std::int64_t n = x.dim(0);
  const bool cf = attrs_.channels_first;
  const auto height = static_cast<float>(x.dim(cf ? 2 : 1)), width = static_cast<float>(x.dim(cf ? 3 : 2));
  Value shifts = draw_noise(ctx, [&](Value seed) {
    const auto hlo = static_cast<float>(height_lower_), hhi = static_cast<float>(height_upper_);
    const auto wlo = static_cast<float>(width_lower_), whi = static_cast<float>(width_upper_);
    Value dy = (ops::random_uniform(seed, {n, 1}, 0) * (hhi - hlo) + hlo) * height;
    Value dx = (ops::random_uniform(seed, {n, 1}, 1) * (whi - wlo) + wlo) * width;
    return ops::concat({dx, dy}, 1);
  });
  return image_unbatch(ops::affine_transform(x, shifts, attrs_), unbatched);
}

nlohmann::json RandomTranslation::get_config() const {
  nlohmann::json c = Layer::get_config();
  c["data_format"] = options_.data_format;
  c["height_factor"] = height_factor_.to_json();
  c["width_factor"] = width_factor_.to_json();
  c["fill_mode"] = options_.fill_mode;
  c["interpolation"] = options_.interpolation;
  c["seed"] = seed_config();
  c["fill_value"] = options_.fill_value;
  return c;
}

std::shared_ptr<RandomTranslation> RandomTranslation::from_config(const nlohmann::json& config) {
  ConfigReader c(config, "RandomTranslation");
  RandomTranslationOptions o;
  o.fill_mode = c.get_string("fill_mode", "reflect");
  o.interpolation = c.get_string("interpolation", "bilinear");
  o.seed = seed_from_config(config);
  o.fill_value = c.get_double("fill_value", 0.0);
  o.data_format = c.get_string("data_format", "channels_last");
  o.name = c.name();
  o.input_shape = c.input_shape();
  auto layer = std::make_shared<RandomTranslation>(
      Factor::from_json(c.json().at("height_factor"), c.where(), "height_factor"),
      Factor::from_json(c.json().at("width_factor"), c.where(), "width_factor"), o);
  c.apply_base(*layer);
  return layer;
}

}  // namespace strata::layers
