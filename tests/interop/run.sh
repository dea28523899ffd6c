#!/usr/bin/env bash
# strata against the real Keras, both ways. Usage: tests/interop/run.sh <strata build directory>
#  1. creates (or reuses) a Python venv with pinned Keras, jax (CPU), h5py and numpy in <build>/interop-venv
#  2. make_keras_models.py: Keras builds, trains and saves models, with inputs and its outputs
#  3. strata_interop_tests: strata loads them and reproduces the outputs; then saves its own models
#  4. check_strata_models.py: Keras loads strata's files and reproduces strata's outputs
#  5. check_tensorboard.py (in a second venv, <build>/tensorboard-venv, with the tensorboard package): the event files
#     strata's TensorBoard callback wrote in step 3 read back with tensorboard's own reader
#  6. with STRATA_TF_PYTHON set (a Python with TensorFlow 2): check_tf_keras.py, tf.keras loads strata's Keras 2
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

step=""
trap 'echo "interop: FAILED while $step (files in $work)" >&2' ERR

if [[ ! -x $binary ]]; then
  echo "interop: $binary is missing; build the strata_interop_tests target first" >&2
  exit 1
fi

step="creating the Python venv in $venv"
source "$here/venv.sh"
interop_venv "$build_dir"

rm -rf "$work"
mkdir -p "$work/keras" "$work/strata"

step="saving models with Keras (make_keras_models.py)"
"$venv/bin/python" "$here/make_keras_models.py" "$work/keras" 2>"$work/make_keras_models.log" ||
  { cat "$work/make_keras_models.log" >&2; false; }

step="loading Keras's models in strata and saving strata's (strata_interop_tests)"
STRATA_INTEROP_KERAS_DIR="$work/keras" STRATA_INTEROP_STRATA_DIR="$work/strata" \
  STRATA_TENSORBOARD_DIR="$work/tensorboard" "$binary"

step="loading strata's models in Keras (check_strata_models.py)"
"$venv/bin/python" "$here/check_strata_models.py" "$work/strata" 2>"$work/check_strata_models.log" ||
  { cat "$work/check_strata_models.log" >&2; false; }
step="creating the tensorboard venv in $build_dir/tensorboard-venv"
tensorboard_venv "$build_dir"
step="reading strata's TensorBoard event files with tensorboard (check_tensorboard.py)"
"$build_dir/tensorboard-venv/bin/python" "$here/check_tensorboard.py" "$work/tensorboard" \
  2>"$work/check_tensorboard.log" || { cat "$work/check_tensorboard.log" >&2; false; }
if [[ -n ${STRATA_TF_PYTHON:-} ]]; then
  step="loading strata's Keras 2 dialect files in tf.keras (check_tf_keras.py with $STRATA_TF_PYTHON)"
  "$STRATA_TF_PYTHON" "$here/check_tf_keras.py" "$work/strata" 2>"$work/check_tf_keras.log" ||
    { cat "$work/check_tf_keras.log" >&2; false; }
fi
echo "interop: OK"
