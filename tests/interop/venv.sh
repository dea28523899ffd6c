# Sourced by the scripts that run the real Keras (tests/interop/run.sh, tests/applications/run.sh):
# `interop_venv BUILD_DIR` creates (or reuses) BUILD_DIR/interop-venv with the pinned Keras, jax (CPU), h5py and
# numpy, under a lock so tests run in parallel by ctest build it once, and exports Keras's settings.
# `tensorboard_venv BUILD_DIR` does the same for BUILD_DIR/tensorboard-venv with the tensorboard package, whose
# event file reader checks strata's TensorBoard callback (kept apart: tensorboard pins protobuf and numpy itself).

# Pinned so a fresh machine reproduces the tested combination; the stamp makes a changed pin rebuild the venv.
interop_requirements=(keras==3.15.1 "jax[cpu]==0.10.2" h5py==3.16.0 numpy==2.4.6)
tensorboard_requirements=(tensorboard==2.20.0 numpy==2.4.6 protobuf==7.36.2)

# pinned_venv VENV REQUIREMENT...: creates VENV with exactly these pins unless its stamp says it has them.
pinned_venv() {
  local venv="$1"
  shift
  local stamp="$*"
  (
    flock 9
    if [[ ! -x $venv/bin/python || "$(cat "$venv/strata-stamp" 2>/dev/null)" != "$stamp" ]]; then
      rm -rf "$venv"
      python3 -m venv "$venv"
      "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
      echo "$stamp" >"$venv/strata-stamp"
    fi
  ) 9>"$venv.lock"
}

interop_venv() {
  pinned_venv "$1/interop-venv" "${interop_requirements[@]}"
  # Keras writes ~/.keras/keras.json on first import; keep it in the build folder and pin the backend.
  export KERAS_BACKEND=jax
  export KERAS_HOME="$1/interop-keras-home"
  export JAX_PLATFORMS=cpu
  export PYTHONWARNINGS=ignore
  export TF_CPP_MIN_LOG_LEVEL=3
}

tensorboard_venv() {
  pinned_venv "$1/tensorboard-venv" "${tensorboard_requirements[@]}"
}
