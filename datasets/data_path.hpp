#pragma once
// Where a loader looks for its files: the path argument, else an environment variable, else Keras's cache folder.
#include <string>

namespace strata::datasets {

struct DataLocation {
  std::string path;
  /// Where `path` came from, for error messages: "the path argument", "$STRATA_CIFAR10_DIR", ...
  std::string source;
};

/// `path` if not empty; else $`env_var` if set and not empty; else `keras_cache_name` inside Keras's cache folder
/// ($KERAS_HOME/datasets, else ~/.keras/datasets), where keras.datasets' load_data() keeps its downloads.
DataLocation locate_data(const std::string& path, const char* env_var, const std::string& keras_cache_name);

}  // namespace strata::datasets
