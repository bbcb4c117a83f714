#!/usr/bin/env bash
# The whole test suite on a fresh machine: unit tests, then the real-software tiers
# (lab: namespaces + real glusterd/firewalld/XFS; vm: real LVM on device-mapper in qemu).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mvn -B -Pe2e verify "$@"
