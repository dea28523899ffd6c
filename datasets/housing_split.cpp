#include <strata/datasets/housing_split.hpp>

#include <cstdio>
#include <filesystem>

#include <strata/datasets/npy.hpp>
#include <strata/datasets/numpy_random.hpp>

namespace strata::datasets {

TrainTest load_shuffled_npz_split(const std::string& path, double test_split, std::uint32_t seed,
                                  std::int64_t limit, const std::string& dataset, const std::string& how_to_get) {
  if (!(test_split >= 0 && test_split < 1))
  {
    char shown[32];
    std::snprintf(shown, sizeof shown, "%g", test_split);
    throw ValueError(std::string("Invalid `test_split` argument: ") + shown +
                     ". It must be between 0 and 1 (exclusive of 1).");
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw FileFormatError(dataset + " data not found: missing '" + path + "'. " + how_to_get);
  auto arrays = read_npz(path);
  for (const char* key : {"x", "y"})
    if (!arrays.count(key))
      throw FileFormatError(dataset + " file '" + path + "' has no array '" + key + "' (is it Keras's .npz?)");
  Tensor x = arrays["x"].astype(DType::float32), y = arrays["y"].astype(DType::float32);
  if (x.ndim() < 1 || y.ndim() < 1 || x.dim(0) != y.dim(0))
    throw FileFormatError(dataset + " file '" + path + "': x " + shape_str(x.shape()) + " and y " +
                          shape_str(y.shape()) + " do not have the same number of rows");
  std::int64_t n = x.dim(0);
  if (limit >= 0 && limit < n) {
    x = x.slice(0, limit);
    y = y.slice(0, limit);
    n = limit;
  }
  const std::vector<std::int64_t> order = numpy_legacy_shuffled_range(n, seed);
  x = x.take(order);
  y = y.take(order);
  // Python's int(len(x) * (1 - test_split)): the same double arithmetic, truncated
  const auto cut = static_cast<std::int64_t>(static_cast<double>(n) * (1 - test_split));
  return {{x.slice(0, cut), y.slice(0, cut)}, {x.slice(cut, n), y.slice(cut, n)}};
}

}  // namespace strata::datasets
