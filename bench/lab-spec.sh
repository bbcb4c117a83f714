#!/usr/bin/env bash
# Prints the spec equivalent to serial-recipe.sh for N lab hosts.
set -euo pipefail
N=${1:?usage: lab-spec.sh NODES}
cat <<YAML
apiVersion: brickyard/v1
kind: Cluster
metadata:
  name: bench$N
nodes:
YAML
for i in $(seq 1 "$N"); do printf '  - name: gluster%d\n    address: 10.77.0.%d:7443\n' "$i" $((10+i)); done
cat <<YAML
firewall:
  trustedSources: [10.77.0.0/24]
storage:
  defaults:
    - device: /dev/sdb
      mountPoint: /gluster/vol1/brick1
      fstabByUuid: false
    - device: /dev/sdc
      mountPoint: /gluster/vol2/brick1
      fstabByUuid: false
volumes:
  - name: vol1
    type: $([ "$N" -gt 2 ] && echo distributed-replicate || echo replicate)
    replica: 2
    bricks:
YAML
for i in $(seq 1 "$N"); do echo "      - gluster$i:/gluster/vol1/brick1/brick"; done
cat <<YAML
  - name: vol2
    type: distribute
    bricks:
YAML
for i in $(seq 1 "$N"); do echo "      - gluster$i:/gluster/vol2/brick1/brick"; done
