"""Writes the numpy-made .npy/.npz files that tests/unit/test_npy.cpp reads (run with the interop venv's python:
   /tmp/kvenv/bin/python tests/data/npy/make_npy_files.py). Values are formulas the test recomputes."""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def save(name, array, version=None):
    with open(os.path.join(here, name), "wb") as f:
        np.lib.format.write_array(f, array, version=version, allow_pickle=False)


grid = np.arange(24).reshape(2, 3, 4)  # value at (i, j, k) = 12 i + 4 j + k
save("f4_le.npy", (grid * 0.5 - 3).astype("<f4"))
save("f8_be.npy", (grid * 0.25 - 1).astype(">f8"))
save("f2_le.npy", (grid - 12).astype("<f2"))
save("i1.npy", (grid - 12).astype("i1"))
save("i2_be.npy", (grid * -1000).astype(">i2"))
save("u2_le.npy", (grid * 2000).astype("<u2"))
save("i4_be.npy", (grid * -100000).astype(">i4"))
save("u4_be.npy", (grid * 150000000).astype(">u4"))
save("i8_le.npy", (grid * -(10**15)).astype("<i8"))
save("u8_be.npy", (grid * 10**17).astype(">u8"))
save("u1.npy", (grid * 10).astype("u1"))
save("bool.npy", (grid % 3 == 0))
save("fortran_f4.npy", np.asfortranarray((grid * 0.5 - 3).astype("<f4")))
save("fortran_i8_be.npy", np.asfortranarray((grid * -(10**15)).astype(">i8")))
save("v2_f4.npy", (grid * 0.5 - 3).astype("<f4"), version=(2, 0))
save("v3_i4.npy", (grid * -100000).astype("<i4"), version=(3, 0))
save("scalar_f8.npy", np.array(2.5))
save("empty_f4.npy", np.zeros((0, 3), "<f4"))
save("complex.npy", np.arange(3, dtype="c8"))
save("strings.npy", np.array(["a", "bc"]))
save("u8_too_big.npy", np.array([1, 2**64 - 1], dtype="<u8"))
np.savez(os.path.join(here, "stored.npz"), a=(grid * 0.5 - 3).astype("<f4"), b=(grid * 10).astype("u1"))
np.savez_compressed(os.path.join(here, "deflated.npz"), a=(grid * 0.5 - 3).astype(">f8"), labels=np.arange(5))
