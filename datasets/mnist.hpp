#pragma once
#include <string>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets::mnist {

/// The MNIST digits as Keras's `keras.datasets.mnist.load_data()` gives them: x uint8 (60000, 28, 28) and
/// y uint8 (60000,) for training, (10000, 28, 28) and (10000,) for test. Reads the four IDX files
/// (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)
/// from `path`, else from $STRATA_MNIST_DIR, else from ~/.keras/datasets/mnist. Nothing is downloaded.
TrainTest load_data(std::string path = "");

}  // namespace strata::datasets::mnist
