#include <strata/datasets/cifar10.hpp>

#include <filesystem>

#include <strata/datasets/cifar_binary.hpp>
#include <strata/datasets/data_path.hpp>

namespace strata::datasets::cifar10 {

TrainTest load_data(std::string path) {
  const DataLocation where = locate_data(path, "STRATA_CIFAR10_DIR", "cifar-10-batches-bin");
  const std::vector<std::string> train_names = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                                                "data_batch_4.bin", "data_batch_5.bin"};
  require_files(where.path, {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                             "data_batch_5.bin", "test_batch.bin"},
                "CIFAR-10",
                "The directory '" + where.path + "' comes from " + where.source +
                    ". To get the data: download https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz (the binary "
                    "version), extract it, and pass its cifar-10-batches-bin folder as path or set STRATA_CIFAR10_DIR "
                    "to it.");
  std::vector<std::string> train;
  for (const auto& name : train_names) train.push_back((std::filesystem::path(where.path) / name).string());
  const std::string test = (std::filesystem::path(where.path) / "test_batch.bin").string();
  return {read_cifar_records(train, 1, 0, "CIFAR-10"), read_cifar_records({test}, 1, 0, "CIFAR-10")};
}

const std::array<std::string_view, 10>& class_names() {
  static constexpr std::array<std::string_view, 10> names = {"airplane", "automobile", "bird",  "cat",  "deer",
                                                             "dog",      "frog",       "horse", "ship", "truck"};
  return names;
}

}  // namespace strata::datasets::cifar10
