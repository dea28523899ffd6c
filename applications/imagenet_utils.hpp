#pragma once
// keras.applications.imagenet_utils: preprocessing, decoding of ImageNet predictions, and the argument checks every
// application shares (Keras's obtain_input_shape and the weights/classes/pooling head checks).
#include <optional>
#include <string>
#include <vector>

#include <strata/api/model.hpp>
#include <strata/api/symbolic_tensor.hpp>
#include <strata/api/tensor.hpp>
#include <strata/applications/application.hpp>
#include <strata/layers/reshaping/padding_spec.hpp>

namespace strata::applications::imagenet_utils {

/// Scales a batch of images (values in [0, 255], any numeric dtype, 3D or 4D) as the published weights expect:
/// "caffe": RGB -> BGR, then minus the ImageNet channel means; "tf": to [-1, 1]; "torch": to [0, 1], then
/// normalized by the ImageNet means and standard deviations. Returns float32. data_format "" is channels_last.
Tensor preprocess_input(const Tensor& x, const std::string& data_format = "", const std::string& mode = "caffe");

/// One guess of decode_predictions: (class_name, class_description, score) as Keras's tuple.
struct Prediction {
  std::string class_name;   // WordNet id, e.g. "n01440764"
  std::string description;  // e.g. "tench"
  float score = 0;
};

/// The `top` best classes of each row of `preds` (samples, 1000), best first.
std::vector<std::vector<Prediction>> decode_predictions(const Tensor& preds, int top = 5);

/// The 1000 ImageNet classes (WordNet id, description), by index; shipped in the library
/// (applications/data/imagenet_class_index.json, embedded at build time).
const std::vector<std::pair<std::string, std::string>>& class_index();

/// Keras's obtain_input_shape: the per-sample input shape of a model (-1 for None), or ValueError in Keras's words.
/// `input_shape` empty means None; `weights` is "imagenet" only for Keras's published-weights checks.
Shape obtain_input_shape(const Shape& input_shape, std::int64_t default_size, std::int64_t min_size,
                         const std::string& data_format, bool require_flatten, const std::string& weights = "");

/// Keras's correct_pad: the ((top, bottom), (left, right)) zero padding before a strided "valid" convolution.
layers::PaddingSpec correct_pad(const SymbolicTensor& inputs, int kernel_size);

/// The checks every application makes first: `weights` is empty or an existing file ("imagenet" cannot be
/// downloaded here), `pooling` is "", "avg" or "max", and `classes` is positive.
void check_application_options(const ApplicationOptions& options, const std::string& application);

/// Keras's validate_activation: with weights given, the classifier must be softmax or linear (None).
void validate_activation(const std::string& classifier_activation, const std::string& weights);

/// Keras's automatic layer name ("conv2d", then "conv2d_1", ...), taken when the layer is created as Keras does, so
/// unnamed layers number in Keras's creation order.
std::string auto_name(const std::string& base);

/// The model's input: options.input_tensor, or a new Input of `input_shape`.
SymbolicTensor application_input(const ApplicationOptions& options, const Shape& input_shape);

/// The Input tensors `tensor` is computed from (Keras's get_source_inputs).
std::vector<SymbolicTensor> source_inputs(const SymbolicTensor& tensor);

/// Builds the functional Model from the input to `output` (source inputs of options.input_tensor when given), named
/// options.name or `default_name`, and loads options.weights when given.
std::shared_ptr<Model> finish_application(const ApplicationOptions& options, const SymbolicTensor& img_input,
                                          const SymbolicTensor& output, const std::string& default_name);

}  // namespace strata::applications::imagenet_utils
