"""Reads strata's TensorBoard event files with the real tensorboard package and checks them against what strata
logged (expected.json from test_tensorboard.cpp): the file names, the TFRecord framing and CRCs, the file version,
and every tag, step and value Keras 3's TensorBoard callback writes.
Usage: check_tensorboard.py <dir with expected.json and one log_dir per run>"""
import json
import os
import re
import struct
import sys

import numpy as np
from tensorboard.backend.event_processing import event_accumulator, event_file_loader
from tensorboard.compat.proto import event_pb2
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import masked_crc32c
from tensorboard.plugins.histogram import summary_v2 as histogram_summary
from tensorboard.util import tensor_util

root = sys.argv[1]
expected = json.load(open(os.path.join(root, "expected.json")))
NAME = re.compile(r"^events\.out\.tfevents\.(\d{10})\.(.+)\.(\d+)\.(\d+)\.v2$")


def event_file(directory):
    files = os.listdir(directory)
    assert len(files) == 1, (directory, files)
    m = NAME.match(files[0])
    assert m, files[0]
    return os.path.join(directory, files[0])


def check_framing(path):
    """Walks the TFRecords by hand: every length and payload CRC must be TensorFlow's masked CRC32C."""
    data = open(path, "rb").read()
    pos, events = 0, []
    while pos < len(data):
        header = data[pos : pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[pos + 8 : pos + 12])
        assert length_crc == masked_crc32c(header), (path, pos)
        payload = data[pos + 12 : pos + 12 + length]
        (payload_crc,) = struct.unpack("<I", data[pos + 12 + length : pos + 16 + length])
        assert payload_crc == masked_crc32c(payload), (path, pos)
        event = event_pb2.Event()
        event.ParseFromString(payload)
        events.append(event)
        pos += 16 + length
    assert pos == len(data)
    assert events[0].file_version == "brain.Event:2", events[0]
    assert events[0].wall_time > 1.6e9
    return events


def accumulate(directory):
    path = event_file(directory)
    raw = check_framing(path)
    loaded = list(event_file_loader.EventFileLoader(path).Load())
    assert len(loaded) == len(raw)
    acc = event_accumulator.EventAccumulator(directory, size_guidance={event_accumulator.TENSORS: 0})
    acc.Reload()
    return acc


def series(acc, tag):
    return [(e.step, tensor_util.make_ndarray(e.tensor_proto)) for e in acc.Tensors(tag)]


def check_scalars(acc, tag, steps, values):
    got = series(acc, tag)
    assert [s for s, _ in got] == list(steps), (tag, got, steps)
    for (_, v), want in zip(got, values):
        assert v.dtype == np.float32 and v.shape == (), (tag, v)
        assert v == np.float32(want), (tag, float(v), want)
    assert acc.SummaryMetadata(tag).plugin_data.plugin_name == "scalars", tag


checked = 0
for name, run in expected["runs"].items():
    options = run["options"]
    history = run["history"]
    epochs = run["epochs"]
    n_epochs = len(epochs)
    update_freq = options["update_freq"]
    every = 1 if update_freq == "batch" else (0 if update_freq == "epoch" else int(update_freq))
    train = accumulate(os.path.join(root, name, "train"))
    train_tags = set(train.Tags()["tensors"])
    metrics = sorted(k for k in history if not k.startswith("val_"))
    want = {"keras"} | {f"epoch_{m}" for m in metrics} | {"epoch_learning_rate"}
    if options["write_steps_per_second"]:
        want.add("epoch_steps_per_second")
    if every:
        want |= {f"batch_{m}" for m in metrics}
        if options["write_steps_per_second"]:
            want.add("batch_steps_per_second")
    if options["histogram_freq"]:
        want |= {f"{path}/histogram" for path in epochs[0]["weights"]}
    assert train_tags == want, (name, sorted(train_tags ^ want))

    # the model's Keras JSON, for TensorBoard's graph plugin (Keras's keras_model_summary)
    (step, graph), = series(train, "keras")
    assert step == 0
    assert train.SummaryMetadata("keras").plugin_data.plugin_name == "graph_keras_model"
    assert train.SummaryMetadata("keras").plugin_data.content == b"1"
    assert json.loads(graph.item().decode()) == run["model_json"]

    for m in metrics:
        check_scalars(train, f"epoch_{m}", range(n_epochs), history[m])
    check_scalars(train, "epoch_learning_rate", range(n_epochs), [e["learning_rate"] for e in epochs])
    if options["write_steps_per_second"]:
        assert all(v > 0 for _, v in series(train, "epoch_steps_per_second"))
    if every:
        steps = [g for g in range(1, len(run["batches"]) + 1) if g % every == 0]
        for m in metrics:
            check_scalars(train, f"batch_{m}", steps, [run["batches"][g - 1][m] for g in steps])
        if options["write_steps_per_second"]:
            assert [s for s, _ in series(train, "batch_steps_per_second")] == steps
    if options["histogram_freq"]:
        hist_epochs = [e for e in epochs if e["epoch"] % options["histogram_freq"] == 0]
        for path in epochs[0]["weights"]:
            tag = f"{path}/histogram"
            got = series(train, tag)
            assert [s for s, _ in got] == [e["epoch"] for e in hist_epochs], (tag, got)
            assert train.SummaryMetadata(tag).plugin_data.plugin_name == "histograms"
            for (_, buckets), e in zip(got, hist_epochs):
                data = np.asarray(e["weights"][path], dtype=np.float32).astype(np.float64)
                ref = tensor_util.make_ndarray(histogram_summary.histogram_pb(tag, data).value[0].tensor)
                assert buckets.dtype == np.float64 and buckets.shape == (30, 3), buckets.shape
                np.testing.assert_array_equal(buckets[:, 2], ref[:, 2])
                # tf.summary.histogram (v3) ends the last bucket at the maximum exactly; edges as np.linspace
                ref[-1, 1] = data.max()
                np.testing.assert_allclose(buckets[:, :2], ref[:, :2], rtol=1e-13, atol=0)
                assert buckets[:, 2].sum() == data.size

    val_dir = os.path.join(root, name, "validation")
    val_metrics = sorted(k[4:] for k in history if k.startswith("val_"))
    if not val_metrics:
        assert not os.path.exists(val_dir), val_dir
    else:
        val = accumulate(val_dir)
        want = {f"epoch_{m}" for m in val_metrics} | {f"evaluation_{m}_vs_iterations" for m in val_metrics}
        assert set(val.Tags()["tensors"]) == want, (name, sorted(val.Tags()["tensors"]))
        for m in val_metrics:
            check_scalars(val, f"epoch_{m}", range(n_epochs), history["val_" + m])
            check_scalars(val, f"evaluation_{m}_vs_iterations", [e["iterations"] for e in epochs], history["val_" + m])
    checked += 1
    print(f"tensorboard: {name}: {len(train_tags)} train tags ok", file=sys.stderr)

assert checked == 3, checked
print("tensorboard: OK")
