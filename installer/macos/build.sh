#!/usr/bin/env bash
# Build the macOS app and disk image from this checkout, for the machine's own architecture:
# dist/clinic-backoffice-<version>-macos-<arm64|x86_64>.dmg and dist/SHA256SUMS-macos-<arch>.
# Signs when MACOS_SIGNING_IDENTITY names a certificate in the keychain ("Developer ID
# Application: ..."); notarises when APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD are set too.
set -euo pipefail
cd "$(dirname "$0")/../.."
export UV_PYTHON_DOWNLOADS="${UV_PYTHON_DOWNLOADS:-automatic}"
venv=build/macos/venv
arch="$(uname -m)"

UV_PROJECT_ENVIRONMENT="$venv" uv sync --frozen --quiet --no-default-groups --group installer --no-editable
version="$("$venv/bin/python" -c 'import backoffice; print(backoffice.__version__)')"
export BACKOFFICE_VERSION="$version"
"$venv/bin/python" installer/make_icons.py build/icons
rm -rf build/macos/pyinstaller dist/clinic-backoffice "dist/Clinic Back-office.app"
"$venv/bin/pyinstaller" --noconfirm --log-level WARN \
    --workpath build/macos/pyinstaller --distpath dist installer/backoffice.spec

app="dist/Clinic Back-office.app"
dmg="dist/clinic-backoffice-$version-macos-$arch.dmg"
rm -f "$dmg"
hdiutil create -volname "Clinic Back-office $version" -srcfolder "$app" -ov -format UDZO "$dmg"

if [[ -n "${MACOS_SIGNING_IDENTITY:-}" ]]; then
    codesign --verify --strict --verbose=2 "$app"
    codesign --sign "$MACOS_SIGNING_IDENTITY" --timestamp "$dmg"
fi
if [[ -n "${MACOS_SIGNING_IDENTITY:-}" && -n "${APPLE_ID:-}" && -n "${APPLE_TEAM_ID:-}" \
    && -n "${APPLE_APP_PASSWORD:-}" ]]; then
    xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
        --password "$APPLE_APP_PASSWORD" --wait
    xcrun stapler staple "$dmg"
fi
(cd dist && shasum -a 256 "$(basename "$dmg")" > "SHA256SUMS-macos-$arch")
ls -l "$dmg"
