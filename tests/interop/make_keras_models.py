"""Builds real Keras 3 models covering every layer strata has, saves them as Keras does, and records
random inputs with Keras's outputs, for tests/interop/test_interop.cpp to reproduce in strata.

    python make_keras_models.py OUT_DIR

For each case OUT_DIR/<case>/ holds:
  model.h5           keras model.save (legacy HDF5: config, weights, training_config, optimizer_weights)
  model.keras        keras model.save (the Keras 3 zip archive: config.json, model.weights.h5 with the optimizer)
  model.weights.h5   keras model.save_weights (Keras 3 layout, optimizer included when compiled)
  model.json         keras model.to_json()
  data.json          inputs, Keras's predictions, and for compiled cases a batch with the losses of the
                     next two train_on_batch steps (the second depends on the restored optimizer state)
Two more cases are written in the Keras 2 dialect by hand (fixed-length strings, ":0" weight names,
batch_input_shape, string dtypes, list-form inbound nodes, a bare-list Sequential, chunked attributes),
and their expected outputs come from Keras 3 loading those very files. Two in the Keras 1.2 dialect (configs as
Keras 1.2.2's get_config writes them; Theano-ordered, flipped kernels) record the outputs of the Keras 3 model
their weights come from.
OUT_DIR/manifest.json lists the cases.
"""
import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import h5py  # noqa: E402
import numpy as np  # noqa: E402
import keras  # noqa: E402

L = keras.layers
rng = np.random.default_rng(20260611)
keras.utils.set_random_seed(1234)


def arr(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def f32(*shape):
    return rng.standard_normal(shape).astype("float32")


def as_list(v):
    return list(v) if isinstance(v, (list, tuple)) else [v]


def one_hot(n, k):
    return np.eye(k, dtype="float32")[rng.integers(0, k, n)]


def save_case(out, name, model, inputs, train=None, description=""):
    """Saves `model` in every form and records Keras's outputs for `inputs`.

    train: (x, y) for a compiled model: fitted for two epochs before saving, then the losses of two more
    train_on_batch steps on its first 8 samples are recorded (after saving)."""
    d = os.path.join(out, name)
    os.makedirs(d, exist_ok=True)
    if train is not None:
        model.fit(train[0], train[1], epochs=2, batch_size=8, verbose=0, shuffle=False)
    # .keras first: Keras's .h5 writer pops "optimizer" out of the model's compile config (saving_utils
    # model_metadata), so a .keras saved after it would not hold the optimizer
    model.save(os.path.join(d, "model.keras"))
    model.save(os.path.join(d, "model.h5"))
    model.save_weights(os.path.join(d, "model.weights.h5"))
    with open(os.path.join(d, "model.json"), "w") as f:
        f.write(model.to_json())
    outputs = as_list(model.predict(inputs, verbose=0))
    data = {"inputs": [arr(x) for x in as_list(inputs)], "outputs": [arr(y) for y in outputs]}
    if train is not None:
        bx = [x[:8] for x in as_list(train[0])]
        by = [y[:8] for y in as_list(train[1])]
        losses = []
        for _ in range(2):
            logs = model.train_on_batch(bx if len(bx) > 1 else bx[0], by if len(by) > 1 else by[0],
                                        return_dict=True)
            losses.append(float(logs["loss"]))
        data["train"] = {"x": [arr(x) for x in bx], "y": [arr(y) for y in by], "losses": losses,
                         "iterations_at_save": int(model.optimizer.iterations) - 2,
                         "optimizer": type(model.optimizer).__name__}
    with open(os.path.join(d, "data.json"), "w") as f:
        json.dump(data, f)
    return {"name": name, "description": description, "compiled": train is not None,
            "layers": sorted({type(l).__name__ for l in all_layers(model)})}


def all_layers(model):
    for layer in model.layers:
        yield layer
        if isinstance(layer, keras.Model):
            yield from all_layers(layer)


# ---- Keras 3 models -----------------------------------------------------------------------------

def sequential_mlp():
    m = keras.Sequential([keras.Input((10,)), L.Dense(16, activation="relu"), L.BatchNormalization(),
                          L.Dense(8, activation="tanh"), L.Dense(3, activation="softmax")], name="mlp")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
    x = f32(32, 10)
    y = rng.integers(0, 3, 32).astype("int32")
    return m, f32(7, 10), (x, y)


def sequential_cnn():
    m = keras.Sequential([
        keras.Input((12, 12, 3)),
        L.Conv2D(6, 3, padding="same", activation="relu"),
        L.BatchNormalization(momentum=0.9),
        L.MaxPooling2D(2),
        L.Conv2D(8, (3, 2), strides=(1, 2), padding="valid", use_bias=False),
        L.AveragePooling2D(pool_size=2, strides=1, padding="same"),
        L.Conv2D(4, 2, dilation_rate=2, activation="elu"),
        L.Flatten(),
        L.Dense(4, activation="softmax", name="probs"),
    ], name="cnn")
    m.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
              loss="categorical_crossentropy", metrics=["categorical_accuracy"])
    x = f32(24, 12, 12, 3)
    return m, f32(5, 12, 12, 3), (x, one_hot(24, 4))


def sequential_dropout_reshape():
    # inference only: dropout masks are random, so no training record
    m = keras.Sequential([
        keras.Input((6, 4)),
        L.Flatten(),
        L.Dense(12, activation="gelu"),
        L.Dropout(0.4),
        L.Reshape((3, 4)),
        L.Dense(5, activation="selu"),
        L.Reshape((-1,)),
        L.Activation("softplus"),
    ], name="dropout_reshape")
    m.build((None, 6, 4))
    return m, f32(4, 6, 4), None


def functional_branches():
    inp = keras.Input((8, 8, 2), name="image")
    stem = L.Conv2D(4, 3, padding="same", activation="relu", name="stem")(inp)
    a = L.MaxPooling2D(2, name="pool_a")(stem)
    a = L.Flatten(name="flat_a")(a)
    a = L.Dense(5, name="head_a")(a)
    b = L.GlobalAveragePooling2D(name="gap")(stem)
    b = L.Dense(3, activation="sigmoid", name="head_b")(b)
    c = L.Conv2D(2, 1, name="squeeze")(stem)
    c = L.GlobalAveragePooling2D(keepdims=True, name="gap_keep")(c)
    c = L.Reshape((2,), name="to_vec")(c)
    c = L.Activation("tanh", name="head_c")(c)
    m = keras.Model(inp, [a, b, c], name="branches")
    m.compile(optimizer=keras.optimizers.RMSprop(0.005, momentum=0.5, centered=True),
              loss=["mean_squared_error", "binary_crossentropy", "mean_absolute_error"],
              loss_weights=[1.0, 0.5, 2.0],
              metrics=[["mean_absolute_error"], ["binary_accuracy"], []])
    x = f32(16, 8, 8, 2)
    y = [f32(16, 5), (rng.random((16, 3)) > 0.5).astype("float32"), f32(16, 2) * 0.3]
    return m, f32(3, 8, 8, 2), (x, y)


def two_inputs_two_outputs():
    a = keras.Input((6,), name="vector")
    b = keras.Input((5, 5, 1), name="grid")
    ha = L.Dense(4, activation="relu", name="vec_dense")(a)
    oa = L.Dense(2, name="out_vec")(ha)
    hb = L.Conv2D(2, 2, activation="sigmoid", name="grid_conv")(b)
    hb = L.Flatten(name="grid_flat")(hb)
    ob = L.Dense(3, activation="softmax", name="out_grid")(hb)
    m = keras.Model([a, b], [oa, ob], name="two_in_two_out")
    m.compile(optimizer=keras.optimizers.Adam(0.02, amsgrad=True),
              loss={"out_vec": "mean_squared_error", "out_grid": "categorical_crossentropy"})
    x = [f32(16, 6), f32(16, 5, 5, 1)]
    y = [f32(16, 2), one_hot(16, 3)]
    return m, [f32(4, 6), f32(4, 5, 5, 1)], (x, y)


def nested_models():
    inner = keras.Sequential([keras.Input((6,)), L.Dense(5, activation="relu"), L.BatchNormalization(),
                              L.Dense(4)], name="inner_seq")
    bi = keras.Input((4,), name="block_in")
    block = keras.Model(bi, L.Dense(4, activation="tanh", name="block_dense")(bi), name="inner_block")
    inp = keras.Input((6,), name="features")
    h = L.Dense(6, name="pre")(inp)
    h = inner(h)
    h = block(h)
    out = L.Activation("softmax", name="probs")(h)
    m = keras.Model(inp, out, name="nested")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return m, f32(5, 6), (f32(24, 6), one_hot(24, 4))


def shared_layers():
    x1 = keras.Input((5,), name="left")
    x2 = keras.Input((5,), name="right")
    shared = L.Dense(4, activation="relu", name="shared")
    twice = L.Dense(4, activation="tanh", name="twice")
    y1 = shared(x1)
    y2 = shared(x2)
    t = twice(twice(y1))
    o1 = L.Dense(2, name="out_left")(t)
    o2 = L.Activation("sigmoid", name="out_right")(y2)
    m = keras.Model([x1, x2], [o1, o2], name="shared")
    m.compile(optimizer=keras.optimizers.SGD(0.1), loss=["mean_squared_error", "binary_crossentropy"])
    x = [f32(16, 5), f32(16, 5)]
    y = [f32(16, 2), (rng.random((16, 4)) > 0.5).astype("float32")]
    return m, [f32(3, 5), f32(3, 5)], (x, y)


def frozen_layer():
    # a frozen BatchNormalization moves its gamma/beta to the non-trainable tail of the legacy weights
    m = keras.Sequential([keras.Input((4,)), L.Dense(6), L.BatchNormalization(name="frozen_bn"),
                          L.Dense(2)], name="frozen")
    m.layers[1].trainable = False
    m.compile(optimizer="adam", loss="mean_squared_error")
    return m, f32(3, 4), (f32(16, 4), f32(16, 2))


# ---- the convolution family (issue 4) ----------------------------------------------------------------

def conv_family_1d():
    m = keras.Sequential([
        keras.Input((16, 3)),
        L.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu"),
        L.DepthwiseConv1D(3, depth_multiplier=2, padding="same"),
        L.SeparableConv1D(5, 3, strides=2, activation="tanh"),
        L.Conv1DTranspose(3, 3, strides=2, padding="same", output_padding=1),
        L.Conv1D(2, 2, groups=2, data_format="channels_first"),
        L.Flatten(),
        L.Dense(3, activation="softmax"),
    ], name="conv_family_1d")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    return m, f32(4, 16, 3), (f32(24, 16, 3), one_hot(24, 3))


def conv_family_channels_first():
    cf = "channels_first"
    inp = keras.Input((3, 10, 9), name="planes")
    h = L.Conv2D(4, 3, padding="same", data_format=cf, activation="relu", name="conv")(inp)
    a = L.DepthwiseConv2D((3, 2), depth_multiplier=2, strides=2, data_format=cf, name="depthwise")(h)
    a = L.SeparableConv2D(3, 2, padding="same", data_format=cf, name="separable")(a)
    a = L.Conv2DTranspose(2, 3, strides=2, output_padding=1, data_format=cf, name="up")(a)
    b = L.Conv2D(2, 3, dilation_rate=2, groups=2, data_format=cf, name="dilated")(h)
    out_a = L.Dense(2, name="out_a")(L.Flatten(name="flat_a")(a))
    out_b = L.Dense(2, activation="sigmoid", name="out_b")(L.Flatten(name="flat_b")(b))
    m = keras.Model(inp, [out_a, out_b], name="conv_family_channels_first")
    m.compile(optimizer=keras.optimizers.SGD(0.02, momentum=0.9),
              loss=["mean_squared_error", "binary_crossentropy"])
    y = [f32(16, 2), (rng.random((16, 2)) > 0.5).astype("float32")]
    return m, f32(3, 3, 10, 9), (f32(16, 3, 10, 9), y)


def conv_family_3d():
    m = keras.Sequential([
        keras.Input((4, 6, 5, 2)),
        L.Conv3D(3, 2, padding="same", activation="elu"),
        L.Conv3DTranspose(2, 3, strides=(1, 2, 2), activation="relu"),
        L.Conv3D(2, (3, 3, 2), strides=2, data_format="channels_first"),
        L.Flatten(),
        L.Dense(2),
    ], name="conv_family_3d")
    m.compile(optimizer=keras.optimizers.Adam(0.005), loss="mean_squared_error")
    return m, f32(3, 4, 6, 5, 2), (f32(16, 4, 6, 5, 2), f32(16, 2))
# normalization, regularization and activation layers (issue 4)
def normalization_activation_layers():
    # deterministic layers only, so the recorded training losses (with ActivityRegularization's term) reproduce
    m = keras.Sequential([
        keras.Input((6, 8)),
        L.LayerNormalization(),
        L.Dense(8),
        L.PReLU(shared_axes=[1], alpha_initializer="random_normal"),
        L.GroupNormalization(groups=4),
        L.LayerNormalization(axis=[1, 2], epsilon=1e-4),
        L.LeakyReLU(),
        L.BatchNormalization(axis=1),
        L.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.2),
        L.UnitNormalization(axis=1),
        L.ELU(alpha=0.7),
        L.LayerNormalization(rms_scaling=True),
        L.ActivityRegularization(l1=0.001, l2=0.002),
        L.Identity(),
        L.Flatten(),
        L.Dense(5),
        L.Softmax(),
    ], name="norm_act")
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return m, f32(4, 6, 8), (f32(24, 6, 8), one_hot(24, 5))


def noise_layers_channels_first():
    # inference only: the noise layers are identities there; channels_first data formats
    m = keras.Sequential([
        keras.Input((3, 6, 5)),
        L.BatchNormalization(axis=1),
        L.SpatialDropout2D(0.3, data_format="channels_first"),
        L.GaussianNoise(0.2),
        L.GroupNormalization(groups=3, axis=1),
        L.Reshape((3, 30)),
        L.SpatialDropout1D(0.2),
        L.GaussianDropout(0.3),
        L.AlphaDropout(0.1),
        L.Dense(4, activation="hard_silu"),
        L.Activation("mish"),
        L.Dense(4, activation="sparsemax"),
    ], name="noise_channels_first")
    m.build((None, 3, 6, 5))
    for w in m.weights:  # non-trivial batch norm statistics
        if "moving_variance" in w.path:
            w.assign(np.abs(f32(*w.shape)) + 0.5)
        elif "moving_mean" in w.path or "gamma" in w.path or "beta" in w.path:
            w.assign(f32(*w.shape) * 0.5 + (1.0 if "gamma" in w.path else 0.0))
    return m, f32(4, 3, 6, 5), None


ISSUE4_CASES = [
    (normalization_activation_layers, "LayerNormalization (last, several axes, rms_scaling), GroupNormalization, "
     "UnitNormalization, BatchNormalization(axis=1), PReLU, LeakyReLU, ReLU, ELU, Softmax, Identity and "
     "ActivityRegularization, trained with Adam"),
    (noise_layers_channels_first, "channels_first BatchNormalization and GroupNormalization with SpatialDropout, "
     "Gaussian and Alpha dropout/noise (identities at inference), hard_silu, mish, sparsemax; not compiled"),
]


# ---- regularizers and constraints (issues 4 and 5) ---------------------------------------------------
def regularized_constrained():
    # the recorded losses include the weight and activity penalties; constraints act after each update
    R, C = keras.regularizers, keras.constraints
    m = keras.Sequential([
        keras.Input((6,)),
        L.Dense(8, activation="tanh", kernel_regularizer=R.L2(0.01), bias_regularizer="l1",
                activity_regularizer=R.L1(0.01), kernel_constraint=C.MaxNorm(1.0), bias_constraint="non_neg"),
        L.Dense(3, kernel_regularizer=R.L1L2(0.01, 0.02), kernel_constraint=C.UnitNorm()),
    ], name="regularized")
    m.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    return m, f32(4, 6), (f32(16, 6), f32(16, 3))


REGULARIZER_CASES = [
    (regularized_constrained, "Dense with kernel, bias and activity regularizers and MaxNorm/NonNeg/UnitNorm "
     "constraints, trained with SGD"),
]


# ---- optimizer extras (issue 5) -----------------------------------------------------------------------
def loss_scale_optimizer():
    # the dynamic scale (grown twice over 4 steps), step counter and Adam's slots all come back. Not use_ema: on
    # jax, Keras 3.15.1's train_on_batch after a fit with use_ema fails ("donate the same buffer twice"), and
    # Keras's .h5 cannot hold Adafactor (its r and c share a name)
    m = keras.Sequential([keras.Input((5,)), L.Dense(6, activation="tanh"), L.Dense(2)], name="loss_scaled")
    m.compile(optimizer=keras.optimizers.LossScaleOptimizer(
        keras.optimizers.Adam(0.01), initial_scale=256.0, dynamic_growth_steps=2), loss="mse")
    return m, f32(4, 5), (f32(16, 5), f32(16, 2))


OPTIMIZER_EXTRAS_CASES = [
    (loss_scale_optimizer, "LossScaleOptimizer over Adam, the scale grown during fit"),
]


# ---- pooling, reshaping and merging layers (issue 4) ------------------------------------------------
def functional_merging():
    img = keras.Input((8, 8, 2), name="img")
    seq = keras.Input((6, 4), name="seq")
    vec = keras.Input((5,), name="vec")
    a = L.Conv2D(4, 3, padding="same", name="conv")(img)
    m = L.Maximum(name="max_merge")([L.MaxPooling2D(2, name="mp")(a), L.AveragePooling2D(2, name="ap")(a)])
    m = L.ZeroPadding2D(1, name="zpad")(m)
    m = L.Cropping2D(((1, 0), (0, 1)), name="crop")(m)
    m = L.UpSampling2D(2, interpolation="bilinear", name="up_bilinear")(m)
    m = L.GlobalMaxPooling2D(name="gmp")(m)
    s = L.MaxPooling1D(2, name="mp1")(seq)
    s = L.UpSampling1D(2, name="up1")(s)
    s = L.Permute((2, 1), name="permute")(s)
    s = L.GlobalAveragePooling1D(name="gap1")(s)
    v = L.Dense(6, activation="tanh", name="vec_dense")(vec)
    r = L.Flatten(name="flat_r")(L.RepeatVector(2, name="repeat")(v))
    added = L.Add(name="add")([s, v])
    sub = L.Subtract(name="sub")([s, v])
    mul = L.Multiply(name="mul")([added, sub])
    avg = L.Average(name="avg")([s, v, mul])
    mn = L.Minimum(name="min")([s, v])
    dot = L.Dot(axes=1, normalize=True, name="cosine")([s, v])
    cat = L.Concatenate(name="cat")([m, avg, mn, dot, r])
    out = L.Dense(3, name="out")(cat)
    model = keras.Model([img, seq, vec], out, name="merging")
    model.compile(optimizer=keras.optimizers.SGD(0.05, momentum=0.5), loss="mean_squared_error")
    x = [f32(16, 8, 8, 2), f32(16, 6, 4), f32(16, 5)]
    return model, [f32(3, 8, 8, 2), f32(3, 6, 4), f32(3, 5)], (x, f32(16, 3))


def channels_first_pooling():
    cf = {"data_format": "channels_first"}
    vol = keras.Input((2, 4, 6, 6), name="volume")
    a = L.MaxPooling3D(2, **cf, name="mp3")(vol)
    a = L.ZeroPadding3D(((1, 0), (0, 1), (1, 1)), **cf, name="zpad3")(a)
    a = L.AveragePooling3D(2, padding="same", **cf, name="ap3")(a)
    a = L.UpSampling3D((1, 2, 2), **cf, name="up3")(a)
    a = L.Cropping3D(((0, 0), (1, 0), (0, 1)), **cf, name="crop3")(a)
    a = L.GlobalAveragePooling3D(**cf, name="gap3")(a)
    img = keras.Input((3, 7, 6), name="image_cf")
    b = L.MaxPooling2D(3, strides=2, padding="same", **cf, name="mp2")(img)
    b = L.UpSampling2D((2, 1), **cf, name="up2")(b)
    b = L.Cropping2D(1, **cf, name="crop2")(b)
    b = L.GlobalMaxPooling2D(keepdims=True, **cf, name="gmp2")(b)
    b = L.Flatten(name="flat2")(b)
    sig = keras.Input((3, 9), name="signal_cf")
    c = L.AveragePooling1D(3, strides=2, padding="same", **cf, name="ap1")(sig)
    c = L.ZeroPadding1D((1, 2), **cf, name="zpad1")(c)
    c = L.GlobalMaxPooling1D(**cf, name="gmp1")(c)
    cat = L.Concatenate(axis=1, name="cat")([a, b, c])
    out = L.Dense(2, name="out")(cat)
    model = keras.Model([vol, img, sig], out, name="channels_first")
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mean_absolute_error")
    x = [f32(16, 2, 4, 6, 6), f32(16, 3, 7, 6), f32(16, 3, 9)]
    return model, [f32(3, 2, 4, 6, 6), f32(3, 3, 7, 6), f32(3, 3, 9)], (x, f32(16, 2))


# ---- Keras 2 dialect, written by hand ------------------------------------------------------------

def to_keras2_layer_config(cfg):
    c = dict(cfg)
    if isinstance(c.get("dtype"), dict):
        c["dtype"] = c["dtype"]["config"]["name"]
    for k, v in list(c.items()):
        if isinstance(v, dict) and "module" in v and "class_name" in v:
            c[k] = {"class_name": v["class_name"], "config": v["config"]}
    if "batch_shape" in c:
        c["batch_input_shape"] = c.pop("batch_shape")
        c.pop("optional", None)
    return c


def keras2_node(node):
    refs = []
    for t in node["args"] if isinstance(node["args"][0], dict) else node["args"][0]:
        refs.append(list(t["config"]["keras_history"]) + [{}])
    return refs


def write_keras2_file(path, model_config, model, opt_weights=None):
    """Writes a legacy .h5 as Keras 2 (h5py 2) did: fixed-length NULLPAD byte strings, ':0' names."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = np.bytes_("2.4.0")
        f.attrs["backend"] = np.bytes_("tensorflow")
        f.attrs["model_config"] = np.bytes_(json.dumps(model_config))
        g = f.create_group("model_weights")
        names = [layer.name.encode() for layer in model.layers]
        # chunked as Keras does for long lists: layer_names0, layer_names1
        half = (len(names) + 1) // 2
        g.attrs["layer_names0"] = np.array(names[:half])
        g.attrs["layer_names1"] = np.array(names[half:])
        g.attrs["backend"] = np.bytes_("tensorflow")
        g.attrs["keras_version"] = np.bytes_("2.4.0")
        for layer in model.layers:
            lg = g.create_group(layer.name)
            weights = layer.trainable_weights + layer.non_trainable_weights
            wnames = [(layer.name + "/" + w.path.split("/")[-1] + ":0").encode() for w in weights]
            lg.attrs["weight_names"] = np.array(wnames) if wnames else np.zeros((0,), dtype="float64")
            for n, w in zip(wnames, weights):
                lg.create_dataset(n.decode(), data=np.asarray(w))


def keras2_sequential(out):
    """Keras 2.1-style Sequential: config is a bare list of layers, the first with batch_input_shape."""
    m = keras.Sequential([keras.Input((7,)), L.Dense(5, activation="relu", name="dense_1"),
                          L.Dense(3, activation="sigmoid", name="dense_2")], name="sequential_1")
    for w in m.weights:
        w.assign(f32(*w.shape) * 0.5)
    layers = []
    for i, layer in enumerate(m.layers):
        c = to_keras2_layer_config(layer.get_config())
        if i == 0:
            c["batch_input_shape"] = [None, 7]
        layers.append({"class_name": type(layer).__name__, "config": c})
    d = os.path.join(out, "keras2_sequential")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.h5")
    write_keras2_file(path, {"class_name": "Sequential", "config": layers}, m)
    return path, m


def keras2_functional(out):
    """tf.keras 2.x functional model: list-form inbound nodes, a shared layer, InputLayer batch_input_shape."""
    x1 = keras.Input((4,), name="input_1")
    x2 = keras.Input((4,), name="input_2")
    shared = L.Dense(3, activation="relu", name="dense")
    bn = L.BatchNormalization(name="batch_normalization")
    o1 = L.Dense(2, name="dense_1")(bn(shared(x1)))
    o2 = shared(x2)
    m = keras.Model([x1, x2], [o1, o2], name="model")
    for w in m.weights:
        w.assign(np.abs(f32(*w.shape)) + 0.1 if "variance" in w.path else f32(*w.shape) * 0.5)
    cfg = m.get_config()
    layers = []
    for entry in cfg["layers"]:
        layer = m.get_layer(entry["name"])
        c = to_keras2_layer_config(layer.get_config())
        if isinstance(layer, L.BatchNormalization):
            c["axis"] = [1]  # Keras 2 writes the axis as a list
        layers.append({"class_name": entry["class_name"], "config": c, "name": entry["name"],
                       "inbound_nodes": [keras2_node(n) for n in entry["inbound_nodes"]]})
    config = {"name": "model", "layers": layers,
              "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]],
              "output_layers": [["dense_1", 0, 0], ["dense", 1, 0]]}
    d = os.path.join(out, "keras2_functional")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.h5")
    write_keras2_file(path, {"class_name": "Model", "config": config}, m)
    return path, m


# ---- Keras 1 dialect, written by hand from Keras 1.2.2's get_config ---------------------------------

def write_keras1_file(path, model_config, layers, backend):
    """Writes a legacy .h5 as Keras 1.2 did: fixed-length strings, '<layer>_W'-style weight names.
    layers: [(name, [(weight_name, array), ...]), ...] in model order."""
    suffix = ":0" if backend == "tensorflow" else ""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = np.bytes_("1.2.2")
        f.attrs["backend"] = np.bytes_(backend)
        f.attrs["model_config"] = np.bytes_(json.dumps({"class_name": model_config[0], "config": model_config[1]}))
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([n.encode() for n, _ in layers])
        for name, weights in layers:
            lg = g.create_group(name)
            wnames = [(w + suffix).encode() for w, _ in weights]
            lg.attrs["weight_names"] = np.array(wnames) if wnames else np.zeros((0,), dtype="float64")
            for n, (_, value) in zip(wnames, weights):
                lg.create_dataset(n.decode(), data=np.asarray(value, dtype="float32"))


def keras1_regularized(name, **extra):
    base = {"name": name, "trainable": True, "W_regularizer": None, "b_regularizer": None,
            "activity_regularizer": None, "W_constraint": None, "b_constraint": None, "bias": True,
            "init": "glorot_uniform"}
    base.update(extra)
    return base


def keras1_sequential_theano(out):
    """Keras 1.2 Sequential (bare list) from the Theano backend with dim_ordering 'th': Convolution2D kernels
    stored (filters, in, rows, cols) and flipped (Theano convolves), BatchNormalization's running_std."""
    m = keras.Sequential([keras.Input((2, 6, 6)),
                          L.Conv2D(3, 3, padding="same", activation="relu", data_format="channels_first"),
                          L.MaxPooling2D(2, data_format="channels_first"), L.Flatten(), L.Dense(4, activation="tanh"),
                          L.Dropout(0.5), L.BatchNormalization(epsilon=0.001), L.Dense(3, activation="softmax")])
    for w in m.weights:
        w.assign(np.abs(f32(*w.shape)) + 0.1 if "variance" in w.path else f32(*w.shape) * 0.5)
    conv, _, _, dense1, _, bn, dense2 = m.layers
    kernel = np.asarray(conv.kernel)
    theano_kernel = np.transpose(kernel[::-1, ::-1, :, :], (3, 2, 0, 1))
    config = [
        {"class_name": "Convolution2D", "config": keras1_regularized(
            "convolution2d_1", nb_filter=3, nb_row=3, nb_col=3, activation="relu", border_mode="same",
            subsample=[1, 1], dim_ordering="th", batch_input_shape=[None, 2, 6, 6], input_dtype="float32")},
        {"class_name": "MaxPooling2D", "config": {"name": "maxpooling2d_1", "trainable": True, "pool_size": [2, 2],
                                                   "border_mode": "valid", "strides": [2, 2], "dim_ordering": "th"}},
        {"class_name": "Flatten", "config": {"name": "flatten_1", "trainable": True}},
        {"class_name": "Dense", "config": keras1_regularized("dense_1", output_dim=4, activation="tanh",
                                                             input_dim=None)},
        {"class_name": "Dropout", "config": {"name": "dropout_1", "trainable": True, "p": 0.5}},
        {"class_name": "BatchNormalization", "config": {
            "name": "batchnormalization_1", "trainable": True, "epsilon": 0.001, "mode": 0, "axis": -1,
            "momentum": 0.99, "gamma_regularizer": None, "beta_regularizer": None}},
        {"class_name": "Dense", "config": keras1_regularized("dense_2", output_dim=3, activation="softmax",
                                                             input_dim=None)},
    ]
    g, b, mean, var = (np.asarray(w) for w in bn.weights)
    layers = [("convolution2d_1", [("convolution2d_1_W", theano_kernel), ("convolution2d_1_b", conv.bias)]),
              ("maxpooling2d_1", []), ("flatten_1", []),
              ("dense_1", [("dense_1_W", dense1.kernel), ("dense_1_b", dense1.bias)]), ("dropout_1", []),
              ("batchnormalization_1", [("batchnormalization_1_gamma", g), ("batchnormalization_1_beta", b),
                                        ("batchnormalization_1_running_mean", mean),
                                        ("batchnormalization_1_running_std", var)]),
              ("dense_2", [("dense_2_W", dense2.kernel), ("dense_2_b", dense2.bias)])]
    d = os.path.join(out, "keras1_sequential_theano")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.h5")
    write_keras1_file(path, ("Sequential", config), layers, "theano")
    return path, m


def keras1_functional(out):
    """Keras 1.2 functional Model (TensorFlow backend): InputLayer with input_dtype, Convolution1D with its
    (filter_length, 1, in, filters) kernel, Merge layers (sum, concat), [layer, node, tensor] inbound nodes."""
    seq = keras.Input((8, 3), name="input_1")
    vec = keras.Input((4,), name="input_2")
    conv = L.Conv1D(4, 3, activation="relu", name="convolution1d_1")
    a = L.Dense(5, name="dense_1")(L.Flatten(name="flatten_1")(conv(seq)))
    b = L.Dense(5, activation="tanh", name="dense_2")(vec)
    summed = L.Add(name="merge_1")([a, b])
    joined = L.Concatenate(axis=-1, name="merge_2")([summed, b])
    m = keras.Model([seq, vec], L.Dense(2, name="dense_3")(joined))
    for w in m.weights:
        w.assign(f32(*w.shape) * 0.5)

    def entry(cls, config, inbound):
        return {"name": config["name"], "class_name": cls, "config": config,
                "inbound_nodes": [[[n, 0, 0] for n in inbound]] if inbound else []}

    def merge(name, mode, concat_axis=-1):
        return {"name": name, "trainable": True, "mode": mode, "concat_axis": concat_axis, "dot_axes": -1,
                "output_shape": None, "output_shape_type": "raw", "output_mask": None, "output_mask_type": "raw",
                "mode_type": "raw", "arguments": {}}

    layers_cfg = [
        entry("InputLayer", {"batch_input_shape": [None, 8, 3], "input_dtype": "float32", "sparse": False,
                             "name": "input_1"}, []),
        entry("Convolution1D", keras1_regularized("convolution1d_1", nb_filter=4, filter_length=3,
                                                  activation="relu", border_mode="valid", subsample_length=1,
                                                  input_dim=None, input_length=None), ["input_1"]),
        entry("Flatten", {"name": "flatten_1", "trainable": True}, ["convolution1d_1"]),
        entry("Dense", keras1_regularized("dense_1", output_dim=5, activation="linear", input_dim=None),
              ["flatten_1"]),
        entry("InputLayer", {"batch_input_shape": [None, 4], "input_dtype": "float32", "sparse": False,
                             "name": "input_2"}, []),
        entry("Dense", keras1_regularized("dense_2", output_dim=5, activation="tanh", input_dim=None),
              ["input_2"]),
        entry("Merge", merge("merge_1", "sum"), ["dense_1", "dense_2"]),
        entry("Merge", merge("merge_2", "concat"), ["merge_1", "dense_2"]),
        entry("Dense", keras1_regularized("dense_3", output_dim=2, activation="linear", input_dim=None),
              ["merge_2"]),
    ]
    order = [layer.name for layer in m.layers]  # the order Keras lists (and strata builds) the layers in
    layers_cfg.sort(key=lambda e: order.index(e["name"]))
    config = {"name": "model_1", "layers": layers_cfg, "input_layers": [["input_1", 0, 0], ["input_2", 0, 0]],
              "output_layers": [["dense_3", 0, 0]]}
    weights = {l.name: l.weights for l in m.layers}
    layers = []
    for e in layers_cfg:
        ws = weights[e["name"]]
        if e["name"] == "convolution1d_1":
            layers.append((e["name"], [("convolution1d_1_W", np.asarray(ws[0])[:, None, :, :]),
                                       ("convolution1d_1_b", ws[1])]))
        else:
            layers.append((e["name"], [(e["name"] + ("_W" if i == 0 else "_b"), w) for i, w in enumerate(ws)]))
    d = os.path.join(out, "keras1_functional")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "model.h5")
    write_keras1_file(path, ("Model", config), layers, "tensorflow")
    return path, m


def record_keras2(written, inputs, name, description, keras_reads_it):
    """Records the outputs of the model the file was written from. Where Keras 3 can read the file
    (it cannot read the bare-list Sequential of Keras < 2.2.3), its outputs from the file must agree."""
    path, model = written
    outputs = as_list(model.predict(inputs, verbose=0))
    if keras_reads_it:
        loaded = as_list(keras.models.load_model(path, compile=False).predict(inputs, verbose=0))
        for a, b in zip(outputs, loaded):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-6)
    with open(os.path.join(os.path.dirname(path), "data.json"), "w") as f:
        json.dump({"inputs": [arr(x) for x in as_list(inputs)], "outputs": [arr(y) for y in outputs]}, f)
    return {"name": name, "description": description, "compiled": False,
            "layers": sorted({type(l).__name__ for l in model.layers})}


# ---- image preprocessing layers (issue 6) ------------------------------------------------------------
def image_preprocessing():
    # inference only: the random layers are identities there (RandomCrop included, as Keras 3). No
    # RandomBrightness: Keras 3.15 cannot write it to .h5 (TypeError: cannot pickle 'module' object)
    m = keras.Sequential([
        keras.Input((9, 10, 3)),
        L.Resizing(8, 7, crop_to_aspect_ratio=True),
        L.CenterCrop(7, 6),
        L.RandomFlip(seed=1),
        L.RandomRotation(0.1, fill_mode="constant", seed=2),
        L.RandomZoom(0.2, width_factor=(-0.1, 0.2), seed=3),
        L.RandomTranslation(0.1, 0.2, fill_mode="wrap", seed=4),
        L.RandomCrop(5, 5, seed=5),
        L.RandomContrast(0.3, seed=6),
        L.Resizing(5, 4, interpolation="nearest"),
        L.Conv2D(2, 3),
        L.Flatten(),
        L.Dense(3),
    ], name="image_preprocessing")
    return m, f32(4, 9, 10, 3), None


ISSUE6_CASES = [
    (image_preprocessing, "Resizing (crop to aspect ratio, nearest), CenterCrop and every random augmentation "
     "layer but RandomBrightness (identities at inference) before a small CNN; not compiled"),
]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "keras_models"
    os.makedirs(out, exist_ok=True)
    cases = []
    for fn, desc in [
        (sequential_mlp, "Sequential MLP with BatchNormalization, Adam, sparse labels"),
        (sequential_cnn, "Sequential CNN: Conv2D (same/valid, strides, dilation, no bias), pooling, SGD+Nesterov"),
        (sequential_dropout_reshape, "Sequential with Flatten, Dropout, Reshape (-1) and Activation; not compiled"),
        (functional_branches, "functional model with three branches and outputs, RMSprop centered, loss weights"),
        (two_inputs_two_outputs, "two inputs and two outputs, dict losses, Adam amsgrad"),
        (nested_models, "a nested Sequential and a nested functional model inside a functional model"),
        (shared_layers, "a layer shared by two inputs and a layer applied twice in a chain"),
        (frozen_layer, "a frozen BatchNormalization (trainable=False)"),
        (functional_merging, "every merge layer, 1-D/2-D pooling, padding, cropping, bilinear and nearest "
                             "up-sampling, Permute and RepeatVector in one functional model, SGD"),
        (channels_first_pooling, "channels_first pooling, padding, cropping and up-sampling in 1-3 dims, Adam"),
        (conv_family_1d, "Conv1D causal/dilated/groups/channels_first, DepthwiseConv1D, SeparableConv1D, "
                         "Conv1DTranspose with output_padding"),
        (conv_family_channels_first, "channels_first Conv2D, DepthwiseConv2D, SeparableConv2D, Conv2DTranspose"),
        (conv_family_3d, "Conv3D and Conv3DTranspose in both data formats"),
    ] + ISSUE4_CASES + ISSUE6_CASES + REGULARIZER_CASES + OPTIMIZER_EXTRAS_CASES:
        model, inputs, train = fn()
        cases.append(save_case(out, fn.__name__, model, inputs, train, desc))
    cases.append(record_keras2(keras2_sequential(out), f32(4, 7), "keras2_sequential",
                               "Keras 2.1 bare-list Sequential config, fixed-length strings, ':0' names, "
                               "chunked layer_names", False))
    cases.append(record_keras2(keras2_functional(out), [f32(3, 4), f32(3, 4)], "keras2_functional",
                               "tf.keras functional config with list-form inbound nodes and a shared layer",
                               True))
    cases.append(record_keras2(keras1_sequential_theano(out), f32(3, 2, 6, 6), "keras1_sequential_theano",
                               "Keras 1.2 bare-list Sequential from Theano: Convolution2D 'th' kernels (transposed "
                               "and flipped), border_mode, dim_ordering, output_dim, p, BatchNormalization mode 0",
                               False))
    cases.append(record_keras2(keras1_functional(out), [f32(3, 8, 3), f32(3, 4)], "keras1_functional",
                               "Keras 1.2 functional Model: input_dtype, Convolution1D (k, 1, in, out) kernel, "
                               "Merge sum and concat, triple inbound nodes", False))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"keras_version": keras.__version__, "backend": keras.backend.backend(), "cases": cases}, f,
                  indent=1)
    print(f"make_keras_models: {len(cases)} cases written to {out} with Keras {keras.__version__}")


if __name__ == "__main__":
    main()
