#include <strata/datasets/fashion_mnist.hpp>
#include <strata/datasets/idx.hpp>

#include <cstdlib>

namespace strata::datasets::fashion_mnist {

TrainTest load_data(std::string path) {
  std::string source = "the path argument";
  if (path.empty()) {
    const char* env = std::getenv("STRATA_FASHION_MNIST_DIR");
    if (env && *env) {
      path = env;
      source = "$STRATA_FASHION_MNIST_DIR";
    } else {
      path = "/usr/share/datasets/fashion-mnist";
      source = "the default location (Debian package dataset-fashion-mnist)";
    }
  }
  return load_mnist_layout(
      path, "Fashion-MNIST",
      "The directory '" + path + "' comes from " + source +
          ". To get the data: apt-get install dataset-fashion-mnist, or set STRATA_FASHION_MNIST_DIR to a "
          "directory holding train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
          "t10k-labels-idx1-ubyte.gz (Keras downloads them from "
          "https://storage.googleapis.com/tensorflow/tf-keras-datasets/).");
}

const std::array<std::string_view, 10>& class_names() {
  static constexpr std::array<std::string_view, 10> names = {
      "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};
  return names;
}

}  // namespace strata::datasets::fashion_mnist
