"""Writes confusion_metrics_reference.json: real Keras 3 (jax backend) results of the confusion-matrix metrics
(TruePositives ... AUC ... RecallAtPrecision) that tests/unit/test_metrics_confusion.cpp checks strata against.
Batches are stored once under "data"; each case names the batches it updates with, in order, and records
Keras's result after each update (a number, or a list for a metric with several thresholds).

    KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_confusion_metrics_reference.py
"""
import json
import os

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(20261121)
m = keras.metrics


def arr(a):
    a = np.asarray(a)
    dtype = "int32" if np.issubdtype(a.dtype, np.integer) else "float32"
    return {"shape": list(a.shape), "dtype": dtype,
            "data": [float("%.9g" % v) if dtype == "float32" else int(v) for v in a.reshape(-1)]}


def edge_predictions(p):
    """Puts values on and around thresholds (0, 1, 0.5, i / 199, i / 4 and float32 neighbours) first."""
    edges = [0.0, 1.0, 0.5, 0.25, 0.75, 0.7, 0.3, 0.15, 0.85]
    edges += [np.float32(i / 199) for i in (1, 37, 99, 100, 198)]
    edges += [np.nextafter(np.float32(0.5), np.float32(1)), np.nextafter(np.float32(0.5), np.float32(0))]
    edges += [np.float32(3 / 6), np.float32(1 / 6), np.float32(5 / 6)]
    flat = p.reshape(-1)
    flat[: len(edges)] = np.array(edges, dtype="float32")
    return p


data = {}


def batch(name, y_true, y_pred, sample_weight=None):
    entry = {"y_true": arr(y_true), "y_pred": arr(y_pred)}
    if sample_weight is not None:
        entry["sample_weight"] = arr(sample_weight)
    data[name] = entry
    return name


def binary_batch(n, positive_rate=0.4):
    y = (rng.uniform(0, 1, (n, 1)) < positive_rate).astype("int32")
    # informative but noisy scores
    p = np.clip(0.35 * y + rng.uniform(0, 0.75, (n, 1)), 0, 1).astype("float32")
    return y, edge_predictions(p)


y, p = binary_batch(300)
w = rng.uniform(0, 2, (300,)).astype("float32")
batch("b", y, p)
batch("b_w", y, p, w)
y2, p2 = binary_batch(120, 0.6)
batch("b2", y2, p2)
batch("b2_w", y2, p2, rng.uniform(0, 2, (120, 1)).astype("float32"))
batch("b_flat", y[:, 0].astype("float32"), p[:, 0])
batch("b_all_pos", np.ones((50, 1), "int32"), rng.uniform(0, 1, (50, 1)).astype("float32"))
batch("b_all_neg", np.zeros((50, 1), "int32"), rng.uniform(0, 1, (50, 1)).astype("float32"))
yp = (rng.uniform(0, 1, (60, 1)) < 0.5).astype("int32")
batch("b_perfect", yp, yp.astype("float32"))
batch("b_zero_w", y[:40], p[:40], np.zeros((40,), "float32"))
batch("b_outside", y[:100], (rng.uniform(-0.5, 1.5, (100, 1))).astype("float32"))
batch("b_logits", y[:200], (rng.standard_normal((200, 1)) * 2 + 1.5 * y[:200] - 0.7).astype("float32"))

ym = (rng.uniform(0, 1, (200, 4)) < 0.35).astype("float32")
pm = edge_predictions(np.clip(0.3 * ym + rng.uniform(0, 0.8, (200, 4)), 0, 1).astype("float32"))
batch("m", ym, pm)
batch("m_w", ym, pm, rng.uniform(0, 2, (200,)).astype("float32"))
batch("m_welem", ym, pm, rng.uniform(0, 2, (200, 4)).astype("float32"))
# one-hot labels, scores rounded to one decimal so that the top-k selection meets ties
yo = np.eye(5, dtype="float32")[rng.integers(0, 5, 150)]
po = np.round(rng.uniform(0, 1, (150, 5)) + 0.3 * yo, 1).astype("float32")
batch("o", yo, po)
batch("o_w", yo, po, rng.uniform(0, 2, (150,)).astype("float32"))

cases = []


def case(name, make, batches):
    metric = make()
    results = []
    for b in batches:
        d = data[b]
        args = [np.array(d["y_true"]["data"], d["y_true"]["dtype"]).reshape(d["y_true"]["shape"]),
                np.array(d["y_pred"]["data"], "float32").reshape(d["y_pred"]["shape"])]
        sw = None
        if "sample_weight" in d:
            sw = np.array(d["sample_weight"]["data"], "float32").reshape(d["sample_weight"]["shape"])
        metric.update_state(*args, sample_weight=sw)
        r = np.asarray(metric.result())
        results.append(float(r) if r.ndim == 0 else [float(v) for v in r])
    cases.append({"name": name, "class_name": type(metric).__name__,
                  "config": keras.saving.serialize_keras_object(metric)["config"],
                  "batches": batches, "results": results})


binary_variants = [["b"], ["b_w"], ["b_w", "b2_w"], ["b_all_pos"], ["b_all_neg"], ["b_perfect"], ["b_zero_w"],
                   ["b_flat"], ["b", "b2"]]


def sweep(prefix, make, variants=binary_variants):
    for v in variants:
        case(prefix + ":" + "+".join(v), make, v)


for cls in ("TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"):
    C = getattr(m, cls)
    sweep(cls, lambda C=C: C())
    sweep(cls + "(0.7)", lambda C=C: C(thresholds=0.7), [["b_w"], ["b_outside"]])
    sweep(cls + "([0.15,0.5,0.85])", lambda C=C: C(thresholds=[0.15, 0.5, 0.85]), [["b_w"], ["b", "b2_w"]])
    sweep(cls + "(even)", lambda C=C: C(thresholds=[0.0, 0.25, 0.5, 0.75, 1.0]), [["b_w"], ["b_outside"], ["m_welem"]])

for cls in ("Precision", "Recall"):
    C = getattr(m, cls)
    sweep(cls, lambda C=C: C())
    sweep(cls + "(0.7)", lambda C=C: C(thresholds=0.7, name="p07"), [["b_w"], ["b_outside"], ["m"]])
    sweep(cls + "([0.3,0.5])", lambda C=C: C(thresholds=[0.3, 0.5]), [["b_w"], ["m_w"]])
    sweep(cls + "([0.5])", lambda C=C: C(thresholds=[0.5]), [["b_w"]])
    sweep(cls + "(even)", lambda C=C: C(thresholds=[0.0, 0.5, 1.0]), [["b_w"], ["b_outside"]])
    sweep(cls + "(top_k=1)", lambda C=C: C(top_k=1), [["o"], ["o_w"]])
    sweep(cls + "(top_k=2)", lambda C=C: C(top_k=2), [["o"], ["o_w"], ["m_w"]])
    sweep(cls + "(class_id=2)", lambda C=C: C(class_id=2), [["o"], ["m_w"], ["m", "m_w"]])
    sweep(cls + "(top_k=2,class_id=1)", lambda C=C: C(top_k=2, class_id=1), [["o_w"], ["m"]])
    sweep(cls + "(top_k=3,thresholds=0.4)", lambda C=C: C(top_k=3, thresholds=0.4), [["o"]])

sweep("AUC", lambda: m.AUC())
sweep("AUC(m)", lambda: m.AUC(), [["m"], ["m_w"], ["m_welem"], ["o"]])
sweep("AUC(b_outside)", lambda: m.AUC(), [["b_outside"]])
for curve in ("ROC", "PR", "PRGAIN"):
    for method in ("interpolation", "minoring", "majoring"):
        sweep(f"AUC({curve},{method})", lambda c=curve, s=method: m.AUC(curve=c, summation_method=s),
              [["b_w"], ["b", "b2_w"], ["b_all_pos"], ["b_perfect"]])
sweep("AUC(pr lower)", lambda: m.AUC(curve="pr", summation_method="Majoring"), [["b_w"]])
sweep("AUC(num_thresholds=7)", lambda: m.AUC(num_thresholds=7), [["b_w"], ["b_outside"]])
sweep("AUC(num_thresholds=2,PR)", lambda: m.AUC(num_thresholds=2, curve="PR"), [["b_w"]])
sweep("AUC(thresholds uneven)", lambda: m.AUC(thresholds=[0.8, 0.1, 0.3]), [["b_w"], ["b_outside"]])
sweep("AUC(thresholds uneven,PR)", lambda: m.AUC(thresholds=[0.8, 0.1, 0.3], curve="PR"), [["b_w"]])
sweep("AUC(thresholds even)", lambda: m.AUC(thresholds=[0.25, 0.5, 0.75]), [["b_w"], ["b_outside"]])
sweep("AUC(from_logits)", lambda: m.AUC(from_logits=True), [["b_logits"]])
sweep("AUC(label_weights)", lambda: m.AUC(label_weights=[0.5, 1.0, 2.0, 0.25]), [["m"], ["m_w"]])
sweep("AUC(multi_label)", lambda: m.AUC(multi_label=True), [["m"], ["m_w"], ["m_welem"], ["m", "m_w"]])
sweep("AUC(multi_label,PR)", lambda: m.AUC(multi_label=True, curve="PR"), [["m_w"]])
sweep("AUC(multi_label,num_labels)", lambda: m.AUC(multi_label=True, num_labels=4, summation_method="minoring"),
      [["m_w"]])
sweep("AUC(multi_label,label_weights)", lambda: m.AUC(multi_label=True, label_weights=[0.5, 1.0, 2.0, 0.3]),
      [["m_w"]])
sweep("AUC(multi_label,label_weights,PR)",
      lambda: m.AUC(multi_label=True, label_weights=[0.5, 1.0, 2.0, 0.3], curve="PR"), [["m_welem"]])

for cls, arg in (("SensitivityAtSpecificity", 0.8), ("SpecificityAtSensitivity", 0.7),
                 ("PrecisionAtRecall", 0.6), ("RecallAtPrecision", 0.75)):
    C = getattr(m, cls)
    sweep(cls, lambda C=C, a=arg: C(a))
    sweep(cls + "(0.5)", lambda C=C: C(0.5), [["b_w"], ["b_perfect"]])
    sweep(cls + "(1.0)", lambda C=C: C(1.0), [["b_w"], ["b_perfect"]])
    sweep(cls + "(0.0)", lambda C=C: C(0.0), [["b_w"]])
    sweep(cls + "(num_thresholds=1)", lambda C=C, a=arg: C(a, num_thresholds=1), [["b_w"]])
    sweep(cls + "(num_thresholds=9)", lambda C=C, a=arg: C(a, num_thresholds=9), [["b_w"], ["b_outside"]])
    sweep(cls + "(class_id=1)", lambda C=C, a=arg: C(a, class_id=1), [["m_w"], ["o"]])

# the messages of invalid arguments
errors = {}


def error_of(name, make):
    try:
        make()
    except ValueError as e:
        errors[name] = str(e)
    else:
        raise AssertionError(name + " did not raise")


error_of("threshold_above_1", lambda: m.Precision(thresholds=[0.5, 1.5]))
error_of("threshold_below_0", lambda: m.TruePositives(thresholds=-0.25))
error_of("auc_num_thresholds", lambda: m.AUC(num_thresholds=1))
error_of("auc_curve", lambda: m.AUC(curve="XY"))
error_of("auc_summation", lambda: m.AUC(summation_method="trapezoid"))
error_of("auc_num_labels", lambda: m.AUC(num_labels=3))
error_of("sensitivity_num_thresholds", lambda: m.SensitivityAtSpecificity(0.5, num_thresholds=0))
error_of("specificity_range", lambda: m.SensitivityAtSpecificity(1.5))
error_of("sensitivity_range", lambda: m.SpecificityAtSensitivity(-0.5))
error_of("recall_range", lambda: m.PrecisionAtRecall(2.0))
error_of("precision_range", lambda: m.RecallAtPrecision(1.25))

# compile/evaluate end to end: a fixed Dense model compiled with confusion metrics (objects and strings), its
# compile_config as a saved model holds it, and evaluate's logs (batches of 16, the last one partial)
xe = rng.standard_normal((90, 3)).astype("float32")
ye = (xe[:, 0] + 0.5 * xe[:, 1] + 0.3 * rng.standard_normal(90) > 0).astype("float32").reshape(-1, 1)
we = rng.uniform(0, 2, (90,)).astype("float32")
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="sgd", loss="binary_crossentropy",
              metrics=["auc", "precision", m.Recall(thresholds=0.4, name="recall_04"),
                       m.AUC(curve="PR", num_thresholds=50, name="pr_auc"), "true_negatives",
                       m.SensitivityAtSpecificity(0.6), m.PrecisionAtRecall(0.5, num_thresholds=30)],
              weighted_metrics=[m.AUC(name="weighted_auc"), m.FalsePositives(thresholds=0.6, name="fp")])
evaluate = {
    "x": arr(xe), "y": arr(ye), "sample_weight": arr(we),
    "weights": [arr(v) for v in model.get_weights()],
    "compile_config": json.loads(json.dumps(keras.saving.serialize_keras_object(model.get_compile_config()))),
    "logs": {k: float(v) for k, v in model.evaluate(xe, ye, batch_size=16, verbose=0, sample_weight=we,
                                                    return_dict=True).items()},
}

reference = {"evaluate": evaluate, "keras_version": keras.__version__, "backend": keras.backend.backend(), "data": data, "cases": cases,
             "errors": errors}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "confusion_metrics_reference.json")
with open(out, "w") as f:
    json.dump(reference, f, separators=(",", ":"))
print(f"wrote {out} ({os.path.getsize(out)} bytes), {len(cases)} cases, keras {keras.__version__}")
