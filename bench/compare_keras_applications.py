"""keras.applications in strata against Keras 3 (JAX backend, CPU) in one run: ResNet50, VGG16, MobileNetV2 and
EfficientNetB0 at batch 1 (latency p50/p99), batch 32 (throughput) and one training step at batch 32.

Usage: python bench/compare_keras_applications.py BUILD_DIR [ITERATIONS] [IMAGE_SIZE] [MODEL...]
       (run with a Python that has keras and jax installed, e.g. the interop venv)
Prints one JSON object per measurement, then one per ratio (strata / Keras time: below 1 is strata faster).
"""
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402

MODELS = {"resnet50": keras.applications.ResNet50, "vgg16": keras.applications.VGG16,
          "mobilenetv2": keras.applications.MobileNetV2, "efficientnetb0": keras.applications.EfficientNetB0}


def keras_bench(name, iterations, size):
    model = MODELS[name](weights=None, input_shape=(size, size, 3))
    rows = []
    one = np.random.uniform(-1, 1, (1, size, size, 3)).astype("float32")
    for _ in range(3):
        model.predict_on_batch(one)
    ms = []
    for _ in range(iterations):
        start = time.perf_counter()
        model.predict_on_batch(one)
        ms.append(1e3 * (time.perf_counter() - start))
    ms.sort()
    rows.append({"bench": "predict_latency", "framework": "keras", "model": name, "batch": 1, "size": size,
                 "p50_ms": ms[len(ms) // 2], "p99_ms": ms[len(ms) * 99 // 100]})
    batch = np.random.uniform(-1, 1, (32, size, size, 3)).astype("float32")
    reps = max(1, iterations // 10)
    model.predict_on_batch(batch)
    start = time.perf_counter()
    for _ in range(reps):
        model.predict_on_batch(batch)
    rows.append({"bench": "predict_throughput", "framework": "keras", "model": name, "batch": 32, "size": size,
                 "samples_per_s": 32 * reps / (time.perf_counter() - start)})
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    y = (np.arange(32) * 37 % 1000).astype("int32")
    model.train_on_batch(batch, y)
    start = time.perf_counter()
    for _ in range(reps):
        model.train_on_batch(batch, y)
    rows.append({"bench": "train_step", "framework": "keras", "model": name, "batch": 32, "size": size,
                 "step_ms": 1e3 * (time.perf_counter() - start) / reps})
    return rows


def main():
    build = sys.argv[1]
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 224
    names = sys.argv[4:] or list(MODELS)
    out = subprocess.run([os.path.join(build, "bench", "bench_applications"), str(iterations), str(size)] + names,
                         check=True, capture_output=True, text=True).stdout
    strata = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    keras_rows = []
    for name in names:
        keras_rows += keras_bench(name, iterations, size)
    for row in strata + keras_rows:
        print(json.dumps(row), flush=True)

    def find(rows, **keys):
        return next(r for r in rows if all(r.get(k) == v for k, v in keys.items()))

    for name in names:
        s, k = find(strata, bench="predict_latency", model=name), find(keras_rows, bench="predict_latency", model=name)
        for q in ("p50_ms", "p99_ms"):
            print(json.dumps({"ratio": f"latency_{q}_strata_over_keras", "model": name, "value": s[q] / k[q]}))
        s, k = (find(strata, bench="predict_throughput", model=name),
                find(keras_rows, bench="predict_throughput", model=name))
        print(json.dumps({"ratio": "throughput_time_strata_over_keras", "model": name,
                          "value": k["samples_per_s"] / s["samples_per_s"]}))
        s, k = find(strata, bench="train_step", model=name), find(keras_rows, bench="train_step", model=name)
        print(json.dumps({"ratio": "train_step_time_strata_over_keras", "model": name,
                          "value": s["step_ms"] / k["step_ms"]}))


if __name__ == "__main__":
    main()
