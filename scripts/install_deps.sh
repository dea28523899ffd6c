#!/usr/bin/env bash
# Installs the Debian packages strata needs to build, test and run its examples; only the missing ones.
# clang, its compiler-rt (libFuzzer, ASan, UBSan) and LLVM's OpenMP build the reader fuzz targets (tests/fuzz).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libdnnl-dev libhdf5-dev libzip-dev nlohmann-json3-dev libspdlog-dev libcli11-dev doctest-dev zlib1g-dev
  libpng-dev libjpeg62-turbo-dev
  dataset-fashion-mnist
  clang libclang-rt-dev libomp-dev
  python3 python3-venv
)

missing=()
for package in "${packages[@]}"; do
  # A removed package can keep its dpkg record ("deinstall ok config-files"), so check the status itself.
  if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed$'; then
    missing+=("$package")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "install_deps: all ${#packages[@]} packages are installed"
  exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if ! command -v sudo >/dev/null; then
    echo "install_deps: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install_deps: installing ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
