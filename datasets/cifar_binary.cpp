#include <strata/datasets/cifar_binary.hpp>

#include <cstring>
#include <filesystem>

#include <strata/datasets/image_io.hpp>

namespace strata::datasets {

Split read_cifar_records(const std::vector<std::string>& paths, int label_bytes, int label_index,
                         const std::string& dataset) {
  constexpr std::size_t pixels = 32 * 32, image_bytes = 3 * pixels;
  const std::size_t record = static_cast<std::size_t>(label_bytes) + image_bytes;
  std::vector<std::vector<std::uint8_t>> files;
  std::size_t total = 0;
  for (const auto& path : paths) {
    files.push_back(read_file_bytes(path));
    const std::size_t size = files.back().size();
    if (size == 0 || size % record != 0)
      throw FileFormatError(dataset + " file '" + path + "' is truncated or not a CIFAR binary file: it holds " +
                            std::to_string(size) + " bytes, not a whole number of " + std::to_string(record) +
                            "-byte records (" + std::to_string(label_bytes) + " label byte" +
                            (label_bytes > 1 ? "s" : "") + " + 3072 pixel bytes; 10000 records a file)");
    total += size / record;
  }
  const auto n = static_cast<std::int64_t>(total);
  Split split{Tensor({n, 32, 32, 3}, DType::uint8), Tensor({n, 1}, DType::uint8)};
  std::uint8_t* x = split.x.data<std::uint8_t>();
  std::uint8_t* y = split.y.data<std::uint8_t>();
  for (const auto& bytes : files) {
    for (std::size_t offset = 0; offset < bytes.size(); offset += record) {
      const std::uint8_t* r = bytes.data() + offset;
      *y++ = r[label_index];
      const std::uint8_t* planes = r + label_bytes;
      // planar CHW -> interleaved HWC (Keras transposes the same way)
      for (std::size_t p = 0; p < pixels; ++p, x += 3) {
        x[0] = planes[p];
        x[1] = planes[pixels + p];
        x[2] = planes[2 * pixels + p];
      }
    }
  }
  return split;
}

void require_files(const std::string& directory, const std::vector<std::string>& names, const std::string& dataset,
                   const std::string& how_to_get) {
  std::string missing;
  std::error_code ec;
  for (const auto& name : names) {
    const auto path = std::filesystem::path(directory) / name;
    if (!std::filesystem::is_regular_file(path, ec)) missing += (missing.empty() ? "'" : ", '") + path.string() + "'";
  }
  if (!missing.empty()) throw FileFormatError(dataset + " data not found: missing " + missing + ". " + how_to_get);
}

}  // namespace strata::datasets
