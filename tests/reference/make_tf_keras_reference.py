"""Writes the tf.keras 2 fixtures of tests/unit/test_saving.cpp with the real TensorFlow 2.15 (tf.keras 2.15):
a functional model calling a Sequential with an Input, a Sequential without one and a functional block twice,
which Keras 2 numbers from 1 in its configs (a nested model's own node is its call 0).

    python3 -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install tensorflow-cpu==2.15.1
    /tmp/tfvenv/bin/python tests/reference/make_tf_keras_reference.py

  tf_keras_2_15_nested_models.json     model.to_json()
  tf_keras_2_15_nested_models.h5       model.save() (legacy HDF5), random weights
  tf_keras_2_15_nested_models_io.json  inputs and tf.keras's predictions
"""
import json
import os

os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

k = tf.keras
here = os.path.dirname(os.path.abspath(__file__))
inner = k.Sequential([k.Input((5,)), k.layers.Dense(4, name="inner_dense")], name="inner")
block_in = k.Input((4,), name="block_in")
block = k.Model(block_in, k.layers.Dense(4, name="bd")(block_in), name="block")
no_input = k.Sequential([k.layers.Dense(4, name="ni_dense")], name="noinput")
a = k.Input((6,), name="left")
b = k.Input((6,), name="right")
shared = k.layers.Dense(5, name="shared")
model = k.Model([a, b], [k.layers.Add()([block(inner(shared(a))), block(no_input(shared(b)))])])

rng = np.random.default_rng(5)
for w in model.weights:
    w.assign(rng.standard_normal(w.shape).astype("float32") * 0.5)
base = os.path.join(here, "tf_keras_2_15_nested_models")
with open(base + ".json", "w") as f:
    f.write(model.to_json())
model.save(base + ".h5")
xa = rng.standard_normal((3, 6)).astype("float32")
xb = rng.standard_normal((3, 6)).astype("float32")
y = model.predict([xa, xb], verbose=0)
with open(base + "_io.json", "w") as f:
    json.dump({"tensorflow": tf.__version__, "inputs": [xa.tolist(), xb.tolist()], "output": y.tolist()}, f)
print(f"wrote {base}.json, .h5 and _io.json with TensorFlow {tf.__version__}")
