#include <strata/datasets/image_io.hpp>

// clang-format off: jpeglib.h needs FILE and size_t declared first
#include <cstdio>
#include <jpeglib.h>
#include <jerror.h>
// clang-format on
#include <png.h>

#include <algorithm>
#include <cerrno>
#include <csetjmp>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace strata::datasets {
namespace {

// libpng and libjpeg report errors through callbacks that must not return; they longjmp back to the setjmp
// in the decoding function, which keeps only the context (below) and objects constructed before the setjmp,
// so no destructor is ever skipped. The error is thrown as a C++ exception after the C library is cleaned up.

std::string shown(const std::string& name) { return name.empty() ? "<image bytes>" : "'" + name + "'"; }

std::string dims_str(std::int64_t width, std::int64_t height) {
  return std::to_string(width) + "x" + std::to_string(height);
}

void check_channels(int channels, const std::string& where) {
  if (channels != 0 && channels != 1 && channels != 3 && channels != 4)
    throw ValueError(where + ": channels must be 0 (the image's own), 1, 3 or 4, got " + std::to_string(channels));
}

void check_size(std::int64_t width, std::int64_t height, const DecodeImageOptions& options, const char* format) {
  if (width <= 0 || height <= 0)
    throw FileFormatError("decode_image: " + shown(options.name) + " is a " + format + " with empty dimensions " +
                          dims_str(width, height));
  if (width > options.max_pixels / height)
    throw FileFormatError("decode_image: " + shown(options.name) + " declares " + dims_str(width, height) +
                          " pixels, more than max_pixels = " + std::to_string(options.max_pixels) +
                          " (corrupt, or raise DecodeImageOptions::max_pixels)");
}

// ---------------------------------------------------------------- PNG

struct PngContext {
  std::span<const std::uint8_t> bytes;
  std::size_t position = 0;
  char message[256] = {};
  // Filled in by decode_png_into: the output, its row pointers and the size check's error, if any. They live
  // here, not in that function, because locals changed after a setjmp are indeterminate after the longjmp.
  Tensor pixels;
  std::vector<png_bytep> rows;
  std::string size_error;
};

void png_error_to_context(png_structp png, png_const_charp message) {
  auto* context = static_cast<PngContext*>(png_get_error_ptr(png));
  std::snprintf(context->message, sizeof context->message, "%s", message ? message : "unknown libpng error");
  png_longjmp(png, 1);
}

void png_ignore_warning(png_structp, png_const_charp) {}

void png_read_from_span(png_structp png, png_bytep out, png_size_t count) {
  auto* context = static_cast<PngContext*>(png_get_io_ptr(png));
  if (count > context->bytes.size() - context->position) png_error(png, "truncated: the data ends early");
  std::memcpy(out, context->bytes.data() + context->position, count);
  context->position += count;
}

// Returns false after a libpng error (context.message says which) or a size error (context.size_error).
bool decode_png_into(PngContext& context, const DecodeImageOptions& options, int channels) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &context, png_error_to_context, png_ignore_warning);
  if (!png) {
    std::snprintf(context.message, sizeof context.message, "out of memory");
    return false;
  }
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    std::snprintf(context.message, sizeof context.message, "out of memory");
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, &context, png_read_from_span);
  // the pixel count is checked against max_pixels below; libpng's own 1e6 x 1e6 limit would be tighter per side
  png_set_user_limits(png, 0x7fffffff, 0x7fffffff);
  png_read_info(png, info);
  png_uint_32 width = 0, height = 0;
  int bit_depth = 0, color_type = 0;
  png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, nullptr, nullptr, nullptr);
  try {
    check_size(width, height, options, "PNG");
  } catch (const FileFormatError& e) {
    context.size_error = e.what();
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  const bool has_trns = png_get_valid(png, info, PNG_INFO_tRNS) != 0;
  const bool palette = color_type == PNG_COLOR_TYPE_PALETTE;
  const bool color = palette || (color_type & PNG_COLOR_MASK_COLOR);
  bool alpha = (color_type & PNG_COLOR_MASK_ALPHA) != 0;
  const int native = (color ? 3 : 1) + ((alpha || has_trns) ? 1 : 0);
  const int wanted = channels == 0 ? native : channels;

  if (bit_depth == 16) png_set_strip_16(png);
  if (palette) png_set_palette_to_rgb(png);
  if (!color && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
  // palette expansion turns tRNS into alpha anyway; stripped below when not wanted
  if (has_trns) {
    png_set_tRNS_to_alpha(png);
    alpha = true;
  }
  if (wanted <= 2 && color) png_set_rgb_to_gray_fixed(png, 1, -1, -1);
  if (wanted >= 3 && !color) png_set_gray_to_rgb(png);
  const bool wants_alpha = wanted == 2 || wanted == 4;
  if (alpha && !wants_alpha) png_set_strip_alpha(png);
  if (!alpha && wants_alpha) png_set_add_alpha(png, 0xff, PNG_FILLER_AFTER);
  png_set_interlace_handling(png);
  png_read_update_info(png, info);
  const std::size_t row_bytes = static_cast<std::size_t>(width) * wanted;
  if (png_get_rowbytes(png, info) != row_bytes) png_error(png, "unexpected row size after conversion");

  context.pixels = Tensor({static_cast<std::int64_t>(height), static_cast<std::int64_t>(width), wanted}, DType::uint8);
  auto* base = static_cast<png_bytep>(context.pixels.raw());
  context.rows.resize(height);
  for (png_uint_32 y = 0; y < height; ++y) context.rows[y] = base + y * row_bytes;
  png_read_image(png, context.rows.data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

Tensor decode_png(std::span<const std::uint8_t> bytes, const DecodeImageOptions& options) {
  PngContext context;
  context.bytes = bytes;
  if (!decode_png_into(context, options, options.channels)) {
    if (!context.size_error.empty()) throw FileFormatError(context.size_error);
    throw FileFormatError("decode_image: " + shown(options.name) + " is a corrupt or truncated PNG: " +
                          context.message);
  }
  return std::move(context.pixels);
}

// ---------------------------------------------------------------- JPEG

struct JpegErrorManager {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX] = {};
};

[[noreturn]] void jpeg_error_to_context(j_common_ptr info) {
  auto* errors = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, errors->message);
  std::longjmp(errors->jump, 1);
}

// Truncated or damaged entropy data is only a warning to libjpeg (it fills the rest with gray); TensorFlow
// rejects such files, and so does strata. Other warnings (extraneous bytes between markers) are harmless.
void jpeg_warning_to_error(j_common_ptr info, int level) {
  if (level >= 0) return;
  const int code = info->err->msg_code;
  if (code == JWRN_JPEG_EOF || code == JWRN_HIT_MARKER || code == JWRN_MUST_RESYNC) jpeg_error_to_context(info);
}

void jpeg_no_output(j_common_ptr) {}

void install_error_manager(jpeg_error_mgr* manager) {
  jpeg_std_error(manager);
  manager->error_exit = jpeg_error_to_context;
  manager->emit_message = jpeg_warning_to_error;
  manager->output_message = jpeg_no_output;
}

struct JpegContext {
  jpeg_progress_mgr progress{};
  Tensor pixels;
  std::string size_error;
  std::vector<std::uint8_t> cmyk_row;
};

// Adobe's inverted CMYK, as libjpeg-turbo's and TensorFlow's readers see it: channel = C*K/255.
void cmyk_to_output(const std::uint8_t* cmyk, std::uint8_t* out, std::size_t width, int channels) {
  for (std::size_t x = 0; x < width; ++x, cmyk += 4) {
    const unsigned k = cmyk[3];
    const unsigned r = (cmyk[0] * k + 127) / 255, g = (cmyk[1] * k + 127) / 255, b = (cmyk[2] * k + 127) / 255;
    if (channels == 1) {
      *out++ = static_cast<std::uint8_t>((299 * r + 587 * g + 114 * b + 500) / 1000);
    } else {
      *out++ = static_cast<std::uint8_t>(r);
      *out++ = static_cast<std::uint8_t>(g);
      *out++ = static_cast<std::uint8_t>(b);
      if (channels == 4) *out++ = 255;
    }
  }
}

// A progressive JPEG of a few KiB can declare thousands of scans, each a pass over the whole image; real encoders
// write about ten. libjpeg-turbo's own fuzzers stop at 500, and so does strata.
constexpr int kMaxJpegScans = 500;

void jpeg_limit_scans(j_common_ptr info) {
  if (!info->is_decompressor) return;
  const int scans = reinterpret_cast<j_decompress_ptr>(info)->input_scan_number;
  if (scans <= kMaxJpegScans) return;
  auto* errors = reinterpret_cast<JpegErrorManager*>(info->err);
  std::snprintf(errors->message, sizeof errors->message, "more than %d progressive scans", kMaxJpegScans);
  std::longjmp(errors->jump, 1);
}

bool decode_jpeg_into(JpegContext& context, JpegErrorManager& errors, std::span<const std::uint8_t> bytes,
                      const DecodeImageOptions& options) {
  jpeg_decompress_struct info;
  info.err = &errors.manager;
  install_error_manager(&errors.manager);
  if (setjmp(errors.jump)) {
    jpeg_destroy_decompress(&info);
    return false;
  }
  jpeg_create_decompress(&info);
  context.progress.progress_monitor = jpeg_limit_scans;
  info.progress = &context.progress;
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&info, TRUE);
  try {
    check_size(info.image_width, info.image_height, options, "JPEG");
  } catch (const FileFormatError& e) {
    context.size_error = e.what();
    jpeg_destroy_decompress(&info);
    return false;
  }
  const bool cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
  const int native = info.jpeg_color_space == JCS_GRAYSCALE ? 1 : 3;
  const int wanted = options.channels == 0 ? native : options.channels;
  info.out_color_space = cmyk ? JCS_CMYK : wanted == 1 ? JCS_GRAYSCALE : wanted == 3 ? JCS_RGB : JCS_EXT_RGBA;
  jpeg_start_decompress(&info);
  const std::size_t width = info.output_width, height = info.output_height;
  if (info.output_components != (cmyk ? 4 : wanted)) ERREXIT(&info, JERR_BAD_J_COLORSPACE);
  context.pixels = Tensor({static_cast<std::int64_t>(height), static_cast<std::int64_t>(width), wanted}, DType::uint8);
  auto* base = static_cast<std::uint8_t*>(context.pixels.raw());
  if (cmyk) context.cmyk_row.resize(width * 4);
  while (info.output_scanline < height) {
    std::uint8_t* row = base + info.output_scanline * width * wanted;
    JSAMPROW target = cmyk ? context.cmyk_row.data() : row;
    if (jpeg_read_scanlines(&info, &target, 1) != 1) ERREXIT(&info, JERR_INPUT_EMPTY);
    if (cmyk) cmyk_to_output(context.cmyk_row.data(), row, width, wanted);
  }
  // every row is decoded: a missing end-of-image marker after them is tolerated, as TensorFlow does
  jpeg_destroy_decompress(&info);
  return true;
}

Tensor decode_jpeg(std::span<const std::uint8_t> bytes, const DecodeImageOptions& options) {
  JpegContext context;
  JpegErrorManager errors;
  if (!decode_jpeg_into(context, errors, bytes, options)) {
    if (!context.size_error.empty()) throw FileFormatError(context.size_error);
    throw FileFormatError("decode_image: " + shown(options.name) + " is a corrupt or truncated JPEG: " +
                          errors.message);
  }
  return std::move(context.pixels);
}

// ---------------------------------------------------------------- encoding

struct ImageView {
  const std::uint8_t* data;
  std::size_t height, width;
  int channels;
};

ImageView view_of(const Tensor& image, const char* where, std::initializer_list<int> allowed) {
  if (image.dtype() != DType::uint8)
    throw ValueError(std::string(where) + ": the image must be uint8, got " + std::string(dtype_name(image.dtype())));
  if (image.ndim() != 2 && image.ndim() != 3)
    throw ShapeError(std::string(where) + ": the image must have shape (height, width[, channels]), got " +
                     shape_str(image.shape()));
  const int channels = image.ndim() == 2 ? 1 : static_cast<int>(image.dim(2));
  bool ok = false;
  std::string names;
  for (int c : allowed) {
    ok = ok || c == channels;
    names += (names.empty() ? "" : ", ") + std::to_string(c);
  }
  if (!ok)
    throw ShapeError(std::string(where) + ": images need " + names + " channels, got shape " +
                     shape_str(image.shape()));
  if (image.dim(0) <= 0 || image.dim(1) <= 0 || image.dim(0) > 0x7fffffff || image.dim(1) > 0x7fffffff)
    throw ShapeError(std::string(where) + ": image dimensions out of range: " + shape_str(image.shape()));
  return {static_cast<const std::uint8_t*>(image.raw()), static_cast<std::size_t>(image.dim(0)),
          static_cast<std::size_t>(image.dim(1)), channels};
}

struct PngWriteContext {
  std::vector<std::uint8_t> out;
  char message[256] = {};
};

void png_write_error(png_structp png, png_const_charp message) {
  auto* context = static_cast<PngWriteContext*>(png_get_error_ptr(png));
  std::snprintf(context->message, sizeof context->message, "%s", message ? message : "unknown libpng error");
  png_longjmp(png, 1);
}

void png_write_to_vector(png_structp png, png_bytep data, png_size_t count) {
  auto* context = static_cast<PngWriteContext*>(png_get_io_ptr(png));
  context->out.insert(context->out.end(), data, data + count);
}

void png_flush_nothing(png_structp) {}

bool encode_png_into(PngWriteContext& context, const ImageView& image, int level, std::vector<png_bytep>& rows) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &context, png_write_error, png_ignore_warning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }
  static constexpr int color_types[] = {0, PNG_COLOR_TYPE_GRAY, PNG_COLOR_TYPE_GRAY_ALPHA, PNG_COLOR_TYPE_RGB,
                                        PNG_COLOR_TYPE_RGB_ALPHA};
  png_set_write_fn(png, &context, png_write_to_vector, png_flush_nothing);
  png_set_compression_level(png, level);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8,
               color_types[image.channels], PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  png_write_image(png, rows.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

struct JpegWriteContext {
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
};

bool encode_jpeg_into(JpegWriteContext& context, JpegErrorManager& errors, const ImageView& image, int quality) {
  jpeg_compress_struct info;
  info.err = &errors.manager;
  install_error_manager(&errors.manager);
  if (setjmp(errors.jump)) {
    jpeg_destroy_compress(&info);
    return false;
  }
  jpeg_create_compress(&info);
  jpeg_mem_dest(&info, &context.buffer, &context.size);
  info.image_width = static_cast<JDIMENSION>(image.width);
  info.image_height = static_cast<JDIMENSION>(image.height);
  info.input_components = image.channels;
  info.in_color_space = image.channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, quality, TRUE);
  jpeg_start_compress(&info, TRUE);
  const std::size_t row_bytes = image.width * image.channels;
  while (info.next_scanline < image.height) {
    JSAMPROW row = const_cast<JSAMPROW>(image.data + info.next_scanline * row_bytes);
    jpeg_write_scanlines(&info, &row, 1);
  }
  jpeg_finish_compress(&info);
  jpeg_destroy_compress(&info);
  return true;
}

void write_bytes(const std::filesystem::path& path, const std::vector<std::uint8_t>& bytes, const char* where) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw Error(std::string(where) + ": cannot write '" + path.string() + "'");
}

}  // namespace

ImageFormat detect_image_format(std::span<const std::uint8_t> bytes) {
  static constexpr std::uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), png_signature, 8) == 0) return ImageFormat::png;
  if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return ImageFormat::jpeg;
  return ImageFormat::unknown;
}

Tensor decode_image(std::span<const std::uint8_t> bytes, DecodeImageOptions options) {
  check_channels(options.channels, "decode_image(" + shown(options.name) + ")");
  switch (detect_image_format(bytes)) {
    case ImageFormat::png: return decode_png(bytes, options);
    case ImageFormat::jpeg: return decode_jpeg(bytes, options);
    case ImageFormat::unknown: break;
  }
  if (bytes.empty()) throw FileFormatError("decode_image: " + shown(options.name) + " is empty");
  char head[64] = {};
  int used = 0;
  for (std::size_t i = 0; i < std::min<std::size_t>(bytes.size(), 4); ++i)
    used += std::snprintf(head + used, sizeof head - used, "%s%02X", i ? " " : "", bytes[i]);
  throw FileFormatError("decode_image: " + shown(options.name) + " is neither PNG nor JPEG (it starts with bytes " +
                        head + "; PNG starts with 89 50 4E 47, JPEG with FF D8 FF)");
}

Tensor decode_image(const std::filesystem::path& path, DecodeImageOptions options) {
  if (options.name.empty()) options.name = path.string();
  const std::vector<std::uint8_t> bytes = read_file_bytes(path);
  return decode_image(std::span<const std::uint8_t>(bytes), std::move(options));
}

std::vector<std::uint8_t> encode_png(const Tensor& image, int compression_level) {
  if (compression_level < 0 || compression_level > 9)
    throw ValueError("encode_png: compression_level must be 0 to 9, got " + std::to_string(compression_level));
  const ImageView view = view_of(image, "encode_png", {1, 2, 3, 4});
  std::vector<png_bytep> rows(view.height);
  for (std::size_t y = 0; y < view.height; ++y)
    rows[y] = const_cast<png_bytep>(view.data + y * view.width * view.channels);
  PngWriteContext context;
  if (!encode_png_into(context, view, compression_level, rows))
    throw Error(std::string("encode_png: libpng failed: ") + (context.message[0] ? context.message : "out of memory"));
  return std::move(context.out);
}

std::vector<std::uint8_t> encode_jpeg(const Tensor& image, int quality) {
  if (quality < 1 || quality > 100)
    throw ValueError("encode_jpeg: quality must be 1 to 100, got " + std::to_string(quality));
  const ImageView view = view_of(image, "encode_jpeg", {1, 3});
  if (view.width > JPEG_MAX_DIMENSION || view.height > JPEG_MAX_DIMENSION)
    throw ShapeError("encode_jpeg: JPEG images are at most 65500 pixels a side, got " + shape_str(image.shape()));
  JpegWriteContext context;
  JpegErrorManager errors;
  const bool ok = encode_jpeg_into(context, errors, view, quality);
  std::vector<std::uint8_t> out;
  if (ok) out.assign(context.buffer, context.buffer + context.size);
  std::free(context.buffer);
  if (!ok) throw Error(std::string("encode_jpeg: libjpeg failed: ") + errors.message);
  return out;
}

void write_png(const std::filesystem::path& path, const Tensor& image, int compression_level) {
  write_bytes(path, encode_png(image, compression_level), "write_png");
}

void write_jpeg(const std::filesystem::path& path, const Tensor& image, int quality) {
  write_bytes(path, encode_jpeg(image, quality), "write_jpeg");
}

std::vector<std::uint8_t> read_file_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw FileFormatError("'" + path.string() + "' does not exist");
  if (std::filesystem::is_directory(path, ec))
    throw FileFormatError("'" + path.string() + "' is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw FileFormatError("'" + path.string() + "' cannot be opened: " + std::strerror(errno));
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::vector<std::uint8_t> bytes(size > 0 ? static_cast<std::size_t>(size) : 0);
  if (size > 0) in.read(reinterpret_cast<char*>(bytes.data()), size);
  if (!in) throw FileFormatError("'" + path.string() + "' could not be read in full");
  return bytes;
}

}  // namespace strata::datasets
