#pragma once
#include <cstdint>
#include <string>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets::boston_housing {

/// Boston Housing as Keras's `keras.datasets.boston_housing.load_data(path, test_split, seed)` gives it, in
/// float32 (Keras gives float64): x (404, 13) and y (404,) for training, (102, 13) and (102,) for test with the
/// defaults, rows shuffled by numpy's RandomState(seed) exactly as Keras. Reads Keras's boston_housing.npz from
/// `path` (the file), else $STRATA_BOSTON_HOUSING_PATH, else Keras's cache (~/.keras/datasets/boston_housing.npz).
/// Nothing is downloaded: a missing file raises FileFormatError naming it and the URL.
TrainTest load_data(std::string path = "", double test_split = 0.2, std::uint32_t seed = 113);

}  // namespace strata::datasets::boston_housing
