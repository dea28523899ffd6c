#pragma once
// The record format of the CIFAR-10 and CIFAR-100 binary distributions (https://www.cs.toronto.edu/~kriz/cifar.html).
#include <string>
#include <vector>

#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets {

/// Reads CIFAR binary files, each a sequence of records of `label_bytes` label bytes then 3072 pixel bytes
/// (1024 red, 1024 green, 1024 blue, rows of 32), concatenated in order: x uint8 (N, 32, 32, 3) channels_last
/// as Keras gives it, y uint8 (N, 1) holding label byte `label_index` of each record. A file that is empty or
/// not a whole number of records raises FileFormatError naming it, the record size and the byte count.
Split read_cifar_records(const std::vector<std::string>& paths, int label_bytes, int label_index,
                         const std::string& dataset);

/// FileFormatError unless every file of `names` is in `directory`: "<dataset> data not found: missing '...'. "
/// followed by `how_to_get`.
void require_files(const std::string& directory, const std::vector<std::string>& names, const std::string& dataset,
                   const std::string& how_to_get);

}  // namespace strata::datasets
