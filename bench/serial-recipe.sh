#!/usr/bin/env bash
# The recipe done by hand, one step after another, as a plain shell script would do it, inside a
# brickyard lab (the baseline for bench/apply-vs-script.sh). Hosts gluster1..N, disks /dev/sdb, /dev/sdc.
# vol1: replica 2 over every host's /dev/sdb (distributed when N > 2); vol2: distribute over /dev/sdc.
set -euo pipefail
N=${1:?usage: serial-recipe.sh NODES}
NS=/run/brickyard-lab/ns
on() { local h=$1; shift; nsenter --mount=$NS/$h.mnt --net=/run/netns/bylab-$h --uts=$NS/$h.uts -- "$@"; }
for i in $(seq 1 "$N"); do
  h=gluster$i
  on $h firewall-cmd --permanent --add-rich-rule='rule family="ipv4" source address="10.77.0.0/24" service name="glusterfs" accept' >/dev/null
  on $h firewall-cmd --add-rich-rule='rule family="ipv4" source address="10.77.0.0/24" service name="glusterfs" accept' >/dev/null
  for d in sdb:vol1 sdc:vol2; do
    dev=/dev/${d%%:*}; vol=${d##*:}
    on $h mkfs.xfs -q -i size=512 -n size=8192 $dev
    on $h mkdir -p /gluster/$vol/brick1
    # A shell string on purpose: this file is the hand-typed baseline the benchmark compares against
    # (the recipe's own `echo ... >> /etc/fstab`), never Brickyard code, which only runs argv lists.
    on $h sh -c "echo '$dev /gluster/$vol/brick1 xfs rw,noatime,nouuid,inode64 0 0' >> /etc/fstab"
    on $h mount /gluster/$vol/brick1
    on $h mkdir -p /gluster/$vol/brick1/brick
  done
done
for i in $(seq 2 "$N"); do on gluster1 gluster --mode=script peer probe gluster$i >/dev/null; done
# wait until every peer is connected, as a careful admin would before creating volumes
for _ in $(seq 1 100); do
  [ "$(on gluster1 gluster --mode=script peer status | grep -c 'Peer in Cluster (Connected)')" -eq $((N-1)) ] && break
  sleep 0.1
done
b1=(); b2=()
for i in $(seq 1 "$N"); do b1+=(gluster$i:/gluster/vol1/brick1/brick); b2+=(gluster$i:/gluster/vol2/brick1/brick); done
on gluster1 gluster --mode=script volume create vol1 replica 2 transport tcp "${b1[@]}" >/dev/null
on gluster1 gluster --mode=script volume start vol1 >/dev/null
on gluster1 gluster --mode=script volume create vol2 transport tcp "${b2[@]}" >/dev/null
on gluster1 gluster --mode=script volume start vol2 >/dev/null
