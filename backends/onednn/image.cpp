// image_resize and affine_transform: OpenMP loops over output rows. oneDNN's resampling has no crop, fill modes
// or per-image maps, and its nearest rounding differs from jax.image.resize's floor, so both are native.
#include <cmath>

#include <strata/backends/onednn/common.hpp>
#include <strata/backends/onednn/kernels.hpp>

namespace strata::onednn {

namespace {

/// Element strides of a 4-d image batch in either layout, with its spatial size.
struct ImageLayout {
  std::int64_t n = 0, h = 0, w = 0, c = 0;
  std::int64_t sn = 0, sh = 0, sw = 0, sc = 0;
};

ImageLayout image_layout(const Shape& s, bool channels_first) {
  ImageLayout l;
  l.n = s[0];
  if (channels_first) {
    l.c = s[1], l.h = s[2], l.w = s[3];
    l.sw = 1, l.sh = l.w, l.sc = l.h * l.w;
  } else {
    l.h = s[1], l.w = s[2], l.c = s[3];
    l.sc = 1, l.sw = l.c, l.sh = l.w * l.c;
  }
  l.sn = l.h * l.w * l.c;
  return l;
}

/// Two source taps and the second's weight per output index along one axis.
struct AxisTaps {
  std::vector<std::int64_t> lo, hi;
  std::vector<float> frac;
};

/// jax.image.resize without antialias: linear at (o + 0.5) * in / out - 0.5 with edges clamped; nearest at
/// floor((o + 0.5) * in / out).
AxisTaps resize_taps(std::int64_t in, std::int64_t out, ImageInterpolation interpolation) {
  AxisTaps t;
  const double scale = static_cast<double>(in) / static_cast<double>(out);
  for (std::int64_t o = 0; o < out; ++o) {
    if (interpolation == ImageInterpolation::nearest) {
      const auto i = std::min<std::int64_t>(static_cast<std::int64_t>(std::floor((o + 0.5) * scale)), in - 1);
      t.lo.push_back(i), t.hi.push_back(i), t.frac.push_back(0.0f);
      continue;
    }
    const double s = (o + 0.5) * scale - 0.5;
    const double f = std::floor(s);
    const auto i0 = static_cast<std::int64_t>(f);
    t.lo.push_back(std::clamp<std::int64_t>(i0, 0, in - 1));
    t.hi.push_back(std::clamp<std::int64_t>(i0 + 1, 0, in - 1));
    t.frac.push_back(static_cast<float>(s - f));
  }
  return t;
}

class ImageResizeKernel final : public OnednnKernel {
 public:
  ImageResizeKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    const auto& a = attrs_of<ImageResizeAttrs>(op, context_);
    if (num_inputs() != 1 || in_dtype(0) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": image_resize takes one float32 input");
    in_ = image_layout(in_shape(0), a.channels_first);
    out_ = image_layout(out_shape(0), a.channels_first);
    rows_ = resize_taps(in_.h, out_.h, a.interpolation);
    cols_ = resize_taps(in_.w, out_.w, a.interpolation);
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* x = static_cast<const float*>(buffers.inputs[0]);
    auto* y = static_cast<float*>(buffers.outputs[0]);
    // the lambda owns copies of the small tables, so it does not depend on the kernel object's lifetime
    return [x, y, in = in_, out = out_, rows = rows_, cols = cols_] {
      parallel_chunks(out.n * out.h, 4, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t row = begin; row < end; ++row) {
          const std::int64_t n = row / out.h, oy = row % out.h;
          const float fy = rows.frac[oy];
          const float* r0 = x + n * in.sn + rows.lo[oy] * in.sh;
          const float* r1 = x + n * in.sn + rows.hi[oy] * in.sh;
          float* dst = y + n * out.sn + oy * out.sh;
          for (std::int64_t ox = 0; ox < out.w; ++ox) {
            const float fx = cols.frac[ox];
            const std::int64_t x0 = cols.lo[ox] * in.sw, x1 = cols.hi[ox] * in.sw;
            for (std::int64_t c = 0; c < out.c; ++c) {
              const std::int64_t ci = c * in.sc;
              const float top = r0[x0 + ci] + fx * (r0[x1 + ci] - r0[x0 + ci]);
              const float bottom = r1[x0 + ci] + fx * (r1[x1 + ci] - r1[x0 + ci]);
              dst[ox * out.sw + c * out.sc] = top + fy * (bottom - top);
            }
          }
        }
      });
    };
  }

 private:
  ImageLayout in_, out_;
  AxisTaps rows_, cols_;
};

/// The forward map of one image: source (x, y) = (a0 x + a1 y + a2, b0 x + b1 y + b2) of output pixel (x, y).
struct Affine {
  float a0 = 1, a1 = 0, a2 = 0, b0 = 0, b1 = 1, b2 = 0;
};

/// Keras's matrices (base_image_preprocessing_layer._compute_affine_matrix and the layers' helpers), in float32.
Affine affine_of(const AffineTransformAttrs& a, const float* p, const ImageLayout& in, const ImageLayout& out) {
  Affine m;
  const float w = static_cast<float>(in.w), h = static_cast<float>(in.h);
  switch (a.params) {
    case AffineParams::matrix:
      m = {p[0], p[1], p[2], p[3], p[4], p[5]};
      break;
    case AffineParams::rotation: {
      const float angle = p[0] * static_cast<float>(M_PI / 180.0);
      const float cx = 0.5f * (w - 1), cy = 0.5f * (h - 1);
      const float c = std::cos(angle), s = std::sin(angle);
      m.a0 = c, m.a1 = -s, m.a2 = cx - cx * m.a0 - cy * m.a1;
      m.b0 = s, m.b1 = c, m.b2 = cy - cx * m.b0 - cy * m.b1;
      break;
    }
    case AffineParams::zoom:
      m.a0 = p[0], m.a2 = (w - 1.0f) / 2.0f * (1.0f - p[0]);
      m.b1 = p[1], m.b2 = (h - 1.0f) / 2.0f * (1.0f - p[1]);
      break;
    case AffineParams::translation:
      m.a2 = -p[0], m.b2 = -p[1];
      break;
    case AffineParams::crop: {
      // Keras casts uniform(0, in - out + 1) to int32 (truncation)
      const auto top = static_cast<std::int64_t>(p[0] * static_cast<float>(in.h - out.h + 1));
      const auto left = static_cast<std::int64_t>(p[1] * static_cast<float>(in.w - out.w + 1));
      m.b2 = static_cast<float>(std::clamp<std::int64_t>(top, 0, in.h - out.h));
      m.a2 = static_cast<float>(std::clamp<std::int64_t>(left, 0, in.w - out.w));
      break;
    }
    case AffineParams::flip:
      if (p[0] <= 0.5f) {
        if (a.flip_horizontal) m.a0 = -1, m.a2 = w - 1;
        if (a.flip_vertical) m.b1 = -1, m.b2 = h - 1;
      }
      break;
  }
  return m;
}

/// Python's floor modulo.
inline std::int64_t floor_mod(std::int64_t a, std::int64_t b) {
  const std::int64_t r = a % b;
  return r < 0 ? r + b : r;
}

/// scipy.ndimage / jax map_coordinates index fixers; returns false where `constant` mode must use the fill value.
inline bool fix_index(FillMode mode, std::int64_t& i, std::int64_t size) {
  switch (mode) {
    case FillMode::constant:
      return i >= 0 && i < size;
    case FillMode::nearest:
      i = std::clamp<std::int64_t>(i, 0, size - 1);
      return true;
    case FillMode::wrap:
      i = floor_mod(i, size);
      return true;
    case FillMode::reflect: {
      // jax's _reflect_index_fixer: a mirror of period 2 * size over half-sample positions
      const std::int64_t s = 2 * size;  // (2 * size + 1) - 1
      const std::int64_t mirrored = s == 0 ? 0 : std::abs(floor_mod(2 * i + 1 + s, 2 * s) - s);
      i = (mirrored - 1) >= 0 ? (mirrored - 1) / 2 : -1;
      i = std::clamp<std::int64_t>(i, 0, size - 1);
      return true;
    }
  }
  return true;
}

class AffineTransformKernel final : public OnednnKernel {
 public:
  AffineTransformKernel(const Graph& graph, const Op& op) : OnednnKernel(graph, op) {
    attrs_ = attrs_of<AffineTransformAttrs>(op, context_);
    if (num_inputs() != 2 || in_dtype(0) != DType::float32 || in_dtype(1) != DType::float32)
      throw UnsupportedError("oneDNN backend: " + context_ + ": affine_transform takes (float32 x, float32 params)");
    in_ = image_layout(in_shape(0), attrs_.channels_first);
    out_ = image_layout(out_shape(0), attrs_.channels_first);
    params_per_image_ = in_shape(1)[0] == 1 ? 0 : in_shape(1)[1];
  }

 protected:
  std::function<void()> bind_impl(const KernelBuffers& buffers) const override {
    const auto* x = static_cast<const float*>(buffers.inputs[0]);
    const auto* params = static_cast<const float*>(buffers.inputs[1]);
    auto* y = static_cast<float*>(buffers.outputs[0]);
    return [x, params, y, a = attrs_, in = in_, out = out_, per_image = params_per_image_] {
      const bool bilinear = a.interpolation == ImageInterpolation::bilinear;
      parallel_chunks(out.n * out.h, 4, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t row = begin; row < end; ++row) {
          const std::int64_t n = row / out.h, oy = row % out.h;
          const Affine m = affine_of(a, params + n * per_image, in, out);
          const float* src = x + n * in.sn;
          float* dst = y + n * out.sn + oy * out.sh;
          for (std::int64_t ox = 0; ox < out.w; ++ox) {
            const float fx = static_cast<float>(ox), fy = static_cast<float>(oy);
            const float sx = m.a0 * fx + m.a1 * fy + m.a2;
            const float sy = m.b0 * fx + m.b1 * fy + m.b2;
            float* d = dst + ox * out.sw;
            if (!bilinear) {
              std::int64_t ix = static_cast<std::int64_t>(std::round(sx));
              std::int64_t iy = static_cast<std::int64_t>(std::round(sy));
              const bool valid = fix_index(a.fill_mode, ix, in.w) & fix_index(a.fill_mode, iy, in.h);
              const float* s = src + iy * in.sh + ix * in.sw;
              for (std::int64_t c = 0; c < out.c; ++c) d[c * out.sc] = valid ? s[c * in.sc] : a.fill_value;
              continue;
            }
            const float x0f = std::floor(sx), y0f = std::floor(sy);
            const float wx1 = sx - x0f, wy1 = sy - y0f, wx0 = 1 - wx1, wy0 = 1 - wy1;
            std::int64_t xs[2] = {static_cast<std::int64_t>(x0f), static_cast<std::int64_t>(x0f) + 1};
            std::int64_t ys[2] = {static_cast<std::int64_t>(y0f), static_cast<std::int64_t>(y0f) + 1};
            const bool vx[2] = {fix_index(a.fill_mode, xs[0], in.w), fix_index(a.fill_mode, xs[1], in.w)};
            const bool vy[2] = {fix_index(a.fill_mode, ys[0], in.h), fix_index(a.fill_mode, ys[1], in.h)};
            const float wt[4] = {wy0 * wx0, wy0 * wx1, wy1 * wx0, wy1 * wx1};
            const bool valid[4] = {vy[0] && vx[0], vy[0] && vx[1], vy[1] && vx[0], vy[1] && vx[1]};
            const float* tap[4] = {src + ys[0] * in.sh + xs[0] * in.sw, src + ys[0] * in.sh + xs[1] * in.sw,
                                   src + ys[1] * in.sh + xs[0] * in.sw, src + ys[1] * in.sh + xs[1] * in.sw};
            for (std::int64_t c = 0; c < out.c; ++c) {
              float acc = 0;
              for (int k = 0; k < 4; ++k) acc += wt[k] * (valid[k] ? tap[k][c * in.sc] : a.fill_value);
              d[c * out.sc] = acc;
            }
          }
        }
      });
    };
  }

 private:
  AffineTransformAttrs attrs_;
  ImageLayout in_, out_;
  std::int64_t params_per_image_ = 0;
};

}  // namespace

std::unique_ptr<Kernel> make_image_resize_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<ImageResizeKernel>(graph, op);
}

std::unique_ptr<Kernel> make_affine_transform_kernel(const Graph& graph, const Op& op) {
  return std::make_unique<AffineTransformKernel>(graph, op);
}

}  // namespace strata::onednn
