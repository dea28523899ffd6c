"""strata against Keras 3 (JAX backend, CPU) in one run: the same models, data sizes and batch sizes.

Usage: python bench/compare_keras.py BUILD_DIR [STEPS]   (run with a Python that has keras and jax installed)
Prints one JSON object per measurement, then one per ratio (strata / Keras time, below 1 is strata faster).
"""
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras import layers  # noqa: E402


def fashion_mnist_cnn():
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, padding="same", use_bias=False), layers.BatchNormalization(), layers.Activation("relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, padding="same", use_bias=False), layers.BatchNormalization(), layers.Activation("relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(), layers.Dropout(0.3), layers.Dense(128, activation="relu"), layers.Dropout(0.3),
        layers.Dense(10, activation="softmax"),
    ])


def mlp():
    return keras.Sequential([keras.Input((784,)), layers.Dense(512, activation="relu"),
                             layers.Dense(512, activation="relu"), layers.Dense(10, activation="softmax")])


def keras_train(name, model, sample_shape, batch, steps):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x = np.random.rand(batch * steps, *sample_shape).astype("float32")
    y = (np.arange(batch * steps) * 7 % 10).astype("int32")
    model.fit(x, y, batch_size=batch, epochs=1, verbose=0)
    start = time.perf_counter()
    model.fit(x, y, batch_size=batch, epochs=2, verbose=0)
    elapsed = time.perf_counter() - start
    return {"bench": "train", "framework": "keras", "model": name, "batch": batch,
            "samples_per_s": 2 * batch * steps / elapsed, "step_ms": 1e3 * elapsed / (2 * steps)}


def keras_latency(model):
    one = np.random.rand(1, 28, 28, 1).astype("float32")
    rows = []
    for path, call in (("predict_on_batch", model.predict_on_batch), ("call", lambda v: np.asarray(model(v)))):
        for _ in range(20):
            call(one)
        ms = []
        for _ in range(300):
            start = time.perf_counter()
            call(one)
            ms.append(1e3 * (time.perf_counter() - start))
        ms.sort()
        rows.append({"bench": "predict_latency", "framework": "keras", "model": "fashion_mnist_cnn", "path": path,
                     "batch": 1, "p50_ms": ms[len(ms) // 2], "p99_ms": ms[len(ms) * 99 // 100]})
    many = np.random.rand(256 * 8, 28, 28, 1).astype("float32")
    model.predict(many, batch_size=256, verbose=0)
    start = time.perf_counter()
    model.predict(many, batch_size=256, verbose=0)
    rows.append({"bench": "predict_throughput", "framework": "keras", "model": "fashion_mnist_cnn", "batch": 256,
                 "samples_per_s": len(many) / (time.perf_counter() - start)})
    return rows


def main():
    build, steps = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40
    out = subprocess.run([os.path.join(build, "bench", "bench_core"), str(steps)], check=True, capture_output=True,
                         text=True).stdout
    strata = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    keras_rows = [keras_train("fashion_mnist_cnn", fashion_mnist_cnn(), (28, 28, 1), 128, steps),
                  keras_train("mlp_784_512_512_10", mlp(), (784,), 128, steps)]
    keras_rows += keras_latency(fashion_mnist_cnn())
    for row in strata:
        row.setdefault("framework", "strata")
        print(json.dumps(row))
    for row in keras_rows:
        print(json.dumps(row))

    def find(rows, **keys):
        return next(r for r in rows if all(r.get(k) == v for k, v in keys.items()))

    for model in ("fashion_mnist_cnn", "mlp_784_512_512_10"):
        s, k = find(strata, bench="train", model=model), find(keras_rows, bench="train", model=model)
        print(json.dumps({"ratio": "train_step_time_strata_over_keras", "model": model,
                          "value": s["step_ms"] / k["step_ms"]}))
    for path in ("predict_on_batch", "call"):
        s, k = find(strata, bench="predict_latency", path=path), find(keras_rows, bench="predict_latency", path=path)
        print(json.dumps({"ratio": "predict_latency_p50_strata_over_keras", "path": path,
                          "value": s["p50_ms"] / k["p50_ms"]}))
    s, k = find(strata, bench="predict_throughput"), find(keras_rows, bench="predict_throughput")
    print(json.dumps({"ratio": "predict_throughput_strata_over_keras", "value": s["samples_per_s"] / k["samples_per_s"]}))


if __name__ == "__main__":
    main()
