#!/usr/bin/env bash
# keras.applications in strata against the real Keras. Usage: tests/applications/run.sh <strata build directory> [ci|all]
#  1. reuses (or creates) the interop venv <build>/interop-venv, exactly as tests/interop/run.sh
#  2. make_keras_apps.py: Keras builds each application with weights=None, saves its weights, images and outputs
#  3. strata_applications_tests, once per case (a fresh process, as Keras's fresh session): strata builds the same
#     model, checks parameters and layers, loads the weights and reproduces the outputs
#  4. `strata summary` of a strata-saved model against Keras's summary text, where the case records one
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 <strata build directory> [ci|all]" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
subset=${2:-ci}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv="$build_dir/interop-venv"
work="$build_dir/applications-$subset"
binary="$build_dir/tests/strata_applications_tests"
cli="$build_dir/cli/strata"

step=""
trap 'echo "applications: FAILED while $step (files in $work)" >&2' ERR

if [[ ! -x $binary ]]; then
  echo "applications: $binary is missing; build the strata_applications_tests target first" >&2
  exit 1
fi

step="creating the Python venv in $venv"
source "$here/../interop/venv.sh"
interop_venv "$build_dir"

rm -rf "$work"
mkdir -p "$work"

step="building the applications with Keras (make_keras_apps.py)"
"$venv/bin/python" "$here/make_keras_apps.py" "$work" "$subset" 2>"$work/make_keras_apps.log" ||
  { cat "$work/make_keras_apps.log" >&2; false; }
cat "$work/make_keras_apps.log"

for case in $("$venv/bin/python" -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' \
  "$work/manifest.json"); do
  step="checking $case in strata (strata_applications_tests)"
  STRATA_APPLICATIONS_DIR="$work" STRATA_APPLICATIONS_CASE="$case" "$binary"
  if [[ -f $work/$case/strata_model.keras && -x $cli ]]; then
    step="comparing \`strata summary\` of $case with Keras's summary"
    "$cli" summary "$work/$case/strata_model.keras" >"$work/$case/strata_summary.txt"
    diff <(sed -e 's/[[:space:]]*$//' "$work/$case/summary.txt") \
      <(sed -e 's/[[:space:]]*$//' "$work/$case/strata_summary.txt")
    echo "applications: $case: strata summary matches Keras's"
  fi
  # the weights of the big models take disk space; the case has been checked
  rm -f "$work/$case"/*.h5
done
echo "applications: OK"
