#pragma once
// PNG and JPEG decoding and encoding through libpng and libjpeg-turbo, with tf.io.decode_image's channel rules.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include <strata/api/tensor.hpp>

namespace strata::datasets {

enum class ImageFormat { unknown, png, jpeg };

/// The format named by the first bytes (PNG's 8-byte signature, JPEG's FF D8 FF), else ImageFormat::unknown.
ImageFormat detect_image_format(std::span<const std::uint8_t> bytes);

struct DecodeImageOptions {
  /// 0: the image's own channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA; a palette PNG gives 3, or 4 with
  /// transparency); 1: grayscale; 3: RGB (alpha dropped); 4: RGBA (opaque alpha added). As tf.io.decode_image.
  int channels = 0;
  /// What error messages call the bytes (a file name); decode_image(path) sets it to the path.
  std::string name = "";
  /// Images declaring more pixels than this raise FileFormatError before anything is allocated.
  std::int64_t max_pixels = std::int64_t{1} << 28;
};

/// Decodes PNG (any bit depth; 16-bit keeps the high byte, as TensorFlow) or JPEG (baseline, progressive, CMYK)
/// bytes into a uint8 tensor of shape (height, width, channels). The format comes from the magic bytes, not the
/// name. A corrupt, truncated or unrecognised image raises FileFormatError naming `options.name` and what is
/// wrong; `channels` outside {0, 1, 3, 4} raises ValueError.
Tensor decode_image(std::span<const std::uint8_t> bytes, DecodeImageOptions options = {});
/// Reads and decodes the file at `path` (FileFormatError naming it when it is missing or unreadable).
Tensor decode_image(const std::filesystem::path& path, DecodeImageOptions options = {});

/// Encodes a uint8 (height, width, channels) tensor, channels 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA),
/// as an 8-bit PNG (zlib level 0-9, default 6). A (height, width) tensor is encoded as grayscale.
std::vector<std::uint8_t> encode_png(const Tensor& image, int compression_level = 6);
/// Encodes a uint8 (height, width, 1 or 3) tensor as a baseline JPEG of `quality` 1-100 (lossy).
std::vector<std::uint8_t> encode_jpeg(const Tensor& image, int quality = 95);

/// encode_png / encode_jpeg written to a file (Error naming it when it cannot be written).
void write_png(const std::filesystem::path& path, const Tensor& image, int compression_level = 6);
void write_jpeg(const std::filesystem::path& path, const Tensor& image, int quality = 95);

/// The whole file as bytes; FileFormatError naming `path` when it is missing, a directory or unreadable.
std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path);

}  // namespace strata::datasets
