"""Writes ctc_reference.json: real Keras 3 (jax backend) values of keras.losses.CTC / keras.losses.ctc and the
gradient w.r.t. the logits (jax.grad), which tests/unit/test_ctc.cpp checks strata against.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_ctc_reference.py
"""
import json
import os

os.environ["KERAS_BACKEND"] = "jax"

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(5150)


def arr(a):
    a = np.asarray(a)
    dtype = "int32" if np.issubdtype(a.dtype, np.integer) else "float32"
    return {"shape": list(a.shape), "dtype": dtype,
            "data": [float("%.9g" % v) if dtype == "float32" else int(v) for v in a.reshape(-1)]}


cases = []


def case(name, loss, y_true, y_pred):
    y_true = np.asarray(y_true, "int32")
    y_pred = np.asarray(y_pred, "float32")
    weights = rng.uniform(0.5, 1.5, y_true.shape[0]).astype("float32")
    per_sample = np.asarray(keras.losses.ctc(y_true, y_pred))
    # d sum(w * per_sample) / d y_pred: each sample's gradient scaled by its own weight
    grad = jax.grad(lambda p: jnp.sum(weights * keras.losses.ctc(y_true, p)))(jnp.asarray(y_pred))
    cases.append({"name": name, "class_name": type(loss).__name__, "config": loss.get_config(),
                  "y_true": arr(y_true), "y_pred": arr(y_pred), "value": arr(loss(y_true, y_pred)),
                  "per_sample": arr(per_sample), "weights": arr(weights), "grad": arr(grad)})


def logits(batch, time, classes, scale=2.0):
    return (rng.standard_normal((batch, time, classes)) * scale).astype("float32")


CTC = keras.losses.CTC
# padded labels of every length, a repeated label (needs a blank between), an empty label
case("mixed_lengths", CTC(), [[1, 2, 3, 4], [2, 2, 0, 0], [3, 0, 0, 0], [0, 0, 0, 0]], logits(4, 8, 5))
# labels as long as the time steps allow: 5 distinct labels in 5 steps, 3 repeats in 5 steps
case("longest", CTC(), [[1, 2, 3, 4, 1], [1, 1, 1, 0, 0], [4, 3, 4, 3, 4]], logits(3, 5, 5))
# a label that cannot fit (4 repeats need 7 steps): Keras's soft log epsilon gives a loss near 1e5
case("cannot_fit", CTC(), [[2, 2, 2, 2], [1, 3, 0, 0]], logits(2, 5, 4))
case("length_one", CTC(), [[1], [3], [2]], logits(3, 6, 4, scale=1.0))
case("sum_named", CTC(reduction="sum", name="my_ctc"), [[1, 2, 2], [3, 1, 0]], logits(2, 7, 4))
case("none", CTC(reduction="none"), [[5, 1, 5, 1, 0, 0], [2, 3, 4, 0, 0, 0]], logits(2, 10, 6, scale=3.0))
case("many_classes", CTC(), rng.integers(1, 20, (4, 6)), logits(4, 12, 20))

out = {"keras_version": keras.__version__, "ctc": cases,
       "config_keys": sorted(CTC().get_config().keys())}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ctc_reference.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, sum(len(c["grad"]["data"]) for c in cases), "gradient values")
