#!/usr/bin/env bash
# Installs dependencies, builds strata (Release, build/) and trains the Fashion-MNIST example.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/build.sh
(cd build && examples/fashion_mnist) | tee build/fashion_mnist.log
# the job's bar: a real model on the real data, at least 0.91 test accuracy
python3 - <<'CHECK'
import re, sys
text = open("build/fashion_mnist.log", encoding="utf-8", errors="replace").read()
match = re.search(r"Test accuracy: ([0-9.]+)", text)
if not match:
    sys.exit("main_job: the example printed no test accuracy")
accuracy = float(match.group(1))
print(f"main_job: test accuracy {accuracy:.4f} (required: 0.91)")
sys.exit(0 if accuracy >= 0.91 else 1)
CHECK
