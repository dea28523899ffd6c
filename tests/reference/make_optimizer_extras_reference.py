"""Writes keras_optimizer_extras_reference.json: what real Keras 3 (jax backend) does for Adafactor, the common
optimizer arguments use_ema / ema_momentum / ema_overwrite_frequency / gradient_accumulation_steps /
loss_scale_factor, LossScaleOptimizer and the SwapEMAWeights callback; tests/unit/test_optimizer_extras.cpp checks
strata against it.

    KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_optimizer_extras_reference.py
"""
import json
import os

os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import keras  # noqa: E402

rng = np.random.default_rng(20251121)
L = keras.layers
O = keras.optimizers
C = keras.callbacks


def number(v):
    v = float("%.9g" % v)
    return v if np.isfinite(v) else ("inf" if v > 0 else "-inf") if np.isinf(v) else "nan"


def arr(a):
    a = np.asarray(a)
    return {"shape": list(a.shape), "dtype": "float32", "data": [number(v) for v in a.reshape(-1)]}


def f32(*shape, scale=1.0):
    return (rng.standard_normal(shape) * scale).astype("float32")


def jsonable(value):
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


# Two Dense layers (3 -> 4 tanh -> 2): 2-D kernels (Adafactor's factored path) and biases (the unfactored path).
x = f32(6, 3)
y = f32(6, 2)
# targets that make every gradient inf or NaN (LossScaleOptimizer skips those steps)
y_bad = np.full((6, 2), np.inf, "float32")
initial = [f32(3, 4, scale=0.6), f32(4, scale=0.2), f32(4, 2, scale=0.6), f32(2, scale=0.2)]


def make_model():
    model = keras.Sequential([keras.Input((3,)), L.Dense(4, activation="tanh"), L.Dense(2)])
    model.set_weights(initial)
    return model


def make_optimizer(spec):
    if spec["class_name"] == "LossScaleOptimizer":
        inner = make_optimizer(spec["inner"])
        return O.LossScaleOptimizer(inner, **spec["options"])
    return getattr(O, spec["class_name"])(**spec["options"])


def inner_of(opt):
    return opt.inner_optimizer if isinstance(opt, O.LossScaleOptimizer) else opt


cases = []


def trajectory(name, spec, batches):
    """Trains on `batches` ("good" or "bad") one train_on_batch each, recording the weights and the state."""
    model = make_model()
    opt = make_optimizer(spec)
    model.compile(optimizer=opt, loss="mse")
    steps = []
    for kind in batches:
        loss = float(model.train_on_batch(x, y_bad if kind == "bad" else y))
        inner = inner_of(opt)
        step = {"loss": loss if np.isfinite(loss) else None,
                "weights": [arr(w) for w in model.get_weights()],
                "iterations": int(np.asarray(inner.iterations)),
                "stored_iterations": int(np.asarray(inner._iterations))}
        if inner.use_ema:
            step["ema"] = [arr(v) for v in inner._model_variables_moving_average]
        if isinstance(opt, O.LossScaleOptimizer):
            step["dynamic_scale"] = float(np.asarray(opt.dynamic_scale))
            step["step_counter"] = int(np.asarray(opt.step_counter))
        steps.append(step)
    cases.append({"name": name, "spec": spec, "batches": batches, "steps": steps,
                  "config": jsonable(keras.saving.serialize_keras_object(opt)),
                  "variables": [v.path for v in opt.variables]})


good5 = ["good"] * 5
trajectory("adafactor_default", {"class_name": "Adafactor", "options": {}}, good5)
trajectory("adafactor_tuned", {"class_name": "Adafactor", "options": {
    "learning_rate": 0.05, "beta_2_decay": -0.6, "epsilon_2": 0.01, "clip_threshold": 0.5,
    "relative_step": False}}, good5)
trajectory("adafactor_weight_decay", {"class_name": "Adafactor", "options": {
    "learning_rate": 0.2, "weight_decay": 0.1}}, good5)
trajectory("adam_ema", {"class_name": "Adam", "options": {"learning_rate": 0.05, "use_ema": True,
                                                            "ema_momentum": 0.8}}, good5)
trajectory("adam_ema_overwrite", {"class_name": "Adam", "options": {
    "learning_rate": 0.05, "use_ema": True, "ema_momentum": 0.7, "ema_overwrite_frequency": 2}}, good5)
trajectory("sgd_accumulate2", {"class_name": "SGD", "options": {"learning_rate": 0.1,
                                                                  "gradient_accumulation_steps": 2}}, ["good"] * 6)
trajectory("sgd_momentum_accumulate3", {"class_name": "SGD", "options": {
    "learning_rate": 0.1, "momentum": 0.9, "gradient_accumulation_steps": 3}}, ["good"] * 7)
trajectory("adam_accumulate2_ema", {"class_name": "Adam", "options": {
    "learning_rate": 0.05, "gradient_accumulation_steps": 2, "use_ema": True, "ema_momentum": 0.5}},
    ["good"] * 6)
trajectory("nadam_accumulate2", {"class_name": "Nadam", "options": {
    "learning_rate": 0.05, "gradient_accumulation_steps": 2}}, ["good"] * 6)
trajectory("sgd_loss_scale_factor", {"class_name": "SGD", "options": {"learning_rate": 0.1,
                                                                        "loss_scale_factor": 128.0}}, good5)
trajectory("loss_scale_sgd", {"class_name": "LossScaleOptimizer",
                              "inner": {"class_name": "SGD", "options": {"learning_rate": 0.1}},
                              "options": {"initial_scale": 4.0, "dynamic_growth_steps": 2}},
           ["good", "good", "bad", "good", "bad", "bad", "good", "good", "good"])
trajectory("loss_scale_adam_ema", {"class_name": "LossScaleOptimizer",
                                   "inner": {"class_name": "Adam", "options": {"learning_rate": 0.05,
                                                                               "use_ema": True}},
                                   "options": {}},
           ["good", "bad", "good", "good"])

# ---- SwapEMAWeights: fit with validation; the validation loss is of the EMA weights -----------------------
fit_x = f32(8, 3)
fit_y = f32(8, 2)
val_x = f32(4, 3)
val_y = f32(4, 2)
fit_cases = []


def fit_case(name, swap_on_epoch):
    model = make_model()
    model.compile(optimizer=O.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.6), loss="mse")
    history = model.fit(fit_x, fit_y, batch_size=4, epochs=3, shuffle=False, verbose=0,
                        validation_data=(val_x, val_y),
                        callbacks=[C.SwapEMAWeights(swap_on_epoch=swap_on_epoch)])
    opt = model.optimizer
    fit_cases.append({"name": name, "swap_on_epoch": swap_on_epoch,
                      "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                      "weights": [arr(w) for w in model.get_weights()],
                      "ema": [arr(v) for v in opt._model_variables_moving_average],
                      "evaluate_after": float(model.evaluate(val_x, val_y, verbose=0))})


fit_case("swap_for_validation", False)
fit_case("swap_on_epoch", True)

# ---- invalid arguments: Keras's messages -----------------------------------------------------------------
errors = []
for label, make in [("ema_momentum", lambda: O.Adam(use_ema=True, ema_momentum=1.5)),
                    ("gradient_accumulation_steps", lambda: O.SGD(gradient_accumulation_steps=1)),
                    ("ema_overwrite_frequency", lambda: O.SGD(use_ema=True, ema_overwrite_frequency=-2))]:
    try:
        make()
        errors.append({"argument": label, "message": None})
    except ValueError as e:
        errors.append({"argument": label, "message": str(e)})

out = {"keras_version": keras.__version__, "backend": keras.backend.backend(),
       "x": arr(x), "y": arr(y), "y_bad": arr(y_bad), "initial_weights": [arr(w) for w in initial],
       "trajectories": cases,
       "fit": {"x": arr(fit_x), "y": arr(fit_y), "val_x": arr(val_x), "val_y": arr(val_y), "cases": fit_cases},
       "errors": errors}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "keras_optimizer_extras_reference.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print("wrote", path, os.path.getsize(path), "bytes")
