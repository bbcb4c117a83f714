#!/usr/bin/env bash
# Builds the Debian 12 packages brickyard, brickyard-agent, brickyard-coordinator and brickyard-zookeeper with the same
# layout as the RPMs (deploy/rpm/brickyard.spec), from the prebuilt jars and cli/target/cli-docs:
#   scripts/deb.sh            -> target/deb/brickyard*_VERSION-1_all.deb (SKIP_BUILD=1 reuses the build)
# Differences from the RPMs, both Debian's conventions: units in /lib/systemd/system, the
# environment files in /etc/default, zsh completion in /usr/share/zsh/vendor-completions.
# Like the RPMs, units are installed disabled (enable them once the TLS files are in place) and
# running daemons are restarted on upgrade.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's/^Version: *//p' deploy/rpm/brickyard.spec)"
release="$(sed -n 's/^Release: *\([0-9]*\).*/\1/p' deploy/rpm/brickyard.spec)"
debver="$version-$release"
out="$PWD/target/deb"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -o -q -B package -DskipTests -pl agent,coordinator,cli -am
fi
command -v asciidoctor >/dev/null || { echo "deb.sh: asciidoctor missing (apt-get install asciidoctor)" >&2; exit 2; }
for f in agent/target/brickyard-agent.jar coordinator/target/brickyard-coordinator.jar cli/target/brickyard-cli.jar \
    cli/target/cli-docs/completion/brickyard; do
  test -s "$f" || { echo "deb.sh: missing $f (build first, or drop SKIP_BUILD)" >&2; exit 1; }
done
rm -rf "$out" && mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Reproducible timestamps: the commit's date (gzip -n leaves names and times out of the .gz).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
changes_date="$(date -u -R -d "@$SOURCE_DATE_EPOCH")"
maintainer="Brickyard developers <brickyard@example.com>"

# Every package: copyright and changelog in /usr/share/doc/PKG, as Debian policy asks.
docs() {
  local root="$1" pkg="$2"
  install -d "$root/usr/share/doc/$pkg"
  cat > "$root/usr/share/doc/$pkg/copyright" <<EOC
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: brickyard
Source: https://github.com/brickyard/brickyard

Files: *
Copyright: 2026 Brickyard developers
License: Apache-2.0
 On Debian systems, the full text of the Apache License 2.0 is in
 /usr/share/common-licenses/Apache-2.0.
EOC
  printf '%s (%s) bookworm; urgency=medium\n\n  * Package %s (same layout as the RPM, see docs/deploy.md).\n\n -- %s  %s\n' \
    "$pkg" "$debver" "$version" "$maintainer" "$changes_date" | gzip -9n > "$root/usr/share/doc/$pkg/changelog.Debian.gz"
}

# Lintian overrides for what is deliberate here (each with its reason, as lintian shows them).
overrides() {
  local root="$1" pkg="$2"; shift 2
  install -d "$root/usr/share/lintian/overrides"
  printf '%s\n' "$@" > "$root/usr/share/lintian/overrides/$pkg"
}
common_overrides=(
  "# Not uploaded to Debian: the changelog closes no Debian bug."
  "initial-upload-closes-no-bugs"
  "# bcprov's multi-release classes for JDK 25 (META-INF/versions/25): JDK 17 never loads them."
  "unknown-java-class-version"
  "# The TLS directory holds private keys: root and (coordinator) group brickyard only, see deploy.md."
  "non-standard-dir-perm 0750 != 0755 [etc/brickyard/]"
  "non-standard-dir-perm 0750 != 0755 [etc/brickyard/tls/]")

# control PKG DEPENDS DESCRIPTION-FIRST-LINE DESCRIPTION-BODY
control() {
  local root="$1" pkg="$2" depends="$3" summary="$4" body="$5"
  install -d "$root/DEBIAN"
  {
    echo "Package: $pkg"
    echo "Version: $debver"
    echo "Architecture: all"
    echo "Maintainer: $maintainer"
    echo "Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)"
    echo "Depends: $depends"
    echo "Section: admin"
    echo "Priority: optional"
    echo "Homepage: https://github.com/brickyard/brickyard"
    echo "Description: $summary"
    printf '%s\n' "$body" | fold -s -w 78 | sed 's/ *$//; s/^/ /'
  } > "$root/DEBIAN/control"
  (cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | LC_ALL=C sort | xargs -r md5sum) > "$root/DEBIAN/md5sums"
  if [ -d "$root/etc" ]; then
    (cd "$root" && find etc -type f -printf '/%p\n' | LC_ALL=C sort) > "$root/DEBIAN/conffiles"
    [ -s "$root/DEBIAN/conffiles" ] || rm -f "$root/DEBIAN/conffiles"
  fi
}

script() { install -m 0755 /dev/stdin "$1"; }

build() {
  local root="$1" pkg="$2"
  find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
  dpkg-deb --root-owner-group -Zgzip --build "$root" "$out/${pkg}_${debver}_all.deb" >/dev/null
}

# Maintainer scripts of a package with one systemd unit, as the RPM's %systemd_post, %systemd_preun and
# %systemd_postun_with_restart: installed disabled, a running daemon restarted on upgrade, stopped and
# disabled on removal. CONFIGURE (optional): shell lines postinst runs first on configure; REMOVED
# (optional): lines postrm runs on remove and purge.
unit_scripts() {
  local root="$1" unit="$2" configure="${3:-:}" removed="${4:-:}"
  script "$root/DEBIAN/postinst" <<EOS
#!/bin/sh
set -e
if [ "\$1" = configure ]; then
$configure
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
    if [ -n "\$2" ]; then deb-systemd-invoke try-restart $unit >/dev/null 2>&1 || true; fi
  fi
fi
exit 0
EOS
  script "$root/DEBIAN/prerm" <<EOS
#!/bin/sh
set -e
if [ "\$1" = remove ] && [ -d /run/systemd/system ]; then
  deb-systemd-invoke stop $unit >/dev/null 2>&1 || true
fi
if [ "\$1" = remove ]; then deb-systemd-helper disable $unit >/dev/null 2>&1 || true; fi
exit 0
EOS
  script "$root/DEBIAN/postrm" <<EOS
#!/bin/sh
set -e
if [ "\$1" = remove ] || [ "\$1" = purge ]; then
$removed
  if [ -d /run/systemd/system ]; then systemctl daemon-reload >/dev/null 2>&1 || true; fi
fi
exit 0
EOS
}

java_dep="openjdk-17-jre-headless | java17-runtime-headless"

# --- brickyard: the CLI -------------------------------------------------------------------------
r="$work/brickyard"
install -D -m 0755 deploy/bin/brickyard "$r/usr/bin/brickyard"
install -D -m 0644 cli/target/brickyard-cli.jar "$r/usr/share/brickyard/brickyard-cli.jar"
install -D -m 0644 cli/target/cli-docs/completion/brickyard "$r/usr/share/bash-completion/completions/brickyard"
install -D -m 0644 cli/target/cli-docs/completion/_brickyard "$r/usr/share/zsh/vendor-completions/_brickyard"
install -d "$r/usr/share/man/man1" "$work/man"
asciidoctor -b manpage -a mansource="Brickyard $version" -a docdate="$(date -u -d "@$SOURCE_DATE_EPOCH" +%F)" \
  -D "$work/man" cli/target/cli-docs/man-adoc/*.adoc
for m in "$work"/man/*.1; do gzip -9n -c "$m" > "$r/usr/share/man/man1/$(basename "$m").gz"; done
install -d "$r/usr/share/brickyard/monitoring"
install -m 0644 deploy/prometheus/brickyard.yml deploy/prometheus/brickyard-alerts.yml \
  deploy/grafana/brickyard-dashboard.json "$r/usr/share/brickyard/monitoring/"
install -d -m 0750 "$r/etc/brickyard" "$r/etc/brickyard/tls"
docs "$r" brickyard
overrides "$r" brickyard "${common_overrides[@]}"
install -m 0644 docs/deploy.md "$r/usr/share/doc/brickyard/deploy.md"
install -m 0644 docs/ha.md "$r/usr/share/doc/brickyard/ha.md"
control "$r" brickyard "$java_dep" "declarative HA NFS on GlusterFS and NFS-Ganesha (CLI)" \
  "Brickyard builds highly available NFS exports on GlusterFS and NFS-Ganesha from a declarative spec. This package contains the command-line client (brickyard), which also creates the cluster CA and issues node, coordinator and admin certificates."
build "$r" brickyard

# --- brickyard-agent ------------------------------------------------------------------------------
r="$work/brickyard-agent"
install -D -m 0644 agent/target/brickyard-agent.jar "$r/usr/share/brickyard/brickyard-agent.jar"
install -D -m 0755 deploy/libexec/brickyard-agent-cds "$r/usr/libexec/brickyard/brickyard-agent-cds"
install -D -m 0644 deploy/systemd/brickyard-agent.service "$r/lib/systemd/system/brickyard-agent.service"
install -D -m 0644 deploy/sysconfig/brickyard-agent "$r/etc/default/brickyard-agent"
install -D -m 0644 deploy/firewalld/brickyard-agent.xml "$r/usr/lib/firewalld/services/brickyard-agent.xml"
install -d -m 0700 "$r/var/lib/brickyard"
install -d -m 0755 "$r/var/cache/brickyard"
install -d -m 0750 "$r/etc/brickyard" "$r/etc/brickyard/tls"
docs "$r" brickyard-agent
overrides "$r" brickyard-agent "${common_overrides[@]}" \
  "# The agent's state directory (StateDirectoryMode=0700 in its unit)." "non-standard-dir-perm 0700 != 0755 [var/lib/brickyard/]"
# The same needs as the RPM's Requires (deploy/rpm/brickyard.spec), by their Debian names.
control "$r" brickyard-agent "$java_dep, glusterfs-server, firewalld, lvm2, xfsprogs, iproute2, iputils-arping, nfs-ganesha, nfs-ganesha-gluster, rpcbind, nfs-common, glusterfs-client, attr" \
  "Brickyard node agent: storage operations over mutual TLS" \
  "The agent runs on every storage node as root. It formats devices (only empty ones unless asked to wipe), mounts bricks, manages LVM thin pools, firewalld rules, glusterd and nfs-ganesha, adds and removes the NFS service's virtual IPs, and reports node facts, always reading the state from the node itself. It is reached only over mutual TLS by the coordinator and admins, and serves Prometheus metrics on 9464/tcp."
# A new jar invalidates the AppCDS archive; brickyard-agent-cds remakes it on the next start. firewalld
# is told about the new service file (the port itself is opened by the admin, see deploy.md).
agent_jsa="/var/cache/brickyard/brickyard-agent.jsa /var/cache/brickyard/brickyard-agent.jsa.stamp"
unit_scripts "$r" brickyard-agent.service \
  "  rm -f $agent_jsa
  if command -v firewall-cmd >/dev/null && firewall-cmd --state >/dev/null 2>&1; then
    firewall-cmd --reload >/dev/null 2>&1 || true
  fi" \
  "  rm -f $agent_jsa"
build "$r" brickyard-agent

# --- brickyard-coordinator ------------------------------------------------------------------------
r="$work/brickyard-coordinator"
install -D -m 0644 coordinator/target/brickyard-coordinator.jar "$r/usr/share/brickyard/brickyard-coordinator.jar"
install -D -m 0644 deploy/systemd/brickyard-coordinator.service "$r/lib/systemd/system/brickyard-coordinator.service"
install -D -m 0644 deploy/sysconfig/brickyard-coordinator "$r/etc/default/brickyard-coordinator"
install -d -m 0750 "$r/var/lib/brickyard-coordinator"
docs "$r" brickyard-coordinator
overrides "$r" brickyard-coordinator "${common_overrides[@]:0:4}" \
  "# The coordinator's state directory (StateDirectoryMode=0750; postinst gives it to user brickyard)." \
  "non-standard-dir-perm 0750 != 0755 [var/lib/brickyard-coordinator/]"
control "$r" brickyard-coordinator "$java_dep, adduser" \
  "Brickyard coordinator: plans and applies the cluster spec" \
  "The coordinator serves the brickyard CLI (root on its host over a local socket, others with an admin certificate) and drives the node agents with its own coordinator certificate. It runs as the unprivileged user brickyard."
unit_scripts "$r" brickyard-coordinator.service \
  "  getent passwd brickyard >/dev/null || \\
    adduser --system --group --home /var/lib/brickyard-coordinator --no-create-home --quiet brickyard
  install -d -m 0750 -o brickyard -g brickyard /var/lib/brickyard-coordinator"
build "$r" brickyard-coordinator

# --- brickyard-zookeeper (issue 11) ----------------------------------------------------------------
r="$work/brickyard-zookeeper"
install -D -m 0644 deploy/systemd/brickyard-zookeeper.service "$r/lib/systemd/system/brickyard-zookeeper.service"
install -D -m 0644 deploy/sysconfig/brickyard-zookeeper "$r/etc/default/brickyard-zookeeper"
install -d -m 0700 "$r/var/lib/brickyard-zookeeper"
docs "$r" brickyard-zookeeper
overrides "$r" brickyard-zookeeper "${common_overrides[@]:0:4}" \
  "# ZooKeeper's data directory (StateDirectoryMode=0700 in its unit)." \
  "non-standard-dir-perm 0700 != 0755 [var/lib/brickyard-zookeeper/]"
control "$r" brickyard-zookeeper "$java_dep, brickyard-agent | brickyard-coordinator" \
  "Brickyard ZooKeeper member (automatic NFS failover)" \
  "One member of the ZooKeeper ensemble (the real server) that holds VIP ownership and elects the coordinator leader; TLS only, with this host's Brickyard certificate. Install it on three hosts (docs/ha.md)."
unit_scripts "$r" brickyard-zookeeper.service
build "$r" brickyard-zookeeper

ls -la "$out"
