#include <strata/datasets/cifar100.hpp>

#include <filesystem>

#include <strata/datasets/cifar_binary.hpp>
#include <strata/datasets/data_path.hpp>

namespace strata::datasets::cifar100 {

TrainTest load_data(const std::string& label_mode, std::string path) {
  if (label_mode != "fine" && label_mode != "coarse")
    throw ValueError("`label_mode` must be one of `\"fine\"`, `\"coarse\"`. Received: label_mode=" + label_mode + ".");
  const DataLocation where = locate_data(path, "STRATA_CIFAR100_DIR", "cifar-100-binary");
  require_files(where.path, {"train.bin", "test.bin"}, "CIFAR-100",
                "The directory '" + where.path + "' comes from " + where.source +
                    ". To get the data: download https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz (the binary "
                    "version), extract it, and pass its cifar-100-binary folder as path or set STRATA_CIFAR100_DIR "
                    "to it.");
  // each record: coarse label byte, fine label byte, 3072 pixel bytes
  const int label_index = label_mode == "fine" ? 1 : 0;
  const auto file = [&](const char* name) { return (std::filesystem::path(where.path) / name).string(); };
  return {read_cifar_records({file("train.bin")}, 2, label_index, "CIFAR-100"),
          read_cifar_records({file("test.bin")}, 2, label_index, "CIFAR-100")};
}

}  // namespace strata::datasets::cifar100
