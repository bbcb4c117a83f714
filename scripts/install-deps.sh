#!/usr/bin/env bash
# Installs what building, the lab and the test tiers need (Debian/Ubuntu or RHEL family). Idempotent.
set -euo pipefail
if [ "$(id -u)" != 0 ]; then echo "install-deps: run as root (sudo)" >&2; exit 2; fi
DEBIAN_PKGS=(openjdk-17-jdk-headless maven
  glusterfs-server glusterfs-client nfs-ganesha nfs-ganesha-gluster firewalld lvm2 xfsprogs rpcbind dbus
  libnfs-utils iproute2 iputils-arping iputils-ping util-linux fdisk e2fsprogs procps kmod
  systemd qemu-system-x86 linux-image-amd64 busybox-static
  rpm dpkg-dev lintian asciidoctor man-db systemd-container zsh)
RHEL_PKGS=(java-17-openjdk-devel maven glusterfs-server glusterfs-fuse nfs-ganesha nfs-ganesha-gluster nfs-utils firewalld
  lvm2 xfsprogs rpcbind dbus-daemon libnfs-utils iproute iputils util-linux e2fsprogs procps-ng kmod qemu-kvm kernel-core busybox
  rpm-build rubygem-asciidoctor man-db systemd-container zsh)
if command -v apt-get >/dev/null; then
  missing=()
  for p in "${DEBIAN_PKGS[@]}"; do dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null | grep -qx installed || missing+=("$p"); done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  # promtool (alert rule checks in `mvn test`, deploy/src/test PromtoolTest) and the prometheus server
  # (the e2e PrometheusLabTest). Without recommends: no node-exporter. Adds ~19 MB download,
  # ~96 MB installed, ~12 s on the 2-core build machine.
  if ! dpkg-query -W -f '${db:Status-Status}' prometheus 2>/dev/null | grep -qx installed; then
    echo "install-deps: installing prometheus (promtool)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null
  fi
elif command -v dnf >/dev/null; then
  dnf install -y -q "${RHEL_PKGS[@]}"
  # RHEL ships no prometheus/promtool package: PromtoolTest fails until promtool is on PATH (the
  # upstream release tarball's promtool binary will do).
  command -v promtool >/dev/null || echo "install-deps: put promtool on PATH (prometheus release tarball)" >&2
else
  echo "install-deps: need apt-get or dnf" >&2; exit 2
fi
# apt starts services where systemd runs; the lab runs its own per host, so stop machine-wide ones
# that would hold the lab's ports in the root namespace (no-op where nothing runs).
for s in glusterd nfs-ganesha rpcbind; do systemctl stop "$s" >/dev/null 2>&1 || true; done
