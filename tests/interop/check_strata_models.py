"""Loads the models strata saved (tests/interop/test_interop.cpp) with the real Keras and checks that Keras
reproduces strata's outputs within 1e-5 relative, from each file strata writes:

    python check_strata_models.py STRATA_DIR

  model.h5                       keras.models.load_model (config, weights, compile state)
  model.keras                    keras.models.load_model; then two train_on_batch steps give strata's losses
  model.json + model.weights.h5  keras.models.model_from_json, then load_weights (Keras 3 layout)
  model.json + model.h5          model_from_json, then load_weights of the whole-model file
  model_keras2.h5                the same model in tf.keras 2's dialect (SaveOptions::dialect): Keras 3 reads the
                                 architecture and weights; tf.keras reads all, and model_keras2.json (check_tf_keras.py)
The loaded compiled model must evaluate to strata's loss and metrics, with strata's optimizer class and
iteration count.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402


def tensor(j):
    return np.asarray(j["data"], dtype="float32").reshape(j["shape"])


def as_list(v):
    return list(v) if isinstance(v, (list, tuple)) else [v]


def unwrap(v):
    return v if len(v) > 1 else v[0]


def check(actual, expected, what):
    actual = as_list(actual)
    assert len(actual) == len(expected), f"{what}: {len(actual)} outputs, strata had {len(expected)}"
    for i, (a, e) in enumerate(zip(actual, expected)):
        a = np.asarray(a)
        assert a.shape == e.shape, f"{what}: output {i} has shape {a.shape}, strata's {e.shape}"
        err = np.max(np.abs(a - e)) / max(np.max(np.abs(e)), 1e-12)
        assert err <= 1e-5, f"{what}: output {i} differs from strata's by {err:.3g} relative"


def main():
    root = sys.argv[1]
    manifest = json.load(open(os.path.join(root, "manifest.json")))
    assert manifest["cases"], "strata wrote no models"
    for case in manifest["cases"]:
        name = case["name"]
        d = os.path.join(root, name)
        data = json.load(open(os.path.join(d, "data.json")))
        x = unwrap([tensor(t) for t in data["inputs"]])
        expected = [tensor(t) for t in data["outputs"]]

        model = keras.models.load_model(os.path.join(d, "model.h5"))
        check(model.predict(x, verbose=0), expected, f"{name}: load_model(model.h5)")
        assert type(model.optimizer).__name__ == data["optimizer"], \
            f"{name}: optimizer {type(model.optimizer).__name__}, strata saved {data['optimizer']}"
        assert int(model.optimizer.iterations) == data["iterations"], \
            f"{name}: optimizer iterations {int(model.optimizer.iterations)}, strata saved {data['iterations']}"
        # the restored loss, loss weights and metrics evaluate as strata's did. (Keras 3.15's legacy .h5
        # loader builds the optimizer without the model's variables, so train_on_batch after load_model fails
        # in Keras for its own .h5 files too; training is checked on the strata side.)
        tx = unwrap([tensor(t) for t in data["train"]["x"]])
        ty = unwrap([tensor(t) for t in data["train"]["y"]])
        logs = model.evaluate(tx, ty, batch_size=8, verbose=0, return_dict=True)
        # Keras renames a metric given as "mae" to "mean_absolute_error" when it reloads a .h5 file (its own
        # files too), so losses must all be there and metrics are compared where the names agree
        for key, value in data["evaluate"].items():
            if key not in logs:
                assert not key.endswith("loss"), f"{name}: Keras's evaluate has no '{key}' ({sorted(logs)})"
                continue
            assert abs(logs[key] - value) <= 1e-5 * max(1.0, abs(value)), \
                f"{name}: evaluate '{key}' is {logs[key]} in Keras, {value} in strata"

        archived = keras.models.load_model(os.path.join(d, "model.keras"))
        check(archived.predict(x, verbose=0), expected, f"{name}: load_model(model.keras)")
        assert int(archived.optimizer.iterations) == data["iterations"], \
            f"{name}: model.keras optimizer iterations {int(archived.optimizer.iterations)}, strata saved {data['iterations']}"
        if "next_losses" in data:
            # the archive restores the optimizer's variables: training resumes with strata's next losses
            for step, expected_loss in enumerate(data["next_losses"]):
                loss = float(archived.train_on_batch(tx, ty, return_dict=True)["loss"])
                assert abs(loss - expected_loss) <= 1e-5 * max(1.0, abs(expected_loss)), \
                    f"{name}: model.keras step {step} loss {loss} in Keras, {expected_loss} in strata"

        config = open(os.path.join(d, "model.json")).read()
        from_json = keras.models.model_from_json(config)
        from_json.load_weights(os.path.join(d, "model.weights.h5"))
        check(from_json.predict(x, verbose=0), expected, f"{name}: model_from_json + model.weights.h5")

        from_h5 = keras.models.model_from_json(config)
        from_h5.load_weights(os.path.join(d, "model.h5"))
        check(from_h5.predict(x, verbose=0), expected, f"{name}: model_from_json + load_weights(model.h5)")
        # compile=False: Keras 3 cannot rebuild tf.keras 2.11+'s optimizer configs (is_legacy_optimizer,
        # jit_compile) or its loss strings, not even from tf.keras's own files; check_tf_keras.py checks those
        # Keras 3.15 cannot load Keras 2 files whose graph calls a nested model (tf.keras's own files neither:
        # it ignores Keras 2's numbering of those calls from 1), so those are left to check_tf_keras.py
        keras2_config = None
        if case.get("keras2", True):
            with h5py.File(os.path.join(d, "model_keras2.h5")) as f:
                keras2_config = json.loads(f.attrs["model_config"])
        else:
            print(f"check_strata_models: {name}: strata wrote no Keras 2 dialect (a Keras 3-only feature)")
        keras3_cannot_read = keras2_config is None or any(
            "layers" in layer["config"] for layer in keras2_config["config"].get("layers", [])
            if layer.get("inbound_nodes"))
        if not keras3_cannot_read:
            keras2 = keras.models.load_model(os.path.join(d, "model_keras2.h5"), compile=False)
            check(keras2.predict(x, verbose=0), expected, f"{name}: load_model(model_keras2.h5)")
        print(f"check_strata_models: {name}: Keras {keras.__version__} reproduces strata's outputs")
    print(f"check_strata_models: {len(manifest['cases'])} strata models OK in Keras {keras.__version__}")


if __name__ == "__main__":
    main()
