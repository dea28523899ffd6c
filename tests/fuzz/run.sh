#!/usr/bin/env bash
# Builds the reader fuzz targets with clang + ASan + UBSan in BUILD_DIR/fuzz (cached across runs), writes
# their seed corpora with strata, replays the committed regression inputs, then fuzzes each target for a fixed
# number of inputs from a fixed seed and a fresh corpus: every machine runs the same inputs, so a green run
# here is a green run on CI. Fails on any crash, sanitizer report, non-strata exception, timeout or memory
# blow-up, printing the reproducer's path.
#
# usage: tests/fuzz/run.sh BUILD_DIR
# environment: FUZZ_RUNS (inputs per target; default a per-target count of about 25 s on CI),
#   FUZZ_SECONDS (a cap per target, default 120; a capped run is a prefix of the same inputs),
#   FUZZ_TIMEOUT (per input, default 10), FUZZ_RSS_MB (default 2048), FUZZ_TARGETS (default "fuzz_h5
#   fuzz_json fuzz_keras fuzz_npy fuzz_idx fuzz_image"), FUZZ_JOBS (build, default 2),
#   FUZZ_SEED (libFuzzer's -seed, default 1; 0 picks a random one, for longer exploratory runs)
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 <strata build directory>" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source_dir=$(cd "$here/../.." && pwd)
fuzz_dir=$build_dir/fuzz
seconds=${FUZZ_SECONDS:-120}
# inputs per target: about 25 s each on CI's machine (the HDF5 readers run ~70 inputs/s under ASan)
declare -A default_runs=([fuzz_h5]=2000 [fuzz_json]=60000 [fuzz_keras]=2000 [fuzz_npy]=500000 [fuzz_idx]=10000
                         [fuzz_image]=800000)
per_input=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
targets=(${FUZZ_TARGETS:-fuzz_h5 fuzz_json fuzz_keras fuzz_npy fuzz_idx fuzz_image})

for tool in clang clang++; do
  if ! command -v "$tool" >/dev/null; then
    echo "fuzz: FAILED: $tool not found; libFuzzer needs clang (scripts/install_deps.sh installs it)" >&2
    exit 1
  fi
done

generator=()
if command -v ninja >/dev/null; then generator=(-G Ninja); fi
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
# the build's output goes to a log, so a failure report is the first thing the test prints
mkdir -p "$fuzz_dir"
build_log=$fuzz_dir/build.log
if ! { [[ -f $fuzz_dir/CMakeCache.txt ]] ||
       cmake -S "$source_dir" -B "$fuzz_dir" "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Debug \
         -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DSTRATA_FUZZ=ON; } >"$build_log" 2>&1 ||
   ! cmake --build "$fuzz_dir" -j"${FUZZ_JOBS:-2}" --target "${targets[@]}" make_fuzz_seeds >>"$build_log" 2>&1; then
  tail -n 60 "$build_log" >&2
  echo "fuzz: FAILED to build the fuzz targets (log: $build_log)" >&2
  exit 1
fi
echo "fuzz: built ${targets[*]} (log: $build_log)"

seeds=$fuzz_dir/seeds
rm -rf "$seeds"
# a fixed save time, so the seed archives (and the inputs derived from them) are the same bytes on every run
SOURCE_DATE_EPOCH=1700000000 "$fuzz_dir/tests/fuzz/make_fuzz_seeds" "$seeds"

# the same inputs on every run: no address randomization (pointer values reach libFuzzer's comparison hints) and
# no corpus reloads (timed), where the machine allows it
fixed_addresses=()
if setarch "$(uname -m)" -R true 2>/dev/null; then fixed_addresses=(setarch "$(uname -m)" -R); fi

failed=()
for target in "${targets[@]}"; do
  format=${target#fuzz_}
  binary=$fuzz_dir/tests/fuzz/$target
  artifacts=$fuzz_dir/artifacts/$target
  corpus=$fuzz_dir/corpus/$target  # what the fuzzer finds in this run
  runs=${FUZZ_RUNS:-${default_runs[$target]:-10000}}
  rm -rf "$artifacts" "$corpus"
  mkdir -p "$artifacts" "$corpus"
  committed=$here/corpus/$format

  # the inputs that once crashed a reader must keep loading without one
  if [[ -d $committed ]] && compgen -G "$committed/*" >/dev/null; then
    echo "fuzz: $target: replaying $(ls "$committed" | wc -l) committed inputs from $committed"
    if ! "$binary" -rss_limit_mb="$rss_mb" -timeout="$per_input" "$committed"/* >"$artifacts/replay.log" 2>&1; then
      tail -n 60 "$artifacts/replay.log" >&2
      echo "fuzz: $target: FAILED replaying the committed inputs (log: $artifacts/replay.log)" >&2
      failed+=("$target")
      continue
    fi
  fi

  dirs=("$corpus" "$seeds/$format")
  [[ -d $committed ]] && dirs+=("$committed")
  echo "fuzz: $target: fuzzing $runs inputs, seed ${FUZZ_SEED:-1} (at most ${seconds}s; per-input timeout" \
    "${per_input}s, RSS limit ${rss_mb} MB)"
  set +e
  "${fixed_addresses[@]}" "$binary" -seed="${FUZZ_SEED:-1}" -runs="$runs" -reload=0 -max_total_time="$seconds" \
    -timeout="$per_input" -rss_limit_mb="$rss_mb" \
    -dict="$here/$format.dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "${dirs[@]}" >"$artifacts/fuzz.log" 2>&1
  rc=$?
  set -e
  grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::new_units_added)" "$artifacts/fuzz.log" || true
  if [[ $rc -ne 0 ]]; then
    # the finding's headline first (CI shows the beginning of a long output), then the log's end
    grep -m 8 -E "ERROR|SUMMARY|runtime error|deadly signal|Test unit written|terminate called|what\(\)" \
      "$artifacts/fuzz.log" >&2 || true
    tail -n 40 "$artifacts/fuzz.log" >&2
    echo "fuzz: $target: FAILED (exit $rc); reproducer(s):" >&2
    ls -1 "$artifacts"/{crash,leak,timeout,oom,slow-unit}-* 2>/dev/null >&2 || true
    echo "fuzz: replay one with: $binary <reproducer>   (full log: $artifacts/fuzz.log)" >&2
    failed+=("$target")
  fi
done

if [[ ${#failed[@]} -ne 0 ]]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: all targets ran without a crash: ${targets[*]}"
