#!/usr/bin/env bash
# Installs the strata build in $1 into a scratch prefix, then configures, builds and runs tests/install/consumer
# against that prefix only.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <strata build directory>" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/strata-install-test.XXXXXX")
keep=""
trap 'if [[ -z $keep ]]; then rm -rf "$work"; fi' EXIT

step=""
fail() {
  keep=1
  echo "install_consumer: FAILED while $step (build dir $build_dir; scratch files kept in $work)" >&2
}
trap 'fail' ERR

step="installing strata (cmake --install)"
cmake --install "$build_dir" --prefix "$work/prefix"

step="configuring the consumer against the installed package"
generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
cmake -S "$here/consumer" -B "$work/build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
found=$(sed -n 's/^strata_DIR:PATH=//p' "$work/build/CMakeCache.txt")
if [[ $found != "$work/prefix"/* ]]; then
  keep=1
  echo "install_consumer: FAILED: find_package(strata) used '$found', not the package installed in $work/prefix" >&2
  exit 1
fi

step="building the consumer"
cmake --build "$work/build"

step="running the consumer"
output=$("$work/build/consumer")
if [[ $output != "(2, 3)" ]]; then
  keep=1
  echo "install_consumer: FAILED: the consumer printed '$output', expected '(2, 3)'" >&2
  exit 1
fi
echo "install_consumer: OK (installed package found at $found; consumer printed $output)"
