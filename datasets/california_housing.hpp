#pragma once
#include <cstdint>
#include <string>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets::california_housing {

/// California Housing as Keras's `keras.datasets.california_housing.load_data(version, path, test_split, seed)`
/// gives it, in float32: version "large" (all 20640 rows: x (16512, 8), y (16512,) for training and (4128, 8),
/// (4128,) for test) or "small" (the first 600 rows: 480 and 120), rows shuffled by numpy's RandomState(seed)
/// exactly as Keras; another version raises ValueError. Reads Keras's california_housing.npz from `path` (the
/// file), else $STRATA_CALIFORNIA_HOUSING_PATH, else Keras's cache (~/.keras/datasets/california_housing.npz).
/// Nothing is downloaded: a missing file raises FileFormatError naming it and the URL.
TrainTest load_data(const std::string& version = "large", std::string path = "", double test_split = 0.2,
                    std::uint32_t seed = 113);

}  // namespace strata::datasets::california_housing
