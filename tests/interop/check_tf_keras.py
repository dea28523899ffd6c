"""Checks the files strata writes in the Keras 2 dialect with the real tf.keras 2 (TensorFlow 2.15):

    STRATA_TF_PYTHON=/path/to/venv-with-tensorflow/bin/python tests/interop/run.sh BUILD_DIR
    (or directly: python check_tf_keras.py STRATA_DIR)

TensorFlow is a 1.3 GB download, so run.sh runs this only when STRATA_TF_PYTHON names a Python that has it.
For each case strata saved: tf.keras.models.load_model(model_keras2.h5) reproduces strata's outputs within 1e-5
relative and evaluates to strata's loss with the compile state it restored; model_from_json(model_keras2.json)
plus load_weights(model_keras2.h5) reproduces the outputs too.
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from check_strata_models import as_list, check, tensor, unwrap  # noqa: E402


def main():
    root = sys.argv[1]
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    for case in manifest["cases"]:
        name = case["name"]
        d = os.path.join(root, name)
        if not case.get("keras2", True):
            print(f"check_tf_keras: {name}: strata wrote no Keras 2 dialect (a Keras 3-only feature)")
            continue
        data = json.load(open(os.path.join(d, "data.json")))
        x = unwrap([tensor(t) for t in data["inputs"]])
        expected = [tensor(t) for t in data["outputs"]]
        model = tf.keras.models.load_model(os.path.join(d, "model_keras2.h5"))
        check(model.predict(x, verbose=0), expected, f"{name}: tf.keras load_model(model_keras2.h5)")
        tx = unwrap([tensor(t) for t in data["train"]["x"]])
        ty = unwrap([tensor(t) for t in data["train"]["y"]])
        logs = model.evaluate(tx, ty, batch_size=8, verbose=0, return_dict=True)
        loss = data["evaluate"]["loss"]
        assert abs(logs["loss"] - loss) <= 1e-5 * max(1.0, abs(loss)), \
            f"{name}: tf.keras evaluates model_keras2.h5 to loss {logs['loss']}, strata to {loss}"
        from_json = tf.keras.models.model_from_json(open(os.path.join(d, "model_keras2.json")).read())
        from_json.load_weights(os.path.join(d, "model_keras2.h5"))
        check(from_json.predict(x, verbose=0), expected, f"{name}: tf.keras model_from_json + load_weights")
        print(f"check_tf_keras: {name}: tf.keras {tf.__version__} reproduces strata's outputs")
    print(f"check_tf_keras: {len(manifest['cases'])} strata models OK in tf.keras {tf.__version__}")


if __name__ == "__main__":
    main()
