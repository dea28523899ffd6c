"""Writes apps2_reference.json: real Keras 3 (jax backend) outputs and configs of Rescaling, Normalization (given,
adapted from one array and from batches, inverted) and ConvNeXt's LayerScale and StochasticDepth, read by
tests/unit/test_preprocessing_apps_layers.cpp. Run with the interop venv: KERAS_BACKEND=jax python make_apps2_reference.py
"""
import json
import os

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np
import keras
from keras.src.applications.convnext import LayerScale, StochasticDepth
import keras.src.layers.preprocessing.normalization as normalization_module
import types

# adapt() on a list of batches checks isinstance(data, tf.data.Dataset) first, which imports TensorFlow; the venv
# has none, so a stand-in lets Keras's own batch-merging code run
normalization_module.tf = types.SimpleNamespace(data=types.SimpleNamespace(Dataset=type("Dataset", (), {})))

rng = np.random.default_rng(8)


def f32(*shape, scale=1.0, offset=0.0):
    return (offset + scale * rng.uniform(-1, 1, size=shape)).astype("float32")


cases = []


def case(name, layer, x, adapt=None, adapt_batches=None):
    if adapt is not None:
        layer.adapt(adapt)
    if adapt_batches is not None:
        layer.adapt(adapt_batches)
    y = np.asarray(layer(x))
    config = layer.get_config()
    config.pop("dtype", None)
    entry = {"name": name, "input": x.tolist(), "input_shape": list(x.shape), "output": y.reshape(-1).tolist(),
             "output_shape": list(y.shape), "config": config,
             "weights": [np.asarray(w).reshape(-1).tolist() for w in layer.get_weights()],
             "weight_shapes": [list(np.shape(w)) for w in layer.get_weights()]}
    if adapt is not None:
        entry["adapt"] = adapt.reshape(-1).tolist()
        entry["adapt_shape"] = list(adapt.shape)
    if adapt_batches is not None:
        entry["adapt_batches"] = [b.reshape(-1).tolist() for b in adapt_batches]
        entry["adapt_batch_shapes"] = [list(b.shape) for b in adapt_batches]
    cases.append(entry)


case("rescaling_scalar", keras.layers.Rescaling(1.0 / 255), f32(2, 4, 4, 3, scale=255))
case("rescaling_offset", keras.layers.Rescaling(1.0 / 127.5, offset=-1.0), f32(2, 5, 3, scale=255))
case("rescaling_per_channel", keras.layers.Rescaling([0.5, 2.0, -1.0], offset=0.25), f32(2, 3, 3, 3))
case("normalization_given", keras.layers.Normalization(mean=[0.485 * 255, 0.456 * 255, 0.406 * 255],
                                                       variance=[(0.229 * 255) ** 2, (0.224 * 255) ** 2,
                                                                 (0.225 * 255) ** 2]),
     f32(2, 3, 3, 3, scale=128, offset=128))
case("normalization_given_scalar", keras.layers.Normalization(mean=3.0, variance=2.0), f32(4, 2, scale=3))
case("normalization_given_invert", keras.layers.Normalization(mean=[1.0, -2.0], variance=[4.0, 0.25], invert=True),
     f32(3, 2))
case("normalization_adapt_last_axis", keras.layers.Normalization(), f32(2, 4), adapt=f32(50, 4, scale=3, offset=1))
case("normalization_adapt_none", keras.layers.Normalization(axis=None), f32(3, 2),
     adapt=f32(20, 2, scale=2, offset=-1))
case("normalization_adapt_axes_12", keras.layers.Normalization(axis=(1, 2)), f32(2, 3, 2, 2),
     adapt=f32(10, 3, 2, 2, scale=5))
case("normalization_adapt_batches", keras.layers.Normalization(axis=-1), f32(2, 3, 3),
     adapt_batches=[f32(4, 3, 3, scale=2), f32(7, 3, 3, offset=3), f32(1, 3, 3, scale=4, offset=-2)])
case("normalization_adapt_invert", keras.layers.Normalization(invert=True), f32(2, 3),
     adapt=f32(30, 3, scale=4, offset=2))
ls = LayerScale(0.5, 4)
ls.build((None, 4))
ls.set_weights([np.array([0.5, -1.0, 2.0, 0.25], "float32")])
case("layer_scale", ls, f32(2, 3, 4))
case("stochastic_depth_inference", StochasticDepth(0.3), f32(2, 3, 4))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "apps2_reference.json")
with open(out, "w") as f:
    json.dump({"keras_version": keras.__version__, "cases": cases}, f, separators=(",", ":"))
print("wrote", out, len(cases), "cases")
