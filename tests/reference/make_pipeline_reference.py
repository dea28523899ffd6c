"""Reference values for tests/unit/test_directory_dataset.cpp, from the real Keras (jax backend, no TensorFlow).

- index_directory: the file order and labels keras.utils.image_dataset_from_directory uses (numpy-seeded shuffle,
  then the training/validation split) for a small folder tree this script describes and the test recreates.
- resize: keras.ops.image.resize (bilinear / nearest, antialias off: what tf.image.resize does for
  image_dataset_from_directory) and smart_resize (crop_to_aspect_ratio) of small deterministic images.

Run: KERAS_BACKEND=jax /tmp/kvenv/bin/python tests/reference/make_pipeline_reference.py > tests/reference/pipeline_reference.json
"""
import contextlib
import io
import json
import os
import tempfile

os.environ.setdefault("KERAS_BACKEND", "jax")
import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.utils import dataset_utils  # noqa: E402

# class folder -> file names (a nested folder, a hidden folder, upper-case and non-image extensions included)
TREE = {
    "cats": ["c10.png", "c2.jpg", "c1.PNG", "notes.txt", "sub/c0.jpeg", "sub/deeper/z.png"],
    "dogs": ["d1.png", "d0.png", "d3.jpg", "d2.png", "a.png"],
    "birds": ["b0.png", "b1.png", "b2.png"],
    ".hidden": ["h.png"],
}


TEXT_TREE = {"neg": ["a.txt", "b.txt", "c.txt", "skip.md"], "pos": ["x.txt", "y.TXT", "sub/z.txt"]}


def index(root, seed, split, subset, shuffle=True, class_names=None, formats=(".jpeg", ".jpg", ".png")):
    paths, labels, names = dataset_utils.index_directory(
        root, "inferred", formats=formats, class_names=class_names, shuffle=shuffle, seed=seed,
        verbose=False)
    if split:
        paths, labels = dataset_utils.get_training_or_validation_split(paths, labels, split, subset)
    return {
        "seed": seed, "validation_split": split, "subset": subset or "", "shuffle": shuffle,
        "class_names_arg": class_names or [],
        "paths": [os.path.relpath(p, root) for p in paths], "labels": [int(v) for v in labels],
        "class_names": list(names),
    }


def image(h, w, c, salt):
    return ((np.arange(h * w * c).reshape(h, w, c) * (37 + salt) + salt * 11) % 256).astype("uint8")


def main():
    out = {"tree": TREE, "text_tree": TEXT_TREE, "index": [], "text_index": [], "resize": []}
    # Keras prints "Using N files for ..." while splitting: keep stdout for the JSON
    with tempfile.TemporaryDirectory() as root, contextlib.redirect_stdout(io.StringIO()):
        for cls, files in TREE.items():
            for f in files:
                p = os.path.join(root, cls, f)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                open(p, "wb").close()
        out["index"].append(index(root, 1337, 0, None, shuffle=False))
        out["index"].append(index(root, 1337, 0, None))
        out["index"].append(index(root, 42, 0, None))
        out["index"].append(index(root, 7, 0.25, "training"))
        out["index"].append(index(root, 7, 0.25, "validation"))
        out["index"].append(index(root, 3, 0, None, class_names=["dogs", "cats"]))
    with tempfile.TemporaryDirectory() as root, contextlib.redirect_stdout(io.StringIO()):
        for cls, files in TEXT_TREE.items():
            for f in files:
                p = os.path.join(root, cls, f)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                open(p, "wb").close()
        out["text_index"].append(index(root, 5, 0, None, formats=(".txt",)))
        out["text_index"].append(index(root, 5, 0.4, "training", formats=(".txt",)))
        out["text_index"].append(index(root, 5, 0.4, "validation", formats=(".txt",)))
    cases = [((5, 7, 3), (8, 4), "bilinear"), ((6, 6, 1), (3, 3), "bilinear"), ((4, 9, 3), (10, 5), "nearest"),
             ((7, 5, 4), (7, 5), "bilinear"), ((3, 8, 3), (13, 2), "bilinear"), ((9, 4, 1), (2, 7), "nearest")]
    for k, (shape, size, method) in enumerate(cases):
        x = image(*shape, k)
        y = keras.ops.image.resize(x.astype("float32"), size, interpolation=method, antialias=False)
        out["resize"].append({"shape": list(shape), "size": list(size), "interpolation": method, "crop": False,
                              "input": x.flatten().tolist(), "output": [float(v) for v in np.asarray(y).flatten()]})
    for k, (shape, size) in enumerate([((6, 10, 3), (4, 4)), ((9, 4, 1), (3, 6))]):
        x = image(*shape, 10 + k)
        y = keras.preprocessing.image.smart_resize(x.astype("float32"), size, interpolation="bilinear")
        out["resize"].append({"shape": list(shape), "size": list(size), "interpolation": "bilinear", "crop": True,
                              "input": x.flatten().tolist(), "output": [float(v) for v in np.asarray(y).flatten()]})
    print(json.dumps(out, separators=(",", ":")))


if __name__ == "__main__":
    main()
