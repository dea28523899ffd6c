// libFuzzer target: bytes as a .npy (strata::datasets::parse_npy) and, when they look like a ZIP archive, as a .npz
// (read_npz), then a write/read round trip of whatever loads.
#include "fuzz_common.hpp"

#include <strata/datasets/npy.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace ds = strata::datasets;
  strata_fuzz::run_one([&] {
    const strata::Tensor t = ds::parse_npy({data, size}, "fuzz.npy");
    const strata::Tensor back = ds::parse_npy(ds::encode_npy(t), "roundtrip.npy");
    if (back.shape() != t.shape() || back.dtype() != t.dtype()) std::abort();
  });
  if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
    static const std::string path = strata_fuzz::scratch_path(".npz");
    strata_fuzz::write_file(path, data, size);
    strata_fuzz::run_one([&] { ds::read_npz(path); });
    std::remove(path.c_str());
  }
  return 0;
}
