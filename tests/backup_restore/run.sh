#!/usr/bin/env bash
# BackupAndRestore survives SIGKILL: strata_backup_restore_child trains uninterrupted once; then a second run is killed
# with SIGKILL mid-epoch (epoch 2, after its 13th batch; its last backup was after the 12th) and rerun with the same
# backup directory. The rerun must end with exactly the uninterrupted run's weights (byte for byte), the same epoch
# logs for the epochs it ran, the same optimizer iteration count, and remove the backup when done.
# Usage: tests/backup_restore/run.sh <strata build directory>
set -euo pipefail
build_dir=$(cd "$1" && pwd)
child="$build_dir/tests/strata_backup_restore_child"
work="$build_dir/backup_restore"
rm -rf "$work"
mkdir -p "$work"
fail() { echo "backup_restore: FAILED: $*" >&2; exit 1; }

"$child" "$work/backup-ref" "$work/ref.weights" >"$work/ref.out" || fail "the uninterrupted run failed"
[[ ! -e $work/backup-ref ]] || fail "the uninterrupted run left its backup directory (delete_checkpoint)"

"$child" "$work/backup" "$work/killed.weights" 13 >"$work/killed.out" &
pid=$!
for _ in $(seq 600); do
  grep -q "paused at 13" "$work/killed.out" 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || fail "the run to kill ended before pausing: $(cat "$work/killed.out")"
  sleep 0.1
done
grep -q "paused at 13" "$work/killed.out" || { kill -KILL "$pid"; fail "the run to kill never paused"; }
kill -KILL "$pid"
status=0
wait "$pid" || status=$?
[[ $status -eq 137 ]] || fail "expected the child to die of SIGKILL (status 137), got $status"
[[ ! -e $work/killed.weights ]] || fail "the killed run got to the end"
meta="$work/backup/training_metadata.json"
[[ -f $meta ]] || fail "no backup after the kill"
grep -q '"epoch":1' "$meta" && grep -q '"batches_done":5' "$meta" ||
  fail "the backup is not the one after the 12th batch (epoch 1, 5 batches done): $(cat "$meta")"

"$child" "$work/backup" "$work/resumed.weights" >"$work/resumed.out" || fail "the resumed run failed"
cmp "$work/ref.weights" "$work/resumed.weights" || fail "the resumed run's weights differ from the uninterrupted run's"
[[ ! -e $work/backup ]] || fail "the resumed run left its backup directory (delete_checkpoint)"

# the resumed run logs epochs 2 and 3 (the second restored mid-epoch): the uninterrupted run's last two epochs
python3 - "$work/ref.out" "$work/resumed.out" <<'PY' || fail "the resumed run's logs differ"
import sys
def read(path):
    rows = {}
    for line in open(path):
        name, *values = line.split()
        rows[name] = [float(v) for v in values]
    return rows
ref, resumed = read(sys.argv[1]), read(sys.argv[2])
assert ref["iterations"] == resumed["iterations"] == [21.0], (ref["iterations"], resumed["iterations"])
assert set(ref) == set(resumed), (sorted(ref), sorted(resumed))
for name in ref:
    if name == "iterations":
        continue
    want, got = ref[name][-2:], resumed[name]
    assert len(got) == 2, (name, got)
    for a, b in zip(want, got):
        assert abs(a - b) <= 1e-9 * max(1.0, abs(a)), (name, want, got)
print("logs of the resumed epochs equal the uninterrupted run's:", {k: resumed[k] for k in resumed})
PY
echo "backup_restore: OK (weights byte-identical after SIGKILL and resume)"
