#include <strata/datasets/california_housing.hpp>

#include <strata/datasets/data_path.hpp>
#include <strata/datasets/housing_split.hpp>

namespace strata::datasets::california_housing {

TrainTest load_data(const std::string& version, std::string path, double test_split, std::uint32_t seed) {
  if (version != "small" && version != "large")
    throw ValueError("Argument `version` must be one of 'small', 'large'. Received: version=" + version);
  const DataLocation where = locate_data(path, "STRATA_CALIFORNIA_HOUSING_PATH", "california_housing.npz");
  return load_shuffled_npz_split(
      where.path, test_split, seed, version == "small" ? 600 : -1, "California Housing",
      "The path comes from " + where.source +
          ". To get the data: download "
          "https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz (what Keras "
          "downloads) and pass its path, or set STRATA_CALIFORNIA_HOUSING_PATH to it.");
}

}  // namespace strata::datasets::california_housing
