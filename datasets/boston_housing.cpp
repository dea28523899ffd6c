#include <strata/datasets/boston_housing.hpp>

#include <strata/datasets/data_path.hpp>
#include <strata/datasets/housing_split.hpp>

namespace strata::datasets::boston_housing {

TrainTest load_data(std::string path, double test_split, std::uint32_t seed) {
  const DataLocation where = locate_data(path, "STRATA_BOSTON_HOUSING_PATH", "boston_housing.npz");
  return load_shuffled_npz_split(
      where.path, test_split, seed, -1, "Boston Housing",
      "The path comes from " + where.source +
          ". To get the data: download "
          "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz (what Keras downloads) "
          "and pass its path, or set STRATA_BOSTON_HOUSING_PATH to it.");
}

}  // namespace strata::datasets::boston_housing
