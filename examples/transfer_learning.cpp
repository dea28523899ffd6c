// Transfer learning with keras.applications: a MobileNetV2 base (headless, global average pooled) frozen under a
// new classifier head, trained on Fashion-MNIST (tiled to 32x32x3); then the base is unfrozen and the whole model
// fine-tuned at a low learning rate, as Keras's transfer-learning guide does.
// Usage: transfer_learning [base_weights.h5 | -] [train_samples] [data_dir]
//   base_weights.h5: e.g. Keras's published mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_96_no_top.h5;
//   without it (or "-") the base starts from random weights (nothing is downloaded): then the frozen phase has
//   nothing to transfer (a deep random base in inference mode yields near-constant features) and only the
//   fine-tuning phase learns; give a pretrained file for real transfer learning.
#include <iostream>
#include <string>

#include <strata/strata.hpp>

using namespace strata;

// uint8 (n, 28, 28) -> float32 (n, 32, 32, 3): zero-padded to 32x32, the gray channel repeated, scaled as
// mobilenet_v2.preprocess_input scales [0, 255] (to [-1, 1])
Tensor to_rgb32(const Tensor& images, std::int64_t n) {
  Tensor x({n, 32, 32, 3});
  const std::uint8_t* src = images.data<std::uint8_t>();
  float* dst = x.data<float>();
  for (std::int64_t i = 0; i < n; ++i)
    for (int r = 0; r < 28; ++r)
      for (int c = 0; c < 28; ++c)
        for (int ch = 0; ch < 3; ++ch) dst[((i * 32 + r + 2) * 32 + c + 2) * 3 + ch] = src[(i * 28 + r) * 28 + c];
  return applications::mobilenet_v2::preprocess_input(x);
}

Tensor first(const Tensor& labels, std::int64_t n) {
  return Tensor::from_data({n}, labels.dtype(), labels.raw());
}

int main(int argc, char** argv) {
  const std::string weights = argc > 1 && std::string(argv[1]) != "-" ? argv[1] : "";
  const std::int64_t n_train = argc > 2 ? std::stoll(argv[2]) : 6000;
  auto [train, test] = datasets::fashion_mnist::load_data(argc > 3 ? argv[3] : "");
  const std::int64_t n_test = 2000;
  Tensor x_train = to_rgb32(train.x, n_train), x_test = to_rgb32(test.x, n_test);
  Tensor y_train = first(train.y, n_train), y_test = first(test.y, n_test);

  set_random_seed(7);
  auto base = applications::MobileNetV2(
      {.include_top = false, .weights = weights, .input_shape = {32, 32, 3}, .pooling = "avg"}, {.alpha = 0.35});
  base->set_trainable(false);  // phase 1: only the new head learns

  SymbolicTensor inputs = Input({32, 32, 3});
  SymbolicTensor x = (*base)(inputs);
  x = layers::Dropout(0.2)(x);
  SymbolicTensor outputs = layers::Dense(10, {.activation = "softmax", .name = "head"})(x);
  Model model(inputs, outputs, "fashion_mnist_transfer");
  std::cout << "base: " << base->name() << ", " << base->count_params() << " parameters (frozen)\n";

  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  model.fit(x_train, y_train, {.batch_size = 64, .epochs = 3, .verbose = 2});
  auto frozen = model.evaluate(x_test, y_test, {.verbose = 0});
  std::cout << "Frozen base: test accuracy " << frozen["accuracy"] << "\n";

  // phase 2: unfreeze the base and fine-tune everything at a low learning rate (recompile so trainability applies)
  base->set_trainable(true);
  model.compile({.optimizer = optimizers::Adam({.learning_rate = 1e-4}), .loss = "sparse_categorical_crossentropy",
                 .metrics = {"accuracy"}});
  model.fit(x_train, y_train, {.batch_size = 64, .epochs = 2, .verbose = 2});
  auto tuned = model.evaluate(x_test, y_test, {.verbose = 0});
  std::cout << "Fine-tuned: test accuracy " << tuned["accuracy"] << "\n";
  return 0;
}
