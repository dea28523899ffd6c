"""Writes ignore_class_reference.json: keras.losses.SparseCategoricalCrossentropy(ignore_class=...) values and
gradients (w.r.t. y_pred) from real Keras 3 on jax, for tests/unit/test_losses.cpp. KERAS_BACKEND=jax."""
import json
import os

import jax
import keras
import numpy as np

rng = np.random.default_rng(77)


def arr(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "dtype": str(a.dtype), "data": a.reshape(-1).tolist()}


cases = []


def case(name, y_true, y_pred, sample_weight=None, **kwargs):
    loss = keras.losses.SparseCategoricalCrossentropy(**kwargs)
    sw = None if sample_weight is None else jax.numpy.asarray(sample_weight)

    def f(p):
        return keras.ops.sum(loss(y_true, p, sample_weight=sw))

    value = np.asarray(loss(y_true, y_pred, sample_weight=sw))
    grad = np.asarray(jax.grad(f)(jax.numpy.asarray(y_pred)))
    cases.append({"name": name, "config": loss.get_config(), "y_true": arr(y_true), "y_pred": arr(y_pred),
                  "sample_weight": None if sample_weight is None else arr(sample_weight),
                  "value": arr(value.astype("float32")), "grad": arr(grad.astype("float32"))})


labels = np.array([0, 2, -1, 1, 3, -1, 2, 0], "int32")
logits = rng.normal(size=(8, 4)).astype("float32")
probs = np.asarray(jax.nn.softmax(logits)).astype("float32")
weights = rng.uniform(0.2, 2.0, size=(8,)).astype("float32")
case("logits", labels, logits, from_logits=True, ignore_class=-1)
case("probabilities", labels, probs, ignore_class=-1)
case("column_labels", labels.reshape(8, 1), logits, from_logits=True, ignore_class=-1)
case("sum", labels, logits, from_logits=True, ignore_class=-1, reduction="sum")
case("none", labels, logits, from_logits=True, ignore_class=-1, reduction="none")
case("weighted", labels, logits, weights, from_logits=True, ignore_class=-1)
case("weighted_mean_with_sample_weight", labels, logits, weights, from_logits=True, ignore_class=-1,
     reduction="mean_with_sample_weight")
case("ignore_a_real_class", labels.clip(0, 3), logits, from_logits=True, ignore_class=2)
case("all_ignored", np.full((8,), 255, "int32"), logits, from_logits=True, ignore_class=255)
seg = rng.integers(0, 3, size=(2, 3, 4)).astype("int32")
seg[0, 1, :2] = 255
seg_logits = rng.normal(size=(2, 3, 4, 3)).astype("float32")
case("segmentation", seg, seg_logits, from_logits=True, ignore_class=255)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ignore_class_reference.json")
with open(path, "w") as f:
    json.dump({"keras_version": keras.__version__, "cases": cases}, f)
print(f"wrote {path}")
