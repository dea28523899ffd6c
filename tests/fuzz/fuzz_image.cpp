// libFuzzer target: bytes as a PNG or JPEG (strata::datasets::decode_image) in every channel mode; the last byte
// picks the mode so the fuzzer explores the conversions too.
#include "fuzz_common.hpp"

#include <strata/datasets/image_io.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr int modes[] = {0, 1, 3, 4};
  const int channels = size ? modes[data[size - 1] % 4] : 0;
  strata_fuzz::run_one([&] {
    // a small pixel budget: a header may declare any size, and that path is tested in the unit tests
    const strata::Tensor image =
        strata::datasets::decode_image({data, size}, {.channels = channels, .name = "fuzz", .max_pixels = 1 << 20});
    if (image.ndim() != 3 || (channels != 0 && image.dim(2) != channels)) std::abort();
  });
  return 0;
}
