// Train a small CNN with batch normalization on Fashion-MNIST, classify a few test images, then save the
// model as .h5 and .keras and check each file reloads to identical predictions.
// Usage: fashion_mnist [epochs] [data_dir]
#include <iostream>
#include <string>

#include <strata/strata.hpp>

using namespace strata;

// uint8 images (n, 28, 28) -> float32 (n, 28, 28, 1) in [0, 1]
Tensor to_inputs(const Tensor& images) {
  Tensor x = images.astype(DType::float32).reshape({-1, 28, 28, 1});
  for (float& v : x.values()) v /= 255.0f;
  return x;
}

int main(int argc, char** argv) {
  int epochs = argc > 1 ? std::stoi(argv[1]) : 10;
  auto [train, test] = datasets::fashion_mnist::load_data(argc > 2 ? argv[2] : "");
  Tensor x_train = to_inputs(train.x), x_test = to_inputs(test.x);

  set_random_seed(42);
  Sequential model({
      Input({28, 28, 1}),
      layers::Conv2D(32, 3, {.padding = "same", .use_bias = false}),
      layers::BatchNormalization(),
      layers::Activation("relu"),
      layers::MaxPooling2D(2),
      layers::Conv2D(64, 3, {.padding = "same", .use_bias = false}),
      layers::BatchNormalization(),
      layers::Activation("relu"),
      layers::MaxPooling2D(2),
      layers::Flatten(),
      layers::Dense(128, {.activation = "relu"}),
      layers::Dropout(0.3),
      layers::Dense(10, {.activation = "softmax"}),
  });
  model.summary();
  model.compile({.optimizer = "adam", .loss = "sparse_categorical_crossentropy", .metrics = {"accuracy"}});
  int settle = epochs >= 5 ? 2 : 0;  // the last epochs at a tenth of the learning rate settle the weights
  model.fit(x_train, train.y, {.batch_size = 128, .epochs = epochs - settle, .validation_split = 0.1});
  if (settle) {
    model.optimizer()->set_learning_rate(1e-4);
    model.fit(x_train, train.y,
              {.batch_size = 128, .epochs = epochs, .validation_split = 0.1, .initial_epoch = epochs - settle});
  }

  auto scores = model.evaluate(x_test, test.y, {.verbose = 0});
  std::cout << "Test loss: " << scores["loss"] << "  Test accuracy: " << scores["accuracy"] << "\n\n";

  const auto& names = datasets::fashion_mnist::class_names();
  Tensor probabilities = model.predict(x_test.slice(0, 8));
  for (std::int64_t i = 0; i < 8; ++i) {
    std::int64_t best = 0;
    for (std::int64_t c = 1; c < 10; ++c)
      if (probabilities.at({i, c}) > probabilities.at({i, best})) best = c;
    auto truth = static_cast<std::int64_t>(test.y.item(i));
    std::cout << "test image " << i << ": predicted " << names[best] << " (" << probabilities.at({i, best})
              << "), true " << names[truth] << "\n";
  }

  // Keras's own formats: each file loads back (here, or in Python Keras) to identical predictions
  for (const std::string path : {"fashion_mnist.h5", "fashion_mnist.keras"}) {
    model.save(path);
    bool identical = load_model(path)->predict(x_test.slice(0, 8)).to_vector() == probabilities.to_vector();
    std::cout << "saved " << path << ", reloaded: predictions " << (identical ? "identical" : "DIFFER") << "\n";
    if (!identical) return 1;
  }
  return 0;
}
