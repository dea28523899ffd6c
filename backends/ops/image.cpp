// Ops of the image preprocessing layers: image_resize, affine_transform.
#include <strata/backends/ops/op_rules.hpp>

namespace strata {
namespace rules {

namespace {

/// x's shape with its spatial dims replaced by height x width (0 keeps x's).
Shape resized(const Graph& g, OpKind kind, const Shape& x, std::int64_t height, std::int64_t width,
              bool channels_first) {
  if (x.size() != 4) shape_error(g, kind, "expects a batch of images (rank 4), got " + shape_str(x));
  if (height < 0 || width < 0 || (kind == OpKind::image_resize && (height == 0 || width == 0)))
    shape_error(g, kind, "output size " + std::to_string(height) + "x" + std::to_string(width) + " must be positive");
  Shape y = x;
  const std::size_t h = channels_first ? 2 : 1;
  if (height > 0) y[h] = height;
  if (width > 0) y[h + 1] = width;
  return y;
}

/// Values per row of the params input for each kind.
std::int64_t params_width(AffineParams p) {
  switch (p) {
    case AffineParams::matrix: return 8;
    case AffineParams::rotation: return 1;
    case AffineParams::zoom: return 2;
    case AffineParams::translation: return 2;
    case AffineParams::crop: return 2;
    case AffineParams::flip: return 1;
  }
  return 0;
}

}  // namespace

std::vector<OutputSpec> infer_image(const Graph& g, OpKind kind, OpAttrs& attrs, const Inputs& in) {
  if (kind == OpKind::image_resize) {
    expect_inputs(g, kind, in, 1, 1);
    expect_float(g, kind, in[0], "input");
    const auto& a = std::get<ImageResizeAttrs>(attrs);
    return {{resized(g, kind, g.value(in[0]).shape, a.height, a.width, a.channels_first), DType::float32}};
  }
  expect_inputs(g, kind, in, 2, 2);
  expect_float(g, kind, in[0], "input");
  expect_float(g, kind, in[1], "params");
  const auto& a = std::get<AffineTransformAttrs>(attrs);
  const Shape& x = g.value(in[0]).shape;
  const Shape& p = g.value(in[1]).shape;
  if (p.size() != 2 || (p[0] != 1 && p[0] != x.at(0)) || p[1] != params_width(a.params))
    shape_error(g, kind, "params " + shape_str(p) + " must be (1 or batch, " + std::to_string(params_width(a.params)) +
                             ") for input " + shape_str(x));
  if (a.params != AffineParams::crop && (a.height != 0 || a.width != 0))
    shape_error(g, kind, "only crop changes the output size");
  return {{resized(g, kind, x, a.height, a.width, a.channels_first), DType::float32}};
}

Grads grad_image(Graph& g, const Op& op, const Grads& dy) {
  if (!dy[0].valid()) return Grads(op.inputs.size());
  // Keras passes no gradient through image augmentation; a model that needs one has a layer before the input
  throw UnsupportedError("layer '" + op.layer + "': " + std::string(op_kind_name(op.kind)) +
                         " has no gradient; place image preprocessing layers before any trainable layer");
}

}  // namespace rules

Value ops::image_resize(Value x, ImageInterpolation interpolation, std::int64_t height, std::int64_t width,
                        bool channels_first) {
  return x.graph().add_op(OpKind::image_resize, ImageResizeAttrs{interpolation, height, width, channels_first},
                          {x.id()})[0];
}

Value ops::affine_transform(Value x, Value params, const AffineTransformAttrs& attrs) {
  return x.graph().add_op(OpKind::affine_transform, attrs, {x.id(), params.id()})[0];
}

}  // namespace strata
