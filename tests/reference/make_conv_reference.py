"""Writes keras_conv_reference.json: configs, inputs, weights and outputs of real Keras 3 (jax backend) for the
convolution layers (Conv1D/2D/3D, Conv*Transpose, DepthwiseConv*, SeparableConv*) in both data formats, which
tests/unit/test_conv_layers.cpp checks strata against. A file of its own so it regenerates independently of
keras_reference.json.

    /tmp/kvenv/bin/python tests/reference/make_conv_reference.py
"""
import json
import os

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(20240704)
L = keras.layers


def arr(a):
    a = np.asarray(a, dtype="float32")
    return {"shape": list(a.shape), "dtype": "float32", "data": [float("%.9g" % v) for v in a.reshape(-1)]}


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype("float32")


cases = []


def case(name, layer, x):
    """Builds `layer` for x with random weights and records its config, weights and output."""
    layer.build(x.shape)
    weights = [f32(*w.shape, scale=0.5) for w in layer.get_weights()]
    layer.set_weights(weights)
    y = np.asarray(layer(x))
    cases.append({"name": name, "class_name": type(layer).__name__, "config": layer.get_config(),
                  "config_keys": sorted(layer.get_config().keys()), "input": arr(x),
                  "weights": [arr(w) for w in weights], "weight_names": [w.path.split("/")[-1] for w in layer.weights],
                  "output": arr(y)})


CF = "channels_first"

case("conv1d_valid", L.Conv1D(4, 3), f32(2, 9, 3))
case("conv1d_same_strides2", L.Conv1D(3, 3, strides=2, padding="same"), f32(2, 10, 2))
case("conv1d_causal_dilation2", L.Conv1D(3, 3, padding="causal", dilation_rate=2, activation="tanh"), f32(2, 9, 2))
case("conv1d_groups2_cf", L.Conv1D(4, 3, groups=2, data_format=CF), f32(2, 4, 8))
case("conv1d_causal_strides2_cf", L.Conv1D(2, 4, strides=2, padding="causal", data_format=CF), f32(1, 3, 9))
case("conv2d_same_cf", L.Conv2D(4, 3, padding="same", data_format=CF, activation="relu"), f32(2, 3, 7, 6))
case("conv2d_strides_valid_cf", L.Conv2D(3, (3, 2), strides=(2, 1), data_format=CF), f32(2, 2, 9, 8))
case("conv2d_groups3_dilation2_cf", L.Conv2D(6, 3, groups=3, dilation_rate=2, data_format=CF), f32(1, 6, 9, 9))
case("conv3d_valid", L.Conv3D(3, 2), f32(2, 4, 5, 4, 2))
case("conv3d_same_strides2", L.Conv3D(2, (3, 2, 3), strides=2, padding="same"), f32(1, 5, 6, 5, 3))
case("conv3d_dilation_same_cf", L.Conv3D(2, 2, dilation_rate=(1, 2, 1), padding="same", data_format=CF),
     f32(1, 2, 4, 6, 5))
case("conv3d_groups2", L.Conv3D(4, 2, groups=2, use_bias=False), f32(1, 4, 4, 4, 4))

case("conv1d_transpose_valid", L.Conv1DTranspose(3, 3), f32(2, 5, 2))
case("conv1d_transpose_same_strides2", L.Conv1DTranspose(3, 3, strides=2, padding="same"), f32(2, 5, 2))
case("conv1d_transpose_strides3_kernel2", L.Conv1DTranspose(2, 2, strides=3), f32(1, 4, 3))
case("conv1d_transpose_same_strides3_kernel1", L.Conv1DTranspose(2, 1, strides=3, padding="same"), f32(1, 4, 2))
case("conv1d_transpose_output_padding_cf", L.Conv1DTranspose(2, 3, strides=2, output_padding=1, data_format=CF),
     f32(2, 3, 5))
case("conv1d_transpose_dilation2_same", L.Conv1DTranspose(2, 3, dilation_rate=2, padding="same"), f32(1, 6, 2))
case("conv2d_transpose_valid", L.Conv2DTranspose(4, 3), f32(2, 4, 5, 3))
case("conv2d_transpose_same_strides2", L.Conv2DTranspose(3, 3, strides=2, padding="same", activation="relu"),
     f32(2, 4, 5, 2))
case("conv2d_transpose_same_output_padding",
     L.Conv2DTranspose(2, (3, 4), strides=(2, 3), padding="same", output_padding=(1, 2)), f32(1, 4, 3, 2))
case("conv2d_transpose_valid_output_padding_cf",
     L.Conv2DTranspose(3, 3, strides=2, output_padding=1, data_format=CF), f32(2, 2, 4, 5))
case("conv2d_transpose_same_even_kernel_cf", L.Conv2DTranspose(2, 4, strides=2, padding="same", data_format=CF),
     f32(1, 3, 4, 4))
case("conv2d_transpose_dilation2", L.Conv2DTranspose(2, 3, dilation_rate=2, use_bias=False), f32(1, 4, 4, 2))
case("conv3d_transpose_same_strides2", L.Conv3DTranspose(2, 3, strides=2, padding="same"), f32(1, 3, 3, 2, 2))
case("conv3d_transpose_output_padding_cf",
     L.Conv3DTranspose(2, 2, strides=(2, 1, 2), output_padding=(1, 0, 0), data_format=CF), f32(1, 2, 3, 3, 2))

case("depthwise_conv1d_valid", L.DepthwiseConv1D(3), f32(2, 8, 3))
case("depthwise_conv1d_multiplier2_same_strides2",
     L.DepthwiseConv1D(3, depth_multiplier=2, strides=2, padding="same"), f32(2, 9, 3))
case("depthwise_conv1d_dilation2_cf", L.DepthwiseConv1D(3, depth_multiplier=2, dilation_rate=2, data_format=CF),
     f32(1, 3, 10))
case("depthwise_conv2d_same", L.DepthwiseConv2D(3, padding="same", activation="relu"), f32(2, 6, 5, 4))
case("depthwise_conv2d_multiplier3_strides2", L.DepthwiseConv2D((3, 2), depth_multiplier=3, strides=2),
     f32(2, 7, 6, 2))
case("depthwise_conv2d_dilation2_same_cf",
     L.DepthwiseConv2D(3, depth_multiplier=2, dilation_rate=2, padding="same", data_format=CF), f32(1, 3, 8, 7))
case("depthwise_conv2d_strides2_dilation2", L.DepthwiseConv2D(3, strides=2, dilation_rate=2), f32(1, 11, 10, 2))
case("separable_conv1d_valid", L.SeparableConv1D(4, 3), f32(2, 8, 3))
case("separable_conv1d_multiplier2_same_strides2_cf",
     L.SeparableConv1D(3, 3, depth_multiplier=2, strides=2, padding="same", data_format=CF), f32(2, 3, 9))
case("separable_conv2d_same", L.SeparableConv2D(4, 3, padding="same", activation="relu"), f32(2, 6, 5, 3))
case("separable_conv2d_multiplier2_strides2_cf",
     L.SeparableConv2D(3, (3, 2), depth_multiplier=2, strides=2, data_format=CF), f32(2, 2, 7, 6))
case("separable_conv2d_dilation2_no_bias", L.SeparableConv2D(2, 3, dilation_rate=2, use_bias=False), f32(1, 8, 8, 2))

# Configs of default-constructed layers: strata's defaults must write the same keys and values.
default_configs = {
    "Conv1D": L.Conv1D(2, 3).get_config(),
    "Conv2D": L.Conv2D(2, 3).get_config(),
    "Conv3D": L.Conv3D(2, 3).get_config(),
    "Conv1DTranspose": L.Conv1DTranspose(2, 3).get_config(),
    "Conv2DTranspose": L.Conv2DTranspose(2, 3).get_config(),
    "Conv3DTranspose": L.Conv3DTranspose(2, 3).get_config(),
    "DepthwiseConv1D": L.DepthwiseConv1D(3).get_config(),
    "DepthwiseConv2D": L.DepthwiseConv2D(3).get_config(),
    "SeparableConv1D": L.SeparableConv1D(2, 3).get_config(),
    "SeparableConv2D": L.SeparableConv2D(2, 3).get_config(),
}

reference = {"keras_version": keras.__version__, "backend": keras.backend.backend(), "layers": cases,
             "default_configs": default_configs}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_conv_reference.json")
with open(out, "w") as f:
    json.dump(reference, f, separators=(",", ":"), default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))
print(f"wrote {out} ({os.path.getsize(out)} bytes), keras {keras.__version__}")
