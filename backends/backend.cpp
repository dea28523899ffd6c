#include <strata/backends/backend.hpp>

#include <cstdlib>
#include <mutex>

#include <strata/api/errors.hpp>

namespace strata {

namespace {
std::mutex backend_mutex;
std::unique_ptr<Backend> current_backend;

std::unique_ptr<Backend> make_backend(std::string_view name) {
  if (name == "onednn" || name == "cpu") return make_onednn_backend();
  if (name == "cuda")
    throw BackendError("backend 'cuda' is not available in this build: no CUDA device or cuda backend; "
                       "available backends: onednn");
  throw ValueError("unknown backend '" + std::string(name) + "'; valid backends: onednn, cuda");
}
}  // namespace

Backend& backend() {
  std::lock_guard lock(backend_mutex);
  if (!current_backend) {
    const char* env = std::getenv("STRATA_BACKEND");
    current_backend = make_backend(env && *env ? env : "onednn");
  }
  return *current_backend;
}

void set_backend(std::string_view name) {
  auto b = make_backend(name);
  std::lock_guard lock(backend_mutex);
  if (current_backend && current_backend->name() == b->name()) return;
  current_backend = std::move(b);
}

std::vector<std::string> available_backends() { return {"onednn"}; }

}  // namespace strata
