// Transfer learning with keras.applications, as Keras's transfer-learning guide does it: a pretrained MobileNet base
// (headless, average pooled) frozen under a new classifier head; then the base is unfrozen and the whole model
// fine-tuned at a low learning rate.
// Nothing can be downloaded here, so without a weights file the example first makes its own pretrained base:
// MobileNet (alpha 0.25, 32x32) trained on Fashion-MNIST classes 0-4 (tops, trousers, pullovers, dresses, coats) and
// saved as a _no_top weights file like Keras's published ones. The new task is classes 5-9 (sandals, shirts,
// sneakers, bags, ankle boots), which that base never saw; a random base under the same frozen recipe is the baseline.
// Usage: transfer_learning [BASE_WEIGHTS.h5 | -] [train_samples (per task, default 15000)] [work_dir] [seed]
//   BASE_WEIGHTS.h5: a MobileNet(alpha=0.25) _no_top file for 32x32 inputs; given, the pretraining is skipped
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <strata/strata.hpp>

using namespace strata;

constexpr std::int64_t kClasses = 5;

// Up to n images of classes first..first+4 as float32 (n, 32, 32, 3): zero-padded from 28x28, the gray channel
// repeated, scaled as mobilenet.preprocess_input scales [0, 255] (to [-1, 1]); labels 0..4
datasets::Split five_classes(const datasets::Split& split, int first, std::int64_t n) {
  std::vector<std::int64_t> picked;
  for (std::int64_t i = 0; i < split.y.shape()[0] && std::ssize(picked) < n; ++i)
    if (int label = split.y.at<std::uint8_t>({i}); label >= first && label < first + kClasses) picked.push_back(i);
  const auto count = std::ssize(picked);
  Tensor x({count, 32, 32, 3}), y({count}, DType::int32);
  for (std::int64_t k = 0; k < count; ++k) {
    const std::uint8_t* image = split.x.data<std::uint8_t>() + picked[k] * 28 * 28;
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c)
        for (int ch = 0; ch < 3; ++ch) x.data<float>()[((k * 32 + r + 2) * 32 + c + 2) * 3 + ch] = image[r * 28 + c];
    y.data<std::int32_t>()[k] = split.y.at<std::uint8_t>({picked[k]}) - first;
  }
  return {applications::mobilenet::preprocess_input(x), y};
}

std::shared_ptr<Model> mobilenet_base(const std::string& weights) {
  return applications::MobileNet(
      {.include_top = false, .weights = weights, .input_shape = {32, 32, 3}, .pooling = "avg"}, {.alpha = 0.25});
}

// base -> Dropout -> Dense(5, softmax), the guide's new head
Model with_new_head(const std::shared_ptr<Model>& base) {
  SymbolicTensor inputs = Input({32, 32, 3});
  SymbolicTensor x = layers::Dropout(0.2)((*base)(inputs));
  return Model(inputs, layers::Dense(kClasses, {.activation = "softmax"})(x));
}

void compile(Model& model, double learning_rate) {
  model.compile({.optimizer = optimizers::Adam({.learning_rate = learning_rate}),
                 .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
}

double accuracy(Model& model, const datasets::Split& test) {
  return model.evaluate(test.x, test.y, {.batch_size = 256, .verbose = 0}).at("accuracy");
}

int main(int argc, char** argv) {
  std::string weights = argc > 1 && std::string(argv[1]) != "-" ? argv[1] : "";
  const std::int64_t n_train = argc > 2 ? std::stoll(argv[2]) : 15000;
  const std::filesystem::path work_dir = argc > 3 ? argv[3] : std::filesystem::temp_directory_path();
  set_random_seed(argc > 4 ? std::stoi(argv[4]) : 7);
  auto [train, test] = datasets::fashion_mnist::load_data();

  if (weights.empty()) {  // pretraining: the stand-in for ImageNet
    auto base = mobilenet_base("");
    Model model = with_new_head(base);
    compile(model, 1e-3);
    auto [x, y] = five_classes(train, 0, n_train);
    model.fit(x, y, {.batch_size = 32, .epochs = 2, .verbose = 2});
    // a last epoch at a lower rate: the moving statistics (momentum 0.99) catch up with weights that now move slowly
    compile(model, 1e-4);
    model.fit(x, y, {.batch_size = 64, .epochs = 1, .verbose = 2});
    std::cout << "Pretrained base: test accuracy on classes 0-4 " << accuracy(model, five_classes(test, 0, 5000))
              << "\n";
    weights = (work_dir / "mobilenet_2_5_32_tf_no_top.h5").string();
    base->save_weights(weights);  // ".h5": the legacy layout of Keras's published files
  }

  auto [x, y] = five_classes(train, 5, n_train);
  const datasets::Split new_test = five_classes(test, 5, 5000);
  for (const std::string& start : {std::string(), weights}) {
    // phase 1: the base frozen (its BatchNormalization in inference mode), only the new head learns
    auto base = mobilenet_base(start);
    base->set_trainable(false);
    Model model = with_new_head(base);
    compile(model, 1e-3);
    model.fit(x, y, {.batch_size = 64, .epochs = 4, .verbose = 2});
    const double frozen = accuracy(model, new_test);
    if (start.empty()) {
      std::cout << "Frozen random base: test accuracy " << frozen << "\n";
      continue;
    }
    std::cout << "Frozen pretrained base: test accuracy " << frozen << "\n";

    // phase 2: unfreeze and fine-tune everything at a 10x lower learning rate (recompile so trainability applies);
    // BatchNormalization stays frozen, as the guide keeps it in inference mode with training=False
    base->set_trainable(true);
    for (const auto& layer : base->layers())
      if (layer->class_name() == "BatchNormalization") layer->set_trainable(false);
    compile(model, 1e-4);
    model.fit(x, y, {.batch_size = 64, .epochs = 1, .verbose = 2});
    std::cout << "Fine-tuned: test accuracy " << accuracy(model, new_test) << "\n";
  }
  return 0;
}
