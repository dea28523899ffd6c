"""Writes numpy_operations_reference.json: a functional model built from keras.ops arithmetic (x + 3.0, 2.0 - y,
a / b, ...) as real Keras 3 saves it (module keras.src.ops.numpy, the number operand in the call's args), with its
outputs and summary, for tests/unit/test_saving.cpp. Run with the interop venv's python: KERAS_BACKEND=jax."""
import json
import os

import keras
import numpy as np

x = keras.Input((3,), name="x")
a = x + 3.0
b = a * (1 / 6.0)
c = 2.0 - b
d = c / 4.0
e = d + x
f = 8.0 / e
g = f - x
h = g * x
i = 1.5 * h
j = 2.0 + i
model = keras.Model(x, j, name="ops")
inputs = np.array([[0.5, 1.0, 2.0], [-1.0, 0.25, 3.0]], dtype="float32")
outputs = np.asarray(model.predict(inputs, verbose=0), dtype="float32")
lines = []
model.summary(print_fn=lambda s, **kw: lines.append(s))
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "numpy_operations_reference.json")
with open(path, "w") as out:
    json.dump({"keras_version": keras.__version__, "model": json.loads(model.to_json()),
               "inputs": inputs.tolist(), "outputs": [float(str(v)) for v in outputs.reshape(-1)],
               "summary": "\n".join(lines)}, out, indent=1)
print(f"wrote {path}")
