// libFuzzer target: bytes as a legacy .h5 model file -> strata::load_model (then a tiny predict if it loads).
#define STRATA_FUZZ_EXTRA_ASAN_OPTIONS ":fast_unwind_on_malloc=0"  // see fuzz_common.hpp
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = strata_fuzz::scratch_path(".h5");
  strata_fuzz::write_file(path, data, size);
  strata_fuzz::run_one([&] {
    auto model = strata::load_model(path);
    strata_fuzz::predict_once(*model);
  });
  // the weights-only reader walks the same file another way
  strata_fuzz::run_one([&] {
    strata::Sequential model({strata::Input({4}), strata::layers::Dense(3, {.name = "d"})}, "m");
    model.load_weights(path);
  });
  std::remove(path.c_str());
  return 0;
}
