#!/usr/bin/env bash
# Benchmarks (docs/benchmarks.md): agent cold start + RSS with/without AppCDS, and per-RPC overhead.
# Builds with -Pbench, then runs io.brickyard.bench.BenchMain against the real agent jar with the
# JVM flags shipped in deploy/sysconfig/brickyard-agent. Needs root (blkid -p on a block device).
#   scripts/bench.sh [startup|overhead|all]   RUNS=10 CALLS=200 DEVICE=/dev/X SKIP_BUILD=1
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -o -q -B package -DskipTests -Pbench -pl bench -am   # package, not install: ~/.m2 may be shared
fi
# The shipped flags: exactly what the systemd unit passes (the sysconfig file is plain KEY="value").
flags="$(. deploy/sysconfig/brickyard-agent && echo "$BRICKYARD_AGENT_JAVA_OPTS")"
work="$(mktemp -d /tmp/brickyard-bench.XXXXXX)"
loop=""
cleanup() { [ -n "$loop" ] && losetup -d "$loop"; rm -rf "$work"; }
trap cleanup EXIT
# GetFilesystem needs a block device blkid may probe: by default a fresh XFS on a loop device.
device="${DEVICE:-}"
if [ -z "$device" ]; then
  truncate -s 300M "$work/disk.img"
  loop="$(losetup -f --show "$work/disk.img")"
  mkfs.xfs -q "$loop"
  device="$loop"
fi
java -jar bench/target/brickyard-bench.jar "$what" --agent-jar agent/target/brickyard-agent.jar \
  --java-opts "$flags" --work "$work" --runs "${RUNS:-10}" --calls "${CALLS:-200}" \
  --device "$device" --fork-script scripts/bench-fork.sh
