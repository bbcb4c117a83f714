#!/usr/bin/env bash
# The main job on a fresh machine: install dependencies, build, bring up the lab, show the nodes.
# NODES=3 scripts/lab.sh for three storage hosts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
mvn -B -q -DskipTests install
bin/brickyard lab up --nodes "${NODES:-2}"
bin/brickyard nodes
