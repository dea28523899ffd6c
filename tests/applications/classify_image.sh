#!/usr/bin/env bash
# examples/classify_image against the real Keras. Usage: tests/applications/classify_image.sh <strata build directory>
#  1. reuses (or creates) the interop venv <build>/interop-venv, exactly as tests/interop/run.sh
#  2. make_classify_image.py: Keras builds MobileNetV2 (weights=None, fixed seed), saves its weights in the published
#     layout, writes PNG and JPEG images and records decode_predictions' top 5 for each
#  3. classify_image on each image must print the same 5 classes in order, scores within 1e-4 relative
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: $0 <strata build directory>" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
venv="$build_dir/interop-venv"
work="$build_dir/example-classify-image"
binary="$build_dir/examples/classify_image"

if [[ ! -x $binary ]]; then
  echo "classify_image test: $binary is missing; build the classify_image target first" >&2
  exit 1
fi
source "$here/../interop/venv.sh"
interop_venv "$build_dir"

rm -rf "$work"
mkdir -p "$work"
"$venv/bin/python" "$here/make_classify_image.py" "$work" 2>"$work/make_classify_image.log" ||
  { cat "$work/make_classify_image.log" >&2; exit 1; }

for image in $("$venv/bin/python" -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))))' \
  "$work/expected.json"); do
  "$binary" "$work/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5" "$work/$image" mobilenetv2 \
    | tee "$work/$image.txt"
done

"$venv/bin/python" - "$work" <<'PY'
import json, os, sys
work = sys.argv[1]
failed = False
for image, keras_top in json.load(open(os.path.join(work, "expected.json"))).items():
    lines = open(os.path.join(work, image + ".txt")).read().splitlines()[1:]
    strata_top = [(wnid, float(score)) for wnid, _, score in (line.split() for line in lines)]
    ids_match = [wnid for wnid, _ in strata_top] == [wnid for wnid, _, _ in keras_top]
    error = max(abs(s - k) / k for (_, s), (_, _, k) in zip(strata_top, keras_top)) if ids_match else float("inf")
    print(f"{image}: Keras {[d for _, d, _ in keras_top]}; same top 5 in order: {ids_match}, "
          f"max relative score error {error:.2g}")
    failed |= not ids_match or not error < 1e-4
sys.exit(1 if failed else 0)
PY
echo "classify_image: OK"
