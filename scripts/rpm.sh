#!/usr/bin/env bash
# Builds the RPMs (deploy/rpm/brickyard.spec) from the committed tree plus the prebuilt jars:
# Source0 = `git archive HEAD` + agent/coordinator/cli shaded jars under */target/.
#   scripts/rpm.sh            -> target/rpm/RPMS/noarch/*.rpm (needs rpmbuild; SKIP_BUILD=1 reuses jars)
# On non-RPM hosts (Debian) the systemd rpm macros are missing; they are defined here the way
# systemd-rpm-macros defines them, so the package can at least be built and inspected.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's/^Version: *//p' deploy/rpm/brickyard.spec)"
top="$PWD/target/rpm"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -o -q -B package -DskipTests -pl agent,coordinator,cli -am
fi
rm -rf "$top" && mkdir -p "$top"/{SOURCES,SPECS,BUILD,RPMS,SRPMS}
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
git archive --prefix="brickyard-$version/" HEAD | tar -x -C "$stage"
for m in agent coordinator cli; do
  mkdir -p "$stage/brickyard-$version/$m/target"
  cp "$m/target/brickyard-$m.jar" "$stage/brickyard-$version/$m/target/"
done
tar -czf "$top/SOURCES/brickyard-$version.tar.gz" -C "$stage" "brickyard-$version"
macros=()
if ! rpm --eval '%{?_unitdir}' | grep -q /; then
  macros+=(--define '_unitdir /usr/lib/systemd/system'
    --define 'systemd_requires Requires(post): systemd\
Requires(preun): systemd\
Requires(postun): systemd'
    --define 'systemd_post() if [ $1 -eq 1 ]; then systemctl --no-reload preset %{?*} >/dev/null 2>\&1 || :; fi'
    --define 'systemd_preun() if [ $1 -eq 0 ]; then systemctl --no-reload disable --now %{?*} >/dev/null 2>\&1 || :; fi'
    --define 'systemd_postun_with_restart() if [ $1 -ge 1 ]; then systemctl try-restart %{?*} >/dev/null 2>\&1 || :; fi'
    --nodeps)
fi
rpmbuild -ba --define "_topdir $top" "${macros[@]}" deploy/rpm/brickyard.spec
ls -la "$top"/RPMS/noarch/
