#!/usr/bin/env bash
# Wrap the PyInstaller folder dist/clinic-backoffice into a tarball and a .deb, with SHA256SUMS.
# Usage: installer/linux/package.sh VERSION  (build.sh runs it after PyInstaller).
set -euo pipefail
cd "$(dirname "$0")/../.."
version="$1"
bundle=dist/clinic-backoffice
tarball="dist/clinic-backoffice-$version-linux-x86_64.tar.gz"
deb="dist/clinic-backoffice_${version}_amd64.deb"
staging=build/linux/deb
[[ -x "$bundle/backoffice" ]] || { echo "package.sh: $bundle/backoffice is missing: run build.sh." >&2; exit 1; }
# The same bytes for the same commit: files sorted, owned by root, dated by the last commit.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"

echo "== $tarball"
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
    -C dist -cf - clinic-backoffice | gzip -n -6 > "$tarball"

echo "== $deb"
rm -rf "$staging"
mkdir -p "$staging/opt" "$staging/usr/bin" "$staging/DEBIAN" \
    "$staging/usr/share/applications" "$staging/usr/share/icons/hicolor/scalable/apps"
cp -al "$bundle" "$staging/opt/clinic-backoffice"  # hard links: nothing is copied twice
ln -s /opt/clinic-backoffice/backoffice "$staging/usr/bin/backoffice"
cp installer/linux/clinic-backoffice.desktop "$staging/usr/share/applications/"
cp resources/icons/app.svg "$staging/usr/share/icons/hicolor/scalable/apps/clinic-backoffice.svg"
sed -e "s/@VERSION@/$version/" -e "s/@SIZE@/$(du -sk --exclude=DEBIAN "$staging" | cut -f1)/" \
    installer/linux/control.in > "$staging/DEBIAN/control"
# gzip rather than dpkg's default xz: a third of the time on two cores, 10% larger.
dpkg-deb --root-owner-group -Zgzip -z6 --build "$staging" "$deb" >/dev/null
rm -rf "$staging"

echo "== dist/SHA256SUMS"
(cd dist && sha256sum "$(basename "$tarball")" "$(basename "$deb")" > SHA256SUMS)
ls -l "$tarball" "$deb"
