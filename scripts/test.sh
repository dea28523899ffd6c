#!/usr/bin/env bash
# Installs dependencies, builds strata (Release, build/) and runs the test suite; extra arguments go to ctest.
# Without arguments every test but the `slow` label runs (all applications: `scripts/test.sh -L slow`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/build.sh
if [[ $# -eq 0 ]]; then set -- -LE slow; fi
ctest --test-dir build --output-on-failure -j2 "$@"
