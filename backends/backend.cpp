#include <strata/backends/backend.hpp>

#include <atomic>
#include <cstdlib>
#include <mutex>

#include <strata/api/errors.hpp>

namespace strata {

namespace {
std::mutex backend_mutex;
std::unique_ptr<Backend> current_backend;
std::atomic<int> library_calls_in_flight{0};

std::unique_ptr<Backend> make_backend(std::string_view name) {
  if (name == "onednn" || name == "cpu") return make_onednn_backend();
  if (name == "cuda")
    throw BackendError("backend 'cuda' is not available in this build: no CUDA device or cuda backend; "
                       "available backends: onednn");
  throw ValueError("unknown backend '" + std::string(name) + "'; valid backends: onednn, cuda");
}
}  // namespace

bool inside_library_call() { return library_calls_in_flight.load(std::memory_order_relaxed) > 0; }
LibraryCallScope::LibraryCallScope() { library_calls_in_flight.fetch_add(1, std::memory_order_relaxed); }
LibraryCallScope::~LibraryCallScope() { library_calls_in_flight.fetch_sub(1, std::memory_order_relaxed); }

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
