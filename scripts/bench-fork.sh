#!/usr/bin/env bash
# Baseline for the overhead benchmark: fork/exec the commands one agent RPC runs, from bash,
# N times, printing each iteration's wall time in microseconds (bash 5 EPOCHREALTIME).
# Usage: bench-fork.sh N CMD1 ARGS... [-- CMD2 ARGS...]   (argv only; the commands are read-only)
# Exit code 2 of a command (blkid: nothing found) counts as success, like the agent's Blkid.result.
set -uo pipefail
n="$1"; shift
cmd1=(); cmd2=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do cmd1+=("$1"); shift; done
[ $# -gt 0 ] && shift
cmd2=("$@")
for ((i = 0; i < n; i++)); do
  t0=$EPOCHREALTIME
  "${cmd1[@]}" >/dev/null; rc=$?
  if [ "${#cmd2[@]}" -gt 0 ]; then "${cmd2[@]}" >/dev/null || rc=$?; fi
  t1=$EPOCHREALTIME
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 2 ]; then echo "command failed with exit $rc" >&2; exit 1; fi
  echo $(( (${t1/./} - ${t0/./}) ))
done
