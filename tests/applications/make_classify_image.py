"""What examples/classify_image must print, computed by the real Keras.

    python make_classify_image.py OUT_DIR

Writes to OUT_DIR:
  mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5
      MobileNetV2(include_top=True, weights=None) under a fixed seed (random BatchNormalization scales, moving
      statistics from the images), in the published files' legacy layout
  <image>.png / <image>.jpg   test images: a 224x224 PNG, a 180x300 PNG and a 192x256 JPEG
  expected.json   {image file: Keras's decode_predictions top-5 as [[wnid, description, score], ...]}

The venv has no PIL, so Keras's load_img cannot run; the pixels are made here, written losslessly (PNG) or in a
JPEG that decodes exactly (8x8 blocks of one gray level, DC-only at quality 100), and Keras's side takes the same
pixels through keras.layers.Resizing (bilinear, as classify_image) when they are not 224x224 already.
"""
import json
import os
import shutil
import struct
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import numpy as np  # noqa: E402
import keras  # noqa: E402
from keras.src.backend import config as keras_config  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_keras_apps import randomize_normalization, save_published_layout  # noqa: E402

WEIGHTS = "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5"
SEED = 20261121


def photo(height, width):
    """A smooth RGB scene (gradients, a disc, stripes): something a classifier reacts to, reproducible."""
    y, x = np.mgrid[0:height, 0:width].astype("float64")
    y, x = y / height, x / width
    r = 255 * x
    g = 127.5 + 127.5 * np.sin(6 * np.pi * y) * np.cos(4 * np.pi * x)
    b = 255 * (1 - y)
    disc = (x - 0.6) ** 2 + (y - 0.4) ** 2 < 0.05
    r[disc], g[disc], b[disc] = 230, 40, 40
    return np.clip(np.stack([r, g, b], -1).round(), 0, 255).astype("uint8")


def blocks(height, width, rng):
    """Gray 8x8 blocks: a JPEG of them decodes to exactly these pixels (only the DC coefficients are nonzero)."""
    levels = rng.integers(0, 256, (height // 8, width // 8)).astype("uint8")
    return np.repeat(np.repeat(levels, 8, 0), 8, 1)


def write_png(path, image):
    """8-bit RGB PNG, no PIL needed."""
    height, width, _ = image.shape
    raw = b"".join(b"\x00" + image[i].tobytes() for i in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def huffman_codes(bits, values):
    """The canonical codes of a JPEG Huffman table (counts per length 1..16, symbols): {symbol: (code, length)}."""
    codes, code, k = {}, 0, 0
    for length, count in enumerate(bits, 1):
        for _ in range(count):
            codes[values[k]] = (code, length)
            code, k = code + 1, k + 1
        code <<= 1
    return codes


def write_gray_jpeg(path, image):
    """Baseline grayscale JPEG of an image made of 8x8 blocks of one level: quantization 1, DC only, so a libjpeg
    decoder reproduces every pixel exactly (DC = 8 (v - 128), and the integer IDCT of a DC-only block is v)."""
    height, width = image.shape
    assert height % 8 == 0 and width % 8 == 0
    dc_bits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0]  # the standard luminance DC table
    dc_values = list(range(12))
    ac_bits = [1] + [0] * 15  # one symbol: end of block
    dc_codes, eob = huffman_codes(dc_bits, dc_values), huffman_codes(ac_bits, [0])[0]

    def segment(marker, data):
        return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data

    out = bytearray(b"\xff\xd8")
    out += segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    out += segment(0xDB, b"\x00" + b"\x01" * 64)
    out += segment(0xC0, struct.pack(">BHHBBBB", 8, height, width, 1, 1, 0x11, 0))
    out += segment(0xC4, b"\x00" + bytes(dc_bits) + bytes(dc_values))
    out += segment(0xC4, b"\x10" + bytes(ac_bits) + b"\x00")
    out += segment(0xDA, struct.pack(">BBBBBB", 1, 1, 0x00, 0, 63, 0))
    bitstring, previous = [], 0
    for by in range(0, height, 8):
        for bx in range(0, width, 8):
            dc = 8 * (int(image[by, bx]) - 128)
            diff, previous = dc - previous, dc
            size = abs(diff).bit_length()
            code, length = dc_codes[size]
            bitstring.append(format(code, f"0{length}b"))
            if size:
                bitstring.append(format(diff if diff > 0 else diff + (1 << size) - 1, f"0{size}b"))
            bitstring.append(format(eob[0], f"0{eob[1]}b"))
    bitstring = "".join(bitstring)
    bitstring += "1" * (-len(bitstring) % 8)
    for i in range(0, len(bitstring), 8):
        byte = int(bitstring[i:i + 8], 2)
        out.append(byte)
        if byte == 0xFF:
            out.append(0)  # byte stuffing
    out += b"\xff\xd9"
    with open(path, "wb") as f:
        f.write(out)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)

    # decode_predictions reads imagenet_class_index.json from KERAS_HOME/models: the copy strata ships
    here = os.path.dirname(os.path.abspath(__file__))
    index_dir = os.path.join(keras_config.keras_home(), "models")
    os.makedirs(index_dir, exist_ok=True)
    shutil.copy(os.path.join(here, "..", "..", "applications", "data", "imagenet_class_index.json"), index_dir)

    images = {  # file: pixels (height, width, 3)
        "photo_224.png": photo(224, 224),       # already the model's size: no resizing on either side
        "photo_180x300.png": photo(180, 300),  # resized: taller, narrower
    }
    gray = blocks(192, 256, rng)
    write_gray_jpeg(os.path.join(out, "blocks_192x256.jpg"), gray)
    images["blocks_192x256.jpg"] = np.repeat(gray[..., None], 3, -1)
    for name, pixels in images.items():
        if name.endswith(".png"):
            write_png(os.path.join(out, name), pixels)
    resize = keras.layers.Resizing(224, 224)  # classify_image's resizing (bilinear)
    # float32 first, as img_to_array gives (Resizing would keep uint8 input uint8, rounded)
    batch = np.concatenate([x if x.shape[1:3] == (224, 224) else np.asarray(resize(x))
                            for x in (pixels[None].astype("float32") for pixels in images.values())])
    x = keras.applications.mobilenet_v2.preprocess_input(batch.copy())

    model = keras.applications.MobileNetV2(include_top=True, weights=None)
    randomize_normalization(model, rng)
    # weights=None's signal fades to nothing by the last block, so every image would score the same: take the moving
    # statistics from the test images and some noise (one training-mode pass with momentum 0), which keeps every
    # layer's activations at unit scale
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.momentum = 0.0
    noise = keras.applications.mobilenet_v2.preprocess_input(rng.uniform(0, 255, (5, 224, 224, 3)))
    model(np.concatenate([x, noise.astype("float32")]), training=True)
    save_published_layout(model, os.path.join(out, WEIGHTS))

    preds = np.asarray(model.predict(x, verbose=0))
    tops = keras.applications.mobilenet_v2.decode_predictions(preds, top=5)
    expected = {}
    for name, top, scores in zip(images, tops, preds):
        scores = np.sort(scores)[::-1][:6]
        gap = float(np.min((scores[:-1] - scores[1:]) / scores[:-1]))
        # the order must not hinge on float rounding: consecutive scores apart by far more than 1e-4
        assert gap > 5e-4, f"{name}: top scores too close ({scores}), pick another image or seed"
        expected[name] = [[wnid, description, float(score)] for wnid, description, score in top]
        print(f"{name}: " + ", ".join(f"{d} {s:.5f}" for _, d, s in top) + f" (smallest gap {gap:.2g})",
              file=sys.stderr)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)


if __name__ == "__main__":
    main()
