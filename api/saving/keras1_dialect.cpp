#include <strata/api/saving/keras1_dialect.hpp>

#include <numeric>
#include <utility>
#include <vector>

#include <strata/api/errors.hpp>
#include <strata/api/layer.hpp>

namespace strata::saving {

namespace {

using nlohmann::json;
using Renames = std::vector<std::pair<const char*, const char*>>;

/// Keras 2's legacy interfaces: argument renames per layer family.
const Renames kWeightArgs = {{"init", "kernel_initializer"},       {"W_regularizer", "kernel_regularizer"},
                             {"b_regularizer", "bias_regularizer"}, {"W_constraint", "kernel_constraint"},
                             {"b_constraint", "bias_constraint"},   {"bias", "use_bias"}};

void rename(json& c, const Renames& renames) {
  for (const auto& [from, to] : renames) {
    if (!c.contains(from)) continue;
    if (!c.contains(to)) c[to] = c.at(from);
    c.erase(from);
  }
}

/// dim_ordering "tf"/"th"/"default" -> data_format.
void dim_ordering(json& c) {
  if (!c.contains("dim_ordering")) return;
  const json v = c.at("dim_ordering");
  c.erase("dim_ordering");
  if (v == "th") c["data_format"] = "channels_first";
  else if (v == "tf") c["data_format"] = "channels_last";
}

void input_shape_from(json& c, json shape) {
  if (!c.contains("batch_input_shape")) {
    shape.insert(shape.begin(), nullptr);
    c["batch_input_shape"] = shape;
  }
}

/// Whether the entry is in Keras 1's terms: its class name or an argument only Keras 1 used.
bool is_keras1(const std::string& cls, const json& c) {
  static const char* classes[] = {"Convolution1D", "Convolution2D", "Convolution3D", "AtrousConvolution1D",
                                  "AtrousConvolution2D", "Merge"};
  for (const char* k : classes)
    if (cls == k) return true;
  for (const char* key : {"input_dtype", "border_mode", "dim_ordering", "nb_filter", "init", "W_regularizer",
                          "beta_init", "pool_length", "subsample_length", "filter_length"})
    if (c.contains(key)) return true;
  return (cls == "Dense" && c.contains("output_dim")) || (cls == "Dropout" && c.contains("p"));
}

json upgrade_merge(const json& c) {
  const std::string mode = c.value("mode", "sum");
  json out = {{"name", c.value("name", "merge")}, {"trainable", c.value("trainable", true)}};
  if (mode == "sum") return {{"class_name", "Add"}, {"config", out}};
  if (mode == "mul") return {{"class_name", "Multiply"}, {"config", out}};
  if (mode == "ave") return {{"class_name", "Average"}, {"config", out}};
  if (mode == "max") return {{"class_name", "Maximum"}, {"config", out}};
  if (mode == "concat") {
    out["axis"] = c.value("concat_axis", -1);
    return {{"class_name", "Concatenate"}, {"config", out}};
  }
  throw UnsupportedError("Merge layer '" + out.at("name").get<std::string>() + "': Keras 1's mode '" + mode +
                         "' has no Keras 2 layer strata reads (sum, mul, ave, max and concat do)");
}

}  // namespace

json upgrade_keras1_layer(const json& entry) {
  if (!entry.is_object() || !entry.contains("class_name") || !entry.at("class_name").is_string() ||
      !entry.contains("config") || !entry.at("config").is_object())
    return entry;
  std::string cls = entry.at("class_name");
  json c = entry.at("config");
  if (!is_keras1(cls, c)) return entry;
  json out = entry;
  if (cls == "Merge") {
    json merged = upgrade_merge(c);
    out["class_name"] = merged.at("class_name");
    out["config"] = merged.at("config");
    return out;
  }
  rename(c, {{"input_dtype", "dtype"}});
  if (cls.starts_with("AtrousConvolution")) {
    rename(c, {{"atrous_rate", "dilation_rate"}});
    cls = "Conv" + cls.substr(std::string("AtrousConvolution").size());
  } else if (cls.starts_with("Convolution")) {
    cls = "Conv" + cls.substr(std::string("Convolution").size());
  }
  if (cls == "Dense") {
    rename(c, {{"output_dim", "units"}});
    rename(c, kWeightArgs);
    if (c.contains("input_dim") && !c.at("input_dim").is_null()) input_shape_from(c, json::array({c.at("input_dim")}));
    c.erase("input_dim");
  } else if (cls == "Conv1D") {
    rename(c, {{"nb_filter", "filters"}, {"filter_length", "kernel_size"}, {"subsample_length", "strides"},
               {"border_mode", "padding"}});
    rename(c, kWeightArgs);
    if (c.contains("input_dim") && !c.at("input_dim").is_null())
      input_shape_from(c, json::array({c.value("input_length", json()), c.at("input_dim")}));
    c.erase("input_dim");
    c.erase("input_length");
  } else if (cls == "Conv2D" || cls == "Conv3D") {
    if (c.contains("nb_row")) {
      c["kernel_size"] = json::array({c.at("nb_row"), c.at("nb_col")});
      c.erase("nb_row");
      c.erase("nb_col");
    }
    if (c.contains("kernel_dim1")) {
      c["kernel_size"] = json::array({c.at("kernel_dim1"), c.at("kernel_dim2"), c.at("kernel_dim3")});
      for (const char* k : {"kernel_dim1", "kernel_dim2", "kernel_dim3"}) c.erase(k);
    }
    rename(c, {{"nb_filter", "filters"}, {"subsample", "strides"}, {"border_mode", "padding"}});
    rename(c, kWeightArgs);
    dim_ordering(c);
  } else if (cls == "MaxPooling1D" || cls == "AveragePooling1D") {
    rename(c, {{"pool_length", "pool_size"}, {"stride", "strides"}, {"border_mode", "padding"}});
  } else if (cls == "BatchNormalization") {
    if (c.contains("mode") && c.at("mode") != 0)
      throw UnsupportedError("BatchNormalization layer '" + c.value("name", std::string()) +
                             "': Keras 1's mode=" + c.at("mode").dump() +
                             " (per-sample or feature-wise statistics) was dropped in Keras 2 and is not supported");
    c.erase("mode");
    rename(c, {{"beta_init", "beta_initializer"}, {"gamma_init", "gamma_initializer"}});
  } else if (cls == "Dropout" || cls == "GaussianDropout" || cls.starts_with("SpatialDropout")) {
    rename(c, {{"p", "rate"}});
    dim_ordering(c);
  } else if (cls == "GaussianNoise") {
    rename(c, {{"sigma", "stddev"}});
  } else if (cls == "PReLU") {
    rename(c, {{"init", "alpha_initializer"}});
  } else if (cls == "UpSampling1D") {
    rename(c, {{"length", "size"}});
  }
  // pooling 2D/3D, global pooling, up-sampling, padding and cropping
  rename(c, {{"border_mode", "padding"}});
  dim_ordering(c);
  out["class_name"] = cls;
  out["config"] = c;
  return out;
}

void use_keras2_meanings(json& config, const std::string& keras_version) {
  if (!keras_version.starts_with("1.") && !keras_version.starts_with("2.")) return;
  if (config.is_array()) {
    for (auto& e : config) use_keras2_meanings(e, keras_version);
  } else if (config.is_object()) {
    for (auto& [k, v] : config.items()) {
      if ((k == "activation" || k == "recurrent_activation") && v == "hard_sigmoid") v = "keras2_hard_sigmoid";
      else use_keras2_meanings(v, keras_version);
    }
  }
}

namespace {

/// x transposed so that axis i of the result is axis perm[i] of x.
Tensor permuted(const Tensor& x, const std::vector<int>& perm) {
  const Shape& in = x.shape();
  Shape out_shape(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) out_shape[i] = in[static_cast<std::size_t>(perm[i])];
  Tensor out(out_shape, x.dtype());
  std::vector<std::int64_t> in_strides(in.size(), 1);
  for (std::size_t i = in.size() - 1; i > 0; --i) in_strides[i - 1] = in_strides[i] * in[i];
  const float* src = x.data<float>();
  float* dst = out.data<float>();
  std::vector<std::int64_t> idx(perm.size(), 0);
  for (std::int64_t flat = 0; flat < out.size(); ++flat) {
    std::int64_t offset = 0;
    for (std::size_t i = 0; i < perm.size(); ++i) offset += idx[i] * in_strides[static_cast<std::size_t>(perm[i])];
    dst[flat] = src[offset];
    for (std::size_t i = perm.size(); i-- > 0;) {
      if (++idx[i] < out_shape[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

/// The kernel (k..., in, out) reversed along its spatial axes: Theano convolved, TensorFlow correlates.
Tensor flipped_in_space(const Tensor& w) {
  const Shape& s = w.shape();
  const std::size_t spatial = s.size() - 2;
  Tensor out(s, w.dtype());
  const std::int64_t inner = s[spatial] * s[spatial + 1];
  std::vector<std::int64_t> idx(spatial, 0);
  const std::int64_t cells = w.size() / inner;
  for (std::int64_t cell = 0; cell < cells; ++cell) {
    std::int64_t mirrored = 0;
    for (std::size_t i = 0; i < spatial; ++i) mirrored = mirrored * s[i] + (s[i] - 1 - idx[i]);
    std::copy_n(w.data<float>() + cell * inner, inner, out.data<float>() + mirrored * inner);
    for (std::size_t i = spatial; i-- > 0;) {
      if (++idx[i] < s[i]) break;
      idx[i] = 0;
    }
  }
  return out;
}

}  // namespace

Tensor to_current_layout(const Layer& layer, std::size_t index, Tensor weight, const Shape& expected,
                         const WeightsOrigin& origin) {
  const std::string cls = layer.class_name();
  const bool conv = cls == "Conv1D" || cls == "Conv2D" || cls == "Conv3D" || cls == "Conv2DTranspose";
  if (!conv || index != 0 || weight.dtype() != DType::float32) return weight;
  const std::size_t rank = expected.size();
  if (origin.keras_version.starts_with("1") && weight.shape() != expected) {
    const Shape& s = weight.shape();
    if (cls == "Conv1D" && s.size() == 4) {
      // Keras 1.1: (k, 1, in, out), or (out, in, k, 1) in Theano's ordering
      if (s[3] == 1 && s[0] == expected[2]) weight = permuted(weight, {2, 3, 1, 0});
      weight = weight.reshape({weight.shape()[0], weight.shape()[2], weight.shape()[3]});
    } else if (s.size() == rank && rank >= 3) {
      // channels_first kernels were (out, in, k...) -> (k..., in, out); Conv2DTranspose's (k..., out, in)
      std::vector<int> perm;
      for (std::size_t i = 2; i < rank; ++i) perm.push_back(static_cast<int>(i));
      if (cls == "Conv2DTranspose") perm.insert(perm.end(), {0, 1});
      else perm.insert(perm.end(), {1, 0});
      Tensor t = permuted(weight, perm);
      if (t.shape() == expected) weight = std::move(t);
    }
  }
  // as Keras 2: Theano and MXNet convolve, TensorFlow (and strata) correlate
  if ((origin.backend == "theano" || origin.backend == "mxnet") && weight.shape() == expected)
    weight = flipped_in_space(weight);
  return weight;
}

}  // namespace strata::saving
