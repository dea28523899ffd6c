// libFuzzer target: bytes as an IDX file, gzip-compressed or not (strata::datasets::read_idx).
#include "fuzz_common.hpp"

#include <strata/datasets/idx.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = strata_fuzz::scratch_path(".idx");
  strata_fuzz::write_file(path, data, size);
  strata_fuzz::run_one([&] { strata::datasets::read_idx(path); });
  std::remove(path.c_str());
  return 0;
}
