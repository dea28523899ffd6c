"""Writes preprocessing_reference.json: inputs, configs and outputs of real Keras 3 (jax backend) for the image
preprocessing layers that tests/unit/test_preprocessing_layers.cpp checks strata against. Random layers are run
in training with equal factor bounds, where their transform is deterministic.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_preprocessing_reference.py
"""
import json
import os

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(20261121)
L = keras.layers


def arr(a):
    a = np.asarray(a, dtype="float32")
    return {"shape": list(a.shape), "dtype": "float32", "data": [float("%.7g" % v) for v in a.reshape(-1)]}


def image(*shape, scale=1.0):
    return (rng.uniform(0, 1, shape) * scale).astype("float32")


cases = []


def case(name, layer, x, training=True, alternatives=None):
    y = np.asarray(layer(x, training=training))
    c = {"name": name, "class_name": type(layer).__name__, "config": layer.get_config(), "training": training,
         "input": arr(x), "output": arr(y)}
    if alternatives is not None:
        c["alternatives"] = [arr(a) for a in alternatives]
    cases.append(c)


# Resizing: each interpolation strata supports, up and down, crop / pad to aspect ratio, layouts, single images
case("resizing_bilinear_up", L.Resizing(7, 9), image(2, 4, 5, 3))
case("resizing_bilinear_down", L.Resizing(3, 4), image(2, 8, 9, 2))
case("resizing_bilinear_mixed", L.Resizing(6, 3), image(1, 4, 7, 2))
case("resizing_nearest_up", L.Resizing(7, 9, interpolation="nearest"), image(2, 4, 5, 3))
case("resizing_nearest_down", L.Resizing(3, 5, interpolation="nearest"), image(2, 8, 9, 2))
case("resizing_crop_to_aspect_ratio", L.Resizing(4, 4, crop_to_aspect_ratio=True), image(2, 6, 9, 2))
case("resizing_crop_to_aspect_ratio_tall", L.Resizing(5, 2, crop_to_aspect_ratio=True), image(1, 6, 7, 1))
case("resizing_pad_to_aspect_ratio_height", L.Resizing(4, 8, pad_to_aspect_ratio=True, fill_value=0.5),
     image(2, 3, 5, 2))
case("resizing_pad_to_aspect_ratio_width", L.Resizing(6, 6, pad_to_aspect_ratio=True), image(1, 6, 3, 2))
case("resizing_channels_first", L.Resizing(5, 3, data_format="channels_first"), image(2, 3, 4, 6))
case("resizing_single_image", L.Resizing(6, 7), image(4, 5, 3))
case("resizing_inference", L.Resizing(3, 3), image(2, 5, 4, 1), training=False)

# CenterCrop: a window of a larger image; a smaller one is cropped to the aspect ratio and resized
case("center_crop", L.CenterCrop(3, 4), image(2, 6, 7, 2))
case("center_crop_odd", L.CenterCrop(2, 2), image(1, 5, 5, 1), training=False)
case("center_crop_smaller", L.CenterCrop(8, 5), image(2, 6, 7, 2))
case("center_crop_channels_first", L.CenterCrop(3, 2, data_format="channels_first"), image(2, 2, 5, 6))

# geometric layers with equal factor bounds: one fixed transform, every fill mode
for mode in ("reflect", "wrap", "constant", "nearest"):
    case(f"rotation_90_{mode}", L.RandomRotation((0.25, 0.25), fill_mode=mode, fill_value=0.25), image(2, 5, 7, 2))
    case(f"rotation_36_{mode}", L.RandomRotation((0.1, 0.1), fill_mode=mode, fill_value=-1.0), image(2, 6, 6, 2))
    case(f"zoom_out_{mode}", L.RandomZoom((0.5, 0.5), width_factor=(0.3, 0.3), fill_mode=mode, fill_value=2.0),
         image(2, 6, 8, 2))
    case(f"translation_{mode}", L.RandomTranslation((0.2, 0.2), (-0.3, -0.3), fill_mode=mode, fill_value=0.5),
         image(2, 5, 7, 2))
case("rotation_36_nearest_interpolation", L.RandomRotation((-0.1, -0.1), interpolation="nearest"), image(2, 6, 6, 2))
case("rotation_channels_first", L.RandomRotation((0.25, 0.25), data_format="channels_first"), image(2, 2, 5, 7))
case("zoom_in_nearest_interpolation", L.RandomZoom((-0.4, -0.4), interpolation="nearest", fill_mode="constant"),
     image(2, 7, 6, 1))
case("zoom_in_same_width", L.RandomZoom((-0.25, -0.25)), image(2, 6, 6, 2))
case("translation_fraction", L.RandomTranslation((0.13, 0.13), (0.21, 0.21), fill_mode="constant"),
     image(2, 6, 5, 2))
case("translation_single_image", L.RandomTranslation((-0.4, -0.4), (0.0, 0.0)), image(5, 4, 3))

# colour layers with fixed factors
case("contrast_1_3", L.RandomContrast((-0.3, 0.3)), image(2, 4, 5, 3, scale=255.0))
case("contrast_1_4_unit_range", L.RandomContrast((-0.4, 0.4), value_range=(0, 1)), image(2, 4, 4, 2))
case("contrast_channels_first", L.RandomContrast((-0.5, 0.5), data_format="channels_first"),
     image(2, 3, 4, 4, scale=255.0))
case("brightness_plus", L.RandomBrightness((0.1, 0.1)), image(2, 4, 5, 3, scale=255.0))
case("brightness_minus_unit_range", L.RandomBrightness((-0.2, -0.2), value_range=(1, 0)), image(2, 3, 3, 2))

# RandomCrop where the window is fixed: one dim equal to the target (centred), or too small (crop then resize)
case("random_crop_equal_height", L.RandomCrop(6, 4, seed=3), image(2, 6, 8, 3))
case("random_crop_too_small", L.RandomCrop(8, 8, seed=3), image(2, 6, 8, 3))

# RandomFlip: each image either stays or flips; the test checks against both
for mode, axes in (("horizontal", (2,)), ("vertical", (1,)), ("horizontal_and_vertical", (1, 2))):
    x = image(16, 3, 4, 2)
    case(f"flip_{mode}", L.RandomFlip(mode, seed=7), x, alternatives=[x, np.flip(x, axis=axes)])

# configs strata must write back with Keras's keys and values
config_cases = []
for layer in [L.Resizing(4, 5), L.Resizing(3, 3, interpolation="nearest", pad_to_aspect_ratio=True, fill_value=1.5),
              L.CenterCrop(3, 3, data_format="channels_first"), L.RandomFlip("vertical", seed=3),
              L.RandomRotation(0.2, fill_mode="wrap", interpolation="nearest", seed=5), L.RandomRotation((-0.1, 0.3)),
              L.RandomZoom(0.1), L.RandomZoom((-0.2, 0.3), width_factor=0.4, fill_mode="constant", fill_value=1.0),
              L.RandomTranslation(0.1, (-0.2, 0.2), seed=11), L.RandomCrop(3, 3, seed=42),
              L.RandomContrast(0.5), L.RandomContrast((0.2, 0.6), value_range=(0, 1), seed=2),
              L.RandomBrightness(0.2), L.RandomBrightness((-0.1, 0.3), value_range=(1, 0), seed=9)]:
    config_cases.append({"class_name": type(layer).__name__, "config": layer.get_config()})

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "preprocessing_reference.json")
with open(out, "w") as f:
    json.dump({"keras_version": keras.__version__, "layers": cases, "configs": config_cases}, f, separators=(",", ":"))
print("wrote", out, len(cases), "layer cases")
