#pragma once
// The whole contract between the front end and a compute backend.
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <strata/api/graph/graph.hpp>

namespace strata {

/// Addresses a kernel runs over: one per op input and output, plus transient scratch space.
struct KernelBuffers {
  std::vector<void*> inputs;
  std::vector<void*> outputs;
  void* scratch = nullptr;
};

/// One op, prepared for its exact shapes: primitives created, layouts chosen, scratch sized.
class Kernel {
 public:
  virtual ~Kernel() = default;
  /// Bytes of transient scratch the kernel needs per run (shared by all kernels of a program).
  virtual std::size_t scratch_bytes() const { return 0; }
  /// Binds fixed buffer addresses; the returned launch runs the op and must not allocate.
  virtual std::function<void()> bind(const KernelBuffers& buffers) const = 0;
  /// The implementation chosen, e.g. "brgconv:avx512_core" (benchmarks and logs).
  virtual std::string implementation() const { return "native"; }
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  /// Device memory, zero-filled, released when the last owner lets go.
  virtual std::shared_ptr<void> allocate(std::size_t bytes) = 0;
  virtual void copy_to_device(void* dst, const void* src, std::size_t bytes) = 0;
  virtual void copy_to_host(void* dst, const void* src, std::size_t bytes) = 0;
  /// Prepares `op` of `graph` (shapes are final). Throws UnsupportedError for an op it lacks.
  virtual std::unique_ptr<Kernel> make_kernel(const Graph& graph, const Op& op) = 0;
  /// Waits until all launched work is done.
  virtual void synchronize() {}
};

/// True while a kernel library's own call (oneDNN's execute) is in flight, on the calling thread or on the
/// worker threads it fans out to: benchmarks use it to tell the library's internal heap allocations from strata's.
bool inside_library_call();
/// Marks a kernel library call as in flight for its lifetime.
class LibraryCallScope {
 public:
  LibraryCallScope();
  ~LibraryCallScope();
  LibraryCallScope(const LibraryCallScope&) = delete;
  LibraryCallScope& operator=(const LibraryCallScope&) = delete;
};

/// The backend in use: set_backend(), else $STRATA_BACKEND, else cuda when a device exists, else onednn.
Backend& backend();
void set_backend(std::string_view name);
/// Names of the backends this build can use on this machine.
std::vector<std::string> available_backends();

std::unique_ptr<Backend> make_onednn_backend();

}  // namespace strata
