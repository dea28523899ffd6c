// libFuzzer target: bytes as model JSON -> strata::model_from_json (then a tiny predict if it builds).
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string json(reinterpret_cast<const char*>(data), size);
  strata_fuzz::run_one([&] {
    auto model = strata::model_from_json(json);
    strata_fuzz::predict_once(*model);
  });
  return 0;
}
