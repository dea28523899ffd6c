#pragma once
// The shuffle-then-split that Keras's boston_housing and california_housing loaders apply to their .npz files.
#include <cstdint>
#include <string>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets {

/// Reads arrays "x" and "y" of the .npz at `path` (float32), keeps the first `limit` rows (all when negative),
/// permutes the rows with numpy's RandomState(seed).shuffle and splits at int(n * (1 - test_split)), exactly as
/// Keras. ValueError for test_split outside [0, 1) with Keras's wording; FileFormatError naming the file when
/// it lacks x or y or they differ in length, and, for a missing file, `how_to_get`.
TrainTest load_shuffled_npz_split(const std::string& path, double test_split, std::uint32_t seed,
                                  std::int64_t limit, const std::string& dataset, const std::string& how_to_get);

}  // namespace strata::datasets
