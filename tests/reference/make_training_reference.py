"""Writes keras_training_reference.json: what real Keras 3 (jax backend) does for the optimizers, common optimizer
arguments (clipnorm, clipvalue, global_clipnorm, weight_decay), learning-rate schedules and callbacks that
tests/unit/test_optimizer_trajectories.cpp, test_schedules.cpp and test_callbacks.cpp check strata against.

    python3 -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install keras "jax[cpu]" numpy
    /tmp/kvenv/bin/python tests/reference/make_training_reference.py
"""
import contextlib
import io
import json
import math
import os
import tempfile
import warnings

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(20240612)
L = keras.layers
O = keras.optimizers
S = keras.optimizers.schedules
C = keras.callbacks


def arr(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "dtype": "float32", "data": [float("%.9g" % v) for v in a.reshape(-1)]}


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype("float32")


def jsonable(value):
    """Keras configs hold numpy scalars here and there; json wants Python numbers."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


# ---- optimizer trajectories --------------------------------------------------------------------------
# Two Dense layers (3 -> 4 tanh -> 2), so per-variable and global clipping differ, trained 5 steps on MSE.
x = f32(6, 3)
y = f32(6, 2)
initial = [f32(3, 4, scale=0.6), f32(4, scale=0.2), f32(4, 2, scale=0.6), f32(2, scale=0.2)]
STEPS = 5


def make_model():
    model = keras.Sequential([keras.Input((3,)), L.Dense(4, activation="tanh"), L.Dense(2)])
    model.set_weights(initial)
    return model


def schedule_spec(schedule):
    return {"class_name": type(schedule).__name__, "config": jsonable(schedule.get_config())}


trajectory_cases = []


def trajectory(name, cls, options, schedule=None):
    model = make_model()
    kwargs = dict(options)
    if schedule is not None:
        kwargs["learning_rate"] = schedule
    opt = cls(**kwargs)
    model.compile(optimizer=opt, loss="mse")
    losses, weights, lrs = [], [], []
    for _ in range(STEPS):
        losses.append(float(model.train_on_batch(x, y)))
        weights.append([arr(w) for w in model.get_weights()])
        lrs.append(float(np.asarray(opt.learning_rate)))
    config = jsonable(opt.get_config())
    trajectory_cases.append({
        "name": name, "class_name": type(opt).__name__, "options": options,
        "schedule": schedule_spec(schedule) if schedule is not None else None,
        "config": config, "losses": losses, "weights": weights, "learning_rates": lrs,
        "variables": [v.path for v in opt.variables]})


trajectory("adamw", O.AdamW, {"learning_rate": 0.05, "weight_decay": 0.1})
trajectory("adamw_default_decay_amsgrad", O.AdamW, {"learning_rate": 0.02, "amsgrad": True, "beta_2": 0.9})
trajectory("adagrad", O.Adagrad, {"learning_rate": 0.1})
trajectory("adagrad_accumulator", O.Adagrad, {"learning_rate": 0.2, "initial_accumulator_value": 0.5,
                                              "epsilon": 1e-3})
trajectory("adadelta", O.Adadelta, {"learning_rate": 1.0})
trajectory("adadelta_rho", O.Adadelta, {"learning_rate": 0.5, "rho": 0.8, "epsilon": 1e-5})
trajectory("adamax", O.Adamax, {"learning_rate": 0.05})
trajectory("adamax_betas", O.Adamax, {"learning_rate": 0.03, "beta_1": 0.8, "beta_2": 0.95})
trajectory("nadam", O.Nadam, {"learning_rate": 0.05})
trajectory("nadam_betas", O.Nadam, {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.9, "epsilon": 1e-4})
trajectory("ftrl", O.Ftrl, {"learning_rate": 0.1})
trajectory("ftrl_regularized", O.Ftrl, {"learning_rate": 0.2, "learning_rate_power": -0.7,
                                        "initial_accumulator_value": 0.3, "l1_regularization_strength": 0.01,
                                        "l2_regularization_strength": 0.02,
                                        "l2_shrinkage_regularization_strength": 0.03, "beta": 0.1})
trajectory("lion", O.Lion, {"learning_rate": 0.01})
trajectory("lion_betas", O.Lion, {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.95})
# the common arguments, on several update rules
trajectory("sgd_clipnorm", O.SGD, {"learning_rate": 0.1, "clipnorm": 0.1})
trajectory("sgd_clipvalue", O.SGD, {"learning_rate": 0.1, "clipvalue": 0.05})
trajectory("sgd_global_clipnorm", O.SGD, {"learning_rate": 0.1, "global_clipnorm": 0.2})
trajectory("sgd_weight_decay", O.SGD, {"learning_rate": 0.1, "weight_decay": 0.2})
trajectory("sgd_nesterov_global_clipnorm_weight_decay", O.SGD,
           {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True, "global_clipnorm": 0.3,
            "weight_decay": 0.05})
trajectory("adam_clipnorm_weight_decay", O.Adam, {"learning_rate": 0.05, "clipnorm": 0.2, "weight_decay": 0.1})
trajectory("adam_amsgrad_clipvalue", O.Adam, {"learning_rate": 0.05, "amsgrad": True, "clipvalue": 0.1})
trajectory("rmsprop_global_clipnorm_weight_decay", O.RMSprop,
           {"learning_rate": 0.01, "momentum": 0.5, "centered": True, "global_clipnorm": 0.5,
            "weight_decay": 0.1})
trajectory("adamw_clipnorm", O.AdamW, {"learning_rate": 0.05, "weight_decay": 0.2, "clipnorm": 0.1})
trajectory("adagrad_clipvalue_weight_decay", O.Adagrad, {"learning_rate": 0.1, "clipvalue": 0.1,
                                                          "weight_decay": 0.3})
trajectory("adadelta_clipnorm", O.Adadelta, {"learning_rate": 1.0, "clipnorm": 0.2})
trajectory("adamax_global_clipnorm", O.Adamax, {"learning_rate": 0.05, "global_clipnorm": 0.1})
trajectory("nadam_clipvalue_weight_decay", O.Nadam, {"learning_rate": 0.05, "clipvalue": 0.05,
                                                     "weight_decay": 0.2})
trajectory("ftrl_global_clipnorm_weight_decay", O.Ftrl, {"learning_rate": 0.1, "global_clipnorm": 0.3,
                                                         "weight_decay": 0.1})
trajectory("lion_weight_decay_clipnorm", O.Lion, {"learning_rate": 0.01, "weight_decay": 0.5, "clipnorm": 0.1})
# learning-rate schedules driving the step
trajectory("sgd_exponential_decay", O.SGD, {"momentum": 0.5}, S.ExponentialDecay(0.2, 2, 0.5))
trajectory("sgd_piecewise_constant", O.SGD, {}, S.PiecewiseConstantDecay([1, 3], [0.3, 0.1, 0.02]))
trajectory("adam_cosine_warmup", O.Adam, {}, S.CosineDecay(0.0, 4, alpha=0.1, warmup_target=0.1,
                                                                warmup_steps=2))
trajectory("rmsprop_inverse_time", O.RMSprop, {}, S.InverseTimeDecay(0.05, 1, 0.5, staircase=True))
trajectory("nadam_polynomial", O.Nadam, {}, S.PolynomialDecay(0.1, 3, end_learning_rate=0.01, power=2.0))
trajectory("adamw_cosine_restarts", O.AdamW, {"weight_decay": 0.1},
           S.CosineDecayRestarts(0.05, 2, t_mul=1.5, m_mul=0.8, alpha=0.05))

optimizer_defaults = {}
for cls in [O.SGD, O.Adam, O.AdamW, O.RMSprop, O.Adagrad, O.Adadelta, O.Adamax, O.Nadam, O.Ftrl, O.Lion]:
    optimizer_defaults[cls.__name__] = jsonable(cls().get_config())

# ---- schedules ----------------------------------------------------------------------------------------
schedule_steps = [0, 1, 2, 3, 4, 5, 7, 10, 15, 20, 33, 50, 99, 100, 101, 250, 1000, 12345]
schedule_cases = []


def schedule_case(name, schedule):
    values = [float(np.asarray(schedule(np.int32(s)))) for s in schedule_steps]
    schedule_cases.append({"name": name, **schedule_spec(schedule), "steps": schedule_steps, "values": values,
                           "serialized": jsonable(S.serialize(schedule))})


schedule_case("exponential", S.ExponentialDecay(0.1, 10, 0.96))
schedule_case("exponential_staircase", S.ExponentialDecay(0.5, 7, 0.5, staircase=True, name="decay"))
schedule_case("piecewise", S.PiecewiseConstantDecay([10, 100], [1.0, 0.5, 0.1]))
schedule_case("piecewise_four", S.PiecewiseConstantDecay([3, 5, 20], [0.4, 0.3, 0.2, 0.01]))
schedule_case("polynomial", S.PolynomialDecay(0.1, 100))
schedule_case("polynomial_power_cycle", S.PolynomialDecay(0.1, 30, end_learning_rate=0.001, power=0.5,
                                                          cycle=True))
schedule_case("inverse_time", S.InverseTimeDecay(0.1, 10, 0.5))
schedule_case("inverse_time_staircase", S.InverseTimeDecay(1.0, 4, 2.0, staircase=True))
schedule_case("cosine", S.CosineDecay(0.1, 100))
schedule_case("cosine_alpha", S.CosineDecay(0.2, 50, alpha=0.1))
schedule_case("cosine_warmup", S.CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=20))
schedule_case("cosine_warmup_from", S.CosineDecay(0.01, 30, alpha=0.05, warmup_target=0.5, warmup_steps=7))
schedule_case("cosine_restarts", S.CosineDecayRestarts(0.1, 10))
schedule_case("cosine_restarts_constant_period", S.CosineDecayRestarts(0.1, 10, t_mul=1.0, m_mul=0.5, alpha=0.1))
schedule_case("cosine_restarts_geometric", S.CosineDecayRestarts(0.3, 7, t_mul=3.0, m_mul=0.9, alpha=0.01))

# ---- callbacks driven by scripted logs ------------------------------------------------------------------
# The same hooks fit() calls, in fit()'s order, with logs given per epoch; the model's weights are set to a
# marker (the epoch index) before each epoch ends so restore_best_weights shows which epoch it restored.


def scripted_model(metrics=None):
    model = keras.Sequential([keras.Input((1,)), L.Dense(1, use_bias=False)])
    model.compile(optimizer=O.SGD(learning_rate=0.1), loss="mse", metrics=metrics or [])
    # builds the compiled metrics, so mode="auto" can find a metric's direction
    model.train_on_batch(np.ones((2, 1), "float32"), np.ones((2, 1), "float32"))
    model.optimizer.learning_rate = 0.1
    return model


def drive(callback, epoch_logs, metrics=None):
    model = scripted_model(metrics)
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin({})
    ran, learning_rates, logged = [], [], []
    for epoch, logs in enumerate(epoch_logs):
        callback.on_epoch_begin(epoch, {})
        model.set_weights([np.full((1, 1), float(epoch), "float32")])
        logs = dict(logs)
        callback.on_epoch_end(epoch, logs)
        ran.append(epoch)
        learning_rates.append(float(np.asarray(model.optimizer.learning_rate)))
        logged.append(logs.get("learning_rate"))
        if model.stop_training:
            break
    callback.on_train_end({})
    return {"epochs_run": len(ran), "learning_rates": learning_rates, "logged_learning_rates": logged,
            "final_weight": float(model.get_weights()[0][0, 0])}


loss_plateau = [1.0, 0.8, 0.7, 0.69995, 0.7, 0.71, 0.65, 0.66, 0.67, 0.68, 0.69, 0.7]
noisy = [0.9, 0.85, 0.86, 0.84, 0.845, 0.83, 0.84, 0.85, 0.80, 0.81, 0.82, 0.83, 0.84, 0.85]
acc_rising = [0.5, 0.6, 0.65, 0.65, 0.64, 0.7, 0.69, 0.68, 0.7, 0.66]


def seq(key, values, other=None):
    out = []
    for i, v in enumerate(values):
        logs = {"loss": 1.0 / (i + 1), key: v}
        if other:
            logs.update({k: vs[i] for k, vs in other.items()})
        out.append(logs)
    return out


callback_cases = []


def callback_case(name, cls, options, epoch_logs, metrics=None):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = drive(cls(**options), epoch_logs, metrics)
    result.update({"name": name, "class_name": cls.__name__, "options": options, "logs": epoch_logs,
                   "warned": any("not available" in str(w.message) for w in caught)})
    callback_cases.append(result)


ES = C.EarlyStopping
callback_cases_spec = [
    ("es_default", ES, {}, seq("val_loss", loss_plateau)),
    ("es_patience2", ES, {"patience": 2}, seq("val_loss", loss_plateau)),
    ("es_patience3_restore", ES, {"patience": 3, "restore_best_weights": True}, seq("val_loss", noisy)),
    ("es_min_delta", ES, {"patience": 1, "min_delta": 0.02}, seq("val_loss", noisy)),
    ("es_min_delta_negative", ES, {"patience": 2, "min_delta": -0.02}, seq("val_loss", noisy)),
    ("es_baseline_never_beaten", ES, {"patience": 3, "baseline": 0.5}, seq("val_loss", noisy)),
    ("es_baseline_beaten", ES, {"patience": 2, "baseline": 0.86, "restore_best_weights": True},
     seq("val_loss", noisy)),
    ("es_start_from_epoch", ES, {"patience": 1, "start_from_epoch": 4, "restore_best_weights": True},
     seq("val_loss", noisy)),
    ("es_monitor_loss", ES, {"monitor": "loss", "patience": 0}, seq("val_loss", noisy)),
    ("es_max_mode", ES, {"monitor": "val_accuracy", "mode": "max", "patience": 1, "restore_best_weights": True},
     seq("val_accuracy", acc_rising)),
    ("es_auto_accuracy", ES, {"monitor": "val_accuracy", "patience": 2, "restore_best_weights": True},
     seq("val_accuracy", acc_rising)),
    ("es_min_mode_on_accuracy", ES, {"monitor": "val_accuracy", "mode": "min", "patience": 1},
     seq("val_accuracy", acc_rising)),
    ("es_missing_monitor", ES, {"monitor": "val_loss", "patience": 0}, [{"loss": v} for v in noisy]),
    ("es_restore_no_stop", ES, {"patience": 20, "restore_best_weights": True}, seq("val_loss", noisy)),
]
RL = C.ReduceLROnPlateau
callback_cases_spec += [
    ("rlr_default_patience2", RL, {"patience": 2}, seq("val_loss", noisy)),
    ("rlr_factor_cooldown", RL, {"patience": 1, "factor": 0.5, "cooldown": 2}, seq("val_loss", noisy)),
    ("rlr_min_lr", RL, {"patience": 0, "factor": 0.2, "min_lr": 0.003}, seq("val_loss", noisy)),
    ("rlr_min_delta", RL, {"patience": 1, "min_delta": 0.02, "factor": 0.5}, seq("val_loss", noisy)),
    ("rlr_max_mode", RL, {"monitor": "val_accuracy", "mode": "max", "patience": 1, "factor": 0.5},
     seq("val_accuracy", acc_rising)),
    ("rlr_monitor_loss", RL, {"monitor": "loss", "patience": 0}, seq("val_loss", noisy)),
    ("rlr_missing_monitor", RL, {"patience": 0}, [{"loss": v} for v in noisy]),
]
for spec in callback_cases_spec:
    callback_case(*spec[:4], metrics=["accuracy"] if "accuracy" in spec[0] else None)


def lr_schedule_halve_after_2(epoch, lr):
    return lr * 0.5 if epoch >= 2 else lr


def lr_schedule_epoch_only(epoch):
    return 0.1 / (epoch + 1)


for name, fn in [("lrs_halve_after_2", lr_schedule_halve_after_2), ("lrs_epoch_only", lr_schedule_epoch_only)]:
    result = drive(C.LearningRateScheduler(fn), [{"loss": 1.0}] * 5)
    result.update({"name": name, "class_name": "LearningRateScheduler"})
    callback_cases.append(result)

# ---- CSVLogger files ------------------------------------------------------------------------------------
csv_cases = []


def csv_case(name, options, runs):
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "log.csv")
        for epoch_logs in runs:
            logger = C.CSVLogger(path, **options)
            logger.set_model(scripted_model())
            logger.on_train_begin({})
            for epoch, logs in enumerate(epoch_logs):
                logger.on_epoch_end(epoch, dict(logs))
            logger.on_train_end({})
        with open(path, "rb") as f:
            content = f.read().decode()
    csv_cases.append({"name": name, "options": options, "runs": runs, "content": content})


train_only = [{"loss": 0.5, "accuracy": 0.25}, {"loss": 0.125, "accuracy": 0.75}, {"loss": 1e-05, "accuracy": 1.0}]
with_val = [{"loss": 0.1, "val_loss": 0.2, "mae": 0.30000001192092896, "val_mae": 1e-4, "learning_rate": 0.001},
            {"loss": float("nan"), "val_loss": float("inf"), "mae": 12345678.0, "val_mae": 1e16,
             "learning_rate": 0.0005}]
csv_case("train_only", {}, [train_only])
csv_case("with_val_semicolon", {"separator": ";"}, [with_val])
csv_case("append", {"append": True}, [train_only, train_only[:2]])
csv_case("overwrite", {}, [with_val, train_only])
csv_case("missing_key_later", {}, [[{"loss": 0.5}, {"loss": 0.25, "extra": 3.0}]])

# ---- ModelCheckpoint: which files, with which weights, saying what ---------------------------------------
checkpoint_cases = []


def checkpoint_case(name, filepath, options, epoch_logs, batches_per_epoch=0, metrics=None):
    """Drives ModelCheckpoint through fit()'s hooks; the weight is the epoch (plus batch / 100) at each save."""
    model = scripted_model(metrics)
    saved = []
    with tempfile.TemporaryDirectory() as d:
        callback = C.ModelCheckpoint(os.path.join(d, filepath), **options)
        callback.set_model(model)
        out = io.StringIO()
        with warnings.catch_warnings(record=True) as caught, contextlib.redirect_stdout(out):
            warnings.simplefilter("always")
            callback.on_train_begin({})
            for epoch, logs in enumerate(epoch_logs):
                callback.on_epoch_begin(epoch, {})
                for b in range(batches_per_epoch):
                    model.set_weights([np.full((1, 1), epoch + b / 100, "float32")])
                    callback.on_train_batch_begin(b, {})
                    callback.on_train_batch_end(b, {"loss": 1.0 / (epoch * batches_per_epoch + b + 1)})
                model.set_weights([np.full((1, 1), float(epoch), "float32")])
                callback.on_epoch_end(epoch, dict(logs))
            callback.on_train_end({})
        for root, _, files in os.walk(d):
            for f in files:
                path = os.path.join(root, f)
                if f.endswith(".keras") or (f.endswith(".h5") and not f.endswith(".weights.h5")):
                    weight = keras.models.load_model(path, compile=False).get_weights()[0]
                else:
                    m = scripted_model(metrics)
                    m.load_weights(path)
                    weight = m.get_weights()[0]
                saved.append({"path": os.path.relpath(path, d), "weight": float(weight[0, 0])})
    checkpoint_cases.append({"name": name, "filepath": filepath, "options": options, "logs": epoch_logs,
                             "batches_per_epoch": batches_per_epoch, "stdout": out.getvalue().replace(d + "/", ""),
                             "saved": sorted(saved, key=lambda e: e["path"]),
                             "warned": any("only with" in str(w.message) for w in caught)})


checkpoint_case("every_epoch_template", "ckpt-{epoch:02d}-{val_loss:.2f}.h5", {"verbose": 1},
                seq("val_loss", noisy[:5]))
checkpoint_case("best_only", "best.keras", {"save_best_only": True, "verbose": 1}, seq("val_loss", noisy))
checkpoint_case("best_only_weights_accuracy", "w/best-{epoch}.weights.h5",
                {"monitor": "val_accuracy", "save_best_only": True, "save_weights_only": True, "verbose": 1},
                seq("val_accuracy", acc_rising), metrics=["accuracy"])
checkpoint_case("initial_value_threshold", "t-{epoch:03d}.h5",
                {"save_best_only": True, "initial_value_threshold": 0.845, "verbose": 1}, seq("val_loss", noisy))
checkpoint_case("min_mode_loss", "m-{loss:.4f}.keras", {"monitor": "loss", "mode": "min", "save_best_only": True},
                seq("val_loss", noisy[:6]))
checkpoint_case("missing_monitor", "x-{epoch}.h5", {"save_best_only": True}, [{"loss": v} for v in noisy[:3]])
checkpoint_case("save_freq_batches", "b-{epoch}-{batch:02d}-{loss:.3f}.weights.h5",
                {"save_freq": 3, "save_weights_only": True, "verbose": 1}, seq("val_loss", noisy[:3]),
                batches_per_epoch=4)

# ---- fit with a LearningRateScheduler and with a schedule: final weights -----------------------------------
fit_x = f32(8, 3)
fit_y = f32(8, 2)
fit_cases = []


def fit_case(name, optimizer, callbacks, epochs=4, batch_size=4):
    model = make_model()
    model.compile(optimizer=optimizer, loss="mse")
    history = model.fit(fit_x, fit_y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0,
                        callbacks=callbacks)
    fit_cases.append({"name": name, "weights": [arr(w) for w in model.get_weights()],
                      "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                      "epochs_run": len(history.epoch),
                      "iterations": int(np.asarray(optimizer.iterations))})


fit_case("fit_lr_scheduler", O.SGD(learning_rate=0.2), [C.LearningRateScheduler(lambda e, lr: lr * 0.5)])
fit_case("fit_exponential_decay", O.Adam(learning_rate=S.ExponentialDecay(0.05, 3, 0.5)), [])
fit_case("fit_reduce_lr_patience0", O.SGD(learning_rate=0.5),
         [C.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5, min_delta=10.0)], epochs=3)

# ---- fit and evaluate with sample_weight / class_weight (issue 5), from their own generator ---------------
weight_rng = np.random.default_rng(505)
fit_sample_weight = np.array([0.5, 2.0, 0.0, 1.5, 1.0, 0.0, 3.0, 0.25], "float32")
fit_labels = np.array([0, 1, 1, 0, 1, 1, 0, 1], "int32")
weighted_fit_cases = []


def weighted_fit_case(name, loss, y, fit_kwargs, epochs=3, batch_size=3, metrics=None, weighted_metrics=None):
    model = make_model()
    model.compile(optimizer=O.SGD(learning_rate=0.1), loss=loss, metrics=metrics, weighted_metrics=weighted_metrics)
    history = model.fit(fit_x, y, batch_size=batch_size, epochs=epochs, shuffle=False, verbose=0, **fit_kwargs)
    evaluated = model.evaluate(fit_x, y, batch_size=batch_size, verbose=0, sample_weight=fit_sample_weight,
                               return_dict=True)
    weighted_fit_cases.append({"name": name, "loss": jsonable(keras.saving.serialize_keras_object(loss)),
                               "metrics": metrics or [], "weighted_metrics": weighted_metrics or [],
                               "y": arr(y), "weights": [arr(w) for w in model.get_weights()],
                               "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                               "evaluate_weighted": float(evaluated["loss"]),
                               "evaluate_logs": {k: float(v) for k, v in evaluated.items()}})


weighted_fit_case("sample_weight_mse", keras.losses.MeanSquaredError(), fit_y,
                  {"sample_weight": fit_sample_weight})
weighted_fit_case("sample_weight_sum", keras.losses.MeanSquaredError(reduction="sum"), fit_y,
                  {"sample_weight": fit_sample_weight})
weighted_fit_case("sample_weight_mean_with_sample_weight",
                  keras.losses.MeanSquaredError(reduction="mean_with_sample_weight"), fit_y,
                  {"sample_weight": fit_sample_weight})
weighted_fit_case("sample_weight_validation_split", keras.losses.MeanSquaredError(), fit_y,
                  {"sample_weight": fit_sample_weight, "validation_split": 0.25})
weighted_fit_case("sample_weight_zero", keras.losses.MeanSquaredError(), fit_y,
                  {"sample_weight": np.zeros(8, "float32")})
weighted_fit_case("sample_weight_weighted_metrics", keras.losses.MeanSquaredError(), fit_y,
                  {"sample_weight": fit_sample_weight, "validation_split": 0.25}, metrics=["mae"],
                  weighted_metrics=["mae", "mse"])
weighted_fit_case("class_weight_sparse", keras.losses.SparseCategoricalCrossentropy(from_logits=True), fit_labels,
                  {"class_weight": {0: 0.3, 1: 2.0}})
weighted_fit_case("class_weight_onehot", keras.losses.CategoricalCrossentropy(from_logits=True),
                  np.eye(2, dtype="float32")[fit_labels], {"class_weight": {1: 4.0}})

reference = {
    "keras_version": keras.__version__,
    "backend": keras.backend.backend(),
    "trajectory": {"x": arr(x), "y": arr(y), "initial_weights": [arr(w) for w in initial], "steps": STEPS,
                   "cases": trajectory_cases},
    "optimizer_defaults": optimizer_defaults,
    "schedules": schedule_cases,
    "callbacks": callback_cases,
    "csv_logger": csv_cases,
    "model_checkpoint": checkpoint_cases,
    "fit": {"x": arr(fit_x), "y": arr(fit_y), "cases": fit_cases},
    "weighted_fit": {"sample_weight": arr(fit_sample_weight), "cases": weighted_fit_cases},
}


def encode(o):
    if isinstance(o, float) and not math.isfinite(o):
        return str(o)
    raise TypeError(o)


out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_training_reference.json")
with open(out, "w") as f:
    # NaN/inf inside scripted logs are written as the strings "nan"/"inf"
    text = json.dumps(reference, separators=(",", ":"), allow_nan=True)
    text = text.replace("NaN", '"nan"').replace("-Infinity", '"-inf"').replace("Infinity", '"inf"')
    f.write(text)
print(f"wrote {out} ({os.path.getsize(out)} bytes), keras {keras.__version__}")
