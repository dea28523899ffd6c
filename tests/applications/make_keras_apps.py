"""Builds keras.applications models with weights=None under a fixed seed and records what strata must reproduce.

    python make_keras_apps.py OUT_DIR [ci|all] [CASE...]

For each case OUT_DIR/<case>/ holds:
  case.json       the constructor and its arguments, Keras's model name, exact parameter count, the layer list
                  (name, class name), the weights file name and the array shapes
  weights file    the model's weights, either as Keras 3's model.save_weights (.weights.h5) or in the legacy layout
                  of the published keras-applications files (layer_names attr, per-layer weight_names ending in
                  ":0"), written by keras.src.legacy.saving.legacy_h5_format.save_weights_to_hdf5_group
  images.bin      2 random images in [0, 255] (float32, little endian)
  preprocessed.bin  the family's preprocess_input of the images (Keras's)
  outputs.bin     Keras's outputs on the preprocessed images
  summary.txt     Keras's model.summary() text (for the cases marked so)
OUT_DIR/manifest.json lists the cases.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402

A = keras.applications

# name: (constructor, module (preprocess_input), kwargs, legacy weights layout, in the CI subset, write summary)
CASES = {
    "resnet50": ("ResNet50", "resnet", dict(include_top=True, input_shape=(128, 128, 3)), True, True, True),
    "vgg16": ("VGG16", "vgg16", dict(include_top=False, input_shape=(64, 64, 3), pooling="max"), False, True, False),
    "mobilenetv2": ("MobileNetV2", "mobilenet_v2", dict(include_top=True, input_shape=(96, 96, 3)), False, True,
                    False),
    "densenet121": ("DenseNet121", "densenet", dict(include_top=False, input_shape=(64, 64, 3), pooling="avg"),
                    True, True, False),
    # the rest run under the `slow` label
    "vgg16_top": ("VGG16", "vgg16", dict(include_top=True, input_shape=(32, 32, 3), classes=10,
                                         classifier_activation=None), True, False, False),
    "vgg19": ("VGG19", "vgg19", dict(include_top=False, input_shape=(64, 64, 3), pooling="avg"), True, False, False),
    "resnet101": ("ResNet101", "resnet", dict(include_top=False, input_shape=(64, 64, 3), pooling="avg"), True,
                  False, False),
    "resnet152": ("ResNet152", "resnet", dict(include_top=False, input_shape=(64, 64, 3), pooling="max"), False,
                  False, False),
    "resnet50v2": ("ResNet50V2", "resnet_v2", dict(include_top=True, input_shape=(64, 64, 3)), True, False, False),
    "resnet101v2": ("ResNet101V2", "resnet_v2", dict(include_top=False, input_shape=(64, 64, 3), pooling="avg"),
                    False, False, False),
    "resnet152v2": ("ResNet152V2", "resnet_v2", dict(include_top=False, input_shape=(64, 64, 3)), True, False,
                    False),
    "densenet169": ("DenseNet169", "densenet", dict(include_top=False, input_shape=(64, 64, 3), pooling="max"),
                    False, False, False),
    "densenet201": ("DenseNet201", "densenet", dict(include_top=True, input_shape=(64, 64, 3), classes=7), True,
                    False, False),
    "mobilenetv2_035": ("MobileNetV2", "mobilenet_v2", dict(include_top=False, input_shape=(64, 64, 3),
                                                            alpha=0.35, pooling="avg"), True, False, False),
    "mobilenetv2_140": ("MobileNetV2", "mobilenet_v2", dict(include_top=False, input_shape=(97, 97, 3),
                                                            alpha=1.4), False, False, False),
    "mobilenet": ("MobileNet", "mobilenet", dict(include_top=True, input_shape=(128, 128, 3)), True, False, False),
    "mobilenet_050": ("MobileNet", "mobilenet", dict(include_top=False, input_shape=(64, 64, 3), alpha=0.5,
                                                     depth_multiplier=2, pooling="avg"), False, False, False),
    "inception_v3": ("InceptionV3", "inception_v3", dict(include_top=True, input_shape=(75, 75, 3)), True, False,
                     False),
    "inception_resnet_v2": ("InceptionResNetV2", "inception_resnet_v2",
                            dict(include_top=False, input_shape=(75, 75, 3), pooling="avg"), True, False, False),
    "xception": ("Xception", "xception", dict(include_top=True, input_shape=(71, 71, 3)), True, False, False),
    # apps2: EfficientNet (B0 in the CI subset), EfficientNetV2, MobileNetV3, ConvNeXt
    "efficientnetb0": ("EfficientNetB0", "efficientnet", dict(include_top=True, input_shape=(64, 64, 3)), False, True, False),
    "efficientnetb1": ("EfficientNetB1", "efficientnet", dict(include_top=False, input_shape=(48, 48, 3), pooling="avg"), True, False, False),
    "efficientnetb2": ("EfficientNetB2", "efficientnet", dict(include_top=True, input_shape=(40, 40, 3), classes=10), False, False, False),
    "efficientnetb3": ("EfficientNetB3", "efficientnet", dict(include_top=False, input_shape=(33, 33, 3), pooling="max"), True, False, False),
    "efficientnetb4": ("EfficientNetB4", "efficientnet", dict(include_top=False, input_shape=(32, 32, 3)), False, False, False),
    "efficientnetb5": ("EfficientNetB5", "efficientnet", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg"), True, False, False),
    "efficientnetb6": ("EfficientNetB6", "efficientnet", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg"), False, False, False),
    "efficientnetb7": ("EfficientNetB7", "efficientnet", dict(include_top=True, input_shape=(32, 32, 3), classes=5), True, False, False),
    "efficientnetv2b0": ("EfficientNetV2B0", "efficientnet_v2", dict(include_top=True, input_shape=(64, 64, 3)), False, False, False),
    "efficientnetv2b1": ("EfficientNetV2B1", "efficientnet_v2", dict(include_top=False, input_shape=(48, 48, 3), pooling="avg"), True, False, False),
    "efficientnetv2b2": ("EfficientNetV2B2", "efficientnet_v2", dict(include_top=False, input_shape=(35, 35, 3), pooling="max"), False, False, False),
    "efficientnetv2b3": ("EfficientNetV2B3", "efficientnet_v2", dict(include_top=True, input_shape=(32, 32, 3), classes=10), True, False, False),
    "efficientnetv2s": ("EfficientNetV2S", "efficientnet_v2", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg"), False, False, False),
    "efficientnetv2m": ("EfficientNetV2M", "efficientnet_v2", dict(include_top=False, input_shape=(32, 32, 3), pooling="avg"), True, False, False),
    "efficientnetv2l": ("EfficientNetV2L", "efficientnet_v2", dict(include_top=True, input_shape=(32, 32, 3), classes=3), False, False, False),
    "mobilenetv3small": ("MobileNetV3Small", "mobilenet_v3", dict(include_top=True, input_shape=(64, 64, 3)), True, False, False),
    "mobilenetv3small_min": ("MobileNetV3Small", "mobilenet_v3", dict(include_top=False, input_shape=(48, 48, 3), minimalistic=True, alpha=0.75, pooling="avg"), False, False, False),
    "mobilenetv3large": ("MobileNetV3Large", "mobilenet_v3", dict(include_top=True, input_shape=(64, 64, 3), classes=10), False, False, False),
    "mobilenetv3large_125": ("MobileNetV3Large", "mobilenet_v3", dict(include_top=True, input_shape=(33, 33, 3), alpha=1.25), True, False, False),
    "convnext_tiny": ("ConvNeXtTiny", "convnext", dict(include_top=True, input_shape=(64, 64, 3)), False, False, False),
    "convnext_small": ("ConvNeXtSmall", "convnext", dict(include_top=False, input_shape=(64, 64, 3), pooling="avg"), True, False, False),
    "convnext_base": ("ConvNeXtBase", "convnext", dict(include_top=False, input_shape=(32, 32, 3)), False, False, False),
}


def randomize_normalization(model, rng):
    """weights=None leaves BatchNormalization an identity; random statistics make the check see its weights."""
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            # by name: scale=False (Inception) leaves no gamma
            values = []
            for w in layer.weights:
                kind = w.path.split("/")[-1]
                if kind in ("gamma", "moving_variance"):
                    values.append(rng.uniform(0.5, 1.5, w.shape).astype("float32"))
                else:  # beta, moving_mean
                    values.append(rng.normal(0, 0.1, w.shape).astype("float32"))
            layer.set_weights(values)
    # apps2: Normalization's adapted statistics and LayerScale's gamma (1e-6 would hide ConvNeXt's blocks) random
    # too; residual branches ending in project_bn get a smaller gamma so the deep EfficientNets do not blow up and
    # amplify float32 rounding past the tolerance
    for layer in model.layers:
        if isinstance(layer, keras.layers.Normalization) and layer.weights:
            mean, var, count = [np.asarray(w) for w in layer.get_weights()]
            layer.set_weights([rng.normal(0, 0.2, mean.shape).astype("float32"),
                               rng.uniform(0.5, 1.5, var.shape).astype("float32"), count])
        elif type(layer).__name__ == "LayerScale":
            layer.set_weights([rng.uniform(0.2, 1.0, layer.weights[0].shape).astype("float32")])
        elif isinstance(layer, keras.layers.BatchNormalization) and layer.name.endswith("project_bn"):
            w = layer.get_weights()
            layer.set_weights([w[0] * 0.25] + w[1:])


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def save_published_layout(model, path):
    """The published keras-applications files: legacy layout with ":0"-suffixed weight names."""
    with h5py.File(path, "w") as f:
        legacy_h5_format.save_weights_to_hdf5_group(f, model)
        for layer_name in [text(n) for n in f.attrs["layer_names"]]:
            g = f[layer_name]
            names = [text(n) for n in g.attrs["weight_names"]]
            renamed = []
            for n in names:
                data = g[n][()]
                del g[n]
                g.create_dataset(n + ":0", data=data)
                renamed.append((n + ":0").encode())
            g.attrs["weight_names"] = renamed


def main():
    out = sys.argv[1]
    subset = sys.argv[2] if len(sys.argv) > 2 else "ci"
    only = sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    manifest = []
    for case, (ctor, module, kwargs, legacy, ci, summary) in CASES.items():
        summary = summary or subset == "all"  # the slow run checks every summary
        if only and case not in only:
            continue
        if not only and subset == "ci" and not ci:
            continue
        keras.backend.clear_session()
        keras.utils.set_random_seed(20261121)
        rng = np.random.default_rng(20261121)
        model = getattr(A, ctor)(weights=None, **kwargs)
        randomize_normalization(model, rng)
        d = os.path.join(out, case)
        os.makedirs(d, exist_ok=True)
        weights_file = "weights.h5" if legacy else "model.weights.h5"
        if legacy:
            save_published_layout(model, os.path.join(d, weights_file))
        else:
            model.save_weights(os.path.join(d, weights_file))
        shape = kwargs["input_shape"]
        images = rng.uniform(0, 255, (2,) + tuple(shape)).astype("float32")
        pre = getattr(A, module).preprocess_input(images.copy())
        outputs = np.asarray(model.predict(pre, verbose=0), dtype="float32")
        images.tofile(os.path.join(d, "images.bin"))
        np.asarray(pre, dtype="float32").tofile(os.path.join(d, "preprocessed.bin"))
        outputs.tofile(os.path.join(d, "outputs.bin"))
        if summary:
            lines = []
            model.summary(print_fn=lambda s, **kw: lines.append(s))
            with open(os.path.join(d, "summary.txt"), "w") as f:
                f.write("\n".join(lines))
        args = {k: v for k, v in kwargs.items()}
        args["input_shape"] = list(shape)
        if "classifier_activation" in args and args["classifier_activation"] is None:
            args["classifier_activation"] = "linear"
        info = {
            "case": case,
            "application": ctor,
            "module": module,
            "args": args,
            "model_name": model.name,
            "params": int(model.count_params()),
            "layers": [[layer.name, layer.__class__.__name__] for layer in model.layers],
            "weights_file": weights_file,
            "images_shape": list(images.shape),
            "outputs_shape": list(outputs.shape),
            "summary": summary,
        }
        with open(os.path.join(d, "case.json"), "w") as f:
            json.dump(info, f, indent=1)
        manifest.append(case)
        print(f"{case}: {model.name}, {info['params']} params, {len(model.layers)} layers", file=sys.stderr)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f)


if __name__ == "__main__":
    main()
