"""Writes tests/reference/regularizers_reference.json from the real Keras (3.15, jax backend):
regularizer penalties, constrained weights, serialized configs, and SGD trajectories of small models with
weight/activity regularizers and constraints.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_regularizers_reference.py
"""
import json
import os

import numpy as np

os.environ.setdefault("KERAS_BACKEND", "jax")
import keras  # noqa: E402
from keras import constraints, layers, regularizers  # noqa: E402


def arr(x):
    x = np.asarray(x, dtype=np.float32)
    return {"shape": list(x.shape), "dtype": "float32", "data": [float(v) for v in x.reshape(-1)]}


rng = np.random.RandomState(7)
out = {"penalties": [], "constraints": [], "configs": {}, "trajectories": []}

w2 = rng.uniform(-1, 1, (4, 3)).astype(np.float32)
w4 = rng.uniform(-1, 1, (2, 2, 3, 4)).astype(np.float32)
for name, reg, x in [
    ("l1", regularizers.L1(0.3), w2),
    ("l2", regularizers.L2(0.05), w2),
    ("l1_l2", regularizers.L1L2(l1=0.01, l2=0.02), w4),
    ("l1l2_identifier", regularizers.get("l1l2"), w2),
    ("l2_identifier", regularizers.get("l2"), w4),
    ("orthogonal_rows", regularizers.OrthogonalRegularizer(factor=0.1, mode="rows"), w2),
    ("orthogonal_columns", regularizers.OrthogonalRegularizer(factor=0.2, mode="columns"), w2),
]:
    out["penalties"].append({"name": name, "x": arr(x), "penalty": float(reg(keras.ops.convert_to_tensor(x))),
                             "config": regularizers.serialize(reg)})

for name, con, x in [
    ("max_norm", constraints.MaxNorm(max_value=1.2, axis=0), w2 * 2),
    ("max_norm_axes", constraints.MaxNorm(max_value=1.0, axis=[0, 1, 2]), w4),
    ("min_max_norm", constraints.MinMaxNorm(min_value=0.5, max_value=0.9, rate=0.7, axis=1), w2),
    ("non_neg", constraints.NonNeg(), w2),
    ("unit_norm", constraints.UnitNorm(axis=0), w2),
    ("unit_norm_last", constraints.UnitNorm(axis=-1), w4),
    ("max_norm_identifier", constraints.get("max_norm"), w2 * 3),
]:
    out["constraints"].append({"name": name, "x": arr(x), "y": arr(con(keras.ops.convert_to_tensor(x))), "config": constraints.serialize(con)})

dense = layers.Dense(3, kernel_regularizer="l2", bias_regularizer=regularizers.L1(0.5),
                     activity_regularizer=regularizers.L1L2(l1=0.1), kernel_constraint="max_norm",
                     bias_constraint=constraints.NonNeg())
out["configs"]["dense"] = dense.get_config()
conv = layers.Conv2D(2, 3, kernel_regularizer=regularizers.L2(0.1), kernel_constraint=constraints.UnitNorm(axis=[0, 1, 2]))
out["configs"]["conv2d"] = conv.get_config()
bn = layers.BatchNormalization(gamma_regularizer="l2", beta_constraint="non_neg")
out["configs"]["batch_normalization"] = bn.get_config()
out["configs"]["orthogonal"] = keras.initializers.serialize(keras.initializers.Orthogonal(gain=2.0, seed=3))
out["configs"]["identity"] = keras.initializers.serialize(keras.initializers.Identity(gain=0.5))
out["identity_values"] = arr(keras.initializers.Identity(gain=0.5)((3, 4)))


def trajectory(name, model, x, y, steps, loss="mse"):
    rs = np.random.RandomState(11)
    init = [rs.uniform(-0.5, 0.5, w.shape).astype(np.float32) for w in model.get_weights()]
    model.set_weights(init)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss=loss)
    losses, weights = [], []
    for _ in range(steps):
        losses.append(float(model.train_on_batch(x, y)))
        weights.append([arr(w) for w in model.get_weights()])
    out["trajectories"].append({"name": name, "x": arr(x), "y": arr(y), "initial": [arr(w) for w in init],
                                "losses": losses, "weights": weights,
                                "evaluate": float(model.evaluate(x, y, verbose=0))})


x = rng.uniform(-1, 1, (6, 5)).astype(np.float32)
y = rng.uniform(-1, 1, (6, 2)).astype(np.float32)
trajectory("dense", keras.Sequential([
    keras.Input((5,)),
    layers.Dense(4, activation="tanh", kernel_regularizer=regularizers.L2(0.01),
                 bias_regularizer=regularizers.L1(0.02), activity_regularizer=regularizers.L1(0.01),
                 kernel_constraint=constraints.MaxNorm(0.6)),
    layers.Dense(2, kernel_regularizer=regularizers.OrthogonalRegularizer(0.05),
                 bias_constraint=constraints.NonNeg()),
]), x, y, 4)

xc = rng.uniform(-1, 1, (4, 6, 6, 2)).astype(np.float32)
yc = rng.uniform(-1, 1, (4, 1)).astype(np.float32)
trajectory("conv", keras.Sequential([
    keras.Input((6, 6, 2)),
    layers.Conv2D(3, 3, activation="relu", kernel_regularizer=regularizers.L2(0.02),
                  activity_regularizer=regularizers.L2(0.01),
                  kernel_constraint=constraints.UnitNorm(axis=[0, 1, 2])),
    layers.Flatten(),
    layers.Dense(1, kernel_regularizer=regularizers.L1L2(0.01, 0.01),
                 kernel_constraint=constraints.MinMaxNorm(0.2, 0.8, rate=0.5)),
]), xc, yc, 3)

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "regularizers_reference.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path)
