#pragma once
#include <array>
#include <string>
#include <string_view>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets::cifar10 {

/// CIFAR-10 as Keras's `keras.datasets.cifar10.load_data()` gives it: x uint8 (50000, 32, 32, 3) channels_last
/// and y uint8 (50000, 1) for training (data_batch_1.bin .. data_batch_5.bin in order), (10000, 32, 32, 3) and
/// (10000, 1) for test (test_batch.bin). Reads the official binary distribution
/// (https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, folder cifar-10-batches-bin) from `path`, else from
/// $STRATA_CIFAR10_DIR, else from Keras's cache folder (~/.keras/datasets/cifar-10-batches-bin). Nothing is
/// downloaded: missing files raise FileFormatError naming them and the URL.
TrainTest load_data(std::string path = "");

/// The label names: class_names()[y] is "airplane" for y == 0 (batches.meta.txt's order).
const std::array<std::string_view, 10>& class_names();

}  // namespace strata::datasets::cifar10
