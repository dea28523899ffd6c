#pragma once
// What every reader fuzz target shares: the outcome rule (a strata::Error is the expected answer to bad
// input; any other exception aborts, so libFuzzer reports it), a per-process scratch file, and a tiny
// predict on whatever loads.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <typeinfo>

#include <strata/strata.hpp>

// A file may describe a model too large for memory: ASan then fails the allocation (bad_alloc, which strata
// must turn into a typed error) instead of reporting it, so only real bugs abort.
#ifndef STRATA_FUZZ_EXTRA_ASAN_OPTIONS
#define STRATA_FUZZ_EXTRA_ASAN_OPTIONS ""
#endif
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=512:detect_leaks=1" STRATA_FUZZ_EXTRA_ASAN_OPTIONS;
}

// libhdf5 1.10 loses some of its own free-list blocks when it fails to open a corrupt file (the whole allocation
// and loss happen inside one H5Fopen/H5Oopen call, e.g. H5Fopen -> H5G_mkroot -> H5O_protect -> H5FL_blk_malloc).
// Only HDF5 allocates through its free lists, and a block still owned by an id strata forgot to close stays
// reachable (not a leak), so these suppressions hide HDF5's losses only, never strata's. libhdf5 has no frame
// pointers: the targets that reach it unwind malloc stacks precisely (fast_unwind_on_malloc=0, 4x slower) so the
// suppressions see these frames.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:H5FL_blk_malloc\n"
         "leak:H5FL_reg_malloc\n";
}

namespace strata_fuzz {

/// A scratch file with `suffix` for this process (/dev/shm when there is one: no disk writes).
inline std::string scratch_path(const std::string& suffix) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                                             : std::filesystem::temp_directory_path();
  return (dir / ("strata-fuzz-" + std::to_string(::getpid()) + suffix)).string();
}

inline void write_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
}

/// Runs one small prediction when every input shape is known and small: loading is not the end of the reader's
/// responsibility, the weights it assigned must be usable.
inline void predict_once(strata::Model& model) {
  constexpr std::int64_t kMaxElements = 1 << 12;
  if (model.count_params() > (1 << 20)) return;
  std::vector<strata::Tensor> inputs;
  for (const auto& input : model.inputs()) {
    strata::Shape shape = input.shape();
    if (shape.empty() || shape.size() > 5) return;
    std::int64_t n = 1;
    for (std::size_t i = 0; i < shape.size(); ++i) {
      if (i == 0 && shape[i] < 0) shape[i] = 1;
      if (shape[i] <= 0 || shape[i] > kMaxElements) return;
      n *= shape[i];
      if (n > kMaxElements) return;
    }
    inputs.emplace_back(shape, input.dtype());
  }
  if (inputs.empty()) return;
  model.predict(inputs, {.batch_size = 1});
}

/// The outcome rule: returns normally for success or a strata::Error; aborts (a libFuzzer crash, with the
/// input saved) for anything else.
template <class F>
void run_one(F&& body) {
  try {
    body();
  } catch (const strata::Error&) {
    // the expected answer to bad input
  } catch (const std::exception& e) {
    std::fprintf(stderr, "strata_fuzz: FAILURE: a non-strata exception escaped: %s: %s\n", typeid(e).name(), e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "strata_fuzz: FAILURE: a non-std exception escaped\n");
    std::abort();
  }
}

}  // namespace strata_fuzz
