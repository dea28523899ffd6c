"""Writes stft_reference.json: keras.initializers.STFT's kernels and configs from real Keras 3 (with scipy's
windows), for tests/unit/test_initializers.cpp. Run with the interop venv's python: KERAS_BACKEND=jax."""
import json
import os

import keras
import numpy as np

CASES = [
    ("default", {}, (16, 1, 9)),
    ("imag_hamming_spectrum_periodic", {"side": "imag", "window": "hamming", "scaling": "spectrum",
                                        "periodic": True}, (8, 1, 5)),
    ("no_window", {"window": None, "scaling": None}, (5, 1, 3)),
    ("blackman", {"window": "blackman"}, (12, 1, 7)),
    ("bartlett_periodic", {"window": "bartlett", "periodic": True}, (10, 1, 6)),
    ("boxcar", {"window": "boxcar", "scaling": "spectrum"}, (6, 1, 4)),
    ("list_window", {"window": [0.1, 0.5, 1.0, 0.5], "side": "imag"}, (4, 1, 3)),
    ("long_frame", {}, (128, 1, 65)),
]

out = []
for name, kwargs, shape in CASES:
    init = keras.initializers.STFT(**kwargs)
    values = np.asarray(init(shape), dtype="float32")
    out.append({"name": name, "config": init.get_config(), "shape": list(shape),
                "values": [float(str(v)) for v in values.reshape(-1)]})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "stft_reference.json")
with open(path, "w") as f:
    json.dump({"keras_version": keras.__version__, "cases": out}, f)
print(f"wrote {path}")
