#include <strata/datasets/data_path.hpp>

#include <cstdlib>
#include <filesystem>

namespace strata::datasets {

DataLocation locate_data(const std::string& path, const char* env_var, const std::string& keras_cache_name) {
  if (!path.empty()) return {path, "the path argument"};
  if (const char* env = std::getenv(env_var); env && *env) return {env, std::string("$") + env_var};
  std::filesystem::path cache;
  if (const char* keras_home = std::getenv("KERAS_HOME"); keras_home && *keras_home) {
    cache = std::filesystem::path(keras_home) / "datasets";
  } else {
    const char* home = std::getenv("HOME");
    cache = std::filesystem::path(home && *home ? home : "/tmp") / ".keras" / "datasets";
  }
  return {(cache / keras_cache_name).string(), "Keras's cache folder (" + cache.string() + ")"};
}

}  // namespace strata::datasets
