"""Writes keras_reference.json: inputs, weights and outputs of real Keras 3 (jax backend) for the layers,
activations, losses, metrics and optimizers that tests/unit/test_layers.cpp and friends check strata against.

    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras "jax[cpu]" numpy
    /tmp/kvenv/bin/python tests/reference/make_layer_reference.py
"""
import json
import os

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.trainers import compile_utils  # noqa: E402

rng = np.random.default_rng(20240611)
L = keras.layers


def arr(a):
    a = np.asarray(a)
    dtype = "int32" if np.issubdtype(a.dtype, np.integer) else "float32"
    return {"shape": list(a.shape), "dtype": dtype,
            "data": [float("%.9g" % v) if dtype == "float32" else int(v) for v in a.reshape(-1)]}


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype("float32")


def config_keys(obj):
    return sorted(obj.get_config().keys())


# ---- layers --------------------------------------------------------------------------------------
layer_cases = []


def layer_case(name, layer, x, training=False, weights=None, moving=None):
    """Builds `layer` for x, sets weights (random unless given), records its output for x."""
    layer.build(x.shape)
    if weights is None:
        weights = [f32(*w.shape, scale=0.5) for w in layer.get_weights()]
        if moving is not None:  # BatchNormalization: moving variance must be positive
            weights[-1] = np.abs(weights[-1]) + 0.5
    layer.set_weights(weights)
    y = layer(x, training=training)
    case = {"name": name, "class_name": type(layer).__name__, "training": training,
            "config_keys": config_keys(layer), "input": arr(x),
            "weights": [arr(w) for w in weights], "output": arr(np.asarray(y)),
            "weights_after": [arr(w) for w in layer.get_weights()]}
    layer_cases.append(case)


layer_case("dense_2d", L.Dense(5), f32(4, 3))
layer_case("dense_2d_relu", L.Dense(6, activation="relu"), f32(3, 4))
layer_case("dense_3d_tanh", L.Dense(5, activation="tanh"), f32(2, 3, 4))
layer_case("dense_no_bias_softmax", L.Dense(4, activation="softmax", use_bias=False), f32(3, 6))
layer_case("conv2d_valid", L.Conv2D(4, 3), f32(2, 7, 6, 3))
layer_case("conv2d_same", L.Conv2D(4, 3, padding="same", activation="relu"), f32(2, 7, 6, 3))
layer_case("conv2d_strides2_same", L.Conv2D(3, 3, strides=2, padding="same"), f32(2, 9, 8, 2))
layer_case("conv2d_strides2_valid", L.Conv2D(3, (3, 2), strides=(2, 1)), f32(2, 9, 8, 2))
layer_case("conv2d_dilation2", L.Conv2D(3, 3, dilation_rate=2), f32(1, 9, 10, 2))
layer_case("conv2d_dilation2_same", L.Conv2D(2, 3, dilation_rate=(2, 1), padding="same"), f32(1, 8, 7, 2))
layer_case("conv2d_groups2", L.Conv2D(6, 3, groups=2, padding="same"), f32(2, 6, 5, 4))
layer_case("conv2d_7x5", L.Conv2D(3, (7, 5), padding="same"), f32(1, 9, 8, 2))
layer_case("conv2d_7x5_valid_strides", L.Conv2D(2, (7, 5), strides=2), f32(1, 11, 9, 3))
layer_case("max_pool_default", L.MaxPooling2D(), f32(2, 6, 7, 3))
layer_case("max_pool_3_s2_valid", L.MaxPooling2D(3, strides=2), f32(2, 7, 8, 2))
layer_case("max_pool_3_s2_same", L.MaxPooling2D(3, strides=2, padding="same"), f32(2, 7, 8, 2))
layer_case("max_pool_2x3_same", L.MaxPooling2D((2, 3), padding="same"), f32(1, 5, 7, 2))
layer_case("avg_pool_2", L.AveragePooling2D(2), f32(2, 6, 7, 3))
layer_case("avg_pool_3_s2_valid", L.AveragePooling2D(3, strides=2), f32(2, 7, 8, 2))
layer_case("avg_pool_3_s2_same", L.AveragePooling2D(3, strides=2, padding="same"), f32(2, 7, 8, 2))
layer_case("avg_pool_2x3_same", L.AveragePooling2D((2, 3), padding="same"), f32(1, 5, 7, 2))
layer_case("global_avg_pool", L.GlobalAveragePooling2D(), f32(2, 4, 5, 3))
layer_case("global_avg_pool_keepdims", L.GlobalAveragePooling2D(keepdims=True), f32(2, 4, 5, 3))
layer_case("batch_norm_inference", L.BatchNormalization(), f32(4, 5), moving=True)
layer_case("batch_norm_inference_4d", L.BatchNormalization(epsilon=0.01), f32(2, 3, 4, 3), moving=True)
layer_case("batch_norm_training", L.BatchNormalization(momentum=0.9), f32(6, 4, scale=2.0) + 1.0,
           training=True, moving=True)
layer_case("batch_norm_training_4d", L.BatchNormalization(), f32(2, 3, 3, 2) * 3.0 - 1.0, training=True,
           moving=True)
layer_case("batch_norm_no_center_scale", L.BatchNormalization(center=False, scale=False), f32(4, 3),
           moving=True)
layer_case("batch_norm_no_center_scale_training", L.BatchNormalization(center=False, scale=False),
           f32(5, 3), training=True, moving=True)
layer_case("flatten", L.Flatten(), f32(2, 3, 4, 2))
layer_case("reshape", L.Reshape((4, 6)), f32(2, 3, 8))
layer_case("reshape_infer", L.Reshape((-1, 3)), f32(2, 3, 4))
layer_case("dropout_inference", L.Dropout(0.5), f32(3, 4))

# get_config keys of layers with defaults (the C++ test builds the same defaults)
config_cases = {
    "Dense": config_keys(L.Dense(3)),
    "Activation": config_keys(L.Activation("relu")),
    "Flatten": config_keys(L.Flatten()),
    "Reshape": config_keys(L.Reshape((2, -1))),
    "Dropout": config_keys(L.Dropout(0.5)),
    "Conv2D": config_keys(L.Conv2D(2, 3)),
    "MaxPooling2D": config_keys(L.MaxPooling2D()),
    "AveragePooling2D": config_keys(L.AveragePooling2D(2)),
    "GlobalAveragePooling2D": config_keys(L.GlobalAveragePooling2D()),
    "BatchNormalization": config_keys(L.BatchNormalization()),
}
conv_config = L.Conv2D(4, (3, 5), strides=2, padding="same").get_config()
pool_config = L.MaxPooling2D(3, strides=2).get_config()
dropout_config = L.Dropout(0.25, noise_shape=(None, 1, 4), seed=7).get_config()

# ---- activations ---------------------------------------------------------------------------------
act_x = np.concatenate([np.linspace(-6.0, 6.0, 25), [-0.3, -0.05, 0.0, 0.05, 0.3, 2.5, -2.5]]).astype("float32")
act_x = act_x.reshape(4, 8)
activation_names = ["linear", "relu", "leaky_relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax",
                    "elu", "celu", "selu", "gelu", "silu", "swish", "softplus", "softsign", "exponential",
                    "hard_sigmoid", "hard_silu", "hard_swish", "hard_tanh", "log_sigmoid", "mish",
                    "tanh_shrink", "squareplus", "soft_shrink", "sparse_plus", "sparse_sigmoid",
                    "glu", "hard_shrink", "sparsemax"]
activations = {"input": arr(act_x), "outputs": {}}
for n in activation_names:
    activations["outputs"][n] = arr(np.asarray(L.Activation(n)(act_x)))

# ---- losses --------------------------------------------------------------------------------------
loss_cases = []


def loss_case(name, loss, y_true, y_pred):
    value = float(loss(y_true, y_pred))
    per_sample = np.asarray(loss.call(keras.ops.convert_to_tensor(y_true), keras.ops.convert_to_tensor(y_pred)))
    loss_cases.append({"name": name, "class_name": type(loss).__name__, "config": loss.get_config(),
                       "y_true": arr(y_true), "y_pred": arr(y_pred), "value": value,
                       "per_sample": arr(per_sample)})


probs = rng.uniform(0.02, 0.98, (4, 3)).astype("float32")
probs[0, 0], probs[1, 1] = 0.0, 1.0  # exercise the clipping
bin_true = (rng.uniform(size=(4, 3)) > 0.5).astype("float32")
logits = f32(4, 3, scale=3.0)
onehot = np.eye(5, dtype="float32")[[1, 0, 4, 2]]
unnorm = rng.uniform(0.05, 2.0, (4, 5)).astype("float32")
logits5 = f32(4, 5, scale=2.0)
labels = np.array([1, 0, 4, 2], dtype="int32")
losses = keras.losses
loss_case("mse", losses.MeanSquaredError(), f32(4, 3), f32(4, 3))
loss_case("mse_squeeze", losses.MeanSquaredError(), f32(5), f32(5, 1))
loss_case("mse_3d", losses.MeanSquaredError(), f32(2, 3, 4), f32(2, 3, 4))
loss_case("mae", losses.MeanAbsoluteError(), f32(4, 3), f32(4, 3))
loss_case("mae_squeeze", losses.MeanAbsoluteError(), f32(5, 1), f32(5))
loss_case("bce", losses.BinaryCrossentropy(), bin_true, probs)
loss_case("bce_logits", losses.BinaryCrossentropy(from_logits=True), bin_true, logits)
loss_case("bce_smoothing", losses.BinaryCrossentropy(label_smoothing=0.1), bin_true, probs)
loss_case("bce_logits_smoothing", losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.2), bin_true, logits)
loss_case("bce_rank1", losses.BinaryCrossentropy(), bin_true[:, 0], probs[:, 1:2])
loss_case("cce", losses.CategoricalCrossentropy(), onehot, unnorm)
loss_case("cce_logits", losses.CategoricalCrossentropy(from_logits=True), onehot, logits5)
loss_case("cce_smoothing", losses.CategoricalCrossentropy(label_smoothing=0.2), onehot, unnorm)
loss_case("cce_logits_smoothing", losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), onehot,
          logits5)
loss_case("scce", losses.SparseCategoricalCrossentropy(), labels, unnorm)
loss_case("scce_column", losses.SparseCategoricalCrossentropy(), labels.reshape(4, 1), unnorm)
loss_case("scce_logits", losses.SparseCategoricalCrossentropy(from_logits=True), labels, logits5)
# the remaining simple losses (issue 5), from their own generator so the draws above and below stay as they were
loss_rng = np.random.default_rng(5)
pos_true = loss_rng.uniform(0.1, 3.0, (4, 3)).astype("float32")
pos_pred = loss_rng.uniform(0.1, 3.0, (4, 3)).astype("float32")
dist_true = loss_rng.dirichlet(np.ones(5), 4).astype("float32")
dist_pred = loss_rng.dirichlet(np.ones(5), 4).astype("float32")
dist_true[0, 0] = 0.0  # exercise the clipping to [1e-7, 1]
signed_true = loss_rng.choice([-1.0, 1.0], (4, 3)).astype("float32")
reg_true = loss_rng.normal(0, 1.5, (4, 3)).astype("float32")
reg_pred = loss_rng.normal(0, 1.5, (4, 3)).astype("float32")
hinge_pred = loss_rng.normal(0, 1.5, (4, 3)).astype("float32")
loss_case("msle", losses.MeanSquaredLogarithmicError(), pos_true, pos_pred)
loss_case("msle_negative", losses.MeanSquaredLogarithmicError(), reg_true, reg_pred)
loss_case("mape", losses.MeanAbsolutePercentageError(), reg_true, reg_pred)
loss_case("mape_zero_true", losses.MeanAbsolutePercentageError(), np.where(reg_true > 1, 0, reg_true), reg_pred)
loss_case("huber", losses.Huber(), reg_true, reg_pred)
loss_case("huber_delta", losses.Huber(delta=0.5), reg_true, reg_pred)
loss_case("log_cosh", losses.LogCosh(), reg_true, reg_pred * 20)
loss_case("kld", losses.KLDivergence(), dist_true, dist_pred)
loss_case("poisson", losses.Poisson(), pos_true, pos_pred)
loss_case("hinge_binary", losses.Hinge(), bin_true, hinge_pred)
loss_case("hinge_signed", losses.Hinge(), signed_true, hinge_pred)
loss_case("squared_hinge_binary", losses.SquaredHinge(), bin_true, hinge_pred)
loss_case("squared_hinge_signed", losses.SquaredHinge(), signed_true, hinge_pred)
loss_case("categorical_hinge", losses.CategoricalHinge(), onehot, logits5)
loss_case("cosine_similarity", losses.CosineSimilarity(), reg_true, reg_pred)
loss_case("cosine_similarity_axis0", losses.CosineSimilarity(axis=0), reg_true, reg_pred)
loss_case("cosine_similarity_zero", losses.CosineSimilarity(), np.zeros((4, 3), "float32"), reg_pred)
# focal crossentropies, Dice, Tversky and the reductions (issue 5), from their own generator
focal_rng = np.random.default_rng(55)
seg_true = (focal_rng.uniform(size=(2, 3, 4)) > 0.5).astype("float32")
seg_pred = focal_rng.uniform(0.0, 1.0, (2, 3, 4)).astype("float32")
loss_case("bfce", losses.BinaryFocalCrossentropy(), bin_true, probs)
loss_case("bfce_balanced", losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=3.0),
          bin_true, probs)
loss_case("bfce_logits_smoothing", losses.BinaryFocalCrossentropy(from_logits=True, label_smoothing=0.1, gamma=1.5),
          bin_true, logits)
loss_case("bfce_gamma0", losses.BinaryFocalCrossentropy(gamma=0.0), bin_true, probs)
loss_case("cfce", losses.CategoricalFocalCrossentropy(), onehot, unnorm)
loss_case("cfce_logits_smoothing", losses.CategoricalFocalCrossentropy(from_logits=True, label_smoothing=0.1,
                                                                       alpha=0.5, gamma=1.0), onehot, logits5)
loss_case("dice", losses.Dice(), seg_true, seg_pred)
loss_case("dice_axis", losses.Dice(axis=(1, 2)), seg_true, seg_pred)
loss_case("tversky", losses.Tversky(), seg_true, seg_pred)
loss_case("tversky_axis", losses.Tversky(alpha=0.3, beta=0.7, axis=(1, 2)), seg_true, seg_pred)
loss_case("mse_sum", losses.MeanSquaredError(reduction="sum"), reg_true, reg_pred)
loss_case("mse_mean", losses.MeanSquaredError(reduction="mean"), reg_true, reg_pred)
loss_case("bce_mean_with_sample_weight", losses.BinaryCrossentropy(reduction="mean_with_sample_weight"), bin_true,
          probs)
# sample weights: per sample, per value, all zero
weighted_loss_cases = []
sample_w = np.array([0.5, 2.0, 0.0, 1.5], "float32")
value_w = focal_rng.uniform(0.0, 2.0, (2, 3)).astype("float32")
for reduction in ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]:
    for wname, loss, yt, yp, w in [
            ("per_sample", losses.MeanSquaredError(reduction=reduction), reg_true, reg_pred, sample_w),
            ("per_value", losses.BinaryCrossentropy(reduction=reduction), seg_true, seg_pred, value_w),
            ("per_sample_3d", losses.BinaryCrossentropy(reduction=reduction), seg_true, seg_pred,
             np.array([[0.25], [3.0]], "float32")),
            ("zero", losses.CategoricalCrossentropy(reduction=reduction), onehot, unnorm, np.zeros(4, "float32"))]:
        weighted_loss_cases.append({"name": wname + "_" + reduction, "class_name": type(loss).__name__,
                                    "config": loss.get_config(), "y_true": arr(yt), "y_pred": arr(yp),
                                    "sample_weight": arr(w), "value": arr(np.asarray(loss(yt, yp, sample_weight=w)))})
loss_config_keys = {type(o).__name__: config_keys(o) for o in [
    losses.MeanSquaredError(), losses.MeanAbsoluteError(), losses.BinaryCrossentropy(),
    losses.CategoricalCrossentropy(), losses.SparseCategoricalCrossentropy(),
    losses.MeanSquaredLogarithmicError(), losses.MeanAbsolutePercentageError(), losses.Huber(), losses.LogCosh(),
    losses.KLDivergence(), losses.Poisson(), losses.Hinge(), losses.SquaredHinge(), losses.CategoricalHinge(),
    losses.CosineSimilarity(), losses.BinaryFocalCrossentropy(), losses.CategoricalFocalCrossentropy(),
    losses.Dice(), losses.Tversky()]}

# ---- metrics -------------------------------------------------------------------------------------
metric_cases = []


def metric_case(name, metric, y_true, y_pred):
    metric.update_state(y_true, y_pred)
    metric_cases.append({"name": name, "class_name": type(metric).__name__, "config": metric.get_config(),
                         "y_true": arr(y_true), "y_pred": arr(y_pred), "value": float(metric.result())})


m = keras.metrics
scores = rng.uniform(0, 1, (6, 4)).astype("float32")
cls = np.array([0, 3, 1, 2, 2, 0], dtype="int32")
cls[1] = np.argmax(scores[1])
cls[4] = np.argmax(scores[4])
bin_pred = rng.uniform(0, 1, (6, 1)).astype("float32")
bin_lab = (rng.uniform(size=(6, 1)) > 0.5).astype("float32")
metric_case("binary_accuracy", m.BinaryAccuracy(), bin_lab, bin_pred)
metric_case("binary_accuracy_rank1_true", m.BinaryAccuracy(), bin_lab[:, 0], bin_pred)
metric_case("binary_accuracy_threshold", m.BinaryAccuracy(threshold=0.7), bin_lab, bin_pred)
metric_case("binary_accuracy_multi", m.BinaryAccuracy(), bin_true, probs)
metric_case("categorical_accuracy", m.CategoricalAccuracy(), np.eye(4, dtype="float32")[cls], scores)
metric_case("sparse_categorical_accuracy", m.SparseCategoricalAccuracy(), cls, scores)
metric_case("sparse_categorical_accuracy_column", m.SparseCategoricalAccuracy(), cls.reshape(6, 1), scores)
metric_case("mse_metric", m.MeanSquaredError(), f32(4, 3), f32(4, 3))
metric_case("mae_metric", m.MeanAbsoluteError(), f32(4, 3), f32(4, 3))
metric_case("bce_metric", m.BinaryCrossentropy(), bin_true, probs)
metric_case("bce_metric_logits", m.BinaryCrossentropy(from_logits=True, label_smoothing=0.1), bin_true, logits)
metric_case("cce_metric", m.CategoricalCrossentropy(), onehot, unnorm)
metric_case("cce_metric_logits", m.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1), onehot, logits5)
metric_case("scce_metric", m.SparseCategoricalCrossentropy(), labels, unnorm)
metric_case("scce_metric_logits", m.SparseCategoricalCrossentropy(from_logits=True), labels, logits5)
metric_config_keys = {type(o).__name__: config_keys(o) for o in [
    m.BinaryAccuracy(), m.CategoricalAccuracy(), m.SparseCategoricalAccuracy(), m.MeanSquaredError(),
    m.MeanAbsoluteError(), m.BinaryCrossentropy(), m.CategoricalCrossentropy(), m.SparseCategoricalCrossentropy()]}

# "accuracy" resolution (shapes include the batch dim here; the C++ API takes per-sample shapes)
resolution_cases = []
for ident in ["accuracy", "acc"]:
    for t_shape, p_shape in [((8, 1), (8, 1)), ((8,), (8, 1)), ((8,), (8, 10)), ((8, 1), (8, 10)),
                             ((8, 10), (8, 10)), ((8, 3), (8, 3)), ((8, 5, 1), (8, 5, 4)), ((8, 5, 4), (8, 5, 4)),
                             ((8, 2), (8, 1))]:
        metric = compile_utils.get_metric(ident, np.zeros(t_shape, "float32"), np.zeros(p_shape, "float32"))
        resolution_cases.append({"identifier": ident, "y_true_shape": list(t_shape), "y_pred_shape": list(p_shape),
                                 "class_name": type(metric).__name__, "name": metric.name})
for ident in ["mse", "mae", "binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy",
              "binary_accuracy", "BinaryAccuracy", "MeanSquaredError"]:
    metric = compile_utils.get_metric(ident, np.zeros((8, 3), "float32"), np.zeros((8, 3), "float32"))
    resolution_cases.append({"identifier": ident, "y_true_shape": [8, 3], "y_pred_shape": [8, 3],
                             "class_name": type(metric).__name__, "name": metric.name})

# ---- optimizers ----------------------------------------------------------------------------------
opt_x = f32(4, 3)
opt_y = f32(4, 2)
opt_kernel = f32(3, 2, scale=0.5)
opt_bias = f32(2, scale=0.1)
optimizer_cases = []


def optimizer_case(name, make, options):
    model = keras.Sequential([keras.Input((3,)), L.Dense(2)])
    model.set_weights([opt_kernel, opt_bias])
    opt = make(**options)
    model.compile(optimizer=opt, loss="mse")
    steps, step_losses = [], []
    for _ in range(3):
        step_losses.append(float(model.train_on_batch(opt_x, opt_y)))
        steps.append([arr(w) for w in model.get_weights()])
    optimizer_cases.append({"name": name, "class_name": type(opt).__name__, "options": options,
                            "config_keys": config_keys(opt), "losses": step_losses, "weights": steps,
                            "variables": [v.path.split("/", 1)[1] for v in opt.variables]})


O = keras.optimizers
optimizer_case("sgd", O.SGD, {"learning_rate": 0.1})
optimizer_case("sgd_momentum", O.SGD, {"learning_rate": 0.1, "momentum": 0.9})
optimizer_case("sgd_nesterov", O.SGD, {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True})
optimizer_case("adam", O.Adam, {"learning_rate": 0.1})
optimizer_case("adam_amsgrad", O.Adam, {"learning_rate": 0.05, "beta_1": 0.8, "beta_2": 0.95, "amsgrad": True})
optimizer_case("rmsprop", O.RMSprop, {"learning_rate": 0.05})
optimizer_case("rmsprop_momentum_centered", O.RMSprop,
               {"learning_rate": 0.02, "rho": 0.8, "momentum": 0.5, "centered": True})

# ---- training through the layers (gradients of conv, pooling, batch norm, losses) -------------------
training_cases = []


def training_case(name, layers_, x, y, loss, metrics, optimizer):
    model = keras.Sequential([keras.Input(x.shape[1:])] + layers_)
    weights = []
    for w in model.get_weights():
        weights.append(f32(*w.shape, scale=0.4))
    for i, layer in enumerate(model.layers):  # positive moving variances for batch norm
        if isinstance(layer, L.BatchNormalization):
            offset = sum(len(l.get_weights()) for l in model.layers[:i])
            weights[offset + 3] = np.abs(weights[offset + 3]) + 0.5
    model.set_weights(weights)
    model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
    logs, steps = [], []
    for _ in range(2):
        logs.append({k: float(v) for k, v in model.train_on_batch(x, y, return_dict=True).items()})
        steps.append([arr(w) for w in model.get_weights()])
    training_cases.append({"name": name, "x": arr(x), "y": arr(y), "initial_weights": [arr(w) for w in weights],
                           "logs": logs, "weights": steps, "prediction": arr(np.asarray(model.predict(x, verbose=0)))})


training_case("conv_bn_pool_dense_mse",
              [L.Conv2D(3, 3, padding="same"), L.BatchNormalization(momentum=0.8), L.Activation("relu"),
               L.MaxPooling2D(2), L.Conv2D(2, 2, strides=1), L.AveragePooling2D(2, padding="same"), L.Flatten(),
               L.Dense(2)],
              f32(4, 6, 6, 2), f32(4, 2), "mse", ["mae"], O.SGD(learning_rate=0.05))
training_case("dense_softmax_sparse_cce",
              [L.Dense(6, activation="tanh"), L.Dense(3, activation="softmax")],
              f32(5, 4), np.array([0, 2, 1, 2, 0], dtype="int32"), "sparse_categorical_crossentropy",
              ["accuracy"], O.SGD(learning_rate=0.2, momentum=0.5))
training_case("conv_gap_logits_cce",
              [L.Conv2D(4, 3, strides=2, activation="elu"), L.BatchNormalization(), L.GlobalAveragePooling2D(),
               L.Dense(3)],
              f32(3, 7, 7, 2), np.eye(3, dtype="float32")[[2, 0, 1]],
              keras.losses.CategoricalCrossentropy(from_logits=True), ["accuracy"], O.SGD(learning_rate=0.1))

# ---- initializers --------------------------------------------------------------------------------
I = keras.initializers
initializer_configs = {n: I.serialize(I.get(n)) for n in [
    "zeros", "ones", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "lecun_uniform",
    "lecun_normal", "random_uniform", "random_normal", "truncated_normal", "variance_scaling", "uniform",
    "normal", "one", "zero", "GlorotUniform"]}

# ---- normalization, regularization and activation layers (issue 4) ----------------------------------
# Cases as layer_case records them, plus each layer's full get_config() for the from_config round trip.
issue4_cases = {"normalization": [], "activation": [], "regularization": []}
rng4 = np.random.default_rng(4)


def f32_4(*shape, scale=1.0):
    return (rng4.standard_normal(shape) * scale).astype("float32")


def issue4_case(family, name, layer, x, training=False, weights=None, moving=False):
    layer.build(x.shape)
    if weights is None:
        weights = [f32_4(*w.shape, scale=0.5) for w in layer.get_weights()]
        if moving:  # BatchNormalization: moving variance must be positive
            weights[-1] = np.abs(weights[-1]) + 0.5
    layer.set_weights(weights)
    y = layer(x, training=training)
    issue4_cases[family].append({
        "name": name, "class_name": type(layer).__name__, "training": training, "config": layer.get_config(),
        "input": arr(x), "weights": [arr(w) for w in weights], "output": arr(np.asarray(y)),
        "weights_after": [arr(w) for w in layer.get_weights()]})


N = "normalization"
issue4_case(N, "bn_axis1_inference", L.BatchNormalization(axis=1), f32_4(2, 3, 4, 5), moving=True)
issue4_case(N, "bn_axis1_training", L.BatchNormalization(axis=1, momentum=0.8), f32_4(4, 3, 5) * 2.0 + 0.5,
            training=True, moving=True)
issue4_case(N, "bn_axis_minus2_training", L.BatchNormalization(axis=-2, epsilon=0.01), f32_4(2, 3, 4, 2) + 1.0,
            training=True, moving=True)
issue4_case(N, "bn_axis1_5d_inference", L.BatchNormalization(axis=1, center=False), f32_4(2, 3, 2, 2, 3), moving=True)
issue4_case(N, "layer_norm_2d", L.LayerNormalization(), f32_4(3, 5) * 2.0 + 1.0)
issue4_case(N, "layer_norm_3d_eps", L.LayerNormalization(epsilon=1e-5), f32_4(2, 3, 6))
issue4_case(N, "layer_norm_axes_12", L.LayerNormalization(axis=[1, 2]), f32_4(2, 3, 4) + 0.5)
issue4_case(N, "layer_norm_axis1", L.LayerNormalization(axis=1), f32_4(2, 4, 3))
issue4_case(N, "layer_norm_4d_axes_23", L.LayerNormalization(axis=[2, 3], center=False), f32_4(2, 2, 3, 4))
issue4_case(N, "layer_norm_no_center_scale", L.LayerNormalization(center=False, scale=False), f32_4(3, 4) * 3.0)
issue4_case(N, "layer_norm_rms_scaling", L.LayerNormalization(rms_scaling=True), f32_4(3, 6) + 0.7)
issue4_case(N, "group_norm_2groups", L.GroupNormalization(groups=2), f32_4(2, 5, 4) + 0.3)
issue4_case(N, "group_norm_instance", L.GroupNormalization(groups=-1), f32_4(2, 3, 3, 4))
issue4_case(N, "group_norm_channels_first", L.GroupNormalization(groups=3, axis=1, epsilon=1e-4), f32_4(2, 6, 4))
issue4_case(N, "group_norm_one_group_no_center", L.GroupNormalization(groups=1, center=False), f32_4(2, 4, 2, 4))
issue4_case(N, "unit_norm_default", L.UnitNormalization(), f32_4(3, 5))
issue4_case(N, "unit_norm_axes_12", L.UnitNormalization(axis=[1, 2]), f32_4(2, 3, 4))
issue4_case(N, "unit_norm_axis1", L.UnitNormalization(axis=1), f32_4(2, 4, 3))

A = "activation"
act_in = f32_4(3, 8, scale=2.0)
issue4_case(A, "relu_default", L.ReLU(), act_in)
issue4_case(A, "relu_max6", L.ReLU(max_value=6.0), act_in * 3.0)
issue4_case(A, "relu_max_value", L.ReLU(max_value=1.5), act_in)
issue4_case(A, "relu_negative_slope", L.ReLU(negative_slope=0.1), act_in)
issue4_case(A, "relu_threshold", L.ReLU(threshold=0.5), act_in)
issue4_case(A, "relu_all_arguments", L.ReLU(max_value=2.0, negative_slope=0.2, threshold=0.4), act_in)
issue4_case(A, "leaky_relu_default", L.LeakyReLU(), act_in)
issue4_case(A, "leaky_relu_0_1", L.LeakyReLU(negative_slope=0.1), act_in)
issue4_case(A, "prelu", L.PReLU(), f32_4(2, 3, 4))
issue4_case(A, "prelu_shared_axes", L.PReLU(shared_axes=[1, 2]), f32_4(2, 3, 4, 5))
issue4_case(A, "elu_default", L.ELU(), act_in)
issue4_case(A, "elu_alpha", L.ELU(alpha=0.5), act_in)
issue4_case(A, "softmax_default", L.Softmax(), act_in)
issue4_case(A, "softmax_axis1", L.Softmax(axis=1), f32_4(2, 4, 3))
issue4_case(A, "softmax_axes_12", L.Softmax(axis=[1, 2]), f32_4(2, 3, 4))
issue4_case(A, "identity", L.Identity(), f32_4(2, 3))

R = "regularization"
issue4_case(R, "spatial_dropout1d_inference", L.SpatialDropout1D(0.5), f32_4(2, 3, 4))
issue4_case(R, "spatial_dropout2d_inference", L.SpatialDropout2D(0.3, data_format="channels_first", seed=3),
            f32_4(2, 3, 4, 2))
issue4_case(R, "spatial_dropout3d_inference", L.SpatialDropout3D(0.2), f32_4(1, 2, 2, 2, 3))
issue4_case(R, "gaussian_noise_inference", L.GaussianNoise(0.5, seed=1), f32_4(2, 3))
issue4_case(R, "gaussian_dropout_inference", L.GaussianDropout(0.4), f32_4(2, 3))
issue4_case(R, "alpha_dropout_inference", L.AlphaDropout(0.2, noise_shape=(None, 1, 3)), f32_4(2, 4, 3))
issue4_case(R, "activity_regularization", L.ActivityRegularization(l1=0.01, l2=0.02), f32_4(2, 3))

# keras.activations with arguments, on act_x
issue4_functions = []


def issue4_function(name, fn, **kwargs):
    issue4_functions.append({"name": name, "kwargs": kwargs, "output": arr(np.asarray(fn(act_x, **kwargs)))})


K = keras.activations
issue4_function("relu_all", K.relu, negative_slope=0.1, max_value=3.0, threshold=0.5)
issue4_function("relu_max6", K.relu, max_value=6.0)
issue4_function("leaky_relu_0_1", K.leaky_relu, negative_slope=0.1)
issue4_function("elu_alpha", K.elu, alpha=0.5)
issue4_function("celu_alpha", K.celu, alpha=0.7)
issue4_function("gelu_approximate", K.gelu, approximate=True)
issue4_function("squareplus_b2", K.squareplus, b=2)
issue4_function("soft_shrink_1", K.soft_shrink, threshold=1.0)
issue4_function("hard_shrink_1", K.hard_shrink, threshold=1.0)
issue4_function("threshold", K.threshold, threshold=0.5, default_value=-2.0)
issue4_function("glu_axis0", K.glu, axis=0)
issue4_function("sparsemax_axis0", K.sparsemax, axis=0)
issue4_function("softmax_axis0", K.softmax, axis=0)
issue4_function("log_softmax_axis0", K.log_softmax, axis=0)

reference = {
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "layers": layer_cases,
    "layer_config_keys": config_cases,
    "conv2d_config": conv_config,
    "max_pooling2d_config": pool_config,
    "dropout_config": dropout_config,
    "activations": activations,
    "losses": loss_cases,
    "loss_config_keys": loss_config_keys,
    "weighted_losses": weighted_loss_cases,
    "metrics": metric_cases,
    "metric_config_keys": metric_config_keys,
    "accuracy_resolution": resolution_cases,
    "optimizers": {"x": arr(opt_x), "y": arr(opt_y), "kernel": arr(opt_kernel), "bias": arr(opt_bias),
                   "cases": optimizer_cases},
    "initializer_configs": initializer_configs,
    "training": training_cases,
    "issue4_layers": issue4_cases,
    "issue4_activation_functions": issue4_functions,
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_reference.json")
with open(out, "w") as f:
    json.dump(reference, f, separators=(",", ":"), default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))
print(f"wrote {out} ({os.path.getsize(out)} bytes), keras {keras.__version__}")
