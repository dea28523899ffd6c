#include <strata/datasets/idx.hpp>
#include <strata/datasets/mnist.hpp>

#include <cstdlib>

namespace strata::datasets::mnist {

TrainTest load_data(std::string path) {
  std::string source = "the path argument";
  if (path.empty()) {
    const char* env = std::getenv("STRATA_MNIST_DIR");
    if (env && *env) {
      path = env;
      source = "$STRATA_MNIST_DIR";
    } else {
      const char* home = std::getenv("HOME");
      path = std::string(home && *home ? home : ".") + "/.keras/datasets/mnist";
      source = "the default ~/.keras/datasets/mnist";
    }
  }
  return load_mnist_layout(
      path, "MNIST",
      "The directory '" + path + "' comes from " + source +
          ". To get the data, download train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
          "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from "
          "https://storage.googleapis.com/cvdf-datasets/mnist/ into that directory, or set STRATA_MNIST_DIR to the "
          "directory that holds them.");
}

}  // namespace strata::datasets::mnist
