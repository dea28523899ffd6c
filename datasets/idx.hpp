#pragma once
#include <string>

#include <strata/api/tensor.hpp>
#include <strata/datasets/dataset_types.hpp>

namespace strata::datasets {

/// Reads an IDX file (http://yann.lecun.com/exdb/mnist/ format), gzip-compressed or not, into a Tensor whose
/// shape is the file's dimensions. Element types: 0x08 -> uint8, 0x0C -> int32, 0x0D -> float32; 0x09 (int8),
/// 0x0B (int16) and 0x0E (float64) raise UnsupportedError. Bytes after the data are ignored, as Keras does.
/// Throws FileFormatError naming the path for a missing file, a bad magic number or truncated header or data.
Tensor read_idx(const std::string& path);

/// Writes `tensor` (uint8, int32 or float32, at least one dimension) as an IDX file, gzip-compressed when
/// `path` ends in ".gz".
void write_idx(const std::string& path, const Tensor& tensor);

/// Loads a dataset laid out like MNIST from `directory`: train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,
/// t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz, giving x uint8 (N, rows, cols) and y uint8 (N,).
/// Missing files raise FileFormatError naming them, `dataset` ("Fashion-MNIST") and `how_to_get` (a sentence);
/// so do images and labels of different counts.
TrainTest load_mnist_layout(const std::string& directory, const std::string& dataset, const std::string& how_to_get);

}  // namespace strata::datasets
