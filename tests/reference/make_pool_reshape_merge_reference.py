"""Writes pool_reshape_merge_reference.json: configs, inputs and outputs of real Keras 3 (jax backend) for the
pooling, reshaping and merging layers that tests/unit/test_pool_reshape_merge_layers.cpp checks strata against.
A file of its own (not keras_reference.json) so that regenerating it never conflicts with the other layers.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_pool_reshape_merge_reference.py
"""
import json
import os

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(20241121)
L = keras.layers


def arr(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "data": [float("%.9g" % v) for v in a.reshape(-1)]}


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


cases = []


def case(name, layer, *inputs):
    """Records the layer's config, the inputs and Keras's output; several inputs make a merge layer's list."""
    y = layer(list(inputs)) if len(inputs) > 1 else layer(inputs[0])
    config = layer.get_config()
    for k in ("name", "trainable", "dtype"):
        config.pop(k, None)
    cases.append({"name": name, "class_name": type(layer).__name__, "config": config,
                  "inputs": [arr(x) for x in inputs], "output": arr(np.asarray(y))})


CF = {"data_format": "channels_first"}

# ---- pooling -------------------------------------------------------------------------------------
case("max_pool1d", L.MaxPooling1D(), f32(2, 7, 3))
case("max_pool1d_3_s1_same_cf", L.MaxPooling1D(3, strides=1, padding="same", **CF), f32(2, 3, 7))
case("avg_pool1d_3_s2_same", L.AveragePooling1D(3, strides=2, padding="same"), f32(2, 8, 3))
case("avg_pool1d_3_s2_same_cf", L.AveragePooling1D(3, strides=2, padding="same", **CF), f32(2, 3, 8))
case("max_pool2d_3_s2_same_cf", L.MaxPooling2D(3, strides=2, padding="same", **CF), f32(2, 2, 7, 8))
case("avg_pool2d_2x3_same_cf", L.AveragePooling2D((2, 3), padding="same", **CF), f32(1, 2, 5, 7))
case("avg_pool2d_valid_cf", L.AveragePooling2D(2, **CF), f32(2, 3, 6, 5))
case("max_pool3d", L.MaxPooling3D(), f32(2, 4, 5, 4, 2))
case("max_pool3d_same_cf", L.MaxPooling3D((2, 3, 2), strides=(1, 2, 2), padding="same", **CF), f32(1, 2, 4, 5, 3))
case("avg_pool3d_same", L.AveragePooling3D(2, padding="same"), f32(2, 3, 5, 4, 2))
case("avg_pool3d_3_s2_cf", L.AveragePooling3D(3, strides=2, padding="same", **CF), f32(1, 2, 5, 4, 6))
case("global_max_pool1d", L.GlobalMaxPooling1D(), f32(2, 5, 3))
case("global_max_pool1d_cf_keepdims", L.GlobalMaxPooling1D(keepdims=True, **CF), f32(2, 3, 5))
case("global_avg_pool1d", L.GlobalAveragePooling1D(), f32(2, 5, 3))
case("global_avg_pool1d_cf", L.GlobalAveragePooling1D(**CF), f32(2, 3, 5))
case("global_max_pool2d", L.GlobalMaxPooling2D(), f32(2, 4, 3, 3))
case("global_max_pool2d_cf", L.GlobalMaxPooling2D(**CF), f32(2, 3, 4, 3))
case("global_avg_pool2d_cf_keepdims", L.GlobalAveragePooling2D(keepdims=True, **CF), f32(2, 3, 4, 3))
case("global_max_pool3d_keepdims", L.GlobalMaxPooling3D(keepdims=True), f32(2, 3, 2, 4, 3))
case("global_avg_pool3d", L.GlobalAveragePooling3D(), f32(2, 3, 2, 4, 3))
case("global_avg_pool3d_cf", L.GlobalAveragePooling3D(**CF), f32(2, 3, 3, 2, 4))

# ---- reshaping -----------------------------------------------------------------------------------
case("permute_21", L.Permute((2, 1)), f32(2, 3, 4))
case("permute_312", L.Permute((3, 1, 2)), f32(2, 3, 4, 5))
case("repeat_vector", L.RepeatVector(3), f32(2, 4))
case("cropping1d", L.Cropping1D((1, 2)), f32(2, 6, 3))
case("cropping2d", L.Cropping2D(((1, 2), (0, 1))), f32(2, 5, 4, 3))
case("cropping2d_cf", L.Cropping2D(((1, 2), (0, 1)), **CF), f32(2, 3, 5, 4))
case("cropping2d_symmetric", L.Cropping2D((1, 2)), f32(1, 4, 6, 2))
case("cropping3d", L.Cropping3D(((1, 0), (0, 1), (1, 1))), f32(2, 3, 3, 4, 2))
case("cropping3d_cf", L.Cropping3D(((1, 0), (0, 1), (1, 1)), **CF), f32(2, 2, 3, 3, 4))
case("up_sampling1d", L.UpSampling1D(3), f32(2, 4, 3))
case("up_sampling2d_nearest", L.UpSampling2D((2, 3)), f32(2, 3, 4, 2))
case("up_sampling2d_nearest_cf", L.UpSampling2D((2, 3), **CF), f32(2, 2, 3, 4))
case("up_sampling2d_bilinear", L.UpSampling2D(2, interpolation="bilinear"), f32(2, 3, 4, 2))
case("up_sampling2d_bilinear_cf", L.UpSampling2D(2, interpolation="bilinear", **CF), f32(2, 2, 3, 4))
case("up_sampling2d_bilinear_3x2", L.UpSampling2D((3, 2), interpolation="bilinear"), f32(1, 4, 3, 2))
case("up_sampling3d", L.UpSampling3D((2, 1, 2)), f32(2, 2, 3, 2, 2))
case("up_sampling3d_cf", L.UpSampling3D((2, 1, 2), **CF), f32(2, 2, 2, 3, 2))
case("zero_padding1d", L.ZeroPadding1D((1, 2)), f32(2, 4, 3))
case("zero_padding1d_cf", L.ZeroPadding1D(2, **CF), f32(2, 3, 4))
case("zero_padding2d", L.ZeroPadding2D(((1, 2), (0, 1))), f32(2, 3, 4, 2))
case("zero_padding2d_cf", L.ZeroPadding2D((1, 2), **CF), f32(2, 2, 3, 4))
case("zero_padding3d", L.ZeroPadding3D(((1, 0), (0, 2), (1, 1))), f32(1, 2, 3, 2, 2))
case("zero_padding3d_cf", L.ZeroPadding3D(1, **CF), f32(1, 2, 2, 3, 2))

# ---- merging -------------------------------------------------------------------------------------
case("add3", L.Add(), f32(2, 3, 4), f32(2, 3, 4), f32(2, 3, 4))
case("add_broadcast", L.Add(), f32(2, 3, 4), f32(2, 1, 4))
case("add_lower_rank", L.Add(), f32(2, 3, 4), f32(2, 4))
case("subtract", L.Subtract(), f32(2, 5), f32(2, 5))
case("multiply", L.Multiply(), f32(2, 3, 4), f32(2, 3, 1))
case("average3", L.Average(), f32(2, 4), f32(2, 4), f32(2, 4))
case("maximum", L.Maximum(), f32(2, 3, 4), f32(2, 3, 4))
case("minimum3", L.Minimum(), f32(2, 4), f32(2, 4), f32(2, 4))
case("concatenate_last", L.Concatenate(), f32(2, 3, 4), f32(2, 3, 2))
case("concatenate_axis1", L.Concatenate(axis=1), f32(2, 3, 4), f32(2, 1, 4), f32(2, 2, 4))
case("concatenate_axis_minus2", L.Concatenate(axis=-2), f32(2, 2, 3, 4), f32(2, 2, 5, 4))
case("dot_axes1", L.Dot(axes=1), f32(2, 3), f32(2, 3))
case("dot_axes_1_2", L.Dot(axes=(1, 2)), f32(2, 3, 5), f32(2, 4, 3))
case("dot_axes_minus1_normalize", L.Dot(axes=-1, normalize=True), f32(2, 3, 4), f32(2, 5, 4))
case("dot_axes_2_1_normalize", L.Dot(axes=(2, 1), normalize=True), f32(2, 3, 4), f32(2, 4, 5))
case("dot_rank2_rank3", L.Dot(axes=(1, 2)), f32(2, 4), f32(2, 3, 4))

reference = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "layers": cases}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pool_reshape_merge_reference.json")
with open(out, "w") as f:
    json.dump(reference, f, separators=(",", ":"), default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))
print(f"wrote {out} ({os.path.getsize(out)} bytes), keras {keras.__version__}, {len(cases)} cases")
