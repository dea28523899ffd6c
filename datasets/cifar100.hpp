#pragma once
#include <string>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets::cifar100 {

/// CIFAR-100 as Keras's `keras.datasets.cifar100.load_data(label_mode)` gives it: x uint8 (50000, 32, 32, 3)
/// channels_last and y uint8 (50000, 1) for training (train.bin), (10000, 32, 32, 3) and (10000, 1) for test
/// (test.bin). `label_mode` "fine" (100 classes, the default) or "coarse" (20 superclasses); anything else raises
/// ValueError as Keras does. Reads the official binary distribution
/// (https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz, folder cifar-100-binary) from `path`, else from
/// $STRATA_CIFAR100_DIR, else from Keras's cache folder (~/.keras/datasets/cifar-100-binary). Nothing is
/// downloaded: missing files raise FileFormatError naming them and the URL.
TrainTest load_data(const std::string& label_mode = "fine", std::string path = "");

}  // namespace strata::datasets::cifar100
