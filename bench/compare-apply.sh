#!/usr/bin/env bash
# Benchmark: the 2-node lab apply of two builds, interleaved run by run on the same machine, so that a
# change can be shown not to slow apply down (issue #9's acceptance). Each run: lab up, one untimed
# `nodes` (records the CLI's class archive), then the timed apply from bare hosts and the timed no-op
# apply, then lab down. Usage (as root, idle machine, both checkouts built with
# `mvn -q -DskipTests package`): bench/compare-apply.sh OLD_CHECKOUT NEW_CHECKOUT [RUNS] [NODES]
set -euo pipefail
old=$(cd "$1" && pwd); new=$(cd "$2" && pwd); runs=${3:-3}; nodes=${4:-2}
here="$(cd "$(dirname "$0")/.." && pwd)"
spec=$(mktemp --suffix=.yaml)
"$here/bench/lab-spec.sh" "$nodes" > "$spec"
t() { local s; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; exit 1; }; awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN{print b-a}'; }
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1 /proc/loadavg)"
echo "old: $(git -C "$old" log --oneline -1)"
echo "new: $(git -C "$new" log --oneline -1)"
for r in $(seq 1 "$runs"); do
  for which in old new; do
    dir=${!which}
    B="$dir/bin/brickyard"
    "$B" lab up --nodes "$nodes" >/dev/null
    "$B" nodes >/dev/null 2>&1 || true
    a=$(t "$B" apply -f "$spec" --yes --progress plain)
    n=$(t "$B" apply -f "$spec" --yes)
    "$B" lab down >/dev/null
    printf 'run=%d build=%s nodes=%d apply=%.2fs noop_apply=%.2fs\n' "$r" "$which" "$nodes" "$a" "$n"
  done
done
rm -f "$spec"
