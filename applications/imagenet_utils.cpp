#include <strata/applications/imagenet_utils.hpp>

#include <algorithm>
#include <filesystem>
#include <numeric>

#include <nlohmann/json.hpp>

#include <strata/api/errors.hpp>
#include <strata/layers/core/input_layer.hpp>

namespace strata::applications::imagenet_utils {

namespace detail {
extern const char* const imagenet_class_index_json;
}

namespace {

std::string resolve_data_format(const std::string& data_format) {
  if (data_format.empty()) return "channels_last";
  if (data_format != "channels_first" && data_format != "channels_last")
    throw ValueError("Expected data_format to be one of `channels_first` or `channels_last`. Received: data_format=" +
                     data_format);
  return data_format;
}

}  // namespace

std::string auto_name(const std::string& base) { return Layer::unique_name(base); }

Tensor preprocess_input(const Tensor& x, const std::string& data_format, const std::string& mode) {
  if (mode != "caffe" && mode != "tf" && mode != "torch")
    throw ValueError("Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=" + mode);
  const std::string format = resolve_data_format(data_format);
  Tensor out(x.shape(), DType::float32);
  convert_elements(x.raw(), x.dtype(), out.raw(), DType::float32, static_cast<std::size_t>(x.size()));
  float* v = out.data<float>();
  const std::int64_t n = out.size();
  if (mode == "tf") {
    for (std::int64_t i = 0; i < n; ++i) v[i] = v[i] / 127.5f - 1.0f;
    return out;
  }
  // the channel axis and the stride between channels of one pixel
  const bool first = format == "channels_first";
  const int channel_axis = first ? (out.ndim() == 3 ? 0 : 1) : out.ndim() - 1;
  if (out.ndim() < 1 || out.shape()[channel_axis] != 3)
    throw ValueError("preprocess_input expects 3 color channels on axis " + std::to_string(channel_axis) +
                     " (" + format + "). Received: x.shape=" + shape_str(out.shape()));
  std::int64_t inner = 1, outer = 1;
  for (int a = channel_axis + 1; a < out.ndim(); ++a) inner *= out.shape()[a];
  for (int a = 0; a < channel_axis; ++a) outer *= out.shape()[a];
  float mean[3], stdev[3] = {1, 1, 1};
  bool bgr = false;
  if (mode == "torch") {
    for (std::int64_t i = 0; i < n; ++i) v[i] /= 255.0f;
    const float m[3] = {0.485f, 0.456f, 0.406f}, s[3] = {0.229f, 0.224f, 0.225f};
    std::copy(m, m + 3, mean);
    std::copy(s, s + 3, stdev);
  } else {  // caffe
    bgr = true;
    const float m[3] = {103.939f, 116.779f, 123.68f};
    std::copy(m, m + 3, mean);
  }
  for (std::int64_t o = 0; o < outer; ++o) {
    float* block = v + o * 3 * inner;
    for (std::int64_t i = 0; i < inner; ++i) {
      float c[3] = {block[i], block[inner + i], block[2 * inner + i]};
      if (bgr) std::swap(c[0], c[2]);
      for (int k = 0; k < 3; ++k) block[k * inner + i] = (c[k] - mean[k]) / stdev[k];
    }
  }
  return out;
}

const std::vector<std::pair<std::string, std::string>>& class_index() {
  static const std::vector<std::pair<std::string, std::string>> index = [] {
    auto json = nlohmann::json::parse(detail::imagenet_class_index_json);
    std::vector<std::pair<std::string, std::string>> classes(json.size());
    for (auto& [key, entry] : json.items())
      classes.at(std::stoul(key)) = {entry.at(0).get<std::string>(), entry.at(1).get<std::string>()};
    return classes;
  }();
  return index;
}

std::vector<std::vector<Prediction>> decode_predictions(const Tensor& preds, int top) {
  if (preds.ndim() != 2 || preds.shape()[1] != 1000)
    throw ValueError(
        "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). "
        "Received array with shape: " +
        shape_str(preds.shape()));
  if (top < 0) throw ValueError("`top` must be non-negative. Received: top=" + std::to_string(top));
  Tensor scores(preds.shape(), DType::float32);
  convert_elements(preds.raw(), preds.dtype(), scores.raw(), DType::float32, static_cast<std::size_t>(preds.size()));
  const auto& classes = class_index();
  std::vector<std::vector<Prediction>> results;
  for (std::int64_t r = 0; r < preds.shape()[0]; ++r) {
    const float* row = scores.data<float>() + r * 1000;
    // numpy's argsort()[-top:][::-1]: ascending order, the last `top`, reversed
    std::vector<int> order(1000);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return row[a] < row[b]; });
    const int count = std::min(top, 1000);
    std::vector<Prediction> result;
    for (int k = 0; k < count; ++k) {
      int i = order[999 - k];
      result.push_back({classes[i].first, classes[i].second, row[i]});
    }
    std::stable_sort(result.begin(), result.end(), [](const Prediction& a, const Prediction& b) {
      return a.score > b.score;
    });
    results.push_back(std::move(result));
  }
  return results;
}

Shape obtain_input_shape(const Shape& input_shape, std::int64_t default_size, std::int64_t min_size,
                         const std::string& data_format, bool require_flatten, const std::string& weights) {
  const bool imagenet = weights == "imagenet";
  const bool channels_first = data_format == "channels_first";
  Shape default_shape;
  if (!imagenet && input_shape.size() == 3) {
    // Keras only warns about a channel count other than 1 or 3
    default_shape = channels_first ? Shape{input_shape[0], default_size, default_size}
                                   : Shape{default_size, default_size, input_shape[2]};
  } else {
    default_shape = channels_first ? Shape{3, default_size, default_size} : Shape{default_size, default_size, 3};
  }
  if (imagenet && require_flatten) {
    if (!input_shape.empty() && input_shape != default_shape)
      throw ValueError("When setting `include_top=True` and loading `imagenet` weights, `input_shape` should be " +
                       shape_str(default_shape) + ".  Received: input_shape=" + shape_str(input_shape));
    return default_shape;
  }
  Shape shape = input_shape;
  if (!shape.empty()) {
    if (shape.size() != 3) throw ValueError("`input_shape` must be a tuple of three integers.");
    const std::int64_t channels = channels_first ? shape[0] : shape[2];
    if (channels != 3 && imagenet)
      throw ValueError("The input must have 3 channels; Received `input_shape=" + shape_str(shape) + "`");
    const std::int64_t h = channels_first ? shape[1] : shape[0], w = channels_first ? shape[2] : shape[1];
    if ((h >= 0 && h < min_size) || (w >= 0 && w < min_size))
      throw ValueError("Input size must be at least " + std::to_string(min_size) + "x" + std::to_string(min_size) +
                       "; Received: input_shape=" + shape_str(shape));
  } else if (require_flatten) {
    shape = default_shape;
  } else {
    shape = channels_first ? Shape{3, -1, -1} : Shape{-1, -1, 3};
  }
  if (require_flatten && std::find(shape.begin(), shape.end(), -1) != shape.end())
    throw ValueError("If `include_top` is True, you should specify a static `input_shape`. Received: input_shape=" +
                     shape_str(shape));
  return shape;
}

layers::PaddingSpec correct_pad(const SymbolicTensor& inputs, int kernel_size) {
  const Shape& s = inputs.shape();  // (batch, h, w, c): strata's applications are channels_last
  int adjust_h = 1, adjust_w = 1;
  if (s.size() >= 3 && s[1] >= 0) {
    adjust_h = 1 - static_cast<int>(s[1] % 2);
    adjust_w = 1 - static_cast<int>(s[2] % 2);
  }
  const int correct = kernel_size / 2;
  return layers::PaddingSpec({{correct - adjust_h, correct}, {correct - adjust_w, correct}});
}

void check_application_options(const ApplicationOptions& options, const std::string& application) {
  if (options.weights == "imagenet")
    throw ValueError(application +
                     ": strata downloads nothing; pass the path of the Keras weights file instead of 'imagenet' "
                     "(e.g. the published " +
                     application + " .h5 file). Received: weights=imagenet");
  if (!options.weights.empty() && !std::filesystem::exists(options.weights))
    throw ValueError(
        "The `weights` argument should be either `None` (random initialization), 'imagenet' (pre-training on "
        "ImageNet), or the path to the weights file to be loaded.  Received: weights=" +
        options.weights);
  if (options.pooling != "" && options.pooling != "avg" && options.pooling != "max")
    throw ValueError(application + ": `pooling` should be one of '' (None), 'avg' or 'max'. Received: pooling=" +
                     options.pooling);
  if (options.classes <= 0)
    throw ValueError(application + ": `classes` should be a positive integer. Received: classes=" +
                     std::to_string(options.classes));
}

void validate_activation(const std::string& classifier_activation, const std::string& weights) {
  if (weights.empty()) return;
  if (classifier_activation != "softmax" && classifier_activation != "linear" && !classifier_activation.empty())
    throw ValueError(
        "Only `None` and `softmax` activations are allowed for the `classifier_activation` argument when using "
        "pretrained weights, with `include_top=True`; Received: classifier_activation=" +
        classifier_activation);
}

SymbolicTensor application_input(const ApplicationOptions& options, const Shape& input_shape) {
  if (options.input_tensor) return *options.input_tensor;
  return Input(input_shape);
}

std::vector<SymbolicTensor> source_inputs(const SymbolicTensor& tensor) {
  if (!tensor.node() || dynamic_cast<layers::InputLayer*>(tensor.node()->layer.get())) return {tensor};
  std::vector<SymbolicTensor> sources;
  for (const auto& in : tensor.node()->inputs)
    for (auto& s : source_inputs(in))
      if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
  return sources;
}

std::shared_ptr<Model> finish_application(const ApplicationOptions& options, const SymbolicTensor& img_input,
                                          const SymbolicTensor& output, const std::string& default_name) {
  std::vector<SymbolicTensor> inputs =
      options.input_tensor ? source_inputs(*options.input_tensor) : std::vector<SymbolicTensor>{img_input};
  auto model = std::make_shared<Model>(inputs, std::vector<SymbolicTensor>{output},
                                       options.name.empty() ? default_name : options.name);
  if (!options.weights.empty()) model->load_weights(options.weights);
  return model;
}

}  // namespace strata::applications::imagenet_utils
