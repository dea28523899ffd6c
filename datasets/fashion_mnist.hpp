#pragma once
#include <array>
#include <string>
#include <string_view>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets::fashion_mnist {

/// Fashion-MNIST as Keras's `keras.datasets.fashion_mnist.load_data()` gives it: x uint8 (60000, 28, 28) and
/// y uint8 (60000,) for training, (10000, 28, 28) and (10000,) for test. Reads the four IDX files from `path`,
/// else from $STRATA_FASHION_MNIST_DIR, else from /usr/share/datasets/fashion-mnist (Debian package
/// dataset-fashion-mnist). Nothing is downloaded.
TrainTest load_data(std::string path = "");

/// The label names in Keras's documentation order: class_names()[y] is "T-shirt/top" for y == 0.
const std::array<std::string_view, 10>& class_names();

}  // namespace strata::datasets::fashion_mnist
