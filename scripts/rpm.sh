#!/usr/bin/env bash
# Builds the RPMs (deploy/rpm/brickyard.spec) from the committed tree plus the prebuilt jars:
# Source0 = `git archive HEAD` + agent/coordinator/cli shaded jars under */target/, plus the CLI's
# completion scripts and man page AsciiDoc (cli/target/cli-docs, written by the same Maven build).
#   scripts/rpm.sh            -> target/rpm/RPMS/noarch/*.rpm (needs rpmbuild; SKIP_BUILD=1 reuses jars)
# On non-RPM hosts (Debian) the systemd rpm macros are missing; they are defined here the way
# systemd-rpm-macros defines them (and the doc directory the way RHEL names it, without the
# version), so the package can be built and inspected: scripts/check-packages.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
version="$(sed -n 's/^Version: *//p' deploy/rpm/brickyard.spec)"
top="$PWD/target/rpm"
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -o -q -B package -DskipTests -pl agent,coordinator,cli -am
fi
command -v asciidoctor >/dev/null || { echo "rpm.sh: asciidoctor missing (Debian: asciidoctor, RHEL: rubygem-asciidoctor)" >&2; exit 2; }
rm -rf "$top" && mkdir -p "$top"/{SOURCES,SPECS,BUILD,RPMS,SRPMS}
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
git archive --prefix="brickyard-$version/" HEAD | tar -x -C "$stage"
for m in agent coordinator cli; do
  mkdir -p "$stage/brickyard-$version/$m/target"
  cp "$m/target/brickyard-$m.jar" "$stage/brickyard-$version/$m/target/"
done
cp -r cli/target/cli-docs "$stage/brickyard-$version/cli/target/"
tar -czf "$top/SOURCES/brickyard-$version.tar.gz" -C "$stage" "brickyard-$version"
macros=()
if ! rpm --eval '%{?_unitdir}' | grep -q /; then
  macros+=(--define '_unitdir /usr/lib/systemd/system' --define '_docdir_fmt %{NAME}'
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
