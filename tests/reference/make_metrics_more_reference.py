"""Writes metrics_more_reference.json: results of real Keras 3 (jax backend) metrics (the rest of keras.metrics,
issue 5) over random batches and edge cases, which tests/unit/test_metrics_more.cpp checks strata against.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_metrics_more_reference.py
"""
import json
import os
import warnings

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402

warnings.filterwarnings("ignore")  # IoU warns about float weights; we want its truncation on record
rng = np.random.default_rng(20261121)
M = keras.metrics
N = 48  # samples per batch


def arr(a):
    a = np.asarray(a)
    dtype = "int32" if np.issubdtype(a.dtype, np.integer) else "float32"
    return {"shape": list(a.shape), "dtype": dtype, "data": [number(v) for v in a.reshape(-1)]}


def number(v):
    """The shortest JSON number that reads back as this float32 (an int when integral)."""
    if float(v).is_integer():
        return int(v)
    return float(np.format_float_positional(np.float32(v), unique=True, trim="-"))


def f32(a):
    return np.asarray(a, dtype="float32")


def short(a):
    return f32(np.round(a, 3)) if a.dtype == np.float32 else a


def softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return f32(e / e.sum(-1, keepdims=True))


# ---- input kinds: each returns (y_true, y_pred) for a random batch, a perfect one and an all-one-class one ----
def regression(n, d=4, perfect=False, one_class=False):
    t = f32(rng.standard_normal((n, d)))
    if one_class:
        t = f32(np.full((n, d), 1.5))  # constant: R2's total variance is exactly 0
    p = t.copy() if perfect else f32(t + rng.standard_normal((n, d)) * 0.7)
    return t, p


def positive(n, d=4, perfect=False, one_class=False):
    t = f32(rng.uniform(0.05, 3.0, (n, d)))
    if one_class:
        t = f32(np.full((n, d), 1.5))
    p = t.copy() if perfect else f32(rng.uniform(0.05, 3.0, (n, d)))
    return t, p


def probabilities(n, d=5, perfect=False, one_class=False):  # KL divergence: rows are distributions
    t = softmax(rng.standard_normal((n, d)) * 2)
    if one_class:
        t = f32(np.eye(d)[np.zeros(n, int)])
    p = t.copy() if perfect else softmax(rng.standard_normal((n, d)) * 2)
    return t, p


def binary(n, d=1, perfect=False, one_class=False):
    t = f32(rng.integers(0, 2, (n, d)))
    if one_class:
        t = f32(np.ones((n, d)))
    p = t.copy() if perfect else f32(rng.uniform(0, 1, (n, d)))
    return t, p


def categorical(n, d=6, perfect=False, one_class=False):
    labels = np.zeros(n, int) if one_class else rng.integers(0, d, n)
    t = f32(np.eye(d)[labels])
    p = f32(t * 0.9 + 0.01) if perfect else softmax(rng.standard_normal((n, d)) * 2)
    return t, p


def categorical_ties(n, d=8, perfect=False, one_class=False):  # scores on a coarse grid: many ties
    t, _ = categorical(n, d, perfect, one_class)
    p = f32(rng.integers(0, 4, (n, d)) / 4.0)
    if perfect:
        p = t.copy()
    return t, p


def sparse(n, d=8, perfect=False, one_class=False):
    labels = np.zeros(n, int) if one_class else rng.integers(0, d, n)
    p = f32(np.eye(d)[labels] * 5 + rng.standard_normal((n, d)) * 0.1) if perfect else \
        f32(rng.integers(0, 5, (n, d)) / 4.0)  # ties on purpose
    return labels.astype("int32"), p


def sparse_column(n, d=8, perfect=False, one_class=False):  # (batch, 1) labels
    labels, p = sparse(n, d, perfect, one_class)
    return labels.reshape(n, 1), p


def sorted_ids(n, d=8, perfect=False, one_class=False):
    labels, scores = sparse(n, d, perfect, one_class)
    ids = np.argsort(-scores, axis=-1, kind="stable").astype("float32")
    return labels, f32(ids)


def exact(n, d=3, perfect=False, one_class=False):  # Accuracy: equality of small integers
    t = f32(rng.integers(0, 3, (n, d)))
    if one_class:
        t = f32(np.ones((n, d)))
    p = t.copy() if perfect else f32(np.where(rng.uniform(0, 1, (n, d)) < 0.6, t, rng.integers(0, 3, (n, d))))
    return t, p


def values(n, d=3, perfect=False, one_class=False):  # Mean and Sum: one values tensor
    v = f32(np.ones((n, d)) * 2.0 if one_class else rng.standard_normal((n, d)))
    return v, v


def multilabel(n, d=5, perfect=False, one_class=False):  # F-scores
    t = f32(rng.integers(0, 2, (n, d)))
    if one_class:
        t = f32(np.zeros((n, d)))
        t[:, 0] = 1
    p = f32(t * 0.8 + 0.1) if perfect else f32(rng.uniform(0, 1, (n, d)))
    return t, p


def onehot_f(n, d=5, perfect=False, one_class=False):  # F-scores without threshold: argmax picks
    t, p = categorical(n, d, perfect, one_class)
    return t, p


def iou_sparse(n, d=4, perfect=False, one_class=False):
    t = np.zeros((n, 3), int) if one_class else rng.integers(0, d, (n, 3))
    p = t.copy() if perfect else rng.integers(0, d, (n, 3))
    return t.astype("int32"), p.astype("int32")


def iou_out_of_range(n, d=4, perfect=False, one_class=False):  # labels -1 and d are out of bounds
    t, p = iou_sparse(n, d, perfect, one_class)
    t[::7] = -1
    p[::5] = d
    return t, p


def iou_binary(n, d=2, perfect=False, one_class=False):
    t = np.ones((n, 2), int) if one_class else rng.integers(0, 2, (n, 2))
    p = f32(t) if perfect else f32(rng.uniform(0, 1, (n, 2)))
    return t.astype("int32"), p


def iou_onehot(n, d=4, perfect=False, one_class=False):
    labels = np.zeros(n, int) if one_class else rng.integers(0, d, n)
    t = f32(np.eye(d)[labels])
    p = f32(t * 0.9 + 0.02) if perfect else softmax(rng.standard_normal((n, d)) * 2)
    return t, p


def iou_onehot_sparse_pred(n, d=4, perfect=False, one_class=False):
    t, p = iou_onehot(n, d, perfect, one_class)
    return t, np.argmax(p, -1).astype("int32")


def iou_dense_both(n, d=4, perfect=False, one_class=False):
    return iou_onehot(n, d, perfect, one_class)


def correlation(n, d=8, perfect=False, one_class=False):
    t = f32(rng.standard_normal((n, d)))
    if one_class:
        t = f32(np.linspace(0, 1, d)[None, :] * np.ones((n, 1)))
    p = t.copy() if perfect else f32(t * 0.5 + rng.standard_normal((n, d)))
    return t, p


def correlation_axis0(n, d=8, perfect=False, one_class=False):
    return correlation(n, d, perfect, one_class)


def weights(y_true, kind="float"):
    """Per-sample weights; "..._full": one per label (IoU's labels of shape (batch, 3))."""
    shape = y_true.shape if kind.endswith("_full") else y_true.shape[:1]
    if kind.startswith("int"):
        return rng.integers(0, 4, shape).astype("float32")
    return f32(rng.uniform(0, 2, shape))


def batch(kind, n, weight_kind=None, zero_weights=False, **kw):
    y_true, y_pred = kind(n, **kw)
    # inputs on a 1e-3 grid keep the JSON small (their float32 values print in a few digits)
    u = {"y_true": short(y_true), "y_pred": short(y_pred)}
    if weight_kind is not None:
        u["sample_weight"] = weights(y_true, weight_kind) * (0 if zero_weights else 1)
    return u


# (case name, metric factory, input kind, weight kind: None where values run along the batch axis)
specs = [
    ("hinge", lambda: M.Hinge(), binary, "float"),
    ("squared_hinge", lambda: M.SquaredHinge(), binary, "float"),
    ("categorical_hinge", lambda: M.CategoricalHinge(), categorical, "float"),
    ("kl_divergence", lambda: M.KLDivergence(), probabilities, "float"),
    ("logcosh", lambda: M.LogCoshError(), regression, "float"),
    ("poisson", lambda: M.Poisson(), positive, "float"),
    ("cosine_similarity", lambda: M.CosineSimilarity(), regression, "float"),
    ("cosine_similarity_axis0", lambda: M.CosineSimilarity(name="cos0", axis=0), regression, None),
    ("mape", lambda: M.MeanAbsolutePercentageError(), positive, "float"),
    ("msle", lambda: M.MeanSquaredLogarithmicError(), positive, "float"),
    ("accuracy", lambda: M.Accuracy(), exact, "float"),
    ("rmse", lambda: M.RootMeanSquaredError(), regression, "float"),
    ("top_k", lambda: M.TopKCategoricalAccuracy(), categorical_ties, "float"),
    ("top_k_2", lambda: M.TopKCategoricalAccuracy(k=2, name="top2"), categorical_ties, "float"),
    ("sparse_top_k", lambda: M.SparseTopKCategoricalAccuracy(), sparse, "float"),
    ("sparse_top_k_3_column", lambda: M.SparseTopKCategoricalAccuracy(k=3), sparse_column, "float"),
    ("sparse_top_k_sorted_ids", lambda: M.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True), sorted_ids,
     "float"),
    ("mean", lambda: M.Mean(), values, "float"),
    ("sum", lambda: M.Sum(name="total"), values, "float"),
    ("f1_none", lambda: M.F1Score(), onehot_f, "float"),
    ("f1_micro", lambda: M.F1Score(average="micro", threshold=0.5), multilabel, "float"),
    ("f1_macro", lambda: M.F1Score(average="macro", threshold=0.4), multilabel, "float"),
    ("f1_weighted", lambda: M.F1Score(average="weighted"), onehot_f, "float"),
    ("fbeta_none", lambda: M.FBetaScore(beta=2.0, threshold=0.5), multilabel, "float"),
    ("fbeta_macro", lambda: M.FBetaScore(average="macro", beta=0.5), onehot_f, "float"),
    ("fbeta_weighted", lambda: M.FBetaScore(average="weighted", beta=1.5, threshold=0.3), multilabel, "float"),
    ("iou", lambda: M.IoU(num_classes=4, target_class_ids=[0, 2]), iou_sparse, "int_full"),
    ("iou_float_weights", lambda: M.IoU(num_classes=4, target_class_ids=[1, 3], name="iou_fw"), iou_sparse,
     "float_full"),
    ("iou_ignore_class", lambda: M.IoU(num_classes=4, target_class_ids=[0, 1, 3], ignore_class=1),
     iou_out_of_range, "int_full"),
    ("iou_dense", lambda: M.IoU(num_classes=4, target_class_ids=[2], sparse_y_true=False, sparse_y_pred=False),
     iou_dense_both, "int"),
    ("binary_iou", lambda: M.BinaryIoU(), iou_binary, "int_full"),
    ("binary_iou_1_threshold", lambda: M.BinaryIoU(target_class_ids=[1], threshold=0.3), iou_binary, "int_full"),
    ("mean_iou", lambda: M.MeanIoU(num_classes=4), iou_sparse, "int_full"),
    ("mean_iou_ignore", lambda: M.MeanIoU(num_classes=4, ignore_class=0), iou_out_of_range, "int_full"),
    ("one_hot_iou", lambda: M.OneHotIoU(num_classes=4, target_class_ids=[0, 3]), iou_onehot, "int"),
    ("one_hot_iou_sparse_pred", lambda: M.OneHotIoU(num_classes=4, target_class_ids=[1], sparse_y_pred=True),
     iou_onehot_sparse_pred, "int"),
    ("one_hot_mean_iou", lambda: M.OneHotMeanIoU(num_classes=4), iou_onehot, "int"),
    ("r2", lambda: M.R2Score(), regression, "float"),
    ("r2_variance_weighted", lambda: M.R2Score(class_aggregation="variance_weighted_average"), regression, "float"),
    ("r2_none", lambda: M.R2Score(class_aggregation=None), regression, "float"),
    ("r2_adjusted", lambda: M.R2Score(num_regressors=3), regression, "float"),
    ("pearson", lambda: M.PearsonCorrelation(), correlation, "float"),
    ("pearson_axis0", lambda: M.PearsonCorrelation(axis=0), correlation_axis0, None),
    ("concordance", lambda: M.ConcordanceCorrelation(), correlation, "float"),
    ("concordance_axis0", lambda: M.ConcordanceCorrelation(axis=0), correlation_axis0, None),
]


def result_json(m):
    """The result; NaN (R2 of all-zero weights, Pearson of a constant) as the string "nan"."""
    r = np.asarray(m.result(), dtype="float64")
    as_json = [float(v) if np.isfinite(v) else str(v) for v in r.reshape(-1)]
    return as_json if r.ndim else as_json[0]


def run(m, updates):
    m.reset_state()
    for u in updates:
        sw = u.get("sample_weight")
        if type(m) in (M.Mean, M.Sum):
            m.update_state(u["y_pred"], sample_weight=sw)
        else:
            m.update_state(u["y_true"], u["y_pred"], sample_weight=sw)
    return result_json(m)


cases = []
for name, factory, kind, weight_kind in specs:
    m = factory()
    wk = weight_kind
    variants = {
        "random": [batch(kind, N)],
        "random_weighted": [batch(kind, N, wk)],
        "two_updates": [batch(kind, N), batch(kind, N // 2, wk)],
        "perfect": [batch(kind, N, perfect=True)],
        "one_class": [batch(kind, N, one_class=True)],
        "zero_weights": [batch(kind, N, wk, zero_weights=True)],
    }
    if weight_kind is None:  # values along the batch axis: per-sample weights do not apply
        del variants["random_weighted"], variants["zero_weights"]
    for variant, updates in variants.items():
        value = run(m, updates)
        cases.append({"name": name + "/" + variant, "class_name": type(m).__name__,
                      "config": m.get_config(), "value": value,
                      "updates": [{k: arr(v) for k, v in u.items()} for u in updates]})

# the config keys of a default instance per class (F1/FBeta/R2: None values must serialize as null)
invalid = []


def expect_error(what, fn):
    try:
        fn()
    except ValueError as e:
        invalid.append({"name": what, "message": str(e)})
        return
    raise AssertionError(what + " did not raise")


expect_error("fbeta_average", lambda: M.FBetaScore(average="median"))
expect_error("fbeta_beta", lambda: M.FBetaScore(beta=0.0))
expect_error("fbeta_threshold", lambda: M.FBetaScore(threshold=1.5))
expect_error("f1_threshold_zero", lambda: M.F1Score(threshold=0.0))
expect_error("r2_aggregation", lambda: M.R2Score(class_aggregation="variance_weighted"))
expect_error("r2_regressors", lambda: M.R2Score(num_regressors=-1))
expect_error("iou_target", lambda: M.IoU(num_classes=3, target_class_ids=[0, 3]))

out = {"keras_version": keras.__version__, "cases": cases, "invalid": invalid}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_more_reference.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(path, len(cases), "cases", os.path.getsize(path) // 1024, "KiB")
