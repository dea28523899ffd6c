#!/usr/bin/env bash
# strata against the real Keras, both ways. Usage: tests/interop/run.sh <strata build directory>
#  1. creates (or reuses) a Python venv with pinned Keras, jax (CPU), h5py and numpy in <build>/interop-venv
#  2. make_keras_models.py: Keras builds, trains and saves models, with inputs and its outputs
#  3. strata_interop_tests: strata loads them and reproduces the outputs; then saves its own models
#  4. check_strata_models.py: Keras loads strata's files and reproduces strata's outputs
#  5. with STRATA_TF_PYTHON set (a Python with TensorFlow 2): check_tf_keras.py, tf.keras loads strata's Keras 2
#     dialect files
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <strata build directory>" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv="$build_dir/interop-venv"
work="$build_dir/interop"
binary="$build_dir/tests/strata_interop_tests"

# Pinned so a fresh machine reproduces the tested combination; the stamp makes a changed pin rebuild the venv.
requirements=(keras==3.15.1 "jax[cpu]==0.10.2" h5py==3.16.0 numpy==2.4.6)
stamp="${requirements[*]}"

step=""
trap 'echo "interop: FAILED while $step (files in $work)" >&2' ERR

if [[ ! -x $binary ]]; then
  echo "interop: $binary is missing; build the strata_interop_tests target first" >&2
  exit 1
fi

step="creating the Python venv in $venv"
if [[ ! -x $venv/bin/python || "$(cat "$venv/strata-stamp" 2>/dev/null)" != "$stamp" ]]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
  echo "$stamp" >"$venv/strata-stamp"
fi

# Keras writes ~/.keras/keras.json on first import; keep it in the build folder and pin the backend.
export KERAS_BACKEND=jax
export KERAS_HOME="$build_dir/interop-keras-home"
export JAX_PLATFORMS=cpu
export PYTHONWARNINGS=ignore
export TF_CPP_MIN_LOG_LEVEL=3

rm -rf "$work"
mkdir -p "$work/keras" "$work/strata"

step="saving models with Keras (make_keras_models.py)"
"$venv/bin/python" "$here/make_keras_models.py" "$work/keras" 2>"$work/make_keras_models.log" ||
  { cat "$work/make_keras_models.log" >&2; false; }

step="loading Keras's models in strata and saving strata's (strata_interop_tests)"
STRATA_INTEROP_KERAS_DIR="$work/keras" STRATA_INTEROP_STRATA_DIR="$work/strata" "$binary"

step="loading strata's models in Keras (check_strata_models.py)"
"$venv/bin/python" "$here/check_strata_models.py" "$work/strata" 2>"$work/check_strata_models.log" ||
  { cat "$work/check_strata_models.log" >&2; false; }
if [[ -n ${STRATA_TF_PYTHON:-} ]]; then
  step="loading strata's Keras 2 dialect files in tf.keras (check_tf_keras.py with $STRATA_TF_PYTHON)"
  "$STRATA_TF_PYTHON" "$here/check_tf_keras.py" "$work/strata" 2>"$work/check_tf_keras.log" ||
    { cat "$work/check_tf_keras.log" >&2; false; }
fi
echo "interop: OK"
